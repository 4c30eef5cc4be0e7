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

/* Deterministic: the same program and defines give the same text. */
void emit_module(struct strbuf *out, const struct resolved_program *rp,
		 const struct emit_source *src, const struct string_list *defines);

#endif
