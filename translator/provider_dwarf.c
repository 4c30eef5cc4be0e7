/* provider_dwarf.c - kernel.function("PATTERN[@FILE[:LINE[-LINE]]]") and
 * module("M").function(...) resolved through debuginfo: wildcards over
 * DWARF names, probes placed after the prologue the way SystemTap places
 * them, -L with each point's variables.  Without debuginfo, plain function
 * names fall through to provider_kprobe (symbol table); what needs DWARF
 * (@FILE, :LINE, -L) says what was looked for. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "dwarf_info.h"
#include "blocklist.h"
#include "provider.h"

#define MAX_EXPANSION 10000

struct dwarf_point_spec {
	const char *module;		/* NULL: the kernel */
	char *func, *file;
	int line_from, line_to;
	int is_return, is_call, is_inline;
	int is_exported;		/* .exported: EXPORT_SYMBOL* functions only */
	int is_statement;		/* .statement("FUNC@FILE:LINE") */
	const char *callee;		/* .callee("PATTERN[@FILE[:LINE]]") */
};

int dwarf_split_function_arg(const char *arg, char **func, char **file, int *line_from,
			     int *line_to)
{
	const char *at = strchr(arg, '@'), *colon;
	char *end;

	*func = at ? strndup(arg, at - arg) : xstrdup(arg);
	if (!at)
		return 0;
	colon = strchr(at + 1, ':');
	*file = colon ? strndup(at + 1, colon - at - 1) : xstrdup(at + 1);
	if (!colon)
		return 0;
	if (strcmp(colon + 1, "*") == 0) {
		*line_from = 1;
		*line_to = DWARF_LINE_ANY;
		return 0;
	}
	*line_from = (int)strtol(colon + 1, &end, 10);
	*line_to = *line_from;
	if (*end == '-')
		*line_to = (int)strtol(end + 1, &end, 10);
	return (*end || *line_from <= 0 || *line_to < *line_from) ? -1 : 0;
}

static int split_function_arg(const char *arg, struct dwarf_point_spec *s)
{
	return dwarf_split_function_arg(arg, &s->func, &s->file, &s->line_from, &s->line_to);
}

/* What bind_target needs again for each point this provider resolved:
 * which debug file, which function DIE, which address. */
struct dwarf_site {
	const struct resolved_point *rp;
	char *path;
	uint64_t die, pc;
	/* .return: registers saved at entry, for $param (slot = index);
	 * otherwise those DW_OP_entry_value needs, saved by a kprobe at
	 * save_offset into the point's symbol (the function's entry) */
	struct dwarf_entry_regs entry;
	unsigned long save_offset;
	/* .callee: the probe runs only for calls returning to one of these
	 * offsets into the caller's symbol (slot caller_slot of the table
	 * looked up at start) */
	int caller_slot, n_returns;
	unsigned long *returns;
	struct dwarf_site *next;
};

static struct dwarf_site *sites;

static struct dwarf_site *site_of(const struct resolved_point *rp)
{
	struct dwarf_site *s;

	for (s = sites; s && s->rp != rp; s = s->next)
		;
	return s;
}

static void remember_site(const struct resolved_point *rp, const char *path, uint64_t die,
			  uint64_t pc)
{
	struct dwarf_site *s = xcalloc(1, sizeof(*s));

	s->rp = rp;
	s->path = xstrdup(path);
	s->die = die;
	s->pc = pc;
	s->next = sites;
	sites = s;
}

void provider_dwarf_free(void)
{
	while (sites) {
		struct dwarf_site *s = sites;

		sites = s->next;
		free(s->returns);
		free(s->path);
		free(s);
	}
}

struct expansion {
	const char *path;
	struct dwarf_point_spec *spec;
	struct resolved_point *first, *last;
	const char *prefix;		/* "kernel" or "module(\"m\")" */
	int count;
	int skipped_inline;		/* inlined copies left out (not probed yet) */
	int blocked;			/* matches left out (blocklist.c) */
};

/* "ext4" for "ext4", "/path/to/stp_dwarf_test.ko" or "xt-state": the name
 * the kernel gives the loaded module, for "MODULE:SYMBOL" */
static char *loaded_module_name(const char *module)
{
	const char *base = strrchr(module, '/') ? strrchr(module, '/') + 1 : module;
	size_t n = strlen(base);
	char *name, *p;

	if (n > 3 && strcmp(base + n - 3, ".ko") == 0)
		n -= 3;
	name = strndup(base, n);
	for (p = name; *p; p++)
		if (*p == '-')
			*p = '_';
	return name;
}

