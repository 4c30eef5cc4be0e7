/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_timer.h - registration glue for timer.ms/us/ns/s/hz(N) probes.
 *
 * Each probe is one hrtimer firing in softirq context on whichever CPU it
 * was started on (SystemTap's timer.ms is not per-CPU either).  It stops
 * re-arming as soon as the session leaves the running state; disarm waits
 * for a callback in flight, so nothing runs after the module is gone.
 */
#ifndef STP_TIMER_H
#define STP_TIMER_H

struct stp_timer_probe {
	const struct stp_probe *probe;
	u64 interval_ns;
	struct hrtimer timer;
};

static enum hrtimer_restart stp_timer_fire(struct hrtimer *t)
{
	struct stp_timer_probe *tp = container_of(t, struct stp_timer_probe, timer);

	stp_run_probe(tp->probe, STP_RUNNING, NULL, false);
	if (atomic_read(&stp_state) != STP_RUNNING)
		return HRTIMER_NORESTART;
	hrtimer_forward_now(t, ns_to_ktime(tp->interval_ns));
	return HRTIMER_RESTART;
}

static __maybe_unused int stp_timers_arm(void *data, unsigned int n)
{
	struct stp_timer_probe *tps = data;
	unsigned int i;

	for (i = 0; i < n; i++) {
		stp_hrtimer_setup(&tps[i].timer, stp_timer_fire, CLOCK_MONOTONIC,
				  HRTIMER_MODE_REL_SOFT);
		hrtimer_start(&tps[i].timer, ns_to_ktime(tps[i].interval_ns),
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

#endif
