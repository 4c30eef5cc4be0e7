/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_kprobe.h - registration glue for kprobe.function("SYM"),
 * kprobe.module("M").function("SYM"), their .return forms, and
 * kernel.function("SYM") resolved from the symbol table.
 *
 * Symbols are looked up by the kernel at registration ("M:SYM" for a
 * module), so no address from the build host is trusted.  Registration is
 * all-or-nothing: a failure unregisters what was registered (rollback), and
 * the message names the probe point.  Unregistration waits for handlers in
 * flight, so nothing runs after disarm returns.
 */
#ifndef STP_KPROBE_H
#define STP_KPROBE_H

#include <linux/kprobes.h>

#ifndef KRETACTIVE
#define KRETACTIVE 0	/* kretprobe maxactive; 0 lets the kernel choose */
#endif

struct stp_kprobe {
	const struct stp_probe *probe;
	const char *symbol;	/* "vfs_read" or "ext4:ext4_file_open" */
	unsigned int offset;	/* bytes into symbol (after the prologue, from debuginfo) */
	bool is_return;
	bool optional;		/* a point marked '?': missing is not an error */
	bool registered;
	/* The generated entry for this probe (pre for a kprobe, ret for a
	 * kretprobe), which calls the handler directly (stp_kprobe_hit). */
	int (*pre)(struct kprobe *kp, struct pt_regs *regs);
	int (*ret)(struct kretprobe_instance *ri, struct pt_regs *regs);
	/* kretprobes only: runs at entry, saves data_size bytes per call
	 * (parameters a .return handler reads) */
	int (*entry)(struct kretprobe_instance *ri, struct pt_regs *regs);
	size_t data_size;
	struct kprobe kp;
	struct kretprobe krp;
};

/*
 * The body of a generated kprobe entry: with `p` a constant, the compiler
 * calls the handler directly and drops the checks that cannot be true.
 * kprobe handlers already run with preemption disabled.
 */
static __always_inline int stp_kprobe_hit(const struct stp_probe *p, struct pt_regs *regs,
					  bool is_return)
{
	stp_run_probe_in(p, STP_RUNNING, regs, is_return, false);
	return 0;
}

static void stp_kprobe_unregister(struct stp_kprobe *skp)
{
	if (!skp->registered)
		return;
	if (skp->is_return) {
		unregister_kretprobe(&skp->krp);
		if (skp->krp.nmissed) {
			char line[160];
			int n = scnprintf(line, sizeof(line),
					  "WARNING: %s missed %d returns (raise -DKRETACTIVE)\n",
					  skp->probe->pp, skp->krp.nmissed);

			stp_transport_write(STP_CHAN_STDERR, line, n);
		}
	} else {
		unregister_kprobe(&skp->kp);
	}
	skp->registered = false;
}

static int stp_kprobe_register(struct stp_kprobe *skp)
{
	int rc;

	if (skp->is_return) {
		memset(&skp->krp, 0, sizeof(skp->krp));
		skp->krp.kp.symbol_name = skp->symbol;
		skp->krp.kp.offset = skp->offset;
		skp->krp.handler = skp->ret;
		skp->krp.entry_handler = skp->entry;
		skp->krp.data_size = skp->data_size;
		skp->krp.maxactive = KRETACTIVE;
		rc = register_kretprobe(&skp->krp);
	} else {
		memset(&skp->kp, 0, sizeof(skp->kp));
		skp->kp.symbol_name = skp->symbol;
		skp->kp.offset = skp->offset;
		skp->kp.pre_handler = skp->pre;
		rc = register_kprobe(&skp->kp);
	}
	skp->registered = rc == 0;
	return rc;
}

static __maybe_unused int stp_kprobes_arm(void *data, unsigned int n)
{
	struct stp_kprobe *skps = data;
	unsigned int i;
	int rc;

	for (i = 0; i < n; i++) {
		char line[200];
		int len;

		rc = stp_kprobe_register(&skps[i]);
		if (rc == 0 || (skps[i].optional && (rc == -ENOENT || rc == -EINVAL)))
			continue;
		len = scnprintf(line, sizeof(line), "ERROR: cannot probe %s: %s (%d)\n",
				skps[i].probe->pp,
				rc == -ENOENT ? "no such function in the running kernel" :
				rc == -EINVAL ? "the kernel does not allow probing there" :
				"registration failed", rc);
		stp_transport_write(STP_CHAN_STDERR, line, len);
		while (i-- > 0)
			stp_kprobe_unregister(&skps[i]);
		return rc;
	}
	return 0;
}

static __maybe_unused void stp_kprobes_disarm(void *data, unsigned int n)
{
	struct stp_kprobe *skps = data;
	unsigned int i;

	for (i = 0; i < n; i++)
		stp_kprobe_unregister(&skps[i]);
}

#endif
