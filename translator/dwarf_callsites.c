/* dwarf_callsites.c - the direct calls a function makes, from its DWARF
 * call-site entries (DW_TAG_call_site, or GCC's older DW_TAG_GNU_call_site),
 * for .callee("NAME"): which function each calls and the address the call
 * returns to.  Calls inside inlined copies within the function count (they
 * are the function's code); tail calls do not, since they return to the
 * function's own caller.  Reads DWARF only; never writes anything. */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <fnmatch.h>
#include <stdio.h>

#include "dwarf_info.h"
#include "dwarf_internal.h"

#ifndef DW_TAG_GNU_call_site
#define DW_TAG_GNU_call_site 0x4109
#endif
#ifndef DW_AT_GNU_tail_call
#define DW_AT_GNU_tail_call 0x2115
#endif

#define MAX_DEPTH 64	/* scopes nested in one function */

struct walk {
	const char *pattern;
	void (*fn)(const char *callee, uint64_t return_pc, void *arg);
	void *arg;
	int count;
};

static int is_tail_call(Dwarf_Die *site)
{
	Dwarf_Attribute attr;
	bool flag;

	if (!dwarf_attr(site, DW_AT_call_tail_call, &attr) &&
	    !dwarf_attr(site, DW_AT_GNU_tail_call, &attr))
		return 0;
	return dwarf_formflag(&attr, &flag) == 0 && flag;
}

/* The called function's name: DW_AT_call_origin (DWARF 5) or
 * DW_AT_abstract_origin (GNU), a declaration or the function itself;
 * NULL for an indirect call. */
static const char *callee_name(Dwarf_Die *site)
{
	Dwarf_Attribute attr;
	Dwarf_Die origin;

	if (!dwarf_attr(site, DW_AT_call_origin, &attr) &&
	    !dwarf_attr(site, DW_AT_abstract_origin, &attr))
		return NULL;
	if (!dwarf_formref_die(&attr, &origin))
		return NULL;
	return dwarf_diename(&origin);
}

static int return_pc(Dwarf_Die *site, Dwarf_Addr *pc)
{
	Dwarf_Attribute attr;

	if (dwarf_attr(site, DW_AT_call_return_pc, &attr))
		return dwarf_formaddr(&attr, pc) == 0;
	return dwarf_lowpc(site, pc) == 0;	/* GNU: the return address */
}

static void walk_scope(struct walk *w, Dwarf_Die *scope, int depth)
{
	Dwarf_Die child;
	const char *name;
	Dwarf_Addr pc;

	if (depth > MAX_DEPTH || dwarf_child(scope, &child) != 0)
		return;
	do {
		switch (dwarf_tag(&child)) {
		case DW_TAG_call_site:
		case DW_TAG_GNU_call_site:
			name = callee_name(&child);
			if (name && !is_tail_call(&child) && return_pc(&child, &pc) &&
			    fnmatch(w->pattern, name, 0) == 0) {
				w->fn(name, pc, w->arg);
				w->count++;
			}
			break;
		case DW_TAG_lexical_block:
		case DW_TAG_inlined_subroutine:
			walk_scope(w, &child, depth + 1);
			break;
		default:
			break;
		}
	} while (dwarf_siblingof(&child, &child) == 0);
}

int dwarf_call_sites(const char *path, uint64_t caller_die, const char *pattern,
		     void (*fn)(const char *callee, uint64_t return_pc, void *arg), void *arg,
		     char *err, size_t errlen)
{
	struct debug_file *df = dwarf_open_file(path, err, errlen);
	struct walk w = { .pattern = pattern, .fn = fn, .arg = arg };
	Dwarf_Die caller;

	if (!df)
		return -1;
	if (!dwarf_offdie(df->dw, caller_die, &caller)) {
		snprintf(err, errlen, "cannot read the function at DIE %#llx of %s",
			 (unsigned long long)caller_die, path);
		return -1;
	}
	walk_scope(&w, &caller, 0);
	return w.count;
}
