/* provider_procfs.c - procfs("NAME").read and procfs("NAME").write probes
 * (procfs.read/.write name the file "command"), as in SystemTap.
 *
 * The file is /proc/stapc-MODULE/NAME, next to the module's transport
 * files, rather than SystemTap's /proc/systemtap/MODULE/NAME: a shared
 * /proc/systemtap directory would have to be created by whichever module
 * comes first and outlive it, which procfs cannot do safely for modules.
 * A read probe sets the file's content with `$value = "..."`; a write probe
 * gets what was written in $value (runtime/stp_procfs.h).
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "provider.h"

/* The names the transport already uses in the same directory. */
static int reserved_name(const char *name)
{
	return strcmp(name, "data") == 0 || strcmp(name, "control") == 0;
}

static int valid_name(const char *name)
{
	const char *p;

	if (!*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || strlen(name) > 64)
		return 0;
	for (p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' || *p == '.'))
			return 0;
	return 1;
}

/* One read and one write probe per file: which were seen, and where. */
struct seen_probe {
	char *pp;
	struct token_ref tok;
};
static struct seen_probe seen[64];
static int n_seen;

static int already_probed(const char *pp, const struct token_ref *tok)
{
	int i;

	for (i = 0; i < n_seen; i++) {
		if (strcmp(seen[i].pp, pp) != 0)
			continue;
		diag_error("semantic error", tok,
			   "%s is probed twice (first at %s:%d:%d); one probe makes or takes the file's content",
			   pp, seen[i].tok.loc.file, seen[i].tok.loc.line, seen[i].tok.loc.col);
		return 1;
	}
	if (n_seen < (int)(sizeof(seen) / sizeof(seen[0]))) {
		seen[n_seen].pp = xstrdup(pp);
		seen[n_seen++].tok = *tok;
	}
	return 0;
}

static enum provider_match resolve_procfs(struct node *point, struct resolved_point *rp)
{
	struct node *first = point->components, *comp = first->next;
	const char *name = "command";

	if (first->arg) {
		if (first->arg->kind != N_STRING) {
			diag_error("semantic error", &first->arg->tok,
				   "procfs needs a file name: procfs(\"NAME\")");
			return PROVIDER_ERROR;
		}
		name = first->arg->str;
	}
	if (!valid_name(name)) {
		diag_error("semantic error", &first->arg->tok,
			   "'%s' is not a procfs file name (letters, digits, '_', '-' and '.'; no directories)",
			   name);
		return PROVIDER_ERROR;
	}
	if (reserved_name(name)) {
		diag_error("semantic error", &first->arg->tok,
			   "procfs file name '%s' is taken by stapc's transport in /proc/stapc-MODULE",
			   name);
		return PROVIDER_ERROR;
	}
	if (!comp || (strcmp(comp->str, "read") != 0 && strcmp(comp->str, "write") != 0) ||
	    comp->arg) {
		diag_error("semantic error", comp ? &comp->tok : &first->tok,
			   "expected procfs%s.read or procfs%s.write",
			   first->arg ? "(\"NAME\")" : "", first->arg ? "(\"NAME\")" : "");
		return PROVIDER_ERROR;
	}
	if (comp->next) {
		diag_error("semantic error", &comp->next->tok,
			   "'.%s' is not supported on procfs probes yet", comp->next->str);
		return PROVIDER_ERROR;
	}
	rp->is_return = 0;
	rp->symbol = xstrdup(name);		/* the file name */
	rp->procfs_write = strcmp(comp->str, "write") == 0;
	rp->pp = xasprintf("procfs(\"%s\").%s", name, comp->str);
	if (already_probed(rp->pp, &point->tok))
		return PROVIDER_ERROR;
	rp->vars = xstrdup(" $value:string");
	return PROVIDER_RESOLVED;
}

static int bind_procfs_target(struct resolved_point *rp, struct node *target,
			      struct target_binding *out, char *err, size_t errlen)
{
	if (strcmp(target->str, "$value") != 0 || target->members) {
		snprintf(err, errlen, "unable to find target variable '%s' at %s (procfs probes have $value)",
			 target->str, rp->pp);
		return -1;
	}
	out->type = TYPE_STRING;
	out->c_expr = xstrdup("stp_procfs_value(c)");
	/* a read probe makes the file's content by assigning it */
	out->writable = !rp->procfs_write;
	return 0;
}

/* Points of one file share one entry: its read and write probes. */
static void emit_procfs(struct resolved_point **points, int n, struct emit_tables *out)
{
	int i, j;

	for (i = 0; i < n; i++) {
		char *var = xasprintf("stp_procfs_probe_%d", i);

		emit_probe_struct(out->decls, var, points[i]);
		free(var);
	}
	sb_add(out->decls, "\nstatic struct stp_procfs_file stp_procfs_files[] = {\n");
	for (i = 0; i < n; i++) {
		int has_read = 0, has_write = 0;

		for (j = 0; j < i && strcmp(points[j]->symbol, points[i]->symbol) != 0; j++)
			;
		if (j < i)
			continue;	/* this file's entry is written already */
		sb_add(out->decls, "\t{ .name = ");
		sb_add_c_string(out->decls, points[i]->symbol);
		for (j = i; j < n; j++) {
			if (strcmp(points[j]->symbol, points[i]->symbol) != 0)
				continue;
			if (points[j]->procfs_write && !has_write++)
				sb_printf(out->decls, ", .write = &stp_procfs_probe_%d", j);
			if (!points[j]->procfs_write && !has_read++)
				sb_printf(out->decls, ", .read = &stp_procfs_probe_%d", j);
		}
		sb_add(out->decls, " },\n");
	}
	sb_add(out->decls, "};\n\n");
	sb_add(out->groups, "\t{ \"procfs\", stp_procfs_arm, stp_procfs_disarm, stp_procfs_files, ARRAY_SIZE(stp_procfs_files) },\n");
}

static const char *const procfs_families[] = { "procfs", NULL };

static const char *const procfs_forms[] = {
	"procfs.read", "procfs.write", "procfs(string).read", "procfs(string).write", NULL,
};

const struct provider provider_procfs = {
	.name = "procfs", .families = procfs_families, .resolve = resolve_procfs,
	.emit = emit_procfs, .bind_target = bind_procfs_target, .forms = procfs_forms,
};
