/* dwarf_vars.c - target variables at debuginfo probe points: a DWARF
 * location (registers, frame base from the CFI, DW_OP_breg/fbreg, implicit
 * and stack values, pieces, constants, values at the function's entry)
 * and a type walk (members, subscripts, pointers) turned into one C
 * expression for the generated handler (places: dwarf_place.c).
 *
 * Every memory read goes through stp_read_int (copy_from_kernel_nofault),
 * and registers through stp_dwarf_reg (runtime/stp_dwarf.h), so a bad
 * pointer is a script error with its location, never an oops.  DWARF
 * register numbers map to struct pt_regs fields in registers.c. */
#define _GNU_SOURCE
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dwarf_info.h"
#include "dwarf_internal.h"
#include "registers.h"
#include "util.h"

static char *reg_expr(unsigned int regno)
{
	const char *field = register_dwarf_field(regno);

	if (!field)
		return NULL;
	return xasprintf("stp_dwarf_reg(c, offsetof(struct pt_regs, %s), $W)", field);
}

int dwarf_fail(struct binder *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b->err, b->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

#define STACK_MAX 8

static int eval_ops(struct binder *b, Dwarf_Op *ops, size_t n, Dwarf_Die *fn, struct place *out);

/* The frame base of fn at pc: DW_OP_call_frame_cfa is the CFA from the
 * CFI (.debug_frame), itself a register plus an offset. */
/* The subprogram whose frame an inlined copy at pc lives in: the
 * out-of-line function of the CU whose code holds pc (dwarf_getscopes
 * will not tell: past an inlined copy it goes on with the scopes of the
 * copy's abstract definition, not the function it was inlined into). */
static int enclosing_subprogram(Dwarf_Die *die, Dwarf_Addr pc, Dwarf_Die *out)
{
	Dwarf_Die cu, child;

	if (!dwarf_diecu(die, &cu, NULL, NULL) || dwarf_child(&cu, &child) != 0)
		return 0;
	do {
		if (dwarf_tag(&child) == DW_TAG_subprogram && dwarf_haspc(&child, pc) == 1) {
			*out = child;
			return 1;
		}
	} while (dwarf_siblingof(&child, &child) == 0);
	return 0;
}

static char *frame_base(struct binder *b, Dwarf_Die *fn)
{
	Dwarf_Attribute attr;
	Dwarf_Op *ops;
	size_t n;
	struct place p = { 0 };
	Dwarf_Die outer;

	/* an inlined copy's DW_OP_fbreg is relative to its caller's frame */
	if (dwarf_tag(fn) == DW_TAG_inlined_subroutine) {
		if (!enclosing_subprogram(fn, b->pc, &outer)) {
			dwarf_fail(b, "cannot find the function this inlined copy is part of");
			return NULL;
		}
		fn = &outer;
	}

	if (!dwarf_attr_integrate(fn, DW_AT_frame_base, &attr) ||
	    dwarf_getlocation_addr(&attr, b->pc, &ops, &n, 1) <= 0 || n == 0) {
		dwarf_fail(b, "no frame base at this address");
		return NULL;
	}
	/* DW_OP_regN (is_value) means the register holds the frame base,
	 * an address expression that it is the frame base: either way the
	 * expression is the frame base's value */
	if (eval_ops(b, ops, n, NULL, &p) != 0)
		return NULL;
	return p.expr;
}

static char *cfa_expr(struct binder *b)
{
	Dwarf_Addr bias;
	Dwarf_CFI *cfi = dwfl_module_dwarf_cfi(b->df->mod, &bias);
	Dwarf_Frame *frame = NULL;
	Dwarf_Op *ops;
	size_t n;
	struct place p = { 0 };

	if (!cfi)
		cfi = dwfl_module_eh_cfi(b->df->mod, &bias);
	if (!cfi || dwarf_cfi_addrframe(cfi, b->pc, &frame) != 0 ||
	    dwarf_frame_cfa(frame, &ops, &n) != 0) {
		free(frame);
		dwarf_fail(b, "no call frame information at this address");
		return NULL;
	}
	if (eval_ops(b, ops, n, NULL, &p) != 0) {
		free(frame);
		return NULL;
	}
	free(frame);
	return p.expr;
}

/* The constant a DW_OP_implicit_value (or a DW_AT_const_value block)
 * spells in `len` little-endian bytes: one value up to 8 bytes, 8-byte
 * pieces beyond. */
static void constant_place(const unsigned char *bytes, size_t len, struct place *out)
{
	size_t at, k, n = (len + 7) / 8;

	memset(out, 0, sizeof(*out));
	if (n > 1) {
		out->pieces = xcalloc(n, sizeof(*out->pieces));
		out->n_pieces = (int)n;
	}
	for (at = 0; at < len || at == 0; at += 8) {
		uint64_t v = 0;
		struct place *one = n > 1 ? &out->pieces[at / 8].at : out;

		for (k = 0; k < 8 && at + k < len; k++)
			v |= (uint64_t)bytes[at + k] << (8 * k);
		if (n > 1)
			out->pieces[at / 8].size = (int)(len - at < 8 ? len - at : 8);
		one->is_value = 1;
		one->kind = VALUE_CONSTANT;
		one->expr = xasprintf("%#" PRIx64 "ULL", v);
		if (len == 0)
			break;
	}
}

/* What one DWARF location expression (or one piece of it) left: the
 * value on top of the stack is an address, unless the expression named a
 * register, ended in DW_OP_stack_value or was an implicit value. */
struct eval_state {
	char *stack[STACK_MAX];
	int sp;
	int tos_register, stack_value, have_implicit;
	struct place implicit;
};

static void state_clear(struct eval_state *st)
{
	while (st->sp > 0)
		free(st->stack[--st->sp]);
	place_free(&st->implicit);
	st->tos_register = st->stack_value = st->have_implicit = 0;
}

/* The place the state describes, *missing set when nothing was computed
 * (an empty piece: optimized out); -1 for a malformed expression. */
static int state_place(struct binder *b, struct eval_state *st, struct place *out, int *missing)
{
	memset(out, 0, sizeof(*out));
	*missing = 0;
	if (st->have_implicit) {
		*out = st->implicit;
		memset(&st->implicit, 0, sizeof(st->implicit));
		st->have_implicit = 0;
		return 0;
	}
	if (st->sp == 0) {
		*missing = 1;
		return 0;
	}
	if (st->sp > 1)
		return dwarf_fail(b, "malformed DWARF expression: %d values left on its stack", st->sp);
	out->expr = st->stack[--st->sp];
	out->is_value = st->tos_register || st->stack_value;
	out->kind = st->stack_value ? VALUE_COMPUTED : VALUE_REGISTER;
	st->tos_register = st->stack_value = 0;
	return 0;
}

/* DW_OP_entry_value's operand: the register whose value at the
 * function's entry it means (the only form compilers emit), or -1. */
static int entry_value_register(struct binder *b, Dwarf_Op *op)
{
	Dwarf_Attribute sub;
	Dwarf_Op *ops;
	size_t n;

	if (!b->attr || dwarf_getlocation_attr(b->attr, op, &sub) != 0 ||
	    dwarf_getlocation(&sub, &ops, &n) != 0 || n != 1)
		return -1;
	if (ops[0].atom >= DW_OP_reg0 && ops[0].atom <= DW_OP_reg31)
		return ops[0].atom - DW_OP_reg0;
	if (ops[0].atom == DW_OP_regx)
		return (int)ops[0].number;
	return -1;
}

static int eval_ops(struct binder *b, Dwarf_Op *ops, size_t n, Dwarf_Die *fn, struct place *out)
{
	struct eval_state st = { .sp = 0 };
	struct place_piece *pieces = NULL;
	int n_pieces = 0, rc = -1;
	size_t i;

#define PUSH(e) do { if (st.sp == STACK_MAX) { dwarf_fail(b, "DWARF expression too deep"); goto out; } \
		     st.stack[st.sp++] = (e); } while (0)
#define NEED(k) do { if (st.sp < (k)) { dwarf_fail(b, "malformed DWARF expression"); goto out; } } while (0)
	memset(out, 0, sizeof(*out));
	for (i = 0; i < n; i++) {
		uint8_t op = ops[i].atom;
		char *e, *l, *r;
		const char *bin = NULL;

		if ((st.tos_register || st.stack_value || st.have_implicit) && op != DW_OP_piece &&
		    op != DW_OP_bit_piece && op != DW_OP_nop) {
			dwarf_fail(b, "malformed DWARF expression: operations after a register or a value");
			goto out;
		}
		if (op >= DW_OP_reg0 && op <= DW_OP_reg31) {
			e = reg_expr(op - DW_OP_reg0);
			if (!e) {
				dwarf_fail(b, "register %d is not supported", op - DW_OP_reg0);
				goto out;
			}
			PUSH(e);
			st.tos_register = 1;
			continue;
		}
		if (op >= DW_OP_breg0 && op <= DW_OP_breg31) {
			e = reg_expr(op - DW_OP_breg0);
			if (!e) {
				dwarf_fail(b, "register %d is not supported", op - DW_OP_breg0);
				goto out;
			}
			PUSH(xasprintf("((int64_t)%s + %" PRId64 ")", e, (int64_t)ops[i].number));
			free(e);
			continue;
		}
		if (op >= DW_OP_lit0 && op <= DW_OP_lit31) {
			PUSH(xasprintf("%dLL", op - DW_OP_lit0));
			continue;
		}
		switch (op) {
		case DW_OP_nop:
			break;
		case DW_OP_regx:
			e = reg_expr((unsigned int)ops[i].number);
			if (!e) {
				dwarf_fail(b, "register %u is not supported", (unsigned int)ops[i].number);
				goto out;
			}
			PUSH(e);
			st.tos_register = 1;
			break;
		case DW_OP_bregx:
			e = reg_expr((unsigned int)ops[i].number);
			if (!e) {
				dwarf_fail(b, "register %u is not supported", (unsigned int)ops[i].number);
				goto out;
			}
			PUSH(xasprintf("((int64_t)%s + %" PRId64 ")", e, (int64_t)ops[i].number2));
			free(e);
			break;
		case DW_OP_fbreg:
			if (!fn) {
				dwarf_fail(b, "DW_OP_fbreg without a function");
				goto out;
			}
			e = frame_base(b, fn);
			if (!e)
				goto out;
			PUSH(xasprintf("(%s + %" PRId64 ")", e, (int64_t)ops[i].number));
			free(e);
			break;
		case DW_OP_addr:	/* a global or static variable */
			e = dwarf_addr_expr(b->df, (uint64_t)ops[i].number, b->err, b->errlen);
			if (!e)
				goto out;
			PUSH(e);
			break;
		case DW_OP_call_frame_cfa:
			e = cfa_expr(b);
			if (!e)
				goto out;
			PUSH(e);
			break;
		case DW_OP_const1u: case DW_OP_const2u: case DW_OP_const4u: case DW_OP_const8u:
		case DW_OP_constu:
			PUSH(xasprintf("%" PRIu64 "ULL", (uint64_t)ops[i].number));
			break;
		case DW_OP_const1s: case DW_OP_const2s: case DW_OP_const4s: case DW_OP_const8s:
		case DW_OP_consts:
			PUSH(xasprintf("%" PRId64 "LL", (int64_t)ops[i].number));
			break;
		case DW_OP_plus_uconst:
			NEED(1);
			e = xasprintf("(%s + %" PRIu64 "ULL)", st.stack[st.sp - 1], (uint64_t)ops[i].number);
			free(st.stack[st.sp - 1]);
			st.stack[st.sp - 1] = e;
			break;
		case DW_OP_neg:
		case DW_OP_not:
			NEED(1);
			e = xasprintf("(%s(int64_t)%s)", op == DW_OP_neg ? "-" : "~", st.stack[st.sp - 1]);
			free(st.stack[st.sp - 1]);
			st.stack[st.sp - 1] = e;
			break;
		case DW_OP_dup:
		case DW_OP_over:
			NEED(op == DW_OP_dup ? 1 : 2);
			e = xstrdup(st.stack[st.sp - (op == DW_OP_dup ? 1 : 2)]);
			PUSH(e);
			break;
		case DW_OP_drop:
			NEED(1);
			free(st.stack[--st.sp]);
			break;
		case DW_OP_swap:
			NEED(2);
			e = st.stack[st.sp - 1];
			st.stack[st.sp - 1] = st.stack[st.sp - 2];
			st.stack[st.sp - 2] = e;
			break;
		case DW_OP_plus: bin = "(%s + %s)"; goto binary;
		case DW_OP_minus: bin = "(%s - %s)"; goto binary;
		case DW_OP_mul: bin = "(int64_t)((u64)%s * (u64)%s)"; goto binary;
		case DW_OP_and: bin = "(%s & %s)"; goto binary;
		case DW_OP_or: bin = "(%s | %s)"; goto binary;
		case DW_OP_xor: bin = "(%s ^ %s)"; goto binary;
		case DW_OP_shl: bin = "(int64_t)((u64)%s << (%s & 63))"; goto binary;
		case DW_OP_shr: bin = "(int64_t)((u64)%s >> (%s & 63))"; goto binary;
		case DW_OP_shra: bin = "((int64_t)%s >> (%s & 63))"; goto binary;
		case DW_OP_eq: bin = "(int64_t)(%s == %s)"; goto binary;
		case DW_OP_ne: bin = "(int64_t)(%s != %s)"; goto binary;
		case DW_OP_lt: bin = "(int64_t)((int64_t)%s < (int64_t)%s)"; goto binary;
		case DW_OP_le: bin = "(int64_t)((int64_t)%s <= (int64_t)%s)"; goto binary;
		case DW_OP_gt: bin = "(int64_t)((int64_t)%s > (int64_t)%s)"; goto binary;
		case DW_OP_ge: bin = "(int64_t)((int64_t)%s >= (int64_t)%s)"; goto binary;
		binary:
			NEED(2);
			r = st.stack[--st.sp];
			l = st.stack[--st.sp];
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
			PUSH(xasprintf(bin, l, r));
#pragma GCC diagnostic pop
			free(l);
			free(r);
			break;
		case DW_OP_deref:
		case DW_OP_deref_size: {
			int size = op == DW_OP_deref ? 8 : (int)ops[i].number;

			NEED(1);
			if (size < 1 || size > 8) {
				dwarf_fail(b, "DW_OP_deref_size %d is not supported", size);
				goto out;
			}
			e = size == 8 ? xasprintf("stp_read_int(c, %s, 8, %s, $W)", st.stack[st.sp - 1], dwarf_user_memory())
			    : xasprintf("(int64_t)((u64)stp_read_int(c, %s, %d, %s, $W) & %#llxULL)",
					st.stack[st.sp - 1], size, dwarf_user_memory(), (1ULL << (size * 8)) - 1);
			free(st.stack[st.sp - 1]);
			st.stack[st.sp - 1] = e;
			break;
		}
		case DW_OP_stack_value:
			NEED(1);
			st.stack_value = 1;
			break;
		case DW_OP_implicit_value: {
			Dwarf_Block block;

			if (st.sp) {
				dwarf_fail(b, "malformed DWARF expression: DW_OP_implicit_value after stack operations");
				goto out;
			}
			if (!b->attr || dwarf_getlocation_implicit_value(b->attr, &ops[i], &block) != 0) {
				dwarf_fail(b, "cannot read the bytes of a DW_OP_implicit_value");
				goto out;
			}
			constant_place(block.data, block.length, &st.implicit);
			st.have_implicit = 1;
			break;
		}
		case DW_OP_piece:
		case DW_OP_bit_piece: {
			struct place_piece *more;
			int missing;

			if (op == DW_OP_bit_piece && (ops[i].number % 8 || ops[i].number2)) {
				dwarf_fail(b, "DW_OP_bit_piece of %u bits at bit %u is not supported",
				     (unsigned int)ops[i].number, (unsigned int)ops[i].number2);
				goto out;
			}
			more = xcalloc(n_pieces + 1, sizeof(*more));
			if (n_pieces)
				memcpy(more, pieces, sizeof(*pieces) * n_pieces);
			free(pieces);
			pieces = more;
			if (state_place(b, &st, &pieces[n_pieces].at, &missing) != 0)
				goto out;
			pieces[n_pieces].missing = missing;
			pieces[n_pieces].size = (int)(op == DW_OP_piece ? ops[i].number : ops[i].number / 8);
			n_pieces++;
			break;
		}
		case DW_OP_entry_value:
		case DW_OP_GNU_entry_value: {
			int reg = entry_value_register(b, &ops[i]);

			if (reg < 0 || !register_dwarf_field((unsigned int)reg) || !b->entry_values) {
				b->wants_entry_value = 1;
				dwarf_fail(b, "needs its value at the function's entry");
				goto out;
			}
			e = b->entry_values(b, (unsigned int)reg);
			if (!e)
				goto out;
			PUSH(e);
			break;
		}
		default:
			dwarf_fail(b, "DWARF operation %#x is not supported yet", op);
			goto out;
		}
	}
	if (n_pieces) {
		if (st.sp || st.have_implicit) {
			dwarf_fail(b, "malformed DWARF expression: operations after its last DW_OP_piece");
			goto out;
		}
		out->pieces = pieces;
		out->n_pieces = n_pieces;
		pieces = NULL;
		n_pieces = 0;
		rc = 0;
	} else {
		int missing;

		if (state_place(b, &st, out, &missing) != 0)
			goto out;
		if (missing) {
			dwarf_fail(b, "malformed DWARF expression: empty");
			goto out;
		}
		rc = 0;
	}
out:
	state_clear(&st);
	while (n_pieces > 0)
		place_free(&pieces[--n_pieces].at);
	free(pieces);
	return rc;
#undef PUSH
#undef NEED
}

