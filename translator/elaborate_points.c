/* elaborate_points.c - pass 2's first step for each probe: its probe
 * points, each offered to the providers of its first component in turn
 * (providers.c's order) until one binds it; a wildcard's expansion chains
 * the points it binds.  What no provider takes is reported here, with the
 * forms a user most likely meant. */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "provider.h"
#include "util.h"

#include "elaborate_internal.h"

void resolve_points(struct elab *e, struct node *probe, struct handler *h)
{
	struct node *pt;
	struct resolved_point **tail = &e->rp->points;

	while (*tail)
		tail = &(*tail)->next;
	for (pt = probe->points; pt; pt = pt->next) {
		const char *family = pt->components->str;
		const struct provider *const *pv;
		struct resolved_point *rpt = xcalloc(1, sizeof(*rpt));
		enum provider_match m = PROVIDER_NO_MATCH;

		rpt->point = pt;
		rpt->handler = h;
		/* '!' (sufficient) is taken as '?' for now */
		rpt->optional = pt->optional || pt->sufficient;
		for (pv = providers; *pv && m == PROVIDER_NO_MATCH; pv++) {
			const char *const *f;

			for (f = (*pv)->families; *f && strcmp(*f, family) != 0; f++)
				;
			if (!*f)
				continue;
			m = (*pv)->resolve(pt, rpt);
			rpt->provider = *pv;
		}
		if (m == PROVIDER_NO_MATCH && rpt->optional)
			m = PROVIDER_SKIPPED;
		if (m == PROVIDER_NO_MATCH) {
			char *text = probe_point_text(pt);

			/* the syscall tapset's aliases stand for these: what
			 * no alias matched is a call it lacks here */
			if (strcmp(family, "syscall") == 0 || strcmp(family, "nd_syscall") == 0)
				diag_error("semantic error", &pt->tok,
					   "probe point '%s' matches no system call of the syscall tapset for this target (tapsets/nd_syscalls.stp and nd_syscalls2.stp list them)",
					   text);
			else if (provider_family_is_planned(family))
				diag_error("semantic error", &pt->tok,
					   "probe point '%s' is not supported yet", text);
			else
				diag_error("semantic error", &pt->tok,
					   "unknown probe point '%s' (supported: begin, end, error, never, timer.s/ms/us/ns/hz/jiffies(N), kprobe.function(\"SYM\"), kernel.function(\"SYM\"), module(\"M\").function(\"SYM\"), and their .return)",
					   text);
			free(text);
		}
		if (m != PROVIDER_RESOLVED) {
			free(rpt->pp);
			free(rpt->symbol);
			free(rpt->interval_ns);
			free(rpt->randomize_ns);
			free(rpt);
			continue;
		}
		*tail = rpt;
		for (; *tail; tail = &(*tail)->next) {
			(*tail)->provider = rpt->provider;
			e->rp->n_points++;
		}
	}
}
