/* fuzz_elaborate.c - libFuzzer harness for pass 2 over what pass 1 accepts:
 * alias expansion, probe point conditions, overload chains, @defined
 * folding, name binding and type inference must never crash, hang or leak.
 *
 * Build and run from the top of the tree: make fuzz-elaborate FUZZ_SECONDS=300
 * (probe points resolve against tests/fixtures/kernel-tree's System.map;
 * an odd input length turns guru mode on).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "diag.h"
#include "options.h"
#include "resolved.h"
#include "symtab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int symbols_loaded;
	struct parse_options popts;
	struct options opts;
	struct program prog;
	struct resolved_program rp;
	char *text;

	if (!symbols_loaded) {
		symtab_set_target("tests/fixtures/kernel-tree");
		symbols_loaded = 1;
	}
	if (size == 0)
		return 0;
	memset(&popts, 0, sizeof(popts));
	memset(&opts, 0, sizeof(opts));
	popts.guru = opts.guru = size & 1;
	text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	memset(&prog, 0, sizeof(prog));
	if (parse_script_with("f.stp", text, &popts, &prog) == 0) {
		memset(&rp, 0, sizeof(rp));
		elaborate(&prog, &opts, &rp);
		resolved_program_free(&rp);
	}
	free(text);
	ast_free_all();
	diag_reset();
	return 0;
}
