/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_timer.h - registration glue for timer.ms/us/ns/s/hz/jiffies(N)
 * probes (with .randomize(M)) and timer.profile.
 *
 * Each probe is one hrtimer firing in softirq context on whichever CPU it
 * was started on (SystemTap's timer.ms is not per-CPU either).  It stops
 * re-arming as soon as the session leaves the running state; disarm waits
 * for a callback in flight, so nothing runs after the module is gone.
 */
#ifndef STP_TIMER_H
#define STP_TIMER_H

#include <linux/cpu.h>
#include <linux/random.h>
#include <asm/irq_regs.h>

struct stp_timer_probe {
	const struct stp_probe *probe;
	u64 interval_ns;
	u64 randomize_ns;	/* each period is interval_ns +/- up to this */
	struct hrtimer timer;
};

static u64 stp_timer_period(const struct stp_timer_probe *tp)
{
	u64 spread;

	if (!tp->randomize_ns)
		return tp->interval_ns;
	/* uniform in [interval - randomize, interval + randomize]; the
	 * translator keeps randomize below the interval */
	spread = (u64)get_random_u32() * (2 * tp->randomize_ns + 1) >> 32;
	return tp->interval_ns - tp->randomize_ns + spread;
}

static enum hrtimer_restart stp_timer_fire(struct hrtimer *t)
{
	struct stp_timer_probe *tp = container_of(t, struct stp_timer_probe, timer);

	stp_run_probe(tp->probe, STP_RUNNING, NULL);
	if (atomic_read(&stp_state) != STP_RUNNING)
		return HRTIMER_NORESTART;
	hrtimer_forward_now(t, ns_to_ktime(stp_timer_period(tp)));
	return HRTIMER_RESTART;
}

static __maybe_unused int stp_timers_arm(void *data, unsigned int n)
{
	struct stp_timer_probe *tps = data;
	unsigned int i;

	for (i = 0; i < n; i++) {
		stp_hrtimer_setup(&tps[i].timer, stp_timer_fire, CLOCK_MONOTONIC,
				  HRTIMER_MODE_REL_SOFT);
		hrtimer_start(&tps[i].timer, ns_to_ktime(stp_timer_period(&tps[i])),
			      HRTIMER_MODE_REL_SOFT);
	}
	return 0;
}

static __maybe_unused void stp_timers_disarm(void *data, unsigned int n)
{
	struct stp_timer_probe *tps = data;
	unsigned int i;

	for (i = 0; i < n; i++)
		hrtimer_cancel(&tps[i].timer);
}

/*
 * timer.profile: a hard-irq hrtimer pinned to each online CPU, firing
 * every tick (1/HZ).  In hard-irq context get_irq_regs() is the
 * interrupted state, so register(), user-mode checks and the like see the
 * code the tick interrupted, as with SystemTap's profile hook.  CPUs that
 * come online later are not covered.
 */
struct stp_profile_timer {
	struct hrtimer timer;
	const struct stp_probe *probe;
};

struct stp_profile_probe {
	const struct stp_probe *probe;
	struct stp_profile_timer __percpu *timers;
};

static enum hrtimer_restart stp_profile_fire(struct hrtimer *t)
{
	struct stp_profile_timer *pt = container_of(t, struct stp_profile_timer, timer);

	stp_run_probe(pt->probe, STP_RUNNING, get_irq_regs());
	if (atomic_read(&stp_state) != STP_RUNNING)
		return HRTIMER_NORESTART;
	hrtimer_forward_now(t, ns_to_ktime(NSEC_PER_SEC / HZ));
	return HRTIMER_RESTART;
}

static void stp_profile_start_here(void *data)
{
	struct stp_profile_probe *pp = data;

	hrtimer_start(&this_cpu_ptr(pp->timers)->timer, ns_to_ktime(NSEC_PER_SEC / HZ),
		      HRTIMER_MODE_REL_PINNED_HARD);
}

static __maybe_unused void stp_profiles_disarm(void *data, unsigned int n)
{
	struct stp_profile_probe *pps = data;
	unsigned int i, cpu;

	for (i = 0; i < n; i++) {
		if (!pps[i].timers)
			continue;
		for_each_possible_cpu(cpu)
			hrtimer_cancel(&per_cpu_ptr(pps[i].timers, cpu)->timer);
		free_percpu(pps[i].timers);
		pps[i].timers = NULL;
	}
}

static __maybe_unused int stp_profiles_arm(void *data, unsigned int n)
{
	struct stp_profile_probe *pps = data;
	unsigned int i, cpu;

	for (i = 0; i < n; i++) {
		pps[i].timers = alloc_percpu(struct stp_profile_timer);
		if (!pps[i].timers) {
			stp_profiles_disarm(pps, i);
			return -ENOMEM;
		}
		for_each_possible_cpu(cpu) {
			struct stp_profile_timer *pt = per_cpu_ptr(pps[i].timers, cpu);

			stp_hrtimer_setup(&pt->timer, stp_profile_fire, CLOCK_MONOTONIC,
					  HRTIMER_MODE_REL_PINNED_HARD);
			pt->probe = pps[i].probe;
		}
	}
	/* start each CPU's timer on that CPU, so it stays pinned there */
	cpus_read_lock();
	for (i = 0; i < n; i++)
		on_each_cpu(stp_profile_start_here, &pps[i], 1);
	cpus_read_unlock();
	return 0;
}

#endif
