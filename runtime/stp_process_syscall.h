/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_process_syscall.h - process.syscall / .syscall.return and
 * process("PATH").syscall / .syscall.return, process(PID).syscall /
 * .syscall.return: the raw_syscalls sys_enter and sys_exit tracepoints,
 * filtered in the callback.
 *
 * PATH is an inode looked up at arm; a call belongs to it when the
 * calling task's mm runs that file (mm->exe_file, read under RCU without
 * taking a reference: only the pointer is compared, and the inode we
 * hold cannot be reused while we hold it).  The bare form takes every
 * user task, or with -c/-x (stp_target set) only the target process and
 * its descendants (stp_process_tree.h).  Work per system call is bounded
 * by the number of probes; nothing here sleeps or allocates.
 *
 * The handler reads the values from c->trace_args (the indices are
 * provider_process_syscall.c's): the number, the six arguments at entry,
 * the return value at exit.  c->regs are the task's user registers.
 */
#ifndef STP_PROCESS_SYSCALL_H
#define STP_PROCESS_SYSCALL_H

#include <linux/namei.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/tracepoint.h>
#include <asm/syscall.h>

#define STP_PSYS_SYSCALL 0
#define STP_PSYS_ARG1 1
#define STP_PSYS_RETURN 7
#define STP_PSYS_VALUES 8

struct stp_process_syscall {
	const struct stp_probe *probe;
	const char *path;		/* NULL: any process (or -c/-x's tree) */
	pid_t pid;			/* process(PID): that process only */
	bool is_return;
	bool optional;			/* '?': a missing file is no error */
	struct inode *inode;		/* held while armed */
};

static struct stp_process_syscall *stp_psys_table;
static unsigned int stp_psys_n;
static bool stp_psys_tree;		/* following the target's tree */

/* The inode of the program the current task runs, for comparison only
 * (no reference is taken), or NULL for a kernel thread. */
static struct inode *stp_psys_current_exe(void)
{
	struct mm_struct *mm = current->mm;
	struct inode *inode = NULL;
	struct file *exe;

	if (!mm || (current->flags & PF_KTHREAD))
		return NULL;
	rcu_read_lock();
	exe = rcu_dereference(mm->exe_file);
	if (exe)
		inode = file_inode(exe);
	rcu_read_unlock();
	return inode;
}

static void stp_psys_run(struct pt_regs *regs, long nr, long ret, bool is_return)
{
	s64 values[STP_PSYS_VALUES];
	struct inode *exe = NULL;
	bool have_exe = false, have_values = false;
	int in_tree = -1;
	unsigned int i;

	if (!current->mm || (current->flags & PF_KTHREAD))
		return;		/* user tasks only */
	for (i = 0; i < stp_psys_n; i++) {
		const struct stp_process_syscall *s = &stp_psys_table[i];

		if (s->is_return != is_return)
			continue;
		if (s->pid) {
			if (current->tgid != s->pid)
				continue;
		} else if (s->path) {
			if (!s->inode)
				continue;	/* an optional file that was missing */
			if (!have_exe) {
				exe = stp_psys_current_exe();
				have_exe = true;
			}
			if (exe != s->inode)
				continue;
		} else if (stp_target) {
			if (in_tree < 0)
				in_tree = stp_tree_has(current);
			if (!in_tree)
				continue;
		}
		if (!have_values) {
			unsigned long args[6] = { 0 };
			int a;

			if (!is_return)
				syscall_get_arguments(current, regs, args);
			values[STP_PSYS_SYSCALL] = nr;
			for (a = 0; a < 6; a++)
				values[STP_PSYS_ARG1 + a] = (s64)args[a];
			values[STP_PSYS_RETURN] = ret;
			have_values = true;
		}
		stp_run_probe_args(s->probe, STP_RUNNING, regs, values, true);
	}
}

static void stp_psys_enter(void *data, struct pt_regs *regs, long id)
{
	stp_psys_run(regs, id, 0, false);
}

static void stp_psys_exit(void *data, struct pt_regs *regs, long ret)
{
	stp_psys_run(regs, syscall_get_nr(current, regs), ret, true);
}

/* $$parms: SystemTap's "$arg1=0x... $arg2=0x..." of all six. */
static __maybe_unused const char *stp_syscall_parms(struct stp_context *c, char *buf)
{
	size_t len = 0;
	int a;

	buf[0] = '\0';
	for (a = 0; a < 6; a++)
		len += scnprintf(buf + len, MAXSTRINGLEN - len, "%s$arg%d=%#llx", a ? " " : "",
				 a + 1, (unsigned long long)c->trace_args[STP_PSYS_ARG1 + a]);
	return buf;
}

struct stp_psys_hook {
	const char *name;
	void *callback;
	struct tracepoint *tp;
	bool registered;
};

static struct stp_psys_hook stp_psys_hooks[] = {
	{ "sys_enter", stp_psys_enter },	/* index = is_return */
	{ "sys_exit", stp_psys_exit },
};

static void stp_psys_find(struct tracepoint *tp, void *unused)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(stp_psys_hooks); i++)
		if (strcmp(tp->name, stp_psys_hooks[i].name) == 0)
			stp_psys_hooks[i].tp = tp;
}

