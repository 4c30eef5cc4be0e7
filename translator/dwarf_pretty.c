/* dwarf_pretty.c - $var$ and $var$$ (and $$parms$ ...): a target variable
 * printed the way SystemTap prints it, as C statements appending to a
 * string (runtime/stp_dwarf.h's stp_pp_* helpers).
 *
 * SystemTap's format: structs and unions as {.a=1, .b=0x...}, members
 * one level deep for $ ({...} and [...] below that) and all the way for
 * $$; signed integers and bools %i, unsigned ones, enums and bitfields
 * %u (as their encoding says), chars '%#c', char pointers and char arrays as quoted
 * strings, other pointers %p (a pointer to a struct, an integer or an
 * enum is followed at the top only), arrays as their first element and ", ..." (whatever their length).  At most 32
 * values per variable, then ", ..." (SystemTap's limit on one sprintf's
 * arguments).  "?" for what has no location at the probe address. */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dwarf_info.h"
#include "dwarf_internal.h"
#include "util.h"

#define PRETTY_MAX_ARGS 32

struct pretty {
	struct strbuf *code;
	struct strbuf lit;	/* text not yet appended */
	int args;
	int max_level;		/* aggregates below this are {...} / [...] */
	int *n_base;
	struct debug_file *df;	/* to complete declared-only structs */
};

static void flush(struct pretty *pp)
{
	if (!pp->lit.len)
		return;
	sb_add(pp->code, "stp_pp_cat(&stp_pp, ");
	sb_add_c_string(pp->code, pp->lit.buf);
	sb_add(pp->code, ");\n\t");
	pp->lit.len = 0;
	pp->lit.buf[0] = '\0';
}

static void text(struct pretty *pp, const char *s)
{
	sb_add(&pp->lit, s);
}

/* one conversion: fn(&stp_pp, value) */
static void value(struct pretty *pp, const char *fn, const char *expr)
{
	flush(pp);
	if (strcmp(fn, "stp_pp_string") == 0)
		sb_printf(pp->code, "stp_pp_string(c, &stp_pp, %s, $W);\n\t", expr);
	else
		sb_printf(pp->code, "%s(&stp_pp, %s);\n\t", fn, expr);
	pp->args++;
}

static int encoding(Dwarf_Die *t)
{
	Dwarf_Attribute attr;
	Dwarf_Word enc;
	Dwarf_Die under;

	if (dwarf_tag(t) == DW_TAG_enumeration_type)
		return dwarf_type_of(t, &under) ? encoding(&under) : DW_ATE_unsigned;
	if (dwarf_attr(t, DW_AT_encoding, &attr) && dwarf_formudata(&attr, &enc) == 0)
		return (int)enc;
	return DW_ATE_unsigned;
}

static int is_char(Dwarf_Die *t)
{
	int enc;

	if (dwarf_tag(t) != DW_TAG_base_type)
		return 0;
	enc = encoding(t);
	return enc == DW_ATE_signed_char || enc == DW_ATE_unsigned_char;
}

/* Elements of an array type (its first dimension), -1 when unknown. */
static int64_t array_count(Dwarf_Die *t)
{
	Dwarf_Die sub;
	Dwarf_Attribute attr;
	Dwarf_Word w;

	if (dwarf_child(t, &sub) != 0)
		return -1;
	do {
		if (dwarf_tag(&sub) != DW_TAG_subrange_type)
			continue;
		if (dwarf_attr(&sub, DW_AT_count, &attr) && dwarf_formudata(&attr, &w) == 0)
			return (int64_t)w;
		if (dwarf_attr(&sub, DW_AT_upper_bound, &attr) && dwarf_formudata(&attr, &w) == 0)
			return (int64_t)w + 1;
		return -1;
	} while (dwarf_siblingof(&sub, &sub) == 0);
	return -1;
}

/* The address of p in a temporary, so members do not read it again. */
static char *in_temp(struct pretty *pp, struct place *p)
{
	int k = (*pp->n_base)++;

	flush(pp);
	sb_printf(pp->code, "stp_pp_b[%d] = %s;\n\t", k, p->expr);
	return xasprintf("stp_pp_b[%d]", k);
}

static void pretty(struct pretty *pp, struct place *p, Dwarf_Die *t, int has_type, int level,
		   int missing);

/* A bitfield member at the address `base`: its storage unit, shifted and
 * masked (little-endian), printed %u or %i by its encoding (unsigned
 * for the sign is not extended). */
