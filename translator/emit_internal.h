/* emit_internal.h - what the files of pass 3 share (emit.c and
 * emit_arrays.c); nothing outside pass 3 includes it. */
#ifndef STAPC_EMIT_INTERNAL_H
#define STAPC_EMIT_INTERNAL_H

#include "emit.h"

struct emitter {
	struct strbuf *out;
	const struct emit_source *src;
	struct handler *handler;
	int indent;
	int used_out_label;		/* a goto out was emitted */
	int last_comment_line;
	/* where the next builtin template's $T result goes instead of its
	 * temporary (an array key slot: the string is built in place) */
	const char *temp_dest;
	int catch_label;		/* errors go to catch_<n>; -1: to out */
	int catch_used;			/* an error check jumped to catch_label */
	int n_tries;			/* try statements so far in this body */
};

void indent(struct emitter *em);
void emit_where(struct emitter *em, const struct node *n);
void emit_var(struct emitter *em, const struct symbol *s);
void emit_expr(struct emitter *em, struct node *n);
void emit_goto_out(struct emitter *em);
void emit_error_check(struct emitter *em);
void emit_block_body(struct emitter *em, struct node *s);
int may_error(const struct node *n);	/* emit_traits.c */

/* emit_arrays.c */
void emit_array_expr(struct emitter *em, struct node *n);
void emit_foreach(struct emitter *em, struct node *s);
void emit_delete(struct emitter *em, struct node *s);
void emit_hist_print(struct emitter *em, struct node *hist);
/* An assignment target: for an array element this opens a C statement
 * expression that finds (or adds) the element; returns the C lvalue to
 * use (free it), and lvalue_end() closes what lvalue_begin() opened. */
char *lvalue_begin(struct emitter *em, struct node *lhs, struct node *at);
void lvalue_end(struct emitter *em, struct node *lhs);
/* Globals: declarations, and the alloc/free functions they need. */
void emit_array_globals(struct strbuf *out, const struct resolved_program *rp);
int emit_globals_alloc(struct strbuf *out, const struct resolved_program *rp);
void emit_key_slots(struct strbuf *out, const struct handler *h);

/* emit_embedded.c: guru-mode embedded C */
void emit_embedded_toplevel(struct strbuf *out, const struct program *prog);
void emit_embedded_body(struct strbuf *out, const struct handler *h);
void emit_embedded_expr(struct emitter *em, const struct node *n);
void emit_embedded_statement(struct emitter *em, const struct node *n);

/* emit_regex.c: =~ and !~; tables returns whether there were any */
int emit_regex_tables(struct strbuf *out, const struct resolved_program *rp);
void emit_regex_match(struct emitter *em, struct node *n);

#endif
