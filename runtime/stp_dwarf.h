/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_dwarf.h - what target variables at debuginfo probe points read:
 * registers of the probed context (the C stapc derives from DWARF
 * locations calls this; memory goes through stp_read_int), and the
 * parameters saved at entry for .return probes.
 */
#ifndef STP_DWARF_H
#define STP_DWARF_H

#include <linux/stddef.h>
#include <linux/kprobes.h>
#ifdef CONFIG_RETHOOK
#include <linux/rethook.h>
#endif
#include <linux/err.h>
#include <linux/hash.h>
#include <linux/atomic.h>

/* The register at byte offset `off` of struct pt_regs, or 0 with a script
 * error when the probe has no registers. */
static __maybe_unused int64_t stp_dwarf_reg(struct stp_context *c, size_t off, const char *where)
{
	struct pt_regs *regs = stp_regs(c, where);

	if (!regs)
		return 0;
	return (int64_t)*(const unsigned long *)((const char *)regs + off);
}

/* In a .return handler: the registers its kretprobe entry handler saved
 * (set around the handler by the generated return entry); in a function
 * or statement handler, the registers a kprobe at the function's entry
 * saved for this thread (DW_OP_entry_value), or NULL when none were. */
static DEFINE_PER_CPU(unsigned long *, stp_dwarf_entry_values);

static __maybe_unused int64_t stp_dwarf_entry(struct stp_context *c, int slot, const char *where)
{
	unsigned long *saved = __this_cpu_read(stp_dwarf_entry_values);

	if (!saved) {
		stp_error(c, "the values at the function's entry were not saved for this call", where);
		return 0;
	}
	return (int64_t)saved[slot];
}

/*
 * @entry(EXPR) in a .return probe: the kretprobe's entry handler runs the
 * probe's entry part, which computes each EXPR into the call's data after
 * the saved registers: a word of flags (which were computed: an entry part
 * that was skipped or failed computed none), one word for each of at most
 * STP_DWARF_ENTRY_EXPRS, then MAXSTRINGLEN bytes for each (the strings).
 */
#define STP_DWARF_ENTRY_REGS 8	/* stapc's MAX_ENTRY_VALUES */
#define STP_DWARF_ENTRY_EXPRS 32	/* stapc's MAX_ENTRY_EXPRS */

static __maybe_unused char *stp_dwarf_entry_text(unsigned long *saved, int64_t k)
{
	return (char *)&saved[STP_DWARF_ENTRY_REGS + 1 + STP_DWARF_ENTRY_EXPRS] + k * MAXSTRINGLEN;
}

static __maybe_unused void stp_dwarf_entry_set_str(struct stp_context *c, int64_t k,
						   const char *s, const char *where)
{
	unsigned long *saved = __this_cpu_read(stp_dwarf_entry_values);

	if (!saved) {
		stp_error(c, "@entry: no call to save the value for", where);
		return;
	}
	strscpy(stp_dwarf_entry_text(saved, k), s, MAXSTRINGLEN);
	saved[STP_DWARF_ENTRY_REGS] |= 1UL << k;
}

static __maybe_unused const char *stp_dwarf_entry_str(struct stp_context *c, char *dst, int64_t k,
						      const char *where)
{
	unsigned long *saved = __this_cpu_read(stp_dwarf_entry_values);

	if (!saved || !(saved[STP_DWARF_ENTRY_REGS] & (1UL << k))) {
		stp_error(c, "@entry: the value was not computed at the function's entry", where);
		dst[0] = '\0';
		return dst;
	}
	strscpy(dst, stp_dwarf_entry_text(saved, k), MAXSTRINGLEN);
	return dst;
}

static __maybe_unused void stp_dwarf_entry_set(struct stp_context *c, int64_t k, int64_t v,
					       const char *where)
{
	unsigned long *saved = __this_cpu_read(stp_dwarf_entry_values);

	if (!saved) {
		stp_error(c, "@entry: no call to save the value for", where);
		return;
	}
	saved[STP_DWARF_ENTRY_REGS + 1 + k] = (unsigned long)v;
	saved[STP_DWARF_ENTRY_REGS] |= 1UL << k;
}

static __maybe_unused int64_t stp_dwarf_entry_expr(struct stp_context *c, int64_t k,
						   const char *where)
{
	unsigned long *saved = __this_cpu_read(stp_dwarf_entry_values);

	if (!saved || !(saved[STP_DWARF_ENTRY_REGS] & (1UL << k))) {
		stp_error(c, "@entry: the value was not computed at the function's entry", where);
		return 0;
	}
	return (int64_t)saved[STP_DWARF_ENTRY_REGS + 1 + k];
}

