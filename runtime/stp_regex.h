/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_regex.h - =~ / !~ and what reads their result: matched(n),
 * matched_str() and ngroups(), as SystemTap has them.
 *
 * The matcher's state and the last match live in this CPU's scratch area
 * (allocated with the context when the script uses a regex), so nothing
 * here allocates or sleeps; the work per match is bounded (see
 * stp_regex_vm.h).
 */
#ifndef STP_REGEX_H
#define STP_REGEX_H

#include "stp_regex_vm.h"

#if MAXSTRINGLEN >= STP_REGEX_UNSET
#error "the regex matcher keeps positions in 16 bits: MAXSTRINGLEN must be below 65535"
#endif

struct stp_regex_state {
	struct stp_regex_vm vm;
	bool valid;			/* the last =~ / !~ matched */
	u16 n_groups;
	u16 caps[2 * STP_REGEX_MAX_GROUPS];
	char subject[MAXSTRINGLEN];	/* what it matched, for matched(n) */
};

/* s =~ re: 1 or 0; remembers the match for matched(n). */
static __maybe_unused int64_t stp_regex_match(struct stp_context *c, const struct stp_regex *re,
					      const char *s)
{
	struct stp_regex_state *st = c->scratch;

	st->valid = stp_regex_run(&st->vm, re, s, MAXSTRINGLEN - 1, st->caps);
	if (st->valid) {
		st->n_groups = re->n_groups;
		strscpy(st->subject, s, MAXSTRINGLEN);
	}
	return st->valid;
}

static __maybe_unused int64_t stp_regex_ngroups(struct stp_context *c, const char *where)
{
	struct stp_regex_state *st = c->scratch;

	if (!st || !st->valid) {
		stp_error(c, "ngroups(): the last regular expression match failed", where);
		return 0;
	}
	return st->n_groups;
}

/* matched(n): subexpression n of the last successful match, 0 the whole. */
static __maybe_unused const char *stp_regex_matched(struct stp_context *c, char *dst, int64_t n,
						    const char *where)
{
	struct stp_regex_state *st = c->scratch;
	unsigned int start, end;

	dst[0] = '\0';
	if (!st || !st->valid) {
		stp_error(c, "matched(): the last regular expression match failed", where);
		return dst;
	}
	if (n < 0 || n >= st->n_groups) {
		stp_errorf(c, where, "matched(%lld): the regular expression has %u subexpressions",
			   (long long)n, st->n_groups - 1);
		return dst;
	}
	start = st->caps[2 * n];
	end = st->caps[2 * n + 1];
	if (start == STP_REGEX_UNSET || end == STP_REGEX_UNSET || end < start)
		return dst;	/* took no part, e.g. the other side of a '|' */
	memcpy(dst, st->subject + start, end - start);
	dst[end - start] = '\0';
	return dst;
}

#endif
