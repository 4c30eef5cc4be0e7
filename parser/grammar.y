/* grammar.y - bison grammar for pass 1: SystemTap script tokens to the AST in ast.h. */

%require "3.8"
%define api.pure full
%define api.prefix {stp_yy}
%define api.token.prefix {TK_}
%define api.location.type {struct stp_yyltype}
%define parse.error custom
/* LAC makes the "expected ..." list exact instead of whatever survived
 * bison's default reductions. */
%define parse.lac full
%locations
%expect 0
%param {struct parse_state *ps}

%code requires {
#include "ast.h"
#include "parse_internal.h"
}

%code provides {
/* The flex scanner (lexer.l), renamed through YY_DECL so that the parser
 * can wrap it. */
int stp_lex_scan(STP_YYSTYPE *lval, STP_YYLTYPE *lloc, void *scanner);
}

%code {
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

static int stp_yylex(STP_YYSTYPE *lval, STP_YYLTYPE *lloc, struct parse_state *ps)
{
	return stp_lex_scan(lval, lloc, ps->scanner);
}

/* Only reached for "memory exhausted"; syntax errors go through
 * yyreport_syntax_error. */
static void stp_yyerror(STP_YYLTYPE *lloc, struct parse_state *ps, const char *msg)
{
	(void)lloc;
	if (strstr(msg, "exhausted"))
		diag_error("parse error", &ps->last, "script nested too deeply");
	else
		diag_error("parse error", &ps->last, "%s", msg);
}

static struct nlist list1(struct node *n)
{
	struct nlist l = { n, n };
	return l;
}

static struct nlist list_add(struct nlist l, struct node *n)
{
	if (!l.head)
		return list1(n);
	l.tail->next = n;
	l.tail = n;
	return l;
}

static struct node *mk_binary(struct token_ref *op, int code, struct node *l, struct node *r)
{
	struct node *n = node_new(N_BINARY, op);
	n->op = code;
	n->lhs = l;
	n->rhs = r;
	return n;
}

static struct node *mk_unary(struct token_ref *op, int code, struct node *e)
{
	struct node *n = node_new(N_UNARY, op);
	n->op = code;
	n->lhs = e;
	return n;
}

/* The grammar lets any expression reach an assignment so that the error
 * names the real problem instead of a puzzling "expected ..." list. */
static void need_var(struct node *e, const struct token_ref *op, const char *where)
{
	if (e->kind != N_VAR)
		diag_error("parse error", op, "expected a variable %s '%s'", where, op->text);
}

static struct node *mk_incdec(struct token_ref *op, int code, struct node *e, int postfix)
{
	struct node *n = node_new(N_INCDEC, op);
	n->op = code;
	n->lhs = e;
	n->is_postfix = postfix;
	return n;
}

static char *arena_concat(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *buf = malloc(la + lb + 1);
	if (!buf)
		return ast_strdup(b);
	memcpy(buf, a, la);
	memcpy(buf + la, b, lb + 1);
	char *r = ast_strdup(buf);
	free(buf);
	return r;
}

static struct node *mk_number(const struct token_ref *t, int negative)
{
	struct node *n = node_new(N_NUMBER, t);
	/* The lexer already checked the digits and the 64-bit range. */
	uint64_t v = strtoull(t->text, NULL, 0);
	if (negative) {
		if (v > (uint64_t)INT64_MAX + 1)
			diag_error("parse error", t, "number out of range");
		n->num = (int64_t)(0 - v);
		/* Reported as written, sign included: "-5" at the '-'. */
		char *text = arena_concat("-", t->text);
		n->tok.text = text;
	} else {
		n->num = (int64_t)v;
	}
	return n;
}

static struct node *mk_named(enum node_kind kind, const struct token_ref *t)
{
	struct node *n = node_new(kind, t);
	n->str = t->text;
	return n;
}

static void add_decl(struct node **list, struct node *n)
{
	*list = node_append(*list, n);
}
}

