/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_builtins.h - the context and memory functions scripts call
 * (execname(), pid(), kernel_string(), int_arg(), ...).
 *
 * All are callable in any probe context.  Every read of memory a script
 * names goes through a fault-tolerant copy: a bad address becomes a script
 * error with the script location, never an oops.  String results are
 * written into a MAXSTRINGLEN buffer the caller provides.
 */
#ifndef STP_BUILTINS_H
#define STP_BUILTINS_H

#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/cred.h>
#include <linux/uidgid.h>
#include <linux/timekeeping.h>
#include <linux/sched/clock.h>
#include <linux/jiffies.h>
#include <linux/kallsyms.h>
#include <linux/ptrace.h>

/* ---- the current task ---- */

/* comm is a fixed TASK_COMM_LEN array that always holds a NUL: copying
 * it whole is a few moves, where strscpy() would scan it byte by byte. */
static inline const char *stp_execname(char *buf)
{
	BUILD_BUG_ON(MAXSTRINGLEN < TASK_COMM_LEN);
	memcpy(buf, current->comm, TASK_COMM_LEN);
	buf[TASK_COMM_LEN - 1] = '\0';
	return buf;
}

static inline int64_t stp_pid(void) { return task_tgid_nr(current); }
static inline int64_t stp_tid(void) { return task_pid_nr(current); }
static inline int64_t stp_cpu(void) { return smp_processor_id(); }

static inline int64_t stp_ppid(void)
{
	int64_t ppid;

	rcu_read_lock();
	ppid = task_tgid_nr(rcu_dereference(current->real_parent));
	rcu_read_unlock();
	return ppid;
}

static inline int64_t stp_uid(void) { return from_kuid_munged(&init_user_ns, current_uid()); }
static inline int64_t stp_euid(void) { return from_kuid_munged(&init_user_ns, current_euid()); }
static inline int64_t stp_gid(void) { return from_kgid_munged(&init_user_ns, current_gid()); }
static inline int64_t stp_egid(void) { return from_kgid_munged(&init_user_ns, current_egid()); }

/* ---- the probe ---- */

static inline const char *stp_pp(struct stp_context *c)
{
	return c->probe->pp;
}

/* The quoted argument of the probe point's component `name`, e.g.
 * "vfs_read" of kernel.function("vfs_read"), or "" if it has none. */
static __maybe_unused const char *stp_pp_argument(struct stp_context *c, char *buf,
						  const char *name)
{
	const char *p = strstr(c->probe->pp, name), *end;

	buf[0] = '\0';
	if (!p || p[strlen(name)] != '(' || p[strlen(name) + 1] != '"')
		return buf;
	p += strlen(name) + 2;
	end = strchr(p, '"');
	if (end)
		strscpy(buf, p, min_t(size_t, end - p + 1, MAXSTRINGLEN));
	return buf;
}

static const char *stp_symname(char *buf, int64_t addr);

/* probefunc(): the probed function, from the probe point, else (an
 * absolute address, the tick of timer.profile) the function the kernel
 * registers are in; "" for probes without them (begin, timers). */
static __maybe_unused const char *stp_probefunc(struct stp_context *c, char *buf)
{
	char *colon;

	stp_pp_argument(c, buf, "function");
	colon = strchr(buf, '@');	/* "f@file.c:12" */
	if (colon)
		*colon = '\0';
	if (!buf[0] && c->regs && !user_mode(c->regs))
		stp_symname(buf, instruction_pointer(c->regs));
	return buf;
}

/* probemod(): the module of a module("m") probe, "kernel" for kernel
 * functions, else "". */
static __maybe_unused const char *stp_probemod(struct stp_context *c, char *buf)
{
	stp_pp_argument(c, buf, "module");
	if (!buf[0] && (strstr(c->probe->pp, "kernel.function(") ||
			strstr(c->probe->pp, "kprobe.function(")))
		strscpy(buf, "kernel", MAXSTRINGLEN);
	return buf;
}

