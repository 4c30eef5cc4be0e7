/* elaborate_arrays.c - pass 2 for global arrays and statistics: arity and
 * key types of every array, `<<<` and the extractors, histogram shapes,
 * `in`, foreach and delete. */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "util.h"
#include "walk.h"
#include "elaborate_internal.h"

#define MAX_FOREACH_LEVELS 4	/* snapshots of one array, see place_foreach_snapshots() */

struct symbol *lvalue_symbol(struct node *n)
{
	if (n->kind == N_INDEX)
		return n->lhs->kind == N_VAR ? n->lhs->sym : NULL;
	return n->kind == N_VAR ? n->sym : NULL;
}

static int count_keys(const struct node *keys)
{
	int n = 0;

	for (; keys; keys = keys->next)
		n++;
	return n;
}

/* The array an N_INDEX, N_IN or N_FOREACH names, checked to be a global
 * used with `nkeys` keys everywhere; NULL (and an error) otherwise. */
static struct symbol *array_of(struct elab *e, struct node *var, int nkeys, struct node *at)
{
	struct symbol *s;

	if (var->kind != N_VAR) {
		if (e->reporting)
			diag_error("semantic error", &var->tok,
				   "'in' needs an array, not a histogram");
		return NULL;
	}
	s = var->sym;
	if (s->kind != SYM_GLOBAL) {
		if (e->reporting)
			diag_error("semantic error", &var->tok,
				   "array '%s' must be declared global", s->name);
		return NULL;
	}
	if (nkeys > 9) {
		if (e->reporting)
			diag_error("semantic error", &at->tok, "arrays have at most 9 keys");
		return NULL;
	}
	if (s->arity < 0) {
		s->arity = nkeys;
		s->arity_origin = at;
		e->changed = 1;
	} else if (s->arity != nkeys) {
		if (e->reporting) {
			diag_error("semantic error", &at->tok,
				   "'%s' used with %d key%s here", s->name, nkeys,
				   nkeys == 1 ? "" : "s");
			diag_error("semantic error", &s->arity_origin->tok,
				   "but with %d key%s here", s->arity, s->arity == 1 ? "" : "s");
		}
		return NULL;
	}
	return s;
}

/* Keys take the array's key types, whichever side tells first.  A '*'
 * (any value) is for slices only: delete, `in` and a foreach's array. */
static void unify_keys(struct elab *e, struct symbol *s, struct node *keys, int wildcard_ok)
{
	struct node *origin_dummy = NULL;
	int i;

	for (i = 0; keys; keys = keys->next, i++) {
		if (keys->kind == N_WILDCARD) {
			if (!wildcard_ok && e->reporting)
				diag_error("semantic error", &keys->tok,
					   "wildcard not allowed in array index");
			continue;
		}
		if (!s) {	/* a histogram's bucket number */
			infer(e, keys);
			require(e, keys, TYPE_LONG);
			continue;
		}
		unify_with(e, keys, &s->key_types[i], &origin_dummy);
	}
}

/* A scalar global used as such: it must not be an array. */
void scalar_use(struct elab *e, struct node *var)
{
	struct symbol *s = var->sym;

	if (s->kind != SYM_GLOBAL)
		return;
	if (s->arity < 0) {
		s->arity = 0;
		s->arity_origin = var;
		e->changed = 1;
	} else if (s->arity > 0 && e->reporting) {
		diag_error("semantic error", &var->tok,
			   "array '%s' used without keys", s->name);
		diag_error("semantic error", &s->arity_origin->tok,
			   "'%s' is an array with %d key%s here", s->name, s->arity,
			   s->arity == 1 ? "" : "s");
	}
}

/* A statistic operand (of <<<, @count, @hist_log ...): a scalar global or
 * an array element holding statistics. */
static void stat_operand(struct elab *e, struct node *x)
{
	if (x->kind == N_VAR)
		scalar_use(e, x);
	if (x->kind != N_VAR && x->kind != N_INDEX) {
		if (e->reporting)
			diag_error("semantic error", &x->tok,
				   "expected a global statistic or an array element");
		return;
	}
	if (x->kind == N_VAR && x->sym->kind != SYM_GLOBAL) {
		if (e->reporting)
			diag_error("semantic error", &x->tok,
				   "statistic '%s' must be declared global", x->str);
		return;
	}
	infer(e, x);
	require(e, x, TYPE_STATS);
}