/* ---- types ----------------------------------------------------------------- */

/* Follow typedefs and qualifiers; 0 when the type is void. */
static int strip_type(Dwarf_Die *t)
{
	Dwarf_Attribute attr;

	for (;;) {
		switch (dwarf_tag(t)) {
		case DW_TAG_typedef:
		case DW_TAG_const_type:
		case DW_TAG_volatile_type:
		case DW_TAG_restrict_type:
		case DW_TAG_atomic_type:
			if (!dwarf_attr_integrate(t, DW_AT_type, &attr) || !dwarf_formref_die(&attr, t))
				return 0;
			continue;
		default:
			return 1;
		}
	}
}

int dwarf_type_of(Dwarf_Die *die, Dwarf_Die *type)
{
	Dwarf_Attribute attr;

	if (!dwarf_attr_integrate(die, DW_AT_type, &attr) || !dwarf_formref_die(&attr, type))
		return 0;
	return strip_type(type);
}

int dwarf_byte_size(Dwarf_Die *t)
{
	Dwarf_Word size;

	if (dwarf_aggregate_size(t, &size) == 0)
		return (int)size;
	return dwarf_tag(t) == DW_TAG_pointer_type ? 8 : -1;
}

/* The value of a place as a C long: loads (or register values) cut to
 * the type's size, sign-extended when the type is signed. */
