/* walk.c - generic AST traversal (see walk.h). */
#include "walk.h"

/* ORDER: every field of struct node that holds child nodes (ast.h). */
#define FOR_EACH_CHILD_LIST(n, X) \
	X((n)->lhs) X((n)->rhs) X((n)->cond) X((n)->then_) X((n)->else_) \
	X((n)->init) X((n)->step) X((n)->body) X((n)->args) X((n)->slice) \
	X((n)->limit) X((n)->members)

void walk_nodes(struct node *n, void (*fn)(struct node *n, void *arg), void *arg)
{
	for (; n; n = n->next) {
		fn(n, arg);
#define VISIT(child) walk_nodes(child, fn, arg);
		FOR_EACH_CHILD_LIST(n, VISIT)
#undef VISIT
	}
}

void walk_nodes_around(struct node *n, void (*pre)(struct node *n, void *arg),
		       void (*post)(struct node *n, void *arg), void *arg)
{
	for (; n; n = n->next) {
		pre(n, arg);
#define VISIT(child) walk_nodes_around(child, pre, post, arg);
		FOR_EACH_CHILD_LIST(n, VISIT)
#undef VISIT
		if (post)
			post(n, arg);
	}
}

int any_node(const struct node *n, int (*pred)(const struct node *n, void *arg), void *arg)
{
	for (; n; n = n->next) {
		if (pred(n, arg))
			return 1;
#define CHECK(child) if (any_node(child, pred, arg)) return 1;
		FOR_EACH_CHILD_LIST(n, CHECK)
#undef CHECK
	}
	return 0;
}
