/* fuzz_parser.c - libFuzzer harness for pass 1: no crash, hang or leak on any input, and -p1 output re-parses to itself. */
/*
 * Build and run (clang; from the top of the tree, after `make` generated
 * build/gen/):
 *
 *   clang -g -O1 -std=gnu11 -fsanitize=fuzzer,address,undefined -Iparser -Ibuild/gen \
 *     -Wno-unused-function -o build/fuzz_parser tests/parse/fuzz/fuzz_parser.c \
 *     parser/*.c build/gen/lexer.c build/gen/grammar.c
 * (or simply: make fuzz FUZZ_SECONDS=300)
 *   mkdir -p build/fuzz-corpus
 *   ASAN_OPTIONS=log_path=build/fuzz-asan build/fuzz_parser -close_fd_mask=2 \
 *     -max_total_time=300 -dict=tests/parse/fuzz/stap.dict \
 *     build/fuzz-corpus tests/parse/ok tests/parse/ko
 *
 * (-close_fd_mask=2 silences the parse errors; sanitizer reports then go
 * to build/fuzz-asan.PID.)
 *
 * The first input byte chooses the script arguments and kernel release, so
 * $1 @1 $# and %( kernel_v ... %) are exercised too.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "diag.h"

static char *print_to_string(const struct program *prog)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ast_print_program(f, prog);
	fclose(f);
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const argv[] = { "5", "-3", "x y", "0x10", "08" };
	static const char *const kconfig[] = { "CONFIG_FOO=y", "CONFIG_N=12", NULL };

	if (size == 0)
		return 0;
	struct parse_options opts;
	memset(&opts, 0, sizeof(opts));
	opts.argc = data[0] % 6;
	opts.argv = argv;
	opts.kernel_release = data[0] & 0x80 ? "6.1.0-56-amd64" : "5.10.0";
	opts.guru = data[0] & 0x40 ? 1 : 0;
	opts.kconfig = kconfig;

	char *text = malloc(size);
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';

	struct program prog;
	memset(&prog, 0, sizeof(prog));
	int errors = parse_script_with("f.stp", text, &opts, &prog);
	if (errors == 0) {
		char *p1 = print_to_string(&prog);
		struct program again;
		memset(&again, 0, sizeof(again));
		if (parse_script("f.p1", p1, &again) != 0) {
			fprintf(stdout, "-p1 output does not parse:\n%s\n", p1);
			abort();
		}
		char *p2 = print_to_string(&again);
		if (strcmp(p1, p2) != 0) {
			fprintf(stdout, "-p1 output not stable:\n%s\n---\n%s\n", p1, p2);
			abort();
		}
		free(p2);
		free(p1);
	}
	free(text);
	ast_free_all();
	diag_reset();
	return 0;
}