char *dwarf_load_place(struct place *p, Dwarf_Die *t)
{
	int size = dwarf_byte_size(t), is_signed = 1;
	Dwarf_Attribute attr;
	Dwarf_Word enc;
	const char *cast;

	if (dwarf_tag(t) == DW_TAG_base_type && dwarf_attr(t, DW_AT_encoding, &attr) &&
	    dwarf_formudata(&attr, &enc) == 0)
		is_signed = enc == DW_ATE_signed || enc == DW_ATE_signed_char;
	if (dwarf_tag(t) == DW_TAG_pointer_type)
		is_signed = 0;
	if (dwarf_tag(t) == DW_TAG_enumeration_type) {
		Dwarf_Die under;

		if (dwarf_type_of(t, &under) && dwarf_attr(&under, DW_AT_encoding, &attr) &&
		    dwarf_formudata(&attr, &enc) == 0)
			is_signed = enc == DW_ATE_signed || enc == DW_ATE_signed_char;
	}
	switch (size) {
	case 1: cast = is_signed ? "s8" : "u8"; break;
	case 2: cast = is_signed ? "s16" : "u16"; break;
	case 4: cast = is_signed ? "s32" : "u32"; break;
	default: cast = "s64"; size = 8; break;
	}
	if (p->n_pieces) {	/* gathered from its pieces */
		char *v = place_load_unsigned(p, size), *e;

		e = xasprintf("((int64_t)(%s)%s)", cast, v);
		free(v);
		return e;
	}
	if (p->is_value)
		return xasprintf("((int64_t)(%s)%s)", cast, p->expr);
	return xasprintf("((int64_t)(%s)stp_read_int(c, %s, %d, %s, $W))", cast, p->expr, size, dwarf_user_memory());
}