%union {
	struct token_ref tok;
	struct node *node;
	struct nlist list;
}

/* Aliases are what the "expected ..." messages show. */
%token <tok> IDENT "identifier" NUMBER "number" STRING "string"
%token <tok> EMBEDDED "embedded-code"
%token <tok> PROBE "probe" GLOBAL "global" FUNCTION "function"
%token <tok> IF "if" ELSE "else" WHILE "while" FOR "for" FOREACH "foreach"
%token <tok> IN "in" BREAK "break" CONTINUE "continue" NEXT "next"
%token <tok> RETURN "return" DELETE "delete" TRY "try" CATCH "catch"
%token <tok> PRIVATE "private"
%token <tok> PLUS "+" MINUS "-" STAR "*" SLASH "/" PERCENT "%" DOT "."
%token <tok> LT "<" GT ">" LE "<=" GE ">=" EQ "==" NE "!="
%token <tok> SHL "<<" SHR ">>" AMP "&" PIPE "|" CARET "^"
%token <tok> ANDAND "&&" OROR "||" BANG "!" TILDE "~" INC "++" DEC "--"
%token <tok> ASSIGN "=" ADD_ASSIGN "+=" SUB_ASSIGN "-=" MUL_ASSIGN "*="
%token <tok> DIV_ASSIGN "/=" MOD_ASSIGN "%=" CAT_ASSIGN ".="
%token <tok> SHL_ASSIGN "<<=" SHR_ASSIGN ">>=" AND_ASSIGN "&="
%token <tok> OR_ASSIGN "|=" XOR_ASSIGN "^="
%token <tok> QUESTION "?" COLON ":" SEMI ";" COMMA ","
%token <tok> LPAREN "(" RPAREN ")" LBRACE "{" RBRACE "}"
%token <tok> LBRACKET "[" RBRACKET "]"

%type <node> literal component probe_point block statement stmt_nonempty
%type <node> simple_stmt expr opt_expr global_item
%type <list> point_list components global_list opt_params params
%type <list> stmt_list opt_args args
%type <tok> comp_name

/* Statements need no separator, so "x -y" could be one statement or two;
 * like SystemTap we keep extending the expression.  STMT_END is the
 * precedence of "the statement could end here", lower than any token that
 * can continue it; THEN is the usual dangling-else device. */
%precedence STMT_END
%precedence THEN
%precedence ELSE
%precedence SEMI
%precedence IDENT NUMBER STRING BANG TILDE
%right ASSIGN ADD_ASSIGN SUB_ASSIGN MUL_ASSIGN DIV_ASSIGN MOD_ASSIGN CAT_ASSIGN SHL_ASSIGN SHR_ASSIGN AND_ASSIGN OR_ASSIGN XOR_ASSIGN
%right QUESTION
%left OROR
%left ANDAND
%left PIPE
%left CARET
%left AMP
%left EQ NE LT LE GT GE
%left SHL SHR
%left PLUS MINUS DOT
%left STAR SLASH PERCENT
%precedence UNARY
%precedence INC DEC
%precedence LPAREN

%%

script:
	%empty
	| script declaration
	| script SEMI
	;

declaration:
	PROBE point_list block {
		struct node *n = node_new(N_PROBE, &$1);
		n->points = $2.head;
		n->body = $3;
		add_decl(&ps->prog->probes, n);
	}
	| GLOBAL global_list {
		add_decl(&ps->prog->globals, $2.head);
	}
	| FUNCTION IDENT LPAREN opt_params RPAREN block {
		struct node *n = mk_named(N_FUNCTION, &$2);
		n->params = $4.head;
		n->body = $6;
		add_decl(&ps->prog->functions, n);
	}
	;

point_list:
	probe_point { $$ = list1($1); }
	| point_list COMMA probe_point { $$ = list_add($1, $3); }
	;

