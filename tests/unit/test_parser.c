/* test_parser.c - standalone unit tests for pass 1: -p1 dumps, error messages, re-parse stability. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ast.h"
#include "diag.h"

static int passed, failed;

static void check(int ok, const char *what, ...)
	__attribute__((format(printf, 2, 3)));

static void check(int ok, const char *what, ...)
{
	if (ok) {
		passed++;
		return;
	}
	failed++;
	va_list ap;
	va_start(ap, what);
	printf("FAIL: ");
	vprintf(what, ap);
	printf("\n");
	va_end(ap);
}

static void check_str(const char *got, const char *want, const char *name)
{
	int ok = strcmp(got, want) == 0;
	check(ok, "%s", name);
	if (!ok)
		printf("--- want:\n%s--- got:\n%s---\n", want, got);
}

/* ---- capturing stderr and -p1 output ------------------------------------ */

static char *read_all(FILE *f)
{
	long size;
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	char *buf = malloc(size + 1);
	size_t n = fread(buf, 1, size, f);
	buf[n] = '\0';
	return buf;
}

struct capture {
	FILE *tmp;
	int saved;
};

/* Messages go straight to stderr, so fd 2 is pointed at a temp file. */
static void capture_start(struct capture *c)
{
	fflush(stderr);
	c->tmp = tmpfile();
	c->saved = dup(2);
	dup2(fileno(c->tmp), 2);
}

static char *capture_end(struct capture *c)
{
	fflush(stderr);
	dup2(c->saved, 2);
	close(c->saved);
	char *s = read_all(c->tmp);
	fclose(c->tmp);
	return s;
}

static char *dump(const struct program *prog)
{
	FILE *f = tmpfile();
	ast_print_program(f, prog);
	fflush(f);
	char *s = read_all(f);
	fclose(f);
	return s;
}

/* Parse src as `file`; returns the error count and fills *p1 (dump, or
 * NULL on error) and *err (captured stderr). */
static int parse(const char *file, const char *src, char **p1, char **err)
{
	struct program prog;
	struct capture c;

	memset(&prog, 0, sizeof(prog));
	capture_start(&c);
	int n = parse_script(file, src, &prog);
	*err = capture_end(&c);
	*p1 = n ? NULL : dump(&prog);
	return n;
}

/* ---- -p1 output ----------------------------------------------------------- */

struct ok_case {
	const char *name, *src, *p1;
};

#define HDR "# parse tree dump\n"

