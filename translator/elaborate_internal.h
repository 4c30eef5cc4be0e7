/* elaborate_internal.h - what the files of pass 2 share (elaborate.c and
 * elaborate_arrays.c); nothing outside pass 2 includes it. */
#ifndef STAPC_ELABORATE_INTERNAL_H
#define STAPC_ELABORATE_INTERNAL_H

#include "resolved.h"

struct elab {
	struct resolved_program *rp;
	struct handler *handler;	/* the body being walked */
	int loop_depth;
	int changed;			/* a type was decided in this round */
	int reporting;			/* final round: report conflicts */
	int guru;			/* -g */
	const struct options *opts;
	struct symbol *iterating[16];	/* arrays of the foreach loops we are in */
	int n_iterating;
	int wildcard_ok;		/* the next N_INDEX may hold '*' (delete) */
};

enum stp_type infer(struct elab *e, struct node *n);
void require(struct elab *e, struct node *n, enum stp_type t);
void unify(struct elab *e, struct node *a, struct node *b);
void unify_with(struct elab *e, struct node *value, enum stp_type *slot,
		struct node **origin);
void mismatch(struct elab *e, struct node *n, enum stp_type want);
void not_supported(struct elab *e, struct node *n);
void walk_statements(struct elab *e, struct node *s);
/* elaborate_target.c: a .return probe's @entry(EXPR)s moved into an entry
 * part, returned as a new handler with its points (NULL: none) */
struct handler *split_entry_values(struct elab *e, struct node *probe, struct handler *h);
/* once typed: the entry parts that save strings need room for them */
void mark_entry_strings(struct resolved_program *rp);
/* any_node() predicate: an assignment or ++/-- to the variable named arg */
int writes_variable(const struct node *n, void *arg);

/* elaborate_locking.c: atomic globals, and which bodies take the lock */
void decide_locking(struct resolved_program *rp);

/* elaborate_target.c: $name, bound by the probe points' providers */
enum stp_type infer_target(struct elab *e, struct node *n);
enum stp_type infer_cast(struct elab *e, struct node *n);
enum stp_type infer_entry(struct elab *e, struct node *n);
/* An assignment or ++ writes n: report it (final round) unless n is a
 * target variable every point of the probe lets the script write. */
void check_target_write(struct elab *e, struct node *n);

/* elaborate_probes.c: probe aliases and probe point conditions, on the
 * AST, before names are bound */
void expand_probes(struct program *prog, int points_only);	/* points_only: -l */
/* @defined(TARGET): 1 if it binds (at every point of the handler) */
struct defined_oracle {
	int (*defined)(struct node *target, void *arg);
	void *arg;
};
/* fold @defined of target expressions, and the if / ?: they decide */
void fold_defined(struct node *body, const struct defined_oracle *o);
int target_is_defined(struct node *target, void *elab);
int probe_point_matches_alias(const struct node *point, const struct node *alias_name);
/* a deep copy of a node and its children (not of its next) */
struct node *clone_node(const struct node *n);

/* elaborate_points.c: bind each of probe's points to its provider, for
 * handler h (points that match nothing and are optional are dropped) */
void resolve_points(struct elab *e, struct node *probe, struct handler *h);

/* elaborate_split.c: after h's points are resolved, move the points whose
 * target variables bind differently from the first point's to handlers of
 * their own (with copies of the body); returns those new handlers, linked
 * through ->next, or NULL. */
struct handler *split_by_bindings(struct elab *e, struct handler *h);

/* elaborate_arrays.c: arrays, statistics, foreach and delete */
enum stp_type infer_array_expr(struct elab *e, struct node *n);
void walk_foreach(struct elab *e, struct node *s);
/* After pass 2's last round: each foreach's snapshot level, through calls. */
void place_foreach_snapshots(struct resolved_program *rp);
void check_not_bucket(struct elab *e, struct node *x);
void check_delete(struct elab *e, struct node *s);
void scalar_use(struct elab *e, struct node *var);
/* The variable an assignment or ++ writes (N_VAR, or N_INDEX's array). */
struct symbol *lvalue_symbol(struct node *n);

/* elaborate.c */
int is_library_file(const char *path, const struct options *opts);

/* elaborate_embedded.c: guru-mode embedded C */
int embedded_allowed(struct elab *e, const struct node *n, const char *what);
enum stp_type infer_embedded_expr(struct elab *e, struct node *n);
enum stp_type infer_const(struct elab *e, struct node *n);

/* elaborate_regex.c: s =~ "re", s !~ "re" */
enum stp_type infer_regex(struct elab *e, struct node *n);

#endif
