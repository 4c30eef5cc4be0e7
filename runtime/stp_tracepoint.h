/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_tracepoint.h - registration glue for kernel.trace("SYSTEM:EVENT").
 *
 * Each probe point has a generated callback with the tracepoint's
 * prototype (see provider_tracepoint.c for the ABI it declares); it copies
 * the arguments into an array the handler reads as $name.  Tracepoints are
 * found by name among the running kernel's own (for_each_kernel_tracepoint),
 * so nothing from the build host is trusted; tracepoints that live in
 * modules are not found (not supported yet).  Registration is
 * all-or-nothing, and disarm waits for callbacks in flight.
 */
#ifndef STP_TRACEPOINT_H
#define STP_TRACEPOINT_H

#include <linux/tracepoint.h>

struct stp_tracepoint {
	const struct stp_probe *probe;
	const char *name;		/* "sched_switch" */
	void *callback;			/* the generated stp_trace_entry_N */
	bool optional;			/* a point marked '?': missing is not an error */
	bool registered;
	struct tracepoint *tp;		/* found at arm time */
};

/* The body of a generated callback.  Tracepoint probes run with
 * preemption disabled, but the handler must not rely on it: a later
 * kernel may call some (syscall ones) preemptible. */
static __always_inline void stp_trace_hit(const struct stp_probe *p, const s64 *args)
{
	stp_run_probe_args(p, STP_RUNNING, NULL, args, false, true);
}

/* $$parms: "name=0x... name=0x..." for the arguments named in `names`
 * (space-separated, in order). */
static __maybe_unused const char *stp_trace_parms(struct stp_context *c, char *buf,
						  const char *names)
{
	size_t len = 0;
	int i = 0;

	buf[0] = '\0';
	while (*names && len < MAXSTRINGLEN - 1) {
		size_t n = strcspn(names, " ");

		len += scnprintf(buf + len, MAXSTRINGLEN - len, "%s%.*s=0x%llx",
				 i ? " " : "", (int)n, names,
				 (unsigned long long)c->trace_args[i]);
		names += n;
		if (*names == ' ')
			names++;
		i++;
	}
	return buf;
}

struct stp_tracepoint_lookup {
	struct stp_tracepoint *tps;
	unsigned int n;
};

static void stp_tracepoint_find(struct tracepoint *tp, void *priv)
{
	struct stp_tracepoint_lookup *l = priv;
	unsigned int i;

	for (i = 0; i < l->n; i++)
		if (!l->tps[i].tp && strcmp(l->tps[i].name, tp->name) == 0)
			l->tps[i].tp = tp;
}

static __maybe_unused void stp_tracepoints_disarm(void *data, unsigned int n)
{
	struct stp_tracepoint *tps = data;
	bool any = false;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (!tps[i].registered)
			continue;
		tracepoint_probe_unregister(tps[i].tp, tps[i].callback, NULL);
		tps[i].registered = false;
		any = true;
	}
	/* no callback of ours may still run once the module can go */
	if (any)
		tracepoint_synchronize_unregister();
}

static __maybe_unused int stp_tracepoints_arm(void *data, unsigned int n)
{
	struct stp_tracepoint *tps = data;
	struct stp_tracepoint_lookup l = { tps, n };
	unsigned int i;
	int rc;

	for (i = 0; i < n; i++)
		tps[i].tp = NULL;
	for_each_kernel_tracepoint(stp_tracepoint_find, &l);
	for (i = 0; i < n; i++) {
		char line[200];
		int len;

		if (!tps[i].tp && tps[i].optional)
			continue;
		rc = tps[i].tp ? tracepoint_probe_register(tps[i].tp, tps[i].callback, NULL)
			       : -ENOENT;
		if (rc == 0) {
			tps[i].registered = true;
			continue;
		}
		len = scnprintf(line, sizeof(line), "ERROR: cannot probe %s: %s (%d)\n",
				tps[i].probe->pp,
				rc == -ENOENT ? "the running kernel has no such tracepoint (tracepoints of modules are not supported yet)"
					      : "registration failed", rc);
		stp_transport_write(STP_CHAN_STDERR, line, len);
		stp_tracepoints_disarm(tps, i);
		return rc;
	}
	return 0;
}

#endif
