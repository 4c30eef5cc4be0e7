/* dwarf_globals.c - global and static variables: $name at a probe point
 * when no local has that name, and @var("name[@file]" [, "module"]).
 *
 * Their DWARF location is DW_OP_addr, a link-time address that KASLR and
 * module loading move.  We name the ELF symbol that contains it (and the
 * offset into it), and the generated module looks those symbols up by
 * name when the session starts (runtime/stp_dwarf.h stp_dwarf_lookup):
 * the C reads stp_dwarf_symbol(c, K, ...) + offset.  For kernels whose
 * kallsyms lack data symbols (no CONFIG_KALLSYMS_ALL, e.g. Debian's arm64)
 * each symbol also gets an anchor: a module's is its distance from the
 * module's struct module (dwarf_modlayout.c), vmlinux's its distance from
 * kfree, as KASLR moves the kernel image as a whole and the loader tells
 * the module where kfree is. */
#define _GNU_SOURCE
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dwarf_info.h"
#include "dwarf_internal.h"
#include "util.h"

static struct symbol {
	char *name;		/* "sym" or "module:sym", index = K */
	char *anchor;		/* its module's name, or NULL */
	int from_kfree;		/* a vmlinux symbol with an anchor */
	int64_t delta;		/* from the module's struct module, or kfree */
} *symbols;
static int n_symbols;

/* kfree's link-time address in vmlinux df (in libdwfl's addresses), 0 if
 * it has none; looked up once */
static GElf_Addr kfree_address(struct debug_file *df)
{
	static struct debug_file *of;
	static GElf_Addr addr;
	int i, n;

	if (of == df)
		return addr;
	of = df;
	addr = 0;
	n = dwfl_module_getsymtab(df->mod);
	for (i = 1; i < n && !addr; i++) {
		GElf_Sym sym;
		GElf_Addr value;
		const char *name = dwfl_module_getsym_info(df->mod, i, &sym, &value, NULL, NULL, NULL);

		if (name && GELF_ST_TYPE(sym.st_info) == STT_FUNC && strcmp(name, "kfree") == 0)
			addr = value;
	}
	return addr;
}

static int symbol_index(const char *name, const char *path, const char *mod, const char *sym)
{
	int k;
	struct symbol *s;

	for (k = 0; k < n_symbols; k++)
		if (strcmp(symbols[k].name, name) == 0)
			return k;
	symbols = realloc(symbols, sizeof(*symbols) * (n_symbols + 1));
	if (!symbols)
		abort();
	s = &symbols[n_symbols];
	s->name = xstrdup(name);
	s->anchor = NULL;
	s->from_kfree = 0;
	s->delta = 0;
	if (mod && dwarf_module_data_anchor(path, sym, 0, &s->delta) == 0)
		s->anchor = xstrdup(mod);
	return n_symbols++;
}

/* vmlinux's symbol k starts at link-time address start */
static void anchor_at_kfree(int k, struct debug_file *df, GElf_Addr start)
{
	GElf_Addr kfree = kfree_address(df);

	if (kfree && !symbols[k].anchor) {
		symbols[k].from_kfree = 1;
		symbols[k].delta = (int64_t)(start - kfree);
	}
}

int dwarf_symbol_slot(const char *name)
{
	return symbol_index(name, NULL, NULL, NULL);	/* a function: kallsyms has it */
}

/* "stp_dwarf_test" for ".../stp_dwarf_test.ko", NULL for vmlinux */
static char *module_of(const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t n = strlen(base);
	char *name, *p;

	if (n <= 3 || strcmp(base + n - 3, ".ko") != 0)
		return NULL;
	name = strndup(base, n - 3);
	for (p = name; *p; p++)
		if (*p == '-')
			*p = '_';
	return name;
}

static int of_user_program;

void dwarf_globals_of_user_program(int on)
{
	of_user_program = on;
}

const char *dwarf_user_memory(void)
{
	return of_user_program ? "true" : "false";
}

char *dwarf_addr_expr(struct debug_file *df, uint64_t addr, char *err, size_t errlen)
{
	GElf_Off off = 0;
	GElf_Sym sym;
	const char *name;
	char *mod, *full, *e;
	int k;

	/* a non-PIE program runs at its link addresses (bias 0), a PIE one
	 * where it was loaded: the handler knows the bias from the probe */
	if (of_user_program)
		return xasprintf("(stp_uprobe_bias(c, $W) + %#" PRIx64 ")", addr);
	name = dwfl_module_addrinfo(df->mod, addr + df->bias, &off, &sym, NULL, NULL, NULL);
	if (!name) {
		snprintf(err, errlen, "no symbol contains address %#" PRIx64 " of a global variable", addr);
		return NULL;
	}
	mod = module_of(df->path);
	full = mod ? xasprintf("%s:%s", mod, name) : xstrdup(name);
	k = symbol_index(full, df->path, mod, name);
	if (!mod)
		anchor_at_kfree(k, df, addr + df->bias - off);
	e = xasprintf("(stp_dwarf_symbol(c, %d, \"%s\", $W) + %" PRIu64 ")", k, full, (uint64_t)off);
	free(mod);
	free(full);
	return e;
}

/* The top-level variables with a location of one debug file, sorted by
 * name (ties in CU order): built by one pass over the CUs the first time a
 * name is looked up, since a probe on a wildcard asks for each name at
 * every point that lacks a local of that name. */
struct global_var {
	const char *name;		/* libdw's string, alive with the file */
	Dwarf_Off cu, die;
	size_t order;
};

