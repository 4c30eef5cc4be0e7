/* elaborate_probes.c - the first step of pass 2, on the AST, before names
 * are bound: expand probe aliases into the probes they stand for, lower
 * probe point conditions `if (cond)` into a check at the start of the
 * handler, chain same-arity function overloads through `next`, and fold
 * @defined, so the rest of pass 2 and pass 3 only ever see plain probes
 * over provider points and plain functions.
 *
 * An alias use gets its own copy of the alias body and of the user's body
 * (pass 2 writes types and symbols into nodes, so no node is shared between
 * two handlers).  The alias body and the user's body form one handler, so
 * the prologue's locals are the body's locals, as in SystemTap.  This file
 * never reports about a probe point that no alias matches: providers do.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "elaborate_internal.h"
#include "util.h"
#include "walk.h"

#define MAX_ALIAS_DEPTH 16
/* a bound on what aliases that fan out (`probe a = a, a`) can make */
#define MAX_ALIAS_EXPANSIONS 10000

/* ---- copies ------------------------------------------------------------ */

static struct node *clone_list(const struct node *n);

struct node *clone_node(const struct node *n)
{
	struct node *c = node_new(n->kind, &n->tok);

	*c = *n;
	c->next = NULL;
	/* ORDER: every field of struct node that holds child nodes (ast.h) */
	c->lhs = clone_list(n->lhs);
	c->rhs = clone_list(n->rhs);
	c->cond = clone_list(n->cond);
	c->then_ = clone_list(n->then_);
	c->else_ = clone_list(n->else_);
	c->init = clone_list(n->init);
	c->step = clone_list(n->step);
	c->body = clone_list(n->body);
	c->args = clone_list(n->args);
	c->points = clone_list(n->points);
	c->components = clone_list(n->components);
	c->arg = clone_list(n->arg);
	c->params = clone_list(n->params);
	c->aliases = clone_list(n->aliases);
	c->members = clone_list(n->members);
	c->slice = clone_list(n->slice);
	c->limit = clone_list(n->limit);
	return c;
}

static struct node *clone_list(const struct node *n)
{
	struct node *head = NULL, **tail = &head;

	for (; n; n = n->next) {
		*tail = clone_node(n);
		tail = &(*tail)->next;
	}
	return head;
}

/* ---- matching a probe point against an alias name ------------------- */

static int same_arg(const struct node *a, const struct node *b)
{
	if (!a || !b)
		return a == b;
	if (a->kind != b->kind)
		return 0;
	return a->kind == N_NUMBER ? a->num == b->num : strcmp(a->str, b->str) == 0;
}

/* User components (with '*' in names and '**' for any number of whole
 * components) against the components of an alias name. */
static int match_components(const struct node *u, const struct node *a)
{
	if (!u)
		return !a;
	if (strcmp(u->str, "**") == 0)
		return match_components(u->next, a) || (a && match_components(u, a->next));
	if (!a || fnmatch(u->str, a->str, 0) != 0 || !same_arg(u->arg, a->arg))
		return 0;
	return match_components(u->next, a->next);
}

int probe_point_matches_alias(const struct node *point, const struct node *alias_name)
{
	return match_components(point->components, alias_name->components);
}

static int has_wildcard(const struct node *comp)
{
	for (; comp; comp = comp->next)
		if (strchr(comp->str, '*'))
			return 1;
	return 0;
}

/* An alias used with a suffix, `my.fn.return` for `probe my.fn = ...`:
 * the user's components after those the alias name matches (one by one,
 * no '**'), or NULL.  The suffix itself may have no wildcards. */
static const struct node *alias_suffix(const struct node *point, const struct node *alias_name)
{
	const struct node *u = point->components, *a = alias_name->components;

	for (; a; a = a->next, u = u->next)
		if (!u || strcmp(u->str, "**") == 0 || fnmatch(u->str, a->str, 0) != 0 ||
		    !same_arg(u->arg, a->arg))
			return NULL;
	return u && !has_wildcard(u) ? u : NULL;
}

/* ---- expansion ------------------------------------------------------- */

struct expansion {
	struct program *prog;
	struct node **tail;	/* where the next expanded probe goes */
	int made;		/* alias uses expanded so far */
	int points_only;	/* -l: expand the points, leave the bodies out */
	int gave_up;		/* an expansion error was reported: stop */
};

static void expand_probe(struct expansion *x, struct node *probe, int depth);

