/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_backtrace.h - kernel stack traces for backtrace(), print_backtrace(),
 * sprint_backtrace(), print_stack() and sprint_stack(), in SystemTap's
 * shapes: backtrace() is hex addresses separated by spaces; the printed
 * forms have one frame per line, " 0xADDR : sym+off/size [module]".
 *
 * The stack is the probed code's: unwound from the probe's registers
 * (the kernel's own unwinder on x86, frame records on arm64; bounded by
 * STP_MAXBACKTRACE frames).  A
 * probe without registers (begin, end) has no stack to show.  Nothing
 * here sleeps or allocates.
 */
#ifndef STP_BACKTRACE_H
#define STP_BACKTRACE_H

#include <linux/stacktrace.h>
#ifdef CONFIG_X86
#include <asm/unwind.h>
#endif

#ifndef STP_MAXBACKTRACE
#define STP_MAXBACKTRACE 20	/* frames in one backtrace */
#endif

/* The return addresses of the probed code's stack, innermost first. */
static unsigned int stp_backtrace_pcs(struct stp_context *c, unsigned long *pcs,
				      unsigned int max)
{
	unsigned int n = 0;

	if (!c->regs || user_mode(c->regs))
		return 0;
#ifdef CONFIG_X86
	/* the probe point itself; the unwinder starts at its caller */
	pcs[n++] = instruction_pointer(c->regs);
	{
		struct unwind_state state;

		for (unwind_start(&state, current, c->regs, NULL);
		     !unwind_done(&state) && n < max; unwind_next_frame(&state)) {
			unsigned long addr = unwind_get_return_address(&state);

			if (!addr)
				break;
			pcs[n++] = addr;
		}
	}
#elif defined(CONFIG_ARM64)
	/* arm64 exports no unwinder that starts from registers: follow the
	 * frame records ({next fp, lr} at fp, AAPCS64) from x29, each read
	 * fault-tolerantly, stopping unless they climb the stack.  On a
	 * function's first instruction (a kprobe on its symbol) the function
	 * has not saved its frame record yet: x29 is still the caller's, and
	 * the return into the caller is only in the link register, so that
	 * comes first (the kernel's own walk from registers misses it). */
	pcs[n++] = instruction_pointer(c->regs);
	if (c->probe && c->probe->at_entry && n < max) {
		unsigned long lr = stp_strip_pac(c->regs->regs[30]);

		if (lr)
			pcs[n++] = lr;
	}
	{
		unsigned long fp = c->regs->regs[29], rec[2];

		while (fp && n < max && !(fp & 0xf) &&
		       !copy_from_kernel_nofault(rec, (void *)fp, sizeof(rec))) {
			unsigned long addr = stp_strip_pac(rec[1]);

			if (!addr)
				break;
			pcs[n++] = addr;
			if (rec[0] <= fp)
				break;
			fp = rec[0];
		}
	}
#else
	pcs[n++] = instruction_pointer(c->regs);	/* no unwinder hookup yet */
#endif
	return n;
}

/* backtrace(): "0x... 0x... ..." */
static __maybe_unused const char *stp_backtrace(struct stp_context *c, char *dst)
{
	unsigned long pcs[STP_MAXBACKTRACE];
	unsigned int n = stp_backtrace_pcs(c, pcs, STP_MAXBACKTRACE), i;
	size_t len = 0;

	dst[0] = '\0';
	for (i = 0; i < n && len < MAXSTRINGLEN - 1; i++)
		len += scnprintf(dst + len, MAXSTRINGLEN - len, "%s0x%lx", i ? " " : "", pcs[i]);
	return dst;
}

/* One frame as SystemTap prints it: " 0xADDR : sym+0x0/0x10 [kernel]".
 * Symbols longer than the line are cut short. */
static int stp_frame_line(char *buf, size_t size, unsigned long addr)
{
	int n = scnprintf(buf, size, " 0x%016lx : %pS", addr, (void *)addr);

	if (!strchr(buf, '['))	/* %pS names modules, not the kernel */
		n += scnprintf(buf + n, size - n, " [kernel]");
	n += scnprintf(buf + n, size - n, "\n");
	return n;
}

/* The frames, printed (dst NULL) or into dst. */
static void stp_frames_text(struct stp_context *c, char *dst, const unsigned long *pcs,
			    unsigned int n)
{
	char line[192];
	size_t len = 0;
	unsigned int i;

	if (dst)
		dst[0] = '\0';
	for (i = 0; i < n; i++) {
		int l = stp_frame_line(line, sizeof(line), pcs[i]);

		if (!dst) {
			stp_printf(c, "%s", line);
		} else if (len + l < MAXSTRINGLEN) {
			memcpy(dst + len, line, l + 1);
			len += l;
		} else {
			break;	/* whole lines only */
		}
	}
}

/* The addresses of a backtrace() string. */
static unsigned int stp_parse_stack(const char *stk, unsigned long *pcs, unsigned int max)
{
	unsigned int n = 0;

	while (n < max) {
		char *end;

		while (*stk == ' ')
			stk++;
		pcs[n] = simple_strtoull(stk, &end, 16);
		if (end == stk)
			break;	/* the end, or not an address */
		stk = end;
		n++;
	}
	return n;
}

/* print_stack(stk), sprint_stack(stk): dst NULL prints. */
static __maybe_unused const char *stp_stack(struct stp_context *c, char *dst, const char *stk)
{
	unsigned long pcs[STP_MAXBACKTRACE];

	stp_frames_text(c, dst, pcs, stp_parse_stack(stk, pcs, STP_MAXBACKTRACE));
	return dst;
}

/* print_backtrace(), sprint_backtrace(): dst NULL prints. */
static __maybe_unused const char *stp_print_backtrace(struct stp_context *c, char *dst)
{
	unsigned long pcs[STP_MAXBACKTRACE];

	stp_frames_text(c, dst, pcs, stp_backtrace_pcs(c, pcs, STP_MAXBACKTRACE));
	return dst;
}

#endif