/*
 * DW_OP_entry_value outside .return probes: the value a register had when
 * the function was entered, gone by the probed address.  A kprobe at the
 * function's entry saves those registers per thread (as SystemTap keeps
 * them in a tid-indexed array); the probe's handler finds its thread's.
 * A small table per probe point, by thread id.  A thread that entered the
 * function before the session started, whose slot another thread took
 * since its entry, or whose save found the slot busy reads 0 (what
 * SystemTap's array gives for a thread it has no entry for), never another
 * thread's values.  A recursive call saves over its caller's: after it
 * returns, the caller sees the inner call's entry values (SystemTap's
 * limitation too).
 */
#define STP_DWARF_ENTRY_TASKS 256
#define STP_DWARF_MAX_ENTRY 8

struct stp_dwarf_entry_save {
	atomic_t busy;
	pid_t tid1;		/* thread id + 1 (0: never saved) */
	unsigned long val[STP_DWARF_MAX_ENTRY];
};

static __maybe_unused struct stp_dwarf_entry_save *stp_dwarf_entry_slot(struct stp_dwarf_entry_save *tab)
{
	return &tab[hash_32((u32)current->pid, 8) % STP_DWARF_ENTRY_TASKS];
}

/* at the function's entry: regs' values for this thread */
static __maybe_unused void stp_dwarf_entry_store(struct stp_dwarf_entry_save *tab,
						 const unsigned long *val, int n)
{
	struct stp_dwarf_entry_save *slot = stp_dwarf_entry_slot(tab);

	if (atomic_cmpxchg(&slot->busy, 0, 1) != 0)
		return;		/* another CPU is at it: this call is not saved */
	slot->tid1 = current->pid + 1;
	memcpy(slot->val, val, n * sizeof(*val));
	atomic_set_release(&slot->busy, 0);
}

/* in the handler: this thread's saved values into val; false if none */
static __maybe_unused bool stp_dwarf_entry_fetch(struct stp_dwarf_entry_save *tab,
						 unsigned long *val, int n)
{
	struct stp_dwarf_entry_save *slot = stp_dwarf_entry_slot(tab);
	bool found;

	if (atomic_cmpxchg(&slot->busy, 0, 1) != 0)
		return false;
	found = slot->tid1 == current->pid + 1;
	if (found)
		memcpy(val, slot->val, n * sizeof(*val));
	atomic_set_release(&slot->busy, 0);
	return found;
}

/*
 * $var$ / $var$$ pretty printing: the generated C appends pieces to a
 * string temporary (at most MAXSTRINGLEN - 1 bytes, cut short when full).
 * Each printed variable is one "value": a read that faults inside it
 * makes the whole value "ERROR", as SystemTap's try/catch around its
 * sprintf does, and the fault is not a script error.
 */
struct stp_pp {
	char *buf;
	size_t len;
	size_t mark;		/* where the current value starts */
	const char *outer_error;	/* c->error when the value started */
};

static __maybe_unused void stp_pp_begin(struct stp_pp *pp, char *buf)
{
	pp->buf = buf;
	pp->len = 0;
	pp->mark = 0;
	pp->outer_error = NULL;
	buf[0] = '\0';
}

static __maybe_unused void stp_pp_cat(struct stp_pp *pp, const char *s)
{
	while (*s && pp->len < MAXSTRINGLEN - 1)
		pp->buf[pp->len++] = *s++;
	pp->buf[pp->len] = '\0';
}

static __maybe_unused void stp_pp_value_start(struct stp_context *c, struct stp_pp *pp)
{
	pp->mark = pp->len;
	pp->outer_error = c->error;
}

static __maybe_unused void stp_pp_value_end(struct stp_context *c, struct stp_pp *pp)
{
	if (pp->outer_error || !c->error)
		return;
	c->error = NULL;	/* the fault is printed as ERROR instead */
	pp->len = pp->mark;
	pp->buf[pp->len] = '\0';
	stp_pp_cat(pp, "ERROR");
}

/* %i, %u and %p as SystemTap's sprintf prints them */
static __maybe_unused void stp_pp_int(struct stp_pp *pp, int64_t v)
{
	char tmp[24];

	snprintf(tmp, sizeof(tmp), "%lld", (long long)v);
	stp_pp_cat(pp, tmp);
}