probe_point:
	components {
		$$ = node_new(N_PROBE_POINT, &$1.head->tok);
		$$->components = $1.head;
	}
	;

components:
	component { $$ = list1($1); }
	| components DOT component { $$ = list_add($1, $3); }
	;

component:
	comp_name { $$ = mk_named(N_COMPONENT, &$1); }
	| comp_name LPAREN literal RPAREN {
		$$ = mk_named(N_COMPONENT, &$1);
		$$->arg = $3;
	}
	;

/* Probe point names such as "function(...).return" reuse keywords. */
comp_name:
	IDENT | PROBE | GLOBAL | FUNCTION | IF | ELSE | WHILE | FOR | FOREACH
	| IN | BREAK | CONTINUE | NEXT | RETURN | DELETE | TRY | CATCH | PRIVATE
	;

literal:
	NUMBER { $$ = mk_number(&$1, 0); }
	| MINUS NUMBER {
		$$ = mk_number(&$2, 1);
		$$->tok.loc = $1.loc;
	}
	| STRING { $$ = mk_named(N_STRING, &$1); }
	;

global_list:
	global_item { $$ = list1($1); }
	| global_list COMMA global_item { $$ = list_add($1, $3); }
	;

global_item:
	IDENT { $$ = mk_named(N_GLOBAL, &$1); }
	| IDENT ASSIGN literal {
		$$ = mk_named(N_GLOBAL, &$1);
		$$->rhs = $3;
	}
	;

opt_params:
	%empty { $$ = list1(NULL); }
	| params
	;

params:
	IDENT { $$ = list1(mk_named(N_VAR, &$1)); }
	| params COMMA IDENT { $$ = list_add($1, mk_named(N_VAR, &$3)); }
	;

block:
	LBRACE stmt_list RBRACE {
		$$ = node_new(N_BLOCK, &$1);
		$$->body = $2.head;
	}
	;

/* A ';' between statements carries no meaning, so it is dropped here
 * rather than kept as an N_EMPTY; N_EMPTY only appears where a statement
 * is required, as in "while (x) ;". */
stmt_list:
	%empty { $$ = list1(NULL); }
	| stmt_list stmt_nonempty { $$ = list_add($1, $2); }
	| stmt_list SEMI
	;

statement:
	stmt_nonempty
	| SEMI { $$ = node_new(N_EMPTY, &$1); }
	;

/* A simple statement swallows one optional ';' so that
 * "if (x) y = 1; else z = 2" works as in C. */
stmt_nonempty:
	simple_stmt %prec STMT_END
	| simple_stmt SEMI
	| block
	| IF LPAREN expr RPAREN statement %prec THEN {
		$$ = node_new(N_IF, &$1);
		$$->cond = $3;
		$$->then_ = $5;
	}
	| IF LPAREN expr RPAREN statement ELSE statement {
		$$ = node_new(N_IF, &$1);
		$$->cond = $3;
		$$->then_ = $5;
		$$->else_ = $7;
	}
	| WHILE LPAREN expr RPAREN statement {
		$$ = node_new(N_WHILE, &$1);
		$$->cond = $3;
		$$->body = $5;
	}
	| FOR LPAREN opt_expr SEMI opt_expr SEMI opt_expr RPAREN statement {
		$$ = node_new(N_FOR, &$1);
		if ($3) {
			$$->init = node_new(N_EXPR_STMT, &$3->tok);
			$$->init->lhs = $3;
		}
		$$->cond = $5;
		$$->step = $7;
		$$->body = $9;
	}
	;

simple_stmt:
	expr %prec STMT_END {
		$$ = node_new(N_EXPR_STMT, &$1->tok);
		$$->lhs = $1;
	}
	| BREAK { $$ = node_new(N_BREAK, &$1); }
	| CONTINUE { $$ = node_new(N_CONTINUE, &$1); }
	| NEXT { $$ = node_new(N_NEXT, &$1); }
	| RETURN %prec STMT_END { $$ = node_new(N_RETURN, &$1); }
	| RETURN expr %prec STMT_END {
		$$ = node_new(N_RETURN, &$1);
		$$->lhs = $2;
	}
	;

