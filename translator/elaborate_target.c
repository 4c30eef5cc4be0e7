/* elaborate_target.c - pass 2 for target variables ($name, $name->a[2],
 * $$parms ...).  The provider of each probe point binds them to C (a
 * kprobe reads registers, a tracepoint its arguments, debuginfo follows
 * DWARF locations); this file only asks it and checks that every point of
 * the probe agrees, since the points of one probe share one handler.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "dwarf_info.h"
#include "elaborate_internal.h"
#include "provider.h"
#include "util.h"
#include "walk.h"

static int bind_at(struct resolved_point *pt, struct node *n,
		   struct target_binding *b, char *err, size_t errlen)
{
	if (!pt->provider || !pt->provider->bind_target) {
		snprintf(err, errlen, "target variable '%s' is not available at probe point '%s'",
			 n->str, pt->pp ? pt->pp : "?");
		return -1;
	}
	return pt->provider->bind_target(pt, n, b, err, errlen);
}

/* [expr] in a target chain: a long, computed at run time */
static void infer_subscripts(struct elab *e, struct node *n)
{
	struct node *m;

	for (m = n->members; m; m = m->next)
		if (m->kind == N_SUBSCRIPT && m->lhs && m->lhs->kind != N_NUMBER) {
			infer(e, m->lhs);
			require(e, m->lhs, TYPE_LONG);
		}
}

enum stp_type infer_target(struct elab *e, struct node *n)
{
	struct resolved_point *pt;
	char err[512] = "";
	int bound = 0;

	infer_subscripts(e, n);
	if (n->c_expr)
		return n->type;
	if (e->handler->is_function) {
		if (e->reporting)
			diag_error("semantic error", &n->tok,
				   "target variable '%s' in a function: target variables belong to probe handlers (pass the value as an argument)",
				   n->str);
		/* a guess that keeps this one mistake from cascading */
		return n->type = TYPE_LONG;
	}
	for (pt = e->rp->points; pt; pt = pt->next) {
		struct target_binding b = { 0 };

		if (pt->handler != e->handler)
			continue;
		if (bind_at(pt, n, &b, err, sizeof(err)) != 0)
			goto fail;
		if (!bound) {
			n->c_expr = ast_strdup(b.c_expr);
			n->type = b.type;
			bound = 1;
		} else if (strcmp(b.c_expr, n->c_expr) != 0 || b.type != n->type) {
			snprintf(err, sizeof(err),
				 "target variable '%s' differs between the points of this probe (at '%s'); give that point a probe of its own",
				 n->str, pt->pp ? pt->pp : "?");
			free(b.c_expr);
			free(b.c_store);
			goto fail;
		}
		free(b.c_expr);
		free(b.c_store);
	}
	if (bound) {
		e->changed = 1;
		return n->type;
	}
	snprintf(err, sizeof(err), "target variable '%s' has no probe point to bind it", n->str);
fail:
	n->c_expr = NULL;
	if (e->reporting)
		diag_error("semantic error", &n->tok, "%s", err);
	return n->type = TYPE_LONG;
}

void check_target_write(struct elab *e, struct node *n)
{
	struct resolved_point *pt;
	char err[512] = "";

	if (n->kind != N_TARGET || !e->reporting || !n->c_expr)
		return;
	for (pt = e->rp->points; pt; pt = pt->next) {
		struct target_binding b = { 0 };
		int writable;

		if (pt->handler != e->handler)
			continue;
		if (bind_at(pt, n, &b, err, sizeof(err)) != 0)
			return;		/* reported by infer_target */
		writable = b.writable;
		if (writable && b.c_strstore)
			n->c_strstore = b.c_strstore;
		free(b.c_expr);
		if (!writable && b.c_store && !e->guru) {
			free(b.c_store);
			diag_error("semantic error", &n->tok,
				   "write to target variable not permitted; need stap -g");
			return;
		}
		if (!writable && b.c_store) {
			n->c_store = ast_strdup(b.c_store);
			free(b.c_store);
			continue;
		}
		free(b.c_store);
		if (!writable) {
			diag_error("semantic error", &n->tok,
				   "target variable '%s' cannot be assigned at probe point '%s'",
				   n->str, pt->pp);
			return;
		}
	}
}

/* ---- @cast(ptr, "type" [, "module"]) and @var("name[@file]" [, "module"]) */

