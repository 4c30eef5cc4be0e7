/* registers.c - register() names per architecture: x86-64 and arm64
 * (AAPCS64: x0-x7 carry the arguments, x0 the return value). */
#include "registers.h"

#include <stddef.h>
#include <string.h>

struct reg_name {
	const char *name;
	const char *field;	/* member of the kernel's struct pt_regs */
};

/* x86-64 names and their 32-bit halves: the halves read the whole
 * register, as SystemTap's do */
static const struct reg_name x86_64_regs[] = {
	{ "rax", "ax" }, { "eax", "ax" }, { "rbx", "bx" }, { "ebx", "bx" },
	{ "rcx", "cx" }, { "ecx", "cx" }, { "rdx", "dx" }, { "edx", "dx" },
	{ "rsi", "si" }, { "esi", "si" }, { "rdi", "di" }, { "edi", "di" },
	{ "rbp", "bp" }, { "ebp", "bp" }, { "rsp", "sp" }, { "esp", "sp" },
	{ "rip", "ip" }, { "eip", "ip" }, { "r8", "r8" }, { "r9", "r9" },
	{ "r10", "r10" }, { "r11", "r11" }, { "r12", "r12" }, { "r13", "r13" },
	{ "r14", "r14" }, { "r15", "r15" }, { "ax", "ax" }, { "bx", "bx" },
	{ "cx", "cx" }, { "dx", "dx" }, { "si", "si" }, { "di", "di" },
	{ "bp", "bp" }, { "sp", "sp" }, { "ip", "ip" }, { "orig_rax", "orig_ax" },
	{ "flags", "flags" },
	{ NULL, NULL }
};

/* arm64: x0..x30 live in regs[], then sp, pc and pstate */
static const struct reg_name arm64_regs[] = {
	{ "x0", "regs[0]" }, { "x1", "regs[1]" }, { "x2", "regs[2]" },
	{ "x3", "regs[3]" }, { "x4", "regs[4]" }, { "x5", "regs[5]" },
	{ "x6", "regs[6]" }, { "x7", "regs[7]" }, { "x8", "regs[8]" },
	{ "x9", "regs[9]" }, { "x10", "regs[10]" }, { "x11", "regs[11]" },
	{ "x12", "regs[12]" }, { "x13", "regs[13]" }, { "x14", "regs[14]" },
	{ "x15", "regs[15]" }, { "x16", "regs[16]" }, { "x17", "regs[17]" },
	{ "x18", "regs[18]" }, { "x19", "regs[19]" }, { "x20", "regs[20]" },
	{ "x21", "regs[21]" }, { "x22", "regs[22]" }, { "x23", "regs[23]" },
	{ "x24", "regs[24]" }, { "x25", "regs[25]" }, { "x26", "regs[26]" },
	{ "x27", "regs[27]" }, { "x28", "regs[28]" }, { "x29", "regs[29]" },
	{ "x30", "regs[30]" }, { "fp", "regs[29]" }, { "lr", "regs[30]" },
	{ "sp", "sp" }, { "pc", "pc" }, { "pstate", "pstate" },
	{ "orig_x0", "orig_x0" },
	{ NULL, NULL }
};

static const struct {
	const char *arch;
	const struct reg_name *regs;
	const char *example;
} arches[] = {
	{ "x86_64", x86_64_regs, "rdi" },
	{ "arm64", arm64_regs, "x0" },
};

static const char *target_arch = "x86_64";

void registers_set_arch(const char *arch)
{
	target_arch = arch;
}

const char *registers_arch(void)
{
	return target_arch;
}

static const char *lookup(const struct reg_name *regs, const char *name)
{
	for (; regs->name; regs++)
		if (strcmp(regs->name, name) == 0)
			return regs->field;
	return NULL;
}

const char *register_field(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		if (strcmp(arches[i].arch, target_arch) == 0)
			return lookup(arches[i].regs, name);
	return NULL;
}

const char *register_other_arch(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		if (strcmp(arches[i].arch, target_arch) != 0 && lookup(arches[i].regs, name))
			return arches[i].arch;
	return NULL;
}

/* x86-64 DWARF numbers (psABI): rax rdx rcx rbx rsi rdi rbp rsp r8-r15 */
static const char *const x86_64_dwarf[] = {
	"ax", "dx", "cx", "bx", "si", "di", "bp", "sp",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};

const char *register_dwarf_field(unsigned int regno)
{
	if (strcmp(target_arch, "arm64") == 0)
		return regno <= 30 ? arm64_regs[regno].field : regno == 31 ? "sp" : NULL;
	if (strcmp(target_arch, "x86_64") == 0 &&
	    regno < sizeof(x86_64_dwarf) / sizeof(x86_64_dwarf[0]))
		return x86_64_dwarf[regno];
	return NULL;
}

const char *register_example(void)
{
	size_t i;

	for (i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		if (strcmp(arches[i].arch, target_arch) == 0)
			return arches[i].example;
	return "rdi";
}
