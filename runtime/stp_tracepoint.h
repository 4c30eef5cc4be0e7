/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_tracepoint.h - registration glue for kernel.trace("SYSTEM:EVENT").
 *
 * Each probe point has a generated callback with the tracepoint's
 * prototype (see provider_tracepoint.c for the ABI it declares); it copies
 * the arguments into an array the handler reads as $name.  Tracepoints are
 * found by name in the running kernel and its modules, so nothing from the
 * build host is trusted.  Registration is all-or-nothing, and disarm waits
 * for callbacks in flight.
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
	int rc;				/* the last registration's result */
	struct tracepoint *tp;		/* found in the kernel or a module */
};

/* The body of a generated callback.  Tracepoint probes run with
 * preemption disabled, but the handler must not rely on it: a later
 * kernel may call some (syscall ones) preemptible. */
static __always_inline void stp_trace_hit(const struct stp_probe *p, const s64 *args)
{
	stp_run_probe_args(p, STP_RUNNING, NULL, args, true);
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

/*
 * Tracepoints are found by name in the kernel and in every module with
 * tracepoints, loaded now or later (the tracepoint module notifier tells
 * of both): a module loaded after the session started gets its points
 * registered then, and one that goes away first gets them unregistered
 * (a tracepoint must have no probes left when its module is freed).
 * stp_tp_lock orders the notifier against arm and disarm; the notifier
 * runs with the kernel's tracepoint module list lock held, so that lock
 * is always taken first.
 */
static DEFINE_MUTEX(stp_tp_lock);
static struct stp_tracepoint *stp_tp_table;
static unsigned int stp_tp_n;
static bool stp_tp_active;		/* between arm and disarm */

/* Caller holds stp_tp_lock. */
static void stp_tracepoint_found(struct tracepoint *tp, void *unused)
{
	unsigned int i;

	if (!stp_tp_active)
		return;
	for (i = 0; i < stp_tp_n; i++) {
		struct stp_tracepoint *t = &stp_tp_table[i];

		if (t->tp || strcmp(t->name, tp->name) != 0)
			continue;
		t->tp = tp;
		t->rc = tracepoint_probe_register(tp, t->callback, NULL);
		t->registered = t->rc == 0;
	}
}

static int stp_tracepoint_module_event(struct notifier_block *nb, unsigned long event,
				       void *data)
{
	struct module *mod = ((struct tp_module *)data)->mod;
	unsigned int i;

	mutex_lock(&stp_tp_lock);
	if (event == MODULE_STATE_COMING) {
		for (i = 0; i < mod->num_tracepoints; i++)
			stp_tracepoint_found(tracepoint_ptr_deref(mod->tracepoints_ptrs + i), NULL);
	} else if (event == MODULE_STATE_GOING) {
		for (i = 0; i < stp_tp_n; i++) {
			struct stp_tracepoint *t = &stp_tp_table[i];

			if (!t->tp || !within_module((unsigned long)t->tp, mod))
				continue;
			if (t->registered)
				tracepoint_probe_unregister(t->tp, t->callback, NULL);
			t->registered = false;
			t->tp = NULL;
		}
	}
	mutex_unlock(&stp_tp_lock);
	return NOTIFY_OK;
}

static struct notifier_block stp_tracepoint_module_nb = {
	.notifier_call = stp_tracepoint_module_event,
};
static bool stp_tp_notifier_registered;

static __maybe_unused void stp_tracepoints_disarm(void *data, unsigned int n)
{
	unsigned int i;

	/* our probes first: a module going meanwhile must find none */
	mutex_lock(&stp_tp_lock);
	stp_tp_active = false;
	for (i = 0; i < stp_tp_n; i++) {
		if (stp_tp_table[i].registered)
			tracepoint_probe_unregister(stp_tp_table[i].tp, stp_tp_table[i].callback,
						    NULL);
		stp_tp_table[i].registered = false;
		stp_tp_table[i].tp = NULL;
	}
	mutex_unlock(&stp_tp_lock);
	if (stp_tp_notifier_registered)
		unregister_tracepoint_module_notifier(&stp_tracepoint_module_nb);
	stp_tp_notifier_registered = false;
	/* no callback of ours may still run once the module can go */
	tracepoint_synchronize_unregister();
}

static __maybe_unused int stp_tracepoints_arm(void *data, unsigned int n)
{
	struct stp_tracepoint *tps = data;
	unsigned int i;
	int rc;

	mutex_lock(&stp_tp_lock);
	stp_tp_table = tps;
	stp_tp_n = n;
	for (i = 0; i < n; i++) {
		tps[i].tp = NULL;
		tps[i].registered = false;
		tps[i].rc = -ENOENT;
	}
	stp_tp_active = true;
	for_each_kernel_tracepoint(stp_tracepoint_found, NULL);
	mutex_unlock(&stp_tp_lock);
	/* calls us back for every module loaded already, then for new ones */
	rc = register_tracepoint_module_notifier(&stp_tracepoint_module_nb);
	stp_tp_notifier_registered = rc == 0;
	if (rc) {
		stp_tracepoints_disarm(tps, n);
		return rc;
	}

	mutex_lock(&stp_tp_lock);
	for (i = 0; i < n; i++) {
		if (tps[i].registered || (tps[i].optional && tps[i].rc == -ENOENT))
			continue;
		rc = tps[i].rc;
		break;
	}
	mutex_unlock(&stp_tp_lock);
	if (rc) {
		char line[200];
		int len = scnprintf(line, sizeof(line), "ERROR: cannot probe %s: %s (%d)\n",
				    tps[i].probe->pp,
				    rc == -ENOENT ? "neither the running kernel nor a loaded module has this tracepoint"
						  : "registration failed", rc);

		stp_transport_write(STP_CHAN_STDERR, line, len);
		stp_tracepoints_disarm(tps, n);
		return rc;
	}
	return 0;
}

#endif
