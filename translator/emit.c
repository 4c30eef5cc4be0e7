/* emit.c - pass 3: print the resolved program as the C of a kernel module.
 *
 * Emission decides nothing about the language (pass 2 did): it walks the
 * tree and prints calls into runtime/.  The output is meant to be read:
 * stable names derived from the script (g_NAME globals, l->l_NAME locals,
 * probe_N handlers) and the script line above each statement.
 */
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "registers.h"
#include "diag.h"
#include "dwarf_info.h"
#include "emit.h"
#include "emit_internal.h"
#include "format.h"
#include "provider.h"
#include "util.h"
#include "walk.h"


void indent(struct emitter *em)
{
	int i;

	for (i = 0; i < em->indent; i++)
		sb_add(em->out, "\t");
}

/* "near operator '/' at x.stp:3:12" as a C string literal */
void emit_where(struct emitter *em, const struct node *n)
{
	char near[200];
	char *where;

	diag_describe_token(&n->tok, near, sizeof(near));
	where = xasprintf("near %s at %s:%d:%d", near, n->tok.loc.file,
			  n->tok.loc.line, n->tok.loc.col);
	sb_add_c_string(em->out, where);
	free(where);
}

void emit_var(struct emitter *em, const struct symbol *s)
{
	if (s->kind == SYM_GLOBAL)
		sb_printf(em->out, "g_%s", s->name);
	else
		sb_printf(em->out, "l->l_%s", s->name);
}

static void emit_number(struct emitter *em, int64_t v)
{
	if (v >= 0 && v <= 0x7fffffff)
		sb_printf(em->out, "%lld", (long long)v);
	else if (v < 0 && v >= -0x7fffffffLL)
		sb_printf(em->out, "(%lld)", (long long)v);
	else
		sb_printf(em->out, "((int64_t)0x%llxULL)", (unsigned long long)v);
}

static const char *c_operator(int op)
{
	switch (op) {
	case OP_EQ: return "==";
	case OP_NE: return "!=";
	case OP_LE: return "<=";
	case OP_GE: return ">=";
	case OP_AND_AND: return "&&";
	case OP_OR_OR: return "||";
	case OP_ADD_ASSIGN: return "+=";
	case OP_SUB_ASSIGN: return "-=";
	case OP_MUL_ASSIGN: return "*=";
	case OP_AND_ASSIGN: return "&=";
	case OP_OR_ASSIGN: return "|=";
	case OP_XOR_ASSIGN: return "^=";
	default: {
		static char one[2];

		one[0] = (char)op;
		return one;
	}
	}
}

/* Is n's C an int rather than an int64_t?  Numbers that fit are written
 * as C ints (emit_number), comparisons and ! give ints, and the other
 * unary operators keep their operand's type. */
static int is_c_int(const struct node *n)
{
	switch (n->kind) {
	case N_NUMBER:
		return n->num >= -0x7fffffffLL && n->num <= 0x7fffffff;
	case N_UNARY:
		if (n->op == '-' && n->lhs->kind == N_NUMBER)	/* folded */
			return n->lhs->num >= -0x7fffffffLL && n->lhs->num <= 0x7fffffff;
		return n->op == '!' || is_c_int(n->lhs);
	case N_BINARY:
		return n->op == '<' || n->op == '>' || n->op == OP_EQ || n->op == OP_NE ||
		       n->op == OP_LE || n->op == OP_GE || n->op == OP_AND_AND || n->op == OP_OR_OR;
	default:
		return 0;
	}
}

static void emit_binary(struct emitter *em, struct node *n)
{
	const char *helper = NULL;

	switch (n->op) {
	case '.':
		sb_printf(em->out, "stp_concat(l->tmp[%d], ", n->temp);
		emit_expr(em, n->lhs);
		sb_add(em->out, ", ");
		emit_expr(em, n->rhs);
		sb_add(em->out, ")");
		return;
	case '/':
	case '%':
		sb_add(em->out, n->op == '/' ? "stp_div(c, " : "stp_mod(c, ");
		emit_expr(em, n->lhs);
		sb_add(em->out, ", ");
		emit_expr(em, n->rhs);
		sb_add(em->out, ", ");
		emit_where(em, n);
		sb_add(em->out, ")");
		return;
	case OP_SHL:
		helper = "stp_shl";
		break;
	case OP_SHR:
		helper = "stp_shr";
		break;
	}
	if (helper) {
		sb_printf(em->out, "%s(", helper);
		emit_expr(em, n->lhs);
		sb_add(em->out, ", ");
		emit_expr(em, n->rhs);
		sb_add(em->out, ")");
		return;
	}
	if (n->lhs->type == TYPE_STRING) {	/* a string comparison */
		sb_add(em->out, "(strcmp(");
		emit_expr(em, n->lhs);
		sb_add(em->out, ", ");
		emit_expr(em, n->rhs);
		sb_printf(em->out, ") %s 0)", c_operator(n->op));
		return;
	}
	/* two C ints would be int arithmetic, which overflows where the
	 * script's 64-bit longs do not (3 * 1024 * 1024 * 1024) */
	sb_add(em->out, is_c_int(n->lhs) && is_c_int(n->rhs) ? "((int64_t)" : "(");
	emit_expr(em, n->lhs);
	sb_printf(em->out, " %s ", c_operator(n->op));
	emit_expr(em, n->rhs);
	sb_add(em->out, ")");
}

