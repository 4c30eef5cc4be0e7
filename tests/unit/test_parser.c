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
	diag_reset();	/* each case is a fresh run: no messages seen yet */
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
	{ "concat below additive", "probe begin { s = \"a\" . 1 + 2 * 3 << 1 }",
	  HDR "probe begin {\n  s = ((\"a\" . (1 + (2 * 3))) << 1)\n}\n" },
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
	{ "declaration order with aliases and embeds",
	  "probe p { } probe a = b { } %{ one %} function f() { } global g %{ two %}",
	  HDR "global g\n%{ one %}\n%{ two %}\nfunction f() {\n}\nprobe a = b {\n}\n"
	  "probe p {\n}\n" },
	{ "arrays and statistics",
	  "global a probe begin { a[1, x] <<< 2 y = @avg(a[1, x]) + [*, 2] in a delete a[*, 1] }",
	  HDR "global a\nprobe begin {\n  a[1, x] <<< 2\n  y = (@avg(a[1, x]) + ([*, 2] in a))\n"
	  "  delete a[*, 1]\n}\n" },
	{ "foreach everything",
	  "probe end { foreach (v- = [a, b] in arr[*, 1] limit 2 + 3) { } }",
	  HDR "probe end {\n  foreach (v = [a, b] in arr[*, 1]- limit (2 + 3)) {\n  }\n}\n" },
	{ "target chains", "probe begin { x = &$p->a[i + 1]->b$$ }",
	  HDR "probe begin {\n  x = &$p->a[(i + 1)]->b$$\n}\n" },
	{ "macro and conditional", "@define inc(v) %( @v++ %) probe begin { %( arch == \"x86_64\" %? @inc(x) %: @inc(y) %) }",
	  HDR "probe begin {\n  x++\n}\n" },
	{ "glued statements", "probe begin { x \"a\" \"b\"; \"c\" y [1] in a; z; &$q }",
	  HDR "probe begin {\n  x;\n  \"ab\";\n  \"c\"\n  y[1] in a\n  z;\n  &$q\n}\n" },
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
	  "parse error: expected 'probe', 'global', 'private', 'function' or '%{'\n" AT("identifier 'x'", "1:1")
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
	  "parse error: expected variable\n" AT("number '1'", "1:17")
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
	{ "embedded code is a declaration", "\n  %{ int x; %} x",
	  "parse error: expected 'probe', 'global', 'private', 'function' or '%{'\n"
	  AT("identifier 'x'", "2:16")
	  SRC("  %{ int x; %} x") "                            ^\n" },
	{ "unterminated embedded code", "%{ int x;",
	  "parse error: unterminated embedded code\n" AT("embedded-code", "1:1")
	  SRC("%{ int x;") "             ^\n" },
	{ "reserved keyword", "probe begin { x = limit }",
	  "parse error: expected expression\n" AT("keyword 'limit'", "1:19")
	  SRC("probe begin { x = limit }") "                               ^\n" },
	{ "invalid character", "probe begin { x = `y }",
	  "parse error: invalid character\n" AT("operator '`'", "1:19")
	  SRC("probe begin { x = `y }") "                               ^\n" },
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
	  "parse error: expected ':' or '('\n" AT("operator '{'", "1:12")
	  SRC("function f { }") "                        ^\n" },
	{ "unterminated conditional", "probe begin { %( arch == \"x\" %? x }",
	  "parse error: incomplete conditional at end of file\n" AT("operator '%('", "1:15")
	  SRC("probe begin { %( arch == \"x\" %? x }") "                           ^\n" },
	{ "unknown macro", "probe begin { @m }",
	  "parse error: unknown macro '@m'\n" AT("operator '@m'", "1:15")
	  SRC("probe begin { @m }") "                           ^\n" },
	{ "macro arity", "@define m(a) %( @a %) probe begin { @m(1, 2) }",
	  "parse error: too many parameters for macro '@m' (expected 1)\n" AT("operator ','", "1:41")
	  SRC("@define m(a) %( @a %) probe begin { @m(1, 2) }") "                                                     ^\n" },
	{ "argument out of range", "probe begin { x = $3 }",
	  "parse error: command line argument index 3 out of range [1-0]\n" AT("operator '$3'", "1:19")
	  SRC("probe begin { x = $3 }") "                               ^\n" },
	{ "bad condition", "probe begin { %( foo == 1 %? x %) }",
	  "parse error: expected 'arch', 'kernel_v', 'kernel_vr', 'systemtap_v', 'runtime', "
	  "'systemtap_privilege', 'guru_mode', 'CONFIG_...', a string or a number\n"
	  AT("identifier 'foo'", "1:18")
	  SRC("probe begin { %( foo == 1 %? x %) }") "                              ^\n" },
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


