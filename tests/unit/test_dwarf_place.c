/* test_dwarf_place.c - unit tests for translator/dwarf_place.c: members
 * and elements of objects held in memory, in a register or in pieces
 * (DW_OP_piece) are the right bytes, gathered into the right C, and the
 * reasons an object has no address are SystemTap's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dwarf_info.h"
#include "dwarf_internal.h"
#include "util.h"

static int passed, failed;

static void expect(const char *what, const char *got, const char *want)
{
	if ((!got && !want) || (got && want && strcmp(got, want) == 0)) {
		passed++;
		return;
	}
	printf("FAIL %s:\n  got      %s\n  expected %s\n", what, got ? got : "NULL",
	       want ? want : "NULL");
	failed++;
}

static void expect_load(const char *what, const struct place *p, int size, const char *want)
{
	char *got = place_load_unsigned(p, size);

	expect(what, got, want);
	free(got);
}

static struct place value(const char *expr, enum value_kind kind)
{
	struct place p = { .is_value = 1, .kind = kind, .expr = xstrdup(expr) };

	return p;
}

/* struct { long lo; long hi; } in two registers: DW_OP_reg5 DW_OP_piece 8
 * DW_OP_reg4 DW_OP_piece 8 */
static struct place two_registers(void)
{
	struct place p = { 0 };

	p.n_pieces = 2;
	p.pieces = xcalloc(2, sizeof(*p.pieces));
	p.pieces[0].size = 8;
	p.pieces[0].at = value("DI", VALUE_REGISTER);
	p.pieces[1].size = 8;
	p.pieces[1].at = value("SI", VALUE_REGISTER);
	return p;
}

int main(void)
{
	struct place p, q;

	/* memory: a member is an address further on */
	p = (struct place){ .expr = xstrdup("A") };
	place_slice(&p, 16, 4);
	expect("memory member", p.expr, "(A + 16)");
	expect_load("memory member load", &p, 4,
		    "((u64)stp_read_int(c, (A + 16), 4, false, $W) & 0xffffffffULL)");
	expect("memory has an address", place_no_address(&p), NULL);
	place_free(&p);

	/* one register holding struct { int x; int y; }: y is its high half */
	p = value("DX", VALUE_REGISTER);
	place_slice(&p, 4, 4);
	expect_load("register high half", &p, 4, "((u64)((u64)DX >> 32) & 0xffffffffULL)");
	expect("a shifted register is no longer the register", place_no_address(&p),
	       "cannot take address of computed value");
	place_free(&p);
	p = value("DX", VALUE_REGISTER);
	expect("register", place_no_address(&p), "cannot take address of object in register");
	place_free(&p);

	/* pieces: each member in its own register */
	p = two_registers();
	expect("pieces", place_no_address(&p), "cannot take address of noncontiguous object");
	q = place_copy(&p);
	place_slice(&q, 8, 8);
	expect("second piece is its register", q.expr, "SI");
	expect("second piece is a plain value", q.n_pieces ? "pieces" : "value", "value");
	place_free(&q);
	/* 8 bytes across both pieces: gathered */
	q = place_copy(&p);
	place_slice(&q, 4, 8);
	expect_load("straddling", &q, 8,
		    "(((u64)((u64)DI >> 32) & 0xffffffffULL) | (((u64)SI & 0xffffffffULL) << 32))");
	place_free(&q);
	/* past the end: missing */
	q = place_copy(&p);
	place_slice(&q, 16, 4);
	expect("past the pieces", place_missing(&q) ? "missing" : "there", "missing");
	place_free(&q);
	place_free(&p);

	/* an optimized-out piece */
	p = two_registers();
	place_free(&p.pieces[1].at);
	p.pieces[1].missing = 1;
	expect("a missing piece", place_missing(&p) ? "missing" : "there", "missing");
	expect("unavailable", place_no_address(&p), "cannot take address of unavailable value");
	q = place_copy(&p);
	place_slice(&q, 0, 8);
	expect("the piece that is there", place_missing(&q) ? "missing" : "there", "there");
	place_free(&q);
	place_free(&p);

	/* a constant */
	p = value("0x2aULL", VALUE_CONSTANT);
	expect("constant", place_no_address(&p), "cannot take address of constant value");
	place_free(&p);

	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
