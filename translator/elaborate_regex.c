/* elaborate_regex.c - pass 2 for s =~ "re" and s !~ "re": the subject is
 * a string, and the pattern (a literal, the grammar sees to that) must
 * compile for the kernel's matcher; the result is a long (1 or 0). */
#include "diag.h"
#include "regex.h"

#include "elaborate_internal.h"

enum stp_type infer_regex(struct elab *e, struct node *n)
{
	struct regex_prog prog;
	char err[160];
	int off;

	infer(e, n->lhs);
	require(e, n->lhs, TYPE_STRING);
	n->type = TYPE_LONG;
	if (!e->reporting)
		return n->type;
	if (regex_compile(n->rhs->str, &prog, err, sizeof(err), &off) < 0)
		diag_error("semantic error", &n->rhs->tok,
			   "invalid regular expression \"%s\": %s (at offset %d)",
			   n->rhs->str, err, off);
	else
		regex_free(&prog);
	return n->type;
}
