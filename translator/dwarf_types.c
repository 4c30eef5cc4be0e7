/* dwarf_types.c - type names the way SystemTap's -L spells them: the
 * referent first, then modifiers as suffixes ("char const*", "int[]"),
 * "struct {...}" for anonymous aggregates, "void" where a modifier has no
 * referent. */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <stdio.h>
#include <string.h>

#include "dwarf_info.h"

/* Append to buf; returns 0, or -1 when the type cannot be named. */
static int name_into(Dwarf_Die *t, char *buf, size_t len)
{
	Dwarf_Attribute attr;
	Dwarf_Die sub;
	const char *name = dwarf_diename(t), *kw = NULL, *suffix;
	size_t used = strlen(buf);

	switch (dwarf_tag(t)) {
	case DW_TAG_structure_type: kw = "struct "; break;
	case DW_TAG_union_type: kw = "union "; break;
	case DW_TAG_enumeration_type: kw = "enum "; break;
	case DW_TAG_class_type: kw = "class "; break;
	case DW_TAG_base_type:
	case DW_TAG_typedef:
		kw = "";
		break;
	}
	if (kw) {
		snprintf(buf + used, len - used, "%s%s", kw, name ? name : "{...}");
		return 0;
	}
	switch (dwarf_tag(t)) {
	case DW_TAG_pointer_type: suffix = "*"; break;
	case DW_TAG_array_type: suffix = "[]"; break;
	case DW_TAG_const_type: suffix = " const"; break;
	case DW_TAG_volatile_type: suffix = " volatile"; break;
	case DW_TAG_reference_type: suffix = "&"; break;
	case DW_TAG_rvalue_reference_type: suffix = "&&"; break;
	default:
		return -1;
	}
	if (!dwarf_attr_integrate(t, DW_AT_type, &attr) || !dwarf_formref_die(&attr, &sub) ||
	    name_into(&sub, buf, len) != 0) {
		buf[used] = 0;
		snprintf(buf + used, len - used, "void");
	}
	used = strlen(buf);
	snprintf(buf + used, len - used, "%s", suffix);
	return 0;
}

void dwarf_type_name(void *type_die, char *buf, size_t len)
{
	buf[0] = 0;
	if (name_into(type_die, buf, len) != 0)
		snprintf(buf, len, "unknown");
}