static void emit_template(struct emitter *em, struct node *call, const char *t);

/* A target variable written in guru mode: its store template with $V the
 * new value (for x op= y and ++/--, computed from its value now). */
static void emit_target_store(struct emitter *em, struct node *n)
{
	const char *v = strstr(n->lhs->c_store, "$V");
	char *before = strndup(n->lhs->c_store, v - n->lhs->c_store);
	int incdec = n->kind == N_INCDEC;

	if (!incdec && n->op == '=') {
		/* a plain store reads nothing first: a bad address is a write
		 * fault, as in SystemTap */
		sb_add(em->out, "({ int64_t new_ = ");
		emit_expr(em, n->rhs);
		sb_add(em->out, ";\n\t\t");
		emit_template(em, n->lhs, before);
		sb_add(em->out, "new_");
		emit_template(em, n->lhs, v + 2);
		sb_add(em->out, "; new_; })");
		free(before);
		return;
	}
	sb_add(em->out, "({ int64_t old_ = ");
	emit_template(em, n->lhs, n->lhs->c_expr);
	sb_add(em->out, ", new_ = ");
	if (incdec) {
		sb_add(em->out, n->op == OP_INC ? "old_ + 1" : "old_ - 1");
	} else if (n->op == OP_DIV_ASSIGN || n->op == OP_MOD_ASSIGN ||
		   n->op == OP_SHL_ASSIGN || n->op == OP_SHR_ASSIGN) {
		int div = n->op == OP_DIV_ASSIGN || n->op == OP_MOD_ASSIGN;

		sb_printf(em->out, "%s(%sold_, ", n->op == OP_DIV_ASSIGN ? "stp_div" :
			  n->op == OP_MOD_ASSIGN ? "stp_mod" : n->op == OP_SHL_ASSIGN ? "stp_shl" : "stp_shr",
			  div ? "c, " : "");
		emit_expr(em, n->rhs);
		if (div) {
			sb_add(em->out, ", ");
			emit_where(em, n);
		}
		sb_add(em->out, ")");
	} else {	/* "+=" -> "+" */
		const char *op = c_operator(n->op);

		sb_printf(em->out, "old_ %.*s ", (int)strlen(op) - 1, op);
		emit_expr(em, n->rhs);
	}
	sb_add(em->out, ";\n\t\t(void)old_;\n\t\t");
	emit_template(em, n->lhs, before);
	sb_add(em->out, "new_");
	emit_template(em, n->lhs, v + 2);
	sb_printf(em->out, "; %s; })", incdec && n->is_postfix ? "old_" : "new_");
	free(before);
}

static void emit_assign(struct emitter *em, struct node *n)
{
	char *v;
	enum stp_type type = n->lhs->kind == N_VAR ? n->lhs->sym->type : n->lhs->type;

	if (n->lhs->kind == N_TARGET && n->lhs->c_store) {
		emit_target_store(em, n);
		return;
	}
	if (n->lhs->kind == N_TARGET && n->lhs->c_strstore) {
		/* the provider's own buffer, which may outgrow a string */
		sb_printf(em->out, "%s(c, ", n->lhs->c_strstore);
		emit_expr(em, n->rhs);
		sb_printf(em->out, ", %s)", n->op == OP_CAT_ASSIGN ? "true" : "false");
		return;
	}
	v = lvalue_begin(em, n->lhs, n);

	if (type == TYPE_STRING) {
		if (n->op == OP_CAT_ASSIGN)
			sb_printf(em->out, "stp_concat(%s, ", v);
		else
			sb_add(em->out, "stp_strset(");
		sb_printf(em->out, "%s, ", v);
		emit_expr(em, n->rhs);
		sb_add(em->out, ")");
	} else if (n->op == OP_DIV_ASSIGN || n->op == OP_MOD_ASSIGN) {
		sb_printf(em->out, "(%s = %s(c, %s, ", v,
			  n->op == OP_DIV_ASSIGN ? "stp_div" : "stp_mod", v);
		emit_expr(em, n->rhs);
		sb_add(em->out, ", ");
		emit_where(em, n);
		sb_add(em->out, "))");
	} else if (n->op == OP_SHL_ASSIGN || n->op == OP_SHR_ASSIGN) {
		sb_printf(em->out, "(%s = %s(%s, ", v,
			  n->op == OP_SHL_ASSIGN ? "stp_shl" : "stp_shr", v);
		emit_expr(em, n->rhs);
		sb_add(em->out, "))");
	} else {
		sb_printf(em->out, "(%s %s ", v, n->op == '=' ? "=" : c_operator(n->op));
		emit_expr(em, n->rhs);
		sb_add(em->out, ")");
	}
	lvalue_end(em, n->lhs);
	free(v);
}

/* builtins that return a value only read: their order is free */
static int changes_state(const struct node *n, void *arg)
{
	(void)arg;
	return n->kind == N_ASSIGN || n->kind == N_INCDEC || n->kind == N_DELETE ||
	       n->kind == N_STAT_ADD || n->kind == N_REGEX ||	/* sets matched() */
	       (n->kind == N_CALL && (n->sym || !builtin_lookup(n->str) ||
				      builtin_has_state(builtin_lookup(n->str))));
}

static int has_side_effects(const struct node *n)
{
	return any_node(n, changes_state, NULL);
}

