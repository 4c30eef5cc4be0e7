/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_transport.h - the buffers between probe handlers and stapr.
 *
 * One ring per CPU, written only by that CPU (interrupts off for the copy)
 * and read only by stapr: no lock anywhere in the probe path.  A record
 * that does not fit, or that would nest inside another write on the same
 * CPU (an NMI), is dropped whole and counted; a record is never split or
 * corrupted.  Each record carries a sequence number taken when it was
 * written, and the reader merges the rings by it, so output reaches stapr
 * in the order it was produced across CPUs.
 */
#ifndef STP_TRANSPORT_H
#define STP_TRANSPORT_H

/* in the ring: the protocol header plus the ordering key (not sent) */
struct stp_ring_record {
	struct stp_record_hdr hdr;
	u64 seq;
};

struct stp_ring {
	char *buf;		/* STP_BUFFER_SIZE bytes */
	u64 head;		/* bytes written; published with release */
	u64 tail;		/* bytes read; published with release */
	int writing;		/* a write is under way on this CPU */
};

static struct stp_ring **stp_rings;
static atomic64_t stp_record_seq = ATOMIC64_INIT(0);
static atomic_t stp_dropped = ATOMIC_INIT(0);

static int stp_ring_alloc(void)
{
	unsigned int cpu;

	stp_rings = kcalloc(nr_cpu_ids, sizeof(*stp_rings), GFP_KERNEL);
	if (!stp_rings)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		stp_rings[cpu] = kzalloc(sizeof(**stp_rings), GFP_KERNEL);
		if (!stp_rings[cpu])
			return -ENOMEM;	/* stp_ring_free() cleans up */
		stp_rings[cpu]->buf = vmalloc(STP_BUFFER_SIZE);
		if (!stp_rings[cpu]->buf)
			return -ENOMEM;
	}
	return 0;
}

static void stp_ring_free(void)
{
	unsigned int cpu;

	if (!stp_rings)
		return;
	for_each_possible_cpu(cpu) {
		if (stp_rings[cpu])
			vfree(stp_rings[cpu]->buf);
		kfree(stp_rings[cpu]);
	}
	kfree(stp_rings);
	stp_rings = NULL;
}

static void stp_ring_copy_in(struct stp_ring *r, u64 pos, const void *src, size_t len)
{
	size_t off = pos % STP_BUFFER_SIZE;
	size_t first = min_t(size_t, len, STP_BUFFER_SIZE - off);

	memcpy(r->buf + off, src, first);
	memcpy(r->buf, (const char *)src + first, len - first);
}

static void stp_ring_copy_out(struct stp_ring *r, void *dst, u64 pos, size_t len)
{
	size_t off = pos % STP_BUFFER_SIZE;
	size_t first = min_t(size_t, len, STP_BUFFER_SIZE - off);

	memcpy(dst, r->buf + off, first);
	memcpy((char *)dst + first, r->buf, len - first);
}

/* Queue one record on this CPU's ring; callable from any context. */
static void stp_transport_write(u16 chan, const char *data, size_t len)
{
	struct stp_ring_record rec = { .hdr = { .chan = chan } };
	struct stp_ring *r;
	unsigned long flags;
	u64 head;

	if (len == 0)
		return;
	if (len > STP_RECORD_MAX)
		len = STP_RECORD_MAX;
	rec.hdr.len = len;

	local_irq_save(flags);
	r = stp_rings[smp_processor_id()];
	if (r->writing) {
		atomic_inc(&stp_dropped);	/* an NMI inside a write */
		goto out;
	}
	r->writing = 1;
	barrier();
	head = r->head;
	if (STP_BUFFER_SIZE - (head - smp_load_acquire(&r->tail)) < sizeof(rec) + len) {
		atomic_inc(&stp_dropped);
	} else {
		rec.seq = atomic64_inc_return(&stp_record_seq);
		stp_ring_copy_in(r, head, &rec, sizeof(rec));
		stp_ring_copy_in(r, head + sizeof(rec), data, len);
		smp_store_release(&r->head, head + sizeof(rec) + len);
	}
	barrier();
	r->writing = 0;
out:
	local_irq_restore(flags);
}

static bool stp_transport_has_data(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		if (smp_load_acquire(&stp_rings[cpu]->head) != READ_ONCE(stp_rings[cpu]->tail))
			return true;
	return false;
}

/*
 * Move as many whole records as fit into dst, oldest first across all
 * CPUs, in the protocol's format; returns the bytes moved.  One reader at
 * a time (the caller holds the read mutex).
 */
static size_t stp_transport_take(char *dst, size_t room)
{
	size_t moved = 0;

	for (;;) {
		struct stp_ring_record rec, best_rec;
		struct stp_ring *best = NULL;
		unsigned int cpu;

		for_each_possible_cpu(cpu) {
			struct stp_ring *r = stp_rings[cpu];

			if (smp_load_acquire(&r->head) == r->tail)
				continue;
			stp_ring_copy_out(r, &rec, r->tail, sizeof(rec));
			if (!best || rec.seq < best_rec.seq) {
				best = r;
				best_rec = rec;
			}
		}
		if (!best || sizeof(best_rec.hdr) + best_rec.hdr.len > room - moved)
			return moved;
		memcpy(dst + moved, &best_rec.hdr, sizeof(best_rec.hdr));
		stp_ring_copy_out(best, dst + moved + sizeof(best_rec.hdr),
				  best->tail + sizeof(best_rec), best_rec.hdr.len);
		moved += sizeof(best_rec.hdr) + best_rec.hdr.len;
		smp_store_release(&best->tail, best->tail + sizeof(best_rec) + best_rec.hdr.len);
	}
}

#endif