opt_expr:
	%empty { $$ = NULL; }
	| expr
	;

expr:
	expr ASSIGN expr { $$ = mk_binary(&$2, '=', $1, $3); $$->kind = N_ASSIGN; need_var($1, &$2, "on the left of"); }
	| expr ADD_ASSIGN expr { $$ = mk_binary(&$2, OP_ADD_ASSIGN, $1, $3); $$->kind = N_ASSIGN; need_var($1, &$2, "on the left of"); }
	| expr SUB_ASSIGN expr { $$ = mk_binary(&$2, OP_SUB_ASSIGN, $1, $3); $$->kind = N_ASSIGN; need_var($1, &$2, "on the left of"); }
	| expr MUL_ASSIGN expr { $$ = mk_binary(&$2, OP_MUL_ASSIGN, $1, $3); $$->kind = N_ASSIGN; need_var($1, &$2, "on the left of"); }
	| expr DIV_ASSIGN expr { $$ = mk_binary(&$2, OP_DIV_ASSIGN, $1, $3); $$->kind = N_ASSIGN; need_var($1, &$2, "on the left of"); }
	| expr MOD_ASSIGN expr { $$ = mk_binary(&$2, OP_MOD_ASSIGN, $1, $3); $$->kind = N_ASSIGN; need_var($1, &$2, "on the left of"); }
	| expr CAT_ASSIGN expr { $$ = mk_binary(&$2, OP_CAT_ASSIGN, $1, $3); $$->kind = N_ASSIGN; need_var($1, &$2, "on the left of"); }
	| expr SHL_ASSIGN expr { $$ = mk_binary(&$2, OP_SHL_ASSIGN, $1, $3); $$->kind = N_ASSIGN; need_var($1, &$2, "on the left of"); }
	| expr SHR_ASSIGN expr { $$ = mk_binary(&$2, OP_SHR_ASSIGN, $1, $3); $$->kind = N_ASSIGN; need_var($1, &$2, "on the left of"); }
	| expr AND_ASSIGN expr { $$ = mk_binary(&$2, OP_AND_ASSIGN, $1, $3); $$->kind = N_ASSIGN; need_var($1, &$2, "on the left of"); }
	| expr OR_ASSIGN expr { $$ = mk_binary(&$2, OP_OR_ASSIGN, $1, $3); $$->kind = N_ASSIGN; need_var($1, &$2, "on the left of"); }
	| expr XOR_ASSIGN expr { $$ = mk_binary(&$2, OP_XOR_ASSIGN, $1, $3); $$->kind = N_ASSIGN; need_var($1, &$2, "on the left of"); }
	| expr QUESTION expr COLON expr %prec QUESTION {
		$$ = node_new(N_TERNARY, &$2);
		$$->cond = $1;
		$$->then_ = $3;
		$$->else_ = $5;
	}
	| expr OROR expr { $$ = mk_binary(&$2, OP_OR_OR, $1, $3); }
	| expr ANDAND expr { $$ = mk_binary(&$2, OP_AND_AND, $1, $3); }
	| expr PIPE expr { $$ = mk_binary(&$2, '|', $1, $3); }
	| expr CARET expr { $$ = mk_binary(&$2, '^', $1, $3); }
	| expr AMP expr { $$ = mk_binary(&$2, '&', $1, $3); }
	| expr EQ expr { $$ = mk_binary(&$2, OP_EQ, $1, $3); }
	| expr NE expr { $$ = mk_binary(&$2, OP_NE, $1, $3); }
	| expr LT expr { $$ = mk_binary(&$2, '<', $1, $3); }
	| expr LE expr { $$ = mk_binary(&$2, OP_LE, $1, $3); }
	| expr GT expr { $$ = mk_binary(&$2, '>', $1, $3); }
	| expr GE expr { $$ = mk_binary(&$2, OP_GE, $1, $3); }
	| expr SHL expr { $$ = mk_binary(&$2, OP_SHL, $1, $3); }
	| expr SHR expr { $$ = mk_binary(&$2, OP_SHR, $1, $3); }
	| expr PLUS expr { $$ = mk_binary(&$2, '+', $1, $3); }
	| expr MINUS expr { $$ = mk_binary(&$2, '-', $1, $3); }
	| expr DOT expr { $$ = mk_binary(&$2, '.', $1, $3); }
	| expr STAR expr { $$ = mk_binary(&$2, '*', $1, $3); }
	| expr SLASH expr { $$ = mk_binary(&$2, '/', $1, $3); }
	| expr PERCENT expr { $$ = mk_binary(&$2, '%', $1, $3); }
	| MINUS expr %prec UNARY { $$ = mk_unary(&$1, '-', $2); }
	| PLUS expr %prec UNARY { $$ = mk_unary(&$1, '+', $2); }
	| BANG expr %prec UNARY { $$ = mk_unary(&$1, '!', $2); }
	| TILDE expr %prec UNARY { $$ = mk_unary(&$1, '~', $2); }
	/* ++/-- take a name syntactically: "x++ ++y" must be two statements,
	 * which only works if "(x++)++" is not a parse. */
	| INC IDENT { $$ = mk_incdec(&$1, OP_INC, mk_named(N_VAR, &$2), 0); }
	| DEC IDENT { $$ = mk_incdec(&$1, OP_DEC, mk_named(N_VAR, &$2), 0); }
	| IDENT INC { $$ = mk_incdec(&$2, OP_INC, mk_named(N_VAR, &$1), 1); }
	| IDENT DEC { $$ = mk_incdec(&$2, OP_DEC, mk_named(N_VAR, &$1), 1); }
	| NUMBER { $$ = mk_number(&$1, 0); }
	| STRING { $$ = mk_named(N_STRING, &$1); }
	| IDENT %prec STMT_END { $$ = mk_named(N_VAR, &$1); }
	| IDENT LPAREN opt_args RPAREN {
		$$ = mk_named(N_CALL, &$1);
		$$->args = $3.head;
	}
	| LPAREN expr RPAREN { $$ = $2; }
	;

