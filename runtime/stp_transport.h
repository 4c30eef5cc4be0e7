/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_transport.h - the buffer between probe handlers and stapr.
 *
 * Records (struct stp_record_hdr + payload, see transport_protocol.h) go
 * into one ring.  Writers may be in any context, so they never wait: the
 * lock is only ever tried a bounded number of times, and a record that does
 * not fit, or cannot get the lock, is dropped whole and counted.  A record
 * is never split or corrupted.  The reader (stapr, process context) takes
 * whole records out.
 *
 * One shared ring keeps output in the order it was produced across CPUs,
 * which is what a small session wants; per-CPU rings for hot probes are the
 * planned next step (see README "Limits").
 */
#ifndef STP_TRANSPORT_H
#define STP_TRANSPORT_H

struct stp_ring {
	raw_spinlock_t lock;
	char *buf;
	u64 head;		/* total bytes written */
	u64 tail;		/* total bytes read */
	atomic_t dropped;	/* records lost because the ring was full */
};

static struct stp_ring stp_ring;

static int stp_ring_alloc(void)
{
	raw_spin_lock_init(&stp_ring.lock);
	stp_ring.buf = vmalloc(STP_BUFFER_SIZE);
	return stp_ring.buf ? 0 : -ENOMEM;
}

static void stp_ring_free(void)
{
	vfree(stp_ring.buf);
	stp_ring.buf = NULL;
}

static void stp_ring_copy_in(u64 pos, const void *src, size_t len)
{
	size_t off = pos % STP_BUFFER_SIZE;
	size_t first = min_t(size_t, len, STP_BUFFER_SIZE - off);

	memcpy(stp_ring.buf + off, src, first);
	memcpy(stp_ring.buf, (const char *)src + first, len - first);
}

static void stp_ring_copy_out(void *dst, u64 pos, size_t len)
{
	size_t off = pos % STP_BUFFER_SIZE;
	size_t first = min_t(size_t, len, STP_BUFFER_SIZE - off);

	memcpy(dst, stp_ring.buf + off, first);
	memcpy((char *)dst + first, stp_ring.buf, len - first);
}

/* Queue one record; callable from any context, never waits. */
static void stp_transport_write(u16 chan, const char *data, size_t len)
{
	struct stp_record_hdr hdr = { .chan = chan };
	unsigned long flags;
	int tries = 0;

	if (len == 0)
		return;
	if (len > STP_RECORD_MAX)
		len = STP_RECORD_MAX;
	hdr.len = len;

	local_irq_save(flags);
	while (!raw_spin_trylock(&stp_ring.lock)) {
		if (++tries >= MAXTRYLOCK) {
			atomic_inc(&stp_ring.dropped);
			local_irq_restore(flags);
			return;
		}
		cpu_relax();
	}
	if (STP_BUFFER_SIZE - (stp_ring.head - stp_ring.tail) < sizeof(hdr) + len) {
		atomic_inc(&stp_ring.dropped);
	} else {
		stp_ring_copy_in(stp_ring.head, &hdr, sizeof(hdr));
		stp_ring_copy_in(stp_ring.head + sizeof(hdr), data, len);
		stp_ring.head += sizeof(hdr) + len;
	}
	raw_spin_unlock_irqrestore(&stp_ring.lock, flags);
}

static bool stp_transport_has_data(void)
{
	return READ_ONCE(stp_ring.head) != READ_ONCE(stp_ring.tail);
}

/* Move as many whole records as fit into dst; returns the bytes moved. */
static size_t stp_transport_take(char *dst, size_t room)
{
	struct stp_record_hdr hdr;
	unsigned long flags;
	size_t moved = 0;

	raw_spin_lock_irqsave(&stp_ring.lock, flags);
	while (stp_ring.head != stp_ring.tail) {
		size_t rec;

		stp_ring_copy_out(&hdr, stp_ring.tail, sizeof(hdr));
		rec = sizeof(hdr) + hdr.len;
		if (rec > room - moved)
			break;
		stp_ring_copy_out(dst + moved, stp_ring.tail, rec);
		stp_ring.tail += rec;
		moved += rec;
	}
	raw_spin_unlock_irqrestore(&stp_ring.lock, flags);
	return moved;
}

#endif
