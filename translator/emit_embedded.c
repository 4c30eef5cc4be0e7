/* emit_embedded.c - pass 3 for guru-mode embedded C: top-level %{ %}
 * blocks go into the module verbatim; an embedded-C function body goes
 * inside its own static C function, between #defines of SystemTap's names
 * for its arguments and return value (STAP_ARG_x, STAP_RETVALUE,
 * STAP_RETURN); CONTEXT, STAP_ERROR and STAP_PRINTF come from
 * runtime/stp_embedded.h. */
#include <string.h>

#include "emit_internal.h"

/* Where the code came from, so a kbuild error can be traced back. */
static void emit_origin(struct strbuf *out, const struct node *n, const char *what)
{
	sb_printf(out, "/* %s from %s:%d:%d */\n", what, n->tok.loc.file,
		  n->tok.loc.line, n->tok.loc.col);
}

void emit_embedded_toplevel(struct strbuf *out, const struct program *prog)
{
	const struct node *n;

	if (!prog->embeds)
		return;
	sb_add(out, "/* ---- embedded C (guru mode), verbatim ---- */\n\n");
	for (n = prog->embeds; n; n = n->next) {
		emit_origin(out, n, "embedded C");
		sb_add(out, n->str);
		sb_add(out, "\n\n");
	}
}

/* The body of an embedded-C function: the caller has set up `l` (the
 * parameters, copied into the frame), `ret`/`retbuf`, and puts `out:`
 * after it. */
void emit_embedded_body(struct strbuf *out, const struct handler *h)
{
	const struct symbol *p;
	int i;

	for (p = h->locals, i = 0; i < h->n_params; p = p->next, i++)
		sb_printf(out, "#define STAP_ARG_%s (l->l_%s)\n", p->name, p->name);
	if (h->ret_type == TYPE_STRING) {
		sb_add(out, "#define STAP_RETVALUE retbuf\n");
		sb_add(out, "#define STAP_RETURN(v) do { strscpy(retbuf, (v), MAXSTRINGLEN); goto out; } while (0)\n");
	} else if (h->ret_type == TYPE_LONG) {
		sb_add(out, "#define STAP_RETVALUE ret\n");
		sb_add(out, "#define STAP_RETURN(v) do { ret = (v); goto out; } while (0)\n");
	} else {
		sb_add(out, "#define STAP_RETURN() goto out\n");
	}
	sb_add(out, "\t{\n");
	emit_origin(out, h->probe->body, "embedded C");
	sb_add(out, h->probe->body->str);
	sb_add(out, "\n\t}\n");
	for (p = h->locals, i = 0; i < h->n_params; p = p->next, i++)
		sb_printf(out, "#undef STAP_ARG_%s\n", p->name);
	if (h->ret_type != TYPE_VOID)
		sb_add(out, "#undef STAP_RETVALUE\n");
	sb_add(out, "#undef STAP_RETURN\n");
}

/* %{ code %} as an expression; as a statement of its own it is a block. */
void emit_embedded_expr(struct emitter *em, const struct node *n)
{
	if (n->type == TYPE_STRING)
		sb_printf(em->out, "((const char *)(%s))", n->str);
	else
		sb_printf(em->out, "((int64_t)(%s))", n->str);
}

void emit_embedded_statement(struct emitter *em, const struct node *n)
{
	indent(em);
	sb_printf(em->out, "{%s}\n", n->str);
}