/* ---- several errors in one run -------------------------------------------- */

struct multi_case {
	const char *name, *src;
	int errors;
	const char *first_lines;	/* the "parse error:" lines, in order */
};

static const struct multi_case multi_cases[] = {
	{ "two broken probes",
	  "probe begin { x = }\nprobe end { y = ) }\nprobe timer.s(1) { z = 1 }",
	  2, "parse error: expected expression\nparse error: expected expression\n" },
	{ "error right after recovery is reported",
	  "probe begin { x = }\nprobe { }\n", 2,
	  "parse error: expected expression\nparse error: expected probe point component\n" },
	{ "lexer error then syntax error",
	  "probe begin { s = \"abc\n}\nfunction f( { }\n", 2,
	  "parse error: newline in string\nparse error: expected identifier or ')'\n" },
	{ "preprocessor error then syntax error",
	  "probe begin { x = @nope }\nglobal 1\n", 2,
	  "parse error: unknown macro '@nope'\nparse error: expected identifier\n" },
	{ "recovery stops at embedded code and private",
	  "probe begin { + }\n%{ int x; %}\nprobe end { - }\nprivate x = ( \nglobal ok\n", 3,
	  "parse error: expected expression\nparse error: expected expression\n"
	  "parse error: expected number or string\n" },
	{ "macros defined while skipping still count",
	  "probe begin { = }\n@define m %( 1 %)\nprobe end { x = @m y = }\n", 2,
	  "parse error: expected statement or '}'\nparse error: expected expression\n" },
	{ "pass-1 semantic checks do not stop the parse",
	  "global a[0]\nprobe begin?! { f() <<< 1 }\nprobe end { delete 1 }\n", 4,
	  "parse error: array size out of range\nparse error: '?' or '!' respecified\n"
	  "parse error: expected a variable on the left of '<<<'\n"
	  "parse error: expected a variable or array element after 'delete'\n" },
	{ "two preprocessor errors",
	  "probe begin { %( arch < \"x\" %? a %: b %) $1 }\nprobe end { %) }\n", 3,
	  "parse error: expected '==' or '!='\n"
	  "parse error: command line argument index 1 out of range [1-0]\n"
	  "parse error: incomplete conditional - missing '%('\n" },
};

/* Only the first line of each message: the rest is checked elsewhere. */
static char *message_lines(const char *err)
{
	char *out = calloc(1, strlen(err) + 1);
	for (const char *p = err; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p + 1) : strlen(p);
		if (strncmp(p, "parse error:", 12) == 0)
			strncat(out, p, n);
		p += n;
	}
	return out;
}

static void test_multi(void)
{
	char *p1, *err;

	for (size_t i = 0; i < sizeof(multi_cases) / sizeof(multi_cases[0]); i++) {
		const struct multi_case *t = &multi_cases[i];
		int n = parse("t.stp", t->src, &p1, &err);
		check(n == t->errors, "%s: %d errors (got %d)", t->name, t->errors, n);
		char *lines = message_lines(err);
		check_str(lines, t->first_lines, t->name);
		free(lines);
		free(p1);
		free(err);
	}
}

/* ---- parse_options: script arguments and conditions ------------------------- */

static const char *lookup_config(void *ctx, const char *name)
{
	(void)ctx;
	return strcmp(name, "CONFIG_FROM_CALLBACK") == 0 ? "m" : NULL;
}

static int parse_opts(const struct parse_options *o, const char *src, char **p1, char **err)
{
	struct program prog;
	struct capture c;

	memset(&prog, 0, sizeof(prog));
	capture_start(&c);
	int n = parse_script_with("t.stp", src, o, &prog);
	*err = capture_end(&c);
	*p1 = n ? NULL : dump(&prog);
	return n;
}

