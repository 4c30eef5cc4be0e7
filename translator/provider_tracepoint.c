/* provider_tracepoint.c - kernel.trace("SYSTEM:EVENT") and
 * kernel.trace("EVENT") probes, wildcards in both parts, with the
 * tracepoint's TP_PROTO arguments as $name target variables.
 *
 * Pass 2 finds the tracepoints in the target's trace headers
 * (tracepoints.c); the module finds each one by name in the running kernel
 * and registers a generated callback on it (runtime/stp_tracepoint.h).
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "provider.h"
#include "tracepoints.h"

/* Registering thousands of tracepoint callbacks takes a while and makes the
 * traced kernel crawl: more than this is a too-wide pattern. */
#define MAX_EXPANSION 4000

struct expansion {
	struct resolved_point *first, *last;
	int count;
	/* A wildcard also matches events of modules that are not loaded and
	 * of options the kernel was built without: those are skipped at
	 * registration, as if marked '?'. */
	int wildcard;
};

static void add_match(const struct tracepoint_event *ev, void *arg)
{
	struct expansion *x = arg;
	struct resolved_point *rp = provider_expansion_point(x->first, x->last, x->count);

	rp->optional = x->first->optional || x->wildcard;
	rp->tracepoint = ev;
	rp->vars = ev->vars ? xstrdup(ev->vars) : NULL;
	rp->pp = xasprintf("kernel.trace(\"%s:%s\")", ev->system, ev->name);
	x->last = rp;
	x->count++;
}

static enum provider_match resolve_trace(struct node *point, struct resolved_point *rp)
{
	struct node *comp = point->components->next;
	struct expansion x = { .first = rp };
	int n;

	if (!comp || strcmp(comp->str, "trace") != 0)
		return PROVIDER_NO_MATCH;	/* kernel.function, ... */
	if (!comp->arg || comp->arg->kind != N_STRING || !comp->arg->str[0]) {
		diag_error("semantic error", &comp->tok,
			   "kernel.trace needs a tracepoint name: kernel.trace(\"SYSTEM:EVENT\") or kernel.trace(\"EVENT\")");
		return PROVIDER_ERROR;
	}
	if (comp->next) {
		diag_error("semantic error", &comp->next->tok,
			   "'.%s' is not supported on kernel.trace probes", comp->next->str);
		return PROVIDER_ERROR;
	}
	x.wildcard = strpbrk(comp->arg->str, "*?[") != NULL;
	n = tracepoints_match(comp->arg->str, add_match, &x);
	if (n < 0) {
		diag_error("semantic error", &comp->arg->tok,
			   "cannot find tracepoint '%s' without the target's trace headers",
			   comp->arg->str);
		return PROVIDER_ERROR;
	}
	if (n == 0 && rp->optional)
		return PROVIDER_SKIPPED;
	if (n == 0) {
		diag_error("semantic error", &comp->arg->tok,
			   "no tracepoint of the target kernel matches '%s'", comp->arg->str);
		return PROVIDER_ERROR;
	}
	if (n > MAX_EXPANSION) {
		diag_error("semantic error", &comp->arg->tok,
			   "'%s' matches %d tracepoints, more than the %d stapc registers at once",
			   comp->arg->str, n, MAX_EXPANSION);
		return PROVIDER_ERROR;
	}
	return PROVIDER_RESOLVED;
}

/* ---- the callback ABI ------------------------------------------------ */

/*
 * A tracepoint calls its probes as cb(data, ARGS...) with the TP_PROTO
 * types.  Including the trace headers for those types is fragile (some
 * need private driver headers, and they declare the tracepoints
 * themselves), so the callback is declared with ABI-equivalent types:
 *  - any pointer (also arrays and function pointers) as `void *`: every
 *    Linux ABI passes all data pointers alike;
 *  - integer types linux/types.h declares (u32, pid_t, bool, ...) as
 *    themselves, so narrow ones are read with their own width;
 *  - `enum X` as int, which is how the kernel's enums are passed.
 * Anything else (a struct or union by value, a typedef we do not know)
 * ends the declared parameters there: the caller still passes the rest,
 * which C's caller-cleans-up conventions make harmless, but they are not
 * available to the script.  (A kCFI kernel would reject the shorter type;
 * Debian's gcc-built kernels do not use kCFI.)
 */