static void add_function(const struct dwarf_function *f, void *arg)
{
	struct expansion *x = arg;
	struct resolved_point *rp;

	if ((x->spec->is_inline && !f->is_inline) ||
	    ((x->spec->is_call || x->spec->is_return || x->spec->is_exported) && f->is_inline))
		return;
	if (x->spec->is_exported && !dwarf_function_exported(x->path, f->name, f->entry))
		return;
	if (kernel_function_blocked(f->name)) {
		x->blocked++;
		return;
	}
	/* a kprobe needs a symbol to be placed by (an inlined copy: the
	 * function it was inlined into) */
	if (!dwarf_listing() && !f->symbol) {
		x->skipped_inline += f->is_inline;
		return;
	}
	rp = provider_expansion_point(x->first, x->last, x->count);
	rp->is_return = x->spec->is_return;
	if (f->symbol) {
		if (x->spec->module) {
			char *m = loaded_module_name(x->spec->module);

			rp->symbol = xasprintf("%s:%s", m, f->symbol);
			free(m);
		} else {
			rp->symbol = xstrdup(f->symbol);
		}
		rp->offset = x->spec->is_return ? 0 : (unsigned long)f->offset;
	}
	rp->pp = xasprintf("%s.%s(\"%s@%s:%d\")%s", x->prefix,
			   x->spec->is_statement ? "statement" : "function", f->name,
			   f->file ? f->file : "<unknown source>", f->line,
			   x->spec->is_return ? ".return" : x->spec->is_call ? ".call"
			   : x->spec->is_inline ? ".inline" : x->spec->is_exported ? ".exported" : "");
	if (f->vars && x->spec->is_return && f->return_type)
		rp->vars = xasprintf(" $return:%s%s", f->return_type, f->vars);
	else if (f->vars)
		rp->vars = xstrdup(f->vars);
	remember_site(rp, x->path, f->die, f->probe_pc);
	if (dwarf_listing())
		rp->offset = (unsigned long)x->count;	/* for same_point_once() */
	x->last = rp;
	x->count++;
}

static int by_pp_then_pc(const void *a, const void *b)
{
	const struct resolved_point *l = *(const struct resolved_point *const *)a;
	const struct resolved_point *r = *(const struct resolved_point *const *)b;
	int c = strcmp(l->pp, r->pp);

	if (c)
		return c;
	return l->offset < r->offset ? -1 : l->offset > r->offset;
}

/* 1 if the variable list vars (" $a:int $b:char*") has " $one:type"
 * (one: its text up to the next " $" or the end, n bytes) */
static int has_var(const char *vars, const char *one, size_t n)
{
	const char *p;

	for (p = vars; p && (p = strstr(p, " $")); p += 2)
		if (strncmp(p, one, n) == 0 && (p[n] == '\0' || strncmp(p + n, " $", 2) == 0))
			return 1;
	return 0;
}

char *dwarf_common_vars(const char *a, const char *b)
{
	const char *p = a, *next;
	size_t len = 0;
	char *out;

	if (!a || !b)
		return NULL;
	out = xcalloc(1, strlen(a) + 1);
	for (; (p = strstr(p, " $")); p = next) {
		size_t one;

		next = strstr(p + 2, " $");
		one = next ? (size_t)(next - p) : strlen(p);
		if (has_var(b, p, one)) {
			memcpy(out + len, p, one);
			len += one;
		}
		if (!next)
			break;
	}
	return out;
}

/* -L prints each probe point once, as SystemTap does, with the variables
 * that all of its copies (an out-of-line body and inlined copies, or a
 * statement in each inlined copy) have, in the order of the first copy
 * found: give every copy those, so the listing's de-duplication keeps
 * one line. */
static void same_point_once(struct resolved_point *first, int n)
{
	struct resolved_point **all = xcalloc(n, sizeof(*all)), *rp;
	int i = 0, j, k, m;

	for (rp = first; rp && i < n; rp = rp->next)
		all[i++] = rp;
	qsort(all, i, sizeof(*all), by_pp_then_pc);
	for (j = 0; j < i; j = k) {
		char *common;

		for (k = j + 1; k < i && strcmp(all[k]->pp, all[j]->pp) == 0; k++)
			;
		if (k == j + 1)
			continue;
		common = all[j]->vars ? xstrdup(all[j]->vars) : NULL;
		for (m = j + 1; m < k; m++) {
			char *both = dwarf_common_vars(common, all[m]->vars);

			free(common);
			common = both;
		}
		for (; j < k; j++) {
			free(all[j]->vars);
			all[j]->vars = common ? xstrdup(common) : NULL;
		}
		free(common);
	}
	free(all);
}

static void no_debuginfo(struct node *point, const struct dwarf_point_spec *s, const char *looked)
{
	if (s->module)
		diag_error("semantic error", &point->tok,
			   "no debuginfo for module '%s' (looked for %s): build it with -g or name its .ko with --debuginfo-path DIR; without debuginfo, kprobe.module(\"M\").function(\"NAME\") and module(\"M\").function(\"NAME\") by symbol still work",
			   s->module, looked);
	else
		diag_error("semantic error", &point->tok,
			   "no debuginfo for the target kernel (looked for %s): install the kernel's -dbg package or give --debuginfo-path DIR; without debuginfo, kprobe.function(\"NAME\"), kernel.function(\"NAME\") by symbol and kernel.trace(\"NAME\") still work",
			   looked);
}

static void free_spec(struct dwarf_point_spec *s)
{
	free(s->func);
	free(s->file);
}

/* .callee("PATTERN"): the out-of-line bodies matching CALLER, each with
 * the calls it makes (from its DWARF call sites) */
struct caller {
	const char *name, *file, *symbol;	/* libdw's and libdwfl's strings */
	int line;
	uint64_t die, symbol_addr;
};

struct call {
	const char *callee;
	uint64_t return_pc;
};

struct callers {
	struct caller *list;
	int n;
	struct call *calls;
	int n_calls;
};

static void *grow(void *p, size_t size)
{
	p = realloc(p, size);
	if (!p)
		abort();
	return p;
}