static const struct ok_case ok_cases[] = {
	{ "empty", "", HDR },
	{ "comments only", "# a\n// b\n/* c\n d */\n", HDR },
	{ "brief example",
	  "probe begin, timer.ms(100) { x = 1 + 2 * 3; if (x > 3) { println(\"big\") } else { println(\"small\") } }",
	  HDR "probe begin, timer.ms(100) {\n  x = (1 + (2 * 3))\n  if ((x > 3)) {\n"
	  "    println(\"big\")\n  } else {\n    println(\"small\")\n  }\n}\n" },
	{ "globals", "global a, b = -1, c = \"s\\n\" ; global d = 0x10",
	  HDR "global a\nglobal b = -1\nglobal c = \"s\\n\"\nglobal d = 16\n" },
	{ "function", "function f(x, y) { return x * y } function g() { return }",
	  HDR "function f(x, y) {\n  return (x * y)\n}\nfunction g() {\n  return\n}\n" },
	{ "declaration order", "probe end {} global g function h() {} probe begin {} global k",
	  HDR "global g\nglobal k\nfunction h() {\n}\nprobe end {\n}\nprobe begin {\n}\n" },
	{ "probe points",
	  "probe begin(-1), kernel.function(\"vfs_read\").return, timer.s(2) { }",
	  HDR "probe begin(-1), kernel.function(\"vfs_read\").return, timer.s(2) {\n}\n" },
	{ "left assoc", "probe begin { a = 1 - 2 - 3 }",
	  HDR "probe begin {\n  a = ((1 - 2) - 3)\n}\n" },
	{ "assign right assoc", "probe begin { a = b = c += 1 }",
	  HDR "probe begin {\n  a = (b = (c += 1))\n}\n" },
	{ "comparisons one level", "probe begin { a = x < y == z b = x == y < z }",
	  HDR "probe begin {\n  a = ((x < y) == z)\n  b = ((x == y) < z)\n}\n" },
	{ "shift vs compare vs add", "probe begin { a = 1 + 2 << 3 < 4 }",
	  HDR "probe begin {\n  a = (((1 + 2) << 3) < 4)\n}\n" },
	{ "concat is additive", "probe begin { s = \"a\" . 1 + 2 * 3 }",
	  HDR "probe begin {\n  s = ((\"a\" . 1) + (2 * 3))\n}\n" },
	{ "logic and bits", "probe begin { a = x || y && z | w ^ v & u }",
	  HDR "probe begin {\n  a = (x || (y && (z | (w ^ (v & u)))))\n}\n" },
	{ "ternary right assoc", "probe begin { a = x ? 1 : y ? 2 : 3 }",
	  HDR "probe begin {\n  a = (x ? 1 : (y ? 2 : 3))\n}\n" },
	{ "unary", "probe begin { a = -x * !y + ~z - - -w }",
	  HDR "probe begin {\n  a = (((-x * !y) + ~z) - -(-w))\n}\n" },
	{ "number then dot", "probe begin { a = 1.2 }",
	  HDR "probe begin {\n  a = (1 . 2)\n}\n" },
	{ "number bases", "probe begin { a = 0x1F + 017 + 0xffffffffffffffff }",
	  HDR "probe begin {\n  a = ((31 + 15) + 18446744073709551615)\n}\n" },
	{ "string escapes", "probe begin { s = \"\\101\\x41\\t\\\"\\\\\\'\\001\" }",
	  HDR "probe begin {\n  s = \"AA\\t\\\"\\\\'\\001\"\n}\n" },
	{ "dangling else", "probe begin { if (a) if (b) x else y }",
	  HDR "probe begin {\n  if (a)\n    if (b)\n      x\n    else\n      y\n}\n" },
	{ "else if chain", "probe begin { if (a) { x } else if (b) y; else { z } }",
	  HDR "probe begin {\n  if (a) {\n    x\n  } else if (b)\n    y\n  else {\n    z\n  }\n}\n" },
	{ "loops", "probe begin { for (;;) {} for (i = 0; i < 3; i++) continue while (x) ; }",
	  HDR "probe begin {\n  for (;;) {\n  }\n  for (i = 0; (i < 3); i++)\n    continue\n"
	  "  while (x)\n    ;\n}\n" },
	{ "no separators", "probe begin { a = 1 b = 2 f(a, b) next }",
	  HDR "probe begin {\n  a = 1\n  b = 2\n  f(a, b)\n  next\n}\n" },
	{ "semicolons dropped", ";; probe begin { ;; x = 1;; break; } ;",
	  HDR "probe begin {\n  x = 1\n  break\n}\n" },
	{ "semicolon kept where needed", "probe begin { x = 1; -y z; (w) if (a) b; ++c }",
	  HDR "probe begin {\n  x = 1;\n  -y\n  z\n  w\n  if (a)\n    b;\n  ++c\n}\n" },
	{ "bare return", "function f() { return; x }",
	  HDR "function f() {\n  return;\n  x\n}\n" },
	{ "incdec split", "probe begin { x++ ++y z-- }",
	  HDR "probe begin {\n  x++;\n  ++y\n  z--\n}\n" },
	{ "nested blocks", "probe begin { { { } x } }",
	  HDR "probe begin {\n  {\n    {\n    }\n    x\n  }\n}\n" },
};

/* ---- error messages ------------------------------------------------------- */

struct err_case {
	const char *name, *src, *err;
};

#define AT(desc, pos) "        at: " desc " at t.stp:" pos "\n"
#define SRC(line) "     source: " line "\n"