/* Find member `name` of struct/union t, also inside anonymous members;
 * adds its offset to *off and sets *mt to its (stripped) type. */
static int find_member(Dwarf_Die *t, const char *name, Dwarf_Word *off, Dwarf_Die *mt,
		       Dwarf_Die *member)
{
	Dwarf_Die child;

	if (dwarf_child(t, &child) != 0)
		return 0;
	do {
		Dwarf_Attribute attr;
		Dwarf_Word here = 0;
		const char *n;

		if (dwarf_tag(&child) != DW_TAG_member)
			continue;
		if (dwarf_attr(&child, DW_AT_data_member_location, &attr))
			dwarf_formudata(&attr, &here);
		n = dwarf_diename(&child);
		if (n && strcmp(n, name) == 0) {
			*off += here;
			*member = child;
			return dwarf_type_of(&child, mt) ? 1 : 0;
		}
		if (!n) {
			Dwarf_Die anon;

			if (dwarf_type_of(&child, &anon)) {
				Dwarf_Word inner = *off + here;

				if (find_member(&anon, name, &inner, mt, member)) {
					*off = inner;
					return 1;
				}
			}
		}
	} while (dwarf_siblingof(&child, &child) == 0);
	return 0;
}

static char *member_names(Dwarf_Die *t)
{
	struct strbuf sb = { 0 };
	Dwarf_Die child;

	sb_add(&sb, "");
	if (dwarf_child(t, &child) == 0) {
		do {
			const char *n = dwarf_diename(&child);

			if (dwarf_tag(&child) == DW_TAG_member && n)
				sb_printf(&sb, "%s%s", sb.len ? " " : "", n);
		} while (dwarf_siblingof(&child, &child) == 0);
	}
	return sb.buf;
}

