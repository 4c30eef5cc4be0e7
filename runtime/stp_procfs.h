/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_procfs.h - procfs("NAME").read/.write probes: the file
 * /proc/stapc-MODNAME/NAME, created when the session starts.
 *
 * Reading the file from offset 0 runs the read probe, whose `$value = ...`
 * and `$value .= ...` make the content then read, up to the file's buffer
 * size (MAXSTRINGLEN, or .read.maxsize(N)); writing runs the write probe
 * with the written text (up to MAXSTRINGLEN - 1 bytes per write) in $value.
 * The file's mode is decided at compile time (SystemTap's umask rules).  File operations
 * run in process context, one at a time per file (its mutex), so the
 * file's one value buffer is never shared between two handlers.  Removing
 * the file waits for operations in flight, so none runs after disarm.
 */
#ifndef STP_PROCFS_H
#define STP_PROCFS_H

struct stp_procfs_file {
	const char *name;
	const struct stp_probe *read;	/* either may be NULL */
	const struct stp_probe *write;
	struct proc_dir_entry *pde;
	umode_t mode;
	size_t bufsize;			/* bytes of value; 0: MAXSTRINGLEN */
	struct mutex lock;		/* one file operation at a time */
	char *value;			/* $value: bufsize bytes */
	size_t len;			/* what a read returns of it */
};

static struct stp_procfs_file *stp_procfs_table;
static unsigned int stp_procfs_n;

/* $value of the procfs probe running in c: its file's buffer. */
static __maybe_unused char *stp_procfs_value(struct stp_context *c)
{
	static char none[MAXSTRINGLEN];	/* unreachable: $value is only bound
					 * in procfs probes' handlers */
	unsigned int i;

	for (i = 0; i < stp_procfs_n; i++)
		if (stp_procfs_table[i].read == c->probe || stp_procfs_table[i].write == c->probe)
			return stp_procfs_table[i].value;
	return none;
}

/*
 * `$value = s` (append false) and `$value .= s` (append true) in a read
 * probe: into the file's buffer, cut at its size, so a .maxsize(N) file
 * can hold more than one string.  The value of the assignment is s.
 */
static __maybe_unused const char *stp_procfs_store(struct stp_context *c, const char *s,
						    bool append)
{
	char *value = stp_procfs_value(c);
	unsigned int i;
	size_t size = MAXSTRINGLEN, used = 0;

	for (i = 0; i < stp_procfs_n; i++)
		if (stp_procfs_table[i].value == value)
			size = stp_procfs_table[i].bufsize;
	if (append)
		used = strnlen(value, size - 1);
	strscpy(value + used, s, size - used);
	return s;
}

static ssize_t stp_procfs_read(struct file *f, char __user *buf, size_t count, loff_t *ppos)
{
	struct stp_procfs_file *pf = pde_data(file_inode(f));
	ssize_t rc;

	if (mutex_lock_interruptible(&pf->lock))
		return -ERESTARTSYS;
	if (*ppos == 0) {
		pf->value[0] = '\0';
		stp_run_probe(pf->read, STP_RUNNING, NULL);
		pf->len = strnlen(pf->value, pf->bufsize - 1);
	}
	rc = simple_read_from_buffer(buf, count, ppos, pf->value, pf->len);
	mutex_unlock(&pf->lock);
	return rc;
}

static ssize_t stp_procfs_write(struct file *f, const char __user *buf, size_t count,
				loff_t *ppos)
{
	struct stp_procfs_file *pf = pde_data(file_inode(f));
	size_t len = min3(count, (size_t)MAXSTRINGLEN - 1, pf->bufsize - 1);

	if (mutex_lock_interruptible(&pf->lock))
		return -ERESTARTSYS;
	if (copy_from_user(pf->value, buf, len)) {
		mutex_unlock(&pf->lock);
		return -EFAULT;
	}
	pf->value[len] = '\0';
	stp_run_probe(pf->write, STP_RUNNING, NULL);
	mutex_unlock(&pf->lock);
	*ppos += count;
	return count;	/* the rest of a long write is dropped, not retried */
}

static const struct proc_ops stp_procfs_read_ops = {
	.proc_read = stp_procfs_read,
	.proc_lseek = default_llseek,
};

static const struct proc_ops stp_procfs_write_ops = {
	.proc_write = stp_procfs_write,
	.proc_lseek = noop_llseek,
};

static const struct proc_ops stp_procfs_rw_ops = {
	.proc_read = stp_procfs_read,
	.proc_write = stp_procfs_write,
	.proc_lseek = default_llseek,
};

static __maybe_unused void stp_procfs_disarm(void *data, unsigned int n)
{
	struct stp_procfs_file *files = data;
	unsigned int i;

	stp_procfs_n = 0;
	for (i = 0; i < n; i++) {
		proc_remove(files[i].pde);	/* waits for operations in flight */
		files[i].pde = NULL;
		kvfree(files[i].value);
		files[i].value = NULL;
	}
}

static __maybe_unused int stp_procfs_arm(void *data, unsigned int n)
{
	struct stp_procfs_file *files = data;
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct stp_procfs_file *pf = &files[i];
		const struct proc_ops *ops = !pf->write ? &stp_procfs_read_ops :
					     !pf->read ? &stp_procfs_write_ops : &stp_procfs_rw_ops;

		mutex_init(&pf->lock);
		if (!pf->bufsize)
			pf->bufsize = MAXSTRINGLEN;
		pf->value = kvzalloc(pf->bufsize, GFP_KERNEL);
		pf->pde = pf->value ? proc_create_data(pf->name, pf->mode, stp_proc_dir, ops, pf) : NULL;
		if (!pf->pde) {
			char line[160];
			int len = scnprintf(line, sizeof(line),
					    "ERROR: cannot create /proc/" STP_PROC_PREFIX "%s/%s\n",
					    KBUILD_MODNAME, pf->name);

			stp_transport_write(STP_CHAN_STDERR, line, len);
			kvfree(pf->value);
			pf->value = NULL;
			stp_procfs_disarm(files, i);
			return -ENOMEM;
		}
	}
	stp_procfs_table = files;
	stp_procfs_n = n;
	return 0;
}

#endif
