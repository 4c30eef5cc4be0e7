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

#endif
