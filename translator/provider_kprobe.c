/* provider_kprobe.c - probes on kernel functions by symbol, with no
 * debuginfo: kprobe.function("SYM"), kprobe.module("M").function("SYM"),
 * kernel.function("SYM"), module("M").function("SYM"), each with .return
 * (kernel/module forms also .call; kernel.function also .exported: the
 * global symbols, System.map's 'T').  The kernel resolves the symbol when the
 * probe is registered (runtime/stp_kprobe.h), so a module built here never
 * carries an address from the build host -- except the guru-mode
 * kprobe.statement(ADDRESS).absolute (and kernel.statement(ADDRESS).absolute),
 * whose address the user gives for the running kernel, as is. */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "blocklist.h"
#include "provider.h"
#include "symtab.h"

/* Registering kprobes one by one takes time; more than this many is far
 * more likely a too-wide pattern than intent. */
#define MAX_EXPANSION 10000

/* Letters, digits, '_' and the one extra character `also` allows. */
static int is_name(const char *s, char also)
{
	const char *p;

	if (!*s)
		return 0;
	for (p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == also))
			return 0;
	return 1;
}

/* symbols may be compiler clones like foo.isra.0; modules may have '-' */
#define valid_symbol(s) is_name(s, '.')
#define valid_module(s) is_name(s, '-')

