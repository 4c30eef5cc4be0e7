/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_control.h - the /proc/stapc-MODNAME/{data,control} files stapr uses
 * (the protocol is in transport_protocol.h).  Everything here runs in
 * process context on behalf of stapr and may sleep.
 */
#ifndef STP_CONTROL_H
#define STP_CONTROL_H

static struct proc_dir_entry *stp_proc_dir;
static DEFINE_MUTEX(stp_read_mutex);	/* one reader owns the bounce buffer */
static char *stp_read_bounce;

static ssize_t stp_data_read(struct file *file, char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	ssize_t n;
	long waited;

	if (mutex_lock_interruptible(&stp_read_mutex))
		return -EINTR;
	for (;;) {
		n = (ssize_t)stp_transport_take(stp_read_bounce,
						min_t(size_t, count, STP_READ_MIN));
		if (n > 0) {
			if (copy_to_user(ubuf, stp_read_bounce, n))
				n = -EFAULT;	/* records are lost; stapr is broken anyway */
			break;
		}
		if (atomic_read(&stp_state) == STP_STOPPED)
			break;		/* drained: end of file */
		if (stp_exit_pending()) {
			/* exit() was called in a handler; stop here, in process
			 * context, where disarming may sleep */
			stp_session_stop();
			continue;
		}
		/* handlers never wake us (they may run where waking is unsafe),
		 * so poll the ring at a short interval */
		waited = wait_event_interruptible_timeout(stp_reader_wq,
				stp_transport_has_data() ||
				atomic_read(&stp_state) == STP_STOPPED,
				msecs_to_jiffies(20));
		if (waited < 0) {
			n = -EINTR;
			break;
		}
	}
	mutex_unlock(&stp_read_mutex);
	return n;
}

static ssize_t stp_control_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	char cmd[16];
	size_t len = min(count, sizeof(cmd) - 1);
	int rc;

	if (copy_from_user(cmd, ubuf, len))
		return -EFAULT;
	cmd[len] = '\0';
	strim(cmd);
	if (strcmp(cmd, "start") == 0) {
		/* stapr writes it: stp_pid() and is_myproc() (stp_task.h) */
		stp_stapr_pid = task_tgid_nr(current);
		stp_stapr_uid = current_uid();
		rc = stp_session_start();
		if (rc)
			return rc;
	} else if (strcmp(cmd, "stop") == 0) {
		stp_session_stop();
	} else {
		return -EINVAL;
	}
	return count;
}

static ssize_t stp_control_read(struct file *file, char __user *ubuf,
				size_t count, loff_t *ppos)
{
	char line[128];
	int n;

	/* a start or stop in progress finishes first: "running" then means
	 * every probe is armed (the state turns running before the arming, so
	 * that probes armed early run), which a test harness can wait for */
	if (mutex_lock_interruptible(&stp_control_mutex))
		return -EINTR;
	n = scnprintf(line, sizeof(line), "state=%s errors=%d skipped=%d dropped=%d\n",
		      stp_state_names[atomic_read(&stp_state)],
		      atomic_read(&stp_errors), atomic_read(&stp_skipped),
		      atomic_read(&stp_dropped));
	mutex_unlock(&stp_control_mutex);
	return simple_read_from_buffer(ubuf, count, ppos, line, n);
}

static const struct proc_ops stp_data_ops = {
	.proc_read = stp_data_read,
	.proc_lseek = noop_llseek,
};

static const struct proc_ops stp_control_ops = {
	.proc_read = stp_control_read,
	.proc_write = stp_control_write,
	.proc_lseek = noop_llseek,
};

static int stp_control_create(void)
{
	stp_read_bounce = kvmalloc(STP_READ_MIN, GFP_KERNEL);
	if (!stp_read_bounce)
		return -ENOMEM;
	stp_proc_dir = proc_mkdir(STP_PROC_PREFIX KBUILD_MODNAME, NULL);
	if (!stp_proc_dir)
		return -EEXIST;
	if (!proc_create(STP_PROC_DATA, 0400, stp_proc_dir, &stp_data_ops) ||
	    !proc_create(STP_PROC_CONTROL, 0600, stp_proc_dir, &stp_control_ops))
		return -ENOMEM;	/* stp_control_remove() cleans up */
	return 0;
}

static void stp_control_remove(void)
{
	proc_remove(stp_proc_dir);	/* waits for readers and writers in flight */
	stp_proc_dir = NULL;
	kvfree(stp_read_bounce);
	stp_read_bounce = NULL;
}

#endif
