/* tracepoints.h - the target kernel's tracepoints, found by scanning the
 * trace headers of its build tree (no C preprocessor run), for
 * kernel.trace("SYSTEM:EVENT") probes and for -l/-L. */
#ifndef STAPC_TRACEPOINTS_H
#define STAPC_TRACEPOINTS_H

/* One tracepoint and its TP_PROTO. */
struct tracepoint_event {
	char *system;		/* TRACE_SYSTEM of its header: "sched" */
	char *name;		/* "sched_switch" (tracepoint names are global) */
	int n_args;
	char **arg_types;	/* as declared, spaces normalised: "struct task_struct *" */
	char **arg_names;	/* "prev" */
	char *vars;		/* -L text: " $preempt:bool $prev:struct task_struct*" */
};

/* Which kernel: the -r argument (NULL: the running kernel).  The headers
 * are scanned on first use. */
void tracepoints_set_target(const char *spec);

/* Call fn for each tracepoint whose "SYSTEM:EVENT" matches the pattern
 * (shell wildcards; a pattern without ':' matches EVENT in any system),
 * sorted by "SYSTEM:EVENT".  Returns the number of matches, or -1 (after
 * a message naming where it looked) when the target has no trace headers. */
int tracepoints_match(const char *pattern,
		      void (*fn)(const struct tracepoint_event *ev, void *arg), void *arg);

#endif