/* cond && more, either may be NULL */
static struct node *and_conditions(struct node *cond, struct node *more)
{
	struct node *n;

	if (!cond || !more)
		return cond ? cond : more;
	n = node_new(N_BINARY, &more->tok);
	n->op = OP_AND_AND;
	n->lhs = cond;
	n->rhs = more;
	return n;
}

/* @probewrite(v) in an alias body: 1 when the body of the probe using the
 * alias writes v (so an epilogue can copy a changed argument back), else
 * 0; decided here, where the user's body is still apart from the alias's. */
static void decide_probewrite(struct node *n, void *arg)
{
	const struct node *user_body = arg;

	if (n->kind != N_PROBEWRITE)
		return;
	n->num = any_node(user_body, writes_variable, (void *)n->str);
	n->kind = N_NUMBER;
}

/* One use of `alias` (through its name `name`) by the user's point `pt` of
 * `probe`: a new probe over the alias's points running prologue + body
 * (or body + epilogue). */
static void use_alias(struct expansion *x, struct node *probe, struct node *pt,
		      struct node *alias, struct node *name, const struct node *suffix,
		      int depth)
{
	struct node *q = node_new(N_PROBE, &probe->tok);
	struct node *block = node_new(N_BLOCK, &probe->body->tok);
	struct node *alias_body, *user_body;
	struct node *p;

	if (x->gave_up)
		return;
	if (++x->made > MAX_ALIAS_EXPANSIONS) {
		diag_error("semantic error", &pt->tok,
			   "probe alias expansion makes more than %d probes", MAX_ALIAS_EXPANSIONS);
		x->gave_up = 1;
		return;
	}
	alias_body = x->points_only ? NULL : clone_node(alias->body);
	user_body = x->points_only ? NULL : clone_node(probe->body);
	q->points = clone_list(alias->points);
	for (p = q->points; p; p = p->next) {
		struct node **last = &p->components;

		/* the suffix goes on every point the alias stands for */
		while (*last)
			last = &(*last)->next;
		*last = clone_list(suffix);
		p->expanded_from = pt;
		p->alias_name = name;
		if (pt->optional || pt->sufficient)
			p->optional = 1;
		p->cond = and_conditions(p->cond, pt->cond ? clone_node(pt->cond) : NULL);
	}
	if (alias_body)
		walk_nodes(alias_body, decide_probewrite, user_body);
	if (x->points_only) {
		/* nothing to run: no alias body can stand in the way */
		block->body = NULL;
	} else if (alias->alias_op == OP_ADD_ASSIGN) {
		block->body = user_body;
		user_body->next = alias_body;
	} else {
		block->body = alias_body;
		alias_body->next = user_body;
	}
	q->body = block;
	expand_probe(x, q, depth + 1);
}

static void append_probe(struct expansion *x, struct node *probe)
{
	probe->next = NULL;
	*x->tail = probe;
	x->tail = &probe->next;
}

/* Expand the aliases among probe's points, appending the resulting plain
 * probes; the points no alias matches stay with the original body. */
static void expand_probe(struct expansion *x, struct node *probe, int depth)
{
	struct node *pt, *next, *plain = NULL, **plain_tail = &plain;
	struct node *later = NULL, **later_tail = &later;
	struct node **saved_tail;

	for (pt = probe->points; pt; pt = next) {
		struct node *alias, *name;
		int matched = 0;

		next = pt->next;
		for (alias = x->prog->aliases; alias; alias = alias->next)
			for (name = alias->aliases; name; name = name->next) {
				if (!probe_point_matches_alias(pt, name))
					continue;
				if (!matched && depth >= MAX_ALIAS_DEPTH) {
					if (!x->gave_up)
						diag_error("semantic error", &pt->tok,
							   "probe alias expansion too deep: is alias '%s' defined in terms of itself?",
							   name->components->str);
					x->gave_up = 1;
					return;
				}
				matched = 1;
				/* collect the expansions after the plain probe */
				saved_tail = x->tail;
				x->tail = later_tail;
				use_alias(x, probe, pt, alias, name, NULL, depth);
				later_tail = x->tail;
				x->tail = saved_tail;
			}
		/* no alias of the whole name: one of a leading part, with the
		 * rest as a suffix */
		for (alias = x->prog->aliases; alias && !matched && depth < MAX_ALIAS_DEPTH;
		     alias = alias->next)
			for (name = alias->aliases; name; name = name->next) {
				const struct node *suffix = alias_suffix(pt, name);

				if (!suffix)
					continue;
				matched = 1;
				saved_tail = x->tail;
				x->tail = later_tail;
				use_alias(x, probe, pt, alias, name, suffix, depth);
				later_tail = x->tail;
				x->tail = saved_tail;
			}
		if (!matched) {
			pt->next = NULL;
			*plain_tail = pt;
			plain_tail = &pt->next;
		}
	}
	if (plain) {
		probe->points = plain;
		append_probe(x, probe);
	}
	if (later) {
		*x->tail = later;
		x->tail = later_tail;
	}
}

