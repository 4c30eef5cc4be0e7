/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_task.h - what the task and context tapsets (tapsets/task.stp,
 * context.stp) call: fields of a task the script names by its address,
 * pid2task(), the current task's command line, and who runs the session.
 *
 * A task address comes from the script and may be stale or wrong, so every
 * read through it is a fault-tolerant copy (a bad one is a script error,
 * never an oops).  The command line is read only from the current task's
 * user memory, with copy_from_user_nofault(): no page is faulted in, no
 * lock is taken, and what cannot be read gives "".  All of it is callable
 * in any probe context.
 */
#ifndef STP_TASK_H
#define STP_TASK_H

#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/mm_types.h>

/* stapr's pid and uid, noted when it starts the session (stp_control.h):
 * stp_pid() and is_myproc() */
static pid_t stp_stapr_pid;
static kuid_t stp_stapr_uid;

/* Copy size bytes at task + off; a script error when they cannot be read. */
static __maybe_unused bool stp_task_read(struct stp_context *c, int64_t task, size_t off,
					 void *dst, size_t size, const char *where)
{
	unsigned long addr = (unsigned long)task + off;

	if (copy_from_kernel_nofault(dst, (const void *)addr, size)) {
		memset(dst, 0, size);
		stp_errorf(c, where, "kernel read fault at 0x%016llx", (u64)addr);
		return false;
	}
	return true;
}

/* One member of the task_struct at task, read fault-tolerantly. */
#define stp_task_field(c, task, member, where) ({				\
	typeof(((struct task_struct *)0)->member) _v;				\
	stp_task_read((c), (task), offsetof(struct task_struct, member),	\
		      &_v, sizeof(_v), (where));				\
	_v; })

/* task_state(): the state word, whatever the kernel calls it (stp_compat.h) */
#define stp_task_state(c, task, where) \
	((int64_t)stp_task_field(c, task, STP_TASK_STATE_MEMBER, where))

/* task_cpu(): where the task last ran; task_cpu() of the kernel itself
 * would dereference the pointer directly. */
static __maybe_unused int64_t stp_task_cpu(struct stp_context *c, int64_t task, const char *where)
{
#if defined(CONFIG_SMP) && defined(CONFIG_THREAD_INFO_IN_TASK)
	return stp_task_field(c, task, thread_info.cpu, where);
#elif defined(CONFIG_SMP)
	return stp_task_field(c, task, cpu, where);
#else
	return 0;
#endif
}

/* The task's name, copied whole (comm always holds its NUL). */
static __maybe_unused const char *stp_task_execname(struct stp_context *c, char *dst,
						    int64_t task, const char *where)
{
	BUILD_BUG_ON(MAXSTRINGLEN < TASK_COMM_LEN);
	stp_task_read(c, task, offsetof(struct task_struct, comm), dst, TASK_COMM_LEN, where);
	dst[TASK_COMM_LEN - 1] = '\0';
	return dst;
}

/* A member of the task's (subjective) credentials: the cred pointer, then
 * the id through it, both fault-tolerant. */
#define stp_task_cred_id(c, task, member, where) ({				\
	const struct cred *_cred = stp_task_field(c, task, cred, where);	\
	typeof(((struct cred *)0)->member) _id = { 0 };			\
	if (_cred)								\
		stp_task_read((c), (int64_t)(unsigned long)_cred,		\
			      offsetof(struct cred, member), &_id, sizeof(_id),	\
			      (where));						\
	(int64_t)_id.val; })

/* A live task's name, copied whole without its task lock (which a probe
 * could be inside of): comm always holds a NUL, a racing rename can only
 * mix two names. */
static __maybe_unused void stp_copy_comm(char *dst, struct task_struct *t)
{
	BUILD_BUG_ON(MAXSTRINGLEN < TASK_COMM_LEN);
	memcpy(dst, t->comm, TASK_COMM_LEN);
	dst[TASK_COMM_LEN - 1] = '\0';
}

