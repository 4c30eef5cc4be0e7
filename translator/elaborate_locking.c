/* elaborate_locking.c - pass 2's last step: which globals can be updated
 * with atomic adds, and which probe bodies must take the globals lock.
 *
 * The fewer bodies lock, the cheaper the probe path: `n++` on a global that
 * is only ever added to becomes one atomic instruction, and statistics
 * (`x <<< v`) go to per-CPU accumulators.
 */
#include "elaborate_internal.h"
#include "walk.h"

static int calls_global_user(const struct node *n, void *arg)
{
	(void)arg;
	return n->kind == N_CALL && n->sym && n->sym->fn->uses_globals;
}

/* A body that calls a function using globals takes the globals lock too
 * (the lock is taken once, by the probe). */
static void propagate_globals_use(struct resolved_program *rp)
{
	struct handler *lists[2] = { rp->functions, rp->handlers }, *h;
	int changed = 1, i;

	while (changed) {
		changed = 0;
		for (i = 0; i < 2; i++)
			for (h = lists[i]; h; h = h->next)
				if (!h->uses_globals &&
				    any_node(h->probe->body, calls_global_user, NULL)) {
					h->uses_globals = 1;
					changed = 1;
				}
	}
}

/* `x++`, `x--`, `x += v`, `x -= v` on a scalar global, as a statement. */
int is_atomic_add(const struct node *n)
{
	return (n->kind == N_INCDEC ||
		(n->kind == N_ASSIGN && (n->op == OP_ADD_ASSIGN || n->op == OP_SUB_ASSIGN))) &&
	       n->lhs->kind == N_VAR && n->lhs->sym->kind == SYM_GLOBAL;
}

/* Any other write to a global makes it need the lock.  The walk visits a
 * statement right before its expression, so one pointer remembers which
 * write is a statement-level add. */
static void find_locked_writes(struct node *n, void *arg)
{
	const struct node **statement_add = arg;
	struct symbol *s;

	if (n->kind == N_EXPR_STMT) {
		*statement_add = is_atomic_add(n->lhs) ? n->lhs : NULL;
		return;
	}
	if (n->kind != N_ASSIGN && n->kind != N_INCDEC && n->kind != N_DELETE)
		return;
	s = lvalue_symbol(n->lhs);
	if (s && s->kind == SYM_GLOBAL && n != *statement_add)
		s->atomic_ok = 0;
}

struct locking_scan {
	const struct node *add_target;	/* the variable a statement add writes */
	int adds_or_calls;		/* pass 1: atomic adds or function calls here */
	int count;			/* pass 2: uses that need the lock */
	int pass;
};

/*
 * Count the uses of globals that need the globals lock.  Not needed: the
 * target of `scalar <<< v` (this CPU's own accumulator), atomic adds, and
 * reads of atomic globals in a body that neither adds to globals nor calls
 * functions (one that does must see its own updates consistently with
 * other CPUs', so it locks, as SystemTap would).
 */
static void scan_locking(struct node *n, void *arg)
{
	struct locking_scan *ls = arg;

	if (n->kind == N_EXPR_STMT && is_atomic_add(n->lhs) && n->lhs->lhs->sym->atomic_ok) {
		ls->add_target = n->lhs->lhs;
		ls->adds_or_calls = 1;
		return;
	}
	if (n->kind == N_CALL && n->sym)
		ls->adds_or_calls = 1;
	if (ls->pass == 1)
		return;
	if (n->kind == N_VAR && n->sym->kind == SYM_GLOBAL) {
		if (n == ls->add_target)
			ls->add_target = NULL;
		else if (!n->sym->atomic_ok || ls->adds_or_calls)
			ls->count++;
	}
	if (n->kind == N_STAT_ADD && n->lhs->kind == N_VAR && n->lhs->sym->kind == SYM_GLOBAL)
		ls->count--;
}

/* Decide which globals are atomic, then which bodies need the lock. */
void decide_locking(struct resolved_program *rp)
{
	struct handler *lists[2] = { rp->functions, rp->handlers }, *h;
	struct symbol *g;
	int i;

	for (g = rp->globals; g; g = g->next)
		g->atomic_ok = g->arity == 0 && g->type == TYPE_LONG;
	for (i = 0; i < 2; i++)
		for (h = lists[i]; h; h = h->next) {
			const struct node *statement_add = NULL;

			walk_nodes(h->probe->body, find_locked_writes, &statement_add);
		}
	for (i = 0; i < 2; i++)
		for (h = lists[i]; h; h = h->next) {
			struct locking_scan ls = { .pass = 1 };

			walk_nodes(h->probe->body, scan_locking, &ls);
			ls.pass = 2;
			ls.add_target = NULL;
			walk_nodes(h->probe->body, scan_locking, &ls);
			h->uses_globals = ls.count > 0;
		}
	propagate_globals_use(rp);
}