static void test_options(void)
{
	static const char *const argv[] = { "42", "-7", "0x1f", "hello \"world\"", "abc", "1.5" };
	static const char *const kconfig[] = { "CONFIG_SMP=y", "CONFIG_HZ=250", "CONFIG_X=", NULL };
	struct parse_options o;
	char *p1, *err;

	memset(&o, 0, sizeof(o));
	o.argc = 6;
	o.argv = argv;
	o.kernel_release = "6.1.0-56-amd64";
	o.arch = "arm64";
	o.kconfig = kconfig;
	o.kconfig_lookup = lookup_config;
	o.guru = 1;
	o.systemtap_v = "4.9";
	o.privilege = "stapusr";

	int n = parse_opts(&o,
		"probe begin {\n"
		"  a = $1 + $2 b = $3 s = @4 t = @1 c = $# d = @#\n"
		"  %( kernel_v == \"6.1.0\" && kernel_vr == \"6.1.0-56-amd64\" %? e = 1 %: e = 0 %)\n"
		"  %( kernel_v >= \"6.1\" && kernel_v < \"6.10\" && kernel_v > \"5.19.3\" %? f = 1 %: f = 0 %)\n"
		"  %( kernel_vr == \"6.1.*-amd64\" %? g = 1 %: g = 0 %)\n"
		"  %( arch == \"arm64\" %? h = 1 %: h = 0 %)\n"
		"  %( CONFIG_SMP == \"y\" && CONFIG_HZ >= 250 && CONFIG_HZ < 1000 %? i = 1 %: i = 0 %)\n"
		"  %( CONFIG_FROM_CALLBACK == \"m\" && !CONFIG_X && CONFIG_SMP %? j = 1 %: j = 0 %)\n"
		"  %( guru_mode == 1 && systemtap_v < \"5.0\" %? k = 1 %: k = 0 %)\n"
		"  %( systemtap_privilege == \"stapusr\" %? l = 1 %: l = 0 %)\n"
		"  %( $# == 6 && @1 == \"42\" && $2 < 0 %? m = 1 %: m = 0 %)\n"
		"}\n", &p1, &err);
	check(n == 0, "options: parses");
	if (!n)
		check_str(p1, HDR "probe begin {\n"
			  "  a = (42 + -7)\n  b = 31\n  s = \"hello \\\"world\\\"\"\n  t = \"42\"\n"
			  "  c = 6\n  d = \"6\"\n  e = 1\n  f = 1\n  g = 1\n  h = 1\n  i = 1\n"
			  "  j = 1\n  k = 1\n  l = 1\n  m = 1\n}\n", "options: substitutions and conditions");
	else
		printf("%s", err);
	free(p1);
	free(err);

	n = parse_opts(&o, "probe begin { x = $5 }", &p1, &err);
	check(n == 1, "options: non-numeric $5 is an error");
	check_str(err, "parse error: argument $5 is not a number\n" AT("operator '$5'", "1:19")
		  SRC("probe begin { x = $5 }") "                               ^\n",
		  "options: not a number message");
	free(p1);
	free(err);

	n = parse_opts(&o, "probe begin { x = $6 }", &p1, &err);
	check(n == 1, "options: \"1.5\" is not a number");
	free(p1);
	free(err);

	n = parse_opts(&o, "probe begin { x = @7 }", &p1, &err);
	check(n == 1, "options: @7 is out of range");
	check(strstr(err, "command line argument index 7 out of range [1-6]") != NULL,
	      "options: range names the argument count");
	free(p1);
	free(err);

	/* the defaults parse_script() uses */
	memset(&o, 0, sizeof(o));
	n = parse_opts(&o, "probe begin { %( arch == \"x86_64\" && runtime == \"kernel\" && "
		       "systemtap_v == \"5.0\" && systemtap_privilege == \"stapdev\" && "
		       "guru_mode == 0 && kernel_vr == \"\" && CONFIG_SMP == \"\" %? x = 1 %: x = 0 %) }",
		       &p1, &err);
	check(n == 0 && p1 && strstr(p1, "x = 1"), "options: defaults");
	free(p1);
	free(err);
}

/* ---- fields of the constructs added for the full language --------------------- */

static struct node *stmt_n(const struct program *p, int n)
{
	struct node *s = first_stmt(p);
	while (s && n-- > 0)
		s = s->next;
	return s;
}

