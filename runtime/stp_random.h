/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_random.h - randint() (tapsets/timestamp.stp): pseudo-random numbers
 * from a per-CPU generator, so a probe takes no lock (get_random_u32()
 * takes a local lock, which an NMI must not).  Each CPU's generator is
 * seeded on its first use, from the kernel's random pool where that is
 * allowed.  Handlers on one CPU never nest, so the state needs no guard.
 */
#ifndef STP_RANDOM_H
#define STP_RANDOM_H

#include <linux/prandom.h>
#include <linux/random.h>

static DEFINE_PER_CPU(struct rnd_state, stp_rnd_state);
static DEFINE_PER_CPU(bool, stp_rnd_seeded);

/* A number in [0, n), n at least 1. */
static __maybe_unused int64_t stp_random_below(u32 n)
{
	struct rnd_state *st = this_cpu_ptr(&stp_rnd_state);

	if (!__this_cpu_read(stp_rnd_seeded)) {
		prandom_seed_state(st, in_nmi() ? local_clock() ^ get_cycles() : get_random_u64());
		__this_cpu_write(stp_rnd_seeded, true);
	}
	return ((u64)prandom_u32_state(st) * n) >> 32;
}

#endif