static const struct err_case err_cases[] = {
	{ "missing expression", "probe begin { x = }",
	  "parse error: expected expression\n" AT("operator '}'", "1:19")
	  SRC("probe begin { x = }") "                               ^\n" },
	{ "missing rbrace", "probe begin {",
	  "parse error: expected statement or '}'\n" AT("end of input", "1:14")
	  SRC("probe begin {") "                          ^\n" },
	{ "missing rbrace at end of file", "probe begin {\n",
	  "parse error: expected statement or '}'\n" AT("end of input", "2:1") },
	{ "missing rparen", "probe begin {\n  if (x y) z\n}",
	  "parse error: expected ')'\n" AT("identifier 'y'", "2:9")
	  SRC("  if (x y) z") "                     ^\n" },
	{ "call args", "probe begin { f(a b) }",
	  "parse error: expected ',' or ')'\n" AT("identifier 'b'", "1:19")
	  SRC("probe begin { f(a b) }") "                               ^\n" },
	{ "top level", "x = 1",
	  "parse error: expected 'probe', 'global' or 'function'\n" AT("identifier 'x'", "1:1")
	  SRC("x = 1") "             ^\n" },
	{ "probe point", "probe { }",
	  "parse error: expected probe point component\n" AT("operator '{'", "1:7")
	  SRC("probe { }") "                   ^\n" },
	{ "global init", "global x = y",
	  "parse error: expected number or string\n" AT("identifier 'y'", "1:12")
	  SRC("global x = y") "                        ^\n" },
	{ "lvalue", "probe begin { 1 = 2 }",
	  "parse error: expected a variable on the left of '='\n" AT("operator '='", "1:17")
	  SRC("probe begin { 1 = 2 }") "                             ^\n" },
	{ "compound lvalue", "probe begin { a + b .= c }",
	  "parse error: expected a variable on the left of '.='\n" AT("operator '.='", "1:21")
	  SRC("probe begin { a + b .= c }") "                                 ^\n" },
	{ "incdec operand", "probe begin { --1 }",
	  "parse error: expected identifier\n" AT("number '1'", "1:17")
	  SRC("probe begin { --1 }") "                             ^\n" },
	{ "number range", "global n = 0x10000000000000000",
	  "parse error: number out of range\n" AT("number '0x10000000000000000'", "1:12")
	  SRC("global n = 0x10000000000000000") "                        ^\n" },
	{ "negative range", "global n = -9223372036854775809",
	  "parse error: number out of range\n" AT("number '9223372036854775809'", "1:13")
	  SRC("global n = -9223372036854775809") "                         ^\n" },
	{ "malformed number", "probe begin { x = 08 }",
	  "parse error: malformed number\n" AT("number '08'", "1:19")
	  SRC("probe begin { x = 08 }") "                               ^\n" },
	{ "bad escape", "probe begin { x = \"a\\qb\" }",
	  "parse error: unknown escape sequence in string\n" AT("string 'a\\qb'", "1:19")
	  SRC("probe begin { x = \"a\\qb\" }") "                               ^\n" },
	{ "bad hex escape", "probe begin { x = \"\\xg\" }",
	  "parse error: invalid \\x escape in string\n" AT("string '\\xg'", "1:19")
	  SRC("probe begin { x = \"\\xg\" }") "                               ^\n" },
	{ "newline in string", "probe begin {\n\tx = \"ab\n\"}",
	  "parse error: newline in string\n" AT("string 'ab'", "2:6")
	  SRC("\tx = \"ab") "             \t    ^\n" },
	{ "unterminated string", "probe begin { x = \"ab",
	  "parse error: unterminated string\n" AT("string 'ab'", "1:19")
	  SRC("probe begin { x = \"ab") "                               ^\n" },
	{ "unterminated comment", "probe begin { /* x\n",
	  "parse error: unterminated comment\n" AT("operator '/*'", "1:15")
	  SRC("probe begin { /* x") "                           ^\n" },
	{ "embedded code", "\n  %{ int x; %}",
	  "parse error: expected 'probe', 'global' or 'function'\n" AT("embedded-code", "2:3")
	  SRC("  %{ int x; %}") "               ^\n" },
	{ "unterminated embedded code", "%{ int x;",
	  "parse error: unterminated embedded code\n" AT("embedded-code", "1:1")
	  SRC("%{ int x;") "             ^\n" },
	{ "reserved keyword", "probe begin { delete x }",
	  "parse error: expected statement or '}'\n" AT("keyword 'delete'", "1:15")
	  SRC("probe begin { delete x }") "                           ^\n" },
	{ "invalid character", "probe begin { x = @y }",
	  "parse error: invalid character\n" AT("operator '@'", "1:19")
	  SRC("probe begin { x = @y }") "                               ^\n" },
	{ "for needs semicolons", "probe begin { for (i = 0 i < 3) {} }",
	  "parse error: expected ';'\n" AT("identifier 'i'", "1:26")
	  SRC("probe begin { for (i = 0 i < 3) {} }") "                                      ^\n" },
	{ "ternary needs colon", "probe begin { x = a ? b }",
	  "parse error: expected ':'\n" AT("operator '}'", "1:25")
	  SRC("probe begin { x = a ? b }") "                                     ^\n" },
	{ "missing probe body", "probe begin end",
	  "parse error: expected '.', ',', '(' or '{'\n" AT("identifier 'end'", "1:13")
	  SRC("probe begin end") "                         ^\n" },
	{ "tabs in caret line", "probe begin {\n\t\tx = (1 + * 2)\n}",
	  "parse error: expected expression\n" AT("operator '*'", "2:12")
	  SRC("\t\tx = (1 + * 2)") "             \t\t         ^\n" },
	{ "missing function params", "function f { }",
	  "parse error: expected '('\n" AT("operator '{'", "1:12")
	  SRC("function f { }") "                        ^\n" },
	{ "block after else required", "probe begin { if (x) {}; else y }",
	  "parse error: expected statement or '}'\n" AT("keyword 'else'", "1:26")
	  SRC("probe begin { if (x) {}; else y }") "                                      ^\n" },
};

