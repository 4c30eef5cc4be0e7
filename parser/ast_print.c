/* ast_print.c - the -p1 printer: the AST back as a script that parses to the same tree. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ast.h"

/*
 * The dump must re-parse to the same tree, so it has to undo everything
 * the grammar resolves implicitly:
 *
 *  - Precedence: every binary, ternary and assignment expression is
 *    wrapped in parentheses, except when it is the whole expression of a
 *    statement (expression statement, for-loop init or step), where no
 *    operator surrounds it.  Conditions, call arguments and return values
 *    are wrapped too, so the rule has no other exceptions.  A unary or
 *    prefix ++/-- operand of a unary operator is wrapped as well, so
 *    "-(-x)" never turns into the "--" token.
 *  - Statement boundaries: statements need no separator, so "x" followed
 *    by "-y" would re-read as "x - y".  A ';' is printed after a statement
 *    only when the next one could otherwise be glued onto it.
 *  - Numbers are printed as the unsigned 64-bit pattern, which reads back
 *    to the same bits; literals (global initialisers, probe point
 *    parameters) keep their sign since the grammar accepts "-N" there.
 *  - Preprocessing is gone: macros and %( %) conditionals come out
 *    expanded, $1/@1 as the literal they stood for.
 *  - A foreach sort marker on the value variable and one after the array
 *    mean the same (sort_col 0); it is printed after the array.
 */

static void pr_indent(FILE *out, int ind)
{
	for (int i = 0; i < ind; i++)
		fputs("  ", out);
}

static void pr_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '\n': fputs("\\n", out); break;
		case '\t': fputs("\\t", out); break;
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		default:
			if (*p < 0x20 || *p >= 0x7f)
				fprintf(out, "\\%03o", *p);
			else
				fputc(*p, out);
		}
	}
	fputc('"', out);
}

static void pr_literal(FILE *out, const struct node *n)
{
	if (n->kind == N_STRING)
		pr_string(out, n->str ? n->str : "");
	else
		fprintf(out, "%" PRId64, n->num);
}

static int is_compound(const struct node *e)
{
	switch (e->kind) {
	case N_BINARY:
	case N_TERNARY:
	case N_ASSIGN:
	case N_IN:
	case N_REGEX:
	case N_STAT_ADD:
		return 1;
	default:
		return 0;
	}
}

static void pr_expr(FILE *out, const struct node *e, int wrap);

static void pr_operand(FILE *out, const struct node *e)
{
	pr_expr(out, e, 1);
}

static void pr_list(FILE *out, const struct node *first, const char *sep)
{
	for (const struct node *a = first; a; a = a->next) {
		pr_operand(out, a);
		if (a->next)
			fputs(sep, out);
	}
}

static void pr_hist(FILE *out, const struct node *h)
{
	fputs(h->op == HIST_LOG ? "@hist_log(" : "@hist_linear(", out);
	pr_operand(out, h->lhs);
	for (const struct node *a = h->args; a; a = a->next) {
		fputs(", ", out);
		pr_literal(out, a);
	}
	fputc(')', out);
}

/* An array: a name or a histogram. */
static void pr_array(FILE *out, const struct node *a)
{
	if (a->kind == N_HIST)
		pr_hist(out, a);
	else
		fputs(a->str, out);
}

/* What "->" may follow without parentheses (see the value and lval rules). */
static int autocast_bare(const struct node *e)
{
	return e->kind == N_VAR || e->kind == N_CALL || e->kind == N_ENTRY ||
	       (e->kind == N_INDEX && e->lhs->kind == N_VAR);
}

