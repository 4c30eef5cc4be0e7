/* dwarf_symcu.c - which compile units can hold a function, found from the
 * ELF symbol table instead of a walk over every CU.
 *
 * A plain function name (no wildcards) is looked up among the symbols:
 * NAME itself and the compiler's clones of it (NAME.isra.0,
 * NAME.constprop.0, NAME.part.0, NAME.cold), each address mapped to its
 * CU through .debug_aranges.  On vmlinux that is a few milliseconds where
 * the walk takes a fifth of a second.  The answer is only a shortcut: the
 * caller must check that the function really lives in those CUs alone
 * and walk everything when this finds nothing.  Also: which symbols are
 * the NAME.part.N halves of partially inlined functions. */
#define _GNU_SOURCE
#include <gelf.h>
#include <stdlib.h>
#include <string.h>

#include "dwarf_info.h"
#include "dwarf_internal.h"
#include "util.h"

/* NAME, or NAME followed by a clone suffix ".something" */
static int names_function(const char *sym, const char *name, size_t len)
{
	return strncmp(sym, name, len) == 0 && (sym[len] == 0 || sym[len] == '.');
}

static int by_offset(const void *a, const void *b)
{
	Dwarf_Off l = *(const Dwarf_Off *)a, r = *(const Dwarf_Off *)b;

	return l < r ? -1 : l > r;
}

int dwarf_symbol_cus(struct debug_file *df, const char *name, Dwarf_Off **cus)
{
	size_t len = strlen(name);
	int n_syms = dwfl_module_getsymtab(df->mod), i, n = 0, cap = 0, k;

	*cus = NULL;
	for (i = 1; i < n_syms; i++) {
		GElf_Sym sym;
		GElf_Addr addr, bias;
		Dwarf_Die *cu;
		Dwarf_Off off;
		const char *sname = dwfl_module_getsym_info(df->mod, i, &sym, &addr, NULL, NULL,
							    NULL);

		if (!sname || GELF_ST_TYPE(sym.st_info) != STT_FUNC || !names_function(sname, name, len))
			continue;
		cu = dwfl_module_addrdie(df->mod, addr, &bias);
		if (!cu)
			continue;
		off = dwarf_dieoffset(cu);
		for (k = 0; k < n && (*cus)[k] != off; k++)
			;
		if (k < n)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 8;
			*cus = realloc(*cus, cap * sizeof(**cus));
		}
		(*cus)[n++] = off;
	}
	/* the order the full walk would visit them in */
	if (n > 1)
		qsort(*cus, n, sizeof(**cus), by_offset);
	return n;
}

static int part_by_addr(const void *a, const void *b)
{
	const struct part_symbol *l = a, *r = b;

	return l->addr < r->addr ? -1 : l->addr > r->addr;
}

/* Every STT_FUNC symbol with ".part." in its name, by address (read once:
 * a few milliseconds on vmlinux, only when a copy that may be one is met) */
static void read_parts(struct debug_file *df)
{
	int n_syms = dwfl_module_getsymtab(df->mod), i, cap = 0;

	df->parts_read = 1;
	for (i = 1; i < n_syms; i++) {
		GElf_Sym sym;
		GElf_Addr addr;
		const char *sname = dwfl_module_getsym_info(df->mod, i, &sym, &addr, NULL, NULL,
							    NULL);

		if (!sname || GELF_ST_TYPE(sym.st_info) != STT_FUNC || !strstr(sname, ".part."))
			continue;
		if (df->n_parts == cap) {
			cap = cap ? 2 * cap : 64;
			df->parts = realloc(df->parts, cap * sizeof(*df->parts));
			if (!df->parts)
				abort();
		}
		df->parts[df->n_parts].addr = addr - df->bias;
		df->parts[df->n_parts++].name = sname;
	}
	if (df->n_parts > 1)
		qsort(df->parts, df->n_parts, sizeof(*df->parts), part_by_addr);
}

int dwarf_is_part_clone(struct debug_file *df, Dwarf_Addr entry)
{
	int lo = 0, hi;

	if (!df->parts_read)
		read_parts(df);
	hi = df->n_parts;
	while (lo < hi) {	/* the first symbol at or after entry */
		int mid = (lo + hi) / 2;

		if (df->parts[mid].addr < entry)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < df->n_parts && df->parts[lo].addr == entry;
}
