/* provider_process_life.c - process.begin / process.end (any process) and
 * process("PATH").begin / .end (processes running that file): a process
 * begins when it execs the program, ends when its last thread exits.  The
 * runtime hooks the sched_process_exec and sched_process_exit tracepoints
 * (runtime/stp_process_life.h); PATH is found on the target by its path,
 * as for the uprobes of provider_process.c, and compared by inode. */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "provider.h"

/* Only process[("PATH")].begin and .end: everything else under `process`
 * is provider_process's. */
static enum provider_match resolve_life(struct node *point, struct resolved_point *rp)
{
	struct node *comp = point->components, *ev = comp->next;
	const char *arg;
	char *path = NULL;

	if (!ev || ev->next || ev->arg || (strcmp(ev->str, "begin") != 0 && strcmp(ev->str, "end") != 0))
		return PROVIDER_NO_MATCH;
	rp->is_return = strcmp(ev->str, "end") == 0;
	if (comp->arg) {
		if (!(arg = provider_string_arg(comp)))
			return PROVIDER_ERROR;
		path = provider_program_or_error(arg, &comp->arg->tok, rp->optional);
		if (!path)
			return rp->optional ? PROVIDER_SKIPPED : PROVIDER_ERROR;
		rp->symbol = path;
		rp->pp = xasprintf("process(\"%s\").%s", path, ev->str);
	} else {
		rp->pp = xasprintf("process.%s", ev->str);
	}
	return PROVIDER_RESOLVED;
}

static void emit_life(struct resolved_point **points, int n, struct emit_tables *out)
{
	int i;

	emit_probe_structs(out->decls, "stp_process_life_probe", points, n);
	sb_add(out->decls, "\nstatic struct stp_process_life stp_process_lives[] = {\n");
	for (i = 0; i < n; i++) {
		sb_printf(out->decls, "\t{ .probe = &stp_process_life_probe_%d, .path = ", i);
		if (points[i]->symbol)
			sb_add_c_string(out->decls, points[i]->symbol);
		else
			sb_add(out->decls, "NULL");
		sb_printf(out->decls, ", .is_end = %s%s },\n", points[i]->is_return ? "true" : "false",
			  points[i]->optional ? ", .optional = true" : "");
	}
	sb_add(out->decls, "};\n\n");
	sb_add(out->groups, "\t{ \"process life\", stp_process_life_arm, stp_process_life_disarm, stp_process_lives, ARRAY_SIZE(stp_process_lives) },\n");
}

static const char *const life_families[] = { "process", NULL };

static const char *const life_forms[] = {
	"process.begin", "process.end", "process(string).begin", "process(string).end", NULL,
};

const struct provider provider_process_life = {
	.name = "process life", .families = life_families, .resolve = resolve_life,
	.emit = emit_life, .forms = life_forms,
};