static void add_caller(const struct dwarf_function *f, void *arg)
{
	struct callers *c = arg;
	struct caller *me;

	if (f->is_inline || (!dwarf_listing() && !f->symbol))
		return;
	c->list = grow(c->list, sizeof(*c->list) * (c->n + 1));
	me = &c->list[c->n++];
	me->name = f->name;
	me->file = f->file ? f->file : "<unknown source>";
	me->line = f->line;
	me->symbol = f->symbol;
	me->die = f->die;
	me->symbol_addr = f->probe_pc - f->offset;
}

static void add_call(const char *callee, uint64_t return_pc, void *arg)
{
	struct callers *c = arg;

	c->calls = grow(c->calls, sizeof(*c->calls) * (c->n_calls + 1));
	c->calls[c->n_calls].callee = callee;
	c->calls[c->n_calls++].return_pc = return_pc;
}

static int by_callee_then_pc(const void *a, const void *b)
{
	const struct call *l = a, *r = b;
	int c = strcmp(l->callee, r->callee);

	if (c)
		return c;
	return l->return_pc < r->return_pc ? -1 : l->return_pc > r->return_pc;
}

/* One callee of one caller: its calls are calls[0..n) */
struct callee_expansion {
	struct expansion *x;
	const struct caller *caller;
	const struct call *calls;
	int n;
};

static char *with_module(const char *module, const char *symbol)
{
	char *m, *full;

	if (!module)
		return xstrdup(symbol);
	m = loaded_module_name(module);
	full = xasprintf("%s:%s", m, symbol);
	free(m);
	return full;
}

/* A probe at the callee's entry, where the return address is still where
 * the call left it (x86-64: on the stack; arm64: in x30); its handler
 * checks that address against the caller's call sites. */
static void add_callee(const struct dwarf_function *f, void *arg)
{
	struct callee_expansion *cx = arg;
	struct expansion *x = cx->x;
	struct resolved_point *rp;
	struct dwarf_site *site;
	int k;

	if (f->is_inline || (!dwarf_listing() && !f->symbol))
		return;
	if (kernel_function_blocked(f->name)) {
		x->blocked++;
		return;
	}
	rp = provider_expansion_point(x->first, x->last, x->count);
	rp->is_return = x->spec->is_return;
	if (f->symbol) {
		rp->symbol = with_module(x->spec->module, f->symbol);
		rp->offset = (unsigned long)(f->entry - (f->probe_pc - f->offset));
	}
	rp->pp = xasprintf("%s.function(\"%s@%s:%d\").callee(\"%s@%s:%d\")%s", x->prefix,
			   cx->caller->name, cx->caller->file, cx->caller->line, f->name,
			   f->file ? f->file : "<unknown source>", f->line,
			   x->spec->is_return ? ".return" : "");
	if (f->vars && x->spec->is_return && f->return_type)
		rp->vars = xasprintf(" $return:%s%s", f->return_type, f->vars);
	else if (f->vars)
		rp->vars = xstrdup(f->vars);
	/* variables where the probe is: at the entry (a .return's
	 * parameters: as at any .return) */
	remember_site(rp, x->path, f->die, x->spec->is_return ? f->probe_pc : f->entry);
	site = sites;
	if (cx->caller->symbol) {
		char *full = with_module(x->spec->module, cx->caller->symbol);

		site->caller_slot = dwarf_symbol_slot(full);
		free(full);
		site->returns = xcalloc(cx->n, sizeof(*site->returns));
		for (k = 0; k < cx->n; k++)
			site->returns[site->n_returns++] =
				(unsigned long)(cx->calls[k].return_pc - cx->caller->symbol_addr);
	}
	if (dwarf_listing())
		rp->offset = (unsigned long)x->count;	/* for same_point_once() */
	x->last = rp;
	x->count++;
}

/* Every (caller, callee) pair of .callee("PATTERN"): -1 with a message
 * when the debug file cannot be read */
static int expand_callees(struct expansion *x, const struct dwarf_point_spec *callee_spec,
			  int *n_callers, char *err, size_t errlen)
{
	struct callers c = { 0 };
	int i, j, k, rc = 0;

	rc = dwarf_match_functions(x->path, x->spec->func, x->spec->file, x->spec->line_from,
				   x->spec->line_to, !x->spec->module, 0, 0, !dwarf_listing(),
				   add_caller, &c, err, errlen);
	*n_callers = c.n;
	for (i = 0; rc >= 0 && i < c.n; i++) {
		c.n_calls = 0;
		rc = dwarf_call_sites(x->path, c.list[i].die, callee_spec->func, add_call, &c,
				      err, errlen);
		if (rc < 0 || c.n_calls == 0)
			continue;
		qsort(c.calls, c.n_calls, sizeof(*c.calls), by_callee_then_pc);
		for (j = 0; rc >= 0 && j < c.n_calls; j = k) {
			struct callee_expansion cx = { .x = x, .caller = &c.list[i],
						       .calls = &c.calls[j] };
			char *name = xstrdup(c.calls[j].callee);

			for (k = j; k < c.n_calls && strcmp(c.calls[k].callee, name) == 0; k++)
				;
			cx.n = k - j;
			rc = dwarf_match_functions(x->path, name, callee_spec->file,
						   callee_spec->line_from, callee_spec->line_to,
						   !x->spec->module, 0, dwarf_listing() == 2,
						   !dwarf_listing(), add_callee, &cx, err, errlen);
			free(name);
		}
	}
	free(c.calls);
	free(c.list);
	return rc < 0 ? -1 : 0;
}

