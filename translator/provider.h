/* provider.h - the interface every probe family implements.
 *
 * Adding a probe type means adding one provider_*.c file and one line in
 * providers.c; nothing else switches on probe types.
 */
#ifndef STAPC_PROVIDER_H
#define STAPC_PROVIDER_H

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
};

/* NULL-terminated, in the order groups are armed. */
extern const struct provider *const providers[];

/* Probe point families SystemTap has that stapc does not support yet. */
int provider_family_is_planned(const char *name);

/* Helpers shared by providers */
char *probe_point_text(const struct node *point);	/* canonical pp text */
void emit_probe_struct(struct strbuf *out, const char *var, const struct resolved_point *rp);

#endif