static void test_new_fields(void)
{
	struct program prog;
	struct capture c;
	const char *src =
		"private global arr%[100]\n"
		"%{ /* top */ %}\n"
		"function f:string (a:long, b) %{ /* pure */ /* guru */ %}\n"
		"probe al.x += begin? if (g), end! { }\n"
		"@define two %( 2 %)\n"
		"probe begin {\n"
		"  foreach (v = [k1, k2-] in arr[*, 3] limit @two) x\n"
		"  try { } catch (e) { }\n"
		"  delete arr[1]\n"
		"  y = [a, *] in arr\n"
		"  z = $p->m[1]$\n"
		"  w = @cast(q, \"t\", \"mod\") . @variance(arr[1], 4)\n"
		"  r = s =~ \"x\"\n"
		"  h = @hist_linear(arr[1], 0, 10, 2)\n"
		"}\n";

	memset(&prog, 0, sizeof(prog));
	capture_start(&c);
	int n = parse_script("n.stp", src, &prog);
	char *err = capture_end(&c);
	check(n == 0, "new fields: parses");
	if (n) {
		printf("%s", err);
		free(err);
		return;
	}
	free(err);

	struct node *g = prog.globals;
	check(g && g->is_private && g->wrap && g->array_size == 100 && !g->rhs, "array global fields");
	check(prog.embeds && prog.embeds->kind == N_EMBEDDED &&
	      strcmp(prog.embeds->str, " /* top */ ") == 0 && prog.embeds->tok.loc.line == 2,
	      "top-level embedded block");
	struct node *f = prog.functions;
	check(f && f->decl_type == TYPE_STRING && f->params->decl_type == TYPE_LONG &&
	      f->params->next->decl_type == TYPE_UNKNOWN && f->type == TYPE_UNKNOWN,
	      "declared types");
	check(f->body->kind == N_EMBEDDED && f->body->embed_flags == (EMBED_PURE | EMBED_GURU),
	      "embedded function body and pragmas");

	struct node *a = prog.aliases;
	check(a && a->alias_op == OP_ADD_ASSIGN && a->aliases && !a->aliases->next &&
	      strcmp(a->aliases->components->str, "al") == 0 && !a->aliases->op,
	      "epilogue alias kept apart from probes");
	struct node *pt = a->points;
	check(pt->optional && !pt->sufficient && pt->cond && pt->cond->kind == N_VAR, "optional point with guard");
	check(pt->next->optional && pt->next->sufficient && !pt->next->cond, "sufficient point");
	check(prog.probes && !prog.probes->next && prog.probes->alias_op == 0, "one plain probe");

	struct node *s = stmt_n(&prog, 0);
	check(s->kind == N_FOREACH && strcmp(s->tok.text, "foreach") == 0 && s->lhs &&
	      strcmp(s->lhs->str, "v") == 0 && s->args && strcmp(s->args->next->str, "k2") == 0 &&
	      s->args->op == 0 && s->sort_dir == '-' && s->sort_col == 2, "foreach keys and sort");
	check(s->rhs->kind == N_VAR && s->slice && s->slice->kind == N_WILDCARD &&
	      s->slice->next->num == 3 && s->limit && s->limit->num == 2 &&
	      s->body->kind == N_EXPR_STMT, "foreach array, slice, limit (macro) and body");
	check(s->limit->tok.loc.line == 5, "expanded tokens keep the macro body's location");

	s = stmt_n(&prog, 1);
	check(s->kind == N_TRY && s->body->kind == N_BLOCK && s->lhs && strcmp(s->lhs->str, "e") == 0 &&
	      s->else_->kind == N_BLOCK, "try/catch fields");
	s = stmt_n(&prog, 2);
	check(s->kind == N_DELETE && s->lhs->kind == N_INDEX && strcmp(s->lhs->tok.text, "arr") == 0 &&
	      s->lhs->lhs->kind == N_VAR && s->lhs->args->num == 1, "delete of an element");
	s = stmt_n(&prog, 3);
	struct node *in = s->lhs->rhs;
	check(in->kind == N_IN && strcmp(in->tok.text, "in") == 0 && in->args->next->kind == N_WILDCARD &&
	      strcmp(in->rhs->str, "arr") == 0, "membership test");
	s = stmt_n(&prog, 4);
	struct node *t = s->lhs->rhs;
	check(t->kind == N_TARGET && strcmp(t->str, "$p") == 0 && t->pretty == 1 &&
	      t->members->kind == N_MEMBER && strcmp(t->members->str, "m") == 0 &&
	      strcmp(t->members->tok.text, "->") == 0 && t->members->next->kind == N_SUBSCRIPT &&
	      t->members->next->lhs->num == 1, "target chain");
	s = stmt_n(&prog, 5);
	struct node *cat = s->lhs->rhs;
	check(cat->lhs->kind == N_CAST && strcmp(cat->lhs->str, "t") == 0 &&
	      strcmp(cat->lhs->module, "mod") == 0 && cat->lhs->lhs->kind == N_VAR, "@cast fields");
	check(cat->rhs->kind == N_AGGREGATE && cat->rhs->op == AGG_VARIANCE &&
	      strcmp(cat->rhs->str, "variance") == 0 && cat->rhs->lhs->kind == N_INDEX &&
	      cat->rhs->args->num == 4 && strcmp(cat->rhs->tok.text, "@variance") == 0,
	      "aggregate fields");
	s = stmt_n(&prog, 6);
	check(s->lhs->rhs->kind == N_REGEX && s->lhs->rhs->op == OP_MATCH &&
	      s->lhs->rhs->rhs->kind == N_STRING, "regex fields");
	s = stmt_n(&prog, 7);
	struct node *h = s->lhs->rhs;
	check(h->kind == N_HIST && h->op == HIST_LINEAR && h->args->num == 0 &&
	      h->args->next->num == 10 && h->args->next->next->num == 2, "histogram fields");
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
	test_multi();
	test_options();
	test_new_fields();
	test_diag();

	ast_free_all();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
