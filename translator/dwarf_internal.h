/* dwarf_internal.h - what the dwarf_*.c files share among themselves
 * (libdw types); the rest of stapc uses dwarf_info.h only. */
#ifndef STAPC_DWARF_INTERNAL_H
#define STAPC_DWARF_INTERNAL_H

#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>

/* One opened debug file (vmlinux or a .ko), kept until dwarf_free(). */
struct debug_file {
	char *path;
	Dwfl *dwfl;
	Dwfl_Module *mod;
	Dwarf *dw;
	Dwarf_Addr bias;
	struct debug_file *next;
};

struct debug_file *dwarf_open_file(const char *path, char *err, size_t errlen);

#define DWARF_MAX_SCOPES 64
int dwarf_scopes_at(Dwarf_Die *fn, Dwarf_Addr pc, Dwarf_Die *scopes);
int dwarf_visible_at(Dwarf_Die *var, Dwarf_Addr pc);
char *dwarf_variables_at(Dwarf_Die *fn, Dwarf_Addr pc, int with_types, int nested);

#endif
