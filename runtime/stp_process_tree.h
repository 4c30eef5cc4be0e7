/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_process_tree.h - the process tree of the -c/-x target (stp_target):
 * the target process and its descendants, to which SystemTap limits bare
 * `process` probes (process.syscall) when it has a target.
 *
 * A task is in the tree when its process is the target, or one of its
 * parents is (walking at most STP_TREE_DEPTH of them), or it was forked
 * from a process in the tree while the session ran: those are remembered
 * by thread group id (sched_process_fork, forgotten at
 * sched_process_exit), so a descendant whose parent exited (reparented
 * to init, as a daemon's double fork does) stays in.  The table holds
 * STP_TREE_TRACKED processes at once; one that finds it full is known by
 * the parent walk only.  Everything here is bounded and atomic-safe.
 */
#ifndef STP_PROCESS_TREE_H
#define STP_PROCESS_TREE_H

#include <linux/hash.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/tracepoint.h>

#define STP_TREE_DEPTH 64
#define STP_TREE_TRACKED 1024
#define STP_TREE_PROBE 8		/* slots tried from the hashed one */

static atomic_t stp_tree_tgid1[STP_TREE_TRACKED];	/* tgid + 1, 0: free */

static atomic_t *stp_tree_slot(pid_t tgid, bool claim)
{
	u32 h = hash_32((u32)tgid, 10);
	int i;

	for (i = 0; i < STP_TREE_PROBE; i++) {
		atomic_t *s = &stp_tree_tgid1[(h + i) % STP_TREE_TRACKED];

		if (atomic_read(s) == tgid + 1)
			return s;
	}
	for (i = 0; claim && i < STP_TREE_PROBE; i++) {
		atomic_t *s = &stp_tree_tgid1[(h + i) % STP_TREE_TRACKED];

		if (atomic_cmpxchg(s, 0, tgid + 1) == 0)
			return s;
	}
	return NULL;
}

static bool stp_tree_has(struct task_struct *t)
{
	bool found = false;
	int depth;

	if (!stp_target)
		return false;
	rcu_read_lock();
	for (depth = 0; depth < STP_TREE_DEPTH && t->pid; depth++) {
		struct task_struct *parent;

		if (t->tgid == stp_target || stp_tree_slot(t->tgid, false)) {
			found = true;
			break;
		}
		parent = rcu_dereference(t->real_parent);
		if (parent == t)
			break;
		t = parent;
	}
	rcu_read_unlock();
	return found;
}

static void stp_tree_fork(void *data, struct task_struct *parent, struct task_struct *child)
{
	if (child->tgid != parent->tgid && stp_tree_has(parent))
		stp_tree_slot(child->tgid, true);
}

static void stp_tree_exit(void *data, struct task_struct *p)
{
	atomic_t *s;

	if (atomic_read(&p->signal->live))
		return;		/* not the last thread */
	s = stp_tree_slot(p->tgid, false);
	if (s)
		atomic_set_release(s, 0);
}

struct stp_tree_hook {
	const char *name;
	void *callback;
	struct tracepoint *tp;
	bool registered;
};

static struct stp_tree_hook stp_tree_hooks[] = {
	{ "sched_process_fork", stp_tree_fork },
	{ "sched_process_exit", stp_tree_exit },
};

static void stp_tree_find(struct tracepoint *tp, void *unused)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(stp_tree_hooks); i++)
		if (strcmp(tp->name, stp_tree_hooks[i].name) == 0)
			stp_tree_hooks[i].tp = tp;
}

/* Callers wait for callbacks in flight (tracepoint_synchronize_unregister)
 * before the module can go. */
static __maybe_unused void stp_tree_stop(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(stp_tree_hooks); i++) {
		if (stp_tree_hooks[i].registered)
			tracepoint_probe_unregister(stp_tree_hooks[i].tp, stp_tree_hooks[i].callback,
						    NULL);
		stp_tree_hooks[i].registered = false;
	}
}

/* Only with a target: without one, no process is in the tree. */
static __maybe_unused int stp_tree_start(void)
{
	unsigned int i;
	int rc = 0;

	if (!stp_target)
		return 0;
	for (i = 0; i < STP_TREE_TRACKED; i++)
		atomic_set(&stp_tree_tgid1[i], 0);
	for_each_kernel_tracepoint(stp_tree_find, NULL);
	for (i = 0; i < ARRAY_SIZE(stp_tree_hooks) && !rc; i++) {
		rc = stp_tree_hooks[i].tp ? tracepoint_probe_register(stp_tree_hooks[i].tp,
								       stp_tree_hooks[i].callback, NULL)
					  : -ENOENT;
		stp_tree_hooks[i].registered = rc == 0;
	}
	if (rc) {
		char line[200];
		int len = scnprintf(line, sizeof(line), "ERROR: cannot follow the target's process tree: tracepoint %s: %s (%d)\n",
				    stp_tree_hooks[i - 1].name,
				    rc == -ENOENT ? "not in this kernel" : "registration failed", rc);

		stp_transport_write(STP_CHAN_STDERR, line, len);
		stp_tree_stop();
	}
	return rc;
}

#endif
