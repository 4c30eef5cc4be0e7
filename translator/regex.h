/* regex.h - the translator's regular-expression compiler: a POSIX ERE
 * pattern (as SystemTap's =~ takes it) to a small program for the bounded
 * Pike VM in runtime/stp_regex_vm.h, printed into the module as a static
 * const table. */
#ifndef STAPC_REGEX_H
#define STAPC_REGEX_H

#include <stddef.h>
#include <stdint.h>

/* ORDER: the same codes as enum stp_regex_op in runtime/stp_regex_vm.h. */
enum regex_op {
	RE_CHAR,		/* ch: one byte */
	RE_ANY,			/* any byte ('.') */
	RE_CLASS,		/* x: index of a 256-bit class ([...]) */
	RE_BOL,			/* '^': at the start */
	RE_EOL,			/* '$': at the end */
	RE_SPLIT,		/* try x first, then y */
	RE_JMP,			/* x */
	RE_SAVE,		/* x: capture slot (2n start, 2n+1 end of group n) */
	RE_MATCH,
};

struct regex_insn {
	enum regex_op op;
	int ch;
	int x, y;
};

/* The runtime's limits (runtime/stp_regex_vm.h): a pattern that needs
 * more is a compile-time error. */
#define REGEX_MAX_INSNS 256
#define REGEX_MAX_GROUPS 10	/* the whole match and 9 subexpressions */

struct regex_prog {
	struct regex_insn *code;
	int n_insns;
	uint32_t (*classes)[8];	/* 256 bits each, bit c set: byte c is in */
	int n_classes;
	int n_groups;		/* subexpressions + 1 (the whole match) */
};

/* 0, or -1 with a message in err and the pattern offset it is about. */
int regex_compile(const char *pattern, struct regex_prog *out, char *err,
		  size_t errlen, int *err_offset);
void regex_free(struct regex_prog *prog);

/* Opcode name in generated C ("STP_RE_CHAR"). */
const char *regex_op_name(enum regex_op op);

#endif