/* $x, @cast(...), @var(...), expr->...: the base, the chain, the suffix. */
static void pr_target(FILE *out, const struct node *e)
{
	if (e->addr_of)
		fputc('&', out);
	switch (e->kind) {
	case N_TARGET:
		fputs(e->str, out);
		break;
	case N_AUTOCAST:
		if (autocast_bare(e->lhs)) {
			pr_expr(out, e->lhs, 0);
		} else {
			fputc('(', out);
			pr_expr(out, e->lhs, 0);
			fputc(')', out);
		}
		break;
	case N_CAST:
		fputs("@cast(", out);
		pr_operand(out, e->lhs);
		fputs(", ", out);
		pr_string(out, e->str);
		if (e->module) {
			fputs(", ", out);
			pr_string(out, e->module);
		}
		fputc(')', out);
		break;
	default:	/* N_ATVAR */
		fputs("@var(", out);
		pr_string(out, e->str);
		if (e->module) {
			fputs(", ", out);
			pr_string(out, e->module);
		}
		fputc(')', out);
		break;
	}
	for (const struct node *m = e->members; m; m = m->next) {
		if (m->kind == N_MEMBER) {
			fprintf(out, "->%s", m->str);
		} else {
			fputc('[', out);
			pr_operand(out, m->lhs);
			fputc(']', out);
		}
	}
	if (e->pretty)
		fputs(e->pretty == 2 ? "$$" : "$", out);
}

/* "[a, *] in arr" needs the brackets; one plain key does not. */
static void pr_in(FILE *out, const struct node *e)
{
	const struct node *k = e->args;
	if (k && !k->next && k->kind != N_WILDCARD) {
		pr_operand(out, k);
	} else {
		fputc('[', out);
		pr_list(out, k, ", ");
		fputc(']', out);
	}
	fputs(" in ", out);
	pr_array(out, e->rhs);
}

static void pr_expr(FILE *out, const struct node *e, int wrap)
{
	if (!e) {
		fputs("<null>", out);
		return;
	}
	int paren = wrap && is_compound(e);

	if (paren)
		fputc('(', out);
	switch (e->kind) {
	case N_NUMBER:
		fprintf(out, "%" PRIu64, (uint64_t)e->num);
		break;
	case N_STRING:
		pr_string(out, e->str ? e->str : "");
		break;
	case N_VAR:
		fputs(e->str, out);
		break;
	case N_CALL:
		fprintf(out, "%s(", e->str);
		pr_list(out, e->args, ", ");
		fputc(')', out);
		break;
	case N_INDEX:
		pr_array(out, e->lhs);
		fputc('[', out);
		pr_list(out, e->args, ", ");
		fputc(']', out);
		break;
	case N_WILDCARD:
		fputc('*', out);
		break;
	case N_IN:
		pr_in(out, e);
		break;
	case N_AGGREGATE:
		fprintf(out, "@%s(", e->str);
		pr_operand(out, e->lhs);
		if (e->args) {
			fputs(", ", out);
			pr_literal(out, e->args);
		}
		fputc(')', out);
		break;
	case N_HIST:
		pr_hist(out, e);
		break;
	case N_TARGET:
	case N_AUTOCAST:
	case N_CAST:
	case N_ATVAR:
		pr_target(out, e);
		break;
	case N_ENTRY:
	case N_DEFINED:
		fputs(e->kind == N_ENTRY ? "@entry(" : "@defined(", out);
		pr_operand(out, e->lhs);
		fputc(')', out);
		break;
	case N_PROBEWRITE:
		fprintf(out, "@probewrite(%s)", e->str);
		break;
	case N_CONST:
		fputs("@const(", out);
		pr_string(out, e->str);
		fputc(')', out);
		break;
	case N_REGISTER:
		fprintf(out, "@%cregister(%" PRId64 ")", e->op, e->num);
		break;
	case N_EMBEDDED:
		fprintf(out, "%%{%s%%}", e->str);
		break;
	case N_BINARY:
	case N_ASSIGN:
	case N_REGEX:
	case N_STAT_ADD:
		pr_operand(out, e->lhs);
		fprintf(out, " %s ", op_name(e->op));
		pr_operand(out, e->rhs);
		break;
	case N_TERNARY:
		pr_operand(out, e->cond);
		fputs(" ? ", out);
		pr_operand(out, e->then_);
		fputs(" : ", out);
		pr_operand(out, e->else_);
		break;
	case N_UNARY: {
		const struct node *o = e->lhs;
		int inner = o && (o->kind == N_UNARY ||
				  (o->kind == N_INCDEC && !o->is_postfix));
		fputs(op_name(e->op), out);
		if (inner)
			fputc('(', out);
		pr_operand(out, o);
		if (inner)
			fputc(')', out);
		break;
	}
	case N_INCDEC:
		if (!e->is_postfix)
			fputs(op_name(e->op), out);
		pr_operand(out, e->lhs);
		if (e->is_postfix)
			fputs(op_name(e->op), out);
		break;
	default:
		fputs("<not an expression>", out);
	}
	if (paren)
		fputc(')', out);
}