static __maybe_unused void stp_process_syscall_disarm(void *data, unsigned int n)
{
	struct stp_process_syscall *calls = data;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(stp_psys_hooks); i++) {
		if (stp_psys_hooks[i].registered)
			tracepoint_probe_unregister(stp_psys_hooks[i].tp, stp_psys_hooks[i].callback,
						    NULL);
		stp_psys_hooks[i].registered = false;
	}
	if (stp_psys_tree)
		stp_tree_stop();
	stp_psys_tree = false;
	/* no callback of ours may still run once the inodes go */
	tracepoint_synchronize_unregister();
	for (i = 0; i < n; i++) {
		if (calls[i].inode)
			iput(calls[i].inode);
		calls[i].inode = NULL;
	}
}

static __maybe_unused int stp_process_syscall_arm(void *data, unsigned int n)
{
	struct stp_process_syscall *calls = data;
	bool need[2] = { false, false };
	unsigned int i;
	int rc = 0;

	stp_psys_table = calls;
	stp_psys_n = n;
	for (i = 0; i < n && !rc; i++) {
		struct path path;

		need[calls[i].is_return] = true;
		if (!calls[i].path)
			continue;
		rc = kern_path(calls[i].path, LOOKUP_FOLLOW, &path);
		if (rc == 0) {
			calls[i].inode = igrab(d_inode(path.dentry));
			path_put(&path);
		} else if (calls[i].optional && rc == -ENOENT) {
			rc = 0;		/* a NULL inode never matches */
		}
	}
	if (rc) {
		char line[PATH_MAX / 8 + 200];
		int len = scnprintf(line, sizeof(line), "ERROR: cannot probe %s: %s (%d)\n",
				    calls[i - 1].probe->pp,
				    rc == -ENOENT ? "no such file on this machine" : "lookup failed", rc);

		stp_transport_write(STP_CHAN_STDERR, line, len);
		stp_process_syscall_disarm(calls, n);
		return rc;
	}
	for (i = 0; i < n && !stp_psys_tree; i++)
		stp_psys_tree = !calls[i].path && !calls[i].pid && stp_target;
	if (stp_psys_tree && (rc = stp_tree_start()) != 0) {
		stp_psys_tree = false;
		stp_process_syscall_disarm(calls, n);
		return rc;
	}
	for_each_kernel_tracepoint(stp_psys_find, NULL);
	for (i = 0; i < ARRAY_SIZE(stp_psys_hooks) && !rc; i++) {
		if (!need[i])
			continue;
		rc = stp_psys_hooks[i].tp ? tracepoint_probe_register(stp_psys_hooks[i].tp,
								       stp_psys_hooks[i].callback, NULL)
					  : -ENOENT;
		stp_psys_hooks[i].registered = rc == 0;
	}
	if (rc) {
		char line[200];
		int len = scnprintf(line, sizeof(line), "ERROR: cannot probe process system calls: tracepoint raw_syscalls:%s: %s (%d)\n",
				    stp_psys_hooks[i - 1].name,
				    rc == -ENOENT ? "not in this kernel" : "registration failed", rc);

		stp_transport_write(STP_CHAN_STDERR, line, len);
		stp_process_syscall_disarm(calls, n);
	}
	return rc;
}

#endif