/* A bitfield (the last access) read as its storage unit, shifted and
 * masked (little-endian x86-64; DW_AT_data_bit_offset from the struct). */
static int bitfield(struct binder *b, struct place *p, Dwarf_Die *t, Dwarf_Die *member,
		    const char *name)
{
	Dwarf_Attribute attr;
	Dwarf_Word bits, bit_off;
	int size = dwarf_byte_size(t), shift;
	char *unit, *e;

	if (!dwarf_attr(member, DW_AT_bit_size, &attr) || dwarf_formudata(&attr, &bits) != 0 ||
	    !dwarf_attr(member, DW_AT_data_bit_offset, &attr) || dwarf_formudata(&attr, &bit_off) != 0 ||
	    size <= 0 || size > 8)
		return dwarf_fail(b, "bitfield member '%s' is not supported (no DW_AT_data_bit_offset)", name);
	shift = (int)(bit_off % (size * 8));
	if (shift + bits > (Dwarf_Word)size * 8)
		return dwarf_fail(b, "bitfield member '%s' straddles its storage unit: not supported yet", name);
	/* p is at the member's offset (0 for bitfields): step to the unit */
	if (!p->n_pieces && !p->is_value) {
		e = xasprintf("(%s + %" PRIu64 ")", p->expr, (uint64_t)(bit_off / (size * 8) * size));
		free(p->expr);
		p->expr = e;
		unit = xasprintf("((u64)stp_read_int(c, %s, %d, %s, $W))", p->expr, size, dwarf_user_memory());
	} else {	/* a struct in registers or pieces */
		place_slice(p, bit_off / (size * 8) * size, size);
		if (place_missing(p))
			return dwarf_fail(b, "'%s' is not available: optimized out", name);
		unit = place_load_unsigned(p, size);
	}
	place_free(p);
	p->expr = xasprintf("((%s >> %d) & %#" PRIx64 "ULL)", unit, shift,
			    (uint64_t)(bits >= 64 ? ~0ULL : (1ULL << bits) - 1));
	free(unit);
	p->is_value = 1;
	p->kind = VALUE_COMPUTED;
	return 0;
}

int dwarf_walk_access(struct binder *b, struct place *p, Dwarf_Die *t, const char *name,
		      const struct dwarf_access *access, int n_access)
{
	int i;

	for (i = 0; i < n_access; i++) {
		const struct dwarf_access *a = &access[i];
		int tag = dwarf_tag(t);
		char *e;

		if (a->member) {
			Dwarf_Word off = 0;
			Dwarf_Die mt, member;

			if (tag == DW_TAG_pointer_type) {
				Dwarf_Die target;

				if (!dwarf_type_of(t, &target))
					return dwarf_fail(b, "cannot dereference a void pointer for '->%s' of '%s'", a->member, name);
				e = dwarf_load_place(p, t);
				place_free(p);
				p->expr = e;
				p->is_value = 0;	/* now the address of the struct */
				*t = target;
				tag = dwarf_tag(t);
			}
			if (tag != DW_TAG_structure_type && tag != DW_TAG_union_type)
				return dwarf_fail(b, "'%s' is not a struct or union: no member '%s'", name, a->member);
			dwarf_complete_type(b->df, t);
			if (!find_member(t, a->member, &off, &mt, &member)) {
				char *names = member_names(t);

				dwarf_fail(b, "unable to find member '%s' for struct %s (alternatives: %s)", a->member,
				     dwarf_diename(t) ? dwarf_diename(t) : "{...}", names);
				free(names);
				return -1;
			}
			if (!p->is_value && !p->n_pieces) {
				e = xasprintf("(%s + %" PRIu64 ")", p->expr, (uint64_t)off);
				free(p->expr);
				p->expr = e;
			} else if (!dwarf_hasattr(&member, DW_AT_bit_size)) {
				place_slice(p, off, dwarf_byte_size(&mt));
			} else {	/* a bitfield's unit is found from its struct's place */
				place_slice(p, off, -1);
			}
			*t = mt;
			if (dwarf_hasattr(&member, DW_AT_bit_size))
				return i == n_access - 1 ? bitfield(b, p, t, &member, a->member)
				       : dwarf_fail(b, "bitfield '%s' has no members", a->member);
		} else {
			Dwarf_Die elem;
			int size;

			if (tag == DW_TAG_pointer_type) {
				if (!dwarf_type_of(t, &elem))
					return dwarf_fail(b, "cannot index a void pointer ('%s')", name);
				e = dwarf_load_place(p, t);
				place_free(p);
				p->expr = e;
				p->is_value = 0;
			} else if (tag == DW_TAG_array_type) {
				if (!dwarf_type_of(t, &elem))
					return dwarf_fail(b, "array '%s' has no element type", name);
				if ((p->is_value || p->n_pieces) && a->index_slot >= 0)
					return dwarf_fail(b, "cannot index array stored in a register or in pieces with an expression ('%s')", name);
			} else {
				return dwarf_fail(b, "'%s' is not an array or pointer: cannot index it", name);
			}
			size = dwarf_byte_size(&elem);
			if (size <= 0)
				return dwarf_fail(b, "elements of '%s' have no known size", name);
			if (p->is_value || p->n_pieces) {	/* an element of an array not in memory */
				if (a->index < 0)
					return dwarf_fail(b, "constant index is outside array held in register ('%s')", name);
				place_slice(p, (uint64_t)a->index * size, size);
				*t = elem;
				continue;
			}
			if (a->index_slot >= 0)
				e = xasprintf("(%s + (int64_t)($I%d) * %d)", p->expr, a->index_slot, size);
			else
				e = xasprintf("(%s + %" PRId64 ")", p->expr, a->index * size);
			free(p->expr);
			p->expr = e;
			*t = elem;
		}
	}
	return 0;
}