/* What the first printed token of a statement could do to the statement
 * printed before it. */
enum lead {
	LEAD_NONE,	/* keyword, '{', ';': cannot extend an expression */
	LEAD_EXPR,	/* starts an expression, e.g. an identifier */
	LEAD_CONT,	/* also continues one: '(' '-' '+' '++' '--' */
};

static enum lead stmt_lead(const struct node *s)
{
	if (s->kind != N_EXPR_STMT || !s->lhs)
		return LEAD_NONE;
	const struct node *e = s->lhs;
	int top = 1;	/* the statement's own expression is not wrapped */
	for (;;) {
		switch (e->kind) {
		case N_BINARY:
		case N_ASSIGN:
		case N_REGEX:
		case N_STAT_ADD:
			if (!top)
				return LEAD_CONT;
			e = e->lhs;
			break;
		case N_IN:
			/* '[' indexes what came before; "x" "y" are one string */
			if (!top || !e->args || e->args->next || e->args->kind == N_WILDCARD)
				return LEAD_CONT;
			e = e->args;
			break;
		case N_STRING:
			return LEAD_CONT;
		case N_TARGET:
		case N_CAST:
		case N_ATVAR:
			return e->addr_of ? LEAD_CONT : LEAD_EXPR;
		case N_AUTOCAST:
			if (e->addr_of || !autocast_bare(e->lhs))
				return LEAD_CONT;
			e = e->lhs;
			break;
		case N_TERNARY:
			if (!top)
				return LEAD_CONT;
			e = e->cond;
			break;
		case N_UNARY:
			return (e->op == '-' || e->op == '+') ? LEAD_CONT : LEAD_EXPR;
		case N_INCDEC:
			if (!e->is_postfix)
				return LEAD_CONT;
			e = e->lhs;
			break;
		default:
			return LEAD_EXPR;
		}
		top = 0;
	}
}

/* The statement whose end is the end of s (an if without braces ends with
 * its branch, and so on). */
static const struct node *trailing(const struct node *s)
{
	for (;;) {
		if (s->kind == N_IF)
			s = s->else_ ? s->else_ : s->then_;
		else if ((s->kind == N_WHILE || s->kind == N_FOR || s->kind == N_FOREACH) &&
			 s->body)
			s = s->body;
		else
			return s;
	}
}

static int needs_semi(const struct node *s, const struct node *next)
{
	const struct node *t = trailing(s);
	enum lead lead = stmt_lead(next);

	if (t->kind == N_EXPR_STMT || t->kind == N_DELETE || (t->kind == N_RETURN && t->lhs))
		return lead == LEAD_CONT;
	if (t->kind == N_RETURN)
		return lead != LEAD_NONE;
	return 0;
}

static void pr_stmt(FILE *out, const struct node *s, int ind, int semi);

static void pr_stmts(FILE *out, const struct node *first, int ind)
{
	for (const struct node *s = first; s; s = s->next) {
		pr_indent(out, ind);
		pr_stmt(out, s, ind, s->next && needs_semi(s, s->next));
	}
}

/* "{ ... }" without a trailing newline; the caller decides what follows. */
static void pr_block(FILE *out, const struct node *b, int ind)
{
	fputs("{\n", out);
	pr_stmts(out, b->body, ind + 1);
	pr_indent(out, ind);
	fputc('}', out);
}

