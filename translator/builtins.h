/* builtins.h - functions the translator implements itself (no tapset
 * script behind them): their arity and result type for pass 2, their id
 * for pass 3. */
#ifndef STAPC_BUILTINS_H
#define STAPC_BUILTINS_H

#include "ast.h"

enum builtin_id {
	BI_PRINT,
	BI_PRINTLN,
	BI_PRINTF,
	BI_EXIT,
};

struct builtin {
	const char *name;
	enum builtin_id id;
	int min_args, max_args;		/* max -1: any number */
	enum stp_type result;
};

const struct builtin *builtin_lookup(const char *name);
/* The builtin name closest to `name` (for "did you mean"), or NULL. */
const char *builtin_suggest(const char *name);

#endif