static void hist_shape(struct elab *e, struct node *h)
{
	struct symbol *s = lvalue_symbol(h->lhs);
	int64_t v[3] = { 0, 0, 0 };
	struct node *a;
	int i;

	if (!s)
		return;
	for (a = h->args, i = 0; a && i < 3; a = a->next, i++) {
		if (a->kind != N_NUMBER) {
			if (e->reporting)
				diag_error("semantic error", &a->tok,
					   "@hist_linear bounds must be literal numbers");
			return;
		}
		v[i] = a->num;
	}
	if (h->op == HIST_LINEAR && (v[2] <= 0 || v[1] <= v[0] ||
				     (v[1] - v[0]) / v[2] + 3 > 128)) {
		if (e->reporting)
			diag_error("semantic error", &h->tok,
				   "@hist_linear(x, start, stop, interval) needs start < stop, interval > 0 and at most 125 buckets");
		return;
	}
	if (!s->hist_kind) {
		s->hist_kind = h->op;
		s->hist_start = v[0];
		s->hist_stop = v[1];
		s->hist_interval = v[2];
		s->hist_origin = h;
	} else if (s->hist_kind != h->op || s->hist_start != v[0] ||
		   s->hist_stop != v[1] || s->hist_interval != v[2]) {
		if (e->reporting) {
			diag_error("semantic error", &h->tok,
				   "'%s' is printed as a different histogram here", s->name);
			diag_error("semantic error", &s->hist_origin->tok,
				   "than here: one statistic keeps one histogram");
		}
	}
}

enum stp_type infer_array_expr(struct elab *e, struct node *n)
{
	struct symbol *s;
	int wildcard_ok = e->wildcard_ok;

	e->wildcard_ok = 0;	/* not for the keys' own subexpressions */
	switch (n->kind) {
	case N_INDEX:
		if (n->lhs->kind == N_HIST) {
			/* @hist_log(s)[i]: the count in bucket i */
			infer(e, n->lhs);
			unify_keys(e, NULL, n->args, 0);
			n->type = TYPE_LONG;
			break;
		}
		s = array_of(e, n->lhs, count_keys(n->args), n);
		if (s) {
			unify_keys(e, s, n->args, wildcard_ok);
			n->type = s->type;
		}
		break;
	case N_IN:
		s = array_of(e, n->rhs, count_keys(n->args), n);
		if (s)
			unify_keys(e, s, n->args, 1);
		n->type = TYPE_LONG;
		break;
	case N_STAT_ADD:
		stat_operand(e, n->lhs);
		infer(e, n->rhs);
		require(e, n->rhs, TYPE_LONG);
		n->type = TYPE_VOID;
		break;
	case N_AGGREGATE:
		stat_operand(e, n->lhs);
		n->type = TYPE_LONG;
		break;
	case N_HIST:
		stat_operand(e, n->lhs);
		hist_shape(e, n);
		n->type = TYPE_VOID;	/* only print() takes it */
		break;
	default:
		break;
	}
	return n->type;
}

/* An assignment, ++ or delete writes x: not a histogram's bucket. */
void check_not_bucket(struct elab *e, struct node *x)
{
	if (x->kind == N_INDEX && x->lhs->kind == N_HIST && e->reporting)
		diag_error("semantic error", &x->tok,
			   "histogram buckets are read-only: they count the values given with <<<");
}

void check_delete(struct elab *e, struct node *s)
{
	struct node *x = s->lhs;
	int i;

	check_not_bucket(e, x);
	if (x->kind == N_INDEX) {
		e->wildcard_ok = 1;	/* delete a[*, k]: every match */
		infer(e, x);
		e->wildcard_ok = 0;
	} else if (x->kind == N_VAR && x->sym->kind == SYM_GLOBAL && x->sym->arity != 0) {
		/* the whole array (or not known yet: other uses will tell) */
	} else if (x->kind == N_VAR) {
		infer(e, x);	/* a scalar: reset */
	} else if (e->reporting) {
		diag_error("semantic error", &x->tok, "cannot delete this");
	}
	for (i = 0; i < e->n_iterating; i++)
		if (lvalue_symbol(x) == e->iterating[i] && e->reporting)
			diag_error("semantic error", &s->tok,
				   "cannot delete from '%s' while foreach iterates over it",
				   e->iterating[i]->name);
}

/* A foreach variable that takes longs. */
static void long_local(struct elab *e, struct node *k)
{
	struct node *origin_dummy = NULL;
	enum stp_type t = TYPE_LONG;

	if (k->kind != N_VAR || k->sym->kind != SYM_LOCAL)
		return;
	k->sym->assigned = 1;
	unify_with(e, k, &t, &origin_dummy);
}