/* The string argument of a component, or an error. */
static int is_wildcard(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

static struct node *comp_of_function(struct node *point)
{
	struct node *c;

	for (c = point->components; c && strcmp(c->str, "function") != 0; c = c->next)
		;
	return c;
}

struct expansion {
	struct resolved_point *first, *last;
	const char *family;
	int count;
	int exported;			/* .exported: global functions only */
	int blocked;			/* matches left out (blocklist.c) */
};

/* kernel.function and module().function leave the blocklist out;
 * kprobe.function asks for exactly the symbol it names */
static int blocked_for(const char *family, const char *name)
{
	return strcmp(family, "kprobe") != 0 && kernel_function_blocked(name);
}

/* The error for a point whose only matches are blocked */
static void blocked_error(struct node *fcomp, const char *pattern, const char *family)
{
	diag_error("semantic error", &fcomp->arg->tok,
		   "%s.function(\"%s\") matches only functions stapc never probes this way (locks, atomics, the context switch, and the trap and fault handlers that probes run through); kprobe.function(\"NAME\") asks for one regardless",
		   family, pattern);
}

static void add_match(const char *name, void *arg)
{
	struct expansion *x = arg;
	struct resolved_point *rp;

	if (x->exported && symtab_is_global(name) != 1)
		return;
	if (blocked_for(x->family, name)) {
		x->blocked++;
		return;
	}
	rp = provider_expansion_point(x->first, x->last, x->count);
	rp->maxactive = x->first->maxactive;
	rp->at_function_entry = x->first->at_function_entry;
	rp->symbol = xstrdup(name);
	if (rp->maxactive)
		rp->pp = xasprintf("%s.function(\"%s\").return.maxactive(%lld)", x->family, name,
				   (long long)rp->maxactive);
	else
		rp->pp = xasprintf("%s.function(\"%s\")%s", x->family, name,
				   rp->is_return ? ".return" : x->exported ? ".exported" : "");
	x->last = rp;
	x->count++;
}

/* One resolved point per function the pattern matches in the target's
 * symbol table, chained through rp->next. */
static enum provider_match expand(struct node *fcomp,
				  struct resolved_point *rp, const char *pattern,
				  const char *family, int exported)
{
	struct expansion x = { .first = rp, .family = family, .exported = exported };
	int n = symtab_match(pattern, add_match, &x);

	if (n >= 0)
		n = x.count;
	if (n < 0) {
		diag_error("semantic error", &fcomp->arg->tok,
			   "cannot expand '%s' without the target's symbol table", pattern);
		return PROVIDER_ERROR;
	}
	if (n == 0 && rp->optional)
		return PROVIDER_SKIPPED;
	if (n == 0 && x.blocked) {
		blocked_error(fcomp, pattern, family);
		return PROVIDER_ERROR;
	}
	if (n == 0) {
		diag_error("semantic error", &fcomp->arg->tok,
			   "no %sfunction of the target kernel matches '%s'",
			   exported ? "global (.exported) " : "", pattern);
		return PROVIDER_ERROR;
	}
	if (n > MAX_EXPANSION) {
		diag_error("semantic error", &fcomp->arg->tok,
			   "'%s' matches %d functions, more than the %d kprobes stapc places at once",
			   pattern, n, MAX_EXPANSION);
		return PROVIDER_ERROR;
	}
	return PROVIDER_RESOLVED;
}

/* FAMILY.statement(ADDRESS).absolute: a kprobe at a raw address of the
 * running kernel.  Nothing checks the address before the kernel does at
 * registration, so only guru mode may say it. */
static enum provider_match resolve_absolute(struct node *point, struct node *comp,
					    struct resolved_point *rp)
{
	const char *family = point->components->str;
	struct node *abs = comp->next;

	if (!abs || strcmp(abs->str, "absolute") != 0 || abs->arg || abs->next) {
		if (strcmp(family, "kernel") == 0 && !abs)
			return PROVIDER_NO_MATCH;	/* relative addresses need debuginfo */
		struct node *at = !abs ? comp : abs->next && strcmp(abs->str, "absolute") == 0
				  ? abs->next : abs;

		diag_error("semantic error", &at->tok,
			   "expected '%s.statement(ADDRESS).absolute'", family);
		return PROVIDER_ERROR;
	}
	if (!provider_guru_mode()) {
		diag_error("semantic error", &point->tok,
			   "absolute statement probe in unprivileged script; need stap -g");
		return PROVIDER_ERROR;
	}
	rp->address = (uint64_t)comp->arg->num;
	rp->pp = probe_point_text(point);
	return PROVIDER_RESOLVED;
}

static enum provider_match resolve_kprobe(struct node *point, struct resolved_point *rp)
{
	struct node *comp = point->components;
	const char *family = comp->str, *module = NULL, *symbol;
	int is_kprobe = strcmp(family, "kprobe") == 0, exported = 0;

	comp = comp->next;
	if (strcmp(family, "module") != 0 && comp && strcmp(comp->str, "statement") == 0 &&
	    comp->arg && comp->arg->kind == N_NUMBER)
		return resolve_absolute(point, comp, rp);
	if (strcmp(family, "kernel") == 0 && (!comp || strcmp(comp->str, "function") != 0))
		return PROVIDER_NO_MATCH;	/* kernel.trace, kernel.statement, ... */
	if (strcmp(family, "module") == 0) {
		module = provider_string_arg(point->components);
		if (!module)
			return PROVIDER_ERROR;
	}
	if (is_kprobe && comp && strcmp(comp->str, "module") == 0) {
		module = provider_string_arg(comp);
		if (!module)
			return PROVIDER_ERROR;
		comp = comp->next;
	}
	if (!comp || strcmp(comp->str, "function") != 0) {
		if (comp && (strcmp(comp->str, "statement") == 0 || strcmp(comp->str, "inline") == 0))
			return PROVIDER_NO_MATCH;
		diag_error("semantic error", comp ? &comp->tok : &point->components->tok,
			   "expected '.function(\"NAME\")' after '%s'", family);
		return PROVIDER_ERROR;
	}
	symbol = provider_string_arg(comp);
	if (!symbol)
		return PROVIDER_ERROR;
	if (module && !valid_module(module)) {
		diag_error("semantic error", &point->tok,
			   "module name '%s' is not supported yet: wildcards in module names need the symbol table",
			   module);
		return PROVIDER_ERROR;
	}
	if (!valid_symbol(symbol) && !(is_wildcard(symbol) && !module)) {
		diag_error("semantic error", &comp->arg->tok,
			   strpbrk(symbol, "*?[@:")
			   ? "'%s': @FILE, :LINE and wildcards in module functions need debuginfo, which is not supported yet"
			   : "'%s' is not a function name", symbol);
		return PROVIDER_ERROR;
	}
	for (comp = comp->next; comp; comp = comp->next) {
		if (strcmp(comp->str, "return") == 0 && !comp->arg &&
		    (!comp->next || strcmp(comp->next->str, "maxactive") == 0)) {
			rp->is_return = 1;
		} else if (strcmp(comp->str, "maxactive") == 0 && rp->is_return && !comp->next) {
			/* how many calls at once the kretprobe can follow */
			if (!comp->arg || comp->arg->kind != N_NUMBER || comp->arg->num < 1 ||
			    comp->arg->num > 4096) {
				diag_error("semantic error", comp->arg ? &comp->arg->tok : &comp->tok,
					   "'.maxactive' needs a number from 1 to 4096");
				return PROVIDER_ERROR;
			}
			rp->maxactive = comp->arg->num;
		} else if (strcmp(comp->str, "call") == 0 && !is_kprobe && !comp->arg) {
			/* without debuginfo there are no inline instances to leave out */
		} else if (strcmp(comp->str, "exported") == 0 && !is_kprobe && !comp->arg &&
			   !comp->next && !module) {
			exported = 1;	/* the symbol table's 'T' tells */
		} else if (strcmp(comp->str, "exported") == 0 && module) {
			diag_error("semantic error", &comp->tok,
				   "'.exported' on module functions needs the module's debuginfo (its symbol table), not found");
			return PROVIDER_ERROR;
		} else {
			diag_error("semantic error", &comp->tok,
				   "'.%s' is not supported on %s probes (expected .return%s)",
				   comp->str, family, is_kprobe ? "" : " or .call");
			return PROVIDER_ERROR;
		}
	}
	/* a kprobe goes on the symbol's address itself */
	rp->at_function_entry = !rp->is_return;
	if (!is_wildcard(symbol) && blocked_for(family, symbol)) {
		if (rp->optional)
			return PROVIDER_SKIPPED;
		blocked_error(comp_of_function(point), symbol, family);
		return PROVIDER_ERROR;
	}
	if (is_wildcard(symbol))
		return expand(comp_of_function(point), rp, symbol, family, exported);
	if (exported && symtab_is_global(symbol) < 0) {
		diag_error("semantic error", &comp_of_function(point)->arg->tok,
			   "cannot tell whether '%s' is global (.exported) without the target's symbol table or debuginfo",
			   symbol);
		return PROVIDER_ERROR;
	}
	if (exported && symtab_is_global(symbol) == 0 && symtab_has(symbol) == 1) {
		if (rp->optional)
			return PROVIDER_SKIPPED;
		diag_error("semantic error", &comp_of_function(point)->arg->tok,
			   "function '%s' of the target kernel is not global (static): .exported leaves it out",
			   symbol);
		return PROVIDER_ERROR;
	}
	if (!module && symtab_has(symbol) == 0 && rp->optional)
		return PROVIDER_SKIPPED;
	if (!module && symtab_has(symbol) == 0) {
		diag_error("semantic error", &comp_of_function(point)->arg->tok,
			   "the target kernel has no function '%s'", symbol);
		return PROVIDER_ERROR;
	}
	rp->symbol = module ? xasprintf("%s:%s", module, symbol) : xstrdup(symbol);
	rp->pp = probe_point_text(point);
	return PROVIDER_RESOLVED;
}

static void emit_kprobes(struct resolved_point **points, int n, struct emit_tables *out)
{
	int i;

	emit_probe_structs(out->decls, "stp_kprobe_probe", points, n);
	/* one entry per probe, so its handler is called directly */
	for (i = 0; i < n; i++) {
		if (points[i]->is_return)
			sb_printf(out->decls, "static int stp_kprobe_entry_%d(struct kretprobe_instance *ri, struct pt_regs *regs)\n"
				  "{\n\treturn stp_kprobe_hit(&stp_kprobe_probe_%d, regs);\n}\n", i, i);
		else
			sb_printf(out->decls, "static int stp_kprobe_entry_%d(struct kprobe *kp, struct pt_regs *regs)\n"
				  "{\n\treturn stp_kprobe_hit(&stp_kprobe_probe_%d, regs);\n}\n", i, i);
	}
	sb_add(out->decls, "\nstatic struct stp_kprobe stp_kprobes[] = {\n");
	for (i = 0; i < n; i++) {
		sb_printf(out->decls, "\t{ .probe = &stp_kprobe_probe_%d, ", i);
		if (points[i]->symbol) {
			sb_add(out->decls, ".symbol = ");
			sb_add_c_string(out->decls, points[i]->symbol);
		} else {
			sb_printf(out->decls, ".address = 0x%llxULL",
				  (unsigned long long)points[i]->address);
		}
		sb_printf(out->decls, ", .is_return = %s, .%s = stp_kprobe_entry_%d%s",
			  points[i]->is_return ? "true" : "false",
			  points[i]->is_return ? "ret" : "pre", i,
			  points[i]->optional ? ", .optional = true" : "");
		if (points[i]->maxactive)
			sb_printf(out->decls, ", .maxactive = %lld", (long long)points[i]->maxactive);
		sb_add(out->decls, " },\n");
	}
	sb_add(out->decls, "};\n\n");
	sb_add(out->groups, "\t{ \"kprobe\", stp_kprobes_arm, stp_kprobes_disarm, stp_kprobes, ARRAY_SIZE(stp_kprobes) },\n");
}

static const char *const kprobe_families[] = { "kprobe", "kernel", "module", NULL };

/* kernel.function and module().function by symbol, without debuginfo */
static const char *const kprobe_forms[] = {
	"kprobe.function(string)", "kprobe.function(string).return",
	"kprobe.module(string).function(string)", "kprobe.module(string).function(string).return",
	"kernel.function(string)", "kernel.function(string).call", "kernel.function(string).return",
	"kernel.function(string).exported",
	"module(string).function(string)", "module(string).function(string).call",
	"module(string).function(string).return",
	"kprobe.statement(number).absolute", "kernel.statement(number).absolute", NULL,
};

const struct provider provider_kprobe = {
	.name = "kprobe", .families = kprobe_families, .resolve = resolve_kprobe, .emit = emit_kprobes,
	.forms = kprobe_forms,
};