/* How one print argument is passed to vsnprintf. */
static const char *arg_cast(enum format_arg kind)
{
	return kind == FARG_LONG ? "(long long)" : kind == FARG_INT ? "(int)" : "";
}

/*
 * print, println and printf all become one stp_printf() with a checked
 * kernel format.  C leaves the order of argument evaluation open, the
 * script language does not: arguments with side effects are first
 * evaluated left to right into C locals.
 */
static void emit_print_call(struct emitter *em, struct node *call, const struct builtin *b)
{
	struct format_spec spec = { 0 };
	struct strbuf fmt = { 0 };
	struct node *a, *first = call->args;
	int i, ordered, checked;
	int to_string = builtin_prints_to_string(b);
	char err[160];
	int off;

	if (call->args && call->args->kind == N_HIST) {
		/* pass 2 allows a histogram only alone */
		emit_hist_print(em, call->args);
		if (b->id == BI_PRINTLN)
			sb_add(em->out, ", stp_printf(c, \"\\n\")");
		return;
	}
	if (b->id == BI_PRINTF || b->id == BI_SPRINTF) {
		/* pass 2 checked it; it parses */
		format_parse(call->args->str, &spec, err, sizeof(err), &off);
		sb_add(&fmt, spec.kernel_fmt);
		first = call->args->next;
	} else {
		const char *delim = NULL, *d;

		if (builtin_prints_delimited(b)) {
			delim = call->args->str;	/* pass 2: a literal */
			first = call->args->next;
		}
		sb_add(&fmt, "");
		for (a = first; a; a = a->next) {
			for (d = a != first && delim ? delim : ""; *d; d++)
				sb_add(&fmt, *d == '%' ? "%%" : (char[]){ *d, 0 });
			sb_add(&fmt, a->type == TYPE_STRING ? "%s" : "%lld");
			spec.args = realloc(spec.args, sizeof(*spec.args) * (spec.n_args + 1));
			spec.args[spec.n_args++] = a->type == TYPE_STRING ? FARG_STRING : FARG_LONG;
		}
		if (builtin_prints_newline(b))
			sb_add(&fmt, "\n");
	}
	/* an argument that raises an error must stop the output too; %m
	 * and %M read memory, %b uses its value several times */
	checked = !to_string && (may_error(first) || spec.n_mem);
	ordered = has_side_effects(first) || checked;
	for (i = 0; i < spec.n_args; i++)
		ordered |= spec.args[i] == FARG_BYTES || spec.args[i] == FARG_MEM ||
			   spec.args[i] == FARG_HEX;
	if (ordered) {
		int mem = 0;

		sb_add(em->out, "({ ");
		for (a = first, i = 0; a; a = a->next, i++) {
			/* after an error, nothing more is evaluated (plain
			 * values are harmless to read) */
			int guard = checked && i > 0 && a->kind != N_STRING &&
				    a->kind != N_NUMBER && a->kind != N_VAR;
			int dump = spec.args[i] == FARG_MEM || spec.args[i] == FARG_HEX;

			sb_printf(em->out, "%s a%d = ",
				  a->type == TYPE_STRING || dump ? "const char *" : "int64_t", i);
			if (guard)
				sb_add(em->out, "likely(!c->error) ? ");
			if (dump)
				sb_printf(em->out, "%s(c, l->tmp[%d], ",
					  spec.args[i] == FARG_MEM ? "stp_fmt_mem" : "stp_fmt_hex",
					  call->temp + to_string + mem++);
			emit_expr(em, a);
			if (dump) {
				sb_printf(em->out, ", %d, ", spec.lens[i]);
				emit_where(em, call);
				sb_add(em->out, ")");
			}
			if (guard)
				sb_add(em->out, a->type == TYPE_STRING || dump ? " : \"\"" : " : 0");
			sb_add(em->out, "; ");
		}
	}
	if (checked)
		sb_add(em->out, "if (likely(!c->error)) ");
	if (to_string)
		sb_printf(em->out, "stp_sprintf(l->tmp[%d], ", call->temp);
	else
		sb_add(em->out, "stp_printf(c, ");
	sb_add_c_string(em->out, fmt.buf);
	for (a = first, i = 0; a; a = a->next, i++) {
		int byte;

		if (spec.args[i] == FARG_BYTES) {
			/* %b: the bytes as they lie in memory (little-endian) */
			for (byte = 0; byte < spec.lens[i]; byte++)
				sb_printf(em->out, ", (int)(u8)(a%d >> %d)", i, byte * 8);
			continue;
		}
		sb_printf(em->out, ", %s", arg_cast(spec.args[i]));
		if (ordered)
			sb_printf(em->out, "a%d", i);
		else
			emit_expr(em, a);
	}
	sb_add(em->out, ordered ? "); })" : ")");
	format_free(&spec);
	sb_free(&fmt);
}

