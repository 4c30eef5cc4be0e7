/* preprocess.c - pass 1's token layer between lexer and grammar: @define macros, %( %? %: %) conditionals, $1 @1 $# @#. */
#include <errno.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "diag.h"
#include "parse_internal.h"
#include "grammar.h"

/*
 * Two layers, as in SystemTap:
 *
 *  1. next1(): raw tokens from the lexer or from the macro or parameter
 *     expansion on top of the activation stack; "@define" declarations
 *     are recorded, "@name" uses expanded, script arguments substituted.
 *  2. pp_next(): conditionals.  Conditions are read through layer 1, so
 *     macros and $# work inside them; the branch not taken is skipped as
 *     raw tokens, so a "$2" or an unknown "@m" there is never an error.
 *
 * Expansion works on tokens, never on text: a body token keeps the
 * location where the macro was defined.
 */

struct pp_tok {
	int code;
	struct token_ref tok;
};

struct tokvec {
	struct pp_tok *v;
	int n, cap;
};

struct macro {
	const char *name;	/* without the '@' */
	struct token_ref tok;	/* its name in the @define */
	const char **params;
	int nparams;
	struct tokvec body;
};

/* One expansion being read.  A macro's own "@param" uses resolve in its
 * activation (scope = itself); a parameter's tokens resolve where the
 * macro was called (scope = the caller's scope). */
struct act {
	const struct tokvec *toks;
	int pos;
	int scope;		/* index of the macro activation whose
				 * parameters "@name" means here, or -1 */
	const struct macro *m;	/* macro activations only: */
	struct tokvec *args;	/* owned, m->nparams of them */
	int caller_scope;
};

enum cond_state { KEEP_THEN, SKIP_THEN, KEEP_ELSE, SKIP_ELSE };

struct cond {
	struct token_ref open;	/* the "%(" for messages */
	enum cond_state state;
	int failed;		/* bad condition: neither branch is kept */
};

/* Bounds that keep hostile input from hanging or exhausting the parser. */
#define MAX_ACTS 1000
#define MAX_EXPANDED 2000000L
#define MAX_CONDS 1000

struct pp {
	struct parse_state *ps;
	const struct parse_options *opts;
	struct macro **macros;
	int nmacros, capmacros;
	struct act *acts;
	int nacts, capacts;
	struct cond *conds;
	int nconds, capconds;
	long expanded;		/* tokens produced by expansions so far */
	int expansion_off;	/* after "too large": macros expand to nothing */
	int lexer_eof;
	struct pp_tok eof;
	struct pp_tok pending[2];	/* substituted "$1" = "-" NUMBER */
	int npending;
	struct pp_tok la;	/* condition parser lookahead */
	int has_la;
	struct pp_tok last_c;	/* the condition parser's last token */
	struct pp_tok unread;	/* a lexer token given back (code 0: none) */
};

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q) {
		fputs("stapc: out of memory\n", stderr);
		exit(1);
	}
	return q;
}

static void vec_push(struct tokvec *v, const struct pp_tok *t)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 8;
		v->v = xrealloc(v->v, v->cap * sizeof(*v->v));
	}
	v->v[v->n++] = *t;
}

static int is_op(const struct pp_tok *t, int code)
{
	return t->code == code;
}

