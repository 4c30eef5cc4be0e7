/* elaborate_embedded.c - pass 2 for guru-mode embedded C: where %{ ... %}
 * and @const("NAME") may appear (guru mode -g, or any tapset file, as in
 * SystemTap) and what type an embedded-C expression has.  The C itself is never looked into,
 * except for SystemTap's pragma comments. */
#include <string.h>

#include "diag.h"
#include "options.h"

#include "elaborate_internal.h"

/* Report embedded C outside guru mode; library (tapset) files may use it. */
int embedded_allowed(struct elab *e, const struct node *n, const char *what)
{
	if (e->guru || is_library_file(n->tok.loc.file, e->opts))
		return 1;
	diag_error("semantic error", &n->tok, "%s needs guru mode (-g)", what);
	return 0;
}

/*
 * %{ expr %} in a probe or function: a long, or a string when the code
 * carries SystemTap's pragma comment for it.  Reported once, in the
 * final round.
 */
enum stp_type infer_embedded_expr(struct elab *e, struct node *n)
{
	if (e->reporting)
		embedded_allowed(e, n, "embedded C in an expression");
	n->type = strstr(n->str, "/* string */") ? TYPE_STRING : TYPE_LONG;
	return n->type;
}

/* @const("NAME"): a C constant (a macro of the kernel's headers, or of a
 * top-level %{ %} block) as a long; C the user writes, so guru mode. */
enum stp_type infer_const(struct elab *e, struct node *n)
{
	if (e->reporting)
		embedded_allowed(e, n, "@const");
	n->type = TYPE_LONG;
	return n->type;
}