/* ---- fields the translator relies on -------------------------------------- */

static struct node *first_stmt(const struct program *p)
{
	return p->probes ? p->probes->body->body : NULL;
}

static void test_fields(void)
{
	struct program prog;
	struct capture c;
	const char *src =
		"global g = -5, s = \"x\\ty\"\n"
		"probe timer.ms(100) {\n"
		"  a += 0xffffffffffffffff + 017\n"
		"  for (i = 0; i < 3; i++) ;\n"
		"  if (a) return 1 else next\n"
		"}\n";

	memset(&prog, 0, sizeof(prog));
	capture_start(&c);
	int n = parse_script("f.stp", src, &prog);
	free(capture_end(&c));
	check(n == 0, "fields: parses");
	if (n)
		return;

	struct node *g = prog.globals;
	check(g && g->kind == N_GLOBAL && strcmp(g->str, "g") == 0, "global name");
	check(g->rhs && g->rhs->kind == N_NUMBER && g->rhs->num == -5, "negative literal value");
	check(strcmp(g->rhs->tok.text, "-5") == 0 && g->rhs->tok.loc.col == 12,
	      "negative literal token at the minus");
	check(g->next && g->next->rhs->kind == N_STRING &&
	      strcmp(g->next->rhs->str, "x\ty") == 0, "string literal decoded");

	struct node *p = prog.probes;
	check(p->kind == N_PROBE && p->tok.cls == TOKC_KEYWORD &&
	      strcmp(p->tok.text, "probe") == 0 && p->tok.loc.line == 2 &&
	      p->tok.loc.col == 1, "probe token is the keyword");
	check(strcmp(p->tok.loc.file, "f.stp") == 0, "token file name");
	struct node *pp = p->points;
	check(pp->kind == N_PROBE_POINT && strcmp(pp->tok.text, "timer") == 0 &&
	      pp->tok.loc.col == 7, "probe point token is the first component");
	struct node *comp = pp->components;
	check(comp->kind == N_COMPONENT && strcmp(comp->str, "timer") == 0 && !comp->arg,
	      "component without argument");
	comp = comp->next;
	check(comp && strcmp(comp->str, "ms") == 0 && comp->arg &&
	      comp->arg->kind == N_NUMBER && comp->arg->num == 100, "component argument");

	struct node *s = first_stmt(&prog);
	check(s->kind == N_EXPR_STMT && s->lhs->kind == N_ASSIGN &&
	      s->lhs->op == OP_ADD_ASSIGN, "compound assignment op");
	check(s->lhs->lhs->kind == N_VAR && strcmp(s->lhs->lhs->str, "a") == 0,
	      "assignment target is an N_VAR");
	check(s->lhs->tok.cls == TOKC_OPERATOR && strcmp(s->lhs->tok.text, "+=") == 0 &&
	      s->lhs->tok.loc.line == 3 && s->lhs->tok.loc.col == 5,
	      "assignment token is the operator");
	struct node *sum = s->lhs->rhs;
	check(sum->kind == N_BINARY && sum->op == '+' && sum->lhs->num == -1 &&
	      sum->rhs->num == 15, "hex and octal values");
	check(sum->temp == -1 && sum->type == TYPE_UNKNOWN && !sum->sym,
	      "pass-2 fields left at their defaults");

	s = s->next;
	check(s->kind == N_FOR && s->init && s->init->kind == N_EXPR_STMT &&
	      s->init->lhs->kind == N_ASSIGN && s->init->lhs->op == '=', "for init statement");
	check(s->cond && s->cond->kind == N_BINARY && s->cond->op == '<', "for condition");
	check(s->step && s->step->kind == N_INCDEC && s->step->op == OP_INC &&
	      s->step->is_postfix, "for step");
	check(s->body && s->body->kind == N_EMPTY, "empty loop body");
	check(strcmp(s->tok.text, "for") == 0 && s->tok.loc.col == 3, "for token");

	s = s->next;
	check(s->kind == N_IF && s->then_->kind == N_RETURN && s->then_->lhs &&
	      s->else_ && s->else_->kind == N_NEXT && !s->next, "if/return/next");
}