static enum provider_match resolve_dwarf(struct node *point, struct resolved_point *rp)
{
	struct dwarf_point_spec spec = { 0 };
	struct expansion x = { .spec = &spec, .first = rp };
	struct node *comp = point->components, *fcomp, *callee_comp = NULL;
	struct dwarf_point_spec callee_spec = { 0 };
	const char *path, *arg;
	char looked[2048], err[512];
	char *prefix = NULL;
	enum provider_match result = PROVIDER_ERROR;
	int n;

	if (strcmp(comp->str, "module") == 0) {
		spec.module = provider_string_arg(comp);
		if (!spec.module)
			return PROVIDER_ERROR;
	}
	fcomp = comp->next;
	if (!fcomp || (strcmp(fcomp->str, "function") != 0 && strcmp(fcomp->str, "statement") != 0))
		return PROVIDER_NO_MATCH;
	spec.is_statement = strcmp(fcomp->str, "statement") == 0;
	if (!fcomp->arg || fcomp->arg->kind != N_STRING) {
		/* statement(ADDRESS).absolute is provider_kprobe's */
		if (!spec.is_statement || (fcomp->arg && fcomp->arg->kind == N_NUMBER && !spec.module))
			return PROVIDER_NO_MATCH;
		diag_error("semantic error", &fcomp->tok,
			   "'statement' needs a string argument: statement(\"FUNCTION@FILE:LINE\")");
		return PROVIDER_ERROR;
	}
	arg = fcomp->arg->str;
	for (comp = fcomp->next; comp; comp = comp->next)
		if (strcmp(comp->str, "exported") == 0 && (comp != fcomp->next || comp->next)) {
			diag_error("semantic error", &comp->tok,
				   "'.exported' takes no other suffix: FUNCTION(\"PATTERN\").exported, as in SystemTap");
			return PROVIDER_ERROR;
		}
	for (comp = fcomp->next; comp; comp = comp->next) {
		if (strcmp(comp->str, "callee") == 0 && comp == fcomp->next && !spec.is_statement &&
		    comp->arg && comp->arg->kind == N_STRING &&
		    (!comp->next || (strcmp(comp->next->str, "return") == 0 && !comp->next->arg &&
				     !comp->next->next))) {
			callee_comp = comp;
			spec.callee = comp->arg->str;
			continue;
		}
		if (strcmp(comp->str, "callee") == 0 && !spec.is_statement) {
			diag_error("semantic error", &comp->tok,
				   "'.callee' takes one string, FUNCTION(\"CALLER\").callee(\"CALLEE\"), and only .return after it");
			return PROVIDER_ERROR;
		}
		if (strcmp(comp->str, "callees") == 0 && comp == fcomp->next && !comp->next &&
		    !spec.is_statement && (!comp->arg || comp->arg->kind == N_NUMBER)) {
			/* .callees and .callees(1): .callee("*"), as in SystemTap */
			if (comp->arg && comp->arg->num < 1) {
				diag_error("semantic error", &comp->arg->tok,
					   "'.callees(N)' needs N of 1 or more (levels of calls)");
				return PROVIDER_ERROR;
			}
			if (comp->arg && comp->arg->num > 1) {
				/* the check at a callee of a callee would need the
				 * intermediate frames' return addresses: not yet */
				diag_error("semantic error", &comp->arg->tok,
					   "'.callees(N)' deeper than 1 is not supported yet: probe each level, FUNCTION(\"CALLER\").callees and FUNCTION(\"CALLEE\").callees");
				return PROVIDER_ERROR;
			}
			callee_comp = comp;
			spec.callee = "*";
			continue;
		}
		if (strcmp(comp->str, "callees") == 0 && !spec.is_statement) {
			diag_error("semantic error", &comp->tok,
				   "'.callees' takes a number, FUNCTION(\"CALLER\").callees(N), and no suffix after it");
			return PROVIDER_ERROR;
		}
		if (spec.is_statement) {
			diag_error("semantic error", &comp->tok,
				   "'.%s' is not supported on statement probes", comp->str);
			return PROVIDER_ERROR;
		}
		if (comp->arg || comp->next)
			return PROVIDER_NO_MATCH;	/* provider_kprobe says what is wrong */
		if (strcmp(comp->str, "return") == 0)
			spec.is_return = 1;
		else if (strcmp(comp->str, "call") == 0)
			spec.is_call = 1;
		else if (strcmp(comp->str, "inline") == 0)
			spec.is_inline = 1;
		else if (strcmp(comp->str, "exported") == 0 && comp == fcomp->next)
			spec.is_exported = 1;	/* as in SystemTap: never with another suffix */
		else
			return PROVIDER_NO_MATCH;
	}
	path = spec.module ? dwarf_module_file(spec.module, looked, sizeof(looked))
	       : dwarf_kernel_file(looked, sizeof(looked));
	if (!path) {
		/* plain names and wildcards still work from the symbol table */
		if (!strchr(arg, '@') && !spec.is_inline && !spec.is_statement && !spec.callee &&
		    dwarf_listing() < 2)
			return PROVIDER_NO_MATCH;
		no_debuginfo(point, &spec, looked);
		return PROVIDER_ERROR;
	}
	if (split_function_arg(arg, &spec) != 0 || (spec.is_statement && !spec.line_from)) {
		diag_error("semantic error", &fcomp->arg->tok,
			   spec.is_statement ? "'%s': expected FUNCTION@FILE:LINE (or :FROM-TO, :*)"
			   : "'%s': expected FUNCTION[@FILE[:LINE[-LINE]]]", arg);
		goto out;
	}
	x.path = path;
	prefix = spec.module ? xasprintf("module(\"%s\")", spec.module) : xstrdup("kernel");
	x.prefix = prefix;
	if (spec.callee) {
		int n_callers;

		if (split_function_arg(spec.callee, &callee_spec) != 0) {
			diag_error("semantic error", &callee_comp->arg->tok,
				   "'%s': expected FUNCTION[@FILE[:LINE[-LINE]]]", spec.callee);
			goto out;
		}
		if (expand_callees(&x, &callee_spec, &n_callers, err, sizeof(err)) != 0) {
			diag_error("semantic error", &point->tok, "%s", err);
			goto out;
		}
		if (x.count == 0 && rp->optional) {
			result = PROVIDER_SKIPPED;
		} else if (x.count == 0 && n_callers == 0 && spec.module) {
			diag_error("semantic error", &fcomp->arg->tok,
				   "no function of module '%s' with a body of its own matches '%s'",
				   spec.module, arg);
		} else if (x.count == 0 && n_callers == 0) {
			diag_error("semantic error", &fcomp->arg->tok,
				   "no function of the target kernel with a body of its own matches '%s'",
				   arg);
		} else if (x.count == 0) {
			diag_error("semantic error", callee_comp->arg ? &callee_comp->arg->tok : &callee_comp->tok,
				   "'%s' calls no function matching '%s' that has a body of its own (its DWARF call sites name the functions it calls; inlined and tail calls are not seen)",
				   arg, spec.callee);
		} else if (x.count > MAX_EXPANSION && !dwarf_listing()) {
			diag_error("semantic error", &fcomp->arg->tok,
				   "'%s' with its callees makes %d probe points, more than the %d kprobes stapc places at once",
				   arg, x.count, MAX_EXPANSION);
		} else {
			if (dwarf_listing() == 2)
				same_point_once(rp, x.count);
			result = PROVIDER_RESOLVED;
		}
		goto out;
	}
	n = dwarf_match_functions(path, spec.func, spec.file, spec.line_from, spec.line_to,
				  !spec.module, spec.is_statement, dwarf_listing() == 2, !dwarf_listing(), add_function, &x, err, sizeof(err));
	if (n < 0) {
		diag_error("semantic error", &point->tok, "%s", err);
		goto out;
	}
	if (x.count == 0 && rp->optional) {
		result = PROVIDER_SKIPPED;
		goto out;
	}
	if (x.count == 0 && x.blocked) {
		diag_error("semantic error", &fcomp->arg->tok,
			   "%s.%s(\"%s\") matches only functions stapc never probes this way (locks, atomics, the context switch, and the trap and fault handlers that probes run through); kprobe.function(\"NAME\") asks for one regardless",
			   x.prefix, fcomp->str, arg);
		goto out;
	}
	if (x.count == 0 && x.skipped_inline) {
		diag_error("semantic error", &fcomp->arg->tok,
			   "'%s' matches only inlined copies of functions that have no symbol to place a probe by",
			   arg);
		goto out;
	}
	if (x.count == 0 && spec.is_statement && dwarf_statement_miss()) {
		diag_error("semantic error", &fcomp->arg->tok, "%s", dwarf_statement_miss());
		goto out;
	}
	if (x.count == 0) {
		if (spec.module)
			diag_error("semantic error", &fcomp->arg->tok,
				   "no %sfunction of module '%s' matches '%s'",
				   spec.is_exported ? "exported " : "", spec.module, arg);
		else
			diag_error("semantic error", &fcomp->arg->tok,
				   "no %sfunction of the target kernel matches '%s'",
				   spec.is_exported ? "exported " : "", arg);
		goto out;
	}
	if (x.count > MAX_EXPANSION && !dwarf_listing()) {
		diag_error("semantic error", &fcomp->arg->tok,
			   "'%s' matches %d functions, more than the %d kprobes stapc places at once",
			   arg, x.count, MAX_EXPANSION);
		goto out;
	}
	if (dwarf_listing() == 2)
		same_point_once(rp, x.count);
	result = PROVIDER_RESOLVED;
out:
	free(prefix);
	free_spec(&spec);
	free_spec(&callee_spec);
	return result;
}