/* warn(msg): "WARNING: msg" on stderr, the session goes on.  Runs only
 * while no error is pending, so the error buffer is free to build it in. */
static __maybe_unused void stp_warn(struct stp_context *c, const char *msg)
{
	int n = scnprintf(c->error_buf, sizeof(c->error_buf), "WARNING: %s\n", msg);

	stp_transport_write(STP_CHAN_STDERR, c->error_buf, n);
}

static inline int64_t stp_is_return(struct stp_context *c)
{
	return c->probe->is_return;
}

/* ---- time ---- */

static inline int64_t stp_gettimeofday_ns(void)
{
	return ktime_get_real_fast_ns();	/* safe even in NMI */
}

static inline int64_t stp_local_clock_ns(void)
{
	return local_clock();
}

static inline int64_t stp_jiffies(void) { return (int64_t)jiffies_64; }
static inline int64_t stp_hz(void) { return HZ; }

/* ---- memory, through fault-tolerant copies ---- */

/* Read a 1, 2, 4 or 8 byte signed integer from kernel or user memory. */
static __maybe_unused int64_t stp_read_int(struct stp_context *c, int64_t addr, size_t size,
					   bool user, const char *where)
{
	union { s8 b; s16 h; s32 w; s64 d; } v = { .d = 0 };
	long rc = user ? copy_from_user_nofault(&v, (const void __user *)(unsigned long)addr, size)
		       : copy_from_kernel_nofault(&v, (const void *)(unsigned long)addr, size);

	if (rc) {
		stp_errorf(c, where, "%s read fault at 0x%016llx", user ? "user" : "kernel", (u64)addr);
		return 0;
	}
	switch (size) {
	case 1: return v.b;
	case 2: return v.h;
	case 4: return v.w;
	default: return v.d;
	}
}

/* Read a 1, 2, 4 or 8 byte integer, sign- or zero-extended, without
 * raising an error: false (and *val 0) when the memory cannot be read.
 * For the tapset readers that return 0 on a fault, as SystemTap's
 * user_ushort() & co. do. */
static __maybe_unused bool stp_peek_int(int64_t addr, size_t size, bool is_signed, bool user,
					int64_t *val)
{
	union { u8 b; u16 h; u32 w; u64 d; } v = { .d = 0 };
	long rc = user ? copy_from_user_nofault(&v, (const void __user *)(unsigned long)addr, size)
		       : copy_from_kernel_nofault(&v, (const void *)(unsigned long)addr, size);

	*val = 0;
	if (rc)
		return false;
	switch (size) {
	case 1: *val = is_signed ? (int64_t)(s8)v.b : (int64_t)v.b; break;
	case 2: *val = is_signed ? (int64_t)(s16)v.h : (int64_t)v.h; break;
	case 4: *val = is_signed ? (int64_t)(s32)v.w : (int64_t)v.w; break;
	default: *val = (int64_t)v.d; break;
	}
	return true;
}

/*
 * Copy a NUL-terminated string, at most max-1 bytes, a page piece at a
 * time: a piece never crosses a page boundary, so a string that ends just
 * before an unmapped page is still read.  (strncpy_from_*_nofault are not
 * exported to modules.)
 */
static __maybe_unused const char *stp_read_string(struct stp_context *c, char *dst, int64_t addr,
				   int64_t max, bool user, const char *where)
{
	unsigned long p = (unsigned long)addr;
	size_t len = 0, limit;

	if (max <= 0 || max > MAXSTRINGLEN)
		max = MAXSTRINGLEN;
	limit = max - 1;
	while (len < limit) {
		size_t piece = min_t(size_t, limit - len, PAGE_SIZE - (p & ~PAGE_MASK));
		long rc;
		char *nul;

		piece = min_t(size_t, piece, 64);
		rc = user ? copy_from_user_nofault(dst + len, (const void __user *)p, piece)
			  : copy_from_kernel_nofault(dst + len, (const void *)p, piece);
		if (rc) {
			dst[0] = '\0';
			stp_errorf(c, where, "%s string copy fault at 0x%016llx",
				   user ? "user" : "kernel", (u64)addr);
			return dst;
		}
		nul = memchr(dst + len, '\0', piece);
		if (nul)
			return dst;
		len += piece;
		p += piece;
	}
	dst[len] = '\0';
	return dst;
}

