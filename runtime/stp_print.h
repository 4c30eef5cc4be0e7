/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_print.h - print/printf for handlers.
 *
 * The compiler turns every SystemTap format into a kernel vsnprintf format
 * it has checked (no %p extensions, no %n), so formatting here is one call.
 * A hit's output collects in its context and leaves as one record when the
 * handler ends, so lines from different CPUs never interleave mid-line.
 */
#ifndef STP_PRINT_H
#define STP_PRINT_H

static void stp_print_flush(struct stp_context *c, u16 chan)
{
	stp_transport_write(chan, c->pbuf, c->plen);
	c->plen = 0;
}

static __maybe_unused __printf(2, 3) void stp_printf(struct stp_context *c, const char *fmt, ...)
{
	va_list ap;
	size_t room;
	int n;

	for (;;) {
		room = STP_PRINT_BUF_SIZE - c->plen;
		va_start(ap, fmt);
		n = vsnprintf(c->pbuf + c->plen, room, fmt, ap);
		va_end(ap);
		if (n < room) {
			c->plen += n;
			return;
		}
		if (c->plen == 0) {
			/* longer than a whole buffer: keep what fits */
			c->plen = STP_PRINT_BUF_SIZE - 1;
			return;
		}
		/* make room by sending what came before, then format again */
		stp_print_flush(c, STP_CHAN_STDOUT);
	}
}

/*
 * %m and %M: `len` bytes of kernel memory at addr, read through a
 * fault-tolerant copy into a string the format then prints with %s.  At
 * most what a string holds; %m stops at a NUL byte as strings do.
 */
static __maybe_unused const char *stp_fmt_mem(struct stp_context *c, char *dst, int64_t addr,
					      int len, const char *where)
{
	len = min(len, MAXSTRINGLEN - 1);
	if (copy_from_kernel_nofault(dst, (const void *)(unsigned long)addr, len)) {
		stp_errorf(c, where, "kernel read fault at 0x%016llx", (u64)addr);
		len = 0;
	}
	dst[len] = '\0';
	return dst;
}

static __maybe_unused const char *stp_fmt_hex(struct stp_context *c, char *dst, int64_t addr,
					      int len, const char *where)
{
	static const char digits[] = "0123456789abcdef";
	int i;

	len = min(len, (MAXSTRINGLEN - 1) / 2);
	/* read into the upper half, then spread out from the front: each
	 * pair written only covers bytes already turned into digits */
	if (copy_from_kernel_nofault(dst + len, (const void *)(unsigned long)addr, len)) {
		stp_errorf(c, where, "kernel read fault at 0x%016llx", (u64)addr);
		len = 0;
	}
	for (i = 0; i < len; i++) {
		u8 b = dst[len + i];

		dst[2 * i] = digits[b >> 4];
		dst[2 * i + 1] = digits[b & 15];
	}
	dst[2 * len] = '\0';
	return dst;
}

#endif
