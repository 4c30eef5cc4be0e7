/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_session.h - the life of a session and the one path every probe hit
 * takes into its handler.
 *
 *   loaded --start--> starting (begin probes) --> running (probes armed)
 *          --exit()/stop/error--> stopping (disarm, end probes) --> stopped
 *
 * start and stop run in process context (stapr writing to the control
 * file, or stapr's read noticing exit()); handlers run in any context and
 * only ever flip the state with a compare-and-exchange.
 *
 * Probe groups (one per provider family) are armed in table order and
 * disarmed in reverse; a group whose arm() fails has undone its own partial
 * work, and the groups before it are disarmed again (rollback).
 */
#ifndef STP_SESSION_H
#define STP_SESSION_H

enum stp_state {
	STP_LOADED,
	STP_STARTING,
	STP_RUNNING,
	STP_STOPPING,
	STP_STOPPED,
};

static const char *const stp_state_names[] = {
	"loaded", "starting", "running", "stopping", "stopped",
};

struct stp_probe {
	const char *pp;			/* probe point, as pp() reports it */
	void (*handler)(struct stp_context *c);
	bool locks_globals;		/* the handler reads or writes globals */
	bool is_return;			/* a .return point: is_return() says 1 */
	bool at_entry;			/* on a function's first instruction: no
					 * frame of its own yet (see stp_backtrace.h) */
	/* what the handler cannot do (stapc knows from its code), so this
	 * probe's path leaves out the matching work */
	bool no_output;			/* never prints */
	bool no_error;			/* never raises an error */
	bool no_actions;		/* no loops: MAXACTION needs no counter */
};

struct stp_probe_group {
	const char *name;
	int (*arm)(void *data, unsigned int n);
	void (*disarm)(void *data, unsigned int n);
	void *data;
	unsigned int n;
};

/* What the generated code hands the runtime (see stp_module.h). */
struct stp_program {
	const struct stp_probe *begin;	/* in run order */
	unsigned int n_begin;
	const struct stp_probe *end;
	unsigned int n_end;
	const struct stp_probe *error;	/* instead of end, after errors */
	unsigned int n_error;
	const struct stp_probe_group *groups;
	unsigned int n_groups;
	size_t locals_size;
	size_t frame_size;		/* the largest script function's locals */
	size_t scratch_size;		/* per-CPU regex state, 0 if no regex */
	/* allocate and free the script's arrays and statistics (optional) */
	int (*alloc_globals)(void);
	void (*free_globals)(void);
	/* look up the global variables' symbols, before the begin probes,
	 * and stop following their modules when the probes are disarmed */
	void (*resolve_symbols)(void);
	void (*release_symbols)(void);
};

static const struct stp_program *stp_prog;
static atomic_t stp_state = ATOMIC_INIT(STP_LOADED);
static atomic_t stp_errors = ATOMIC_INIT(0);
static atomic_t stp_skipped = ATOMIC_INIT(0);
static DEFINE_MUTEX(stp_control_mutex);	/* serialises start and stop */
static DECLARE_WAIT_QUEUE_HEAD(stp_reader_wq);
static bool stp_stop_done;
static unsigned int stp_groups_armed;	/* disarm exactly what was armed */
/* The globals lock: a plain word, so taking it is one inline
 * compare-and-exchange (the kernel's spinlocks are out-of-line calls) and
 * it is only ever tried a bounded number of times. */
static atomic_t stp_globals_lock = ATOMIC_INIT(0);

/* exit(): no further handlers run; stapr's reader then performs the stop.
 * Safe in any context: it only changes the state. */
static void stp_request_exit(void)
{
	atomic_cmpxchg(&stp_state, STP_RUNNING, STP_STOPPING);
	atomic_cmpxchg(&stp_state, STP_STARTING, STP_STOPPING);
}

/* abort(): exit(), and this handler stops at once, with no error
 * reported; nothing can catch it. */
static __maybe_unused void stp_abort(struct stp_context *c, const char *where)
{
	c->aborted = true;
	c->error = "abort()";
	c->error_where = where;
	stp_request_exit();
}

static bool stp_exit_pending(void)
{
	return atomic_read(&stp_state) == STP_STOPPING && !READ_ONCE(stp_stop_done);
}

static inline bool stp_globals_trylock(void)
{
	int tries, unlocked;

	for (tries = 0; tries < MAXTRYLOCK; tries++) {
		unlocked = 0;
		if (atomic_read(&stp_globals_lock) == 0 &&
		    atomic_try_cmpxchg_acquire(&stp_globals_lock, &unlocked, 1))
			return true;
		cpu_relax();
	}
	return false;
}

static inline void stp_globals_unlock(void)
{
	atomic_set_release(&stp_globals_lock, 0);
}

static void stp_count_skip(void)
{
	if (atomic_inc_return(&stp_skipped) > MAXSKIPPED) {
		/* the transport cannot wait; the message is best effort */
		static const char msg[] = "ERROR: Skipped too many probes, check MAXSKIPPED or try again with stapc -t for more details.\n";

		if (atomic_read(&stp_skipped) == MAXSKIPPED + 1)
			stp_transport_write(STP_CHAN_STDERR, msg, sizeof(msg) - 1);
		stp_request_exit();
	}
}

static void stp_report_error(struct stp_context *c)
{
	char line[256];
	int n;

	n = scnprintf(line, sizeof(line), "ERROR: %s %s\n", c->error, c->error_where);
	stp_transport_write(STP_CHAN_STDERR, line, n);
	if (atomic_inc_return(&stp_errors) > MAXERRORS)
		stp_request_exit();
}

/* A timed hit took `spent` cycles: it stands for STP_OVERLOAD_SAMPLE hits.
 * Kept out of line: it runs for one hit in STP_OVERLOAD_SAMPLE. */
static noinline __maybe_unused void stp_overload_account(struct stp_context *c, u64 start,
							 u64 spent)
{
	static const char msg[] =
		"ERROR: probe overhead exceeded threshold (STP_OVERLOAD_THRESHOLD of STP_OVERLOAD_INTERVAL cycles); use -DSTP_NO_OVERLOAD to allow it\n";

	if (spent > (u64)STP_OVERLOAD_SAMPLE_MAX)
		spent = STP_OVERLOAD_SAMPLE_MAX;	/* an outlier, not a trend */
	c->ov_spent += spent * STP_OVERLOAD_SAMPLE;
	if (start - c->ov_start > (u64)STP_OVERLOAD_INTERVAL) {
		c->ov_start = start;
		c->ov_spent = spent * STP_OVERLOAD_SAMPLE;
		return;
	}
	if (c->ov_spent > (u64)STP_OVERLOAD_THRESHOLD) {
		c->ov_spent = 0;
		c->ov_start = start;
		/* a session already ending (the end or error probes, or a
		 * hit racing the stop) is not overloaded a second time */
		if (atomic_read(&stp_state) >= STP_STOPPING)
			return;
		stp_transport_write(STP_CHAN_STDERR, msg, sizeof(msg) - 1);
		atomic_inc(&stp_errors);
		stp_request_exit();
	}
}

/*
 * Run one probe's handler on this CPU if the session is in `when`.
 * Never sleeps, never waits unboundedly: a busy context or a contended
 * globals lock means the hit is skipped and counted.  With preemption off,
 * check-then-set of `busy` is enough: anything that interrupts us on this
 * CPU (irq, NMI, nested probe) runs to completion before we continue.
 */
static __always_inline void stp_run_probe_args(const struct stp_probe *p, enum stp_state when,
					       struct pt_regs *regs, const s64 *trace_args,
					       bool preemptible)
{
	struct stp_context *c;

	if (atomic_read(&stp_state) != when)
		return;
	if (preemptible)
		preempt_disable();
	c = this_cpu_read(stp_this_context);
	if (c->busy) {
		stp_count_skip();
		goto out;
	}
	c->busy = 1;
	barrier();
	c->probe = p;
	c->regs = regs;
	if (trace_args)		/* only tracepoint handlers read it */
		c->trace_args = trace_args;
	if (!p->no_actions)
		c->actions = 0;
	/* c->nesting, c->plen, c->error and c->aborted are 0 here already:
	 * functions always leave their frame, and every hit ends with its
	 * output flushed and its error reported and cleared */
	if (p->locks_globals && !stp_globals_trylock()) {
		stp_count_skip();
		goto unbusy;
	}
#ifdef STP_NO_OVERLOAD
	p->handler(c);
#else
	if (unlikely((++c->ov_hits & (STP_OVERLOAD_SAMPLE - 1)) == 0)) {
		u64 start = get_cycles();

		p->handler(c);
		stp_overload_account(c, start, get_cycles() - start);
	} else {
		p->handler(c);
	}
#endif
	if (p->locks_globals)
		stp_globals_unlock();
	if (!p->no_output && c->plen)
		stp_print_flush(c, STP_CHAN_STDOUT);
	if (!p->no_error && unlikely(c->error)) {
		if (!c->aborted)
			stp_report_error(c);
		c->error = NULL;
		c->aborted = false;
	}
unbusy:
	barrier();
	c->busy = 0;
out:
	if (preemptible)
		preempt_enable();
}

static __always_inline void stp_run_probe_in(const struct stp_probe *p, enum stp_state when,
					     struct pt_regs *regs, bool preemptible)
{
	stp_run_probe_args(p, when, regs, NULL, preemptible);
}

static __always_inline void stp_run_probe(const struct stp_probe *p, enum stp_state when,
					  struct pt_regs *regs)
{
	stp_run_probe_in(p, when, regs, true);
}

/* Enter a script function: its frame, or NULL (and an error) when calls
 * nest deeper than MAXNESTING, which bounds runaway recursion. */
static inline void *stp_enter_function(struct stp_context *c, const char *where)
{
	if (unlikely(c->nesting >= MAXNESTING)) {
		stp_error(c, "MAXNESTING exceeded", where);
		return NULL;
	}
	return c->frames + c->nesting++ * stp_prog->frame_size;
}

static inline void stp_leave_function(struct stp_context *c)
{
	c->nesting--;
}

static void stp_run_probes(const struct stp_probe *probes, unsigned int n,
			   enum stp_state when)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		stp_run_probe(&probes[i], when, NULL);
}

