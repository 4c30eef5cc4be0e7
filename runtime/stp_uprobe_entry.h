/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_uprobe_entry.h - $param in process(...).function(...).return: the
 * registers the parameters were in, saved when the function is entered
 * (the same uprobe, its entry handler) and found again by its return
 * handler.  Linux's uretprobes keep no data per call, so the module keeps
 * them: one table for all uprobes, a slot per thread (by thread id), in
 * each slot a stack of the calls that thread is in (recursion and calls
 * of several probed functions nest in it).
 *
 * A call is matched at its return by the stack pointer: at the return
 * handler it is the entry's, plus the return address the call pushed on
 * x86 (0 on arm64).  Frames deeper than the returning one were left by
 * longjmp or a lost return and are dropped.  Bounded: a thread finding
 * its slots all taken (STP_UPROBE_ENTRY_TASKS threads in probed calls at
 * once), or a call deeper than STP_UPROBE_ENTRY_DEPTH nested probed
 * calls, is not saved, and its return probe's $param is the script error
 * "the values at the function's entry were not saved for this call".
 * A thread that exits inside a probed call keeps its slot until its
 * thread id is used again.  Never sleeps, never allocates.
 */
#ifndef STP_UPROBE_ENTRY_H
#define STP_UPROBE_ENTRY_H

#include <linux/hash.h>
#include <linux/sched.h>

#define STP_UPROBE_ENTRY_TASKS 64
#define STP_UPROBE_ENTRY_DEPTH 16
#define STP_UPROBE_ENTRY_PROBE 4	/* slots tried from the hashed one */
/* @entry(EXPR) values (numbers) after the registers and the flags word,
 * as stp_dwarf_entry_set() lays them out: stapc's MAX_USER_ENTRY_EXPRS */
#define STP_UPROBE_ENTRY_EXPRS 8
#define STP_UPROBE_FRAME_WORDS (STP_DWARF_ENTRY_REGS + 1 + STP_UPROBE_ENTRY_EXPRS)

struct stp_uprobe_frame {
	const void *who;		/* the struct stp_uprobe */
	unsigned long sp;		/* user stack pointer at entry */
	unsigned long val[STP_UPROBE_FRAME_WORDS];
};

struct stp_uprobe_thread {
	atomic_t tid1;			/* owner's thread id + 1, 0: free */
	u64 start_time;			/* owner's, against a reused id */
	unsigned int depth;
	struct stp_uprobe_frame frame[STP_UPROBE_ENTRY_DEPTH];
};

static struct stp_uprobe_thread stp_uprobe_threads[STP_UPROBE_ENTRY_TASKS];

/* This thread's slot, claimed if claim and it has none; NULL if none. */
static struct stp_uprobe_thread *stp_uprobe_thread_slot(bool claim)
{
	int tid1 = current->pid + 1, i;
	u32 h = hash_32((u32)current->pid, 6);
	struct stp_uprobe_thread *t;

	for (i = 0; i < STP_UPROBE_ENTRY_PROBE; i++) {
		t = &stp_uprobe_threads[(h + i) % STP_UPROBE_ENTRY_TASKS];
		if (atomic_read(&t->tid1) != tid1)
			continue;
		if (t->start_time != current->start_time) {	/* the id's last owner died in a call */
			t->start_time = current->start_time;
			t->depth = 0;
		}
		return t;
	}
	for (i = 0; claim && i < STP_UPROBE_ENTRY_PROBE; i++) {
		t = &stp_uprobe_threads[(h + i) % STP_UPROBE_ENTRY_TASKS];
		if (atomic_cmpxchg(&t->tid1, 0, tid1) == 0) {
			t->start_time = current->start_time;
			t->depth = 0;
			return t;
		}
	}
	return NULL;
}

/* At the function's entry: the registers at byte offsets off[0..n-1] of
 * regs, in a new frame (NULL: not saved), no @entry values computed yet. */
static __maybe_unused struct stp_uprobe_frame *stp_uprobe_entry_push(const void *who,
								     struct pt_regs *regs,
								     const unsigned short *off, int n)
{
	struct stp_uprobe_thread *t = stp_uprobe_thread_slot(true);
	struct stp_uprobe_frame *f;
	int k;

	if (!t)
		return NULL;
	if (t->depth == STP_UPROBE_ENTRY_DEPTH)
		return NULL;	/* too deep: this call's values are not saved */
	f = &t->frame[t->depth++];
	f->who = who;
	f->sp = user_stack_pointer(regs);
	for (k = 0; k < n && k < STP_DWARF_ENTRY_REGS; k++)
		f->val[k] = *(const unsigned long *)((const char *)regs + off[k]);
	f->val[STP_DWARF_ENTRY_REGS] = 0;
	return f;
}

/* At its return: the call's saved values into val (true), or false. */
static __maybe_unused bool stp_uprobe_entry_pop(const void *who, struct pt_regs *regs,
						unsigned long *val)
{
	struct stp_uprobe_thread *t = stp_uprobe_thread_slot(false);
	unsigned long sp = user_stack_pointer(regs);
	bool found = false;

	if (!t)
		return false;
	/* deeper frames (lower stack pointers) never returned */
	while (t->depth && t->frame[t->depth - 1].sp + sizeof(long) < sp)
		t->depth--;
	if (t->depth && t->frame[t->depth - 1].who == who && t->frame[t->depth - 1].sp <= sp) {
		t->depth--;
		memcpy(val, t->frame[t->depth].val, sizeof(t->frame[t->depth].val));
		found = true;
	}
	if (!t->depth)
		atomic_set_release(&t->tid1, 0);
	return found;
}

#endif
