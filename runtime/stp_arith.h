/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_arith.h - the script's integer operations that C leaves undefined.
 *
 * Script longs are 64-bit and wrap (the kernel builds with
 * -fno-strict-overflow).  Division by zero is a script error with its
 * location; INT64_MIN / -1 wraps instead of trapping; shift counts are
 * taken modulo 64.
 */
#ifndef STP_ARITH_H
#define STP_ARITH_H

static inline int64_t stp_div(struct stp_context *c, int64_t a, int64_t b,
			      const char *where)
{
	if (unlikely(b == 0)) {
		stp_error(c, "division by 0", where);
		return 0;
	}
	if (unlikely(b == -1))
		return (int64_t)(0 - (u64)a);
	return a / b;
}

static inline int64_t stp_mod(struct stp_context *c, int64_t a, int64_t b,
			      const char *where)
{
	if (unlikely(b == 0)) {
		stp_error(c, "division by 0", where);
		return 0;
	}
	if (unlikely(b == -1))
		return 0;
	return a % b;
}

static inline int64_t stp_shl(int64_t a, int64_t b)
{
	return (int64_t)((u64)a << (b & 63));
}

static inline int64_t stp_shr(int64_t a, int64_t b)
{
	return a >> (b & 63);	/* arithmetic, as SystemTap's */
}

/*
 * `x++` or `x += v` on a global that is written no other way: one atomic
 * add, so the probe takes no lock.  atomic64_t is a struct around one s64,
 * so a script long can be used as one.
 */
static inline void stp_atomic_add(int64_t *p, int64_t v)
{
	atomic64_add(v, (atomic64_t *)p);
}

#endif
