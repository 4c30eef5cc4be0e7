/* print_resolved.c - -p2: show what elaboration decided (probe points with
 * their providers' reading, kept globals and locals with inferred types),
 * in the spirit of `stap -p2`. */
#include <stdio.h>
#include <stdlib.h>

#include "provider.h"
#include "resolved.h"

/* "begin (<- lib.stp:1:17, alias foo <- t.stp:3:7)": where the point
 * was written, then for an alias expansion the alias it belongs to and
 * where that was used, out to the user's probe. */
static void print_derivation(FILE *out, const struct resolved_point *pt)
{
	const struct node *p;

	fprintf(out, "%s /* ", pt->pp);
	for (p = pt->point; p; p = p->expanded_from) {
		fprintf(out, "<- %s:%d:%d", p->tok.loc.file, p->tok.loc.line, p->tok.loc.col);
		if (p->alias_name) {
			char *name = probe_point_text(p->alias_name);

			fprintf(out, ", alias %s ", name);
			free(name);
		}
	}
}

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
		if (h->is_entry_part)
			continue;	/* part of the .return probe before it */
		for (pt = rp->points; pt; pt = pt->next) {
			if (pt->handler != h)
				continue;
			print_derivation(out, pt);
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

const char *resolved_point_list_name(const struct resolved_point *pt)
{
	const struct node *p = pt->point, *outer = NULL;
	char *text;
	const char *name;

	for (; p->expanded_from; p = p->expanded_from)
		outer = p;
	if (!outer)
		return pt->pp;
	text = probe_point_text(outer->alias_name);
	name = ast_strdup(text);
	free(text);
	return name;
}
