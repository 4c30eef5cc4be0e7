/* walk.h - the one generic walk over the AST that every pass uses, so no
 * pass keeps its own list of which node fields hold children. */
#ifndef STAPC_WALK_H
#define STAPC_WALK_H

#include "ast.h"

/* Call fn on every node of the list starting at n and on all their
 * descendants, parents before children, in source order. */
void walk_nodes(struct node *n, void (*fn)(struct node *n, void *arg), void *arg);

/* walk_nodes() that also calls post on every node after its descendants
 * (post may be NULL): for passes that keep a stack of enclosing nodes. */
void walk_nodes_around(struct node *n, void (*pre)(struct node *n, void *arg),
		       void (*post)(struct node *n, void *arg), void *arg);

/* Does pred hold for some node of the list at n or below? Stops at the
 * first that does. */
int any_node(const struct node *n, int (*pred)(const struct node *n, void *arg), void *arg);

#endif