/* foreach (b in @hist_log(s)): b walks the bucket numbers in order, all
 * of them, as SystemTap does; @hist_log(s)[b] is the count. */
static void walk_foreach_buckets(struct elab *e, struct node *s)
{
	struct node *k = s->args;

	infer(e, s->rhs);
	if (e->reporting) {
		if (k->next || k->kind != N_VAR || k->sym->kind != SYM_LOCAL)
			diag_error("semantic error", &k->tok,
				   "foreach over a histogram takes one local variable, the bucket number");
		else if (s->lhs)
			diag_error("semantic error", &s->lhs->tok,
				   "foreach over a histogram has no value variable; use %s(...)[%s]",
				   s->rhs->op == HIST_LOG ? "@hist_log" : "@hist_linear", k->str);
		else if (s->slice)
			diag_error("semantic error", &s->slice->tok,
				   "a histogram cannot be sliced");
		else if (s->sort_dir)
			diag_error("semantic error", &s->tok,
				   "histogram buckets are walked in order; they cannot be sorted");
	}
	long_local(e, k);
	if (s->lhs)
		long_local(e, s->lhs);	/* reported above; spare a second error */
	if (s->limit) {
		infer(e, s->limit);
		require(e, s->limit, TYPE_LONG);
	}
	e->loop_depth++;
	walk_statements(e, s->body);
	e->loop_depth--;
}

void walk_foreach(struct elab *e, struct node *s)
{
	struct symbol *arr;
	struct node *k;
	int i, pushed = 0;

	if (s->rhs->kind == N_HIST) {
		walk_foreach_buckets(e, s);
		return;
	}
	arr = array_of(e, s->rhs, count_keys(s->args), s->rhs);
	if (arr && s->slice) {
		if (count_keys(s->slice) != arr->arity) {
			if (e->reporting)
				diag_error("semantic error", &s->slice->tok,
					   "the slice of '%s' has %d key%s, the array %d",
					   arr->name, count_keys(s->slice),
					   count_keys(s->slice) == 1 ? "" : "s", arr->arity);
		} else {
			unify_keys(e, arr, s->slice, 1);
		}
	}
	if (arr) {
		struct node *origin_dummy = NULL;

		for (k = s->args, i = 0; k; k = k->next, i++) {
			if (k->kind != N_VAR || k->sym->kind != SYM_LOCAL) {
				if (e->reporting)
					diag_error("semantic error", &k->tok,
						   "foreach keys must be local variables");
				continue;
			}
			k->sym->assigned = 1;
			unify_with(e, k, &arr->key_types[i], &origin_dummy);
		}
		if (s->lhs) {
			s->lhs->sym->assigned = 1;
			if (arr->type == TYPE_STATS && e->reporting)
				diag_error("semantic error", &s->lhs->tok,
					   "a statistic cannot be assigned to a variable; use @count(%s[...]) and the like",
					   arr->name);
			else
				unify_with(e, s->lhs, &arr->type, &origin_dummy);
		}
		if (e->reporting && s->sort_dir && s->sort_col > arr->arity)
			diag_error("semantic error", &s->tok,
				   "'%s' has no key %d to sort by", arr->name, s->sort_col);
		/* "arr @sum-": statistics sort by one aggregate, @count unless named */
		if (e->reporting && s->str && arr->type != TYPE_STATS && arr->type != TYPE_UNKNOWN)
			diag_error("semantic error", &s->tok,
				   "'%s' holds no statistics to sort by @%s", arr->name, s->str);
		else if (e->reporting && s->str && strcmp(s->str, "variance") == 0)
			diag_error("semantic error", &s->tok,
				   "statistics sort by @count, @sum, @min, @max or @avg, not @variance");
		/* a loop inside another over the same array walks its own
		 * snapshot of the entries */
		s->num = 0;
		for (i = 0; i < e->n_iterating; i++)
			if (e->iterating[i] == arr)
				s->num++;
		if (s->num >= MAX_FOREACH_LEVELS && e->reporting)
			diag_error("semantic error", &s->tok,
				   "foreach loops over '%s' nest at most %d deep", arr->name,
				   MAX_FOREACH_LEVELS);
		if (arr->foreach_levels < s->num + 1)
			arr->foreach_levels = (int)s->num + 1;
	}
	if (s->limit) {
		infer(e, s->limit);
		require(e, s->limit, TYPE_LONG);
	}
	if (e->n_iterating < 16) {
		e->iterating[e->n_iterating++] = arr;
		pushed = 1;
	}
	e->loop_depth++;
	walk_statements(e, s->body);
	e->loop_depth--;
	if (pushed)
		e->n_iterating--;
}

