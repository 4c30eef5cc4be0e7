/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_context.h - the per-CPU state a probe handler runs with.
 *
 * Handlers run with preemption disabled, so the context of the current CPU
 * is theirs alone, except when a probe fires inside another handler on the
 * same CPU (an interrupt, a nested kprobe): the `busy` flag catches that and
 * the nested hit is skipped and counted, never run on a shared context.
 * Script locals and string temporaries live here, not on the kernel stack.
 * Contexts are allocated once at module load; handlers never allocate.
 */
#ifndef STP_CONTEXT_H
#define STP_CONTEXT_H

struct stp_probe;

struct stp_context {
	int busy;			/* inside a handler on this CPU */
	const struct stp_probe *probe;	/* the probe being run */
	unsigned long actions;		/* loop iterations so far (MAXACTION) */
	unsigned int nesting;		/* script function calls in progress */
	struct pt_regs *regs;		/* registers at the probe, or NULL (begin, timers) */
	const s64 *trace_args;		/* a tracepoint's arguments, or NULL */
	const char *error;		/* first error of this hit, or NULL */
	const char *error_where;	/* "near operator '/' at x.stp:3:12" */
	char error_buf[MAXSTRINGLEN];	/* for errors that carry a value */
	bool aborted;			/* abort(): unwind, report nothing */
	size_t plen;			/* bytes used in pbuf */
	char pbuf[STP_PRINT_BUF_SIZE];	/* this hit's output, flushed at its end */
	void *locals;			/* the generated union of probe locals */
	char *frames;			/* MAXNESTING frames of function locals */
	void *scratch;			/* regex matcher state (stp_regex.h), or NULL */
	char tok_buf[MAXSTRINGLEN];	/* tokenize(): the string being split */
	unsigned int tok_pos;		/* and where the next token starts */
	/* overload protection (stp_session.h), this CPU's */
	unsigned int ov_hits;		/* hits so far: every SAMPLE-th is timed */
	u64 ov_start;			/* get_cycles() when the interval began */
	u64 ov_spent;			/* estimated cycles in handlers since */
};

/* one pointer per CPU: reaching this CPU's context is one instruction */
static DEFINE_PER_CPU(struct stp_context *, stp_this_context);

static void stp_contexts_free(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		kvfree(per_cpu(stp_this_context, cpu));
		per_cpu(stp_this_context, cpu) = NULL;
	}
}

static int stp_contexts_alloc(size_t locals_size, size_t frame_size, size_t scratch_size)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct stp_context *c;

		/* locals, frames and scratch share the allocation, after the
		 * context */
		size_t scratch_at = ALIGN(sizeof(*c) + locals_size + MAXNESTING * frame_size, 8);

		c = kvzalloc(scratch_at + scratch_size, GFP_KERNEL);
		if (!c)
			return -ENOMEM;	/* stp_contexts_free() cleans up */
		c->locals = c + 1;
		c->frames = (char *)c->locals + locals_size;
		if (scratch_size)
			c->scratch = (char *)c + scratch_at;
		per_cpu(stp_this_context, cpu) = c;
	}
	return 0;
}

/* Record the first error of this hit; the handler unwinds to its end. */
static void stp_error(struct stp_context *c, const char *msg, const char *where)
{
	if (!c->error) {
		c->error = msg;
		c->error_where = where;
	}
}

/* An error whose message carries values ("kernel read fault at 0x..."). */
static __maybe_unused __printf(3, 4) void stp_errorf(struct stp_context *c, const char *where,
				       const char *fmt, ...)
{
	va_list ap;

	if (c->error)
		return;
	va_start(ap, fmt);
	vscnprintf(c->error_buf, sizeof(c->error_buf), fmt, ap);
	va_end(ap);
	c->error = c->error_buf;
	c->error_where = where;
}

/*
 * A try's catch: take this hit's error, its message into msg (when given),
 * and carry on.  As in SystemTap, MAXACTION and abort() cannot be caught:
 * false then, and the handler goes on unwinding.
 */
static __maybe_unused bool stp_catch(struct stp_context *c, char *msg)
{
	if (c->aborted || c->actions > MAXACTION)
		return false;
	if (msg)
		strscpy(msg, c->error, MAXSTRINGLEN);
	c->error = NULL;
	c->error_where = NULL;
	return true;
}

/* Count one loop iteration; false (and an error) once MAXACTION is spent. */
static inline bool stp_action(struct stp_context *c, const char *where)
{
	if (unlikely(++c->actions > MAXACTION)) {
		stp_error(c, "MAXACTION exceeded", where);
		return false;
	}
	return true;
}

#endif