/* Caller holds stp_control_mutex. */
static void stp_disarm_groups(void)
{
	while (stp_groups_armed > 0) {
		const struct stp_probe_group *g = &stp_prog->groups[--stp_groups_armed];

		g->disarm(g->data, g->n);
	}
	if (stp_prog->release_symbols)
		stp_prog->release_symbols();
}

/* Caller holds stp_control_mutex. */
static void stp_session_stop_locked(void)
{
	char line[128];
	int n, errors, skipped;

	if (stp_stop_done || atomic_read(&stp_state) == STP_LOADED)
		return;
	atomic_set(&stp_state, STP_STOPPING);
	stp_disarm_groups();
	/* as in SystemTap: a session that had errors runs its error probes
	 * and skips its end probes */
	if (atomic_read(&stp_errors))
		stp_run_probes(stp_prog->error, stp_prog->n_error, STP_STOPPING);
	else
		stp_run_probes(stp_prog->end, stp_prog->n_end, STP_STOPPING);

	errors = atomic_read(&stp_errors);
	skipped = atomic_read(&stp_skipped);
	if (errors || skipped) {
		n = scnprintf(line, sizeof(line),
			      "WARNING: Number of errors: %d, skipped probes: %d\n",
			      errors, skipped);
		stp_transport_write(STP_CHAN_STDERR, line, n);
	}
	WRITE_ONCE(stp_stop_done, true);
	atomic_set(&stp_state, STP_STOPPED);
	wake_up_interruptible(&stp_reader_wq);
}