#define MAX_CAST_ACCESS 16

enum stp_type infer_cast(struct elab *e, struct node *n)
{
	struct dwarf_access access[MAX_CAST_ACCESS];
	struct node *m;
	char err[2600] = "";
	char *c_expr = NULL;
	int k = 0, slots = 0;

	infer_subscripts(e, n);
	if (n->kind == N_CAST) {	/* @var has no pointer */
		infer(e, n->lhs);
		require(e, n->lhs, TYPE_LONG);
	}
	if (n->c_expr)
		return n->type;
	for (m = n->members; m; m = m->next) {
		if (k == MAX_CAST_ACCESS) {
			snprintf(err, sizeof(err), "@cast: more than %d members and subscripts", MAX_CAST_ACCESS);
			goto fail;
		}
		access[k].index_slot = -1;
		if (m->kind == N_MEMBER) {
			access[k].member = m->str;
			access[k].index = 0;
		} else if (m->lhs && m->lhs->kind == N_NUMBER) {
			access[k].member = NULL;
			access[k].index = m->lhs->num;
		} else if (slots < 10) {
			access[k].member = NULL;
			access[k].index = 0;
			access[k].index_slot = slots++;
		} else {
			snprintf(err, sizeof(err), "more than 10 subscripts that are not numbers");
			goto fail;
		}
		k++;
	}
	if (n->pretty && n->addr_of) {
		snprintf(err, sizeof(err), "cannot take the address of a pretty-printed @cast: it is a string");
		goto fail;
	}
	if (n->kind == N_ATVAR ? dwarf_bind_atvar(n->str, n->module, access, k, n->addr_of, n->pretty,
						   &c_expr, err, sizeof(err)) != 0
	    : dwarf_bind_cast(n->str, n->module, access, k, n->addr_of, n->pretty, &c_expr, err,
			      sizeof(err)) != 0)
		goto fail;
	n->c_expr = ast_strdup(c_expr);
	free(c_expr);
	n->type = n->pretty ? TYPE_STRING : TYPE_LONG;
	e->changed = 1;
	return n->type;
fail:
	if (e->reporting)
		diag_error("semantic error", &n->tok, "%s", err);
	return n->type = n->pretty ? TYPE_STRING : TYPE_LONG;
}

/* @defined(TARGET) with the points resolved: 1 if it binds at every point
 * of the handler (for @cast and @var: if the type or variable is found). */
int target_is_defined(struct node *n, void *elab)
{
	struct elab *e = elab;
	struct resolved_point *pt;
	char err[2600];
	int any = 0;

	if (n->kind == N_CAST || n->kind == N_ATVAR) {
		struct node copy = *n;
		struct elab quiet = *e;
		int ok;

		quiet.reporting = 0;
		copy.c_expr = NULL;
		copy.lhs = NULL;	/* the pointer is not needed to decide */
		if (n->kind == N_CAST) {
			struct dwarf_access access[MAX_CAST_ACCESS];
			char *c_expr = NULL;
			int k = 0;
			struct node *m;

			for (m = n->members; m && k < MAX_CAST_ACCESS; m = m->next, k++) {
				access[k].member = m->kind == N_MEMBER ? m->str : NULL;
				access[k].index = 0;
				access[k].index_slot = -1;
			}
			ok = dwarf_bind_cast(n->str, n->module, access, k, n->addr_of, n->pretty, &c_expr,
					     err, sizeof(err)) == 0;
			free(c_expr);
			return ok;
		}
		(void)infer_cast(&quiet, &copy);
		return copy.c_expr != NULL;
	}
	for (pt = e->rp->points; pt; pt = pt->next) {
		struct target_binding b = { 0 };

		if (pt->handler != e->handler)
			continue;
		if (bind_at(pt, n, &b, err, sizeof(err)) != 0) {
			/* a whole struct is defined too, though only its
			 * members or its pretty form can be read */
			struct node whole = *n;

			whole.pretty = 1;
			whole.addr_of = 0;
			if (n->pretty || bind_at(pt, &whole, &b, err, sizeof(err)) != 0)
				return 0;
		}
		free(b.c_expr);
		free(b.c_store);
		any = 1;
	}
	return any;
}

