/* regex.c - POSIX ERE to a Pike-VM program (see regex.h).
 *
 * A recursive-descent parser builds a small tree; code generation is the
 * classic Thompson construction, with SAVE instructions around each
 * parenthesized subexpression.  Counted repetition {m,n} is unrolled, so
 * the program size bounds the matcher's work; patterns whose program
 * exceeds the runtime's limits are refused here, at compile time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regex.h"
#include "util.h"

enum re_kind { K_EMPTY, K_CHAR, K_ANY, K_CLASS, K_BOL, K_EOL, K_CAT, K_ALT,
	       K_REPEAT, K_GROUP };

struct re_node {
	enum re_kind kind;
	int ch;			/* K_CHAR */
	int cls;		/* K_CLASS: index into classes */
	int min, max;		/* K_REPEAT: max -1 = unbounded */
	int group;		/* K_GROUP: its number (1-based) */
	struct re_node *a, *b;	/* K_CAT, K_ALT: a then b; K_REPEAT/K_GROUP: a */
};

struct re_parser {
	const char *pat;
	int pos;
	char *err;
	size_t errlen;
	int err_pos;
	int failed;
	struct regex_prog *prog;
	struct re_node **nodes;	/* every node, to free them */
	int n_nodes;
};

static struct re_node *new_node(struct re_parser *p, enum re_kind kind)
{
	struct re_node *n = xcalloc(1, sizeof(*n));

	n->kind = kind;
	p->nodes = realloc(p->nodes, sizeof(*p->nodes) * (p->n_nodes + 1));
	if (!p->nodes)
		abort();
	p->nodes[p->n_nodes++] = n;
	return n;
}

static struct re_node *fail(struct re_parser *p, int pos, const char *msg)
{
	if (!p->failed) {
		snprintf(p->err, p->errlen, "%s", msg);
		p->err_pos = pos;
		p->failed = 1;
	}
	return NULL;
}

static struct re_node *binary(struct re_parser *p, enum re_kind kind,
			      struct re_node *a, struct re_node *b)
{
	struct re_node *n;

	if (!a)
		return b;
	n = new_node(p, kind);
	n->a = a;
	n->b = b;
	return n;
}

/* ---- bracket expressions [...] ---- */

static const struct {
	const char *name;
	const char *members;	/* ranges as pairs: "azAZ" */
} char_classes[] = {
	{ "alpha", "azAZ" }, { "digit", "09" }, { "alnum", "azAZ09" },
	{ "upper", "AZ" }, { "lower", "az" }, { "xdigit", "09afAF" },
	{ "space", "\t\r  " },	/* \t \n \v \f \r and ' ' */
	{ "blank", "\t\t  " },
	{ "punct", "!/:@[`{~" }, { "print", " ~" }, { "graph", "!~" },
	{ "cntrl", "\x01\x1f\x7f\x7f" },
};

static void set_bit(uint32_t *bits, int c)
{
	bits[(c & 0xff) >> 5] |= 1u << (c & 31);
}

static int add_named_class(uint32_t *bits, const char *name, size_t len)
{
	size_t i;
	const char *r;

	for (i = 0; i < sizeof(char_classes) / sizeof(char_classes[0]); i++) {
		if (strlen(char_classes[i].name) != len ||
		    strncmp(char_classes[i].name, name, len) != 0)
			continue;
		for (r = char_classes[i].members; r[0] && r[1]; r += 2) {
			int c;

			for (c = (unsigned char)r[0]; c <= (unsigned char)r[1]; c++)
				set_bit(bits, c);
		}
		return 0;
	}
	return -1;
}

/* bracket: '[' '^'? ']'? (char | char-char | [:name:])* ']' */
static struct re_node *parse_bracket(struct re_parser *p)
{
	int start = p->pos, negate = 0, first = 1, i;
	uint32_t bits[8] = { 0 };
	struct re_node *n;