static void stp_session_stop(void)
{
	mutex_lock(&stp_control_mutex);
	stp_session_stop_locked();
	mutex_unlock(&stp_control_mutex);
}

static int stp_session_start(void)
{
	unsigned int i;
	int rc = 0;

	mutex_lock(&stp_control_mutex);
	if (atomic_read(&stp_state) != STP_LOADED) {
		rc = -EBUSY;
		goto out;
	}
	atomic_set(&stp_state, STP_STARTING);
	if (stp_prog->resolve_symbols)
		stp_prog->resolve_symbols();
	stp_run_probes(stp_prog->begin, stp_prog->n_begin, STP_STARTING);

	/* exit() or an error in a begin probe: straight to the end probes */
	if (atomic_cmpxchg(&stp_state, STP_STARTING, STP_RUNNING) != STP_STARTING) {
		stp_session_stop_locked();
		goto out;
	}
	for (i = 0; i < stp_prog->n_groups; i++) {
		const struct stp_probe_group *g = &stp_prog->groups[i];

		rc = g->arm(g->data, g->n);
		if (!rc)
			stp_groups_armed = i + 1;
		if (rc) {
			/* the group has said which probe point failed, and why */
			atomic_inc(&stp_errors);
			atomic_set(&stp_state, STP_STOPPING);
			stp_disarm_groups();
			/* nothing ran yet but the begin probes: end probes are
			 * skipped, as SystemTap does when registration fails */
			WRITE_ONCE(stp_stop_done, true);
			atomic_set(&stp_state, STP_STOPPED);
			wake_up_interruptible(&stp_reader_wq);
			goto out;
		}
	}
out:
	mutex_unlock(&stp_control_mutex);
	return rc;
}

#endif
