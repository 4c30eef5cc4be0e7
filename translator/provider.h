/* provider.h - the interface every probe family implements.
 *
 * Adding a probe type means adding one provider_*.c file and one line in
 * providers.c; nothing else switches on probe types.
 */
#ifndef STAPC_PROVIDER_H
#define STAPC_PROVIDER_H

#include <stdio.h>

#include "resolved.h"
#include "util.h"

enum provider_match {
	PROVIDER_NO_MATCH,	/* not this provider's point */
	PROVIDER_RESOLVED,	/* point bound; provider data filled in rp */
	PROVIDER_ERROR,		/* this provider's point, but wrong: reported */
	PROVIDER_SKIPPED,	/* an optional point ('?') that matches nothing */
};

/* Where a provider writes its part of the generated C. */
struct emit_tables {
	struct strbuf *decls;		/* file-scope tables, after the handlers */
	struct strbuf *groups;		/* lines of the stp_groups[] initializer */
	struct strbuf *program;		/* designated initializers of stp_program */
};

/* A target variable ($name, $name->a->b[2], $$parms ...) as one probe point
 * binds it.  c_expr is a C expression for the generated handler, in the
 * template language of builtins.h: `c` is the context, $T a string
 * temporary to fill for TYPE_STRING, $W the "near FILE:LINE:COL" text for
 * errors; every memory read in it must be fault tolerant. */
struct target_binding {
	enum stp_type type;		/* TYPE_LONG or TYPE_STRING */
	char *c_expr;			/* malloc'd */
	int writable;			/* the script may assign it (procfs read
					 * probes' $value); c_expr is then an
					 * lvalue (a string buffer for strings) */
	char *c_store;			/* or (malloc'd) a template that stores
					 * the long $V, allowed in guru mode */
	const char *c_strstore;		/* a writable string stored by this C
					 * function (c, value, append) rather
					 * than copied into c_expr (static) */
};

struct provider {
	const char *name;		/* the probe family, also its group name */
	const char *const *families;	/* first components it may own */
	/* Bind `point` (whose first component is one of `families`); fill
	 * rp->pp and the provider's fields of rp.  NO_MATCH lets another
	 * provider of the same first component try (kernel.function and
	 * kernel.trace, say).  A point that expands (wildcards) chains the
	 * further resolved points, same handler, through rp->next. */
	enum provider_match (*resolve)(struct node *point, struct resolved_point *rp);
	/* Emit registration for every point bound to this provider
	 * (points[0..n-1], in source order). */
	void (*emit)(struct resolved_point **points, int n, struct emit_tables *out);
	/* Optional: bind the N_TARGET `target` (members chained on
	 * target->members) at rp.  Returns 0 and fills *out, or returns -1
	 * with a message in err (pass 2 reports it at the target's token).
	 * NULL: this family has no target variables. */
	int (*bind_target)(struct resolved_point *rp, struct node *target,
			   struct target_binding *out, char *err, size_t errlen);
	/* The probe-point forms `resolve` accepts, NULL-terminated, in
	 * SystemTap's --dump-probe-types notation: "timer.ms(number)",
	 * "kernel.function(string).return". */
	const char *const *forms;
};

/* NULL-terminated, in the order groups are armed. */
extern const struct provider *const providers[];

/* --dump-probe-types: every provider's forms, each once, in the order
 * SystemTap prints its tree of probe points (providers.c). */
void providers_dump_forms(FILE *out);

/* Probe point families SystemTap has that stapc does not support yet. */
int provider_family_is_planned(const char *name);

/* Guru mode (-g), for the probe points only it allows; main() sets it
 * once before pass 2. */
struct options;
struct token_ref;
void providers_set_options(const struct options *opts);
int provider_guru_mode(void);
/* -c CMD and -x PID, or NULL: what process.function(...) without a PATH
 * probes */
const char *provider_target_command(void);
const char *provider_target_pid(void);

/* Helpers shared by providers */
/* The string argument of a component, or NULL with an error at it. */
const char *provider_string_arg(struct node *comp);
/* process("PATH"): the real path of PATH, or of the program of that name
 * in $PATH (malloc'd), or NULL (provider_process.c) */
char *provider_find_program(const char *name);
/* The same, or NULL after an error at `at` saying the program is not
 * here (none for an `optional` point: a '?' point is skipped) */
char *provider_program_or_error(const char *name, const struct token_ref *at, int optional);
/* process(PID): the PID (at least 2, as SystemTap wants), or 0 after an
 * error at the argument (provider_process.c) */
int64_t provider_process_pid(struct node *comp);
/* process(PID).function/.statement: the program process PID runs, read
 * from /proc/PID/exe, which only means something when the module is built
 * for this machine; NULL after an error at the argument (none for a
 * missing process when `optional`: a '?' point) */
char *provider_pid_program(const struct token_ref *at, int64_t pid, int optional);
/* Is the target the machine stapc runs on (no -r, or -r naming its
 * kernel)? */
int provider_target_is_host(void);
/* The n-th point a wildcard expands to: n = 0 is `first` itself; a later
 * one is new, chained after `last`, with first's point, handler, '?' and
 * .return. */
struct resolved_point *provider_expansion_point(struct resolved_point *first,
						struct resolved_point *last, int n);
char *probe_point_text(const struct node *point);	/* canonical pp text */
void emit_probe_struct(struct strbuf *out, const char *var, const struct resolved_point *rp);
/* The probe structs of points[0..n-1], named PREFIX_0 ... */
void emit_probe_structs(struct strbuf *out, const char *prefix, struct resolved_point **points, int n);

#endif
