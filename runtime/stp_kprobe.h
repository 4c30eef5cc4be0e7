/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_kprobe.h - registration glue for kprobe.function("SYM"),
 * kprobe.module("M").function("SYM"), their .return forms,
 * kernel.function("SYM") resolved from the symbol table, and the guru-mode
 * kprobe.statement(ADDRESS).absolute at a raw address (symbol NULL), which
 * the kernel checks at registration like any other.
 *
 * Symbols are looked up by the kernel at registration ("M:SYM" for a
 * module), so no address from the build host is trusted.  Registration is
 * all-or-nothing: a failure unregisters what was registered (rollback), and
 * the message names the probe point.  Unregistration waits for handlers in
 * flight, so nothing runs after disarm returns.
 *
 * A probe in a module that is not loaded yet waits: a module notifier
 * registers it when the module goes live and unregisters it when the module
 * goes away, as often as that happens during the session.  A module that
 * arrives without the function gets a warning, not an error: the session
 * is already running by then.
 */
#ifndef STP_KPROBE_H
#define STP_KPROBE_H

#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/mutex.h>

#ifndef KRETACTIVE
#define KRETACTIVE 0	/* kretprobe maxactive; 0 lets the kernel choose */
#endif

struct stp_kprobe {
	const struct stp_probe *probe;
	const char *symbol;	/* "vfs_read" or "ext4:ext4_file_open", or NULL: */
	unsigned long address;	/* statement(ADDRESS).absolute */
	unsigned int offset;	/* bytes into symbol (after the prologue, from debuginfo) */
	bool is_return;
	int maxactive;		/* kretprobes: .maxactive(N); 0: KRETACTIVE */
	bool optional;		/* a point marked '?': missing is not an error */
	bool registered;
	bool waiting;		/* its module is not loaded: the notifier arms it */
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
static __always_inline int stp_kprobe_hit(const struct stp_probe *p, struct pt_regs *regs)
{
	stp_run_probe_in(p, STP_RUNNING, regs, false);
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
					  "WARNING: %s missed %d returns (raise %s)\n",
					  skp->probe->pp, skp->krp.nmissed,
					  skp->maxactive ? ".maxactive(N)" : "-DKRETACTIVE");

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
		skp->krp.kp.addr = (kprobe_opcode_t *)skp->address;
		skp->krp.kp.offset = skp->offset;
		skp->krp.handler = skp->ret;
		skp->krp.entry_handler = skp->entry;
		skp->krp.data_size = skp->data_size;
		skp->krp.maxactive = skp->maxactive ? skp->maxactive : KRETACTIVE;
		rc = register_kretprobe(&skp->krp);
	} else {
		memset(&skp->kp, 0, sizeof(skp->kp));
		skp->kp.symbol_name = skp->symbol;
		skp->kp.addr = (kprobe_opcode_t *)skp->address;
		skp->kp.offset = skp->offset;
		skp->kp.pre_handler = skp->pre;
		rc = register_kprobe(&skp->kp);
	}
	skp->registered = rc == 0;
	return rc;
}

/* "ext4" for "ext4:ext4_file_open"; NULL for a kernel symbol */
static bool stp_kprobe_in_module(const struct stp_kprobe *skp, const char *mod)
{
	const char *colon = skp->symbol ? strchr(skp->symbol, ':') : NULL;

	if (!colon)
		return false;
	return !mod || (strlen(mod) == (size_t)(colon - skp->symbol) &&
			strncmp(skp->symbol, mod, colon - skp->symbol) == 0);
}

/*
 * Whether the module named before the ':' of skp's symbol is loaded.
 * find_module() is not exported, but this module is on the kernel's module
 * list, so walking the list from our own entry (under RCU, as the kernel
 * reads it) visits every module; the one node that is not in module memory
 * is the list head itself.
 */
static bool stp_module_loaded(const struct stp_kprobe *skp)
{
	const char *colon = strchr(skp->symbol, ':');
	size_t len = colon - skp->symbol;
	struct list_head *pos;
	bool found = false;

	rcu_read_lock_sched();
	list_for_each_rcu(pos, &THIS_MODULE->list) {
		struct module *mod;

		if ((unsigned long)pos < MODULES_VADDR || (unsigned long)pos >= MODULES_END)
			continue;
		mod = list_entry(pos, struct module, list);
		if (mod->state != MODULE_STATE_UNFORMED && strlen(mod->name) == len &&
		    strncmp(mod->name, skp->symbol, len) == 0) {
			found = true;
			break;
		}
	}
	rcu_read_unlock_sched();
	return found;
}

/*
 * The kprobe groups of this module (symbol kprobes, debuginfo kprobes), so
 * the one module notifier sees every waiting probe.  arm/disarm and the
 * notifier serialize on stp_kprobes_mutex; the notifier is unregistered
 * without it held, as a running event may be waiting for it.
 */
#define STP_KPROBE_SETS 4
static DEFINE_MUTEX(stp_kprobes_mutex);
static struct stp_kprobe_set {
	struct stp_kprobe *skps;
	unsigned int n;
} stp_kprobe_sets[STP_KPROBE_SETS];
static bool stp_kprobes_notifier_on;

static void stp_kprobe_warn(const struct stp_kprobe *skp, const char *what, int rc)
{
	char line[200];
	int len = scnprintf(line, sizeof(line), "WARNING: %s %s (%d)\n",
			    skp->probe->pp, what, rc);

	stp_transport_write(STP_CHAN_STDERR, line, len);
}

