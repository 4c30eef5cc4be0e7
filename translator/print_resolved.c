/* print_resolved.c - -p2: show what elaboration decided (probe points with
 * their providers' reading, kept globals and locals with inferred types),
 * in the spirit of `stap -p2`. */
#include <stdio.h>

#include "provider.h"
#include "resolved.h"



void print_resolved_program(FILE *out, const struct resolved_program *rp)
{
	const struct symbol *s;
	const struct handler *h;
	const struct resolved_point *pt;

	if (rp->globals) {
		fputs("# globals\n", out);
		for (s = rp->globals; s; s = s->next) {
			int i;

			fprintf(out, "%s:%s", s->name, type_name(s->type));
			for (i = 0; i < s->arity; i++)
				fprintf(out, "%s%s", i ? ", " : " [", type_name(s->key_types[i]));
			fputs(s->arity > 0 ? "]\n" : "\n", out);
		}
	}
	if (rp->functions) {
		fputs("# functions\n", out);
		for (h = rp->functions; h; h = h->next) {
			int i;

			if (!h->reachable)
				continue;
			fprintf(out, "%s:%s (", h->probe->str,
				h->ret_type == TYPE_VOID ? "unknown" : type_name(h->ret_type));
			for (s = h->locals, i = 0; i < h->n_params; s = s->next, i++)
				fprintf(out, "%s%s:%s", i ? ", " : "", s->name, type_name(s->type));
			fputs(")\n", out);
			for (i = 0, s = h->locals; s; s = s->next, i++) {
				if (i < h->n_params)
					continue;
				if (i == h->n_params)
					fputs("  # locals\n", out);
				fprintf(out, "  %s:%s\n", s->name, type_name(s->type));
			}
		}
	}
	fputs("# probes\n", out);
	for (h = rp->handlers; h; h = h->next) {
		for (pt = rp->points; pt; pt = pt->next) {
			if (pt->handler != h)
				continue;
			fprintf(out, "%s /* <- %s:%d:%d", pt->pp, pt->point->tok.loc.file,
				pt->point->tok.loc.line, pt->point->tok.loc.col);
			if (pt->interval_ns)
				fprintf(out, ", every %s ns", pt->interval_ns);
			if (pt->sequence)
				fprintf(out, ", sequence %lld", (long long)pt->sequence);
			fputs(" */\n", out);
		}
		if (h->locals) {
			fputs("  # locals\n", out);
			for (s = h->locals; s; s = s->next)
				fprintf(out, "  %s:%s\n", s->name, type_name(s->type));
		}
	}
}