/* ---- registers and arguments ---- */

static inline struct pt_regs *stp_regs(struct stp_context *c, const char *where)
{
	if (!c->regs)
		stp_error(c, "no registers available in this probe", where);
	return c->regs;
}

/* How many arguments travel in registers: x86-64 rdi..r9, AAPCS64 x0..x7. */
#ifdef CONFIG_ARM64
#define STP_REG_ARGS 8
#else
#define STP_REG_ARGS 6
#endif

/* The n-th (1-based) argument of the probed function, by the calling
 * convention of the architecture. */
static __maybe_unused int64_t stp_arg(struct stp_context *c, int64_t n, const char *where)
{
	struct pt_regs *regs = stp_regs(c, where);

	if (!regs)
		return 0;
	if (n < 1 || n > STP_REG_ARGS) {
		stp_errorf(c, where, "cannot access argument %lld", (long long)n);
		return 0;
	}
	return (int64_t)regs_get_kernel_argument(regs, n - 1);
}

static inline int64_t stp_returnval(struct stp_context *c, const char *where)
{
	struct pt_regs *regs = stp_regs(c, where);

	return regs ? (int64_t)regs_return_value(regs) : 0;
}

/* register("name"): the translator checked the name and passes the field. */
#define stp_register(c, field, where) \
	({ struct pt_regs *_r = stp_regs((c), (where)); _r ? (int64_t)_r->field : 0; })
#define stp_kregister(c, field, where) stp_register(c, field, where)

/* The current task's user-space registers, as saved on kernel entry. */
static inline struct pt_regs *stp_uregs(struct stp_context *c, const char *where)
{
	if (!current->mm || (current->flags & PF_KTHREAD)) {
		stp_error(c, "no user registers: not in a user task", where);
		return NULL;
	}
	return task_pt_regs(current);
}

#define stp_uregister(c, field, where) \
	({ struct pt_regs *_r = stp_uregs((c), (where)); _r ? (int64_t)_r->field : 0; })

/* ---- symbols ---- */

/*
 * SystemTap's shapes: symname() is the name alone, symdata() is
 * "name+0xoff/0xsize [module]" with [kernel] for the kernel's own
 * symbols, and an address no symbol covers is "0x" and 16 hex digits.
 * sprint_symbol() names modules only and prints an unknown address as
 * a bare "0x..." (no symbol name starts so).
 */
static bool stp_sym_unknown(const char *sym)
{
	return sym[0] == '0' && sym[1] == 'x';
}

static __maybe_unused const char *stp_symname(char *buf, int64_t addr)
{
	char sym[KSYM_SYMBOL_LEN], *module;

	sprint_symbol_no_offset(sym, (unsigned long)addr);
	module = strstr(sym, " [");	/* a module's symbol: "name [module]" */
	if (module)
		*module = '\0';
	if (stp_sym_unknown(sym))
		snprintf(buf, MAXSTRINGLEN, "0x%016llx", (u64)addr);
	else
		strscpy(buf, sym, MAXSTRINGLEN);
	return buf;
}

static __maybe_unused const char *stp_symdata(char *buf, int64_t addr)
{
	char sym[KSYM_SYMBOL_LEN];

	sprint_symbol(sym, (unsigned long)addr);
	if (stp_sym_unknown(sym))
		snprintf(buf, MAXSTRINGLEN, "0x%016llx", (u64)addr);
	else
		snprintf(buf, MAXSTRINGLEN, "%s%s", sym, strchr(sym, '[') ? "" : " [kernel]");
	return buf;
}

#endif
