/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_limits.h - the bounds every script runs within.
 *
 * Each can be changed at compile time with stapc -D NAME=VALUE, as in
 * SystemTap.  They exist so that no script can make a handler run long,
 * use unbounded memory, or flood the machine with errors.
 */
#ifndef STP_LIMITS_H
#define STP_LIMITS_H

#ifndef MAXSTRINGLEN
#define MAXSTRINGLEN 512	/* bytes in a script string, with the NUL */
#endif
#ifndef MAXACTION
#define MAXACTION 1000		/* loop iterations one handler may run */
#endif
#ifndef MAXNESTING
#define MAXNESTING 10		/* script function calls in progress at once */
#endif
#ifndef MAXERRORS
#define MAXERRORS 0		/* errors tolerated before the session ends */
#endif
#ifndef MAXSKIPPED
#define MAXSKIPPED 100		/* skipped probes tolerated before it ends */
#endif
#ifndef MAXTRYLOCK
#define MAXTRYLOCK 1000		/* tries for the globals lock, then skip */
#endif
/* Overload protection (off with -DSTP_NO_OVERLOAD): when the handlers on one
 * CPU use more than THRESHOLD of any INTERVAL (both in get_cycles() units),
 * the session ends with an error.  Only every STP_OVERLOAD_SAMPLE-th hit is
 * timed and counts for that many, so the check costs the probe path an
 * increment and a test instead of two clock reads. */
#ifndef STP_OVERLOAD_INTERVAL
#define STP_OVERLOAD_INTERVAL 1000000000LL
#endif
#ifndef STP_OVERLOAD_THRESHOLD
#define STP_OVERLOAD_THRESHOLD 500000000LL
#endif
#ifndef STP_OVERLOAD_SAMPLE
#define STP_OVERLOAD_SAMPLE 16	/* a power of two */
#endif
/* One timed hit counts for at most this many cycles (before it is scaled by
 * STP_OVERLOAD_SAMPLE): a hit that an interrupt or the hypervisor held up for
 * milliseconds must not end the session alone, scaled up 16 times.  With a
 * quarter of the threshold per sample, only a handler that is slow hit after
 * hit (or five such accidents in one interval) trips the check. */
#ifndef STP_OVERLOAD_SAMPLE_MAX
#define STP_OVERLOAD_SAMPLE_MAX (STP_OVERLOAD_THRESHOLD / (4 * STP_OVERLOAD_SAMPLE))
#endif
#ifndef STP_PRINT_BUF_SIZE
#define STP_PRINT_BUF_SIZE 8192	/* one handler's output before a flush */
#endif
#ifndef STP_BUFFER_SIZE
#define STP_BUFFER_SIZE (256 * 1024)	/* per CPU: output waiting for stapr */
#endif

#if STP_OVERLOAD_SAMPLE & (STP_OVERLOAD_SAMPLE - 1)
#error "STP_OVERLOAD_SAMPLE must be a power of two"
#endif
#if MAXSTRINGLEN < 16 || STP_PRINT_BUF_SIZE < MAXSTRINGLEN
#error "MAXSTRINGLEN must be at least 16 and at most STP_PRINT_BUF_SIZE"
#endif

#endif