/* ---- foreach snapshots through function calls ----
 *
 * A foreach walks a snapshot of its array at a nesting level (stp_map.h);
 * loops that can be active at once over one array need different levels.
 * In one body that is the lexical nesting (walk_foreach).  A function
 * called inside loops over an array starts its own loops over it above
 * those: its base level for the array is the most, over its call sites, of
 * the caller's base plus the loops around the call.  Recursion through such
 * a loop would need unbounded levels and is reported by the cap. */

struct snapshot_base {
	struct handler *fn;
	struct symbol *arr;
	int base;
};

struct nesting {
	struct snapshot_base *bases;
	int n_bases;
	struct handler *h;		/* the body being walked */
	struct symbol *stack[64];	/* arrays of the enclosing loops */
	int depth;
	int changed;
	int final;			/* set the loops' levels */
};

static int *base_slot(struct nesting *w, struct handler *fn, struct symbol *arr)
{
	int i;

	for (i = 0; i < w->n_bases; i++)
		if (w->bases[i].fn == fn && w->bases[i].arr == arr)
			return &w->bases[i].base;
	w->bases = realloc(w->bases, sizeof(*w->bases) * (w->n_bases + 1));
	if (!w->bases)
		abort();
	w->bases[w->n_bases] = (struct snapshot_base){ fn, arr, 0 };
	return &w->bases[w->n_bases++].base;
}

static int loops_around(const struct nesting *w, const struct symbol *arr)
{
	int i, k = 0;

	for (i = 0; i < w->depth; i++)
		k += w->stack[i] == arr;
	return k;
}

static void raise_base(struct nesting *w, struct handler *callee, struct symbol *arr, int level)
{
	int *b = base_slot(w, callee, arr);

	if (level > MAX_FOREACH_LEVELS)
		level = MAX_FOREACH_LEVELS;	/* enough to report; ends recursion */
	if (level > *b) {
		*b = level;
		w->changed = 1;
	}
}

static void nesting_enter(struct node *n, void *arg)
{
	struct nesting *w = arg;
	int i;

	if (n->kind == N_CALL && n->sym && n->sym->fn) {
		int nb = w->n_bases;

		for (i = 0; i < w->depth; i++)
			raise_base(w, n->sym->fn, w->stack[i],
				   *base_slot(w, w->h, w->stack[i]) + loops_around(w, w->stack[i]));
		for (i = 0; i < nb; i++)
			if (w->bases[i].fn == w->h && w->bases[i].base > 0)
				raise_base(w, n->sym->fn, w->bases[i].arr,
					   w->bases[i].base + loops_around(w, w->bases[i].arr));
	}
	if (n->kind != N_FOREACH || n->rhs->kind != N_VAR || !n->rhs->sym)
		return;
	if (w->final) {
		int base = *base_slot(w, w->h, n->rhs->sym);
		int level = base + loops_around(w, n->rhs->sym);

		n->num = level;
		if (level >= MAX_FOREACH_LEVELS && base > 0)
			diag_error("semantic error", &n->tok,
				   "foreach loops over '%s' nest at most %d deep, counting the loops around the calls of this function",
				   n->rhs->sym->name, MAX_FOREACH_LEVELS);
		else if (n->rhs->sym->foreach_levels < level + 1)
			n->rhs->sym->foreach_levels = level + 1;
	}
	if (w->depth < 64)
		w->stack[w->depth] = n->rhs->sym;
	w->depth++;
}

static void nesting_leave(struct node *n, void *arg)
{
	struct nesting *w = arg;

	if (n->kind == N_FOREACH && n->rhs->kind == N_VAR && n->rhs->sym)
		w->depth--;
}

static void walk_nesting(struct nesting *w, struct resolved_program *rp)
{
	struct handler *lists[2] = { rp->handlers, rp->functions }, *h;
	int i;

	for (i = 0; i < 2; i++)
		for (h = lists[i]; h; h = h->next) {
			if (h->is_function && !h->reachable)
				continue;
			w->h = h;
			w->depth = 0;
			walk_nodes_around(h->probe->body, nesting_enter, nesting_leave, w);
		}
}

void place_foreach_snapshots(struct resolved_program *rp)
{
	struct nesting w = { 0 };

	do {
		w.changed = 0;
		walk_nesting(&w, rp);
	} while (w.changed);
	w.final = 1;
	walk_nesting(&w, rp);
	free(w.bases);
}