static __maybe_unused void stp_pp_uint(struct stp_pp *pp, int64_t v)
{
	char tmp[24];

	snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)v);
	stp_pp_cat(pp, tmp);
}

static __maybe_unused void stp_pp_ptr(struct stp_pp *pp, int64_t v)
{
	char tmp[24];

	snprintf(tmp, sizeof(tmp), "0x%016llx", (unsigned long long)v);
	stp_pp_cat(pp, tmp);
}

/* a char as '%#c': in single quotes, escaped like string_quoted */
static __maybe_unused void stp_pp_char(struct stp_pp *pp, int64_t v)
{
	char tmp[8], *end;

	tmp[0] = '\'';
	end = stp_escape_one(tmp + 1, (unsigned char)v);
	*end++ = '\'';
	*end = '\0';
	stp_pp_cat(pp, tmp);
}

/* The string at addr, quoted (kernel memory, then user memory, as
 * kernel_or_user_string_quoted); a fault in both is the value's error. */
static __maybe_unused void stp_pp_string(struct stp_context *c, struct stp_pp *pp, int64_t addr,
					 const char *where)
{
	char chunk[32], esc[8];
	unsigned long p = (unsigned long)addr;
	bool user = false;
	size_t got, i, start = pp->len;

	stp_pp_cat(pp, "\"");
	while (pp->len < MAXSTRINGLEN - 1) {
		got = min_t(size_t, sizeof(chunk), PAGE_SIZE - (p & ~PAGE_MASK));
		if (user ? copy_from_user_nofault(chunk, (const void __user *)p, got)
			 : copy_from_kernel_nofault(chunk, (const void *)p, got)) {
			if (!user && p == (unsigned long)addr) {
				user = true;	/* not kernel memory at all: try user */
				continue;
			}
			pp->len = start;
			pp->buf[pp->len] = '\0';
			stp_errorf(c, where, "%s string copy fault at 0x%016llx",
				   user ? "user" : "kernel", (u64)addr);
			return;
		}
		for (i = 0; i < got; i++) {
			char *end;

			if (!chunk[i]) {
				stp_pp_cat(pp, "\"");
				return;
			}
			end = stp_escape_one(esc, (unsigned char)chunk[i]);
			*end = '\0';
			stp_pp_cat(pp, esc);
		}
		p += got;
	}
}

/*
 * Global and static variables ($global at a probe point, @var): their
 * symbols' addresses, looked up by name when the session starts
 * (kallsyms_lookup_name is not exported: register_kprobe looks the name
 * up for us and sets kp.addr before refusing an address outside the
 * kernel's text, which a variable's is).  A symbol of a module ("mod:sym")
 * is looked up again when that module goes live and forgotten when it
 * goes, by a module notifier that runs before the kprobes' one (a higher
 * priority), so a probe armed in the module finds its variables; reading
 * one while its module is absent is a script error.
 *
 * Kernels without CONFIG_KALLSYMS_ALL (Debian's arm64) list no data
 * symbols: vmlinux's data is then found at its link-time distance from
 * kfree, whose address the module loader gives us (KASLR moves the image
 * as a whole), and a module's static data from its struct module,
 * which the loader places at a distance stapc computed from the .ko
 * (translator/dwarf_modlayout.c); that struct we find by the module's
 * name among the modules' sysfs kobjects (__module_address and
 * find_module are not exported), whose kset is our own module's.
 */
struct stp_dwarf_anchor {
	const char *module;	/* the data symbol's module, or NULL */
	long delta;		/* its distance from that module's struct module */
	bool from_kfree;	/* a vmlinux symbol: delta is from kfree */
};

static unsigned long *stp_dwarf_sym_addr;
static const char *const *stp_dwarf_sym_name;
static const struct stp_dwarf_anchor *stp_dwarf_sym_anchor;
static unsigned int stp_dwarf_n_sym;

static __maybe_unused unsigned long stp_dwarf_lookup(const char *name)
{
	struct kprobe kp = { .symbol_name = name };

	if (register_kprobe(&kp) == 0)
		unregister_kprobe(&kp);	/* a text symbol: armed for a moment */
	return IS_ERR_OR_NULL(kp.addr) ? 0 : (unsigned long)kp.addr;
}

/* Symbol k by name, else through its anchor; mod is its module when the
 * caller knows it (the notifier), else it is looked up by name.  Process
 * context. */
