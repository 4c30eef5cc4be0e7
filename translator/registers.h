/* registers.h - register names of each target architecture, mapped to the
 * struct pt_regs fields that register() reads. */
#ifndef STAPC_REGISTERS_H
#define STAPC_REGISTERS_H

/* The target's SystemTap architecture name ("x86_64", "arm64"); set once
 * by the driver before pass 2, "x86_64" until then. */
void registers_set_arch(const char *arch);
const char *registers_arch(void);

/* The pt_regs field (a C lvalue suffix) for a register of the target, or
 * NULL when the target has no such register. */
const char *register_field(const char *name);

/* The architecture that does have `name` when the target does not, for
 * the error message; NULL if none does. */
const char *register_other_arch(const char *name);

/* The pt_regs field of DWARF register `regno` on the target (x86-64
 * psABI numbering; arm64: 0-30 are x0-x30, 31 is sp), or NULL. */
const char *register_dwarf_field(unsigned int regno);

/* A register name to show in messages ("rdi", "x0"). */
const char *register_example(void);

#endif
