/* emit_regex.c - pass 3 for regular expressions: each distinct pattern
 * of the program becomes a static const program for the kernel's Pike VM
 * (runtime/stp_regex_vm.h), compiled by translator/regex.c; =~ and !~
 * call stp_regex_match() with it. */
#include <stdlib.h>
#include <string.h>

#include "regex.h"
#include "walk.h"

#include "emit_internal.h"

struct regex_numbering {
	struct node **seen;	/* the first node of each distinct pattern */
	int n;
};

static void number_regex(struct node *n, void *arg)
{
	struct regex_numbering *rn = arg;
	int i;

	if (n->kind != N_REGEX)
		return;
	for (i = 0; i < rn->n; i++)
		if (strcmp(rn->seen[i]->rhs->str, n->rhs->str) == 0)
			break;
	if (i == rn->n) {
		rn->seen = realloc(rn->seen, sizeof(*rn->seen) * (rn->n + 1));
		if (!rn->seen)
			abort();
		rn->seen[rn->n++] = n;
	}
	n->num = i;	/* N_REGEX has no number of its own: regex_<num> */
}

static void emit_one(struct strbuf *out, int index, const char *pattern)
{
	struct regex_prog prog;
	const char *p;
	char err[160];
	int off, i, w;

	/* pass 2 compiled it already */
	if (regex_compile(pattern, &prog, err, sizeof(err), &off) < 0)
		return;
	sb_add(out, "/* ");
	for (p = pattern; *p; p++)	/* the pattern, safe inside a comment */
		sb_addn(out, (p[0] == '*' && p[1] == '/') || (p[0] == '/' && p[1] == '*') ? "_" : p, 1);
	sb_add(out, " */\n");
	if (prog.n_classes) {
		sb_printf(out, "static const u32 regex_%d_classes[][8] = {\n", index);
		for (i = 0; i < prog.n_classes; i++) {
			sb_add(out, "\t{");
			for (w = 0; w < 8; w++)
				sb_printf(out, " 0x%08x,", prog.classes[i][w]);
			sb_add(out, " },\n");
		}
		sb_add(out, "};\n");
	}
	sb_printf(out, "static const struct stp_regex_insn regex_%d_code[] = {\n", index);
	for (i = 0; i < prog.n_insns; i++) {
		const struct regex_insn *in = &prog.code[i];

		sb_printf(out, "\t/* %3d */ { %s", i, regex_op_name(in->op));
		if (in->op == RE_CHAR && in->ch > 0x20 && in->ch < 0x7f && in->ch != '\'' &&
		    in->ch != '\\')
			sb_printf(out, ", '%c'", in->ch);
		else if (in->op == RE_CHAR)
			sb_printf(out, ", 0x%02x", in->ch);
		else if (in->op == RE_SPLIT)
			sb_printf(out, ", 0, %d, %d", in->x, in->y);
		else if (in->op == RE_JMP || in->op == RE_SAVE || in->op == RE_CLASS)
			sb_printf(out, ", 0, %d", in->x);
		sb_add(out, " },\n");
	}
	sb_add(out, "};\n");
	sb_printf(out, "static const struct stp_regex regex_%d = {\n\t.pattern = ", index);
	sb_add_c_string(out, pattern);
	sb_printf(out, ",\n\t.code = regex_%d_code,\n", index);
	if (prog.n_classes)
		sb_printf(out, "\t.classes = regex_%d_classes,\n", index);
	sb_printf(out, "\t.n_insns = %d,\n\t.n_groups = %d,\n};\n\n", prog.n_insns, prog.n_groups);
	regex_free(&prog);
}

int emit_regex_tables(struct strbuf *out, const struct resolved_program *rp)
{
	struct handler *lists[2] = { rp->functions, rp->handlers }, *h;
	struct regex_numbering rn = { 0 };
	int i;

	for (i = 0; i < 2; i++)
		for (h = lists[i]; h; h = h->next)
			if (!h->is_function || h->reachable)
				walk_nodes(h->probe->body, number_regex, &rn);
	if (!rn.n)
		return 0;
	sb_add(out, "/* ---- regular expressions, compiled for the Pike VM in stp_regex_vm.h ---- */\n\n");
	for (i = 0; i < rn.n; i++)
		emit_one(out, i, rn.seen[i]->rhs->str);
	free(rn.seen);
	return 1;
}

void emit_regex_match(struct emitter *em, struct node *n)
{
	sb_printf(em->out, "%sstp_regex_match(c, &regex_%d, ", n->op == OP_NMATCH ? "(!" : "",
		  (int)n->num);
	emit_expr(em, n->lhs);
	sb_add(em->out, n->op == OP_NMATCH ? "))" : ")");
}