static void bitfield(struct pretty *pp, const char *base, Dwarf_Die *member, Dwarf_Die *t)
{
	Dwarf_Attribute attr;
	Dwarf_Word bits, bit_off;
	int size = dwarf_byte_size(t), shift;
	char *e;

	if (!dwarf_attr(member, DW_AT_bit_size, &attr) || dwarf_formudata(&attr, &bits) != 0 ||
	    !dwarf_attr(member, DW_AT_data_bit_offset, &attr) || dwarf_formudata(&attr, &bit_off) != 0 ||
	    size <= 0 || size > 8 || bit_off % (size * 8) + bits > (Dwarf_Word)size * 8) {
		text(pp, "?");
		return;
	}
	shift = (int)(bit_off % (size * 8));
	e = xasprintf("(int64_t)(((u64)stp_read_int(c, %s + %" PRIu64 ", %d, %s, $W) >> %d) & %#" PRIx64 "ULL)",
		      base, (uint64_t)(bit_off / (size * 8) * size), size, dwarf_user_memory(), shift,
		      (uint64_t)(bits >= 64 ? ~0ULL : (1ULL << bits) - 1));
	value(pp, encoding(t) == DW_ATE_signed || encoding(t) == DW_ATE_boolean
		  ? "stp_pp_int" : "stp_pp_uint", e);
	free(e);
}

static void members(struct pretty *pp, struct place *p, Dwarf_Die *t, int level, int missing)
{
	Dwarf_Die child;
	char *base = NULL;
	int first = 1, in_memory = !p->is_value && !p->n_pieces;

	if (!missing && in_memory)
		base = in_temp(pp, p);
	text(pp, "{");
	if (dwarf_child(t, &child) == 0) {
		do {
			Dwarf_Attribute attr;
			Dwarf_Word off = 0;
			Dwarf_Die mt;
			struct place mp = { 0 };
			const char *name = dwarf_diename(&child);
			int has_type;

			if (dwarf_tag(&child) != DW_TAG_member)
				continue;
			if (!first)
				text(pp, ", ");
			first = 0;
			if (pp->args >= PRETTY_MAX_ARGS) {
				text(pp, "...");
				break;
			}
			has_type = dwarf_type_of(&child, &mt);
			if (name) {
				text(pp, ".");
				text(pp, name);
				text(pp, "=");
			} else {	/* an anonymous member: stap names a struct "<class>" */
				text(pp, has_type && dwarf_tag(&mt) == DW_TAG_union_type ? "<union>="
				     : "<class>=");
			}
			if (missing) {
				pretty(pp, &mp, &mt, has_type, level + 1, 1);
				continue;
			}
			if (dwarf_attr(&child, DW_AT_data_member_location, &attr))
				dwarf_formudata(&attr, &off);
			if (has_type && dwarf_hasattr(&child, DW_AT_bit_size)) {
				if (in_memory)
					bitfield(pp, base, &child, &mt);
				else
					text(pp, "?");
				continue;
			}
			if (!in_memory) {	/* in registers or pieces: that part of them */
				mp = place_copy(p);
				place_slice(&mp, off, has_type ? dwarf_byte_size(&mt) : -1);
				pretty(pp, &mp, &mt, has_type, level + 1, place_missing(&mp));
				place_free(&mp);
				continue;
			}
			mp.expr = xasprintf("(%s + %" PRIu64 ")", base, (uint64_t)off);
			pretty(pp, &mp, &mt, has_type, level + 1, 0);
			free(mp.expr);
		} while (dwarf_siblingof(&child, &child) == 0);
	}
	text(pp, "}");
	free(base);
}

static void array(struct pretty *pp, struct place *p, Dwarf_Die *t, int level, int missing)
{
	Dwarf_Die elem;
	int64_t count = array_count(t);
	struct place ep = { 0 };
	int has_elem = dwarf_type_of(t, &elem);

	if (level >= pp->max_level) {
		text(pp, "[...]");
		return;
	}
	if (missing || p->is_value || p->n_pieces) {
		text(pp, "?");
		return;
	}
	if (has_elem && is_char(&elem)) {
		value(pp, "stp_pp_string", p->expr);
		return;
	}
	if (!has_elem || dwarf_byte_size(&elem) <= 0) {
		text(pp, "[...]");
		return;
	}
	/* stap prints the first element and ", ..." whatever the length
	 * (also of a zero-length array, whose first element is past it) */
	(void)count;
	text(pp, "[");
	ep.expr = xstrdup(p->expr);
	pretty(pp, &ep, &elem, 1, level + 1, 0);
	free(ep.expr);
	text(pp, ", ...]");
}