int dwarf_finish(struct binder *b, struct place *p, Dwarf_Die *t, int has_type, const char *name,
		 int addr_of, char **c_expr)
{
	int tag = has_type ? dwarf_tag(t) : 0;

	if (addr_of) {
		if (place_no_address(p))
			return dwarf_fail(b, "%s", place_no_address(p));
		*c_expr = xasprintf("((int64_t)%s)", p->expr);
		return 0;
	}
	if (!has_type)
		return dwarf_fail(b, "'%s' has type void", name);
	if (place_missing(p))
		return dwarf_fail(b, "'%s' is not available at this address: optimized out", name);
	switch (tag) {
	case DW_TAG_base_type:
	case DW_TAG_enumeration_type:
	case DW_TAG_pointer_type:
		if (dwarf_byte_size(t) > 8)
			return dwarf_fail(b, "'%s' is %d bytes wide: values wider than 8 bytes are not supported",
				    name, dwarf_byte_size(t));
		*c_expr = dwarf_load_place(p, t);
		return 0;
	case DW_TAG_array_type:
		if (p->is_value || p->n_pieces)
			return dwarf_fail(b, "cannot take address of an array not in memory ('%s'): index it", name);
		*c_expr = xasprintf("((int64_t)%s)", p->expr);	/* the array's address */
		return 0;
	default:
		return dwarf_fail(b, "'%s' is a %s: name a member ('->field') or take its address ('&')", name,
			    tag == DW_TAG_union_type ? "union" : "struct");
	}
}

/* How guru mode writes the long $V to this place: memory through
 * stp_dwarf_store (fault tolerant), a register in the probe's pt_regs;
 * NULL for what cannot be written (bitfields, computed values, entry
 * values, aggregates). */
static char *store_template(struct place *p, Dwarf_Die *t)
{
	int tag = dwarf_tag(t), size = dwarf_byte_size(t);
	char reg[16];	/* a pt_regs field: "di" (x86-64), "regs[19]" (arm64) */

	if (tag != DW_TAG_base_type && tag != DW_TAG_enumeration_type && tag != DW_TAG_pointer_type)
		return NULL;
	if (p->n_pieces || (p->is_value && p->kind != VALUE_REGISTER))
		return NULL;	/* in pieces, computed or constant: read only */
	if (!p->is_value)
		return size == 1 || size == 2 || size == 4 || size == 8
		       ? xasprintf("stp_dwarf_store(c, %s, %d, $V, $W)", p->expr, size) : NULL;
	if (sscanf(p->expr, "stp_dwarf_reg(c, offsetof(struct pt_regs, %15[][a-z0-9]), $W)", reg) == 1 &&
	    strcmp(p->expr + strlen(p->expr) - 5, ", $W)") == 0) {
		return xasprintf("stp_dwarf_set_reg(c, offsetof(struct pt_regs, %s), $V, $W)", reg);
	}
	return NULL;
}

/* ---- the entry point ----------------------------------------------------- */

/* Where variable var is at b->pc: its DW_AT_location there, or its
 * DW_AT_const_value (a variable the compiler folded into a constant). */
int dwarf_var_place(struct binder *b, Dwarf_Die *var, Dwarf_Die *fn, struct place *p)
{
	Dwarf_Attribute attr;
	Dwarf_Op *ops;
	size_t n;
	int rc;

	memset(p, 0, sizeof(*p));
	if (dwarf_attr_integrate(var, DW_AT_const_value, &attr)) {
		Dwarf_Block block;
		Dwarf_Sword sv;
		unsigned char bytes[8];
		int k;

		switch (dwarf_whatform(&attr)) {
		case DW_FORM_block: case DW_FORM_block1: case DW_FORM_block2: case DW_FORM_block4:
			if (dwarf_formblock(&attr, &block) != 0)
				return dwarf_fail(b, "cannot read the constant value of '%s'", dwarf_diename(var));
			constant_place(block.data, block.length, p);
			return 0;
		case DW_FORM_string: case DW_FORM_strp: case DW_FORM_line_strp:
			return dwarf_fail(b, "'%s' is a constant string: not supported", dwarf_diename(var));
		default:
			if (dwarf_formsdata(&attr, &sv) != 0)
				return dwarf_fail(b, "cannot read the constant value of '%s'", dwarf_diename(var));
			for (k = 0; k < 8; k++)
				bytes[k] = (unsigned char)((uint64_t)sv >> (8 * k));
			constant_place(bytes, 8, p);
			return 0;
		}
	}
	if (!dwarf_attr_integrate(var, DW_AT_location, &attr) ||
	    dwarf_getlocation_addr(&attr, b->pc, &ops, &n, 1) <= 0 || n == 0)
		return dwarf_fail(b, "no location for $%s at this address", dwarf_diename(var));
	b->attr = &attr;
	rc = eval_ops(b, ops, n, fn, p);
	b->attr = NULL;
	return rc;
}

