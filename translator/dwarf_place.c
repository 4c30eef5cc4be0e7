/* dwarf_place.c - where a target variable's bytes are, once its DWARF
 * location is evaluated: memory, a value (register, computed, constant),
 * or pieces of those (DW_OP_piece, a struct passed in two registers).
 * Members and elements are slices of their object; reading builds one C
 * expression that gathers the bytes (little-endian, x86-64 and arm64).
 * Nothing here reads DWARF: dwarf_vars.c makes the places. */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dwarf_info.h"
#include "dwarf_internal.h"
#include "util.h"

void place_free(struct place *p)
{
	int i;

	for (i = 0; i < p->n_pieces; i++)
		place_free(&p->pieces[i].at);
	free(p->pieces);
	free(p->expr);
	p->pieces = NULL;
	p->n_pieces = 0;
	p->expr = NULL;
}

struct place place_copy(const struct place *p)
{
	struct place c = *p;
	int i;

	c.expr = p->expr ? xstrdup(p->expr) : NULL;
	if (p->n_pieces) {
		c.pieces = xcalloc(p->n_pieces, sizeof(*c.pieces));
		for (i = 0; i < p->n_pieces; i++) {
			c.pieces[i] = p->pieces[i];
			c.pieces[i].at = place_copy(&p->pieces[i].at);
		}
	}
	return c;
}

/* A value's bytes from `off` on: shifted down (a register holds the low
 * bytes first). */
static void shift_value(struct place *p, uint64_t off)
{
	char *e;

	if (off == 0)
		return;
	e = off >= 8 ? xstrdup("0ULL") : xasprintf("((u64)%s >> %d)", p->expr, (int)off * 8);
	free(p->expr);
	p->expr = e;
	if (p->kind == VALUE_REGISTER)
		p->kind = VALUE_COMPUTED;	/* no longer the whole register */
}

void place_slice(struct place *p, uint64_t off, int size)
{
	struct place_piece *kept = NULL;
	uint64_t start = 0, end = size < 0 ? UINT64_MAX : off + (uint64_t)size;
	int i, n = 0;

	if (!p->n_pieces) {
		if (p->is_value) {
			shift_value(p, off);
			if (size >= 0 && size < 8 && p->kind == VALUE_REGISTER)
				p->kind = VALUE_COMPUTED;	/* part of a register: not writable as one */
		} else if (off) {
			char *e = xasprintf("(%s + %" PRIu64 ")", p->expr, off);

			free(p->expr);
			p->expr = e;
		}
		return;
	}
	/* keep the pieces that overlap [off, end), each cut to the overlap */
	for (i = 0; i < p->n_pieces; i++) {
		struct place_piece *pc = &p->pieces[i];
		uint64_t pend = start + (uint64_t)pc->size;

		if (pend > off && start < end) {
			uint64_t from = off > start ? off - start : 0;
			uint64_t to = end < pend ? end - start : (uint64_t)pc->size;

			struct place_piece *more = xcalloc(n + 1, sizeof(*more));

			if (n)
				memcpy(more, kept, sizeof(*kept) * n);
			free(kept);
			kept = more;
			kept[n] = *pc;
			kept[n].at = place_copy(&pc->at);
			kept[n].size = (int)(to - from);
			if (!pc->missing)
				place_slice(&kept[n].at, from, kept[n].size);
			n++;
		}
		start = pend;
	}
	place_free(p);
	if (n == 1 && !kept[0].missing) {	/* all in one piece: that place */
		*p = kept[0].at;
		free(kept);
		return;
	}
	p->pieces = kept;
	p->n_pieces = n;
	if (n == 0) {	/* past the last piece: nothing known */
		p->pieces = xcalloc(1, sizeof(*p->pieces));
		p->pieces[0].missing = 1;
		p->pieces[0].size = size < 0 ? 1 : size;
		p->n_pieces = 1;
	}
}

static uint64_t mask_of(int size)
{
	return size >= 8 ? ~0ULL : (1ULL << (size * 8)) - 1;
}

char *place_load_unsigned(const struct place *p, int size)
{
	struct strbuf sb = { 0 };
	int i, at = 0;

	if (!p->n_pieces) {
		if (p->is_value)
			return size >= 8 ? xasprintf("((u64)%s)", p->expr)
			       : xasprintf("((u64)%s & %#" PRIx64 "ULL)", p->expr, mask_of(size));
		return size >= 8 ? xasprintf("((u64)stp_read_int(c, %s, 8, %s, $W))", p->expr, dwarf_user_memory())
		       : xasprintf("((u64)stp_read_int(c, %s, %d, %s, $W) & %#" PRIx64 "ULL)",
				   p->expr, size, dwarf_user_memory(), mask_of(size));
	}
	sb_add(&sb, "(");
	for (i = 0; i < p->n_pieces && at < size; i++) {
		const struct place_piece *pc = &p->pieces[i];
		int take = pc->size < size - at ? pc->size : size - at;

		if (!pc->missing) {
			char *part = place_load_unsigned(&pc->at, take);

			if (sb.len > 1)
				sb_add(&sb, " | ");
			if (at)
				sb_printf(&sb, "(%s << %d)", part, at * 8);
			else
				sb_add(&sb, part);
			free(part);
		}
		at += pc->size;
	}
	if (sb.len == 1)
		sb_add(&sb, "0ULL");
	sb_add(&sb, ")");
	return sb.buf;
}

int place_missing(const struct place *p)
{
	int i;

	for (i = 0; i < p->n_pieces; i++)
		if (p->pieces[i].missing || place_missing(&p->pieces[i].at))
			return 1;
	return 0;
}

const char *place_no_address(const struct place *p)
{
	if (p->n_pieces)
		return place_missing(p) ? "cannot take address of unavailable value"
		       : "cannot take address of noncontiguous object";
	if (!p->is_value)
		return NULL;
	switch (p->kind) {
	case VALUE_REGISTER:
		return "cannot take address of object in register";
	case VALUE_CONSTANT:
		return "cannot take address of constant value";
	default:
		return "cannot take address of computed value";
	}
}