/* The index of the entry part (@entry(EXPR)) of .return point i, or -1;
 * any_parts: whether some point is one (most programs: none, no search) */
static int entry_part_of(struct resolved_point **points, int n, int i, int any_parts)
{
	int j;

	for (j = 0; any_parts && j < n; j++)
		if (points[j]->entry_of == points[i])
			return j;
	return -1;
}

/* .callee: the handler's first lines, which leave when the call does not
 * return into the caller (ret: the runtime check and its first argument,
 * the registers at entry or the return address; leave: what the entry
 * returns then) */
static void callee_check(struct strbuf *out, int i, const struct dwarf_site *site,
			 const char *ret, int leave)
{
	if (!site || !site->returns)
		return;
	sb_printf(out, "\tif (!stp_dwarf_%s, %d, stp_dwarf_returns_%d, %d))\n"
		  "\t\treturn %d;\t/* not called from the caller */\n",
		  ret, site->caller_slot, i, site->n_returns, leave);
}

/* Like provider_kprobe's, with each probe's offset into its symbol. */
static void emit_dwarf(struct resolved_point **points, int n, struct emit_tables *out)
{
	int i, k, pass, any_parts = 0;

	for (i = 0; i < n; i++)
		any_parts |= points[i]->entry_of != NULL;

	for (i = 0; i < n; i++) {
		char *var = xasprintf("stp_dwarf_probe_%d", i);

		const struct dwarf_site *site = site_of(points[i]);

		emit_probe_struct(out->decls, var, points[i]);
		free(var);
		if (!site || !site->returns)
			continue;
		/* .callee: where the caller's calls return, from its symbol */
		sb_printf(out->decls, "static const unsigned long stp_dwarf_returns_%d[] = {", i);
		for (k = 0; k < site->n_returns; k++)
			sb_printf(out->decls, "%s %#lx", k ? "," : "", site->returns[k]);
		sb_add(out->decls, " };\n");
	}
	for (i = 0; i < n; i++) {
		const struct dwarf_site *site = site_of(points[i]);
		int part = entry_part_of(points, n, i, any_parts);

		if (points[i]->entry_of)
			continue;	/* runs from its .return point's entry */
		if (points[i]->is_return && site && (site->entry.n || part >= 0)) {
			/* $param in .return: save the registers at entry, and
			 * point the handler at them (restoring what a nested
			 * probe on this CPU may have set); @entry(EXPR): run
			 * the entry part, which saves its values after them */
			sb_printf(out->decls, "static int stp_dwarf_rentry_%d(struct kretprobe_instance *ri, struct pt_regs *regs)\n"
				  "{\n\tunsigned long *saved = (unsigned long *)ri->data;\n", i);
			if (part >= 0)
				sb_add(out->decls, "\tunsigned long *outer = __this_cpu_read(stp_dwarf_entry_values);\n");
			sb_add(out->decls, "\n");
			callee_check(out->decls, i, site, "entry_called_from(regs", 1);
			for (k = 0; k < site->entry.n; k++)
				sb_printf(out->decls, "\tsaved[%d] = regs->%s;\n", k, site->entry.field[k]);
			/* an entry part that was skipped (this CPU busy, counted
			 * as skipped) computed nothing: then this call gets no
			 * return handler either (non-zero: the kernel does not
			 * arm the return), rather than one without its values */
			if (part >= 0)
				sb_printf(out->decls, "\tsaved[STP_DWARF_ENTRY_REGS] = 0;\t/* none computed yet */\n"
					  "\t__this_cpu_write(stp_dwarf_entry_values, saved);\n"
					  "\tstp_kprobe_hit(&stp_dwarf_probe_%d, regs);\n"
					  "\t__this_cpu_write(stp_dwarf_entry_values, outer);\n"
					  "\treturn saved[STP_DWARF_ENTRY_REGS] ? 0 : 1;\n}\n", part);
			else
				sb_add(out->decls, "\treturn 0;\n}\n");
			sb_printf(out->decls, "static int stp_dwarf_entry_%d(struct kretprobe_instance *ri, struct pt_regs *regs)\n"
				  "{\n\tunsigned long *outer = __this_cpu_read(stp_dwarf_entry_values);\n\n", i);
			callee_check(out->decls, i, site, "return_called_from(ri", 0);
			sb_printf(out->decls, "\t__this_cpu_write(stp_dwarf_entry_values, (unsigned long *)ri->data);\n"
				  "\tstp_kprobe_hit(&stp_dwarf_probe_%d, regs);\n"
				  "\t__this_cpu_write(stp_dwarf_entry_values, outer);\n\treturn 0;\n}\n", i);
		} else if (site && site->entry.n) {
			/* DW_OP_entry_value: a kprobe at the function's entry
			 * saves the registers for this thread; the handler
			 * reads its thread's (runtime/stp_dwarf.h), or 0 when
			 * none were saved */
			sb_printf(out->decls, "static struct stp_dwarf_entry_save stp_dwarf_saved_%d[STP_DWARF_ENTRY_TASKS];\n", i);
			sb_printf(out->decls, "static int stp_dwarf_save_%d(struct kprobe *kp, struct pt_regs *regs)\n"
				  "{\n\tunsigned long val[%d] = {", i, site->entry.n);
			for (k = 0; k < site->entry.n; k++)
				sb_printf(out->decls, "%s regs->%s", k ? "," : "", site->entry.field[k]);
			sb_printf(out->decls, " };\n\n\tstp_dwarf_entry_store(stp_dwarf_saved_%d, val, %d);\n\treturn 0;\n}\n",
				  i, site->entry.n);
			sb_printf(out->decls, "static int stp_dwarf_entry_%d(struct kprobe *kp, struct pt_regs *regs)\n"
				  "{\n\tunsigned long val[%d] = { 0 }, *outer = __this_cpu_read(stp_dwarf_entry_values);\n\n",
				  i, site->entry.n);
			callee_check(out->decls, i, site, "entry_called_from(regs", 0);
			sb_printf(out->decls, "\tstp_dwarf_entry_fetch(stp_dwarf_saved_%d, val, %d);\n"
				  "\t__this_cpu_write(stp_dwarf_entry_values, val);\n"
				  "\tstp_kprobe_hit(&stp_dwarf_probe_%d, regs);\n"
				  "\t__this_cpu_write(stp_dwarf_entry_values, outer);\n\treturn 0;\n}\n",
				  i, site->entry.n, i);
		} else if (points[i]->is_return) {
			sb_printf(out->decls, "static int stp_dwarf_entry_%d(struct kretprobe_instance *ri, struct pt_regs *regs)\n{\n", i);
			callee_check(out->decls, i, site, "return_called_from(ri", 0);
			sb_printf(out->decls, "\treturn stp_kprobe_hit(&stp_dwarf_probe_%d, regs);\n}\n", i);
		} else {
			sb_printf(out->decls, "static int stp_dwarf_entry_%d(struct kprobe *kp, struct pt_regs *regs)\n{\n", i);
			callee_check(out->decls, i, site, "entry_called_from(regs", 0);
			sb_printf(out->decls, "\treturn stp_kprobe_hit(&stp_dwarf_probe_%d, regs);\n}\n", i);
		}
	}
	sb_add(out->decls, "\nstatic struct stp_kprobe stp_dwarf_kprobes[] = {\n");
	for (i = 0; i < n; i++) {	/* the entry savers first: armed before their probes */
		const struct dwarf_site *site = site_of(points[i]);

		if (points[i]->is_return || points[i]->entry_of || !site || !site->entry.n)
			continue;
		sb_printf(out->decls, "\t{ .probe = &stp_dwarf_probe_%d, .symbol = ", i);
		sb_add_c_string(out->decls, points[i]->symbol);
		sb_printf(out->decls, ", .offset = %#lx, .is_return = false, .pre = stp_dwarf_save_%d%s },\n",
			  site->save_offset, i, points[i]->optional ? ", .optional = true" : "");
	}
	/* .callee kprobes after the rest: a kretprobe at the same entry
	 * replaces the return address on the stack with its trampoline, and
	 * the kernel runs the handlers at one address newest first */
	for (pass = 0; pass < 2; pass++)
	for (i = 0; i < n; i++) {
		int part = entry_part_of(points, n, i, any_parts);
		const struct dwarf_site *site = site_of(points[i]);

		if (points[i]->entry_of ||
		    pass != (site && site->returns && !points[i]->is_return))
			continue;
		sb_printf(out->decls, "\t{ .probe = &stp_dwarf_probe_%d, .symbol = ", i);
		sb_add_c_string(out->decls, points[i]->symbol);
		sb_printf(out->decls, ", .offset = %#lx, .is_return = %s, .%s = stp_dwarf_entry_%d%s",
			  points[i]->offset, points[i]->is_return ? "true" : "false",
			  points[i]->is_return ? "ret" : "pre", i,
			  points[i]->optional ? ", .optional = true" : "");
		if (points[i]->is_return && site_of(points[i]) && part >= 0 && points[part]->entry_strings)
			sb_printf(out->decls, ",\n\t  .entry = stp_dwarf_rentry_%d,\n\t  .data_size = (STP_DWARF_ENTRY_REGS + 1 + STP_DWARF_ENTRY_EXPRS) * sizeof(unsigned long) + %d * MAXSTRINGLEN",
				  i, points[part]->entry_exprs);
		else if (points[i]->is_return && site_of(points[i]) && part >= 0)
			sb_printf(out->decls, ",\n\t  .entry = stp_dwarf_rentry_%d, .data_size = (STP_DWARF_ENTRY_REGS + 1 + %d) * sizeof(unsigned long)",
				  i, points[part]->entry_exprs);
		else if (points[i]->is_return && site_of(points[i]) && site_of(points[i])->entry.n)
			sb_printf(out->decls, ",\n\t  .entry = stp_dwarf_rentry_%d, .data_size = %d * sizeof(unsigned long)",
				  i, site_of(points[i])->entry.n);
		sb_add(out->decls, " },\n");
	}
	sb_add(out->decls, "};\n\n");
	sb_add(out->groups, "\t{ \"dwarf\", stp_kprobes_arm, stp_kprobes_disarm, stp_dwarf_kprobes, ARRAY_SIZE(stp_dwarf_kprobes) },\n");
}


