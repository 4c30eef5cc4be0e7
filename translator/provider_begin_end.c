/* provider_begin_end.c - begin, end and error probes (with optional
 * sequence numbers, begin(-1)): run once, in process context, when the
 * session starts, when it stops, or when it stops after errors (instead of
 * end).  They need no registration: the runtime runs the tables emitted
 * here in order.  `never` probes are checked and compiled, never run. */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "provider.h"

static enum provider_match resolve_once(struct node *point, struct resolved_point *rp)
{
	struct node *comp = point->components;

	if (comp->next) {
		diag_error("semantic error", &comp->next->tok,
			   "probe point '%s' takes no further components",
			   comp->str);
		return PROVIDER_ERROR;
	}
	if (comp->arg && comp->arg->kind != N_NUMBER) {
		diag_error("semantic error", &comp->arg->tok,
			   "expected a number as the sequence of '%s'", comp->str);
		return PROVIDER_ERROR;
	}
	rp->sequence = comp->arg ? comp->arg->num : 0;
	rp->pp = probe_point_text(point);
	return PROVIDER_RESOLVED;
}

static int by_sequence(const void *a, const void *b)
{
	const struct resolved_point *x = *(struct resolved_point *const *)a;
	const struct resolved_point *y = *(struct resolved_point *const *)b;

	if (x->sequence != y->sequence)
		return x->sequence < y->sequence ? -1 : 1;
	return 0;
}

/* Emit the table the runtime runs in order; stable in source order for
 * equal sequence numbers, as SystemTap. */
static void emit_table(const char *which, struct resolved_point **points, int n,
		       struct emit_tables *out)
{
	struct resolved_point **sorted = malloc(sizeof(*sorted) * n);
	int i, j;

	memcpy(sorted, points, sizeof(*sorted) * n);
	/* insertion sort: stable and n is small */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && by_sequence(&sorted[j - 1], &sorted[j]) > 0; j--) {
			struct resolved_point *t = sorted[j];

			sorted[j] = sorted[j - 1];
			sorted[j - 1] = t;
		}
	sb_printf(out->decls, "static const struct stp_probe stp_%s_probes[] = {\n", which);
	for (i = 0; i < n; i++) {
		sb_add(out->decls, "\t{ .pp = ");
		sb_add_c_string(out->decls, sorted[i]->pp);
		sb_printf(out->decls, ", .handler = probe_%d, .locks_globals = %s },\n",
			  sorted[i]->handler->index,
			  sorted[i]->handler->uses_globals ? "true" : "false");
	}
	sb_add(out->decls, "};\n\n");
	sb_printf(out->program, "\t.%s = stp_%s_probes,\n\t.n_%s = ARRAY_SIZE(stp_%s_probes),\n",
		  which, which, which, which);
	free(sorted);
}

static void emit_begin(struct resolved_point **points, int n, struct emit_tables *out)
{
	emit_table("begin", points, n, out);
}

static void emit_end(struct resolved_point **points, int n, struct emit_tables *out)
{
	emit_table("end", points, n, out);
}

static void emit_error(struct resolved_point **points, int n, struct emit_tables *out)
{
	emit_table("error", points, n, out);
}

/* Referenced, so the handler compiles (and is checked) without a warning. */
static void emit_never(struct resolved_point **points, int n, struct emit_tables *out)
{
	int i;

	sb_add(out->decls, "/* never probes: compiled and checked, never run */\n");
	for (i = 0; i < n; i++)
		sb_printf(out->decls, "static void (*const stp_never_%d)(struct stp_context *) __maybe_unused = probe_%d;\n",
			  i, points[i]->handler->index);
	sb_add(out->decls, "\n");
}

static const char *const begin_families[] = { "begin", NULL };
static const char *const end_families[] = { "end", NULL };
static const char *const error_families[] = { "error", NULL };
static const char *const never_families[] = { "never", NULL };
static const char *const begin_forms[] = { "begin", "begin(number)", NULL };
static const char *const end_forms[] = { "end", "end(number)", NULL };
static const char *const error_forms[] = { "error", "error(number)", NULL };
static const char *const never_forms[] = { "never", "never(number)", NULL };

const struct provider provider_begin = {
	.name = "begin", .families = begin_families, .resolve = resolve_once, .emit = emit_begin,
	.forms = begin_forms,
};
const struct provider provider_end = {
	.name = "end", .families = end_families, .resolve = resolve_once, .emit = emit_end,
	.forms = end_forms,
};
const struct provider provider_error = {
	.name = "error", .families = error_families, .resolve = resolve_once, .emit = emit_error,
	.forms = error_forms,
};
const struct provider provider_never = {
	.name = "never", .families = never_families, .resolve = resolve_once, .emit = emit_never,
	.forms = never_forms,
};