/* Expand a builtin's C template (see builtins.h for its placeholders). */
static void emit_template(struct emitter *em, struct node *call, const char *t)
{
	const char *dest = em->temp_dest;

	em->temp_dest = NULL;	/* for this call only, not its arguments */
	for (; *t; t++) {
		if (t[0] != '$' || !t[1]) {
			sb_addn(em->out, t, 1);
			continue;
		}
		t++;
		if (*t == 'T' && dest) {
			sb_add(em->out, dest);
		} else if (*t == 'T') {
			sb_printf(em->out, "l->tmp[%d]", call->temp);
		} else if (*t == 'W') {
			emit_where(em, call);
		} else if (*t == 'P') {		/* @cast's pointer */
			emit_expr(em, call->lhs);
		} else if (*t == 'I' && t[1] >= '0' && t[1] <= '9') {
			/* the Nth subscript of a target chain that is not a number */
			int k = *++t - '0';
			struct node *m;

			for (m = call->members; m; m = m->next)
				if (m->kind == N_SUBSCRIPT && m->lhs->kind != N_NUMBER && k-- == 0)
					break;
			if (m)
				emit_expr(em, m->lhs);
		} else if (*t >= '1' && *t <= '9') {
			struct node *a = call->args;
			int i;

			for (i = '1'; a && i < *t; i++)
				a = a->next;
			if (a)
				emit_expr(em, a);
		}
	}
}

static void emit_function_call(struct emitter *em, struct node *n)
{
	struct node *a;

	sb_printf(em->out, "function_%s(c, ", n->str);
	emit_where(em, n);
	if (n->sym->fn->ret_type == TYPE_STRING)
		sb_printf(em->out, ", l->tmp[%d]", n->temp);
	for (a = n->args; a; a = a->next) {
		sb_add(em->out, ", ");
		emit_expr(em, a);
	}
	sb_add(em->out, ")");
}

static void emit_call(struct emitter *em, struct node *n)
{
	const struct builtin *b;

	if (n->sym) {
		emit_function_call(em, n);
		return;
	}
	b = builtin_lookup(n->str);
	switch (b->id) {
	case BI_PRINT:
	case BI_PRINTLN:
	case BI_PRINTF:
	case BI_SPRINTF:
	case BI_SPRINT:
	case BI_SPRINTLN:
	case BI_PRINTD:
	case BI_PRINTDLN:
	case BI_SPRINTD:
	case BI_SPRINTDLN:
		emit_print_call(em, n, b);
		break;
	case BI_REGISTER:
		sb_printf(em->out, "stp_register(c, %s, ", register_field(n->args->str));
		emit_where(em, n);
		sb_add(em->out, ")");
		break;
	case BI_TEMPLATE:
		emit_template(em, n, b->c_template);
		break;
	}
}

void emit_expr(struct emitter *em, struct node *n)
{
	switch (n->kind) {
	case N_NUMBER:
		emit_number(em, n->num);
		break;
	case N_STRING:
		sb_add_c_string(em->out, n->str);
		break;
	case N_VAR:
		emit_var(em, n->sym);
		break;
	case N_BINARY:
		emit_binary(em, n);
		break;
	case N_UNARY:
		if (n->op == '-' && n->lhs->kind == N_NUMBER) {
			/* fold, so -9223372036854775808 needs no overflowing negation */
			emit_number(em, (int64_t)(0 - (uint64_t)n->lhs->num));
			break;
		}
		sb_printf(em->out, "(%c", n->op);
		emit_expr(em, n->lhs);
		sb_add(em->out, ")");
		break;
	case N_ASSIGN:
		emit_assign(em, n);
		break;
	case N_INCDEC: {
		const char *op = n->op == OP_INC ? "++" : "--";
		char *v;

		if (n->lhs->kind == N_TARGET && n->lhs->c_store) {
			emit_target_store(em, n);
			break;
		}
		v = lvalue_begin(em, n->lhs, n);

		sb_printf(em->out, "(%s%s%s)", n->is_postfix ? "" : op, v,
			  n->is_postfix ? op : "");
		lvalue_end(em, n->lhs);
		free(v);
		break;
	}
	case N_INDEX:
	case N_IN:
	case N_STAT_ADD:
	case N_AGGREGATE:
		emit_array_expr(em, n);
		break;
	case N_TERNARY:
		sb_add(em->out, "(");
		emit_expr(em, n->cond);
		sb_add(em->out, " ? ");
		emit_expr(em, n->then_);
		sb_add(em->out, " : ");
		emit_expr(em, n->else_);
		sb_add(em->out, ")");
		break;
	case N_CALL:
		emit_call(em, n);
		break;
	case N_TARGET:
	case N_CAST:
	case N_ATVAR:
		emit_template(em, n, n->c_expr);
		break;
	case N_REGISTER:
		sb_printf(em->out, "stp_%cregister(c, %s, ", n->op == 'u' ? 'u' : 'k',
			  register_dwarf_field((unsigned int)n->num));
		emit_where(em, n);
		sb_add(em->out, ")");
		break;
	case N_ENTRY:	/* pass 2 allowed only values saved at entry */
		emit_expr(em, n->lhs);
		break;
	case N_EMBEDDED:
		emit_embedded_expr(em, n);
		break;
	case N_REGEX:
		emit_regex_match(em, n);
		break;
	case N_CONST:
		sb_printf(em->out, "((int64_t)(%s))", n->str);
		break;
	default:
		sb_add(em->out, "0 /* unexpected node */");
	}
}

/* ---- statements ----------------------------------------------------- */