	p->pos++;	/* '[' */
	if (p->pat[p->pos] == '^') {
		negate = 1;
		p->pos++;
	}
	for (;;) {
		int c = (unsigned char)p->pat[p->pos], hi;

		if (!c)
			return fail(p, start, "unmatched '['");
		if (c == ']' && !first)
			break;
		first = 0;
		if (c == '[' && p->pat[p->pos + 1] == ':') {
			const char *name = p->pat + p->pos + 2;
			const char *end = strstr(name, ":]");

			if (!end || add_named_class(bits, name, end - name) < 0)
				return fail(p, p->pos, "unknown character class");
			p->pos = end + 2 - p->pat;
			continue;
		}
		if (c == '\\' && p->pat[p->pos + 1]) {
			/* not POSIX, but what people write: [\]] [\-] */
			p->pos++;
			c = (unsigned char)p->pat[p->pos];
		}
		p->pos++;
		hi = c;
		if (p->pat[p->pos] == '-' && p->pat[p->pos + 1] && p->pat[p->pos + 1] != ']') {
			hi = (unsigned char)p->pat[p->pos + 1];
			if (hi < c)
				return fail(p, p->pos, "invalid range in a bracket expression");
			p->pos += 2;
		}
		for (; c <= hi; c++)
			set_bit(bits, c);
	}
	p->pos++;	/* ']' */
	if (negate)
		for (i = 0; i < 8; i++)
			bits[i] = ~bits[i];
	bits[0] &= ~1u;		/* NUL ends a string; it never matches */
	n = new_node(p, K_CLASS);
	n->cls = p->prog->n_classes;
	p->prog->classes = realloc(p->prog->classes,
				   sizeof(*p->prog->classes) * (p->prog->n_classes + 1));
	if (!p->prog->classes)
		abort();
	memcpy(p->prog->classes[p->prog->n_classes++], bits, sizeof(bits));
	return n;
}

/* ---- the grammar ---- */

static struct re_node *parse_alt(struct re_parser *p);

static int parse_number(struct re_parser *p)
{
	int v = 0, digits = 0;

	while (p->pat[p->pos] >= '0' && p->pat[p->pos] <= '9' && v <= 1000) {
		v = v * 10 + (p->pat[p->pos++] - '0');
		digits++;
	}
	return digits ? v : -1;
}

/* atom: '(' alt ')' | '[' ... ']' | '.' | '^' | '$' | '\' char | char */
static struct re_node *parse_atom(struct re_parser *p)
{
	int c = (unsigned char)p->pat[p->pos], start = p->pos;
	struct re_node *n;

	switch (c) {
	case '(':
		p->pos++;
		n = new_node(p, K_GROUP);
		n->group = p->prog->n_groups++;
		n->a = parse_alt(p);
		if (p->failed)
			return NULL;
		if (p->pat[p->pos] != ')')
			return fail(p, start, "unmatched '('");
		p->pos++;
		return n;
	case '[':
		return parse_bracket(p);
	case '.':
		p->pos++;
		return new_node(p, K_ANY);
	case '^':
		p->pos++;
		return new_node(p, K_BOL);
	case '$':
		p->pos++;
		return new_node(p, K_EOL);
	case '*':
	case '+':
	case '?':
	case '{':
		return fail(p, start, "nothing to repeat");
	case '\\':
		if (!p->pat[p->pos + 1])
			return fail(p, start, "trailing backslash");
		p->pos++;
		c = (unsigned char)p->pat[p->pos];
		break;
	}
	p->pos++;
	n = new_node(p, K_CHAR);
	n->ch = c;
	return n;
}

/* piece: atom ('*' | '+' | '?' | '{' m (',' n?)? '}')* */
static struct re_node *parse_piece(struct re_parser *p)
{
	struct re_node *atom = parse_atom(p), *n;

	while (!p->failed) {
		int c = p->pat[p->pos], start = p->pos, min, max;

		if (c == '*' || c == '+' || c == '?') {
			p->pos++;
			min = c == '+';
			max = c == '?' ? 1 : -1;
		} else if (c == '{') {
			p->pos++;
			min = parse_number(p);
			if (min < 0)
				return fail(p, start, "invalid repetition count");
			max = min;
			if (p->pat[p->pos] == ',') {
				p->pos++;
				max = parse_number(p);
			}
			if (p->pat[p->pos] != '}')
				return fail(p, start, "unmatched '{'");
			p->pos++;
			if (min > 255 || max > 255 || (max >= 0 && max < min))
				return fail(p, start, "invalid repetition count");
		} else {
			break;
		}
		n = new_node(p, K_REPEAT);
		n->a = atom;
		n->min = min;
		n->max = max;
		atom = n;
	}
	return atom;
}

/* branch: piece* */
static struct re_node *parse_branch(struct re_parser *p)
{
	struct re_node *n = NULL;

	while (!p->failed && p->pat[p->pos] && p->pat[p->pos] != '|' &&
	       p->pat[p->pos] != ')')
		n = binary(p, K_CAT, n, parse_piece(p));
	return n ? n : new_node(p, K_EMPTY);
}

/* alt: branch ('|' branch)* */
static struct re_node *parse_alt(struct re_parser *p)
{
	struct re_node *n = parse_branch(p);

	while (!p->failed && p->pat[p->pos] == '|') {
		p->pos++;
		n = binary(p, K_ALT, n, parse_branch(p));
	}
	return n;
}

/* ---- code generation ---- */