/* The body of if/else/while/for.  A block stays on the header's line; any
 * other statement goes on its own line one level deeper.  Returns 1 if the
 * output ended with a newline. */
static int pr_branch(FILE *out, const struct node *b, int ind, int semi)
{
	if (b->kind == N_BLOCK) {
		fputc(' ', out);
		pr_block(out, b, ind);
		return 0;
	}
	fputc('\n', out);
	pr_indent(out, ind + 1);
	pr_stmt(out, b, ind + 1, semi);
	return 1;
}

static void pr_sort(FILE *out, const struct node *fe, int col)
{
	if (fe->sort_dir && fe->sort_col == col)
		fputc(fe->sort_dir, out);
}

/* "foreach (v = [a, b+] in arr[*, 1] limit 5)", up to the ')' */
static void pr_foreach(FILE *out, const struct node *s)
{
	int col = 1;

	fputs("foreach (", out);
	if (s->lhs)
		fprintf(out, "%s = ", s->lhs->str);
	int many = s->args && s->args->next;
	if (many)
		fputc('[', out);
	for (const struct node *k = s->args; k; k = k->next, col++) {
		fputs(k->str, out);
		pr_sort(out, s, col);
		if (k->next)
			fputs(", ", out);
	}
	if (many)
		fputc(']', out);
	fputs(" in ", out);
	pr_array(out, s->rhs);
	if (s->slice) {
		fputc('[', out);
		pr_list(out, s->slice, ", ");
		fputc(']', out);
	}
	if (s->sort_dir && s->sort_col == 0) {
		if (s->str)
			fprintf(out, " @%s", s->str);
		pr_sort(out, s, 0);
	}
	if (s->limit) {
		fputs(" limit ", out);
		pr_expr(out, s->limit, 1);
	}
	fputc(')', out);
}

/* Prints s starting at the current column (indentation already done) and
 * always ends with a newline.  semi: s must end with ';' (see needs_semi),
 * which lands on its innermost trailing statement. */
static void pr_stmt(FILE *out, const struct node *s, int ind, int semi)
{
	const char *end = semi ? ";\n" : "\n";

	switch (s->kind) {
	case N_BLOCK:
		pr_block(out, s, ind);
		fputc('\n', out);
		break;
	case N_EXPR_STMT:
		pr_expr(out, s->lhs, 0);
		fputs(end, out);
		break;
	case N_IF:
		fputs("if (", out);
		pr_expr(out, s->cond, 1);
		fputc(')', out);
		if (!s->else_) {
			if (!pr_branch(out, s->then_, ind, semi))
				fputc('\n', out);
			break;
		}
		if (pr_branch(out, s->then_, ind, 0)) {
			pr_indent(out, ind);
			fputs("else", out);
		} else {
			fputs(" else", out);
		}
		if (s->else_->kind == N_IF) {
			/* "else if" chains stay flat instead of nesting deeper */
			fputc(' ', out);
			pr_stmt(out, s->else_, ind, semi);
		} else if (!pr_branch(out, s->else_, ind, semi)) {
			fputc('\n', out);
		}
		break;
	case N_WHILE:
		fputs("while (", out);
		pr_expr(out, s->cond, 1);
		fputc(')', out);
		if (!pr_branch(out, s->body, ind, semi))
			fputc('\n', out);
		break;
	case N_FOR:
		fputs("for (", out);
		if (s->init)
			pr_expr(out, s->init->kind == N_EXPR_STMT ? s->init->lhs : s->init, 0);
		fputc(';', out);
		if (s->cond) {
			fputc(' ', out);
			pr_expr(out, s->cond, 1);
		}
		fputc(';', out);
		if (s->step) {
			fputc(' ', out);
			pr_expr(out, s->step, 0);
		}
		fputc(')', out);
		if (!pr_branch(out, s->body, ind, semi))
			fputc('\n', out);
		break;
	case N_BREAK:
		fputs("break", out);
		fputs(end, out);
		break;
	case N_CONTINUE:
		fputs("continue", out);
		fputs(end, out);
		break;
	case N_NEXT:
		fputs("next", out);
		fputs(end, out);
		break;
	case N_RETURN:
		fputs("return", out);
		if (s->lhs) {
			fputc(' ', out);
			pr_expr(out, s->lhs, 1);
		}
		fputs(end, out);
		break;
	case N_EMPTY:
		fputs(";\n", out);
		break;
	case N_DELETE:
		fputs("delete ", out);
		pr_expr(out, s->lhs, 1);
		fputs(end, out);
		break;
	case N_FOREACH:
		pr_foreach(out, s);
		if (!pr_branch(out, s->body, ind, semi))
			fputc('\n', out);
		break;
	case N_TRY:
		fputs("try ", out);
		pr_block(out, s->body, ind);
		fputs(" catch ", out);
		if (s->lhs)
			fprintf(out, "(%s) ", s->lhs->str);
		pr_block(out, s->else_, ind);
		fputc('\n', out);
		break;
	default:
		fputs("<not a statement>\n", out);
	}
}

