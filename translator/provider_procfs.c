/* provider_procfs.c - procfs("NAME").read and procfs("NAME").write probes
 * (procfs.read/.write name the file "command"), as in SystemTap, with
 * .umask(M) before .read/.write and .maxsize(N) after .read.
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

/* .read.maxsize(N): the buffer is allocated when the session starts */
#define STP_PROCFS_MAXSIZE_LIMIT 1048576

/* SystemTap's default umasks: a file readable (read probe) or writable
 * (write probe) by its owner, root, only. */
#define DEFAULT_READ_UMASK 0044
#define DEFAULT_WRITE_UMASK 0022

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

/* The number argument of .umask(M) or .maxsize(N), within [lo, hi]. */
static int number_arg(struct node *comp, int64_t lo, int64_t hi, const char *what,
		      int64_t *out)
{
	if (!comp->arg || comp->arg->kind != N_NUMBER) {
		diag_error("semantic error", &comp->tok, "'%s' needs a number: %s(N)",
			   comp->str, comp->str);
		return -1;
	}
	if (comp->arg->num < lo || comp->arg->num > hi) {
		diag_error("semantic error", &comp->arg->tok, "%s", what);
		return -1;
	}
	*out = comp->arg->num;
	return 0;
}

/* procfs[("NAME")][.umask(M)].read[.maxsize(N)] and
 * procfs[("NAME")][.umask(M)].write, SystemTap's forms. */
static enum provider_match resolve_procfs(struct node *point, struct resolved_point *rp)
{
	struct node *first = point->components, *comp = first->next;
	const char *name = "command";
	int64_t umask = -1, maxsize = 0;
	char *key;

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
	if (comp && strcmp(comp->str, "umask") == 0) {
		if (number_arg(comp, 0, 0777, "umask must be between 0 and 0777", &umask) != 0)
			return PROVIDER_ERROR;
		comp = comp->next;
	}
	if (!comp || (strcmp(comp->str, "read") != 0 && strcmp(comp->str, "write") != 0) ||
	    comp->arg) {
		diag_error("semantic error", comp ? &comp->tok : &first->tok,
			   "expected procfs%s.read or procfs%s.write",
			   first->arg ? "(\"NAME\")" : "", first->arg ? "(\"NAME\")" : "");
		return PROVIDER_ERROR;
	}
	rp->procfs_write = strcmp(comp->str, "write") == 0;
	if (comp->next && strcmp(comp->next->str, "maxsize") == 0 && !rp->procfs_write) {
		if (number_arg(comp->next, 1, STP_PROCFS_MAXSIZE_LIMIT,
			       "maxsize must be greater than 0 and at most 1048576", &maxsize) != 0)
			return PROVIDER_ERROR;
		comp = comp->next;
	}
	if (comp->next && strcmp(comp->next->str, "umask") == 0) {
		diag_error("semantic error", &comp->next->tok,
			   "'.umask(M)' goes before '.%s', as in procfs(\"NAME\").umask(M).%s",
			   comp->str, comp->str);
		return PROVIDER_ERROR;
	}
	if (comp->next) {
		diag_error("semantic error", &comp->next->tok,
			   "'.%s' is not supported on procfs %s probes", comp->next->str,
			   rp->procfs_write ? "write" : "read");
		return PROVIDER_ERROR;
	}
	rp->is_return = 0;
	rp->symbol = xstrdup(name);		/* the file name */
	rp->procfs_umask = (int)umask;
	rp->procfs_maxsize = maxsize;
	rp->pp = probe_point_text(point);
	if (!first->arg) {			/* pp() names the default file */
		key = rp->pp;
		rp->pp = xasprintf("procfs(\"command\")%s", key + strlen("procfs"));
		free(key);
	}
	key = xasprintf("procfs(\"%s\").%s", name, rp->procfs_write ? "write" : "read");
	if (already_probed(key, &point->tok)) {
		free(key);
		return PROVIDER_ERROR;
	}
	free(key);
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
	/* a read probe makes the file's content by assigning it (= or .=),
	 * up to the file's buffer size, which .maxsize(N) may make larger
	 * than a string */
	out->writable = !rp->procfs_write;
	out->c_strstore = "stp_procfs_store";
	return 0;
}

/* Points of one file share one entry: its read and write probes, its mode
 * (SystemTap's: 0444 for a read probe, 0222 for a write probe, less both
 * probes' umasks) and its buffer size (the read probe's .maxsize). */
static void emit_procfs(struct resolved_point **points, int n, struct emit_tables *out)
{
	int i, j;

	emit_probe_structs(out->decls, "stp_procfs_probe", points, n);
	sb_add(out->decls, "\nstatic struct stp_procfs_file stp_procfs_files[] = {\n");
	for (i = 0; i < n; i++) {
		int has_read = 0, has_write = 0, mode = 0, umask = 0;
		int64_t maxsize = 0;

		for (j = 0; j < i && strcmp(points[j]->symbol, points[i]->symbol) != 0; j++)
			;
		if (j < i)
			continue;	/* this file's entry is written already */
		sb_add(out->decls, "\t{ .name = ");
		sb_add_c_string(out->decls, points[i]->symbol);
		for (j = i; j < n; j++) {
			const struct resolved_point *pt = points[j];

			if (strcmp(pt->symbol, points[i]->symbol) != 0)
				continue;
			if (pt->procfs_write && !has_write++)
				sb_printf(out->decls, ", .write = &stp_procfs_probe_%d", j);
			if (!pt->procfs_write && !has_read++)
				sb_printf(out->decls, ", .read = &stp_procfs_probe_%d", j);
			mode |= pt->procfs_write ? 0222 : 0444;
			umask |= pt->procfs_umask >= 0 ? pt->procfs_umask :
				 pt->procfs_write ? DEFAULT_WRITE_UMASK : DEFAULT_READ_UMASK;
			if (pt->procfs_maxsize)
				maxsize = pt->procfs_maxsize;
		}
		sb_printf(out->decls, ", .mode = 0%o", mode & ~umask);
		if (maxsize)
			sb_printf(out->decls, ", .bufsize = %lld", (long long)maxsize);
		sb_add(out->decls, " },\n");
	}
	sb_add(out->decls, "};\n\n");
	sb_add(out->groups, "\t{ \"procfs\", stp_procfs_arm, stp_procfs_disarm, stp_procfs_files, ARRAY_SIZE(stp_procfs_files) },\n");
}

static const char *const procfs_families[] = { "procfs", NULL };

static const char *const procfs_forms[] = {
	"procfs.read", "procfs.read.maxsize(number)", "procfs.umask(number).read",
	"procfs.umask(number).read.maxsize(number)", "procfs.umask(number).write", "procfs.write",
	"procfs(string).read", "procfs(string).read.maxsize(number)",
	"procfs(string).umask(number).read", "procfs(string).umask(number).read.maxsize(number)",
	"procfs(string).umask(number).write", "procfs(string).write", NULL,
};

const struct provider provider_procfs = {
	.name = "procfs", .families = procfs_families, .resolve = resolve_procfs,
	.emit = emit_procfs, .bind_target = bind_procfs_target, .forms = procfs_forms,
};
