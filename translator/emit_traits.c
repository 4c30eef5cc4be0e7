/* emit_traits.c - what a piece of script code can do at run time (raise
 * an error, print, count loop iterations), judged from its tree.  Pass 3
 * uses it to put an error check after a statement only where one can be
 * needed, and to mark probes whose path may skip work (handler_traits).
 */
#include <string.h>

#include "builtins.h"
#include "emit.h"
#include "emit_internal.h"
#include "format.h"
#include "walk.h"

/* Can evaluating this node raise a script error?  Then its statement is
 * followed by a check, so nothing after the error runs. */
static int raises_error(const struct node *n, void *arg)
{
	const struct builtin *b;

	(void)arg;
	if (n->kind == N_BINARY && (n->op == '/' || n->op == '%'))
		return 1;
	if (n->kind == N_ASSIGN && (n->op == OP_DIV_ASSIGN || n->op == OP_MOD_ASSIGN))
		return 1;
	/* a full array; an empty statistic */
	if ((n->kind == N_ASSIGN || n->kind == N_INCDEC || n->kind == N_STAT_ADD) &&
	    n->lhs->kind == N_INDEX)
		return 1;
	if (n->kind == N_AGGREGATE && n->op != AGG_COUNT && n->op != AGG_SUM)
		return 1;
	if (n->kind == N_INDEX && n->lhs->kind == N_HIST)	/* a bucket out of range */
		return 1;
	/* a target variable whose C reads memory or registers */
	if ((n->kind == N_TARGET || n->kind == N_CAST || n->kind == N_ATVAR) && n->c_expr &&
	    strstr(n->c_expr, "$W"))
		return 1;
	if (n->kind == N_REGISTER)
		return 1;	/* no registers in this probe */
	if (n->kind != N_CALL)
		return 0;
	b = n->sym ? NULL : builtin_lookup(n->str);
	/* printf("%m", addr): a bad address */
	if (b && (b->id == BI_PRINTF || b->id == BI_SPRINTF) && n->args &&
	    n->args->kind == N_STRING && format_mem_count(n->args->str))
		return 1;
	return !b || b->id == BI_REGISTER || (b->c_template && strstr(b->c_template, "$W"));
}

int may_error(const struct node *n)
{
	return any_node(n, raises_error, NULL);
}

static int is_opaque(const struct node *n)
{
	return (n->kind == N_CALL && (n->sym || !builtin_lookup(n->str))) ||
	       n->kind == N_EMBEDDED;
}

/* Builtins known not to write the hit's output (an allow-list, so a new
 * builtin counts as printing until it is added here). */
static int quiet_builtin(const char *name)
{
	static const char *const quiet[] = {
		"sprintf", "sprint", "sprintln", "sprintd", "sprintdln", "exit", "error",
		"abort", "execname", "pid", "tid", "ppid", "uid", "euid", "gid", "egid",
		"cpu", "target", "pp", "is_return", "probefunc", "probemod",
		"gettimeofday_ns", "gettimeofday_us", "gettimeofday_ms", "gettimeofday_s",
		"local_clock_ns", "local_clock_us", "local_clock_ms", "local_clock_s",
		"jiffies", "kernel_long", "kernel_int", "kernel_short", "kernel_char",
		"kernel_string", "kernel_string_n", "user_long", "user_int", "user_short",
		"user_char", "user_string", "user_string_n", "register", "int_arg",
		"uint_arg", "long_arg", "ulong_arg", "pointer_arg", "s32_arg", "u32_arg",
		"s64_arg", "u64_arg", "returnval", "strlen", "substr", "isinstr",
		"stringat", "str_replace", "text_str", "text_strn", "string_quoted",
		"strtol", "isdigit", "symname", "symdata",
	};
	size_t i;

	for (i = 0; i < sizeof(quiet) / sizeof(quiet[0]); i++)
		if (strcmp(name, quiet[i]) == 0)
			return 1;
	return 0;
}

static int prints(const struct node *n, void *arg)
{
	(void)arg;
	if (is_opaque(n))
		return 1;
	return n->kind == N_CALL && !quiet_builtin(n->str);
}

static int errs(const struct node *n, void *arg)
{
	return is_opaque(n) || n->kind == N_WHILE || n->kind == N_FOR ||
	       n->kind == N_FOREACH || n->kind == N_TRY || n->kind == N_REGEX ||
	       raises_error(n, arg);
}

static int counts(const struct node *n, void *arg)
{
	(void)arg;
	return is_opaque(n) || n->kind == N_WHILE || n->kind == N_FOR ||
	       n->kind == N_FOREACH || n->kind == N_TRY || n->kind == N_REGEX;
}

void handler_traits(const struct handler *h, struct handler_traits *t)
{
	const struct node *body = h->probe->body;

	t->may_print = any_node(body, prints, NULL);
	t->may_error = any_node(body, errs, NULL);
	t->counts_actions = any_node(body, counts, NULL);
}
