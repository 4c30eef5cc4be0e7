/* dwarf_types.c - type names the way SystemTap's -L spells them: the
 * referent first, then modifiers as suffixes ("char const*", "int[]"),
 * "struct {...}" for anonymous aggregates, "void" where a modifier has no
 * referent, "int (*) (struct file*, long int)" for function pointers. */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <stdio.h>
#include <string.h>

#include "dwarf_info.h"

static int name_into(Dwarf_Die *t, char *buf, size_t len);

/* A pointer to a function: "int (*) (struct super_block*, void*)". */
static int function_pointer(Dwarf_Die *fn, char *buf, size_t len)
{
	Dwarf_Attribute attr;
	Dwarf_Die sub, child;
	size_t used = strlen(buf);
	int first = 1;

	if (!dwarf_attr_integrate(fn, DW_AT_type, &attr) || !dwarf_formref_die(&attr, &sub) ||
	    name_into(&sub, buf, len) != 0) {
		buf[used] = 0;
		snprintf(buf + used, len - used, "void");
	}
	used = strlen(buf);
	snprintf(buf + used, len - used, " (*) (");
	if (dwarf_child(fn, &child) == 0) {
		do {
			int tag = dwarf_tag(&child);

			if (tag != DW_TAG_formal_parameter && tag != DW_TAG_unspecified_parameters)
				continue;
			used = strlen(buf);
			snprintf(buf + used, len - used, "%s", first ? "" : ", ");
			first = 0;
			used = strlen(buf);
			if (tag == DW_TAG_unspecified_parameters)
				snprintf(buf + used, len - used, "...");
			else if (!dwarf_attr_integrate(&child, DW_AT_type, &attr) ||
				 !dwarf_formref_die(&attr, &sub) || name_into(&sub, buf, len) != 0) {
				buf[used] = 0;
				snprintf(buf + used, len - used, "void");
			}
		} while (dwarf_siblingof(&child, &child) == 0);
	}
	used = strlen(buf);
	snprintf(buf + used, len - used, ")");
	return 0;
}

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
	if (dwarf_tag(t) == DW_TAG_pointer_type && dwarf_attr_integrate(t, DW_AT_type, &attr) &&
	    dwarf_formref_die(&attr, &sub) && dwarf_tag(&sub) == DW_TAG_subroutine_type)
		return function_pointer(&sub, buf, len);
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
