/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_regex_vm.h - the matcher for =~ and !~: a Pike VM that runs the
 * program stapc compiled from the pattern (translator/regex.c).
 *
 * Its work is bounded: at each of the at most MAXSTRINGLEN positions every
 * instruction is visited at most once (one thread per instruction, the
 * classic Pike VM), so a match costs at most about MAXSTRINGLEN *
 * STP_REGEX_MAX_INSNS steps whatever the pattern, and there is no
 * backtracking.  No recursion and no allocation: all state is in the
 * struct stp_regex_vm the caller gives (a per-CPU scratch area).
 *
 * The overall match is POSIX's leftmost-longest; subexpressions come from
 * the highest-priority thread that gives it (greedy operators prefer
 * more).  Plain C with no kernel calls, so tests/unit/ runs it too.
 */
#ifndef STP_REGEX_VM_H
#define STP_REGEX_VM_H

#define STP_REGEX_MAX_INSNS 256		/* translator/regex.h: REGEX_MAX_INSNS */
#define STP_REGEX_MAX_GROUPS 10		/* the whole match and 9 subexpressions */
#define STP_REGEX_UNSET 0xffff		/* a subexpression that took no part */

/* ORDER: enum regex_op in translator/regex.h */
enum stp_regex_op {
	STP_RE_CHAR, STP_RE_ANY, STP_RE_CLASS, STP_RE_BOL, STP_RE_EOL,
	STP_RE_SPLIT, STP_RE_JMP, STP_RE_SAVE, STP_RE_MATCH,
};

struct stp_regex_insn {
	u8 op;
	u8 ch;		/* STP_RE_CHAR */
	u16 x;		/* CLASS: class; SPLIT: preferred; JMP: target; SAVE: slot */
	u16 y;		/* SPLIT: the other */
};

struct stp_regex {
	const char *pattern;		/* as written, for messages */
	const struct stp_regex_insn *code;
	const u32 (*classes)[8];	/* 256-bit sets of bytes */
	u16 n_insns;
	u16 n_groups;			/* with group 0, the whole match */
};

struct stp_regex_thread {
	u16 pc;
	u16 caps[2 * STP_REGEX_MAX_GROUPS];
};

struct stp_regex_list {
	unsigned int n;
	struct stp_regex_thread t[STP_REGEX_MAX_INSNS];
};

struct stp_regex_vm {
	struct stp_regex_list lists[2];
	u32 mark[STP_REGEX_MAX_INSNS];	/* == gen: already in the list being built */
	u32 gen;
	struct { u16 pc; s16 slot; u16 val; } stack[3 * STP_REGEX_MAX_INSNS];
	u16 tmp[2 * STP_REGEX_MAX_GROUPS];	/* captures of the thread being added */
};

static inline void stp_regex_next_gen(struct stp_regex_vm *vm)
{
	if (++vm->gen == 0) {	/* wrapped: forget all marks */
		memset(vm->mark, 0, sizeof(vm->mark));
		vm->gen = 1;
	}
}

/* Add the thread at pc (captures in vm->tmp) and every thread its
 * non-consuming instructions lead to, in priority order. */
static void stp_regex_add(struct stp_regex_vm *vm, const struct stp_regex *re,
			  struct stp_regex_list *l, unsigned int pc0,
			  const char *s, unsigned int max_len, unsigned int pos)
{
	unsigned int sp = 0, ncaps = 2 * re->n_groups;

	vm->stack[sp].pc = pc0;
	vm->stack[sp++].slot = -1;
	while (sp) {
		unsigned int pc = vm->stack[--sp].pc;
		const struct stp_regex_insn *in;
		int slot = vm->stack[sp].slot;

		if (slot >= 0) {	/* leaving a SAVE: undo it */
			vm->tmp[slot] = vm->stack[sp].val;
			continue;
		}
		if (pc >= re->n_insns || vm->mark[pc] == vm->gen)
			continue;
		vm->mark[pc] = vm->gen;
		in = &re->code[pc];
		switch (in->op) {
		case STP_RE_JMP:
			vm->stack[sp].pc = in->x;
			vm->stack[sp++].slot = -1;
			break;
		case STP_RE_SPLIT:
			vm->stack[sp].pc = in->y;
			vm->stack[sp++].slot = -1;
			vm->stack[sp].pc = in->x;
			vm->stack[sp++].slot = -1;
			break;
		case STP_RE_SAVE:
			vm->stack[sp].slot = in->x;
			vm->stack[sp++].val = vm->tmp[in->x];
			vm->tmp[in->x] = pos;
			vm->stack[sp].pc = pc + 1;
			vm->stack[sp++].slot = -1;
			break;
		case STP_RE_BOL:
			if (pos == 0) {
				vm->stack[sp].pc = pc + 1;
				vm->stack[sp++].slot = -1;
			}
			break;
		case STP_RE_EOL:
			if (pos >= max_len || s[pos] == '\0') {
				vm->stack[sp].pc = pc + 1;
				vm->stack[sp++].slot = -1;
			}
			break;
		default:	/* consumes a byte, or matches: a thread */
			l->t[l->n].pc = pc;
			memcpy(l->t[l->n].caps, vm->tmp, ncaps * sizeof(u16));
			l->n++;
		}
	}
}

/* Match s (at most max_len bytes) against re: true and the captures in
 * caps[2 * re->n_groups] (STP_REGEX_UNSET where a group took no part). */
static bool stp_regex_run(struct stp_regex_vm *vm, const struct stp_regex *re,
			  const char *s, unsigned int max_len, u16 *caps)
{
	struct stp_regex_list *cur = &vm->lists[0], *next = &vm->lists[1], *swap;
	unsigned int ncaps = 2 * re->n_groups, pos, i;
	bool matched = false;

	stp_regex_next_gen(vm);
	cur->n = 0;
	for (pos = 0;; pos++) {
		u8 ch = pos < max_len ? (u8)s[pos] : 0;

		if (!matched) {	/* a new start, after all earlier ones */
			memset(vm->tmp, 0xff, ncaps * sizeof(u16));
			stp_regex_add(vm, re, cur, 0, s, max_len, pos);
		}
		if (cur->n == 0)
			break;
		stp_regex_next_gen(vm);
		next->n = 0;
		for (i = 0; i < cur->n; i++) {
			const struct stp_regex_thread *t = &cur->t[i];
			const struct stp_regex_insn *in = &re->code[t->pc];
			bool step = false;

			/* leftmost: once a match is known, later starts lose */
			if (matched && t->caps[0] > caps[0])
				continue;
			switch (in->op) {
			case STP_RE_MATCH:
				/* longest: among equal starts, the later end */
				if (!matched || t->caps[0] < caps[0] ||
				    (t->caps[0] == caps[0] && t->caps[1] > caps[1]))
					memcpy(caps, t->caps, ncaps * sizeof(u16));
				matched = true;
				break;
			case STP_RE_CHAR:
				step = ch && ch == in->ch;
				break;
			case STP_RE_ANY:
				step = ch;
				break;
			case STP_RE_CLASS:
				step = ch && (re->classes[in->x][ch >> 5] >> (ch & 31)) & 1;
				break;
			}
			if (step) {
				memcpy(vm->tmp, t->caps, ncaps * sizeof(u16));
				stp_regex_add(vm, re, next, t->pc + 1, s, max_len, pos + 1);
			}
		}
		if (!ch)
			break;
		swap = cur;
		cur = next;
		next = swap;
	}
	return matched;
}

#endif