/* $name's ->member and [N] chain as dwarf_bind_variable takes it; the
 * number of steps, or -1 with a message */
int dwarf_fill_access(struct node *target, struct dwarf_access *access, char *err, size_t errlen)
{
	struct node *m;
	int n = 0, slots = 0;

	if (target->pretty && target->addr_of) {
		snprintf(err, errlen, "cannot take the address of '%s%s': it is a string",
			 target->str, target->pretty == 1 ? "$" : "$$");
		return -1;
	}
	if (target->kind != N_TARGET || target->str[0] != '$' || target->str[1] == '$') {
		snprintf(err, errlen, "'%s%s' is not supported yet at probe points with debuginfo (only $name with ->member and [N], $$parms, $$locals, $$vars)",
			 target->str, target->pretty == 1 ? "$" : target->pretty == 2 ? "$$" : "");
		return -1;
	}
	for (m = target->members; m; m = m->next) {
		if (n == DWARF_MAX_ACCESS) {
			snprintf(err, errlen, "'%s': more than %d members and subscripts", target->str, DWARF_MAX_ACCESS);
			return -1;
		}
		access[n].index_slot = -1;
		if (m->kind == N_MEMBER) {
			access[n].member = m->str;
			access[n].index = 0;
		} else if (m->lhs && m->lhs->kind == N_NUMBER) {
			access[n].member = NULL;
			access[n].index = m->lhs->num;
		} else if (slots < 10) {
			access[n].member = NULL;
			access[n].index = 0;
			access[n].index_slot = slots++;
		} else {
			snprintf(err, errlen, "'%s': more than 10 subscripts that are not numbers", target->str);
			return -1;
		}
		n++;
	}
	return n;
}