static const char *const scalar_types[] = {
	"bool", "_Bool", "char", "signed char", "unsigned char", "short", "unsigned short",
	"short int", "unsigned short int", "int", "unsigned int", "unsigned", "signed",
	"long", "unsigned long", "long int", "unsigned long int",
	"long long", "unsigned long long",
	"u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64",
	"__u8", "__u16", "__u32", "__u64", "__s8", "__s16", "__s32", "__s64",
	"int8_t", "int16_t", "int32_t", "int64_t",
	"uint8_t", "uint16_t", "uint32_t", "uint64_t",
	"__le16", "__le32", "__le64", "__be16", "__be32", "__be64",
	"size_t", "ssize_t", "loff_t", "off_t", "pid_t", "uid_t", "gid_t", "gfp_t",
	"dev_t", "umode_t", "ino_t", "sector_t", "blkcnt_t", "pgoff_t", "fmode_t",
	"phys_addr_t", "dma_addr_t", "resource_size_t", "ktime_t", "time64_t",
	"clockid_t", "__poll_t", "slab_flags_t",
	NULL,
};

/* The type without const/volatile qualifiers (malloc'd). */
static char *unqualified(const char *type)
{
	struct strbuf sb = { 0 };
	const char *p = type;

	sb_add(&sb, "");
	while (*p) {
		size_t len = strcspn(p, " ");

		if (!((len == 5 && strncmp(p, "const", 5) == 0) ||
		      (len == 8 && strncmp(p, "volatile", 8) == 0))) {
			if (sb.len)
				sb_add(&sb, " ");
			sb_addn(&sb, p, len);
		}
		p += len;
		while (*p == ' ')
			p++;
	}
	return sb.buf;
}

/* The C type to declare argument i with, or NULL when it cannot be. */
static char *abi_type(const char *type)
{
	char *t;
	int i;

	if (strchr(type, '*'))
		return xstrdup("void *");
	t = unqualified(type);
	if (strncmp(t, "enum ", 5) == 0) {
		free(t);
		return xstrdup("int");
	}
	for (i = 0; scalar_types[i]; i++)
		if (strcmp(scalar_types[i], t) == 0)
			return t;
	free(t);
	return NULL;
}

/* How many leading arguments the callback declares. */
static int usable_args(const struct tracepoint_event *ev)
{
	int i;

	for (i = 0; i < ev->n_args; i++) {
		char *t = abi_type(ev->arg_types[i]);

		if (!t)
			break;
		free(t);
	}
	return i;
}

/* ---- target variables ------------------------------------------------ */

static int bind_trace_target(struct resolved_point *rp, struct node *target,
			     struct target_binding *out, char *err, size_t errlen)
{
	const struct tracepoint_event *ev = rp->tracepoint;
	const char *name = target->str;
	int i;