static __maybe_unused unsigned long stp_dwarf_lookup_sym(unsigned int k, struct module *mod)
{
	const struct stp_dwarf_anchor *a = &stp_dwarf_sym_anchor[k];
	unsigned long addr = stp_dwarf_lookup(stp_dwarf_sym_name[k]);
	struct kobject *kobj;

	if (addr)
		return addr;
	if (a->from_kfree)	/* the image moves as a whole (KASLR) */
		return (unsigned long)&kfree + a->delta;
	if (!a->module)
		return addr;
	if (mod)
		return (unsigned long)mod + a->delta;
	if (!THIS_MODULE->mkobj.kobj.kset)	/* no sysfs to look in */
		return 0;
	kobj = kset_find_obj(THIS_MODULE->mkobj.kobj.kset, a->module);
	if (!kobj)
		return 0;
	mod = container_of(kobj, struct module_kobject, kobj)->mod;
	addr = mod ? (unsigned long)mod + a->delta : 0;
	kobject_put(kobj);
	return addr;
}

static __maybe_unused int stp_dwarf_symbols_event(struct notifier_block *nb,
						  unsigned long state, void *data)
{
	struct module *mod = data;
	size_t len = strlen(mod->name);
	unsigned int i;

	if (state != MODULE_STATE_LIVE && state != MODULE_STATE_GOING)
		return NOTIFY_DONE;
	for (i = 0; i < stp_dwarf_n_sym; i++) {
		const char *name = stp_dwarf_sym_name[i];

		if (strncmp(name, mod->name, len) != 0 || name[len] != ':')
			continue;
		WRITE_ONCE(stp_dwarf_sym_addr[i],
			   state == MODULE_STATE_LIVE ? stp_dwarf_lookup_sym(i, mod) : 0);
	}
	return NOTIFY_DONE;
}

static struct notifier_block stp_dwarf_symbols_nb __maybe_unused = {
	.notifier_call = stp_dwarf_symbols_event,
	.priority = 1,		/* before stp_kprobes_module_event arms probes */
};
static bool stp_dwarf_symbols_watching;

/* At session start, under the control mutex. */
static __maybe_unused void stp_dwarf_symbols_start(const char *const *names,
						   const struct stp_dwarf_anchor *anchors,
						   unsigned long *addr, unsigned int n)
{
	unsigned int i;
	bool of_module = false;

	stp_dwarf_sym_name = names;
	stp_dwarf_sym_anchor = anchors;
	stp_dwarf_sym_addr = addr;
	stp_dwarf_n_sym = n;
	for (i = 0; i < n; i++) {
		addr[i] = stp_dwarf_lookup_sym(i, NULL);
		of_module |= strchr(names[i], ':') != NULL;
	}
	if (of_module && register_module_notifier(&stp_dwarf_symbols_nb) == 0)
		stp_dwarf_symbols_watching = true;
}

/* When the probes are disarmed (any number of times). */
static __maybe_unused void stp_dwarf_symbols_stop(void)
{
	if (stp_dwarf_symbols_watching) {
		unregister_module_notifier(&stp_dwarf_symbols_nb);
		stp_dwarf_symbols_watching = false;
	}
}

static __maybe_unused int64_t stp_dwarf_symbol(struct stp_context *c, unsigned int k,
					       const char *name, const char *where)
{
	unsigned long addr = k < stp_dwarf_n_sym ? READ_ONCE(stp_dwarf_sym_addr[k]) : 0;

	if (!addr) {
		stp_errorf(c, where, "the address of '%s' is unknown (its module is not loaded)",
			   name);
		return 0;
	}
	return (int64_t)addr;
}

/*
 * .callee("NAME"): whether a call returns to one of the caller's call sites,
 * given as offsets into the caller's symbol (slot k of the symbols looked up
 * at start).  False while the caller's module is not loaded.  Bounded: the
 * caller's calls to this callee, a handful.
 */
static __maybe_unused __always_inline bool
stp_dwarf_called_from(unsigned long ret, unsigned int k, const unsigned long *returns,
		      unsigned int n)
{
	unsigned long base = k < stp_dwarf_n_sym ? READ_ONCE(stp_dwarf_sym_addr[k]) : 0;
	unsigned int i;

	if (!base)
		return false;
	for (i = 0; i < n; i++)
		if (ret == base + returns[i])
			return true;
	return false;
}

