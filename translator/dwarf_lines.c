/* dwarf_lines.c - which lines of a function kernel.statement("F@FILE:L")
 * probes, and at which address, chosen the way SystemTap chooses them so
 * that -L lists the same points:
 *
 * - only the line records of the function's own source file count (lines
 *   of inlined helpers from headers do not);
 * - a line belongs to a function instance (an out-of-line body or an
 *   inlined copy) when one of its records lies inside the instance, and
 *   the probe goes at the lowest such address;
 * - for ":*", the lines are walked upwards from the line at the instance's
 *   entry, over the line numbers the file has records for, and the walk
 *   ends at the first of them with no record inside the instance (lines
 *   before the entry's, such as a declaration line the compiler also
 *   placed further down, are not listed);
 * - an address is probed once: of two lines starting there, the one met
 *   first (the lower line of the first instance) keeps it, and every
 *   instance holding that address gets a probe there. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dwarf_info.h"
#include "dwarf_internal.h"
#include "util.h"

/* the last query's "no line records for FILE:LINE (try :N)", or "" */
static char miss[512];

const char *dwarf_statement_miss(void)
{
	return miss[0] ? miss : NULL;
}

void dwarf_statement_miss_reset(void)
{
	miss[0] = 0;
}

struct rec {
	int line;
	Dwarf_Addr addr;
};

struct hit {
	int line;
	Dwarf_Addr addr;
};

struct hits {
	struct hit *v;
	int n, cap;
};

static int by_line_then_addr(const void *a, const void *b)
{
	const struct rec *l = a, *r = b;

	if (l->line != r->line)
		return l->line < r->line ? -1 : 1;
	return l->addr < r->addr ? -1 : l->addr > r->addr;
}

static void add_hit(struct hits *h, int line, Dwarf_Addr addr)
{
	if (h->n == h->cap) {
		h->cap = h->cap ? 2 * h->cap : 64;
		h->v = realloc(h->v, h->cap * sizeof(*h->v));
		if (!h->v)
			abort();
	}
	h->v[h->n].line = line;
	h->v[h->n++].addr = addr;
}

static int by_addr_then_order(const void *a, const void *b)
{
	const struct hit *const *l = a, *const *r = b;

	if ((*l)->addr != (*r)->addr)
		return (*l)->addr < (*r)->addr ? -1 : 1;
	return *l < *r ? -1 : *l > *r;
}

/* Marks (line -1) every hit at an address an earlier hit has */
static void first_at_address(struct hits *h)
{
	struct hit **by = xcalloc(h->n ? h->n : 1, sizeof(*by));
	int j;

	for (j = 0; j < h->n; j++)
		by[j] = &h->v[j];
	qsort(by, h->n, sizeof(*by), by_addr_then_order);
	for (j = 1; j < h->n; j++)
		if (by[j]->addr == by[j - 1]->addr)
			by[j]->line = -1;
	free(by);
}

/* The first record of line `line` in recs[0..n) (sorted), or n */
static size_t first_of_line(const struct rec *recs, size_t n, int line)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (recs[mid].line < line)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Adds the lowest address of line recs[i].line inside die; returns the
 * index past that line's records, or 0 (no record inside: nothing added) */
static size_t add_line_in(Dwarf_Die *die, const struct rec *recs, size_t n, size_t i,
			  struct hits *h)
{
	int line = recs[i].line, found = 0;

	for (; i < n && recs[i].line == line; i++)
		if (!found && dwarf_haspc(die, recs[i].addr) == 1) {
			add_hit(h, line, recs[i].addr);
			found = 1;
		}
	return found ? i : 0;
}

/* The line the walk of ":*" starts from: the record libdw finds for the
 * entry address when it is exactly there (the last of the records at that
 * address), else the first record, in address order, inside the instance */
static int start_line(Dwarf_Die *cu, Dwarf_Lines *lines, size_t n_lines,
		      const struct dwarf_stmt_instance *in, int *line)
{
	Dwarf_Line *l = dwarf_getsrc_die(cu, in->entry);
	Dwarf_Addr addr;
	Dwarf_Die die = in->die;
	size_t i;

	if (l && dwarf_lineaddr(l, &addr) == 0 && addr == in->entry)
		return dwarf_lineno(l, line) == 0;
	for (i = 0; i < n_lines; i++) {
		l = dwarf_onesrcline(lines, i);
		if (dwarf_lineaddr(l, &addr) == 0 && dwarf_haspc(&die, addr) == 1)
			return dwarf_lineno(l, line) == 0;
	}
	return 0;
}