opt_args:
	%empty { $$ = list1(NULL); }
	| args
	;

args:
	expr { $$ = list1($1); }
	| args COMMA expr { $$ = list_add($1, $3); }
	;

%%

/* ---- syntax error messages ------------------------------------------- */

/* Token groups that get one name in "expected ..." lists: listing the
 * twenty tokens that may start a statement helps nobody. */
static const yysymbol_kind_t expr_start[] = {
	YYSYMBOL_IDENT, YYSYMBOL_NUMBER, YYSYMBOL_STRING, YYSYMBOL_LPAREN,
	YYSYMBOL_MINUS, YYSYMBOL_PLUS, YYSYMBOL_BANG, YYSYMBOL_TILDE,
	YYSYMBOL_INC, YYSYMBOL_DEC,
};
static const yysymbol_kind_t stmt_start[] = {
	YYSYMBOL_LBRACE, YYSYMBOL_IF, YYSYMBOL_WHILE, YYSYMBOL_FOR,
	YYSYMBOL_BREAK, YYSYMBOL_CONTINUE, YYSYMBOL_NEXT, YYSYMBOL_RETURN,
};
static const yysymbol_kind_t decl_start[] = {
	YYSYMBOL_PROBE, YYSYMBOL_GLOBAL, YYSYMBOL_FUNCTION,
};
static const yysymbol_kind_t keywords[] = {
	YYSYMBOL_PROBE, YYSYMBOL_GLOBAL, YYSYMBOL_FUNCTION, YYSYMBOL_IF,
	YYSYMBOL_ELSE, YYSYMBOL_WHILE, YYSYMBOL_FOR, YYSYMBOL_FOREACH,
	YYSYMBOL_IN, YYSYMBOL_BREAK, YYSYMBOL_CONTINUE, YYSYMBOL_NEXT,
	YYSYMBOL_RETURN, YYSYMBOL_DELETE, YYSYMBOL_TRY, YYSYMBOL_CATCH,
	YYSYMBOL_PRIVATE,
};
/* Tokens that could extend the expression just read.  After a complete
 * expression they are always possible, so they are noise when anything
 * else (the ')' or ';' the user most likely forgot) is expected too. */