static void test_two_files(void)
{
	struct program prog;
	struct capture c;

	memset(&prog, 0, sizeof(prog));
	capture_start(&c);
	int n1 = parse_script("a.stp", "global x probe begin { x = 1 }", &prog);
	int n2 = parse_script("b.stp", "probe end {\n  y = (\n}", &prog);
	int n3 = parse_script("c.stp", "probe end { z = 3 }", &prog);
	char *err = capture_end(&c);

	check(n1 == 0 && n2 == 1 && n3 == 0, "error counts per file");
	check_str(err,
		  "parse error: expected expression\n"
		  "        at: operator '}' at b.stp:3:1\n"
		  "     source: }\n"
		  "             ^\n", "second file's error names its own file");
	free(err);
	struct node *p = prog.probes;
	check(p && strcmp(p->points->tok.text, "begin") == 0 &&
	      strcmp(p->tok.loc.file, "a.stp") == 0 && p->next &&
	      strcmp(p->next->points->tok.text, "end") == 0 &&
	      strcmp(p->next->tok.loc.file, "c.stp") == 0 && !p->next->next,
	      "declarations of good files appended in order");
	check(prog.globals && strcmp(prog.globals->str, "x") == 0, "global from first file");
}

static void test_diag(void)
{
	struct capture c;
	struct token_ref t = { TOKC_IDENT, "x", { "w.stp", 2, 3 } };
	char buf[64];

	diag_reset();
	diag_add_source("w.stp", "line one\n\tx = 1\n");
	capture_start(&c);
	diag_warning(&t, "unused %s", "x");
	diag_set_warnings(0);
	diag_warning(&t, "hidden");
	diag_set_warnings(1);
	diag_error("semantic error", NULL, "no location %d", 7);
	t.loc.file = "unknown.stp";
	diag_error("semantic error", &t, "no source");
	char *err = capture_end(&c);
	check_str(err,
		  "WARNING: unused x\n"
		  "        at: identifier 'x' at w.stp:2:3\n"
		  "     source: \tx = 1\n"
		  "             \t ^\n"
		  "semantic error: no location 7\n"
		  "semantic error: no source\n"
		  "        at: identifier 'x' at unknown.stp:2:3\n", "warning and error layout");
	free(err);
	check(diag_error_count() == 2, "warnings are not counted");

	struct {
		struct token_ref tok;
		const char *want;
	} d[] = {
		{ { TOKC_KEYWORD, "probe", { 0, 1, 1 } }, "keyword 'probe'" },
		{ { TOKC_OPERATOR, "+", { 0, 1, 1 } }, "operator '+'" },
		{ { TOKC_STRING, "a\nb\001", { 0, 1, 1 } }, "string 'a\\nb\\001'" },
		{ { TOKC_NUMBER, "12", { 0, 1, 1 } }, "number '12'" },
		{ { TOKC_EMBEDDED, "int x;", { 0, 1, 1 } }, "embedded-code" },
		{ { TOKC_EOF, "", { 0, 1, 1 } }, "end of input" },
	};
	for (size_t i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
		diag_describe_token(&d[i].tok, buf, sizeof(buf));
		check_str(buf, d[i].want, "token description");
	}
	struct token_ref longtok = { TOKC_STRING, "0123456789abcdefghij", { 0, 1, 1 } };
	diag_describe_token(&longtok, buf, 16);
	check(strlen(buf) < 16, "description fits a small buffer");
	diag_reset();
}

int main(void)
{
	char *p1, *err, *again, *err2;

	for (size_t i = 0; i < sizeof(ok_cases) / sizeof(ok_cases[0]); i++) {
		const struct ok_case *t = &ok_cases[i];
		int n = parse("t.stp", t->src, &p1, &err);
		check(n == 0 && !*err, "%s: parses cleanly", t->name);
		if (n) {
			printf("%s", err);
			free(err);
			continue;
		}
		check_str(p1, t->p1, t->name);
		/* The dump is itself a script; it must come back unchanged. */
		int n2 = parse("t.p1", p1, &again, &err2);
		check(n2 == 0, "%s: dump re-parses", t->name);
		if (!n2)
			check_str(again, p1, "re-parse is stable");
		free(again);
		free(err2);
		free(p1);
		free(err);
	}

	for (size_t i = 0; i < sizeof(err_cases) / sizeof(err_cases[0]); i++) {
		const struct err_case *t = &err_cases[i];
		int n = parse("t.stp", t->src, &p1, &err);
		check(n == 1, "%s: exactly one error (got %d)", t->name, n);
		check_str(err, t->err, t->name);
		free(p1);
		free(err);
	}

	test_fields();
	test_two_files();
	test_diag();

	ast_free_all();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