static void pr_point(FILE *out, const struct node *pp)
{
	for (const struct node *c = pp->components; c; c = c->next) {
		fputs(c->str, out);
		if (c->arg) {
			fputc('(', out);
			pr_literal(out, c->arg);
			fputc(')', out);
		}
		if (c->next)
			fputc('.', out);
	}
	if (pp->sufficient)
		fputc('!', out);
	else if (pp->optional)
		fputc('?', out);
	if (pp->cond) {
		fputs(" if (", out);
		pr_expr(out, pp->cond, 1);
		fputc(')', out);
	}
}

static const char *type_suffix(enum stp_type t)
{
	switch (t) {
	case TYPE_LONG: return ":long";
	case TYPE_STRING: return ":string";
	default: return "";
	}
}

static void pr_probe(FILE *out, const struct node *p)
{
	fputs("probe ", out);
	for (const struct node *a = p->aliases; a; a = a->next) {
		pr_point(out, a);
		fputs(p->alias_op == OP_ADD_ASSIGN ? " += " : " = ", out);
	}
	for (const struct node *pp = p->points; pp; pp = pp->next) {
		pr_point(out, pp);
		if (pp->next)
			fputs(", ", out);
	}
	fputc(' ', out);
	pr_block(out, p->body, 0);
	fputc('\n', out);
}

void ast_print_program(FILE *out, const struct program *prog)
{
	fputs("# parse tree dump\n", out);
	for (const struct node *g = prog->globals; g; g = g->next) {
		fprintf(out, "%sglobal %s", g->is_private ? "private " : "", g->str);
		if (g->wrap)
			fputc('%', out);
		if (g->array_size)
			fprintf(out, "[%" PRId64 "]", g->array_size);
		if (g->rhs) {
			fputs(" = ", out);
			pr_literal(out, g->rhs);
		}
		fputc('\n', out);
	}
	for (const struct node *e = prog->embeds; e; e = e->next)
		fprintf(out, "%%{%s%%}\n", e->str);
	for (const struct node *f = prog->functions; f; f = f->next) {
		fprintf(out, "%sfunction %s%s(", f->is_private ? "private " : "", f->str,
			type_suffix(f->decl_type));
		for (const struct node *p = f->params; p; p = p->next)
			fprintf(out, "%s%s%s", p->str, type_suffix(p->decl_type),
				p->next ? ", " : "");
		fputs(") ", out);
		if (f->body->kind == N_EMBEDDED)
			fprintf(out, "%%{%s%%}", f->body->str);
		else
			pr_block(out, f->body, 0);
		fputc('\n', out);
	}
	for (const struct node *a = prog->aliases; a; a = a->next)
		pr_probe(out, a);
	for (const struct node *p = prog->probes; p; p = p->next)
		pr_probe(out, p);
}