static const yysymbol_kind_t continuations[] = {
	YYSYMBOL_PLUS, YYSYMBOL_MINUS, YYSYMBOL_STAR, YYSYMBOL_SLASH,
	YYSYMBOL_PERCENT, YYSYMBOL_DOT, YYSYMBOL_LT, YYSYMBOL_GT, YYSYMBOL_LE,
	YYSYMBOL_GE, YYSYMBOL_EQ, YYSYMBOL_NE, YYSYMBOL_SHL, YYSYMBOL_SHR,
	YYSYMBOL_AMP, YYSYMBOL_PIPE, YYSYMBOL_CARET, YYSYMBOL_ANDAND,
	YYSYMBOL_OROR, YYSYMBOL_INC, YYSYMBOL_DEC, YYSYMBOL_ASSIGN,
	YYSYMBOL_ADD_ASSIGN, YYSYMBOL_SUB_ASSIGN, YYSYMBOL_MUL_ASSIGN,
	YYSYMBOL_DIV_ASSIGN, YYSYMBOL_MOD_ASSIGN, YYSYMBOL_CAT_ASSIGN,
	YYSYMBOL_SHL_ASSIGN, YYSYMBOL_SHR_ASSIGN, YYSYMBOL_AND_ASSIGN,
	YYSYMBOL_OR_ASSIGN, YYSYMBOL_XOR_ASSIGN, YYSYMBOL_QUESTION,
	YYSYMBOL_LPAREN,
};

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

static int all_in(const unsigned char *in, const yysymbol_kind_t *set, int n)
{
	for (int i = 0; i < n; i++)
		if (!in[set[i]])
			return 0;
	return 1;
}

static void clear_set(unsigned char *in, const yysymbol_kind_t *set, int n)
{
	for (int i = 0; i < n; i++)
		in[set[i]] = 0;
}

static void sym_display(yysymbol_kind_t k, char *buf, size_t size)
{
	switch (k) {
	case YYSYMBOL_YYEOF: snprintf(buf, size, "end of input"); return;
	case YYSYMBOL_IDENT: snprintf(buf, size, "identifier"); return;
	case YYSYMBOL_NUMBER: snprintf(buf, size, "number"); return;
	case YYSYMBOL_STRING: snprintf(buf, size, "string"); return;
	case YYSYMBOL_EMBEDDED: snprintf(buf, size, "embedded-code"); return;
	default: break;
	}
	/* Operators and keywords are quoted as the user would write them. */
	const char *name = yysymbol_name(k);
	int len = (int)strlen(name);
	if (len >= 2 && name[0] == '"' && name[len - 1] == '"')
		snprintf(buf, size, "'%.*s'", len - 2, name + 1);
	else
		snprintf(buf, size, "'%s'", name);
}

