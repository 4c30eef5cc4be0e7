/* builtins.c - the table of translator-implemented functions. */
#include "builtins.h"

#include <string.h>

#define L TYPE_LONG
#define S TYPE_STRING
#define V TYPE_VOID

static const struct builtin builtins[] = {
	/* output and control */
	{ "print", BI_PRINT, "*", V, NULL },
	{ "println", BI_PRINTLN, "*", V, NULL },
	{ "printf", BI_PRINTF, "*", V, NULL },
	{ "sprintf", BI_SPRINTF, "*", S, NULL },
	{ "sprint", BI_SPRINT, "*", S, NULL },
	{ "sprintln", BI_SPRINTLN, "*", S, NULL },
	{ "printd", BI_PRINTD, "*", V, NULL },
	{ "printdln", BI_PRINTDLN, "*", V, NULL },
	{ "sprintd", BI_SPRINTD, "*", S, NULL },
	{ "sprintdln", BI_SPRINTDLN, "*", S, NULL },
	{ "warn", BI_TEMPLATE, "s", V, "stp_warn(c, $1)" },
	{ "exit", BI_TEMPLATE, "", V, "stp_request_exit()" },
	{ "error", BI_TEMPLATE, "s", V, "stp_errorf(c, $W, \"%s\", $1)" },
	{ "log", BI_TEMPLATE, "s", V, "stp_printf(c, \"%s\\n\", $1)" },
	{ "abort", BI_TEMPLATE, "", V, "stp_abort(c, $W)" },
	/* @entry(EXPR) in a .return probe: saved at entry, read at return
	 * (elaborate_target.c writes these calls; runtime/stp_dwarf.h) */
	{ "__stp_entry_save", BI_TEMPLATE, "ll", V, "stp_dwarf_entry_set(c, $1, $2, $W)" },
	{ "__stp_entry_value", BI_TEMPLATE, "l", L, "stp_dwarf_entry_expr(c, $1, $W)" },
	{ "__stp_entry_save_str", BI_TEMPLATE, "ls", V, "stp_dwarf_entry_set_str(c, $1, $2, $W)" },
	{ "__stp_entry_value_str", BI_TEMPLATE, "l", S, "stp_dwarf_entry_str(c, $T, $1, $W)" },

	/* the current task */
	{ "execname", BI_TEMPLATE, "", S, "stp_execname($T)" },
	{ "pid", BI_TEMPLATE, "", L, "stp_pid()" },
	{ "tid", BI_TEMPLATE, "", L, "stp_tid()" },
	{ "ppid", BI_TEMPLATE, "", L, "stp_ppid()" },
	{ "uid", BI_TEMPLATE, "", L, "stp_uid()" },
	{ "euid", BI_TEMPLATE, "", L, "stp_euid()" },
	{ "gid", BI_TEMPLATE, "", L, "stp_gid()" },
	{ "egid", BI_TEMPLATE, "", L, "stp_egid()" },
	{ "cpu", BI_TEMPLATE, "", L, "stp_cpu()" },
	{ "target", BI_TEMPLATE, "", L, "stp_target" },

	/* the probe */
	{ "pp", BI_TEMPLATE, "", S, "stp_pp(c)" },
	{ "is_return", BI_TEMPLATE, "", L, "stp_is_return(c)" },
	{ "probefunc", BI_TEMPLATE, "", S, "stp_probefunc(c, $T)" },
	/* SystemTap: "the function name parsed from pp()", which probefunc is here */
	{ "ppfunc", BI_TEMPLATE, "", S, "stp_probefunc(c, $T)" },
	{ "probemod", BI_TEMPLATE, "", S, "stp_probemod(c, $T)" },

	/* time */
	{ "gettimeofday_ns", BI_TEMPLATE, "", L, "stp_gettimeofday_ns()" },
	{ "gettimeofday_us", BI_TEMPLATE, "", L, "(stp_gettimeofday_ns() / 1000)" },
	{ "gettimeofday_ms", BI_TEMPLATE, "", L, "(stp_gettimeofday_ns() / 1000000)" },
	{ "gettimeofday_s", BI_TEMPLATE, "", L, "(stp_gettimeofday_ns() / 1000000000)" },
	{ "local_clock_ns", BI_TEMPLATE, "", L, "stp_local_clock_ns()" },
	{ "local_clock_us", BI_TEMPLATE, "", L, "(stp_local_clock_ns() / 1000)" },
	{ "local_clock_ms", BI_TEMPLATE, "", L, "(stp_local_clock_ns() / 1000000)" },
	{ "local_clock_s", BI_TEMPLATE, "", L, "(stp_local_clock_ns() / 1000000000)" },
	{ "jiffies", BI_TEMPLATE, "", L, "stp_jiffies()" },
	{ "HZ", BI_TEMPLATE, "", L, "stp_hz()" },

	/* memory, read through fault-tolerant copies */
	{ "kernel_long", BI_TEMPLATE, "l", L, "stp_read_int(c, $1, 8, false, $W)" },
	{ "kernel_int", BI_TEMPLATE, "l", L, "stp_read_int(c, $1, 4, false, $W)" },
	{ "kernel_short", BI_TEMPLATE, "l", L, "stp_read_int(c, $1, 2, false, $W)" },
	{ "kernel_char", BI_TEMPLATE, "l", L, "stp_read_int(c, $1, 1, false, $W)" },
	{ "kernel_string", BI_TEMPLATE, "l", S, "stp_read_string(c, $T, $1, MAXSTRINGLEN, false, $W)" },
	{ "kernel_string_n", BI_TEMPLATE, "ll", S, "stp_read_string(c, $T, $1, ($2) + 1, false, $W)" },
	{ "user_long", BI_TEMPLATE, "l", L, "stp_read_int(c, $1, 8, true, $W)" },
	{ "user_int", BI_TEMPLATE, "l", L, "stp_read_int(c, $1, 4, true, $W)" },
	{ "user_short", BI_TEMPLATE, "l", L, "stp_read_int(c, $1, 2, true, $W)" },
	{ "user_char", BI_TEMPLATE, "l", L, "stp_read_int(c, $1, 1, true, $W)" },
	{ "user_string", BI_TEMPLATE, "l", S, "stp_read_string(c, $T, $1, MAXSTRINGLEN, true, $W)" },
	{ "user_string_n", BI_TEMPLATE, "ll", S, "stp_read_string(c, $T, $1, ($2) + 1, true, $W)" },

	/* registers and arguments (kprobes) */
	{ "register", BI_REGISTER, "s", L, NULL },
	{ "int_arg", BI_TEMPLATE, "l", L, "((int64_t)(s32)stp_arg(c, $1, $W))" },
	{ "uint_arg", BI_TEMPLATE, "l", L, "((int64_t)(u32)stp_arg(c, $1, $W))" },
	{ "long_arg", BI_TEMPLATE, "l", L, "stp_arg(c, $1, $W)" },
	{ "ulong_arg", BI_TEMPLATE, "l", L, "stp_arg(c, $1, $W)" },
	{ "pointer_arg", BI_TEMPLATE, "l", L, "stp_arg(c, $1, $W)" },
	{ "s32_arg", BI_TEMPLATE, "l", L, "((int64_t)(s32)stp_arg(c, $1, $W))" },
	{ "u32_arg", BI_TEMPLATE, "l", L, "((int64_t)(u32)stp_arg(c, $1, $W))" },
	{ "s64_arg", BI_TEMPLATE, "l", L, "stp_arg(c, $1, $W)" },
	{ "u64_arg", BI_TEMPLATE, "l", L, "stp_arg(c, $1, $W)" },
	{ "returnval", BI_TEMPLATE, "", L, "stp_returnval(c, $W)" },

	/* the kernel stack at the probe */
	{ "backtrace", BI_TEMPLATE, "", S, "stp_backtrace(c, $T)" },
	{ "print_backtrace", BI_TEMPLATE, "", V, "stp_print_backtrace(c, NULL)" },
	{ "sprint_backtrace", BI_TEMPLATE, "", S, "stp_print_backtrace(c, $T)" },
	{ "print_stack", BI_TEMPLATE, "s", V, "stp_stack(c, NULL, $1)" },
	{ "sprint_stack", BI_TEMPLATE, "s", S, "stp_stack(c, $T, $1)" },

	/* symbols */
	{ "symname", BI_TEMPLATE, "l", S, "stp_symname($T, $1)" },
	{ "symdata", BI_TEMPLATE, "l", S, "stp_symdata($T, $1)" },

	/* strings */
	{ "strlen", BI_TEMPLATE, "s", L, "((int64_t)strlen($1))" },
	{ "substr", BI_TEMPLATE, "sll", S, "stp_substr($T, $1, $2, $3)" },
	{ "isinstr", BI_TEMPLATE, "ss", L, "(strstr($1, $2) != NULL)" },
	{ "strpos", BI_TEMPLATE, "ss", L, "stp_strpos($1, $2)" },
	{ "stringat", BI_TEMPLATE, "sl", L, "stp_stringat(c, $1, $2, $W)" },
	{ "str_replace", BI_TEMPLATE, "sss", S, "stp_str_replace($T, $1, $2, $3)" },
	{ "tokenize", BI_TEMPLATE, "ss", S, "stp_tokenize(c, $T, $1, $2)" },
	{ "text_str", BI_TEMPLATE, "s", S, "stp_text_strn($T, $1, 0, 0)" },
	{ "text_strn", BI_TEMPLATE, "sll", S, "stp_text_strn($T, $1, $2, $3)" },
	{ "string_quoted", BI_TEMPLATE, "s", S, "stp_text_strn($T, $1, 0, 1)" },
	{ "strtol", BI_TEMPLATE, "sl", L, "stp_strtol(c, $1, $2, $W)" },
	{ "isdigit", BI_TEMPLATE, "s", L, "((int64_t)isdigit((unsigned char)($1)[0]))" },

	/* the last =~ match */
	{ "matched", BI_TEMPLATE, "l", S, "stp_regex_matched(c, $T, $1, $W)" },
	{ "matched_str", BI_TEMPLATE, "", S, "stp_regex_matched(c, $T, 0, $W)" },
	{ "ngroups", BI_TEMPLATE, "", L, "stp_regex_ngroups(c, $W)" },
	{ NULL, 0, NULL, 0, NULL },
};