/* @entry(expr) in a .return probe: the value expr had at the function's
 * entry.  Parameters in .return probes already read the registers saved
 * at entry, so @entry($param) is $param.  Any other expression is moved
 * into the probe's entry part, a handler the kretprobe's entry handler
 * runs (as SystemTap runs a synthesized entry probe), which saves its
 * value with the call; @entry reads it back (split_entry_values). */
static int is_plain_param(const struct node *x)
{
	return x->kind == N_TARGET && !x->members && !x->pretty && !x->addr_of &&
	       x->str[1] != '$' && strcmp(x->str, "$return") != 0;
}

#define MAX_ENTRY_EXPRS 32	/* bits of the runtime's flags word */
#define MAX_USER_ENTRY_EXPRS 8	/* runtime's STP_UPROBE_ENTRY_EXPRS */

struct entry_split {
	struct elab *e;
	struct handler *h;	/* the .return probe's */
	struct node *saves, *last;
	int k;
	int max;		/* MAX_ENTRY_EXPRS, fewer for user programs */
};

static struct node *number_node(const struct token_ref *tok, int64_t v)
{
	struct node *n = node_new(N_NUMBER, tok);

	n->num = v;
	return n;
}

/* A .return probe's $param that its points cannot read from the registers
 * saved at entry (a struct passed in pieces): it is computed by the entry
 * part instead, as if written @entry($param...) */
static int needs_entry_part(struct entry_split *sp, struct node *t)
{
	struct resolved_point *pt;
	char err[512];

	if (t->kind != N_TARGET || t->pretty || t->addr_of || t->str[1] == '$' ||
	    strcmp(t->str, "$return") == 0)
		return 0;
	for (pt = sp->e->rp->points; pt; pt = pt->next) {
		struct target_binding b = { 0 };
		int rc;

		if (pt->handler != sp->h)
			continue;
		rc = bind_at(pt, t, &b, err, sizeof(err));
		free(b.c_expr);
		free(b.c_store);
		if (rc == -2)
			return 1;
	}
	return 0;
}

/* @entry($name) where $name at the return is not read from the values
 * saved at entry (a global variable): computed at entry like any EXPR */
static int global_at_return(struct entry_split *sp, struct node *t)
{
	struct resolved_point *pt;
	char err[512];

	for (pt = sp->e->rp->points; pt; pt = pt->next) {
		struct target_binding b = { 0 };
		int saved;

		if (pt->handler != sp->h)
			continue;
		if (bind_at(pt, t, &b, err, sizeof(err)) != 0) {
			free(b.c_expr);
			free(b.c_store);
			return 0;	/* its error is reported where it is read */
		}
		saved = b.c_expr && strstr(b.c_expr, "stp_dwarf_entry(") != NULL;
		free(b.c_expr);
		free(b.c_store);
		if (!saved)
			return 1;
	}
	return 0;
}

static void split_one(struct node *n, void *arg)
{
	struct entry_split *sp = arg;
	struct node *save, *call, *read;

	if (sp->k < sp->max && needs_entry_part(sp, n)) {
		struct node *inner = node_new(N_TARGET, &n->tok), *next = n->next;

		*inner = *n;	/* n becomes @entry(inner), in place */
		inner->next = NULL;
		memset(n, 0, sizeof(*n));
		n->kind = N_ENTRY;
		n->tok = inner->tok;
		n->temp = -1;
		n->next = next;
		n->lhs = inner;
	} else if (n->kind != N_ENTRY || !n->lhs || sp->k == sp->max ||
		   (is_plain_param(n->lhs) && !global_at_return(sp, n->lhs))) {
		return;
	}
	/* entry part: __stp_entry_save(k, EXPR) */
	call = node_new(N_CALL, &n->tok);
	call->str = "__stp_entry_save";
	call->args = number_node(&n->tok, sp->k);
	call->args->next = n->lhs;
	n->lhs->next = NULL;
	save = node_new(N_EXPR_STMT, &n->tok);
	save->lhs = call;
	if (sp->last)
		sp->last->next = save;
	else
		sp->saves = save;
	sp->last = save;
	/* here: @entry(__stp_entry_value(k)), or _str once its type is known */
	read = node_new(N_CALL, &n->tok);
	read->str = "__stp_entry_value";
	read->args = number_node(&n->tok, sp->k);
	n->entry_expr = call->args->next;
	n->lhs = read;
	sp->k++;
}

