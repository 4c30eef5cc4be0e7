/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_uprobe.h - process("PATH").function("NAME") and .return probes:
 * uprobes on an instruction of an executable file, in every process that
 * runs it, found by the file's path on the target (which must be the path
 * stapc read the file at) and the instruction's offset in the file.
 * process(PID) probes are the same uprobes, their handlers returning at
 * once in other processes.
 *
 * Uprobe handlers run in the probed task, preemptible: stp_run_probe
 * disables preemption around the script, as for procfs.  Registers are
 * the user's, so register("rdi"), *_arg(N), returnval() and user_string()
 * read the user program's values.  uprobe_unregister waits for running
 * handlers (the uprobe's register_rwsem), so nothing runs after disarm.
 */
#ifndef STP_UPROBE_H
#define STP_UPROBE_H

#include <linux/namei.h>
#include <linux/uprobes.h>

#include "stp_uprobe_entry.h"

struct stp_uprobe {
	const struct stp_probe *probe;
	const char *path;
	loff_t offset;			/* in the file */
	bool is_return;
	bool optional;			/* '?': a missing file is no error */
	pid_t pid;			/* process(PID): hits in that process only */
	unsigned long long link_addr;	/* the probed instruction's, in DWARF */
	/* .return with $param: the pt_regs offsets saved at entry */
	const unsigned short *entry_regs;
	int n_entry;
	/* .return with @entry(EXPR): the part computing them at entry */
	const struct stp_probe *entry_part;
	struct inode *inode;		/* held while registered */
	struct uprobe_consumer uc;
};

/*
 * Global and static variables of the program are at their DWARF address
 * plus the load bias: 0 for a program linked at a fixed address, where a
 * PIE program was mapped otherwise.  The handler knows one address of the
 * file both ways (the probed instruction: its link address, and where it
 * hit), so the bias costs a subtraction, no walk of the process's VMAs.
 */
struct stp_uprobe_run {
	unsigned long bias;
	bool set;
};

static DEFINE_PER_CPU(struct stp_uprobe_run, stp_uprobe_running);

static __maybe_unused int64_t stp_uprobe_bias(struct stp_context *c, const char *where)
{
	struct stp_uprobe_run *r = this_cpu_ptr(&stp_uprobe_running);

	if (!r->set) {
		stp_error(c, "a user program's variable outside its probe", where);
		return 0;
	}
	return (int64_t)r->bias;
}

/* A handler (the probe's or its entry part) with the bias (hit: the
 * probed instruction's address in the process) and entry values (NULL:
 * none) of this hit. */
static void stp_uprobe_run(struct stp_uprobe *u, const struct stp_probe *probe,
			   struct pt_regs *regs, unsigned long hit, unsigned long *entry)
{
	struct stp_uprobe_run *r, outer;
	unsigned long *outer_entry;

	preempt_disable();	/* the per-CPU state is this CPU's until done */
	r = this_cpu_ptr(&stp_uprobe_running);
	outer = *r;
	outer_entry = __this_cpu_read(stp_dwarf_entry_values);
	r->bias = hit - (unsigned long)u->link_addr;
	r->set = true;
	__this_cpu_write(stp_dwarf_entry_values, entry);
	stp_run_probe(probe, STP_RUNNING, regs);
	__this_cpu_write(stp_dwarf_entry_values, outer_entry);
	*r = outer;
	preempt_enable();
}

/* process(PID): the uprobe is on the file, in every process running it */
static inline bool stp_uprobe_other_process(const struct stp_uprobe *u)
{
	return u->pid && current->tgid != u->pid;
}

static __maybe_unused int stp_uprobe_handler(struct uprobe_consumer *self, struct pt_regs *regs)
{
	struct stp_uprobe *u = container_of(self, struct stp_uprobe, uc);

	if (stp_uprobe_other_process(u))
		return 0;
	stp_uprobe_run(u, u->probe, regs, instruction_pointer(regs), NULL);
	return 0;
}

/* a .return probe's entry: the registers its $params were in, and its
 * @entry(EXPR) values (a part not run, or skipped, computes none: the
 * return handler's @entry is then an error) */
static __maybe_unused int stp_uprobe_save_handler(struct uprobe_consumer *self, struct pt_regs *regs)
{
	struct stp_uprobe *u = container_of(self, struct stp_uprobe, uc);
	struct stp_uprobe_frame *f;

	if (stp_uprobe_other_process(u))
		return 0;
	f = stp_uprobe_entry_push(u, regs, u->entry_regs, u->n_entry);

	if (f && u->entry_part)
		stp_uprobe_run(u, u->entry_part, regs, instruction_pointer(regs), f->val);
	return 0;
}

/* func: where the function was entered (the uprobe's address) */
static __maybe_unused int stp_uprobe_ret_handler(struct uprobe_consumer *self, unsigned long func,
						 struct pt_regs *regs)
{
	struct stp_uprobe *u = container_of(self, struct stp_uprobe, uc);
	unsigned long val[STP_UPROBE_FRAME_WORDS], *entry = NULL;

	if (stp_uprobe_other_process(u))
		return 0;

	if ((u->n_entry || u->entry_part) && stp_uprobe_entry_pop(u, regs, val))
		entry = val;
	stp_uprobe_run(u, u->probe, regs, func, entry);
	return 0;
}

static void stp_uprobe_unregister(struct stp_uprobe *u)
{
	if (!u->inode)
		return;
	uprobe_unregister(u->inode, u->offset, &u->uc);
	iput(u->inode);
	u->inode = NULL;
}

static int stp_uprobe_register(struct stp_uprobe *u)
{
	struct path path;
	int rc;

	rc = kern_path(u->path, LOOKUP_FOLLOW, &path);
	if (rc)
		return rc;
	u->inode = igrab(d_inode(path.dentry));
	path_put(&path);
	if (!u->inode)
		return -ENOENT;
	memset(&u->uc, 0, sizeof(u->uc));
	if (u->is_return) {
		u->uc.ret_handler = stp_uprobe_ret_handler;
		if (u->n_entry || u->entry_part)
			u->uc.handler = stp_uprobe_save_handler;
	} else
		u->uc.handler = stp_uprobe_handler;
	rc = uprobe_register(u->inode, u->offset, &u->uc);
	if (rc) {
		iput(u->inode);
		u->inode = NULL;
	}
	return rc;
}

static __maybe_unused void stp_uprobes_disarm(void *data, unsigned int n)
{
	struct stp_uprobe *ups = data;
	unsigned int i;

	for (i = 0; i < n; i++)
		stp_uprobe_unregister(&ups[i]);
}

/* All or nothing, like the kprobes: a probe that cannot be placed names
 * itself and why, and the ones placed before it are taken off again. */
static __maybe_unused int stp_uprobes_arm(void *data, unsigned int n)
{
	struct stp_uprobe *ups = data;
	unsigned int i;
	int rc;

	for (i = 0; i < n; i++) {
		char line[PATH_MAX / 8 + 200];
		int len;

		rc = stp_uprobe_register(&ups[i]);
		if (rc == 0 || (ups[i].optional && rc == -ENOENT))
			continue;
		len = scnprintf(line, sizeof(line), "ERROR: cannot probe %s: %s (%d)\n",
				ups[i].probe->pp,
				rc == -ENOENT ? "no such file on this machine" :
				rc == -EINVAL ? "the kernel does not allow probing there" :
				"registration failed", rc);
		stp_transport_write(STP_CHAN_STDERR, line, len);
		stp_uprobes_disarm(ups, i);
		return rc;
	}
	return 0;
}

#endif