static void pp_error(struct pp *pp, const struct token_ref *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void pp_error(struct pp *pp, const struct token_ref *at, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pp->ps->last = *at;
	diag_error("parse error", at, "%s", msg);
}

/* The error token handed to the grammar after a reported error. */
static int pp_fail(struct pp *pp, const struct token_ref *at, struct token_ref *out)
{
	*out = *at;
	pp->ps->last = *at;
	return TK_STP_YYerror;
}

/* ---- layer 0: raw tokens ------------------------------------------------ */

static void pop_act(struct pp *pp)
{
	struct act *a = &pp->acts[--pp->nacts];
	if (a->m) {
		for (int i = 0; i < a->m->nparams; i++)
			free(a->args[i].v);
		free(a->args);
	}
}

static void lexer_next(struct pp *pp, struct pp_tok *t)
{
	if (pp->unread.code) {
		*t = pp->unread;
		pp->unread.code = 0;
		return;
	}
	if (pp->lexer_eof) {
		*t = pp->eof;
		return;
	}
	t->code = lex_next(pp->ps, &t->tok);
	if (t->code == TK_YYEOF) {
		pp->lexer_eof = 1;
		pp->eof = *t;
	}
}

/* The next token from the innermost expansion, or from the lexer when
 * none is active.  With same_source, the end of the innermost expansion
 * is reported as code 0 instead of being left: a macro call's arguments
 * must end in the text that started it. */
static void raw_next(struct pp *pp, struct pp_tok *t, int same_source)
{
	while (pp->nacts > 0) {
		struct act *a = &pp->acts[pp->nacts - 1];
		if (a->pos < a->toks->n) {
			*t = a->toks->v[a->pos++];
			return;
		}
		if (same_source) {
			t->code = 0;
			t->tok = pp->ps->last;
			return;
		}
		pop_act(pp);
	}
	lexer_next(pp, t);
}

/* ---- macros ------------------------------------------------------------- */

static struct macro *find_macro(struct pp *pp, const char *name)
{
	for (int i = 0; i < pp->nmacros; i++)
		if (strcmp(pp->macros[i]->name, name) == 0)
			return pp->macros[i];
	return NULL;
}

static int starts_decl_tok(int code)
{
	return code == TK_PROBE || code == TK_GLOBAL || code == TK_FUNCTION ||
	       code == TK_PRIVATE || code == TK_EMBEDDED || code == TK_AT_DEFINE ||
	       code == TK_YYEOF;
}

/* After a broken @define: drop the rest of it, that is up to the end of
 * its %( body %), or up to the next declaration if no body follows, so
 * the body is not read as a conditional. */
static int define_fail(struct pp *pp, const struct pp_tok *at, int in_body,
		       struct token_ref *out)
{
	struct pp_tok t;
	int depth = in_body;

	for (;;) {
		lexer_next(pp, &t);
		if (t.code == TK_YYEOF || (!depth && starts_decl_tok(t.code))) {
			pp->unread = t;
			break;
		}
		if (t.code == TK_PP_OPEN)
			depth++;
		else if (t.code == TK_PP_CLOSE && depth && --depth == 0)
			break;
	}
	return pp_fail(pp, &at->tok, out);
}

/* @define NAME [(a, b, ...)] %( BODY %)  -- "@define" already read. */
static int define_macro(struct pp *pp, const struct pp_tok *at, struct token_ref *out)
{
	struct pp_tok t, name;

	if (pp->nacts > 0) {
		pp_error(pp, &at->tok, "'@define' forbidden inside macro body");
		/* the rest of this body is the nested definition */
		struct act *a = &pp->acts[pp->nacts - 1];
		a->pos = a->toks->n;
		return pp_fail(pp, &at->tok, out);
	}
	lexer_next(pp, &name);
	if (name.code != TK_IDENT) {
		if (name.code != TK_STP_YYerror)
			pp_error(pp, &name.tok, "expected identifier");
		if (starts_decl_tok(name.code)) {
			pp->unread = name;
			return pp_fail(pp, &name.tok, out);
		}
		return define_fail(pp, &name, name.code == TK_PP_OPEN, out);
	}
	if (strcmp(name.tok.text, "define") == 0) {
		pp_error(pp, &name.tok, "attempt to redefine '@define'");
		return define_fail(pp, &name, 0, out);
	}
	const struct macro *old = find_macro(pp, name.tok.text);
	if (old) {
		pp_error(pp, &name.tok, "attempt to redefine macro '@%s' in the same file "
			 "(first defined at %s:%d:%d)", name.tok.text, old->tok.loc.file,
			 old->tok.loc.line, old->tok.loc.col);
		return define_fail(pp, &name, 0, out);
	}
	char atname[256];
	snprintf(atname, sizeof(atname), "@%s", name.tok.text);
	if (lex_is_atword(atname))
		diag_warning(&name.tok, "macro redefines built-in operator '%s'", atname);

	struct macro *m = xrealloc(NULL, sizeof(*m));
	memset(m, 0, sizeof(*m));
	m->name = name.tok.text;
	m->tok = name.tok;

	lexer_next(pp, &t);
	int saw_params = 0;
	if (is_op(&t, TK_LPAREN)) {
		saw_params = 1;
		for (;;) {
			lexer_next(pp, &t);
			if (t.code != TK_IDENT) {
				pp_error(pp, &t.tok, "expected identifier");
				goto fail;
			}
			m->params = xrealloc(m->params, (m->nparams + 1) * sizeof(*m->params));
			m->params[m->nparams++] = t.tok.text;
			lexer_next(pp, &t);
			if (is_op(&t, TK_COMMA))
				continue;
			if (is_op(&t, TK_RPAREN))
				break;
			pp_error(pp, &t.tok, "expected ',' or ')'");
			goto fail;
		}
		lexer_next(pp, &t);
	}
	if (!is_op(&t, TK_PP_OPEN)) {
		pp_error(pp, &t.tok, saw_params ? "expected '%%('" : "expected '%%(' or '('");
		goto fail;
	}
	for (int depth = 0;;) {
		lexer_next(pp, &t);
		if (t.code == TK_YYEOF) {
			pp_error(pp, &name.tok, "incomplete macro definition - missing '%%)'");
			goto fail;
		}
		if (is_op(&t, TK_PP_OPEN))
			depth++;
		else if (is_op(&t, TK_PP_CLOSE) && depth-- == 0)
			break;
		vec_push(&m->body, &t);
	}
	if (pp->nmacros == pp->capmacros) {
		pp->capmacros = pp->capmacros ? pp->capmacros * 2 : 8;
		pp->macros = xrealloc(pp->macros, pp->capmacros * sizeof(*pp->macros));
	}
	pp->macros[pp->nmacros++] = m;
	return 0;

fail:
	free(m->params);
	free(m->body.v);
	free(m);
	if (t.code == TK_YYEOF || (starts_decl_tok(t.code) && !is_op(&t, TK_PP_OPEN))) {
		pp->unread = t;
		return pp_fail(pp, &t.tok, out);
	}
	return define_fail(pp, &t, is_op(&t, TK_PP_OPEN), out);
}

static void push_act(struct pp *pp, const struct act *a)
{
	if (pp->nacts == pp->capacts) {
		pp->capacts = pp->capacts ? pp->capacts * 2 : 8;
		pp->acts = xrealloc(pp->acts, pp->capacts * sizeof(*pp->acts));
	}
	pp->acts[pp->nacts++] = *a;
}

/* A "@name" token: expand a parameter of the enclosing macro or a macro.
 * Returns 1 if expanded, 0 if it is not a macro, or the error token. */
static int expand(struct pp *pp, const struct pp_tok *at, struct token_ref *out)
{
	const char *name = at->tok.text + 1;
	int scope = pp->nacts > 0 ? pp->acts[pp->nacts - 1].scope : -1;
	struct act a;

	memset(&a, 0, sizeof(a));
	if (scope >= 0) {
		const struct act *owner = &pp->acts[scope];
		for (int i = 0; i < owner->m->nparams; i++) {
			if (strcmp(owner->m->params[i], name) != 0)
				continue;
			a.toks = &owner->args[i];
			a.scope = owner->caller_scope;
			goto push;
		}
	}
	const struct macro *m = find_macro(pp, name);
	if (!m)
		return 0;
	a.m = m;
	a.scope = pp->nacts;	/* the index this activation will get */
	a.caller_scope = scope;
	a.toks = &m->body;
	if (m->nparams > 0) {
		struct pp_tok t;
		raw_next(pp, &t, 1);
		if (!is_op(&t, TK_LPAREN)) {
			pp_error(pp, t.code ? &t.tok : &at->tok,
				 "expected '(' in invocation of macro '@%s' taking %d parameter%s",
				 name, m->nparams, m->nparams == 1 ? "" : "s");
			return pp_fail(pp, &at->tok, out);
		}
		a.args = xrealloc(NULL, m->nparams * sizeof(*a.args));
		memset(a.args, 0, m->nparams * sizeof(*a.args));
		for (int i = 0; i < m->nparams; i++) {
			int depth = 0;
			for (;;) {
				raw_next(pp, &t, 1);
				if (t.code == 0 || t.code == TK_YYEOF) {
					pp_error(pp, &at->tok, "could not find end of macro invocation");
					goto fail;
				}
				if (is_op(&t, TK_LPAREN) || is_op(&t, TK_LBRACKET))
					depth++;
				else if (depth && (is_op(&t, TK_RPAREN) || is_op(&t, TK_RBRACKET)))
					depth--;
				else if (!depth && (is_op(&t, TK_RPAREN) || is_op(&t, TK_COMMA)))
					break;
				vec_push(&a.args[i], &t);
			}
			if (is_op(&t, TK_COMMA) && i + 1 == m->nparams) {
				pp_error(pp, &t.tok, "too many parameters for macro '@%s' (expected %d)",
					 name, m->nparams);
				goto fail;
			}
			if (is_op(&t, TK_RPAREN) && i + 1 != m->nparams) {
				pp_error(pp, &t.tok, "too few parameters for macro '@%s' (expected %d)",
					 name, m->nparams);
				goto fail;
			}
		}
	}
push:
	if (pp->nacts >= MAX_ACTS) {
		pp_error(pp, &at->tok, "macro expansion nested too deeply");
		goto fail_all;
	}
	pp->expanded += a.toks->n;
	if (pp->expanded > MAX_EXPANDED) {
		pp_error(pp, &at->tok, "macro expansion too large");
		pp->expansion_off = 1;
		goto fail_all;
	}
	push_act(pp, &a);
	return 1;

fail_all:
	/* Leave every expansion: going on inside them would only repeat
	 * the error. */
	while (pp->nacts > 0)
		pop_act(pp);
fail:
	if (a.m) {
		for (int i = 0; i < a.m->nparams && a.args; i++)
			free(a.args[i].v);
		free(a.args);
	}
	return pp_fail(pp, &at->tok, out);
}

/* ---- script arguments ---------------------------------------------------- */

static int valid_number(const char *s)
{
	if (*s < '0' || *s > '9')
		return 0;
	errno = 0;
	char *end;
	unsigned long long v = strtoull(s, &end, 0);
	(void)v;
	return errno == 0 && *end == '\0';
}

/* $N @N $# @#: the token(s) they stand for go to pp->pending. */
static int substitute(struct pp *pp, const struct pp_tok *t, struct token_ref *out)
{
	int argc = pp->opts->argc;
	const char *text;
	char count[32];
	struct pp_tok r = *t;

	if (t->code == TK_DOLLAR_ARGC || t->code == TK_AT_ARGC) {
		snprintf(count, sizeof(count), "%d", argc);
		text = count;
	} else {
		const char *digits = t->tok.text + 1;
		long idx = strlen(digits) > 9 ? -1 : strtol(digits, NULL, 10);
		if (idx < 1 || idx > argc) {
			pp_error(pp, &t->tok, "command line argument index %s out of range [1-%d]",
				 digits, argc);
			return pp_fail(pp, &t->tok, out);
		}
		text = pp->opts->argv[idx - 1] ? pp->opts->argv[idx - 1] : "";
	}
	if (t->code == TK_AT_ARG || t->code == TK_AT_ARGC) {
		r.code = TK_STRING;
		r.tok.cls = TOKC_STRING;
		r.tok.text = ast_strdup(text);
		pp->pending[pp->npending++] = r;
		return 0;
	}
	const char *digits = text[0] == '-' ? text + 1 : text;
	if (!valid_number(digits)) {
		pp_error(pp, &t->tok, "argument %s is not a number", t->tok.text);
		return pp_fail(pp, &t->tok, out);
	}
	/* pending is a stack: push the number first, then the sign */
	r.code = TK_NUMBER;
	r.tok.cls = TOKC_NUMBER;
	r.tok.text = ast_strdup(digits);
	pp->pending[pp->npending++] = r;
	if (digits != text) {
		r.code = TK_MINUS;
		r.tok.cls = TOKC_OPERATOR;
		r.tok.text = "-";
		pp->pending[pp->npending++] = r;
	}
	return 0;
}

/* ---- layer 1 -------------------------------------------------------------- */

static int next1(struct pp *pp, struct pp_tok *t)
{
	for (;;) {
		if (pp->npending > 0) {
			*t = pp->pending[--pp->npending];
			return t->code;
		}
		raw_next(pp, t, 0);
		switch (t->code) {
		case TK_AT_DEFINE: {
			int rc = define_macro(pp, t, &t->tok);
			if (rc) {
				t->code = rc;
				return rc;
			}
			continue;
		}
		case TK_DOLLAR_ARG:
		case TK_AT_ARG:
		case TK_DOLLAR_ARGC:
		case TK_AT_ARGC: {
			int rc = substitute(pp, t, &t->tok);
			if (rc) {
				t->code = rc;
				return rc;
			}
			continue;
		}
		default:
			break;
		}
		if (t->tok.cls == TOKC_OPERATOR && t->tok.text[0] == '@') {
			if (pp->expansion_off && t->code == TK_AT_MACRO)
				continue;
			int rc = pp->expansion_off ? 0 : expand(pp, t, &t->tok);
			if (rc == 1)
				continue;
			if (rc) {
				t->code = rc;
				return rc;
			}
			if (t->code == TK_AT_MACRO) {
				pp_error(pp, &t->tok, "unknown macro '%s'", t->tok.text);
				t->code = TK_STP_YYerror;
			}
		}
		return t->code;
	}
}

/* ---- conditions ------------------------------------------------------------ */

static const struct pp_tok *peek_c(struct pp *pp)
{
	if (!pp->has_la) {
		next1(pp, &pp->la);
		pp->has_la = 1;
	}
	return &pp->la;
}

static struct pp_tok take_c(struct pp *pp)
{
	peek_c(pp);
	pp->has_la = 0;
	pp->last_c = pp->la;
	return pp->la;
}

/* Version order: runs of digits compare as numbers, so "6.1" < "6.10";
 * anything else compares byte by byte. */
static int vercmp(const char *a, const char *b)
{
	while (*a || *b) {
		if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
			while (*a == '0')
				a++;
			while (*b == '0')
				b++;
			size_t na = strspn(a, "0123456789"), nb = strspn(b, "0123456789");
			if (na != nb)
				return na < nb ? -1 : 1;
			int c = strncmp(a, b, na);
			if (c)
				return c;
			a += na;
			b += nb;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return 0;
}

struct operand {
	struct pp_tok t;
	enum { OPD_NUM, OPD_STR, OPD_NAME, OPD_DEFINED } kind;
	int64_t num;
};

static const char *kconfig(struct pp *pp, const char *name)
{
	const struct parse_options *o = pp->opts;
	if (o->kconfig_lookup) {
		const char *v = o->kconfig_lookup(o->kconfig_ctx, name);
		if (v)
			return v;
	}
	size_t len = strlen(name);
	for (const char *const *p = o->kconfig; p && *p; p++)
		if (strncmp(*p, name, len) == 0 && (*p)[len] == '=')
			return *p + len + 1;
	return "";
}

/* kernel_v: the release's leading version number, "6.1.0" of "6.1.0-56-amd64". */
static const char *kernel_v(struct pp *pp)
{
	const char *r = pp->opts->kernel_release ? pp->opts->kernel_release : "";
	size_t n = strspn(r, "0123456789.");
	char *v = ast_strdup(r);
	v[n] = '\0';
	return v;
}

static int parse_int(const char *s, int64_t *v)
{
	const char *p = s[0] == '-' ? s + 1 : s;
	if (!*p)
		return 0;
	errno = 0;
	char *end;
	long long x = strtoll(s, &end, 0);
	*v = x;
	return errno == 0 && *end == '\0';
}

static int compare_ll(int64_t a, int op, int64_t b)
{
	switch (op) {
	case TK_EQ: return a == b;
	case TK_NE: return a != b;
	case TK_LT: return a < b;
	case TK_LE: return a <= b;
	case TK_GT: return a > b;
	default: return a >= b;
	}
}

static int is_cmp(int code)
{
	return code == TK_EQ || code == TK_NE || code == TK_LT || code == TK_LE ||
	       code == TK_GT || code == TK_GE;
}

/* Evaluation errors return -1 after reporting. */
static int cond_or(struct pp *pp);

static int operand(struct pp *pp, struct operand *o)
{
	o->t = take_c(pp);
	switch (o->t.code) {
	case TK_NUMBER:
	case TK_MINUS: {
		int neg = o->t.code == TK_MINUS;
		if (neg) {
			struct pp_tok n = take_c(pp);
			if (n.code != TK_NUMBER) {
				pp_error(pp, &n.tok, "expected number");
				return -1;
			}
			o->t.tok.text = n.tok.text;
		}
		uint64_t v = strtoull(o->t.tok.text, NULL, 0);
		o->num = neg ? (int64_t)(0 - v) : (int64_t)v;
		o->kind = OPD_NUM;
		return 0;
	}
	case TK_STRING:
		o->kind = OPD_STR;
		return 0;
	case TK_IDENT:
		o->kind = OPD_NAME;
		return 0;
	case TK_AT_DEFINED: {
		/* Pass 1 cannot know what is defined: always false here. */
		struct pp_tok t = take_c(pp);
		if (t.code != TK_LPAREN) {
			pp_error(pp, &t.tok, "expected '('");
			return -1;
		}
		for (int depth = 1; depth > 0;) {
			t = take_c(pp);
			if (t.code == TK_YYEOF || t.code == TK_PP_THEN || t.code == TK_STP_YYerror) {
				if (t.code != TK_STP_YYerror)
					pp_error(pp, &t.tok, "expected ')'");
				return -1;
			}
			depth += t.code == TK_LPAREN;
			depth -= t.code == TK_RPAREN;
		}
		o->kind = OPD_DEFINED;
		return 0;
	}
	case TK_STP_YYerror:
		return -1;
	default:
		pp_error(pp, &o->t.tok, "expected 'arch', 'kernel_v', 'kernel_vr', 'systemtap_v', "
			 "'runtime', 'systemtap_privilege', 'guru_mode', 'CONFIG_...', "
			 "a string or a number");
		return -1;
	}
}

/* String-valued names: compared by fnmatch() with == and !=. */
static const char *name_value(struct pp *pp, const char *name)
{
	const struct parse_options *o = pp->opts;
	if (strcmp(name, "arch") == 0)
		return o->arch ? o->arch : "x86_64";
	if (strcmp(name, "runtime") == 0)
		return o->runtime ? o->runtime : "kernel";
	if (strcmp(name, "systemtap_privilege") == 0)
		return o->privilege ? o->privilege : "stapdev";
	return NULL;
}

static const char *version_value(struct pp *pp, const char *name)
{
	if (strcmp(name, "kernel_v") == 0)
		return kernel_v(pp);
	if (strcmp(name, "kernel_vr") == 0)
		return pp->opts->kernel_release ? pp->opts->kernel_release : "";
	if (strcmp(name, "systemtap_v") == 0)
		return pp->opts->systemtap_v ? pp->opts->systemtap_v : "5.0";
	return NULL;
}

static int match_op(struct pp *pp, const struct pp_tok *op, const char *pattern,
		    const char *value)
{
	if (op->code != TK_EQ && op->code != TK_NE) {
		pp_error(pp, &op->tok, "expected '==' or '!='");
		return -1;
	}
	int match = fnmatch(pattern, value, FNM_NOESCAPE) == 0;
	return op->code == TK_EQ ? match : !match;
}

static int comparison(struct pp *pp, const struct operand *l, const struct pp_tok *op,
		      const struct operand *r)
{
	const char *name = l->kind == OPD_NAME ? l->t.tok.text : NULL;
	const char *v;

	if (name && (v = version_value(pp, name))) {
		if (r->kind != OPD_STR) {
			pp_error(pp, &r->t.tok, "expected string literal");
			return -1;
		}
		if (strpbrk(r->t.tok.text, "*?[")) {
			if (op->code != TK_EQ && op->code != TK_NE) {
				pp_error(pp, &op->tok,
					 "wildcard not allowed with order comparison operators");
				return -1;
			}
			return match_op(pp, op, r->t.tok.text, v);
		}
		int c = vercmp(v, r->t.tok.text);
		return compare_ll(c < 0 ? -1 : c > 0, op->code, 0);
	}
	if (name && (v = name_value(pp, name))) {
		if (r->kind != OPD_STR) {
			pp_error(pp, &r->t.tok, "expected string literal");
			return -1;
		}
		return match_op(pp, op, r->t.tok.text, v);
	}
	if (name && strcmp(name, "guru_mode") == 0) {
		if (r->kind != OPD_NUM || (r->num != 0 && r->num != 1)) {
			pp_error(pp, &r->t.tok, "expected 0 or 1");
			return -1;
		}
		if (op->code != TK_EQ && op->code != TK_NE) {
			pp_error(pp, &op->tok, "expected '==' or '!='");
			return -1;
		}
		return compare_ll(pp->opts->guru ? 1 : 0, op->code, r->num);
	}
	if (name && strncmp(name, "CONFIG_", 7) == 0) {
		const char *lv = kconfig(pp, name);
		int64_t a, b;
		if (r->kind == OPD_STR)
			return match_op(pp, op, r->t.tok.text, lv);
		if (r->kind == OPD_NUM) {
			if (!parse_int(lv, &a)) {
				pp_error(pp, &l->t.tok, "config option value is not a number");
				return -1;
			}
			return compare_ll(a, op->code, r->num);
		}
		if (r->kind == OPD_NAME && strncmp(r->t.tok.text, "CONFIG_", 7) == 0) {
			const char *rv = kconfig(pp, r->t.tok.text);
			if (parse_int(lv, &a) && parse_int(rv, &b))
				return compare_ll(a, op->code, b);
			return compare_ll(strcmp(lv, rv), op->code, 0);
		}
		pp_error(pp, &r->t.tok, "expected string, number or CONFIG_... on the right");
		return -1;
	}
	if (l->kind == OPD_STR && r->kind == OPD_STR)
		return compare_ll(strcmp(l->t.tok.text, r->t.tok.text), op->code, 0);
	if (l->kind == OPD_NUM && r->kind == OPD_NUM)
		return compare_ll(l->num, op->code, r->num);
	if (l->kind == OPD_STR || l->kind == OPD_NUM) {
		pp_error(pp, &r->t.tok, "expected %s literal as right value",
			 l->kind == OPD_STR ? "string" : "number");
		return -1;
	}
	pp_error(pp, &l->t.tok, "expected 'arch', 'kernel_v', 'kernel_vr', 'systemtap_v', "
		 "'runtime', 'systemtap_privilege', 'guru_mode', 'CONFIG_...', "
		 "a string or a number");
	return -1;
}

/* An operand standing alone is a truth value. */
static int truth(struct pp *pp, const struct operand *o)
{
	switch (o->kind) {
	case OPD_NUM: return o->num != 0;
	case OPD_STR: return o->t.tok.text[0] != '\0';
	case OPD_DEFINED: return 0;
	case OPD_NAME:
		if (strncmp(o->t.tok.text, "CONFIG_", 7) == 0) {
			const char *v = kconfig(pp, o->t.tok.text);
			return v[0] != '\0' && strcmp(v, "n") != 0;
		}
		if (strcmp(o->t.tok.text, "guru_mode") == 0)
			return pp->opts->guru != 0;
		break;
	}
	pp_error(pp, &peek_c(pp)->tok, "expected comparison operator");
	return -1;
}

static int cond_unary(struct pp *pp)
{
	const struct pp_tok *t = peek_c(pp);
	if (t->code == TK_BANG) {
		take_c(pp);
		int v = cond_unary(pp);
		return v < 0 ? v : !v;
	}
	if (t->code == TK_LPAREN) {
		take_c(pp);
		int v = cond_or(pp);
		if (v < 0)
			return v;
		struct pp_tok c = take_c(pp);
		if (c.code != TK_RPAREN) {
			pp_error(pp, &c.tok, "expected ')'");
			return -1;
		}
		return v;
	}
	struct operand l, r;
	if (operand(pp, &l) < 0)
		return -1;
	if (!is_cmp(peek_c(pp)->code))
		return truth(pp, &l);
	struct pp_tok op = take_c(pp);
	if (operand(pp, &r) < 0)
		return -1;
	return comparison(pp, &l, &op, &r);
}

static int cond_and(struct pp *pp)
{
	int v = cond_unary(pp);
	while (v >= 0 && peek_c(pp)->code == TK_ANDAND) {
		take_c(pp);
		int r = cond_unary(pp);
		v = r < 0 ? r : (v && r);
	}
	return v;
}

static int cond_or(struct pp *pp)
{
	int v = cond_and(pp);
	while (v >= 0 && peek_c(pp)->code == TK_OROR) {
		take_c(pp);
		int r = cond_and(pp);
		v = r < 0 ? r : (v || r);
	}
	return v;
}

/* ---- layer 2: conditionals ---------------------------------------------------- */

/* Skip raw tokens of a branch not taken, up to the %: %? or %) that ends
 * it (returned in t) or the end of input (t->code == TK_YYEOF). */
static void skip_branch(struct pp *pp, struct pp_tok *t)
{
	int depth = 0;
	for (;;) {
		raw_next(pp, t, 0);
		if (t->code == TK_YYEOF)
			return;
		if (t->code == TK_PP_OPEN)
			depth++;
		else if (depth && t->code == TK_PP_CLOSE)
			depth--;
		else if (!depth && (t->code == TK_PP_ELSE || t->code == TK_PP_THEN ||
				    t->code == TK_PP_CLOSE))
			return;
	}
}

static int open_cond(struct pp *pp, const struct pp_tok *open, struct token_ref *out)
{
	if (pp->nconds >= MAX_CONDS) {
		pp_error(pp, &open->tok, "conditionals nested too deeply");
		return pp_fail(pp, &open->tok, out);
	}
	if (pp->nconds == pp->capconds) {
		pp->capconds = pp->capconds ? pp->capconds * 2 : 8;
		pp->conds = xrealloc(pp->conds, pp->capconds * sizeof(*pp->conds));
	}
	struct cond *c = &pp->conds[pp->nconds++];
	c->open = open->tok;
	c->failed = 0;

	pp->has_la = 0;
	int v = cond_or(pp);
	if (v >= 0) {
		const struct pp_tok *t = peek_c(pp);
		if (t->code != TK_PP_THEN) {
			if (t->code != TK_STP_YYerror)
				pp_error(pp, &t->tok, "expected '%%?' marker for conditional");
			v = -1;
		} else {
			pp->has_la = 0;
		}
	}
	if (v >= 0) {
		c->state = v ? KEEP_THEN : SKIP_THEN;
		return 0;
	}
	/* Drop the rest of the condition and both branches, resuming after
	 * the marker that stopped the condition parser, if it was one. */
	struct pp_tok d = pp->has_la ? pp->la : pp->last_c;
	pp->has_la = 0;
	c->failed = 1;
	c->state = SKIP_THEN;
	if (d.code != TK_PP_THEN && d.code != TK_PP_ELSE && d.code != TK_PP_CLOSE &&
	    d.code != TK_YYEOF)
		skip_branch(pp, &d);
	if (d.code == TK_PP_ELSE)
		c->state = SKIP_ELSE;
	else if (d.code == TK_PP_CLOSE || d.code == TK_YYEOF)
		pp->nconds--;
	return pp_fail(pp, &open->tok, out);
}

int pp_next(struct pp *pp, struct token_ref *out)
{
	struct pp_tok t;

	for (;;) {
		struct cond *c = pp->nconds ? &pp->conds[pp->nconds - 1] : NULL;

		if (c && (c->state == SKIP_THEN || c->state == SKIP_ELSE))
			skip_branch(pp, &t);
		else
			next1(pp, &t);

		if (t.code == TK_YYEOF) {
			if (pp->nconds > 0) {
				struct token_ref open = pp->conds[0].open;
				pp->nconds = 0;
				pp_error(pp, &open, "incomplete conditional at end of file");
				return pp_fail(pp, &open, out);
			}
			*out = t.tok;
			return t.code;
		}
		if (t.code == TK_PP_THEN) {
			pp_error(pp, &t.tok, "incomplete conditional - missing '%%('");
			return pp_fail(pp, &t.tok, out);
		}
		if (t.code == TK_PP_ELSE) {
			if (!c) {
				pp_error(pp, &t.tok, "incomplete conditional - missing '%%('");
				return pp_fail(pp, &t.tok, out);
			}
			if (c->state == KEEP_ELSE || c->state == SKIP_ELSE) {
				pp_error(pp, &t.tok, "invalid conditional - duplicate '%%:'");
				c->state = SKIP_ELSE;
				return pp_fail(pp, &t.tok, out);
			}
			c->state = c->state == KEEP_THEN || c->failed ? SKIP_ELSE : KEEP_ELSE;
			continue;
		}
		if (t.code == TK_PP_CLOSE) {
			if (!c) {
				pp_error(pp, &t.tok, "incomplete conditional - missing '%%('");
				return pp_fail(pp, &t.tok, out);
			}
			pp->nconds--;
			continue;
		}
		if (t.code == TK_PP_OPEN) {
			int rc = open_cond(pp, &t, out);
			if (rc)
				return rc;
			continue;
		}
		*out = t.tok;
		return t.code;
	}
}

struct pp *pp_open(struct parse_state *ps, const struct parse_options *opts)
{
	struct pp *pp = xrealloc(NULL, sizeof(*pp));
	memset(pp, 0, sizeof(*pp));
	pp->ps = ps;
	pp->opts = opts;
	return pp;
}

void pp_close(struct pp *pp)
{
	while (pp->nacts > 0)
		pop_act(pp);
	free(pp->acts);
	for (int i = 0; i < pp->nmacros; i++) {
		free(pp->macros[i]->params);
		free(pp->macros[i]->body.v);
		free(pp->macros[i]);
	}
	free(pp->macros);
	free(pp->conds);
	free(pp);
}