/* 1 if line has a record inside one of the instances of file */
static int instances_have_line(const struct rec *recs, size_t n, int line, const char *file,
			       const struct dwarf_stmt_instance *in, int n_in)
{
	size_t i = first_of_line(recs, n, line);
	int k;

	for (; i < n && recs[i].line == line; i++)
		for (k = 0; k < n_in; k++) {
			Dwarf_Die die = in[k].die;

			if (strcmp(in[k].file, file) == 0 && dwarf_haspc(&die, recs[i].addr) == 1)
				return 1;
		}
	return 0;
}

/* FILE:LINE has no record in the instances: say so, with the nearest
 * lines within 5 that have one, as SystemTap does */
static void no_line_records(const struct rec *recs, size_t n, int line, const char *file,
			    const struct dwarf_stmt_instance *in, int n_in)
{
	int below = 0, above = 0, d;

	if (miss[0])
		return;
	for (d = 1; d < 6; d++) {
		if (!below && line - d > 0 && instances_have_line(recs, n, line - d, file, in, n_in))
			below = line - d;
		if (!above && instances_have_line(recs, n, line + d, file, in, n_in))
			above = line + d;
	}
	if (below && above)
		snprintf(miss, sizeof(miss), "no line records for %s:%d (try :%d or :%d)", file, line,
			 below, above);
	else if (below || above)
		snprintf(miss, sizeof(miss), "no line records for %s:%d (try :%d)", file, line,
			 below ? below : above);
	else
		snprintf(miss, sizeof(miss), "no line records for %s:%d", file, line);
}

/* The instances of one source file */
static void file_statements(Dwarf_Die *cu, Dwarf_Lines *lines, size_t n_lines, const char *file,
			    const struct dwarf_stmt_instance *in, int n_in, int line_from,
			    int line_to, dwarf_stmt_fn fn, void *arg)
{
	struct rec *recs = xcalloc(n_lines ? n_lines : 1, sizeof(*recs));
	struct hits h = { 0 };
	size_t n = 0, i;
	int k, j;

	for (i = 0; i < n_lines; i++) {
		Dwarf_Line *l = dwarf_onesrcline(lines, i);
		const char *src = dwarf_linesrc(l, NULL, NULL);

		if (!src || strcmp(src, file) != 0)
			continue;
		dwarf_lineno(l, &recs[n].line);
		dwarf_lineaddr(l, &recs[n].addr);
		n++;
	}
	qsort(recs, n, sizeof(*recs), by_line_then_addr);
	if (line_from == 1 && line_to == DWARF_LINE_ANY) {
		/* ":*": each instance's lines, from its entry's up to a gap */
		for (k = 0; k < n_in; k++) {
			Dwarf_Die die = in[k].die;
			int line;

			if (strcmp(in[k].file, file) != 0 || !start_line(cu, lines, n_lines, &in[k], &line))
				continue;
			i = first_of_line(recs, n, line);
			if (i < n && recs[i].line == line)
				while (i < n && (i = add_line_in(&die, recs, n, i, &h)) != 0)
					;
		}
	} else {
		/* ":N" and ":N-M": each line of the range, in each instance */
		for (i = first_of_line(recs, n, line_from); i < n && recs[i].line <= line_to;) {
			size_t next = i;

			while (next < n && recs[next].line == recs[i].line)
				next++;
			for (k = 0; k < n_in; k++) {
				Dwarf_Die die = in[k].die;

				if (strcmp(in[k].file, file) == 0)
					add_line_in(&die, recs, n, i, &h);
			}
			i = next;
		}
	}
	if (h.n == 0 && line_from == line_to)
		no_line_records(recs, n, line_from, file, in, n_in);
	first_at_address(&h);
	for (j = 0; j < h.n; j++) {
		if (h.v[j].line < 0)
			continue;
		for (k = 0; k < n_in; k++) {
			Dwarf_Die die = in[k].die;

			if (strcmp(in[k].file, file) == 0 && dwarf_haspc(&die, h.v[j].addr) == 1)
				fn(&in[k], h.v[j].line, h.v[j].addr, arg);
		}
	}
	free(h.v);
	free(recs);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void dwarf_statement_lines(Dwarf_Die *cu, const struct dwarf_stmt_instance *in, int n_in,
			   int line_from, int line_to, dwarf_stmt_fn fn, void *arg)
{
	Dwarf_Lines *lines;
	size_t n_lines;
	const char **files;
	int n_files = 0, k;

	if (n_in == 0 || dwarf_getsrclines(cu, &lines, &n_lines) != 0)
		return;
	/* each source file once, in name order */
	files = xcalloc(n_in, sizeof(*files));
	for (k = 0; k < n_in; k++)
		files[n_files++] = in[k].file;
	qsort(files, n_files, sizeof(*files), by_name);
	for (k = 0; k < n_files; k++)
		if (k == 0 || strcmp(files[k], files[k - 1]) != 0)
			file_statements(cu, lines, n_lines, files[k], in, n_in, line_from, line_to,
					fn, arg);
	free(files);
}
