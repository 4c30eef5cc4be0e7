/* ast.c - AST node allocation (one arena per run) and the -p1 tree printer. */
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"

/* ---- arena ---------------------------------------------------------- */

/* Nodes live until the end of the run, so a bump allocator over big chunks
 * is both the fastest and the simplest way to never leak one. */
struct chunk {
	struct chunk *next;
	size_t used, size;
	max_align_t data[];
};

static struct chunk *arena;

#define CHUNK_SIZE (64 * 1024)

static void *arena_alloc(size_t n)
{
	const size_t align = sizeof(max_align_t);

	n = (n + align - 1) / align * align;
	if (!arena || arena->size - arena->used < n) {
		size_t size = n > CHUNK_SIZE ? n : CHUNK_SIZE;
		struct chunk *c = malloc(sizeof(*c) + size);
		if (!c) {
			/* Callers are promised a non-NULL result. */
			fputs("stapc: out of memory\n", stderr);
			exit(1);
		}
		c->used = 0;
		c->size = size;
		c->next = arena;
		arena = c;
	}
	void *p = (char *)arena->data + arena->used;
	arena->used += n;
	return p;
}

struct node *node_new(enum node_kind kind, const struct token_ref *tok)
{
	struct node *n = arena_alloc(sizeof(*n));

	memset(n, 0, sizeof(*n));
	n->kind = kind;
	if (tok)
		n->tok = *tok;
	if (!n->tok.text)
		n->tok.text = "";
	n->temp = -1;
	return n;
}

char *ast_strdup(const char *s)
{
	if (!s)
		s = "";
	size_t len = strlen(s);
	char *p = arena_alloc(len + 1);
	memcpy(p, s, len + 1);
	return p;
}

void ast_free_all(void)
{
	while (arena) {
		struct chunk *next = arena->next;
		free(arena);
		arena = next;
	}
}

struct node *node_append(struct node *head, struct node *item)
{
	if (!head)
		return item;
	struct node *p = head;
	while (p->next)
		p = p->next;
	p->next = item;
	return head;
}

const char *op_name(int op)
{
	switch (op) {
	case OP_EQ: return "==";
	case OP_NE: return "!=";
	case OP_LE: return "<=";
	case OP_GE: return ">=";
	case OP_SHL: return "<<";
	case OP_SHR: return ">>";
	case OP_AND_AND: return "&&";
	case OP_OR_OR: return "||";
	case OP_INC: return "++";
	case OP_DEC: return "--";
	case OP_ADD_ASSIGN: return "+=";
	case OP_SUB_ASSIGN: return "-=";
	case OP_MUL_ASSIGN: return "*=";
	case OP_DIV_ASSIGN: return "/=";
	case OP_MOD_ASSIGN: return "%=";
	case OP_CAT_ASSIGN: return ".=";
	case OP_SHL_ASSIGN: return "<<=";
	case OP_SHR_ASSIGN: return ">>=";
	case OP_AND_ASSIGN: return "&=";
	case OP_OR_ASSIGN: return "|=";
	case OP_XOR_ASSIGN: return "^=";
	case '+': return "+";
	case '-': return "-";
	case '*': return "*";
	case '/': return "/";
	case '%': return "%";
	case '.': return ".";
	case '<': return "<";
	case '>': return ">";
	case '=': return "=";
	case '!': return "!";
	case '~': return "~";
	case '&': return "&";
	case '|': return "|";
	case '^': return "^";
	case '?': return "?";
	default: return "?op?";
	}
}

/* ---- -p1 printer ----------------------------------------------------- */

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
	return e->kind == N_BINARY || e->kind == N_TERNARY || e->kind == N_ASSIGN;
}

static void pr_expr(FILE *out, const struct node *e, int wrap);

static void pr_operand(FILE *out, const struct node *e)
{
	pr_expr(out, e, 1);
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
		for (const struct node *a = e->args; a; a = a->next) {
			pr_operand(out, a);
			if (a->next)
				fputs(", ", out);
		}
		fputc(')', out);
		break;
	case N_BINARY:
	case N_ASSIGN:
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
			if (!top)
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
		else if ((s->kind == N_WHILE || s->kind == N_FOR) && s->body)
			s = s->body;
		else
			return s;
	}
}

static int needs_semi(const struct node *s, const struct node *next)
{
	const struct node *t = trailing(s);
	enum lead lead = stmt_lead(next);

	if (t->kind == N_EXPR_STMT || (t->kind == N_RETURN && t->lhs))
		return lead == LEAD_CONT;
	if (t->kind == N_RETURN)
		return lead != LEAD_NONE;
	return 0;
}

static void pr_stmt(FILE *out, const struct node *s, int ind, int semi);

static void pr_list(FILE *out, const struct node *first, int ind)
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
	pr_list(out, b->body, ind + 1);
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
}

void ast_print_program(FILE *out, const struct program *prog)
{
	fputs("# parse tree dump\n", out);
	for (const struct node *g = prog->globals; g; g = g->next) {
		fprintf(out, "global %s", g->str);
		if (g->rhs) {
			fputs(" = ", out);
			pr_literal(out, g->rhs);
		}
		fputc('\n', out);
	}
	for (const struct node *f = prog->functions; f; f = f->next) {
		fprintf(out, "function %s(", f->str);
		for (const struct node *p = f->params; p; p = p->next)
			fprintf(out, "%s%s", p->str, p->next ? ", " : "");
		fputs(") ", out);
		pr_block(out, f->body, 0);
		fputc('\n', out);
	}
	for (const struct node *p = prog->probes; p; p = p->next) {
		fputs("probe ", out);
		for (const struct node *pp = p->points; pp; pp = pp->next) {
			pr_point(out, pp);
			if (pp->next)
				fputs(", ", out);
		}
		fputc(' ', out);
		pr_block(out, p->body, 0);
		fputc('\n', out);
	}
}