static void pretty(struct pretty *pp, struct place *p, Dwarf_Die *t, int has_type, int level,
		   int missing)
{
	int tag = has_type ? dwarf_tag(t) : 0;
	Dwarf_Die target;
	char *e;

	switch (tag) {
	case DW_TAG_structure_type:
	case DW_TAG_union_type:
	case DW_TAG_class_type:
		if (level >= pp->max_level) {
			text(pp, "{...}");
		} else {
			dwarf_complete_type(pp->df, t);
			members(pp, p, t, level, missing);
		}
		return;
	case DW_TAG_array_type:
		array(pp, p, t, level, missing);
		return;
	case 0:
		text(pp, "?");
		return;
	}
	if (missing) {
		text(pp, "?");
		return;
	}
	if (dwarf_byte_size(t) > 8) {	/* wider than a script number */
		text(pp, "?");
		return;
	}
	e = dwarf_load_place(p, t);
	switch (tag) {
	case DW_TAG_base_type:
		if (is_char(t))
			value(pp, "stp_pp_char", e);
		else if (encoding(t) == DW_ATE_float)
			text(pp, "?");
		else	/* bool too is %i */
			value(pp, encoding(t) == DW_ATE_signed || encoding(t) == DW_ATE_boolean
				  ? "stp_pp_int" : "stp_pp_uint", e);
		break;
	case DW_TAG_enumeration_type:
		value(pp, encoding(t) == DW_ATE_signed ? "stp_pp_int" : "stp_pp_uint", e);
		break;
	case DW_TAG_pointer_type:
		if (dwarf_type_of(t, &target) && is_char(&target)) {
			value(pp, "stp_pp_string", e);
		} else if (level == 0 && dwarf_type_of(t, &target) &&
			   (dwarf_tag(&target) == DW_TAG_structure_type ||
			    dwarf_tag(&target) == DW_TAG_union_type ||
			    dwarf_tag(&target) == DW_TAG_base_type ||
			    dwarf_tag(&target) == DW_TAG_enumeration_type)) {
			/* at the top, a pointer prints what it points to */
			struct place sp = { .is_value = 0, .expr = e };

			pretty(pp, &sp, &target, 1, level, 0);
		} else {
			value(pp, "stp_pp_ptr", e);
		}
		break;
	default:
		text(pp, "?");
		break;
	}
	free(e);
}

void dwarf_pretty_value(struct debug_file *df, struct place *p, Dwarf_Die *t, int has_type,
			int level_limit, struct strbuf *code, int *n_base)
{
	struct pretty pp = { .code = code, .max_level = level_limit == 1 ? 1 : 1 << 20,
			     .n_base = n_base, .df = df };

	sb_add(&pp.lit, "");
	sb_add(code, "stp_pp_value_start(c, &stp_pp);\n\t");
	pretty(&pp, p, t, has_type, 0, (p->expr == NULL && !p->n_pieces) || place_missing(p));
	flush(&pp);
	sb_add(code, "stp_pp_value_end(c, &stp_pp);\n\t");
	sb_free(&pp.lit);
}

void dwarf_pretty_text(struct strbuf *code, const char *s)
{
	sb_add(code, "stp_pp_cat(&stp_pp, ");
	sb_add_c_string(code, s);
	sb_add(code, ");\n\t");
}

char *dwarf_pretty_wrap(const char *code, int n_base)
{
	char temps[48] = "";

	if (n_base)
		snprintf(temps, sizeof(temps), " int64_t stp_pp_b[%d];", n_base);
	return xasprintf("({ struct stp_pp stp_pp;%s\n\t"
			 "stp_pp_begin(&stp_pp, $T);\n\t%s$T; })", temps, code);
}

/* ---- $$parms, $$locals, $$vars ------------------------------------------- */

/* One variable's text for the $$ forms: "name=0x2a" (%#llx would print
 * 0 as "0"), "name={...}" for
 * structs and unions, "name=[...]" for arrays, "name=?" where it cannot
 * be read at this address. */
/* The same in $$parms$ / $$vars$$: "name=" and the variable as $name$
 * (or $name$$) prints it, as C statements appending to stp_pp. */
static void add_pretty_value(struct binder *b, Dwarf_Die *fn, Dwarf_Die *var, int pretty,
			     struct strbuf *code, int *n_base, int first)
{
	const char *name = dwarf_diename(var);
	Dwarf_Die t;
	struct place p = { 0 };
	char *label = xasprintf("%s%s=", first ? "" : " ", name);
	int has_type = dwarf_type_of(var, &t);

	dwarf_pretty_text(code, label);
	free(label);
	if (!dwarf_visible_at(var, b->pc) || dwarf_var_place(b, var, fn, &p) != 0)
		place_free(&p);	/* printed as "?" */
	dwarf_pretty_value(b->df, &p, &t, has_type, pretty, code, n_base);
	place_free(&p);
}

