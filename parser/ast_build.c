/* ast_build.c - node constructors and checks the grammar's actions use (grammar.y stays rules). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "diag.h"
#include "parse_internal.h"

struct nlist nlist1(struct node *n)
{
	struct nlist l = { n, n };
	return l;
}

struct nlist nlist_add(struct nlist l, struct node *n)
{
	if (!l.head)
		return nlist1(n);
	l.tail->next = n;
	l.tail = n;
	return l;
}

struct node *mk_binary(struct token_ref *op, int code, struct node *l, struct node *r)
{
	struct node *n = node_new(N_BINARY, op);
	n->op = code;
	n->lhs = l;
	n->rhs = r;
	return n;
}

struct node *mk_unary(struct token_ref *op, int code, struct node *e)
{
	struct node *n = node_new(N_UNARY, op);
	n->op = code;
	n->lhs = e;
	return n;
}

/* The grammar lets any expression reach an assignment so that the error
 * names the real problem instead of a puzzling "expected ..." list.
 * Target variables are assignable in guru mode; pass 2 decides. */
void need_var(struct node *e, const struct token_ref *op, const char *where)
{
	switch (e->kind) {
	case N_VAR:
	case N_INDEX:
	case N_TARGET:
	case N_AUTOCAST:
	case N_CAST:
	case N_ATVAR:
		return;
	default:
		diag_error("parse error", op, "expected a variable %s '%s'", where, op->text);
	}
}

struct node *mk_assign(struct token_ref *op, int code, struct node *l, struct node *r)
{
	struct node *n = node_new(N_ASSIGN, op);
	n->op = code;
	n->lhs = l;
	n->rhs = r;
	need_var(l, op, "on the left of");
	return n;
}

struct node *mk_incdec(struct token_ref *op, int code, struct node *e, int postfix)
{
	struct node *n = node_new(N_INCDEC, op);
	n->op = code;
	n->lhs = e;
	n->is_postfix = postfix;
	return n;
}

char *arena_concat(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *buf = malloc(la + lb + 1);
	if (!buf)
		return ast_strdup(b);
	memcpy(buf, a, la);
	memcpy(buf + la, b, lb + 1);
	char *r = ast_strdup(buf);
	free(buf);
	return r;
}

struct node *mk_number(const struct token_ref *t, int negative)
{
	struct node *n = node_new(N_NUMBER, t);
	/* The lexer already checked the digits and the 64-bit range. */
	uint64_t v = strtoull(t->text, NULL, 0);
	if (negative) {
		if (v > (uint64_t)INT64_MAX + 1)
			diag_error("parse error", t, "number out of range");
		n->num = (int64_t)(0 - v);
		/* Reported as written, sign included: "-5" at the '-'. */
		char *text = arena_concat("-", t->text);
		n->tok.text = text;
	} else {
		n->num = (int64_t)v;
	}
	return n;
}

struct node *mk_named(enum node_kind kind, const struct token_ref *t)
{
	struct node *n = node_new(kind, t);
	n->str = t->text;
	return n;
}

void add_decl(struct node **list, struct node *n)
{
	*list = node_append(*list, n);
}

struct node *mk_unop(enum node_kind kind, const struct token_ref *t, struct node *e)
{
	struct node *n = node_new(kind, t);
	n->lhs = e;
	return n;
}

/* "[a, b]" after a target: a chain element. */
struct node *chain_add(struct node *target, struct node *member)
{
	if (target->pretty) {
		diag_error("parse error", &member->tok,
			   "-> and [ are not accepted for a pretty-printing variable");
		return target;
	}
	target->members = node_append(target->members, member);
	return target;
}

struct node *mk_member(const struct token_ref *arrow, const struct token_ref *name)
{
	struct node *m = node_new(N_MEMBER, arrow);
	m->str = name->text;
	return m;
}

/* Any value followed by "->" becomes a target ("autocast") expression. */
struct node *mk_autocast(struct node *operand, const struct token_ref *arrow,
				const struct token_ref *name)
{
	struct node *n = node_new(N_AUTOCAST, arrow);
	n->lhs = operand;
	if (operand->pretty)
		diag_error("parse error", arrow,
			   "-> and [ are not accepted for a pretty-printing variable");
	n->members = mk_member(arrow, name);
	return n;
}

enum stp_type decl_type_of(const struct token_ref *t)
{
	return strcmp(t->text, "string") == 0 ? TYPE_STRING : TYPE_LONG;
}

/* SystemTap reads these comments in embedded C as attributes. */
int embed_pragmas(const char *code)
{
	static const struct { const char *text; int flag; } pragmas[] = {
		{ "/* pure */", EMBED_PURE }, { "/* stable */", EMBED_STABLE },
		{ "/* unprivileged */", EMBED_UNPRIVILEGED },
		{ "/* myproc-unprivileged */", EMBED_MYPROC_UNPRIVILEGED },
		{ "/* guru */", EMBED_GURU },
	};
	int flags = 0;
	for (size_t i = 0; i < sizeof(pragmas) / sizeof(pragmas[0]); i++)
		if (strstr(code, pragmas[i].text))
			flags |= pragmas[i].flag;
	return flags;
}

struct node *mk_embedded(const struct token_ref *t)
{
	struct node *n = mk_named(N_EMBEDDED, t);
	n->embed_flags = embed_pragmas(t->text);
	return n;
}

static const char *const agg_names[] = {
	[AGG_COUNT] = "count", [AGG_SUM] = "sum", [AGG_MIN] = "min",
	[AGG_MAX] = "max", [AGG_AVG] = "avg", [AGG_VARIANCE] = "variance",
};

const char *agg_name(int kind)
{
	return kind >= AGG_COUNT && kind <= AGG_VARIANCE ? agg_names[kind] : "count";
}

int agg_of(const char *atword)
{
	for (int k = AGG_COUNT; k <= AGG_VARIANCE; k++)
		if (strcmp(atword + 1, agg_names[k]) == 0)
			return k;
	return AGG_COUNT;
}

struct node *mk_aggregate(const struct token_ref *t, struct node *stat, struct node *extra)
{
	struct node *n = node_new(N_AGGREGATE, t);
	n->op = agg_of(t->text);
	n->str = agg_names[n->op];
	n->lhs = stat;
	n->args = extra;
	if (extra && n->op != AGG_VARIANCE)
		diag_error("parse error", &extra->tok, "not more than 1 parameter allowed");
	return n;
}

/* foreach: one sort marker at most, remembered with its column. */
void set_sort(struct node *fe, const struct token_ref *at, int dir, int col)
{
	if (fe->sort_dir) {
		diag_error("parse error", at, "multiple sort directives");
		return;
	}
	fe->sort_dir = dir;
	fe->sort_col = col;
}

/* A key variable with its optional '+'/'-' (held in op until the foreach
 * node takes it). */
struct node *mk_key(const struct token_ref *name, const struct token_ref *mark)
{
	struct node *n = mk_named(N_VAR, name);
	n->op = mark->text[0];
	return n;
}

void take_key_sorts(struct node *fe, struct node *keys)
{
	int col = 1;
	for (struct node *k = keys; k; k = k->next, col++) {
		if (k->op)
			set_sort(fe, &k->tok, k->op, col);
		k->op = 0;
	}
}