/* A target variable of an @entry(EXPR), computed in the kretprobe's entry
 * handler: where the function starts, as a function probe there would. */
static int bind_at_entry(const struct dwarf_site *s, struct node *target,
			 struct target_binding *out, char *err, size_t errlen)
{
	struct dwarf_access access[DWARF_MAX_ACCESS];
	uint64_t entry;
	int n, rc;

	if (dwarf_frame_entry(s->path, s->die, s->pc, &entry, err, errlen) != 0)
		return -1;
	if (target->kind == N_TARGET && !target->members &&
	    (strcmp(target->str, "$$parms") == 0 || strcmp(target->str, "$$locals") == 0 ||
	     strcmp(target->str, "$$vars") == 0)) {
		out->type = TYPE_STRING;
		return dwarf_bind_pretty_vars(s->path, s->die, entry, target->str + 2, target->pretty,
					      NULL, &out->c_expr, err, errlen);
	}
	n = dwarf_fill_access(target, access, err, errlen);
	if (n < 0)
		return -1;
	out->type = target->pretty ? TYPE_STRING : TYPE_LONG;
	/* nothing is saved before the entry itself (no entry registers) */
	rc = dwarf_bind_variable(s->path, s->die, entry, 0, target->str + 1, access, n,
				 target->addr_of, target->pretty, NULL, &out->c_expr, NULL, err, errlen);
	return rc;
}

