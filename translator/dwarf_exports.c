/* dwarf_exports.c - which function instances .exported probe points keep.
 *
 * SystemTap's .exported keeps the functions with a global (or weak)
 * symbol of their own name at their entry: C functions with external
 * linkage, not
 * `static` ones - which is more than EXPORT_SYMBOL*, whose __ksymtab_NAME
 * entries only a part of them have (stap 4.8 lists vfs_fstat, never
 * exported to modules, under kernel.function("vfs_*").exported).  We
 * follow stap so listings and scripts agree.  The global function symbols
 * are read once per debug file, sorted by address, and searched. */
#define _GNU_SOURCE
#include <gelf.h>
#include <stdlib.h>
#include <string.h>

#include "dwarf_info.h"
#include "dwarf_internal.h"
#include "util.h"

static int by_address(const void *a, const void *b)
{
	uint64_t l = ((const struct global_function *)a)->addr;
	uint64_t r = ((const struct global_function *)b)->addr;

	return l < r ? -1 : l > r;
}

static void read_global_functions(struct debug_file *df)
{
	int n_syms = dwfl_module_getsymtab(df->mod), i, cap = 0;

	df->globals_read = 1;
	for (i = 1; i < n_syms; i++) {
		GElf_Sym sym;
		GElf_Addr addr;
		const char *name = dwfl_module_getsym_info(df->mod, i, &sym, &addr, NULL, NULL, NULL);

		if (!name || GELF_ST_TYPE(sym.st_info) != STT_FUNC || sym.st_shndx == SHN_UNDEF ||
		    (GELF_ST_BIND(sym.st_info) != STB_GLOBAL && GELF_ST_BIND(sym.st_info) != STB_WEAK))
			continue;
		if (df->n_globals == cap) {
			cap = cap ? 2 * cap : 256;
			df->globals = realloc(df->globals, cap * sizeof(*df->globals));
		}
		df->globals[df->n_globals].addr = addr;
		df->globals[df->n_globals++].name = name;
	}
	if (df->n_globals > 1)
		qsort(df->globals, df->n_globals, sizeof(*df->globals), by_address);
}

int dwarf_function_exported(const char *path, const char *name, uint64_t entry)
{
	char err[256];
	struct debug_file *df = dwarf_open_file(path, err, sizeof(err));
	struct global_function key, *hit;

	if (!df || !name)
		return 0;
	if (!df->globals_read)
		read_global_functions(df);
	key.addr = entry + df->bias;
	hit = df->n_globals ? bsearch(&key, df->globals, df->n_globals, sizeof(*df->globals),
				      by_address) : NULL;
	if (!hit)
		return 0;
	/* aliases share an address: __x64_sys_vhangup is global, the
	 * __do_sys_vhangup it holds is not */
	while (hit > df->globals && hit[-1].addr == key.addr)
		hit--;
	for (; hit < df->globals + df->n_globals && hit->addr == key.addr; hit++)
		if (strcmp(hit->name, name) == 0)
			return 1;
	return 0;
}