struct handler *split_entry_values(struct elab *e, struct node *probe, struct handler *h)
{
	struct entry_split sp = { .e = e, .h = h, .max = MAX_ENTRY_EXPRS };
	struct resolved_point *pt, **tail, *last_of_h = NULL;
	struct handler *part;
	struct node *body;

	for (pt = e->rp->points; pt; pt = pt->next) {
		if (pt->handler != h)
			continue;
		if (!pt->is_return || !pt->provider || (strcmp(pt->provider->name, "dwarf") != 0 &&
							 strcmp(pt->provider->name, "process") != 0))
			return NULL;	/* infer_entry says what is not supported */
		/* a uprobe keeps the values in its call's frame of the
		 * per-thread table (runtime/stp_uprobe_entry.h): numbers only */
		if (strcmp(pt->provider->name, "process") == 0)
			sp.max = MAX_USER_ENTRY_EXPRS;
		last_of_h = pt;
	}
	if (!last_of_h)
		return NULL;
	walk_nodes(probe->body, split_one, &sp);
	if (!sp.k)
		return NULL;
	part = xcalloc(1, sizeof(*part));
	part->is_entry_part = 1;
	part->probe = node_new(N_PROBE, &probe->tok);
	part->probe->points = probe->points;
	body = node_new(N_BLOCK, &probe->tok);
	body->body = sp.saves;
	part->probe->body = body;
	/* its points: one per .return point, run at that point's entry */
	for (tail = &e->rp->points; *tail; tail = &(*tail)->next)
		;
	for (pt = e->rp->points; pt; pt = pt->next) {
		struct resolved_point *cp;

		if (pt->handler != h)
			continue;
		cp = xcalloc(1, sizeof(*cp));
		cp->provider = pt->provider;
		cp->point = pt->point;
		cp->pp = xstrdup(pt->pp);
		cp->symbol = pt->symbol ? xstrdup(pt->symbol) : NULL;
		cp->offset = pt->offset;
		cp->optional = pt->optional;
		cp->handler = part;
		cp->entry_of = pt;
		cp->entry_exprs = sp.k;
		*tail = cp;
		tail = &cp->next;
		e->rp->n_points++;
		if (pt == last_of_h)
			break;
	}
	return part;
}

static int saves_string(const struct node *n, void *arg)
{
	(void)arg;
	return n->kind == N_CALL && n->str && strcmp(n->str, "__stp_entry_save_str") == 0;
}

void mark_entry_strings(struct resolved_program *rp)
{
	struct handler *h;
	struct resolved_point *pt;

	for (h = rp->handlers; h; h = h->next)
		if (h->is_entry_part && any_node(h->probe->body, saves_string, NULL))
			for (pt = rp->points; pt; pt = pt->next)
				if (pt->handler == h)
					pt->entry_strings = 1;
}

enum stp_type infer_entry(struct elab *e, struct node *n)
{
	struct resolved_point *pt;
	int is_return = 0;

	for (pt = e->rp->points; pt; pt = pt->next)
		if (pt->handler == e->handler && pt->is_return)
			is_return = 1;
	if (e->handler->is_function || !is_return) {
		if (e->reporting)
			diag_error("semantic error", &n->tok, "@entry is only valid in .return probes");
		return n->type = TYPE_LONG;
	}
	if (n->entry_expr) {	/* computed by the entry part, typed there */
		enum stp_type t = n->entry_expr->type;

		if (t != TYPE_LONG && t != TYPE_STRING)
			return n->type = TYPE_UNKNOWN;	/* not yet */
		for (pt = e->rp->points; t == TYPE_STRING && pt; pt = pt->next)
			if (pt->handler == e->handler && pt->provider &&
			    strcmp(pt->provider->name, "process") == 0) {
				if (e->reporting)
					diag_error("semantic error", &n->tok,
						   "@entry of a string in a .return probe of a user program is not supported yet (only numbers)");
				return n->type = TYPE_STRING;
			}
		n->lhs->str = t == TYPE_STRING ? "__stp_entry_value_str" : "__stp_entry_value";
		return n->type = infer(e, n->lhs);
	}
	if (!is_plain_param(n->lhs)) {
		if (e->reporting)
			diag_error("semantic error", &n->tok,
				   "@entry of an expression is not supported yet: only @entry($parameter) (its value at entry)");
		return n->type = TYPE_LONG;
	}
	return n->type = infer(e, n->lhs);
}
