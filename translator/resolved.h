/* resolved.h - the resolved program: what pass 2 (elaborate) hands to
 * pass 3 (translate).
 *
 * Invariants once elaborate() returned without errors:
 *  - every expression node has type TYPE_LONG or TYPE_STRING, except calls
 *    to builtins that return nothing, which only appear as statements;
 *  - every N_VAR has sym set; every symbol has a known type;
 *  - every string expression that needs storage has node->temp >= 0, a
 *    slot below its handler's n_temps;
 *  - every probe point is bound to a provider, with what it derived.
 * Translation reads this and decides nothing about the language.
 */
#ifndef STAPC_RESOLVED_H
#define STAPC_RESOLVED_H

#include <stdint.h>

#include "ast.h"

enum symbol_kind {
	SYM_GLOBAL,
	SYM_LOCAL,		/* includes a function's parameters */
	SYM_FUNCTION,		/* a script function; fn is its body */
};

struct handler;

struct symbol {
	const char *name;
	enum symbol_kind kind;
	enum stp_type type;
	struct node *decl;		/* N_GLOBAL, or the local's first mention */
	struct node *type_origin;	/* where the type was decided */
	int assigned;			/* written somewhere */
	int read;			/* how many times it is read */
	struct handler *fn;		/* SYM_FUNCTION: the function */

	/* globals: arrays and statistics */
	int arity;			/* keys of an array; 0 scalar; -1 not known yet */
	enum stp_type key_types[9];
	struct node *arity_origin;	/* where the arity was decided */
	int is_stat;			/* values are statistics (x <<< v) */
	int hist_kind;			/* HIST_LOG, HIST_LINEAR or 0 (ast.h) */
	int64_t hist_start, hist_stop, hist_interval;
	struct node *hist_origin;	/* the @hist_* that decided it */
	int foreach_levels;		/* foreach loops over it nested in one body (snapshots) */
	/* a long scalar only ever written by statements `x++`, `x--`,
	 * `x += v`, `x -= v`: those become atomic adds, and its uses take no
	 * lock (64-bit loads do not tear) */
	int atomic_ok;
	int index;			/* stable number for generated names */
	int used;			/* globals: named by a probe or a reachable function */
	struct symbol *next;
};

/* One body of script code compiled to one C function: a probe's handler
 * (probe_<index>) or a script function (function_<name>). */
struct handler {
	int index;			/* probe_<index> */
	struct node *probe;		/* the N_PROBE, or the N_FUNCTION */
	struct symbol *locals;		/* a function's parameters come first */
	int n_temps;			/* string temporaries */
	struct symbol **key_slots;	/* array of each key buffer (node->temp) */
	int n_keys;
	int uses_globals;		/* itself or any function it calls */
	/* script functions only */
	int is_function;
	/* the part of a .return probe that runs at the function's entry:
	 * computes its @entry(EXPR)s (elaborate_target.c) */
	int is_entry_part;
	int n_params;
	enum stp_type ret_type;		/* TYPE_VOID if it returns no value */
	struct node *ret_origin;	/* where the return type was decided */
	int reachable;			/* called from some probe, maybe indirectly */
	int c_name_needed;		/* an overload or private one whose name is taken */
	struct handler *next;
};

struct provider;
struct tracepoint_event;

/* One probe point of a probe, bound to its provider. */
struct resolved_point {
	const struct provider *provider;
	struct node *point;		/* the N_PROBE_POINT */
	char *pp;			/* canonical text, as pp() gives it */
	struct handler *handler;
	int64_t sequence;		/* begin/end: run order */
	char *interval_ns;		/* timer: C expression for the period */
	char *randomize_ns;		/* timer: .randomize(M) as C, or NULL */
	int is_profile;			/* timer.profile: every tick, every CPU */
	char *symbol;			/* kprobes: "vfs_read" or "ext4:ext4_file_open" */
	unsigned long offset;		/* kprobes: bytes after symbol (debuginfo placement);
					 * provider_dwarf's order of discovery in -l/-L */
	uint64_t address;		/* kprobe.statement(ADDR).absolute: the
					 * kernel address itself (symbol NULL) */
	char *vars;			/* -L: " $a:int $b:char*", or NULL */
	int is_return;			/* a .return probe */
	int64_t maxactive;		/* kretprobes: .maxactive(N), 0 for -DKRETACTIVE */
	int at_function_entry;		/* kprobes: on the first instruction, before the
					 * function saved anything (its caller is in the
					 * link register on arm64) */
	int procfs_write;		/* procfs: a .write probe (else .read) */
	int procfs_umask;		/* procfs: .umask(M), or -1 for the default */
	int64_t procfs_maxsize;		/* procfs read: .read.maxsize(N), or 0 */
	int optional;			/* '?': failing to register is no error */
	int64_t process_pid;		/* process(PID) probes: that process only; 0 otherwise */
	const struct tracepoint_event *tracepoint;	/* kernel.trace: the event */
	/* a point of an entry part: the .return point at whose entry it
	 * runs (no probe of its own), and how many @entry values it saves */
	struct resolved_point *entry_of;
	int entry_exprs;
	int entry_strings;		/* some of them are strings */
	struct resolved_point *next;
};

struct resolved_program {
	struct program *ast;
	struct symbol *globals;
	struct handler *handlers;
	struct handler *functions;	/* reachable ones are translated */
	struct symbol *function_syms;	/* SYM_FUNCTION symbols, by name */
	struct resolved_point *points;
	int n_globals, n_handlers, n_points, n_functions;
	int n_used_functions;		/* reachable ones */
};

struct options;

/* Pass 2.  Returns 0 when the program is complete and consistent; errors
 * have been reported through diag otherwise. */
int elaborate(struct program *prog, const struct options *opts,
	      struct resolved_program *out);

void resolved_program_free(struct resolved_program *rp);

/* "long", "string", "stats", "void" or "unknown", as messages and -p2 say */
const char *type_name(enum stp_type t);

/* `x++`, `x--`, `x += v`, `x -= v` on a scalar global (as a statement, it
 * is emitted as an atomic add when the global is atomic_ok). */
int is_atomic_add(const struct node *n);

/* -l: the name a point is listed under: the alias name the user's point
 * matched (`stap -l 'syscall.*'` lists aliases), else pp(). */
const char *resolved_point_list_name(const struct resolved_point *pt);

/* -p2: print the resolved program the way `stap -p2` does. */
#include <stdio.h>
void print_resolved_program(FILE *out, const struct resolved_program *rp);

#endif