static int emit(struct re_parser *p, enum regex_op op, int ch, int x, int y)
{
	struct regex_prog *g = p->prog;

	if (g->n_insns >= REGEX_MAX_INSNS) {
		fail(p, 0, "regular expression too large for the matcher");
		return g->n_insns - 1;
	}
	g->code[g->n_insns] = (struct regex_insn){ op, ch, x, y };
	return g->n_insns++;
}

static void gen(struct re_parser *p, const struct re_node *n);

/* e* (greedy): L: split body, out; body: e; jmp L */
static void gen_star(struct re_parser *p, const struct re_node *e)
{
	int split = emit(p, RE_SPLIT, 0, 0, 0);

	p->prog->code[split].x = p->prog->n_insns;
	gen(p, e);
	emit(p, RE_JMP, 0, split, 0);
	p->prog->code[split].y = p->prog->n_insns;
}

/* e? (greedy): split body, out; body: e */
static void gen_optional(struct re_parser *p, const struct re_node *e)
{
	int split = emit(p, RE_SPLIT, 0, 0, 0);

	p->prog->code[split].x = p->prog->n_insns;
	gen(p, e);
	p->prog->code[split].y = p->prog->n_insns;
}

static void gen(struct re_parser *p, const struct re_node *n)
{
	int i, split, jmp;

	if (p->failed)
		return;
	switch (n->kind) {
	case K_EMPTY:
		break;
	case K_CHAR:
		emit(p, RE_CHAR, n->ch, 0, 0);
		break;
	case K_ANY:
		emit(p, RE_ANY, 0, 0, 0);
		break;
	case K_CLASS:
		emit(p, RE_CLASS, 0, n->cls, 0);
		break;
	case K_BOL:
		emit(p, RE_BOL, 0, 0, 0);
		break;
	case K_EOL:
		emit(p, RE_EOL, 0, 0, 0);
		break;
	case K_CAT:
		gen(p, n->a);
		gen(p, n->b);
		break;
	case K_ALT:
		split = emit(p, RE_SPLIT, 0, 0, 0);
		p->prog->code[split].x = p->prog->n_insns;
		gen(p, n->a);
		jmp = emit(p, RE_JMP, 0, 0, 0);
		p->prog->code[split].y = p->prog->n_insns;
		gen(p, n->b);
		p->prog->code[jmp].x = p->prog->n_insns;
		break;
	case K_GROUP:
		if (n->group < REGEX_MAX_GROUPS)
			emit(p, RE_SAVE, 0, 2 * n->group, 0);
		gen(p, n->a);
		if (n->group < REGEX_MAX_GROUPS)
			emit(p, RE_SAVE, 0, 2 * n->group + 1, 0);
		break;
	case K_REPEAT:
		for (i = 0; i < n->min; i++)
			gen(p, n->a);
		if (n->max < 0)
			gen_star(p, n->a);
		for (i = n->min; i < n->max; i++)
			gen_optional(p, n->a);
		break;
	}
}

int regex_compile(const char *pattern, struct regex_prog *out, char *err,
		  size_t errlen, int *err_offset)
{
	struct re_parser p = { .pat = pattern, .err = err, .errlen = errlen, .prog = out };
	struct re_node *root;
	int i;

	memset(out, 0, sizeof(*out));
	out->n_groups = 1;
	out->code = xcalloc(REGEX_MAX_INSNS, sizeof(*out->code));
	root = parse_alt(&p);
	if (!p.failed && p.pat[p.pos] == ')')
		fail(&p, p.pos, "unmatched ')'");
	if (!p.failed && out->n_groups > REGEX_MAX_GROUPS)
		fail(&p, 0, "too many subexpressions (at most 9)");
	if (!p.failed) {
		emit(&p, RE_SAVE, 0, 0, 0);
		gen(&p, root);
		emit(&p, RE_SAVE, 0, 1, 0);
		emit(&p, RE_MATCH, 0, 0, 0);
	}
	for (i = 0; i < p.n_nodes; i++)
		free(p.nodes[i]);
	free(p.nodes);
	if (p.failed) {
		*err_offset = p.err_pos;
		regex_free(out);
		return -1;
	}
	return 0;
}

void regex_free(struct regex_prog *prog)
{
	free(prog->code);
	free(prog->classes);
	memset(prog, 0, sizeof(*prog));
}

const char *regex_op_name(enum regex_op op)
{
	static const char *const names[] = {
		"STP_RE_CHAR", "STP_RE_ANY", "STP_RE_CLASS", "STP_RE_BOL", "STP_RE_EOL",
		"STP_RE_SPLIT", "STP_RE_JMP", "STP_RE_SAVE", "STP_RE_MATCH",
	};

	return names[op];
}
