/* test_format.c - unit tests for translator/format.c: SystemTap printf
 * formats to kernel vsnprintf formats, and the errors for bad ones. */
#include <stdio.h>
#include <string.h>

#include "format.h"

static int passed, failed;

static void expect_ok(const char *fmt, const char *kernel_fmt, const char *args)
{
	struct format_spec spec;
	char err[160], got_args[32] = "";
	int off, i;

	if (format_parse(fmt, &spec, err, sizeof(err), &off) != 0) {
		printf("FAIL %s: unexpected error %s\n", fmt, err);
		failed++;
		return;
	}
	for (i = 0; i < spec.n_args && i < 30; i++)
		got_args[i] = "lisbmh"[spec.args[i]];
	if (strcmp(spec.kernel_fmt, kernel_fmt) != 0 || strcmp(got_args, args) != 0) {
		printf("FAIL %s: got \"%s\" [%s], expected \"%s\" [%s]\n",
		       fmt, spec.kernel_fmt, got_args, kernel_fmt, args);
		failed++;
	} else {
		passed++;
	}
	format_free(&spec);
}

static void expect_error(const char *fmt, const char *msg, int offset)
{
	struct format_spec spec;
	char err[160];
	int off = -1;

	if (format_parse(fmt, &spec, err, sizeof(err), &off) == 0) {
		printf("FAIL %s: accepted, expected error %s\n", fmt, msg);
		format_free(&spec);
		failed++;
	} else if (strcmp(err, msg) != 0 || off != offset) {
		printf("FAIL %s: error \"%s\" at %d, expected \"%s\" at %d\n",
		       fmt, err, off, msg, offset);
		failed++;
	} else {
		passed++;
	}
}

int main(void)
{
	expect_ok("plain text\n", "plain text\n", "");
	expect_ok("%d %i %u", "%lld %lld %llu", "lll");
	expect_ok("%x %X %o", "%llx %llX %llo", "lll");
	expect_ok("%s|%c", "%s|%c", "si");
	expect_ok("100%%", "100%%", "");
	expect_ok("%-10s|%05d|%+d|% d|%#x", "%-10s|%05lld|%+lld|% lld|%#llx", "sllll");
	expect_ok("%*d %.*s", "%*lld %.*s", "ilis");
	expect_ok("%.3s %10.4d", "%.3s %10.4lld", "sl");
	expect_ok("%ld %lld %hd %zu", "%lld %lld %lld %llu", "llll");
	expect_ok("at %p", "at 0x%016llx", "l");
	expect_ok("%-20p|", "0x%016llx|", "l");
	/* flags the kernel ignores and gcc's format check rejects are dropped */
	expect_ok("%-05d|%+ d|% +i", "%-5lld|%+lld|%+lld", "lll");
	expect_ok("%#d %#u %+u % x %+X %+o", "%lld %llu %llu %llx %llX %llo", "llllll");
	expect_ok("%05s|%#-3c|%+ s|%5.2c", "%5s|%-3c|%s|%5c", "sisi");
	expect_ok("%08.3d|%05.8x|%0*.2d|%-08.3u", "%08lld|%5.8llx|%*.2lld|%-8.3llu", "llill");
	expect_error("%y", "invalid format conversion '%y'", 0);
	expect_error("ab %", "incomplete conversion at the end of the format", 3);
	expect_error("%5", "incomplete conversion at the end of the format", 0);
	expect_ok("%#x %#o %+d %-*s|%.*s", "%#llx %#llo %+lld %-*s|%.*s", "lllisis");
	expect_ok("x%b", "x%c%c%c%c%c%c%c%c", "b");
	expect_ok("%1b%2b%4b", "%c%c%c%c%c%c%c", "bbb");
	expect_ok("%m|%5.3m|%-8.2m|%*.4m", "%s|%5s|%-8s|%*s", "mmmim");
	expect_ok("%M %4.2M", "%s %s", "hh");
	expect_error("x%3b", "%b writes 1, 2, 4 or 8 bytes", 1);
	expect_error("%*b", "'*' width is not allowed with %b", 0);
	expect_error("%.*m", "'*' precision is not allowed here; give the length as a number", 0);
	expect_error("%.0M", "%m and %M read 1 to 1024 bytes", 0);
	expect_error("%*M", "'*' width is not allowed with %M", 0);
	expect_error("%n", "invalid format conversion '%n'", 0);
	expect_error("%\001", "invalid format conversion at byte 1", 0);
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