/* The slot of register regno among those saved at entry (added if new),
 * or -1 with b->err set */
static int entry_slot(struct binder *b, struct dwarf_entry_regs *regs, unsigned int regno)
{
	const char *field = register_dwarf_field(regno);
	int k;

	if (!field)
		return dwarf_fail(b, "register %u is not supported", regno);
	for (k = 0; k < regs->n; k++)
		if (strcmp(regs->field[k], field) == 0)
			return k;
	if (regs->n == DWARF_MAX_ENTRY_REGS)
		return dwarf_fail(b, "more than %d registers saved at the function's entry", DWARF_MAX_ENTRY_REGS);
	regs->field[regs->n] = field;
	return regs->n++;
}

/* $param in a .return probe: its value at the function's entry, which a
 * kretprobe entry handler saves; only parameters that enter in a register
 * (-2 otherwise: the probe's entry part reads them). */
static int entry_value(struct binder *b, Dwarf_Die *fn, Dwarf_Addr entry, const char *name,
		       struct dwarf_entry_regs *regs, struct place *p, Dwarf_Die *t, int *has_type)
{
	int slot;

	Dwarf_Die var;
	Dwarf_Attribute attr;
	Dwarf_Op *ops;
	size_t n;
	unsigned int regno;
	int found = 0;

	if (dwarf_child(fn, &var) == 0) {
		do {
			const char *vn = dwarf_diename(&var);

			found = dwarf_tag(&var) == DW_TAG_formal_parameter && vn && strcmp(vn, name) == 0;
		} while (!found && dwarf_siblingof(&var, &var) == 0);
	}
	if (!found) {
		struct strbuf alts = { 0 };

		sb_add(&alts, "");
		if (dwarf_child(fn, &var) == 0) {
			do {
				if (dwarf_tag(&var) == DW_TAG_formal_parameter && dwarf_diename(&var))
					sb_printf(&alts, " $%s", dwarf_diename(&var));
			} while (dwarf_siblingof(&var, &var) == 0);
		}
		dwarf_fail(b, "unable to find parameter '%s' of %s for this .return probe (alternatives: $return%s)",
		     name, dwarf_diename(fn) ? dwarf_diename(fn) : "?", alts.buf);
		sb_free(&alts);
		return -1;
	}
	if (!dwarf_attr_integrate(&var, DW_AT_location, &attr) ||
	    dwarf_getlocation_addr(&attr, entry, &ops, &n, 1) <= 0 || n != 1)
		return dwarf_fail(b, "parameter '$%s' is not in a register at the function's entry: not supported yet in .return probes", name) - 1;
	if (ops[0].atom >= DW_OP_reg0 && ops[0].atom <= DW_OP_reg31)
		regno = ops[0].atom - DW_OP_reg0;
	else if (ops[0].atom == DW_OP_regx)
		regno = (unsigned int)ops[0].number;
	else
		return dwarf_fail(b, "parameter '$%s' is not in a register at the function's entry: not supported yet in .return probes", name) - 1;
	if (!regs)
		return dwarf_fail(b, "parameter '$%s' has no saved value at entry here", name);
	slot = entry_slot(b, regs, regno);
	if (slot < 0)
		return -1;
	p->is_value = 1;
	p->expr = xasprintf("stp_dwarf_entry(c, %d, $W)", slot);
	*has_type = dwarf_type_of(&var, t);
	return 0;
}

static int has_parameter(Dwarf_Die *fn, const char *name)
{
	Dwarf_Die var;

	if (dwarf_child(fn, &var) != 0)
		return 0;
	do {
		const char *vn = dwarf_diename(&var);

		if (dwarf_tag(&var) == DW_TAG_formal_parameter && vn && strcmp(vn, name) == 0)
			return 1;
	} while (dwarf_siblingof(&var, &var) == 0);
	return 0;
}

/* DW_OP_entry_value(DW_OP_regN) at a function or statement probe: the
 * register saved at the function's entry (runtime/stp_dwarf.h), in the
 * same slots as a .return probe's parameters. */
char *dwarf_saved_at_entry(struct binder *b, unsigned int regno)
{
	int slot = entry_slot(b, b->entry_arg, regno);

	return slot < 0 ? NULL : xasprintf("stp_dwarf_entry(c, %d, $W)", slot);
}