	if (target->members) {
		snprintf(err, errlen, "'%s': members of tracepoint arguments need debuginfo, which is not supported yet; use @cast or kernel_long() on the pointer",
			 name);
		return -1;
	}
	if (strcmp(name, "$$parms") == 0 || strcmp(name, "$$vars") == 0) {
		struct strbuf names = { 0 };

		sb_add(&names, "");
		for (i = 0; i < usable_args(ev); i++)
			sb_printf(&names, "%s%s", i ? " " : "", ev->arg_names[i]);
		out->type = TYPE_STRING;
		out->c_expr = xasprintf("stp_trace_parms(c, $T, \"%s\")", names.buf);
		sb_free(&names);
		return 0;
	}
	for (i = 0; i < ev->n_args; i++)
		if (strcmp(ev->arg_names[i], name + 1) == 0)
			break;
	if (name[0] != '$' || name[1] == '$' || i == ev->n_args) {
		struct strbuf have = { 0 };
		int j;

		sb_add(&have, "");
		for (j = 0; j < ev->n_args; j++)
			sb_printf(&have, "%s$%s", j ? " " : "", ev->arg_names[j]);
		snprintf(err, errlen, "unable to find tracepoint variable '%s' at %s (it has: %s)",
			 name, rp->pp, ev->n_args ? have.buf : "no arguments");
		sb_free(&have);
		return -1;
	}
	if (i >= usable_args(ev)) {
		snprintf(err, errlen, "tracepoint variable '%s' at %s comes after an argument passed by value ('%s'), which stapc cannot declare",
			 name, rp->pp, ev->arg_types[usable_args(ev)]);
		return -1;
	}
	out->type = TYPE_LONG;
	out->c_expr = xasprintf("c->trace_args[%d]", i);
	return 0;
}

/* ---- emission -------------------------------------------------------- */

static void emit_callback(struct strbuf *out, int i, const struct resolved_point *rp)
{
	const struct tracepoint_event *ev = rp->tracepoint;
	int n = usable_args(ev), a;

	sb_printf(out, "/* %s: TP_PROTO(", rp->pp);
	for (a = 0; a < ev->n_args; a++)
		sb_printf(out, "%s%s%s%s", a ? ", " : "", ev->arg_types[a],
			  strchr(ev->arg_types[a], '*') ? "" : " ", ev->arg_names[a]);
	sb_printf(out, ") */\nstatic void stp_trace_entry_%d(void *stp_data", i);
	for (a = 0; a < n; a++) {
		char *t = abi_type(ev->arg_types[a]);

		sb_printf(out, ", %s%stp_%s", t, strchr(t, '*') ? "" : " ", ev->arg_names[a]);
		free(t);
	}
	sb_add(out, ")\n{\n");
	if (n) {
		sb_add(out, "\tconst s64 args[] = {");
		for (a = 0; a < n; a++)
			sb_printf(out, "%s%stp_%s", a ? ", " : " ",
				  strchr(ev->arg_types[a], '*') ? "(long)" : "(s64)", ev->arg_names[a]);
		sb_add(out, " };\n\n");
	}
	sb_printf(out, "\tstp_trace_hit(&stp_trace_probe_%d, %s);\n}\n\n", i, n ? "args" : "NULL");
}

static void emit_traces(struct resolved_point **points, int n, struct emit_tables *out)
{
	int i;

	emit_probe_structs(out->decls, "stp_trace_probe", points, n);
	sb_add(out->decls, "\n");
	for (i = 0; i < n; i++)
		emit_callback(out->decls, i, points[i]);
	sb_add(out->decls, "static struct stp_tracepoint stp_tracepoints[] = {\n");
	for (i = 0; i < n; i++) {
		sb_printf(out->decls, "\t{ .probe = &stp_trace_probe_%d, .name = ", i);
		sb_add_c_string(out->decls, points[i]->tracepoint->name);
		sb_printf(out->decls, ", .callback = stp_trace_entry_%d%s },\n", i,
			  points[i]->optional ? ", .optional = true" : "");
	}
	sb_add(out->decls, "};\n\n");
	sb_add(out->groups, "\t{ \"tracepoint\", stp_tracepoints_arm, stp_tracepoints_disarm, stp_tracepoints, ARRAY_SIZE(stp_tracepoints) },\n");
}

static const char *const trace_families[] = { "kernel", NULL };

static const char *const trace_forms[] = { "kernel.trace(string)", NULL };

const struct provider provider_tracepoint = {
	.name = "tracepoint", .families = trace_families, .resolve = resolve_trace,
	.emit = emit_traces, .bind_target = bind_trace_target, .forms = trace_forms,
};
