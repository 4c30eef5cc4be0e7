/* emit.h - pass 3 entry point: resolved program in, module C text out. */
#ifndef STAPC_EMIT_H
#define STAPC_EMIT_H

#include "options.h"
#include "resolved.h"
#include "util.h"

/* The user script, so each statement's line can be quoted above its C. */
struct emit_source {
	const char *file;
	const char *text;
};

/* What a handler's code can do, so the probe path skips work the handler
 * cannot need (the flags become constants in the generated probe structs,
 * and the compiler drops the checks).  Conservative: a call to a script
 * function, embedded C or anything unknown counts as everything. */
struct handler_traits {
	int may_print;		/* writes to the hit's output buffer */
	int may_error;		/* can set the hit's error */
	int counts_actions;	/* runs loops (MAXACTION) or try/catch */
};
void handler_traits(const struct handler *h, struct handler_traits *t);

/* Deterministic: the same program and defines give the same text. */
void emit_module(struct strbuf *out, const struct resolved_program *rp,
		 const struct emit_source *src, const struct string_list *defines);

#endif
