/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_process_life.h - process.begin / .end and process("PATH").begin /
 * .end: the sched_process_exec tracepoint (a process begins running a
 * program; the handler runs in it, after the exec) and sched_process_exit
 * (the last thread of a process exits: its signal_struct's live count is
 * 0 there; the handler runs in that thread, its memory already gone).
 *
 * PATH is an inode, looked up at arm.  By the exit tracepoint the process
 * has dropped its mm, so which program it ran is remembered at exec: a
 * bounded table of the processes (thread group ids) that exec'd a PATH
 * some .end probe names.  Processes running before the session started
 * or that the full table (STP_PROCESS_LIFE_TRACKED) could not take get
 * no process("PATH").end, as they got no .begin.  A fork without exec is
 * no new begin (it runs its parent's program already begun).
 */
#ifndef STP_PROCESS_LIFE_H
#define STP_PROCESS_LIFE_H

#include <linux/binfmts.h>
#include <linux/hash.h>
#include <linux/namei.h>
#include <linux/sched/signal.h>
#include <linux/tracepoint.h>

struct stp_process_life {
	const struct stp_probe *probe;
	const char *path;		/* NULL: any process */
	bool is_end;
	bool optional;			/* '?': a missing file is no error */
	struct inode *inode;		/* held while armed */
};

#define STP_PROCESS_LIFE_TRACKED 1024
#define STP_PROCESS_LIFE_PROBE 8	/* slots tried from the hashed one */

struct stp_process_tracked {
	atomic_t tgid1;			/* thread group id + 1, 0: free */
	struct inode *inode;		/* the program it exec'd */
};

static struct stp_process_tracked stp_process_tracked[STP_PROCESS_LIFE_TRACKED];
static struct stp_process_life *stp_life_table;
static unsigned int stp_life_n;
static bool stp_life_track;		/* some process("PATH").end */

static struct stp_process_tracked *stp_process_slot(pid_t tgid, bool claim)
{
	u32 h = hash_32((u32)tgid, 10);
	int i;

	for (i = 0; i < STP_PROCESS_LIFE_PROBE; i++) {
		struct stp_process_tracked *t = &stp_process_tracked[(h + i) % STP_PROCESS_LIFE_TRACKED];

		if (atomic_read(&t->tgid1) == tgid + 1)
			return t;
	}
	for (i = 0; claim && i < STP_PROCESS_LIFE_PROBE; i++) {
		struct stp_process_tracked *t = &stp_process_tracked[(h + i) % STP_PROCESS_LIFE_TRACKED];

		if (atomic_cmpxchg(&t->tgid1, 0, tgid + 1) == 0)
			return t;
	}
	return NULL;
}

static void stp_process_exec(void *data, struct task_struct *p, pid_t old_pid,
			     struct linux_binprm *bprm)
{
	struct inode *inode = bprm->file ? file_inode(bprm->file) : NULL;
	struct stp_process_tracked *t;
	bool wanted = false;
	unsigned int i;

	for (i = 0; i < stp_life_n; i++) {
		struct stp_process_life *l = &stp_life_table[i];

		if (l->path && l->inode != inode)
			continue;
		if (l->is_end)
			wanted |= l->path != NULL;
		else
			stp_run_probe(l->probe, STP_RUNNING, NULL);
	}
	if (!stp_life_track)
		return;
	/* remember the program for .end, or forget the one exec replaced */
	t = stp_process_slot(p->tgid, wanted);
	if (t && wanted)
		t->inode = inode;
	else if (t)
		atomic_set_release(&t->tgid1, 0);
}

static void stp_process_exit(void *data, struct task_struct *p)
{
	struct stp_process_tracked *t = NULL;
	struct inode *ran = NULL;
	unsigned int i;

	if (atomic_read(&p->signal->live))
		return;		/* not the last thread */
	if (stp_life_track && (t = stp_process_slot(p->tgid, false)))
		ran = t->inode;
	for (i = 0; i < stp_life_n; i++) {
		struct stp_process_life *l = &stp_life_table[i];

		if (l->is_end && (!l->path || (ran && l->inode == ran)))
			stp_run_probe(l->probe, STP_RUNNING, NULL);
	}
	if (t)
		atomic_set_release(&t->tgid1, 0);
}

struct stp_life_hook {
	const char *name;
	void *callback;
	struct tracepoint *tp;
	bool registered;
};

static struct stp_life_hook stp_life_hooks[] = {
	{ "sched_process_exec", stp_process_exec },
	{ "sched_process_exit", stp_process_exit },
};

static void stp_life_find(struct tracepoint *tp, void *unused)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(stp_life_hooks); i++)
		if (strcmp(tp->name, stp_life_hooks[i].name) == 0)
			stp_life_hooks[i].tp = tp;
}

static __maybe_unused void stp_process_life_disarm(void *data, unsigned int n)
{
	struct stp_process_life *lives = data;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(stp_life_hooks); i++) {
		if (stp_life_hooks[i].registered)
			tracepoint_probe_unregister(stp_life_hooks[i].tp, stp_life_hooks[i].callback,
						    NULL);
		stp_life_hooks[i].registered = false;
	}
	/* no callback of ours may still run once the inodes go */
	tracepoint_synchronize_unregister();
	for (i = 0; i < n; i++) {
		if (lives[i].inode)
			iput(lives[i].inode);
		lives[i].inode = NULL;
	}
}

static __maybe_unused int stp_process_life_arm(void *data, unsigned int n)
{
	struct stp_process_life *lives = data;
	bool need[2] = { false, false };
	unsigned int i;
	int rc = 0;

	stp_life_table = lives;
	stp_life_n = n;
	for (i = 0; i < n && !rc; i++) {
		struct path path;

		need[lives[i].is_end] = true;
		if (!lives[i].path)
			continue;
		need[0] |= lives[i].is_end;	/* exec tells which program .end is of */
		stp_life_track |= lives[i].is_end;
		rc = kern_path(lives[i].path, LOOKUP_FOLLOW, &path);
		if (rc == 0) {
			lives[i].inode = igrab(d_inode(path.dentry));
			path_put(&path);
		} else if (lives[i].optional && rc == -ENOENT) {
			rc = 0;		/* never matches: a NULL inode is no exec's */
			lives[i].path = "";
		}
	}
	if (rc) {
		char line[PATH_MAX / 8 + 200];
		int len = scnprintf(line, sizeof(line), "ERROR: cannot probe %s: %s (%d)\n",
				    lives[i - 1].probe->pp,
				    rc == -ENOENT ? "no such file on this machine" : "lookup failed", rc);

		stp_transport_write(STP_CHAN_STDERR, line, len);
		stp_process_life_disarm(lives, n);
		return rc;
	}
	for_each_kernel_tracepoint(stp_life_find, NULL);
	for (i = 0; i < ARRAY_SIZE(stp_life_hooks) && !rc; i++) {
		if (!need[i])
			continue;
		rc = stp_life_hooks[i].tp ? tracepoint_probe_register(stp_life_hooks[i].tp,
								       stp_life_hooks[i].callback, NULL)
					  : -ENOENT;
		stp_life_hooks[i].registered = rc == 0;
	}
	if (rc) {
		char line[200];
		int len = scnprintf(line, sizeof(line), "ERROR: cannot probe process begin/end: tracepoint %s: %s (%d)\n",
				    stp_life_hooks[i - 1].name,
				    rc == -ENOENT ? "not in this kernel" : "registration failed", rc);

		stp_transport_write(STP_CHAN_STDERR, line, len);
		stp_process_life_disarm(lives, n);
	}
	return rc;
}

#endif
