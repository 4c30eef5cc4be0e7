/* elaborate_split.c - one handler per group of probe points whose target
 * variables bind to the same C.
 *
 * The points of a probe share one handler, but a wildcard such as
 * kernel.function("vfs_*") { print($file) } finds $file in a different
 * register or stack slot in each function, and a tracepoint wildcard has
 * different arguments per event.  SystemTap elaborates the body once per
 * point; we copy the body only for each distinct set of bindings, so points
 * that agree (the common case: one point, or the same layout) still share
 * one handler, and the module grows only by the copies it needs.
 */
#include <stdlib.h>
#include <string.h>

#include "elaborate_internal.h"
#include "provider.h"
#include "util.h"
#include "walk.h"

/* The bindings of one point, as text: equal text, same generated code. */
struct signature {
	struct resolved_point *pt;
	char *text;
	size_t len, cap;
};

static void append(struct signature *s, const char *text)
{
	size_t n = strlen(text);

	if (s->len + n + 1 > s->cap) {
		s->cap = (s->len + n + 1) * 2;
		s->text = realloc(s->text, s->cap);
		if (!s->text)
			abort();
	}
	memcpy(s->text + s->len, text, n + 1);
	s->len += n;
}

static int bind_one(struct resolved_point *pt, struct node *n, struct signature *s)
{
	struct target_binding b = { 0 };
	char err[512];
	char type[32];

	if (!pt->provider || !pt->provider->bind_target ||
	    pt->provider->bind_target(pt, n, &b, err, sizeof(err)) != 0) {
		/* unbound here: @defined folds to 0, or the first point
		 * of the group is named in the error */
		append(s, "!\n");
		free(b.c_expr);
		free(b.c_store);
		return -1;
	}
	snprintf(type, sizeof(type), "%d %d\n", (int)b.type, b.writable);
	append(s, type);
	append(s, b.c_expr ? b.c_expr : "");
	append(s, "\n");
	append(s, b.c_store ? b.c_store : "");
	append(s, "\n");
	free(b.c_expr);
	free(b.c_store);
	return 0;
}

struct walk_arg {
	struct signature *sig;
	int targets;
};

static void sign_target(struct node *n, void *arg)
{
	struct walk_arg *w = arg;

	if (n->kind != N_TARGET)
		return;
	w->targets++;
	if (w->sig && bind_one(w->sig->pt, n, w->sig) != 0 && !n->pretty) {
		/* @defined($s) also holds when only the whole struct binds
		 * (as target_is_defined decides) */
		struct node whole = *n;

		whole.pretty = 1;
		whole.addr_of = 0;
		bind_one(w->sig->pt, &whole, w->sig);
	}
}

struct handler *split_by_bindings(struct elab *e, struct handler *h)
{
	struct resolved_point *pt;
	struct signature *sigs;
	struct walk_arg count = { NULL, 0 };
	struct handler *first_new = NULL, **tail = &first_new;
	int n = 0, i, j;

	walk_nodes(h->probe->body, sign_target, &count);
	for (pt = e->rp->points; pt; pt = pt->next)
		n += pt->handler == h;
	if (count.targets == 0 || n < 2)
		return NULL;
	sigs = xcalloc(n, sizeof(*sigs));
	i = 0;
	for (pt = e->rp->points; pt; pt = pt->next) {
		struct walk_arg w = { &sigs[i], 0 };

		if (pt->handler != h)
			continue;
		sigs[i].pt = pt;
		append(&sigs[i], "");
		walk_nodes(h->probe->body, sign_target, &w);
		i++;
	}
	/* the first point's group keeps h; each new signature gets a copy */
	for (i = 1; i < n; i++) {
		struct handler *g = NULL;

		for (j = 0; j < i; j++)
			if (strcmp(sigs[i].text, sigs[j].text) == 0) {
				g = sigs[j].pt->handler;
				break;
			}
		if (!g) {
			g = xcalloc(1, sizeof(*g));
			g->probe = clone_node(h->probe);
			*tail = g;
			tail = &g->next;
		}
		sigs[i].pt->handler = g;
	}
	for (i = 0; i < n; i++)
		free(sigs[i].text);
	free(sigs);
	return first_new;
}