/* ---- probe point conditions ------------------------------------------ */

static int names_global(const struct program *prog, const char *name)
{
	const struct node *g;

	for (g = prog->globals; g; g = g->next)
		if (strcmp(g->str, name) == 0)
			return 1;
	return 0;
}

struct cond_check {
	const struct program *prog;
	int bad;
};

static void check_cond_node(struct node *n, void *arg)
{
	struct cond_check *cc = arg;

	if (n->kind == N_VAR && !names_global(cc->prog, n->str)) {
		diag_error("semantic error", &n->tok,
			   "probe point condition may only read global variables: '%s' is not one",
			   n->str);
		cc->bad = 1;
	}
	if (n->kind == N_ASSIGN || n->kind == N_INCDEC || n->kind == N_STAT_ADD) {
		diag_error("semantic error", &n->tok,
			   "probe point condition may not change variables");
		cc->bad = 1;
	}
}

/* `if (!(cond)) next` ahead of the body */
static struct node *guarded_body(struct node *cond, struct node *body)
{
	struct node *block = node_new(N_BLOCK, &body->tok);
	struct node *test = node_new(N_IF, &cond->tok);
	struct node *not = node_new(N_UNARY, &cond->tok);

	not->op = '!';
	not->lhs = cond;
	test->cond = not;
	test->then_ = node_new(N_NEXT, &cond->tok);
	test->then_->tok.text = "next";
	block->body = test;
	test->next = body;
	return block;
}

static int same_tree(const struct node *a, const struct node *b);

/* Two expressions written the same way (copies of one condition). */
static int same_list(const struct node *a, const struct node *b)
{
	for (; a && b; a = a->next, b = b->next)
		if (!same_tree(a, b))
			return 0;
	return !a && !b;
}

static int same_tree(const struct node *a, const struct node *b)
{
	if (!a || !b)
		return a == b;
	return a->kind == b->kind && a->op == b->op && a->num == b->num &&
	       (a->str == b->str || (a->str && b->str && strcmp(a->str, b->str) == 0)) &&
	       same_list(a->lhs, b->lhs) && same_list(a->rhs, b->rhs) &&
	       same_list(a->cond, b->cond) && same_list(a->then_, b->then_) &&
	       same_list(a->else_, b->else_) && same_list(a->args, b->args) &&
	       same_list(a->members, b->members);
}

/* Every point has the same condition (an alias use's, copied to each
 * point the alias stands for): one guard for the whole probe. */
static int one_condition(const struct node *probe)
{
	const struct node *pt;

	for (pt = probe->points; pt; pt = pt->next)
		if (!pt->cond || !same_tree(pt->cond, probe->points->cond))
			return 0;
	return 1;
}

/* A point with a condition gets a probe of its own whose handler checks
 * the condition first; the other points keep the original probe. */
static void lower_conditions(struct program *prog)
{
	struct node **pp, *probe;

	for (pp = &prog->probes; (probe = *pp); pp = &probe->next) {
		struct node *pt, **link = &probe->points;

		if (probe->points && probe->points->next && one_condition(probe)) {
			struct cond_check cc = { prog, 0 };

			walk_nodes(probe->points->cond, check_cond_node, &cc);
			probe->body = guarded_body(probe->points->cond, probe->body);
			for (pt = probe->points; pt; pt = pt->next)
				pt->cond = NULL;
			continue;
		}

		while ((pt = *link)) {
			struct cond_check cc = { prog, 0 };
			struct node *q;

			if (!pt->cond) {
				link = &pt->next;
				continue;
			}
			walk_nodes(pt->cond, check_cond_node, &cc);
			if (probe->points == pt && !pt->next) {
				/* the only point left: guard this probe itself */
				probe->body = guarded_body(pt->cond, probe->body);
				pt->cond = NULL;
				break;
			}
			*link = pt->next;
			pt->next = NULL;
			q = node_new(N_PROBE, &probe->tok);
			q->points = pt;
			q->body = guarded_body(pt->cond, clone_node(probe->body));
			pt->cond = NULL;
			q->next = probe->next;
			probe->next = q;
		}
	}
}

