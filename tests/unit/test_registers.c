/* test_registers.c - unit tests for translator/registers.c: register()
 * names and DWARF register numbers map to the target architecture's
 * struct pt_regs fields, and never to the other architecture's. */
#include <stdio.h>
#include <string.h>

#include "registers.h"

static int passed, failed;

static void expect(const char *what, const char *got, const char *want)
{
	if ((!got && !want) || (got && want && strcmp(got, want) == 0)) {
		passed++;
		return;
	}
	printf("FAIL %s [%s]: got %s, expected %s\n", what, registers_arch(),
	       got ? got : "NULL", want ? want : "NULL");
	failed++;
}

int main(void)
{
	/* x86-64 is the default, before the driver names a target */
	expect("register rdi", register_field("rdi"), "di");
	expect("register eax", register_field("eax"), "ax");
	expect("register x0", register_field("x0"), NULL);
	expect("other arch of x0", register_other_arch("x0"), "arm64");
	expect("other arch of rdi", register_other_arch("rdi"), NULL);
	expect("dwarf 5", register_dwarf_field(5), "di");
	expect("dwarf 7", register_dwarf_field(7), "sp");
	expect("dwarf 16", register_dwarf_field(16), NULL);
	expect("example", register_example(), "rdi");

	registers_set_arch("arm64");
	expect("register x0", register_field("x0"), "regs[0]");
	expect("register x7", register_field("x7"), "regs[7]");
	expect("register x30", register_field("x30"), "regs[30]");
	expect("register lr", register_field("lr"), "regs[30]");
	expect("register fp", register_field("fp"), "regs[29]");
	expect("register sp", register_field("sp"), "sp");
	expect("register pc", register_field("pc"), "pc");
	expect("register pstate", register_field("pstate"), "pstate");
	expect("register x31", register_field("x31"), NULL);
	expect("register rdi", register_field("rdi"), NULL);
	expect("register ip", register_field("ip"), NULL);
	expect("other arch of rdi", register_other_arch("rdi"), "x86_64");
	expect("other arch of ip", register_other_arch("ip"), "x86_64");
	expect("other arch of zz", register_other_arch("zz"), NULL);
	expect("dwarf 0", register_dwarf_field(0), "regs[0]");
	expect("dwarf 29", register_dwarf_field(29), "regs[29]");
	expect("dwarf 31", register_dwarf_field(31), "sp");
	expect("dwarf 32", register_dwarf_field(32), NULL);
	expect("example", register_example(), "x0");

	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
