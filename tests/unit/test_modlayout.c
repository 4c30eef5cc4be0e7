/* test_modlayout.c - unit tests for translator/dwarf_modlayout.c: a module
 * static variable's distance from struct module follows the kernel loader's
 * layout of writable sections (index order, each aligned; .init* and the
 * read-only-after-init sections left out).  The object file is assembled
 * here with the host's cc, so the section order and sizes are known. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>

#include "dwarf_info.h"
#include "dwarf_internal.h"

static int passed, failed;

/* gas puts .text, .data and .bss first, then the others as they come:
 * .data (24 bytes) at 0, .bss (16) at 24, .data.first (24) at 40,
 * .gnu.linkonce.this_module (64-aligned) at 64 */
static const char assembly[] =
	"\t.text\n\tnop\n"
	"\t.data\n\t.balign 8\n\t.zero 16\nvar:\t.zero 8\n"
	"\t.bss\n\t.balign 8\n\t.zero 8\nlate:\t.zero 8\n"
	"\t.section .data.first,\"aw\"\n\t.balign 8\nfirst:\t.zero 24\n"
	"\t.section .init.data,\"aw\"\n\t.zero 100\n"
	"\t.section .data..ro_after_init,\"aw\"\n\t.zero 100\n"
	"\t.section .gnu.linkonce.this_module,\"aw\"\n\t.balign 64\n"
	"\t.globl __this_module\n__this_module:\t.zero 896\n";

static void expect(const char *path, const char *sym, uint64_t off, int want_rc, int64_t want)
{
	int64_t delta = 12345;
	int rc = dwarf_module_data_anchor(path, sym, off, &delta);

	if (rc == want_rc && (rc != 0 || delta == want)) {
		passed++;
		return;
	}
	printf("FAIL %s+%llu: rc %d delta %lld, expected rc %d delta %lld\n", sym,
	       (unsigned long long)off, rc, (long long)delta, want_rc, (long long)want);
	failed++;
}

int main(void)
{
	char dir[] = "/tmp/stapc-modlayout.XXXXXX", cmd[512], src[128], obj[128];
	FILE *f;

	if (!mkdtemp(dir))
		return 1;
	snprintf(src, sizeof(src), "%s/m.s", dir);
	snprintf(obj, sizeof(obj), "%s/m.ko", dir);
	f = fopen(src, "w");
	if (!f || fputs(assembly, f) < 0 || fclose(f) != 0)
		return 1;
	snprintf(cmd, sizeof(cmd), "cc -c -o %s %s", obj, src);
	if (system(cmd) != 0) {
		printf("FAIL: cannot assemble the test object\n");
		return 1;
	}
	expect(obj, "var", 0, 0, 16 - 64);
	expect(obj, "var", 4, 0, 20 - 64);
	expect(obj, "late", 0, 0, 24 + 8 - 64);
	expect(obj, "first", 0, 0, 40 - 64);
	expect(obj, "__this_module", 0, 0, 0);
	expect(obj, "nosuch", 0, -1, 0);
	expect("/nonexistent/m.ko", "var", 0, -1, 0);
	unlink(src);
	unlink(obj);
	rmdir(dir);
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