/* ---- @defined ---------------------------------------------------------- */

static int is_defined_node(const struct node *n, void *arg)
{
	(void)arg;
	return n->kind == N_DEFINED;
}

static int is_target_expr(const struct node *n, void *arg)
{
	(void)arg;
	return n->kind == N_TARGET || n->kind == N_AUTOCAST || n->kind == N_CAST ||
	       n->kind == N_ATVAR || n->kind == N_ENTRY || n->kind == N_REGISTER;
}

static int defined_never(struct node *target, void *arg)
{
	(void)target;
	(void)arg;
	return 0;
}

/* Is n a constant made of numbers, @defined and ! && ||?  Its value in *v.
 * @defined of a target variable, @cast or @var asks the oracle (which
 * binds it at the probe's points); with none, it is not known yet. */
static int const_value(const struct node *n, int64_t *v, const struct defined_oracle *o)
{
	int64_t a, b;

	switch (n->kind) {
	case N_NUMBER:
		*v = n->num;
		return 1;
	case N_DEFINED:
		if (n->lhs->kind == N_TARGET || n->lhs->kind == N_CAST || n->lhs->kind == N_ATVAR) {
			if (!o)
				return 0;
			*v = o->defined(n->lhs, o->arg);
			return 1;
		}
		*v = !any_node(n->lhs, is_target_expr, NULL);
		return 1;
	case N_UNARY:
		if (n->op != '!' || !const_value(n->lhs, &a, o))
			return 0;
		*v = !a;
		return 1;
	case N_BINARY:
		if ((n->op != OP_AND_AND && n->op != OP_OR_OR) ||
		    !const_value(n->lhs, &a, o) || !const_value(n->rhs, &b, o))
			return 0;
		*v = n->op == OP_AND_AND ? (a && b) : (a || b);
		return 1;
	default:
		return 0;
	}
}

/* Put `with` (or an empty statement) in n's place in its list. */
static void replace_node(struct node *n, const struct node *with, enum node_kind empty_kind)
{
	struct node *next = n->next;

	if (with) {
		*n = *with;
	} else {
		struct token_ref tok = n->tok;

		memset(n, 0, sizeof(*n));
		n->kind = empty_kind;
		n->tok = tok;
		n->temp = -1;
	}
	n->next = next;
}

/* `if (@defined($x)) A else B` keeps only the branch that applies, as
 * SystemTap does, so the other may name what does not resolve; the same
 * for `?:`, and a lone @defined becomes 0 or 1. */
static void fold_defined_node(struct node *n, void *arg)
{
	const struct defined_oracle *o = arg;
	int64_t v;

	/* a loop: the branch kept may be the next `else if (@defined...)` */
	while ((n->kind == N_IF || n->kind == N_TERNARY) &&
	       any_node(n->cond, is_defined_node, NULL) && const_value(n->cond, &v, o))
		replace_node(n, v ? n->then_ : n->else_, N_EMPTY);
	if (n->kind == N_DEFINED && const_value(n, &v, o)) {
		replace_node(n, NULL, N_NUMBER);
		n->num = v;
	}
}

/* ---- runtime overloading: `next` in a function ------------------------ */

static int count_list(const struct node *n)
{
	int k = 0;

	for (; n; n = n->next)
		k++;
	return k;
}

static int has_value_return(const struct node *n, void *arg)
{
	(void)arg;
	return n->kind == N_RETURN && n->lhs;
}

static int same_scope(const struct node *a, const struct node *b)
{
	if (a->is_private || b->is_private)
		return a->is_private && b->is_private &&
		       strcmp(a->tok.loc.file, b->tok.loc.file) == 0;
	return 1;
}

struct next_rewrite {
	struct node *fn;	/* the overload whose body is walked */
	struct node *to;	/* the overload `next` passes to, or NULL */
	int value;		/* the overloads return a value */
};