static int yyreport_syntax_error(const yypcontext_t *ctx, struct parse_state *ps)
{
	yysymbol_kind_t expected[YYNTOKENS];
	unsigned char in[YYNTOKENS];
	const char *category = NULL;

	memset(in, 0, sizeof(in));
	int n = yypcontext_expected_tokens(ctx, expected, YYNTOKENS);
	for (int i = 0; i < n; i++)
		if (expected[i] >= 0 && expected[i] < YYNTOKENS)
			in[expected[i]] = 1;

	if (all_in(in, expr_start, COUNT(expr_start)) &&
	    all_in(in, stmt_start, COUNT(stmt_start))) {
		/* Anything else possible here ('else', operators, ';') is a
		 * detail next to "a statement or the end of the block". */
		int rbrace = in[YYSYMBOL_RBRACE];
		memset(in, 0, sizeof(in));
		in[YYSYMBOL_RBRACE] = (unsigned char)rbrace;
		category = "statement";
	} else if (in[YYSYMBOL_IDENT] && all_in(in, keywords, COUNT(keywords))) {
		in[YYSYMBOL_IDENT] = 0;
		clear_set(in, keywords, COUNT(keywords));
		category = "probe point component";
	} else if (all_in(in, expr_start, COUNT(expr_start))) {
		clear_set(in, expr_start, COUNT(expr_start));
		clear_set(in, continuations, COUNT(continuations));
		category = "expression";
	} else if (all_in(in, decl_start, COUNT(decl_start))) {
		/* ';' and the end of input are always fine between declarations. */
		in[YYSYMBOL_SEMI] = 0;
		in[YYSYMBOL_YYEOF] = 0;
	} else {
		/* '*' is possible only right after an expression; elsewhere '.'
		 * and '(' belong to probe points and must stay listed. */
		unsigned char rest[YYNTOKENS];
		memcpy(rest, in, sizeof(rest));
		clear_set(rest, continuations, COUNT(continuations));
		if (in[YYSYMBOL_STAR] && memchr(rest, 1, sizeof(rest)))
			memcpy(in, rest, sizeof(in));
		/* Where only a literal fits, '-' is part of a negative number. */
		if (in[YYSYMBOL_NUMBER] && in[YYSYMBOL_MINUS] && !in[YYSYMBOL_IDENT])
			in[YYSYMBOL_MINUS] = 0;
	}

	enum { MAX_ITEMS = 5 };
	char items[MAX_ITEMS][32];
	int ni = 0, too_many = 0;
	if (category)
		snprintf(items[ni++], sizeof(items[0]), "%s", category);
	for (int k = 0; k < YYNTOKENS; k++) {
		if (!in[k])
			continue;
		if (ni == MAX_ITEMS) {
			too_many = 1;
			break;
		}
		sym_display((yysymbol_kind_t)k, items[ni++], sizeof(items[0]));
	}

	if (ni == 0 || too_many) {
		char desc[128];
		diag_describe_token(&ps->last, desc, sizeof(desc));
		diag_error("parse error", &ps->last, "unexpected %s", desc);
		return 0;
	}
	char msg[MAX_ITEMS * 40];
	int len = snprintf(msg, sizeof(msg), "expected %s", items[0]);
	for (int i = 1; i < ni && len > 0 && (size_t)len < sizeof(msg); i++)
		len += snprintf(msg + len, sizeof(msg) - len, "%s%s",
				i == ni - 1 ? " or " : ", ", items[i]);
	diag_error("parse error", &ps->last, "%s", msg);
	return 0;
}


int parse_script(const char *file, const char *text, struct program *prog)
{
	struct parse_state ps;
	int before = diag_error_count();

	memset(&ps, 0, sizeof(ps));
	ps.file = ast_strdup(file ? file : "<input>");
	ps.text = text ? text : "";
	ps.prog = prog;
	ps.line = ps.col = 1;
	ps.last.cls = TOKC_EOF;
	ps.last.text = "";
	ps.last.loc.file = ps.file;
	ps.last.loc.line = ps.last.loc.col = 1;
	diag_add_source(ps.file, ps.text);

	ps.scanner = lex_open(&ps, ps.text);
	int rc = stp_yyparse(&ps);
	lex_close(ps.scanner);

	int errors = diag_error_count() - before;
	if (rc != 0 && errors == 0) {
		/* Never let a failed parse look like success. */
		diag_error("parse error", &ps.last, "unexpected %s", "input");
		errors = 1;
	}
	return errors;
}
