/* builtins.h - functions the translator implements itself (no tapset
 * script behind them yet): their signature for pass 2, and for pass 3
 * either a special emitter (print family, register) or a C template that
 * calls into runtime/stp_builtins.h. */
#ifndef STAPC_BUILTINS_H
#define STAPC_BUILTINS_H

#include "ast.h"

enum builtin_id {
	BI_TEMPLATE,		/* emitted from c_template */
	BI_PRINT,
	BI_PRINTLN,
	BI_PRINTF,
	BI_SPRINTF,
	BI_SPRINT,		/* print and println into a string */
	BI_SPRINTLN,
	BI_PRINTD,		/* printd(delim, ...): arguments between delim */
	BI_PRINTDLN,
	BI_SPRINTD,
	BI_SPRINTDLN,
	BI_REGISTER,		/* register("rdi"): the name must be a literal */
};

struct builtin {
	const char *name;
	enum builtin_id id;
	/* One letter per parameter, 'l' long or 's' string; "*" for the
	 * print family, whose arguments are checked by id. */
	const char *params;
	enum stp_type result;
	/* C expression: $1..$9 the arguments, $T a string temporary for the
	 * result, $W the "near ... at FILE:LINE:COL" string; `c` is the
	 * handler's context. */
	const char *c_template;
};

const struct builtin *builtin_lookup(const char *name);
/* The builtin name closest to `name` (for "did you mean"), or NULL. */
const char *builtin_suggest(const char *name);
/* Does the builtin's result need a string temporary? */
int builtin_needs_temp(const struct builtin *b);
/* The print family's variants: into a string?  with a newline?  with a
 * delimiter (the first argument, a literal)? */
int builtin_prints_to_string(const struct builtin *b);
int builtin_prints_newline(const struct builtin *b);
int builtin_prints_delimited(const struct builtin *b);
/* Does its result depend on earlier calls (tokenize, matched)? */
int builtin_has_state(const struct builtin *b);

#endif