/* `next` -> `return NEXT(params...)` (or the call, then `return`) */
static void rewrite_next(struct node *n, void *arg)
{
	struct next_rewrite *r = arg;
	struct node *call, *p, **argtail;

	if (n->kind != N_NEXT)
		return;
	if (!r->to) {
		diag_error("semantic error", &n->tok,
			   "'next' in the last overload of function '%s': there is no further overload to pass to",
			   r->fn->tok.text);
		return;
	}
	call = node_new(N_CALL, &n->tok);
	call->str = r->to->str;
	argtail = &call->args;
	for (p = r->fn->params; p; p = p->next) {
		struct node *v = node_new(N_VAR, &n->tok);

		v->str = p->str;
		*argtail = v;
		argtail = &v->next;
	}
	if (r->value) {
		replace_node(n, NULL, N_RETURN);
		n->lhs = call;
	} else {
		struct node *stmt = node_new(N_EXPR_STMT, &n->tok);
		struct node *ret = node_new(N_RETURN, &n->tok);

		stmt->lhs = call;
		stmt->next = ret;
		replace_node(n, NULL, N_BLOCK);
		n->body = stmt;
	}
}

/* The same types, where both declare one. */
static int signatures_agree(const struct node *a, const struct node *b)
{
	const struct node *p, *q;

	if (a->decl_type && b->decl_type && a->decl_type != b->decl_type)
		return 0;
	for (p = a->params, q = b->params; p && q; p = p->next, q = q->next)
		if (p->decl_type && q->decl_type && p->decl_type != q->decl_type)
			return 0;
	return 1;
}

/*
 * Functions of one name and number of parameters (seen from the same
 * files) are overloads tried in order at run time, SystemTap 3.0+: a call
 * runs the first; `next` in one passes the same arguments on to the
 * following one.  The later ones get internal names ("f__overload2") so a
 * call finds only the first.
 */
static void chain_overloads(struct program *prog)
{
	struct node *f, *g;

	for (f = prog->functions; f; f = f->next) {
		struct node *chain[64];
		int n = 0, nparams = count_list(f->params), value = 0, i;

		if (f->body->kind == N_EMBEDDED)
			continue;
		chain[n++] = f;
		for (g = f->next; g && n < 64; g = g->next)
			if (strcmp(g->str, f->str) == 0 && count_list(g->params) == nparams &&
			    same_scope(f, g) && g->body->kind != N_EMBEDDED) {
				if (!signatures_agree(f, g)) {
					diag_error("semantic error", &g->tok,
						   "overloads of function '%s' with %d parameter%s must have the same types",
						   f->str, nparams, nparams == 1 ? "" : "s");
					diag_error("semantic error", &f->tok,
						   "the first overload of '%s' is here", f->str);
				}
				chain[n++] = g;
			}
		if (n == 1)
			continue;
		for (i = 0; i < n; i++)
			if ((chain[i]->decl_type && chain[i]->decl_type != TYPE_VOID) ||
			    any_node(chain[i]->body, has_value_return, NULL))
				value = 1;
		for (i = 1; i < n; i++) {
			char *name = xasprintf("%s__overload%d", f->str, i + 1);

			chain[i]->str = ast_strdup(name);
			free(name);
		}
		for (i = 0; i < n; i++) {
			struct next_rewrite r = { chain[i], i + 1 < n ? chain[i + 1] : NULL, value };

			walk_nodes(chain[i]->body, rewrite_next, &r);
		}
	}
}

void expand_probes(struct program *prog, int points_only)
{
	struct expansion x = { .prog = prog, .points_only = points_only };
	struct node *probe, *next, *expanded = NULL, *fn;

	/* in functions there are no target variables ($x is never defined) */
	static const struct defined_oracle in_function = { defined_never, NULL };

	for (fn = prog->functions; fn; fn = fn->next)
		walk_nodes(fn->body, fold_defined_node, (void *)&in_function);
	chain_overloads(prog);
	x.tail = &expanded;
	for (probe = prog->probes; probe; probe = next) {
		next = probe->next;
		expand_probe(&x, probe, 0);
	}
	*x.tail = NULL;
	prog->probes = expanded;
	lower_conditions(prog);
	/* last, so alias bodies and conditions are folded where they ended up;
	 * @defined($x) waits for the points (fold_defined below) */
	for (probe = prog->probes; probe; probe = probe->next)
		walk_nodes(probe->body, fold_defined_node, NULL);
}

void fold_defined(struct node *body, const struct defined_oracle *o)
{
	walk_nodes(body, fold_defined_node, (void *)o);
}