static void stp_kprobe_module_changed(struct stp_kprobe *skp, unsigned long state)
{
	int rc;

	if (state == MODULE_STATE_GOING && skp->registered) {
		stp_kprobe_unregister(skp);
		skp->waiting = true;
	} else if (state == MODULE_STATE_LIVE && skp->waiting) {
		rc = stp_kprobe_register(skp);
		if (rc == 0)
			skp->waiting = false;
		else
			stp_kprobe_warn(skp, "cannot be probed in the module that was just loaded", rc);
	}
}

static int stp_kprobes_module_event(struct notifier_block *nb, unsigned long state, void *data)
{
	struct module *mod = data;
	unsigned int set, i;

	if (state != MODULE_STATE_LIVE && state != MODULE_STATE_GOING)
		return NOTIFY_DONE;
	mutex_lock(&stp_kprobes_mutex);
	for (set = 0; set < STP_KPROBE_SETS; set++)
		for (i = 0; i < stp_kprobe_sets[set].n; i++)
			if (stp_kprobe_in_module(&stp_kprobe_sets[set].skps[i], mod->name))
				stp_kprobe_module_changed(&stp_kprobe_sets[set].skps[i], state);
	mutex_unlock(&stp_kprobes_mutex);
	return NOTIFY_DONE;
}

static struct notifier_block stp_kprobes_module_nb = {
	.notifier_call = stp_kprobes_module_event,
};

/* Where this group's probes are listed for the notifier (under the mutex). */
static struct stp_kprobe_set *stp_kprobe_set_of(struct stp_kprobe *skps)
{
	unsigned int set;

	for (set = 0; set < STP_KPROBE_SETS; set++)
		if (stp_kprobe_sets[set].skps == skps)
			return &stp_kprobe_sets[set];
	return NULL;
}

/* Why the kernel refused a kprobe at a raw address. */
static const char *stp_kprobe_address_error(int rc)
{
	switch (rc) {
	case -ENOENT:
		return "no kernel function at that address";
	case -EILSEQ:
		return "the address is not at an instruction boundary";
	case -EINVAL:
		return "the kernel does not allow probing at that address";
	default:
		return "registration failed";
	}
}

static __maybe_unused int stp_kprobes_arm(void *data, unsigned int n)
{
	struct stp_kprobe *skps = data;
	struct stp_kprobe_set *set;
	bool can_wait = false;
	unsigned int i;
	int rc = 0;

	mutex_lock(&stp_kprobes_mutex);
	for (i = 0; i < n; i++)
		if (stp_kprobe_in_module(&skps[i], NULL))
			break;
	set = i < n ? stp_kprobe_set_of(NULL) : NULL;
	if (set) {
		set->skps = skps;
		set->n = n;
		/* before the first attempt, so a module loading meanwhile is
		 * seen (its event waits for the mutex) */
		if (!stp_kprobes_notifier_on &&
		    register_module_notifier(&stp_kprobes_module_nb) == 0)
			stp_kprobes_notifier_on = true;
		can_wait = stp_kprobes_notifier_on;
	}
	for (i = 0; i < n; i++) {
		char line[200];
		int len;

		rc = stp_kprobe_register(&skps[i]);
		if (rc == -ENOENT && can_wait && stp_kprobe_in_module(&skps[i], NULL) &&
		    !stp_module_loaded(&skps[i])) {
			skps[i].waiting = true;
			rc = 0;
		} else if (skps[i].optional && (rc == -ENOENT || rc == -EINVAL)) {
			rc = 0;
		}
		if (rc == 0)
			continue;
		len = scnprintf(line, sizeof(line), "ERROR: cannot probe %s: %s (%d)\n",
				skps[i].probe->pp,
				!skps[i].symbol ? stp_kprobe_address_error(rc) :
				rc == -ENOENT ? "no such function in the running kernel" :
				rc == -EINVAL ? "the kernel does not allow probing there" :
				"registration failed", rc);
		stp_transport_write(STP_CHAN_STDERR, line, len);
		while (i-- > 0) {
			stp_kprobe_unregister(&skps[i]);
			skps[i].waiting = false;
		}
		if (set)
			set->skps = NULL, set->n = 0;
		break;
	}
	mutex_unlock(&stp_kprobes_mutex);
	/* a failed group is not disarmed: take the notifier off here (the
	 * session ends, so other groups need no more events either) */
	if (rc && stp_kprobes_notifier_on) {
		unregister_module_notifier(&stp_kprobes_module_nb);
		stp_kprobes_notifier_on = false;
	}
	return rc;
}

static __maybe_unused void stp_kprobes_disarm(void *data, unsigned int n)
{
	struct stp_kprobe *skps = data;
	struct stp_kprobe_set *set;
	unsigned int i;

	/* returns once no module event is being handled; the session is
	 * ending, so the other groups need no more events either */
	if (stp_kprobes_notifier_on) {
		unregister_module_notifier(&stp_kprobes_module_nb);
		stp_kprobes_notifier_on = false;
	}
	mutex_lock(&stp_kprobes_mutex);
	for (i = 0; i < n; i++) {
		stp_kprobe_unregister(&skps[i]);
		skps[i].waiting = false;
	}
	set = stp_kprobe_set_of(skps);
	if (set)
		set->skps = NULL, set->n = 0;
	mutex_unlock(&stp_kprobes_mutex);
}

#endif