int dwarf_frame_entry(const char *path, uint64_t die_off, uint64_t pc, uint64_t *entry,
		      char *err, size_t errlen)
{
	struct binder b = { .pc = pc, .err = err, .errlen = errlen };
	Dwarf_Die fn, outer;
	Dwarf_Addr at;

	b.df = dwarf_open_file(path, err, errlen);
	if (!b.df)
		return -1;
	if (!dwarf_offdie(b.df->dw, die_off, &fn))
		return dwarf_fail(&b, "cannot read the function's DWARF again");
	if (dwarf_tag(&fn) == DW_TAG_inlined_subroutine) {
		if (!enclosing_subprogram(&fn, pc, &outer))
			return dwarf_fail(&b, "cannot find the function this inlined copy is part of");
		fn = outer;
	}
	if (dwarf_entrypc(&fn, &at) != 0)
		return dwarf_fail(&b, "the function has no entry address");
	*entry = at;
	return 0;
}

int dwarf_bind_variable(const char *path, uint64_t die_off, uint64_t pc, int is_return,
			const char *name, const struct dwarf_access *access, int n_access,
			int addr_of, int pretty, struct dwarf_entry_regs *entry_regs,
			char **c_expr, char **c_store, char *err, size_t errlen)
{
	struct binder b = { .pc = pc, .err = err, .errlen = errlen };
	Dwarf_Die fn, scopes[DWARF_MAX_SCOPES], var, t;
	struct place p = { 0 };
	Dwarf_Addr entry;
	int n_scopes, i, found = 0, has_type = 0, rc;
	const char *fname;

	b.df = dwarf_open_file(path, err, errlen);
	if (!b.df)
		return -1;
	if (!dwarf_offdie(b.df->dw, die_off, &fn))
		return dwarf_fail(&b, "cannot read the function's DWARF again");
	fname = dwarf_diename(&fn) ? dwarf_diename(&fn) : "?";
	if (dwarf_entrypc(&fn, &entry) != 0)
		entry = pc;
	if (is_return && strcmp(name, "return") != 0) {
		Dwarf_Die cu;

		/* not a parameter: a global or static variable, as elsewhere */
		if (!has_parameter(&fn, name) && dwarf_diecu(&fn, &cu, NULL, NULL) &&
		    dwarf_find_global(b.df, name, NULL, &cu, &var)) {
			found = 1;
			goto global;
		}
		rc = entry_value(&b, &fn, entry, name, entry_regs, &p, &t, &has_type);
		if (rc != 0)
			return rc;	/* -2: not one register (pieces) */
		goto walk;
	}
	if (is_return) {
		if (!dwarf_hasattr_integrate(&fn, DW_AT_type))
			return dwarf_fail(&b, "function %s returns void: no $return", fname);
		has_type = dwarf_type_of(&fn, &t);
		p.is_value = 1;
		p.expr = reg_expr(0);	/* rax */
		goto walk;
	}
	n_scopes = dwarf_scopes_at(&fn, pc, scopes);
	for (i = n_scopes - 1; i >= 0 && !found; i--) {
		if (dwarf_child(&scopes[i], &var) != 0)
			continue;
		do {
			const char *n;

			if (dwarf_tag(&var) != DW_TAG_variable && dwarf_tag(&var) != DW_TAG_formal_parameter)
				continue;
			n = dwarf_diename(&var);
			if (n && strcmp(n, name) == 0) {
				found = 1;
				break;
			}
		} while (dwarf_siblingof(&var, &var) == 0);
	}
	if (!found) {	/* a global or static variable of the function's file */
		Dwarf_Die cu;

		found = dwarf_diecu(&fn, &cu, NULL, NULL) && dwarf_find_global(b.df, name, NULL, &cu, &var);
	}
global:
	if (!found || !dwarf_visible_at(&var, pc)) {
		char *alts = dwarf_variables_at(&fn, pc, 0, 1);

		if (!found)
			dwarf_fail(&b, "unable to find local '%s', near %s+%#" PRIx64 " (alternatives:%s)",
			     name, fname, (uint64_t)(pc - entry), alts);
		else
			dwarf_fail(&b, "not accessible at this address (%s+%#" PRIx64 "): $%s (alternatives:%s)",
			     fname, (uint64_t)(pc - entry), name, alts);
		free(alts);
		return -1;
	}
	if (entry_regs) {
		b.entry_values = dwarf_saved_at_entry;
		b.entry_arg = entry_regs;
	}
	if (dwarf_var_place(&b, &var, &fn, &p) != 0) {
		if (b.wants_entry_value) {	/* its value at entry, which was not saved */
			char *alts = dwarf_variables_at(&fn, pc, 0, 1);

			dwarf_fail(&b, "not accessible at this address (%s+%#" PRIx64 "): $%s (alternatives:%s)",
			     fname, (uint64_t)(pc - entry), name, alts);
			free(alts);
		}
		return -1;
	}
	has_type = dwarf_type_of(&var, &t);
walk:
	rc = -1;
	if (n_access && !has_type)
		dwarf_fail(&b, "'%s' has type void", name);
	else if (dwarf_walk_access(&b, &p, &t, name, access, n_access) != 0)
		;	/* b.err says why */
	else if (pretty) {
		struct strbuf code = { 0 };
		int n_base = 0;

		sb_add(&code, "");
		dwarf_pretty_value(b.df, &p, &t, has_type, pretty, &code, &n_base);
		*c_expr = dwarf_pretty_wrap(code.buf, n_base);
		sb_free(&code);
		rc = 0;
	} else {
		rc = dwarf_finish(&b, &p, &t, has_type, name, addr_of, c_expr);
		if (rc == 0 && c_store && !addr_of)
			*c_store = store_template(&p, &t);
	}
	place_free(&p);
	return rc;
}