struct global_index {
	const struct debug_file *df;
	struct global_var *vars;
	size_t n;
	struct global_index *next;
};

static struct global_index *indexes;

static int by_name(const void *a, const void *b)
{
	const struct global_var *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->order > y->order) - (x->order < y->order);
}

static struct global_index *index_of(struct debug_file *df)
{
	struct global_index *ix;
	Dwarf_Off cu_off = 0, next;
	size_t hsize, cap = 0;
	Dwarf_Die cu, child;

	for (ix = indexes; ix; ix = ix->next)
		if (ix->df == df)
			return ix;
	ix = xcalloc(1, sizeof(*ix));
	ix->df = df;
	for (; dwarf_nextcu(df->dw, cu_off, &next, &hsize, NULL, NULL, NULL) == 0; cu_off = next) {
		if (!dwarf_offdie(df->dw, cu_off + hsize, &cu) || dwarf_child(&cu, &child) != 0)
			continue;
		do {
			const char *n;

			if (dwarf_tag(&child) != DW_TAG_variable || !dwarf_hasattr(&child, DW_AT_location) ||
			    !(n = dwarf_diename(&child)))
				continue;
			if (ix->n == cap) {
				cap = cap ? 2 * cap : 1024;
				ix->vars = realloc(ix->vars, cap * sizeof(*ix->vars));
				if (!ix->vars)
					abort();
			}
			ix->vars[ix->n] = (struct global_var){ n, dwarf_dieoffset(&cu),
							       dwarf_dieoffset(&child), ix->n };
			ix->n++;
		} while (dwarf_siblingof(&child, &child) == 0);
	}
	if (ix->n)
		qsort(ix->vars, ix->n, sizeof(*ix->vars), by_name);
	ix->next = indexes;
	indexes = ix;
	return ix;
}

static int cu_name_ends_with(Dwarf_Die *cu, const char *file)
{
	const char *cn = dwarf_diename(cu);
	size_t fl = strlen(file), cl = cn ? strlen(cn) : 0;

	return cn && cl >= fl && strcmp(cn + cl - fl, file) == 0 &&
	       (cl == fl || cn[cl - fl - 1] == '/');
}

/* A variable with a location named `name` at the top of a CU whose name
 * ends with `file` (NULL: any); the CU `prefer` is looked at first. */
int dwarf_find_global(struct debug_file *df, const char *name, const char *file, Dwarf_Die *prefer,
		      Dwarf_Die *out)
{
	struct global_index *ix = index_of(df);
	size_t lo = 0, hi = ix->n, i, first = 0;
	int found = 0;
	Dwarf_Die cu;

	while (lo < hi) {	/* the first entry named `name` */
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(ix->vars[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < ix->n && strcmp(ix->vars[i].name, name) == 0; i++) {
		const struct global_var *v = &ix->vars[i];

		if (!dwarf_offdie(df->dw, v->cu, &cu) || (file && !cu_name_ends_with(&cu, file)))
			continue;
		if (prefer && dwarf_dieoffset(prefer) == v->cu)
			return dwarf_offdie(df->dw, v->die, out) != NULL;
		if (!found) {
			first = i;
			found = 1;
		}
	}
	return found && dwarf_offdie(df->dw, ix->vars[first].die, out) != NULL;
}

void dwarf_emit_symbols(struct strbuf *decls, struct strbuf *program)
{
	int k;

	if (!n_symbols)
		return;
	sb_add(decls, "/* global variables' symbols, looked up at start and as their modules come (@var, $global) */\n");
	sb_add(decls, "static const char *const stp_dwarf_sym_names[] = {\n");
	for (k = 0; k < n_symbols; k++) {
		sb_add(decls, "\t");
		sb_add_c_string(decls, symbols[k].name);
		sb_add(decls, ",\n");
	}
	sb_printf(decls, "};\nstatic unsigned long stp_dwarf_sym_table[%d];\n", n_symbols);
	sb_add(decls, "/* where to find them when kallsyms has no data symbols: their module,\n"
		      " * and their distance from its struct module (or from kfree) */\n");
	sb_add(decls, "static const struct stp_dwarf_anchor stp_dwarf_sym_anchors[] = {\n");
	for (k = 0; k < n_symbols; k++) {
		if (symbols[k].from_kfree) {
			sb_printf(decls, "\t{ NULL, %" PRId64 ", true },\n", symbols[k].delta);
			continue;
		}
		if (!symbols[k].anchor) {
			sb_add(decls, "\t{ NULL, 0 },\n");
			continue;
		}
		sb_add(decls, "\t{ ");
		sb_add_c_string(decls, symbols[k].anchor);
		sb_printf(decls, ", %" PRId64 " },\n", symbols[k].delta);
	}
	sb_add(decls, "};\n\n");
	sb_add(decls, "static void stp_dwarf_resolve_symbols(void)\n{\n"
		      "\tstp_dwarf_symbols_start(stp_dwarf_sym_names, stp_dwarf_sym_anchors,\n"
		      "\t\t\t\tstp_dwarf_sym_table, ARRAY_SIZE(stp_dwarf_sym_table));\n}\n\n");
	sb_add(program, "\t.resolve_symbols = stp_dwarf_resolve_symbols,\n"
			"\t.release_symbols = stp_dwarf_symbols_stop,\n");
}

void dwarf_globals_free(void)
{
	while (n_symbols > 0) {
		n_symbols--;
		free(symbols[n_symbols].name);
		free(symbols[n_symbols].anchor);
	}
	free(symbols);
	symbols = NULL;
}