const struct builtin *builtin_lookup(const char *name)
{
	const struct builtin *b;

	for (b = builtins; b->name; b++)
		if (strcmp(b->name, name) == 0)
			return b;
	return NULL;
}

int builtin_needs_temp(const struct builtin *b)
{
	return builtin_prints_to_string(b) || (b->c_template && strstr(b->c_template, "$T"));
}

int builtin_prints_to_string(const struct builtin *b)
{
	return b->id == BI_SPRINTF || b->id == BI_SPRINT || b->id == BI_SPRINTLN ||
	       b->id == BI_SPRINTD || b->id == BI_SPRINTDLN;
}

int builtin_prints_newline(const struct builtin *b)
{
	return b->id == BI_PRINTLN || b->id == BI_SPRINTLN || b->id == BI_PRINTDLN ||
	       b->id == BI_SPRINTDLN;
}

int builtin_prints_delimited(const struct builtin *b)
{
	return b->id == BI_PRINTD || b->id == BI_PRINTDLN || b->id == BI_SPRINTD ||
	       b->id == BI_SPRINTDLN;
}

/* Builtins whose result depends on calls before them (tokenize() goes
 * on from the last call, matched() reads the last =~): the order of
 * evaluation must be the script's. */
int builtin_has_state(const struct builtin *b)
{
	static const char *const stateful[] = {
		"tokenize", "matched", "matched_str", "ngroups",
	};
	size_t i;

	for (i = 0; i < sizeof(stateful) / sizeof(stateful[0]); i++)
		if (strcmp(b->name, stateful[i]) == 0)
			return 1;
	return 0;
}

/* Levenshtein distance, small strings only. */
static int edit_distance(const char *a, const char *b)
{
	int la = strlen(a), lb = strlen(b), i, j;
	int row[64];

	if (la >= 63 || lb >= 63)
		return 99;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		int prev = row[0];

		row[0] = i;
		for (j = 1; j <= lb; j++) {
			int cur = row[j];
			int best = prev + (a[i - 1] != b[j - 1]);

			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = cur;
		}
	}
	return row[lb];
}

const char *builtin_suggest(const char *name)
{
	const struct builtin *b;
	const char *best = NULL;
	int best_d = 3;		/* farther than 2 edits is no suggestion */

	for (b = builtins; b->name; b++) {
		int d = edit_distance(name, b->name);

		if (d < best_d) {
			best_d = d;
			best = b->name;
		}
	}
	return best;
}