/* The return address at a function's first instruction (0 if unreadable). */
static __maybe_unused __always_inline unsigned long
stp_dwarf_entry_return_address(struct pt_regs *regs)
{
#if defined(CONFIG_X86_64)
	unsigned long ret;

	if (get_kernel_nofault(ret, (unsigned long *)regs->sp))
		return 0;
	return ret;
#elif defined(CONFIG_ARM64)
	return regs->regs[30];
#else
#error "stapc: .callee needs this architecture's return address at a function's entry"
#endif
}

/*
 * The same check at the callee's entry.  A kretprobe whose handler ran
 * before ours at this entry (registered later, by another module or by
 * another group of ours) has put its trampoline in place of the return
 * address; x86-64 keeps the real one in this task's rethook list, under
 * the stack address it was taken from.  The list is as deep as the hooked
 * calls in progress; looked at no further than 64 entries.
 */
static __maybe_unused __always_inline bool
stp_dwarf_entry_called_from(struct pt_regs *regs, unsigned int k, const unsigned long *returns,
			    unsigned int n)
{
#if defined(CONFIG_X86_64) && defined(CONFIG_RETHOOK)
	struct llist_node *node;
	unsigned int depth = 0;
#endif

	if (stp_dwarf_called_from(stp_dwarf_entry_return_address(regs), k, returns, n))
		return true;
#if defined(CONFIG_X86_64) && defined(CONFIG_RETHOOK)
	for (node = current->rethooks.first; node && depth < 64; node = node->next, depth++) {
		struct rethook_node *rh = container_of(node, struct rethook_node, llist);

		if (rh->frame == regs->sp)
			return stp_dwarf_called_from(rh->ret_addr, k, returns, n);
	}
#endif
	return false;
}

/*
 * The same check in a kretprobe's return handler.  When another kretprobe
 * hooked the same call before ours, ours saved its trampoline: the real
 * return address is in the other's node of this task's rethook list, under
 * the same frame (the list is unwound only after all handlers have run).
 */
static __maybe_unused __always_inline bool
stp_dwarf_return_called_from(struct kretprobe_instance *ri, unsigned int k,
			     const unsigned long *returns, unsigned int n)
{
#if defined(CONFIG_X86_64) && defined(CONFIG_KRETPROBE_ON_RETHOOK)
	struct llist_node *node;
	unsigned int depth = 0;
#endif

	if (stp_dwarf_called_from(get_kretprobe_retaddr(ri), k, returns, n))
		return true;
#if defined(CONFIG_X86_64) && defined(CONFIG_KRETPROBE_ON_RETHOOK)
	for (node = current->rethooks.first; node && depth < 64; node = node->next, depth++) {
		struct rethook_node *rh = container_of(node, struct rethook_node, llist);

		if (rh->frame == ri->node.frame &&
		    stp_dwarf_called_from(rh->ret_addr, k, returns, n))
			return true;
	}
#endif
	return false;
}

/* Guru mode writes: a target variable in memory (fault tolerant), or in a
 * register of the probed context. */
/* copy_to_kernel_nofault is not exported: __put_kernel_nofault, with the
 * same refusal of user-half addresses */
static __maybe_unused int stp_dwarf_put(unsigned long dst, int64_t v, int size)
{
	u8 b = v;
	u16 h = v;
	u32 w = v;
	u64 d = v;

	if (dst < TASK_SIZE_MAX)
		return -EFAULT;
	pagefault_disable();
	switch (size) {
	case 1: __put_kernel_nofault((void *)dst, &b, u8, fault); break;
	case 2: __put_kernel_nofault((void *)dst, &h, u16, fault); break;
	case 4: __put_kernel_nofault((void *)dst, &w, u32, fault); break;
	default: __put_kernel_nofault((void *)dst, &d, u64, fault); break;
	}
	pagefault_enable();
	return 0;
fault:
	pagefault_enable();
	return -EFAULT;
}

static __maybe_unused void stp_dwarf_store(struct stp_context *c, int64_t addr, int size, int64_t v,
					   const char *where)
{
	if (stp_dwarf_put((unsigned long)addr, v, size))
		stp_errorf(c, where, "kernel write fault at 0x%016llx", (u64)addr);
}

static __maybe_unused void stp_dwarf_set_reg(struct stp_context *c, size_t off, int64_t v,
					     const char *where)
{
	struct pt_regs *regs = stp_regs(c, where);

	if (regs)
		*(unsigned long *)((char *)regs + off) = (unsigned long)v;
}

#endif