/* The first value DW_OP_entry_value needs at a function or statement
 * probe: the kprobe that saves it goes at the function's entry, which
 * must be in the symbol the probe is placed by. */
static int place_entry_saver(struct resolved_point *rp, const struct dwarf_site *s,
			     struct dwarf_site *site, const char *what, char *err, size_t errlen)
{
	uint64_t entry;

	if (dwarf_frame_entry(s->path, s->die, s->pc, &entry, err, errlen) != 0)
		return -1;
	if (s->pc < entry || s->pc - entry > rp->offset) {
		snprintf(err, errlen, "'%s' needs its value at the function's entry, which is not in the symbol '%s' the probe is in",
			 what, rp->symbol ? rp->symbol : "?");
		return -1;
	}
	site->save_offset = rp->offset - (unsigned long)(s->pc - entry);
	return 0;
}

static int bind_dwarf_target(struct resolved_point *rp, struct node *target,
			     struct target_binding *out, char *err, size_t errlen)
{
	struct dwarf_access access[DWARF_MAX_ACCESS];
	const struct dwarf_site *s;
	struct dwarf_site *site;
	int n, had, rc;

	for (s = sites; s && s->rp != (rp->entry_of ? rp->entry_of : rp); s = s->next)
		;
	if (s && rp->entry_of)	/* an @entry(EXPR): at the function's entry */
		return bind_at_entry(s, target, out, err, errlen);
	if (!s) {
		snprintf(err, errlen, "target variable '%s' is not available at probe point '%s'",
			 target->str, rp->pp);
		return -1;
	}
	site = site_of(rp);
	had = site->entry.n;
	if (target->kind == N_TARGET && !rp->is_return && !target->members &&
	    (strcmp(target->str, "$$parms") == 0 || strcmp(target->str, "$$locals") == 0 ||
	     strcmp(target->str, "$$vars") == 0)) {
		out->type = TYPE_STRING;
		rc = dwarf_bind_pretty_vars(s->path, s->die, s->pc, target->str + 2, target->pretty,
					    &site->entry, &out->c_expr, err, errlen);
	} else {
		n = dwarf_fill_access(target, access, err, errlen);
		if (n < 0)
			return -1;
		out->type = target->pretty ? TYPE_STRING : TYPE_LONG;
		rc = dwarf_bind_variable(s->path, s->die, s->pc, rp->is_return, target->str + 1,
					 access, n, target->addr_of, target->pretty, &site->entry,
					 &out->c_expr, target->pretty ? NULL : &out->c_store, err, errlen);
	}
	if (rc == 0 && !rp->is_return && had == 0 && site->entry.n > 0 &&
	    place_entry_saver(rp, s, site, target->str, err, errlen) != 0) {
		site->entry.n = 0;
		free(out->c_expr);
		out->c_expr = NULL;
		free(out->c_store);
		out->c_store = NULL;
		return -1;
	}
	return rc;
}

static const char *const dwarf_families[] = { "kernel", "module", NULL };

static const char *const dwarf_forms[] = {
	"kernel.function(string)", "kernel.function(string).call",
	"kernel.function(string).exported", "kernel.function(string).inline",
	"kernel.function(string).return", "kernel.statement(string)",
	"module(string).function(string)", "module(string).function(string).call",
	"module(string).function(string).exported", "module(string).function(string).inline",
	"module(string).function(string).return",
	"kernel.function(string).callee(string)", "kernel.function(string).callee(string).return",
	"kernel.function(string).callees", "kernel.function(string).callees(number)",
	"module(string).function(string).callees", "module(string).function(string).callees(number)",
	"module(string).function(string).callee(string)",
	"module(string).function(string).callee(string).return",
	"module(string).statement(string)", NULL,
};

const struct provider provider_dwarf = {
	.name = "dwarf", .families = dwarf_families, .resolve = resolve_dwarf, .emit = emit_dwarf,
	.bind_target = bind_dwarf_target, .forms = dwarf_forms,
};