static void add_pretty(struct binder *b, Dwarf_Die *fn, Dwarf_Die *var, struct strbuf *fmt,
		       struct strbuf *args)
{
	const char *name = dwarf_diename(var);
	Dwarf_Die t;
	struct place p = { 0 };
	char *expr = NULL;
	int tag;

	sb_printf(fmt, "%s%s=", fmt->len ? " " : "", name);
	if (!dwarf_type_of(var, &t)) {
		sb_add(fmt, "?");
		return;
	}
	tag = dwarf_tag(&t);
	if (tag == DW_TAG_structure_type || tag == DW_TAG_union_type) {
		sb_add(fmt, "{...}");
		return;
	}
	if (tag == DW_TAG_array_type) {
		sb_add(fmt, "[...]");
		return;
	}
	if (!dwarf_visible_at(var, b->pc) || dwarf_var_place(b, var, fn, &p) != 0 ||
	    dwarf_finish(b, &p, &t, 1, name, 0, &expr) != 0) {
		place_free(&p);
		sb_add(fmt, "?");
		return;
	}
	place_free(&p);
	/* SystemTap prints the value in the variable's own width, 0 as 0x0 */
	sb_add(fmt, "0x%llx");
	switch (dwarf_byte_size(&t)) {
	case 1: sb_printf(args, ", (unsigned long long)(u8)%s", expr); break;
	case 2: sb_printf(args, ", (unsigned long long)(u16)%s", expr); break;
	case 4: sb_printf(args, ", (unsigned long long)(u32)%s", expr); break;
	default: sb_printf(args, ", (unsigned long long)%s", expr); break;
	}
	free(expr);
}

int dwarf_bind_pretty_vars(const char *path, uint64_t die_off, uint64_t pc, const char *which,
			   int pretty, struct dwarf_entry_regs *entry, char **c_expr, char *err,
			   size_t errlen)
{
	struct binder b = { .pc = pc, .err = err, .errlen = errlen,
			    .entry_values = entry ? dwarf_saved_at_entry : NULL, .entry_arg = entry };
	Dwarf_Die fn, scopes[DWARF_MAX_SCOPES], var;
	struct strbuf fmt = { 0 }, args = { 0 };
	const char **seen = NULL;
	int parms = strcmp(which, "parms") != 0 ? 0 : 1;
	int locals = strcmp(which, "locals") == 0 || strcmp(which, "vars") == 0;
	int n_scopes, n_seen = 0, n_base = 0, i, k;

	b.df = dwarf_open_file(path, err, errlen);
	if (!b.df)
		return -1;
	if (!dwarf_offdie(b.df->dw, die_off, &fn))
		return dwarf_fail(&b, "cannot read the function's DWARF again");
	if (strcmp(which, "vars") == 0)
		parms = 1;
	sb_add(&fmt, "");
	sb_add(&args, "");
	n_scopes = dwarf_scopes_at(&fn, pc, scopes);
	/* parameters first, then locals from the outermost scope in */
	for (k = 0; k < 2; k++) {
		if ((k == 0 && !parms) || (k == 1 && !locals))
			continue;
		for (i = 0; i < n_scopes; i++) {
			if (dwarf_child(&scopes[i], &var) != 0)
				continue;
			do {
				int tag = dwarf_tag(&var), dup = 0, j;
				const char *name = dwarf_diename(&var);

				if (!name || tag != (k == 0 ? DW_TAG_formal_parameter : DW_TAG_variable))
					continue;
				for (j = 0; j < n_seen && !dup; j++)
					dup = strcmp(seen[j], name) == 0;
				if (dup)
					continue;
				seen = realloc(seen, sizeof(*seen) * (n_seen + 1));
				seen[n_seen++] = name;
				if (pretty)
					add_pretty_value(&b, &fn, &var, pretty, &fmt, &n_base, n_seen == 1);
				else
					add_pretty(&b, &fn, &var, &fmt, &args);
			} while (dwarf_siblingof(&var, &var) == 0);
		}
	}
	free(seen);
	if (pretty) {
		*c_expr = dwarf_pretty_wrap(fmt.buf, n_base);
		sb_free(&fmt);
		sb_free(&args);
		return 0;
	}
	{
		struct strbuf lit = { 0 };

		sb_add_c_string(&lit, fmt.buf);
		*c_expr = xasprintf("stp_sprintf($T, %s%s)", lit.buf, args.buf);
		sb_free(&lit);
	}
	sb_free(&fmt);
	sb_free(&args);
	return 0;
}