static void emit_line_comment(struct emitter *em, const struct node *s)
{
	const char *line = em->src->text;
	int n, len;

	if (!line || strcmp(s->tok.loc.file, em->src->file) != 0 ||
	    s->tok.loc.line == em->last_comment_line)
		return;
	em->last_comment_line = s->tok.loc.line;
	for (n = 1; n < s->tok.loc.line && line; n++) {
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	if (!line)
		return;
	while (*line == ' ' || *line == '\t')
		line++;
	len = strcspn(line, "\n");
	indent(em);
	sb_printf(em->out, "/* %s:%d: ", s->tok.loc.file, s->tok.loc.line);
	/* the script line, made safe inside a C comment */
	for (n = 0; n < len && n < 100; n++) {
		if (line[n] == '*' && line[n + 1] == '/')
			sb_add(em->out, "* ");
		else if (line[n] == '/' && line[n + 1] == '*')
			sb_add(em->out, "/ ");
		else if ((unsigned char)line[n] >= 0x20 && line[n] != 0x7f)
			sb_addn(em->out, &line[n], 1);
		else
			sb_add(em->out, " ");
	}
	sb_add(em->out, len > 100 ? "... */\n" : " */\n");
}

void emit_goto_out(struct emitter *em)
{
	sb_add(em->out, "goto out;\n");
	em->used_out_label = 1;
}

/* After code that may raise an error: leave for the enclosing try's
 * catch, or for the end of the body. */
void emit_error_check(struct emitter *em)
{
	indent(em);
	sb_add(em->out, "if (unlikely(c->error))\n");
	em->indent++;
	indent(em);
	if (em->catch_label >= 0) {
		sb_printf(em->out, "goto catch_%d;\n", em->catch_label);
		em->catch_used = 1;
	} else {
		emit_goto_out(em);
	}
	em->indent--;
}

static void emit_statements(struct emitter *em, struct node *s);

void emit_block_body(struct emitter *em, struct node *s)
{
	em->indent++;
	emit_statements(em, s && s->kind == N_BLOCK ? s->body : s);
	em->indent--;
}

/* Evaluate a condition into `var` first when it may raise an error, so
 * an error stops the handler before any branch runs. */
static void emit_condition_value(struct emitter *em, struct node *cond, const char *var)
{
	indent(em);
	sb_printf(em->out, "%s = ", var);
	emit_expr(em, cond);
	sb_add(em->out, ";\n");
	emit_error_check(em);
}

static void emit_loop(struct emitter *em, struct node *s)
{
	if (s->init)
		emit_statements(em, s->init);
	indent(em);
	if (s->step) {
		sb_add(em->out, "for (;; (void)");
		emit_expr(em, s->step);
		sb_add(em->out, ") {\n");
	} else {
		sb_add(em->out, "for (;;) {\n");
	}
	em->indent++;
	indent(em);
	sb_add(em->out, "if (!stp_action(c, ");
	emit_where(em, s);
	sb_add(em->out, "))\n");
	em->indent++;
	indent(em);
	emit_goto_out(em);
	em->indent--;
	if (s->step && may_error(s->step))
		emit_error_check(em);
	if (s->cond && may_error(s->cond)) {
		indent(em);
		sb_add(em->out, "{\n");
		em->indent++;
		indent(em);
		sb_add(em->out, "int64_t cond;\n\n");
		emit_condition_value(em, s->cond, "cond");
		indent(em);
		sb_add(em->out, "if (!cond)\n");
		indent(em);
		sb_add(em->out, "\tbreak;\n");
		em->indent--;
		indent(em);
		sb_add(em->out, "}\n");
	} else if (s->cond) {
		indent(em);
		sb_add(em->out, "if (!");
		emit_expr(em, s->cond);
		sb_add(em->out, ")\n");
		indent(em);
		sb_add(em->out, "\tbreak;\n");
	}
	em->indent--;
	emit_block_body(em, s->body);
	indent(em);
	sb_add(em->out, "}\n");
}

static void emit_if(struct emitter *em, struct node *s)
{
	int checked = may_error(s->cond);

	if (checked) {
		indent(em);
		sb_add(em->out, "{\n");
		em->indent++;
		indent(em);
		sb_add(em->out, "int64_t cond;\n\n");
		emit_condition_value(em, s->cond, "cond");
		indent(em);
		sb_add(em->out, "if (cond) {\n");
	} else {
		indent(em);
		sb_add(em->out, "if (");
		emit_expr(em, s->cond);
		sb_add(em->out, ") {\n");
	}
	emit_block_body(em, s->then_);
	if (s->else_) {
		indent(em);
		sb_add(em->out, "} else {\n");
		emit_block_body(em, s->else_);
	}
	indent(em);
	sb_add(em->out, "}\n");
	if (checked) {
		em->indent--;
		indent(em);
		sb_add(em->out, "}\n");
	}
}

/*
 * try { body } catch (msg) { handler }: error checks in the body jump to
 * catch_<n>, which takes the error (stp_catch) and runs the handler; errors
 * SystemTap makes uncatchable (MAXACTION, abort()) go on to out.  A body
 * that cannot raise an error needs no catch at all.
 */
static void emit_try(struct emitter *em, struct node *s)
{
	int outer = em->catch_label, outer_used = em->catch_used;
	int n = em->n_tries++;

	em->catch_label = n;
	em->catch_used = 0;
	indent(em);
	sb_printf(em->out, "{\t/* try %d */\n", n);
	emit_block_body(em, s->body);
	indent(em);
	sb_add(em->out, "}\n");
	em->catch_label = outer;
	if (!em->catch_used) {
		em->catch_used = outer_used;
		return;
	}
	em->catch_used = outer_used;
	indent(em);
	sb_printf(em->out, "goto try_%d_end;\n", n);
	sb_printf(em->out, "catch_%d:\n", n);
	indent(em);
	sb_add(em->out, "if (!stp_catch(c, ");
	if (s->lhs)
		emit_var(em, s->lhs->sym);
	else
		sb_add(em->out, "NULL");
	sb_add(em->out, "))\n");
	em->indent++;
	indent(em);
	emit_goto_out(em);
	em->indent--;
	indent(em);
	sb_printf(em->out, "{\t/* catch %d */\n", n);
	emit_block_body(em, s->else_);
	indent(em);
	sb_add(em->out, "}\n");
	sb_printf(em->out, "try_%d_end:\n", n);
	indent(em);
	sb_add(em->out, ";\n");
}

/* x++ / x += v on a global no handler writes otherwise: no lock needed */
static void emit_atomic_add(struct emitter *em, struct node *e)
{
	sb_printf(em->out, "stp_atomic_add(&g_%s, ", e->lhs->sym->name);
	if (e->kind == N_INCDEC) {
		sb_add(em->out, e->op == OP_INC ? "1" : "-1");
	} else {
		sb_add(em->out, e->op == OP_SUB_ASSIGN ? "-(" : "(");
		emit_expr(em, e->rhs);
		sb_add(em->out, ")");
	}
	sb_add(em->out, ");\n");
}

static int is_effect(const struct node *e)
{
	/* anything else is cast to void: a value computed and dropped is a
	 * warning, and kbuild builds our C with -Werror */
	return e->kind == N_ASSIGN || e->kind == N_INCDEC || e->kind == N_STAT_ADD ||
	       (e->kind == N_CALL && e->type == TYPE_VOID);
}

static void emit_statements(struct emitter *em, struct node *s)
{
	for (; s; s = s->next) {
		if (s->kind != N_BLOCK && s->kind != N_EMPTY)
			emit_line_comment(em, s);
		switch (s->kind) {
		case N_BLOCK:
			emit_statements(em, s->body);
			break;
		case N_EXPR_STMT:
			if (s->lhs->kind == N_EMBEDDED) {
				emit_embedded_statement(em, s->lhs);
				break;
			}
			indent(em);
			if (is_atomic_add(s->lhs) && s->lhs->lhs->sym->atomic_ok) {
				emit_atomic_add(em, s->lhs);
				break;
			}
			if (!is_effect(s->lhs))
				sb_add(em->out, "(void)");
			emit_expr(em, s->lhs);
			sb_add(em->out, ";\n");
			if (may_error(s->lhs))
				emit_error_check(em);
			break;
		case N_IF:
			emit_if(em, s);
			break;
		case N_WHILE:
		case N_FOR:
			emit_loop(em, s);
			break;
		case N_BREAK:
			indent(em);
			sb_add(em->out, "break;\n");
			break;
		case N_CONTINUE:
			indent(em);
			sb_add(em->out, "continue;\n");
			break;
		case N_NEXT:
			indent(em);
			emit_goto_out(em);
			break;
		case N_FOREACH:
			emit_foreach(em, s);
			break;
		case N_TRY:
			emit_try(em, s);
			break;
		case N_DELETE:
			emit_delete(em, s);
			if (may_error(s->lhs))
				emit_error_check(em);
			break;
		case N_RETURN:
			if (s->lhs) {
				indent(em);
				if (em->handler->ret_type == TYPE_STRING) {
					sb_add(em->out, "stp_strset(retbuf, ");
					emit_expr(em, s->lhs);
					sb_add(em->out, ");\n");
				} else {
					sb_add(em->out, "ret = ");
					emit_expr(em, s->lhs);
					sb_add(em->out, ";\n");
				}
				/* inside a try, the catch takes the error */
				if (em->catch_label >= 0 && may_error(s->lhs))
					emit_error_check(em);
			}
			indent(em);
			emit_goto_out(em);
			break;
		default:
			break;
		}
	}
}

/* ---- declarations --------------------------------------------------- */

static void emit_globals(struct strbuf *out, const struct resolved_program *rp)
{
	const struct symbol *g;

	if (!rp->globals)
		return;
	sb_add(out, "/* ---- globals (scalars are settable at load: stapr MODULE.ko NAME=VALUE) ---- */\n\n");
	emit_array_globals(out, rp);
	for (g = rp->globals; g; g = g->next) {
		const struct node *init = g->decl->rhs;

		if (g->arity > 0 || g->type == TYPE_STATS)
			continue;
		if (g->type == TYPE_STRING) {
			sb_printf(out, "static char g_%s[MAXSTRINGLEN]", g->name);
			if (init) {
				sb_add(out, " = ");
				sb_add_c_string(out, init->str);
			}
			if (g->decl->is_private)	/* its file's own: not settable */
				sb_add(out, ";\n");
			else
				sb_printf(out, ";\nSTP_PARAM_STRING(%s, g_%s);\n", g->name, g->name);
		} else {
			sb_printf(out, "static int64_t g_%s", g->name);
			if (init)
				sb_printf(out, " = %lldLL", (long long)init->num);
			if (g->decl->is_private)
				sb_add(out, ";\n");
			else
				sb_printf(out, ";\nSTP_PARAM_LONG(%s, g_%s);\n", g->name, g->name);
		}
	}
	sb_add(out, "\n");
}

static int has_locals(const struct handler *h)
{
	return h->locals || h->n_temps || h->n_keys;
}

static const char *c_type(enum stp_type t)
{
	return t == TYPE_STRING ? "const char *" : t == TYPE_LONG ? "int64_t " : "void ";
}

/* "probe_3" or "function_fact": the C function and its locals struct */
static char *body_name(const struct handler *h)
{
	return h->is_function ? xasprintf("function_%s", h->probe->str)
			      : xasprintf("probe_%d", h->index);
}

/* The C signature of a script function (no trailing ';' or '{'). */
static void emit_function_signature(struct strbuf *out, const struct handler *h)
{
	const struct symbol *p;
	int i;

	sb_printf(out, "static %sfunction_%s(struct stp_context *c, const char *where",
		  c_type(h->ret_type), h->probe->str);
	if (h->ret_type == TYPE_STRING)
		sb_add(out, ", char *retbuf");
	for (p = h->locals, i = 0; i < h->n_params; p = p->next, i++)
		sb_printf(out, ", %sa_%s", c_type(p->type), p->name);
	sb_add(out, ")");
}

static void emit_locals_struct(struct strbuf *out, const struct handler *h, const char *name)
{
	const struct symbol *v;

	sb_printf(out, "struct %s_locals {\n", name);
	for (v = h->locals; v; v = v->next) {
		if (v->type == TYPE_STRING)
			sb_printf(out, "\tchar l_%s[MAXSTRINGLEN];\n", v->name);
		else
			sb_printf(out, "\tint64_t l_%s;\n", v->name);
	}
	if (h->n_temps)
		sb_printf(out, "\tchar tmp[%d][MAXSTRINGLEN];\n", h->n_temps);
	emit_key_slots(out, h);
	if (!has_locals(h))
		sb_add(out, "\tchar none;\n");
	sb_add(out, "};\n\n");
}

/* Locals start as 0 and "", parameters as the caller's values. */
static void emit_locals_init(struct strbuf *out, const struct handler *h)
{
	const struct symbol *v;
	int i;

	for (v = h->locals, i = 0; v; v = v->next, i++) {
		if (i < h->n_params && v->type == TYPE_STRING)
			sb_printf(out, "\tstp_strset(l->l_%s, a_%s);\n", v->name, v->name);
		else if (i < h->n_params)
			sb_printf(out, "\tl->l_%s = a_%s;\n", v->name, v->name);
		else if (v->type == TYPE_STRING)
			sb_printf(out, "\tl->l_%s[0] = '\\0';\n", v->name);
		else
			sb_printf(out, "\tl->l_%s = 0;\n", v->name);
	}
	if (h->locals)
		sb_add(out, "\n");
}

static void emit_handler(struct strbuf *out, const struct emit_source *src,
			 struct handler *h, const struct resolved_program *rp)
{
	struct emitter em = { .src = src, .handler = h, .indent = 1, .catch_label = -1 };
	struct strbuf body = { 0 };
	const struct resolved_point *pt;
	char *name = body_name(h);

	if (h->is_function) {
		sb_printf(out, "/* ---- function %s at %s:%d:%d ---- */\n\n", h->probe->str,
			  h->probe->tok.loc.file, h->probe->tok.loc.line, h->probe->tok.loc.col);
	} else {
		sb_printf(out, "/* ---- probe %d at %s:%d:%d:", h->index, h->probe->tok.loc.file,
			  h->probe->tok.loc.line, h->probe->tok.loc.col);
		for (pt = rp->points; pt; pt = pt->next)
			if (pt->handler == h)
				sb_printf(out, " %s", pt->pp);
		sb_add(out, " ---- */\n\n");
	}
	if (has_locals(h) || h->is_function)
		emit_locals_struct(out, h, name);

	em.out = &body;
	sb_add(&body, "");
	if (h->probe->body->kind == N_EMBEDDED)
		emit_embedded_body(&body, h);
	else
		emit_statements(&em, h->probe->body->body);

	if (h->is_function) {
		emit_function_signature(out, h);
		sb_printf(out, "\n{\n\tstruct %s_locals *l = stp_enter_function(c, where);\n", name);
		if (h->ret_type == TYPE_LONG)
			sb_add(out, "\tint64_t ret = 0;\n");
		if (h->ret_type == TYPE_STRING)
			sb_add(out, "\tconst char *ret = retbuf;\n\n\tretbuf[0] = '\\0';\n");
		sb_printf(out, "\n\tif (!l)\n\t\treturn%s;\n", h->ret_type == TYPE_VOID ? "" : " ret");
		emit_locals_init(out, h);
	} else {
		sb_printf(out, "static void %s(struct stp_context *c)\n{\n", name);
		if (has_locals(h)) {
			sb_printf(out, "\tstruct %s_locals *l = c->locals;\n\n", name);
			emit_locals_init(out, h);
		}
	}
	sb_add(out, body.buf);
	if (h->probe->body->kind == N_EMBEDDED)
		sb_add(out, "out: __maybe_unused\n");	/* STAP_RETURN, STAP_ERROR */
	else if (em.used_out_label)
		sb_add(out, "out:\n");
	if (h->is_function)
		sb_printf(out, "\tstp_leave_function(c);\n%s",
			  h->ret_type == TYPE_VOID ? "" : "\treturn ret;\n");
	else if (em.used_out_label)
		sb_add(out, "\t;\n");
	sb_add(out, "}\n\n");
	sb_free(&body);
	free(name);
}

/* Returns whether there were any (and so a union stp_frames). */
static int emit_functions(struct strbuf *out, const struct emit_source *src,
			  const struct resolved_program *rp)
{
	struct handler *f;
	int any = 0;

	for (f = rp->functions; f; f = f->next) {
		if (!f->reachable)
			continue;
		if (!any)
			sb_add(out, "/* ---- script functions ---- */\n\n");
		any = 1;
		emit_function_signature(out, f);
		sb_add(out, ";\n");
	}
	if (!any)
		return 0;
	sb_add(out, "\n");
	for (f = rp->functions; f; f = f->next)
		if (f->reachable)
			emit_handler(out, src, f, rp);
	sb_add(out, "/* one frame per call in progress, up to MAXNESTING */\nunion stp_frames {\n");
	for (f = rp->functions; f; f = f->next)
		if (f->reachable)
			sb_printf(out, "\tstruct function_%s_locals %s;\n", f->probe->str, f->probe->str);
	sb_add(out, "};\n\n");
	return 1;
}

/* A probe whose points were all optional and missing has no handler. */
static int has_points(const struct resolved_program *rp, const struct handler *h)
{
	const struct resolved_point *pt;

	for (pt = rp->points; pt; pt = pt->next)
		if (pt->handler == h)
			return 1;
	return 0;
}

static void emit_locals_union(struct strbuf *out, const struct resolved_program *rp)
{
	const struct handler *h;

	sb_add(out, "/* every handler's locals share one per-CPU area */\nunion stp_locals {\n\tchar none;\n");
	for (h = rp->handlers; h; h = h->next)
		if (has_locals(h) && has_points(rp, h))
			sb_printf(out, "\tstruct probe_%d_locals probe_%d;\n", h->index, h->index);
	sb_add(out, "};\n\n");
}

static void emit_registration(struct strbuf *out, const struct resolved_program *rp,
			      int has_frames, int has_alloc, int has_regex)
{
	struct strbuf decls = { 0 }, groups = { 0 }, program = { 0 };
	struct emit_tables tables = { &decls, &groups, &program };
	const struct provider *const *pv;

	sb_add(&decls, "");
	sb_add(&groups, "");
	sb_add(&program, "");
	for (pv = providers; *pv; pv++) {
		struct resolved_point **mine = xcalloc(rp->n_points, sizeof(*mine));
		struct resolved_point *pt;
		int n = 0;

		for (pt = rp->points; pt; pt = pt->next)
			if (pt->provider == *pv)
				mine[n++] = pt;
		if (n)
			(*pv)->emit(mine, n, &tables);
		free(mine);
	}
	dwarf_emit_symbols(&decls, &program);	/* @var, $global: looked up at start */
	sb_add(out, "/* ---- probe registration ---- */\n\n");
	sb_add(out, decls.buf);
	if (groups.len) {
		sb_add(out, "static const struct stp_probe_group stp_groups[] = {\n");
		sb_add(out, groups.buf);
		sb_add(out, "};\n\n");
		sb_add(&program, "\t.groups = stp_groups,\n\t.n_groups = ARRAY_SIZE(stp_groups),\n");
	}
	sb_add(out, "static const struct stp_program stp_program = {\n");
	sb_add(out, program.buf);
	sb_add(out, "\t.locals_size = sizeof(union stp_locals),\n");
	if (has_frames)
		sb_add(out, "\t.frame_size = sizeof(union stp_frames),\n");
	if (has_regex)
		sb_add(out, "\t.scratch_size = sizeof(struct stp_regex_state),\n");
	if (has_alloc)
		sb_add(out, "\t.alloc_globals = stp_alloc_globals,\n\t.free_globals = stp_free_globals,\n");
	sb_add(out, "};\n\n");
	sb_free(&decls);
	sb_free(&groups);
	sb_free(&program);
}

void emit_module(struct strbuf *out, const struct resolved_program *rp,
		 const struct emit_source *src, const struct string_list *defines)
{
	struct handler *h;
	int i, has_frames, has_alloc, has_regex;

	sb_add(out, "/* Generated by stapc from ");
	sb_add(out, src->file);
	sb_add(out, ".  Do not edit: change the script and run stapc again.\n"
		    " * SPDX-License-Identifier: GPL-2.0-or-later */\n\n");
	for (i = 0; i < defines->n; i++) {
		const char *eq = strchr(defines->items[i], '=');

		if (eq)
			sb_printf(out, "#define %.*s %s\n", (int)(eq - defines->items[i]),
				  defines->items[i], eq + 1);
		else
			sb_printf(out, "#define %s 1\n", defines->items[i]);
	}
	sb_add(out, "#include \"stp_runtime.h\"\n\n");
	emit_embedded_toplevel(out, rp->ast);
	emit_globals(out, rp);
	has_alloc = emit_globals_alloc(out, rp);
	has_regex = emit_regex_tables(out, rp);
	has_frames = emit_functions(out, src, rp);
	for (h = rp->handlers; h; h = h->next)
		if (has_points(rp, h))
			emit_handler(out, src, h, rp);
	emit_locals_union(out, rp);
	emit_registration(out, rp, has_frames, has_alloc, has_regex);
	sb_add(out, "#include \"stp_module.h\"\n");
}