/* The task of a process id (as pid() counts them, in the initial pid
 * namespace), 0 when there is none.  No reference is taken, as in
 * SystemTap: the address may go stale, and the task functions read
 * through it fault-tolerantly. */
static __maybe_unused int64_t stp_pid2task(int64_t pid)
{
	struct task_struct *t = NULL;

	if (pid <= 0 || pid > PID_MAX_LIMIT)
		return 0;
	rcu_read_lock();
	t = pid_task(find_pid_ns((pid_t)pid, &init_pid_ns), PIDTYPE_PID);
	rcu_read_unlock();
	return (int64_t)(unsigned long)t;
}

/* The name of the task of a process id, "" when there is none; the name
 * is copied while RCU keeps the task alive. */
static __maybe_unused const char *stp_pid2execname(char *dst, int64_t pid)
{
	struct task_struct *t;

	dst[0] = '\0';
	if (pid <= 0 || pid > PID_MAX_LIMIT)
		return dst;
	rcu_read_lock();
	t = pid_task(find_pid_ns((pid_t)pid, &init_pid_ns), PIDTYPE_PID);
	if (t)
		stp_copy_comm(dst, t);
	rcu_read_unlock();
	return dst;
}

/* The parent's name of the current task. */
static __maybe_unused const char *stp_pexecname(char *dst)
{
	rcu_read_lock();
	stp_copy_comm(dst, rcu_dereference(current->real_parent));
	rcu_read_unlock();
	return dst;
}

/* At most this many bytes of the argument area are looked at: the work a
 * probe does stays small whatever the command line. */
#define STP_CMDLINE_SCAN (16 * 1024)

/* Append n bytes to dst (len used so far); false when it is full. */
static __maybe_unused bool stp_cmdline_put(char *dst, size_t *len, const char *s, size_t n)
{
	size_t room = MAXSTRINGLEN - 1 - *len;
	bool fits = n <= room;

	if (!fits)
		n = room;
	memcpy(dst + *len, s, n);
	*len += n;
	return fits;
}

/*
 * Arguments first..last (last < first: all from first on) of the current
 * task, read from its user memory and joined by delim, into dst
 * (MAXSTRINGLEN).  "" when the task has no user memory (a kernel thread),
 * there is no such argument, or the memory cannot be read without
 * faulting a page in.
 */
static __maybe_unused const char *stp_cmdline(char *dst, int64_t first, int64_t last,
					      const char *delim)
{
	struct mm_struct *mm = current->mm;
	unsigned long p, end;
	size_t len = 0, dlen = strlen(delim);
	bool all = last < first;
	int64_t arg = 0;
	char buf[64];

	dst[0] = '\0';
	if (!mm || (current->flags & PF_KTHREAD) || first < 0)
		return dst;
	p = READ_ONCE(mm->arg_start);
	end = READ_ONCE(mm->arg_end);
	if (!p || end <= p)
		return dst;
	end = min(end, p + STP_CMDLINE_SCAN);
	while (p < end) {
		size_t piece = min_t(size_t, end - p, sizeof(buf));
		size_t i;

		if (copy_from_user_nofault(buf, (const void __user *)p, piece)) {
			dst[0] = '\0';
			return dst;
		}
		for (i = 0; i < piece; i++) {
			if (buf[i] != '\0') {
				if (arg >= first && (all || arg <= last) &&
				    !stp_cmdline_put(dst, &len, &buf[i], 1))
					goto done;
				continue;
			}
			arg++;
			if (!all && arg > last)
				goto done;
			/* another argument in the range follows: a delimiter */
			if (arg > first && p + i + 1 < end &&
			    !stp_cmdline_put(dst, &len, delim, dlen))
				goto done;
		}
		p += piece;
	}
done:
	dst[len] = '\0';
	return dst;
}

#endif
