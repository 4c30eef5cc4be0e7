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

static int starts_decl(int code)
{
	return code == TK_PROBE || code == TK_GLOBAL || code == TK_FUNCTION ||
	       code == TK_PRIVATE || code == TK_EMBEDDED || code == TK_YYEOF;
}

/* The grammar reads the preprocessor's output.  After an error, tokens are
 * dropped up to the next declaration keyword (as stap does), so one broken
 * probe costs one message and the rest of the file is still checked. */
static int stp_yylex(STP_YYSTYPE *lval, STP_YYLTYPE *lloc, struct parse_state *ps)
{
	int code;

	do {
		code = pp_next(ps->pp, &lval->tok);
		if (code == TK_STP_YYerror) {
			/* already reported; bison recovers without a message */
			ps->recovering = 1;
			break;
		}
	} while (ps->recovering && !starts_decl(code));
	if (code != TK_STP_YYerror)
		ps->recovering = 0;
	lloc->first_line = lloc->last_line = lval->tok.loc.line;
	lloc->first_column = lloc->last_column = lval->tok.loc.col;
	ps->last = lval->tok;
	return code;
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
%token <tok> LIMIT "limit" KW_STRING "keyword string" KW_LONG "long"
%token <tok> STAT_ADD "<<<" MATCH "=~" NMATCH "!~" ARROW "->"
%token <tok> TARGET "target variable" DOLLARS "$"
%token <tok> AT_CAST "@cast" AT_VAR "@var" AT_ENTRY "@entry" AT_DEFINED "@defined"
%token <tok> AT_PROBEWRITE "@probewrite" AT_CONST "@const" AT_REGISTER "@kregister"
%token <tok> STAT_OP "statistical operation" HIST_LOG "@hist_log" HIST_LINEAR "@hist_linear"
/* Only preprocess.c sees these; they never reach the rules. */
%token <tok> PP_OPEN "%(" PP_THEN "%?" PP_ELSE "%:" PP_CLOSE "%)"
%token <tok> AT_DEFINE "@define" AT_MACRO "macro" DOLLAR_ARG "$N" AT_ARG "@N"
%token <tok> DOLLAR_ARGC "$#" AT_ARGC "@#"

%type <node> literal component probe_point block statement stmt_nonempty
%type <node> simple_stmt expr opt_expr global_item param function_decl fbody
%type <node> lval value target target_expr indexable hist index_item number
%type <node> foreach_head foreach_vars key_var opt_limit catch_var opt_slice
%type <list> point_list components global_list opt_params params
%type <list> stmt_list opt_args args index_list key_list alias_names
%type <tok> comp_name comp_word comp_word2 comp_starred member_name type_name
%type <tok> string_lit opt_sort alias_op opt_array_sort comp_keyword_nif comp_word_kw

/* Statements need no separator, so "x -y" could be one statement or two;
 * like SystemTap we keep extending the expression.  STMT_END is the
 * precedence of "the statement could end here", lower than any token that
 * can continue it; THEN is the usual dangling-else device. */
%precedence STMT_END
%precedence THEN
%precedence ELSE
%precedence SEMI
%precedence IDENT NUMBER STRING BANG TILDE TARGET EMBEDDED AT_CAST AT_VAR AT_ENTRY
%precedence AT_DEFINED AT_PROBEWRITE AT_CONST AT_REGISTER STAT_OP HIST_LOG HIST_LINEAR
%right ASSIGN ADD_ASSIGN SUB_ASSIGN MUL_ASSIGN DIV_ASSIGN MOD_ASSIGN CAT_ASSIGN SHL_ASSIGN SHR_ASSIGN AND_ASSIGN OR_ASSIGN XOR_ASSIGN STAT_ADD
%right QUESTION
%left OROR
%left ANDAND
%left PIPE
%left CARET
%left AMP
%precedence IN
%left EQ NE LT LE GT GE MATCH NMATCH
%left SHL SHR
%left DOT
%left PLUS MINUS
%left STAR SLASH PERCENT
%precedence UNARY
%precedence INC DEC
%precedence LPAREN LBRACKET ARROW

%%

script:
	%empty
	| script declaration
	| script SEMI
	| script error {
		/* stp_yylex() now skips to a declaration keyword, so messages
		 * may resume at once instead of after bison's three tokens.
		 * YYUNDEF stands for the error token the lexer returned. */
		if (yychar == TK_STP_YYUNDEF)
			yychar = TK_STP_YYEMPTY;
		if (yychar == TK_STP_YYEMPTY || starts_decl(yychar)) {
			yyerrok;
			if (yychar != TK_STP_YYEMPTY)
				ps->recovering = 0;
		}
	}
	;

declaration:
	PROBE point_list block {
		struct node *n = node_new(N_PROBE, &$1);
		n->points = $2.head;
		n->body = $3;
		add_decl(&ps->prog->probes, n);
	}
	| PROBE alias_names point_list block {
		struct node *n = node_new(N_PROBE, &$1);
		n->aliases = $2.head;
		n->alias_op = $2.tail->op;
		$2.tail->op = 0;
		n->points = $3.head;
		n->body = $4;
		add_decl(&ps->prog->aliases, n);
	}
	| GLOBAL global_list { add_decl(&ps->prog->globals, $2.head); }
	| PRIVATE GLOBAL global_list {
		for (struct node *g = $3.head; g; g = g->next)
			g->is_private = 1;
		add_decl(&ps->prog->globals, $3.head);
	}
	| PRIVATE global_list {
		for (struct node *g = $2.head; g; g = g->next)
			g->is_private = 1;
		add_decl(&ps->prog->globals, $2.head);
	}
	| function_decl { add_decl(&ps->prog->functions, $1); }
	| PRIVATE function_decl {
		$2->is_private = 1;
		add_decl(&ps->prog->functions, $2);
	}
	| EMBEDDED { add_decl(&ps->prog->embeds, mk_embedded(&$1)); }
	;

/* "probe a = b, c" and "probe a += b": the names being defined.  Mixing
 * '=' and '+=' makes the whole alias an epilogue one; op of the last
 * point carries the kind until the declaration takes it. */
alias_names:
	components alias_op {
		struct node *pp = node_new(N_PROBE_POINT, &$1.head->tok);
		pp->components = $1.head;
		pp->op = $2.text[0] == '+' ? OP_ADD_ASSIGN : '=';
		$$ = nlist1(pp);
	}
	| alias_names components alias_op {
		struct node *pp = node_new(N_PROBE_POINT, &$2.head->tok);
		pp->components = $2.head;
		pp->op = $3.text[0] == '+' || $1.tail->op == OP_ADD_ASSIGN ? OP_ADD_ASSIGN : '=';
		$1.tail->op = 0;
		$$ = nlist_add($1, pp);
	}
	;

alias_op: ASSIGN | ADD_ASSIGN ;

point_list:
	probe_point { $$ = nlist1($1); }
	| point_list COMMA probe_point { $$ = nlist_add($1, $3); }
	;

probe_point:
	components {
		$$ = node_new(N_PROBE_POINT, &$1.head->tok);
		$$->components = $1.head;
	}
	| probe_point QUESTION {
		$$ = $1;
		if ($$->optional || $$->cond)
			diag_error("parse error", &$2, "'?' or '!' respecified");
		$$->optional = 1;
	}
	| probe_point BANG {
		$$ = $1;
		if ($$->optional || $$->cond)
			diag_error("parse error", &$2, "'?' or '!' respecified");
		$$->optional = $$->sufficient = 1;
	}
	| probe_point IF LPAREN expr RPAREN {
		$$ = $1;
		if ($$->cond)
			diag_error("parse error", &$2, "condition respecified");
		$$->cond = $4;
	}
	;

components:
	component { $$ = nlist1($1); }
	| components DOT component { $$ = nlist_add($1, $3); }
	;

component:
	comp_name { $$ = mk_named(N_COMPONENT, &$1); }
	| comp_name LPAREN literal RPAREN {
		$$ = mk_named(N_COMPONENT, &$1);
		$$->arg = $3;
	}
	;

/* A name may hold '*' wildcards: "sys_*", "*", "**", "*read*".  Words and
 * stars alternate (two words in a row would have been one token); after a
 * star, "if" is the probe point's condition, not more name. */
comp_name:
	comp_word
	| comp_starred
	| comp_starred comp_word2 { $$ = $1; $$.text = arena_concat($1.text, $2.text); }
	;

comp_starred:
	STAR
	| comp_name STAR { $$ = $1; $$.text = arena_concat($1.text, "*"); }
	;

/* Probe point names such as "function(...).return" reuse keywords. */
comp_word: IDENT | IF | comp_keyword_nif ;
comp_word2: IDENT | NUMBER | comp_keyword_nif ;
comp_keyword_nif:
	PROBE | GLOBAL | FUNCTION | ELSE | WHILE | FOR | FOREACH | IN | BREAK
	| CONTINUE | NEXT | RETURN | DELETE | TRY | CATCH | PRIVATE | LIMIT
	| KW_STRING | KW_LONG
	;

literal:
	number
	| string_lit { $$ = mk_named(N_STRING, &$1); }
	;

number:
	NUMBER { $$ = mk_number(&$1, 0); }
	| MINUS NUMBER {
		$$ = mk_number(&$2, 1);
		$$->tok.loc = $1.loc;
	}
	;

/* Adjacent string literals are one string, as in C. */
string_lit:
	STRING
	| string_lit STRING { $$ = $1; $$.text = arena_concat($1.text, $2.text); }
	;

global_list:
	global_item { $$ = nlist1($1); }
	| global_list COMMA global_item { $$ = nlist_add($1, $3); }
	;

global_item:
	IDENT { $$ = mk_named(N_GLOBAL, &$1); }
	| IDENT ASSIGN literal {
		$$ = mk_named(N_GLOBAL, &$1);
		$$->rhs = $3;
	}
	| IDENT PERCENT {
		$$ = mk_named(N_GLOBAL, &$1);
		$$->wrap = 1;
	}
	| IDENT LBRACKET number RBRACKET {
		$$ = mk_named(N_GLOBAL, &$1);
		$$->array_size = $3->num;
		if ($3->num <= 0 || $3->num > INT32_MAX)
			diag_error("parse error", &$3->tok, "array size out of range");
	}
	| IDENT PERCENT LBRACKET number RBRACKET {
		$$ = mk_named(N_GLOBAL, &$1);
		$$->wrap = 1;
		$$->array_size = $4->num;
		if ($4->num <= 0 || $4->num > INT32_MAX)
			diag_error("parse error", &$4->tok, "array size out of range");
	}
	;

function_decl:
	FUNCTION IDENT LPAREN opt_params RPAREN fbody {
		$$ = mk_named(N_FUNCTION, &$2);
		$$->params = $4.head;
		$$->body = $6;
	}
	| FUNCTION IDENT COLON type_name LPAREN opt_params RPAREN fbody {
		$$ = mk_named(N_FUNCTION, &$2);
		$$->decl_type = decl_type_of(&$4);
		$$->params = $6.head;
		$$->body = $8;
	}
	;

type_name: KW_LONG | KW_STRING ;

fbody:
	block
	| EMBEDDED { $$ = mk_embedded(&$1); }
	;

opt_params:
	%empty { $$ = nlist1(NULL); }
	| params
	;

params:
	param { $$ = nlist1($1); }
	| params COMMA param { $$ = nlist_add($1, $3); }
	;

param:
	IDENT { $$ = mk_named(N_VAR, &$1); }
	| IDENT COLON type_name {
		$$ = mk_named(N_VAR, &$1);
		$$->decl_type = decl_type_of(&$3);
	}
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
	%empty { $$ = nlist1(NULL); }
	| stmt_list stmt_nonempty { $$ = nlist_add($1, $2); }
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
	| FOREACH LPAREN foreach_head RPAREN statement {
		$$ = $3;
		$$->tok = $1;
		$$->body = $5;
	}
	| TRY block CATCH catch_var block {
		$$ = node_new(N_TRY, &$1);
		$$->body = $2;
		$$->lhs = $4;
		$$->else_ = $5;
	}
	;

catch_var:
	%empty { $$ = NULL; }
	| LPAREN IDENT RPAREN { $$ = mk_named(N_VAR, &$2); }
	;

/* foreach ([a, b-] in arr[*, 1] limit 10): the node is made by
 * foreach_vars and filled in here. */
foreach_head:
	foreach_vars IN indexable opt_slice opt_array_sort opt_limit {
		$$ = $1;
		$$->rhs = $3;
		$$->slice = $4;
		if ($5.text[0]) {
			set_sort($$, &$5, $5.text[0], 0);
			if ($5.text[1] == '@')
				$$->str = agg_name(agg_of($5.text + 1));
		}
		$$->limit = $6;
	}
	;

opt_slice:
	%empty { $$ = NULL; }
	| LBRACKET index_list RBRACKET { $$ = $2.head; }
	;

/* "arr-", "arr+" or "arr @sum-": text is "-", "+", "-@sum" ... or "". */
opt_array_sort:
	%empty { memset(&$$, 0, sizeof($$)); $$.text = ""; }
	| PLUS
	| MINUS
	| STAT_OP PLUS { $$ = $2; $$.text = arena_concat($2.text, $1.text); }
	| STAT_OP MINUS { $$ = $2; $$.text = arena_concat($2.text, $1.text); }
	;

opt_limit:
	%empty { $$ = NULL; }
	| LIMIT expr { $$ = $2; }
	;

foreach_vars:
	key_var {
		$$ = node_new(N_FOREACH, &$1->tok);
		$$->args = $1;
		take_key_sorts($$, $1);
	}
	| LBRACKET key_list RBRACKET {
		$$ = node_new(N_FOREACH, &$1);
		$$->args = $2.head;
		take_key_sorts($$, $2.head);
	}
	| key_var ASSIGN key_var {
		$$ = node_new(N_FOREACH, &$2);
		$$->lhs = $1;
		$$->args = $3;
		if ($1->op)
			set_sort($$, &$1->tok, $1->op, 0);
		$1->op = 0;
		take_key_sorts($$, $3);
	}
	| key_var ASSIGN LBRACKET key_list RBRACKET {
		$$ = node_new(N_FOREACH, &$2);
		$$->lhs = $1;
		$$->args = $4.head;
		if ($1->op)
			set_sort($$, &$1->tok, $1->op, 0);
		$1->op = 0;
		take_key_sorts($$, $4.head);
	}
	;

key_list:
	key_var { $$ = nlist1($1); }
	| key_list COMMA key_var { $$ = nlist_add($1, $3); }
	;

key_var: IDENT opt_sort { $$ = mk_key(&$1, &$2); } ;

opt_sort:
	%empty { memset(&$$, 0, sizeof($$)); $$.text = ""; }
	| PLUS
	| MINUS
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
	| DELETE expr %prec STMT_END {
		$$ = mk_unop(N_DELETE, &$1, $2);
		if ($2->kind != N_VAR && $2->kind != N_INDEX)
			diag_error("parse error", &$2->tok, "expected a variable or array element after 'delete'");
	}
	;

opt_expr:
	%empty { $$ = NULL; }
	| expr
	;

expr:
	expr ASSIGN expr { $$ = mk_assign(&$2, '=', $1, $3); }
	| expr ADD_ASSIGN expr { $$ = mk_assign(&$2, OP_ADD_ASSIGN, $1, $3); }
	| expr SUB_ASSIGN expr { $$ = mk_assign(&$2, OP_SUB_ASSIGN, $1, $3); }
	| expr MUL_ASSIGN expr { $$ = mk_assign(&$2, OP_MUL_ASSIGN, $1, $3); }
	| expr DIV_ASSIGN expr { $$ = mk_assign(&$2, OP_DIV_ASSIGN, $1, $3); }
	| expr MOD_ASSIGN expr { $$ = mk_assign(&$2, OP_MOD_ASSIGN, $1, $3); }
	| expr CAT_ASSIGN expr { $$ = mk_assign(&$2, OP_CAT_ASSIGN, $1, $3); }
	| expr SHL_ASSIGN expr { $$ = mk_assign(&$2, OP_SHL_ASSIGN, $1, $3); }
	| expr SHR_ASSIGN expr { $$ = mk_assign(&$2, OP_SHR_ASSIGN, $1, $3); }
	| expr AND_ASSIGN expr { $$ = mk_assign(&$2, OP_AND_ASSIGN, $1, $3); }
	| expr OR_ASSIGN expr { $$ = mk_assign(&$2, OP_OR_ASSIGN, $1, $3); }
	| expr XOR_ASSIGN expr { $$ = mk_assign(&$2, OP_XOR_ASSIGN, $1, $3); }
	| expr STAT_ADD expr {
		$$ = mk_binary(&$2, OP_STAT_ADD, $1, $3);
		$$->kind = N_STAT_ADD;
		if ($1->kind != N_VAR && $1->kind != N_INDEX)
			diag_error("parse error", &$2, "expected a variable on the left of '<<<'");
	}
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
	| expr IN indexable {
		$$ = node_new(N_IN, &$2);
		$$->args = $1;
		$$->rhs = $3;
	}
	| LBRACKET index_list RBRACKET IN indexable {
		$$ = node_new(N_IN, &$4);
		$$->args = $2.head;
		$$->rhs = $5;
	}
	| expr EQ expr { $$ = mk_binary(&$2, OP_EQ, $1, $3); }
	| expr NE expr { $$ = mk_binary(&$2, OP_NE, $1, $3); }
	| expr LT expr { $$ = mk_binary(&$2, '<', $1, $3); }
	| expr LE expr { $$ = mk_binary(&$2, OP_LE, $1, $3); }
	| expr GT expr { $$ = mk_binary(&$2, '>', $1, $3); }
	| expr GE expr { $$ = mk_binary(&$2, OP_GE, $1, $3); }
	/* %prec: "s =~ "a" "b"" is one pattern */
	| expr MATCH string_lit %prec STMT_END {
		$$ = mk_binary(&$2, OP_MATCH, $1, mk_named(N_STRING, &$3));
		$$->kind = N_REGEX;
	}
	| expr NMATCH string_lit %prec STMT_END {
		$$ = mk_binary(&$2, OP_NMATCH, $1, mk_named(N_STRING, &$3));
		$$->kind = N_REGEX;
	}
	| expr SHL expr { $$ = mk_binary(&$2, OP_SHL, $1, $3); }
	| expr SHR expr { $$ = mk_binary(&$2, OP_SHR, $1, $3); }
	| expr DOT expr { $$ = mk_binary(&$2, '.', $1, $3); }
	| expr PLUS expr { $$ = mk_binary(&$2, '+', $1, $3); }
	| expr MINUS expr { $$ = mk_binary(&$2, '-', $1, $3); }
	| expr STAR expr { $$ = mk_binary(&$2, '*', $1, $3); }
	| expr SLASH expr { $$ = mk_binary(&$2, '/', $1, $3); }
	| expr PERCENT expr { $$ = mk_binary(&$2, '%', $1, $3); }
	| MINUS expr %prec UNARY { $$ = mk_unary(&$1, '-', $2); }
	| PLUS expr %prec UNARY { $$ = mk_unary(&$1, '+', $2); }
	| BANG expr %prec UNARY { $$ = mk_unary(&$1, '!', $2); }
	| TILDE expr %prec UNARY { $$ = mk_unary(&$1, '~', $2); }
	/* ++/-- take a variable, element or target syntactically: "x++ ++y"
	 * must be two statements, which only works if "(x++)++" is not a
	 * parse. */
	| INC lval { $$ = mk_incdec(&$1, OP_INC, $2, 0); }
	| DEC lval { $$ = mk_incdec(&$1, OP_DEC, $2, 0); }
	| lval INC { $$ = mk_incdec(&$2, OP_INC, $1, 1); }
	| lval DEC { $$ = mk_incdec(&$2, OP_DEC, $1, 1); }
	| AMP lval %prec UNARY {
		$$ = $2;
		if ($$->kind == N_VAR || $$->kind == N_INDEX) {
			$$ = node_new(N_AUTOCAST, &$1);
			$$->lhs = $2;
		}
		$$->addr_of = 1;
	}
	| NUMBER { $$ = mk_number(&$1, 0); }
	| string_lit %prec STMT_END { $$ = mk_named(N_STRING, &$1); }
	| lval %prec STMT_END
	| value
	| hist %prec STMT_END
	| STAT_OP LPAREN expr RPAREN { $$ = mk_aggregate(&$1, $3, NULL); }
	| STAT_OP LPAREN expr COMMA number RPAREN { $$ = mk_aggregate(&$1, $3, $5); }
	| AT_DEFINED LPAREN expr RPAREN { $$ = mk_unop(N_DEFINED, &$1, $3); }
	| AT_PROBEWRITE LPAREN IDENT RPAREN { $$ = mk_named(N_PROBEWRITE, &$1); $$->str = $3.text; }
	| AT_CONST LPAREN string_lit RPAREN {
		$$ = mk_named(N_CONST, &$1);
		$$->str = $3.text;
		if (!$3.text[0])
			diag_error("parse error", &$3, "expected non-empty string");
	}
	| AT_REGISTER LPAREN NUMBER RPAREN {
		$$ = node_new(N_REGISTER, &$1);
		$$->op = $1.text[1];
		$$->num = mk_number(&$3, 0)->num;
	}
	| EMBEDDED { $$ = mk_embedded(&$1); }
	;

/* Values that "->" turns into a target expression (SystemTap's autocast). */
value:
	IDENT LPAREN opt_args RPAREN {
		$$ = mk_named(N_CALL, &$1);
		$$->args = $3.head;
	}
	| LPAREN expr RPAREN { $$ = $2; }
	| AT_ENTRY LPAREN expr RPAREN { $$ = mk_unop(N_ENTRY, &$1, $3); }
	;

/* What ++, --, '&' and assignments apply to. */
lval:
	IDENT { $$ = mk_named(N_VAR, &$1); }
	| IDENT LBRACKET index_list RBRACKET {
		$$ = node_new(N_INDEX, &$1);
		$$->lhs = mk_named(N_VAR, &$1);
		$$->args = $3.head;
	}
	| target_expr
	;

hist:
	HIST_LOG LPAREN expr RPAREN {
		$$ = mk_unop(N_HIST, &$1, $3);
		$$->op = HIST_LOG;
	}
	| HIST_LINEAR LPAREN expr COMMA number COMMA number COMMA number RPAREN {
		$$ = mk_unop(N_HIST, &$1, $3);
		$$->op = HIST_LINEAR;
		$$->args = $5;
		$5->next = $7;
		$7->next = $9;
	}
	| hist LBRACKET expr RBRACKET {
		struct node *n = node_new(N_INDEX, &$1->tok);
		n->lhs = $1;
		n->args = $3;
		$$ = n;
	}
	;

/* What "in" and foreach iterate over. */
indexable:
	IDENT { $$ = mk_named(N_VAR, &$1); }
	| HIST_LOG LPAREN expr RPAREN {
		$$ = mk_unop(N_HIST, &$1, $3);
		$$->op = HIST_LOG;
	}
	| HIST_LINEAR LPAREN expr COMMA number COMMA number COMMA number RPAREN {
		$$ = mk_unop(N_HIST, &$1, $3);
		$$->op = HIST_LINEAR;
		$$->args = $5;
		$5->next = $7;
		$7->next = $9;
	}
	;

index_list:
	index_item { $$ = nlist1($1); }
	| index_list COMMA index_item { $$ = nlist_add($1, $3); }
	;

index_item:
	expr
	| STAR { $$ = node_new(N_WILDCARD, &$1); }
	;

target_expr:
	target %prec STMT_END
	| target DOLLARS { $$ = $1; $$->pretty = (int)strlen($2.text); }
	| target ARROW DOLLARS { $$ = $1; $$->pretty = (int)strlen($3.text); }
	;

target:
	TARGET { $$ = mk_named(N_TARGET, &$1); }
	| AT_CAST LPAREN expr COMMA string_lit RPAREN {
		$$ = mk_unop(N_CAST, &$1, $3);
		$$->str = $5.text;
		if (!$5.text[0])
			diag_error("parse error", &$5, "expected non-empty string");
	}
	| AT_CAST LPAREN expr COMMA string_lit COMMA string_lit RPAREN {
		$$ = mk_unop(N_CAST, &$1, $3);
		$$->str = $5.text;
		$$->module = $7.text;
		if (!$5.text[0])
			diag_error("parse error", &$5, "expected non-empty string");
	}
	| AT_VAR LPAREN string_lit RPAREN { $$ = mk_named(N_ATVAR, &$1); $$->str = $3.text; }
	| AT_VAR LPAREN string_lit COMMA string_lit RPAREN {
		$$ = mk_named(N_ATVAR, &$1);
		$$->str = $3.text;
		$$->module = $5.text;
	}
	| target ARROW member_name { $$ = chain_add($1, mk_member(&$2, &$3)); }
	| target LBRACKET expr RBRACKET { $$ = chain_add($1, mk_unop(N_SUBSCRIPT, &$2, $3)); }
	| lval ARROW member_name { $$ = mk_autocast($1, &$2, &$3); }
	| value ARROW member_name { $$ = mk_autocast($1, &$2, &$3); }
	;

member_name: IDENT | comp_word_kw ;
comp_word_kw: IF | comp_keyword_nif ;

opt_args:
	%empty { $$ = nlist1(NULL); }
	| args
	;

args:
	expr { $$ = nlist1($1); }
	| args COMMA expr { $$ = nlist_add($1, $3); }
	;

%%

/* ---- syntax error messages ------------------------------------------- */

/* Token groups that get one name in "expected ..." lists: listing the
 * twenty tokens that may start a statement helps nobody. */
static const yysymbol_kind_t expr_start[] = {
	YYSYMBOL_IDENT, YYSYMBOL_NUMBER, YYSYMBOL_STRING, YYSYMBOL_LPAREN,
	YYSYMBOL_MINUS, YYSYMBOL_PLUS, YYSYMBOL_BANG, YYSYMBOL_TILDE,
	YYSYMBOL_INC, YYSYMBOL_DEC, YYSYMBOL_TARGET, YYSYMBOL_AT_CAST,
	YYSYMBOL_AT_VAR, YYSYMBOL_AT_ENTRY, YYSYMBOL_AT_DEFINED,
	YYSYMBOL_AT_PROBEWRITE, YYSYMBOL_AT_CONST, YYSYMBOL_AT_REGISTER,
	YYSYMBOL_STAT_OP, YYSYMBOL_HIST_LOG, YYSYMBOL_HIST_LINEAR,
	YYSYMBOL_EMBEDDED, YYSYMBOL_AMP, YYSYMBOL_LBRACKET,
};
static const yysymbol_kind_t stmt_start[] = {
	YYSYMBOL_LBRACE, YYSYMBOL_IF, YYSYMBOL_WHILE, YYSYMBOL_FOR,
	YYSYMBOL_BREAK, YYSYMBOL_CONTINUE, YYSYMBOL_NEXT, YYSYMBOL_RETURN,
	YYSYMBOL_FOREACH, YYSYMBOL_DELETE, YYSYMBOL_TRY,
};
static const yysymbol_kind_t decl_start[] = {
	YYSYMBOL_PROBE, YYSYMBOL_GLOBAL, YYSYMBOL_FUNCTION, YYSYMBOL_PRIVATE,
	YYSYMBOL_EMBEDDED,
};
static const yysymbol_kind_t keywords[] = {
	YYSYMBOL_PROBE, YYSYMBOL_GLOBAL, YYSYMBOL_FUNCTION, YYSYMBOL_IF,
	YYSYMBOL_ELSE, YYSYMBOL_WHILE, YYSYMBOL_FOR, YYSYMBOL_FOREACH,
	YYSYMBOL_IN, YYSYMBOL_BREAK, YYSYMBOL_CONTINUE, YYSYMBOL_NEXT,
	YYSYMBOL_RETURN, YYSYMBOL_DELETE, YYSYMBOL_TRY, YYSYMBOL_CATCH,
	YYSYMBOL_PRIVATE, YYSYMBOL_LIMIT, YYSYMBOL_KW_STRING, YYSYMBOL_KW_LONG,
};
/* What ++, -- and '&' apply to. */
static const yysymbol_kind_t lval_start[] = {
	YYSYMBOL_IDENT, YYSYMBOL_TARGET, YYSYMBOL_AT_CAST, YYSYMBOL_AT_VAR,
	YYSYMBOL_LPAREN, YYSYMBOL_AT_ENTRY,
};
/* What may follow a complete probe point besides '.', '(' ',' and '{'. */
static const yysymbol_kind_t point_suffixes[] = {
	YYSYMBOL_STAR, YYSYMBOL_QUESTION, YYSYMBOL_BANG, YYSYMBOL_IF,
	YYSYMBOL_ASSIGN, YYSYMBOL_ADD_ASSIGN,
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
	YYSYMBOL_LPAREN, YYSYMBOL_STAT_ADD, YYSYMBOL_MATCH, YYSYMBOL_NMATCH,
	YYSYMBOL_IN, YYSYMBOL_LBRACKET, YYSYMBOL_ARROW, YYSYMBOL_DOLLARS,
	YYSYMBOL_STRING,
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
	case YYSYMBOL_TARGET: snprintf(buf, size, "target variable"); return;
	case YYSYMBOL_STAT_OP: snprintf(buf, size, "statistical operation"); return;
	case YYSYMBOL_KW_STRING: snprintf(buf, size, "'string'"); return;
	case YYSYMBOL_AT_REGISTER: snprintf(buf, size, "'@kregister' or '@uregister'"); return;
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
	} else if (in[YYSYMBOL_IDENT] && in[YYSYMBOL_DOLLARS] &&
		   all_in(in, keywords, COUNT(keywords))) {
		in[YYSYMBOL_IDENT] = 0;
		clear_set(in, keywords, COUNT(keywords));
		category = "member name";
	} else if (in[YYSYMBOL_IDENT] && all_in(in, keywords, COUNT(keywords))) {
		in[YYSYMBOL_IDENT] = 0;
		in[YYSYMBOL_STAR] = 0;
		in[YYSYMBOL_NUMBER] = 0;
		clear_set(in, keywords, COUNT(keywords));
		category = "probe point component";
	} else if (all_in(in, lval_start, COUNT(lval_start)) && !in[YYSYMBOL_NUMBER]) {
		clear_set(in, lval_start, COUNT(lval_start));
		category = "variable";
	} else if (all_in(in, expr_start, COUNT(expr_start))) {
		clear_set(in, expr_start, COUNT(expr_start));
		clear_set(in, continuations, COUNT(continuations));
		category = "expression";
	} else if (all_in(in, decl_start, COUNT(decl_start))) {
		/* ';' and the end of input are always fine between declarations. */
		diag_error("parse error", &ps->last,
			   "expected 'probe', 'global', 'private', 'function' or '%%{'");
		ps->recovering = 1;
		return 0;
	} else {
		/* After a probe point, its wildcard, '?', '!', condition and
		 * alias operators are noise next to the likely '{' or ','. */
		if (in[YYSYMBOL_DOT] && in[YYSYMBOL_LBRACE])
			clear_set(in, point_suffixes, COUNT(point_suffixes));
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
		ps->recovering = 1;
		return 0;
	}
	char msg[MAX_ITEMS * 40];
	int len = snprintf(msg, sizeof(msg), "expected %s", items[0]);
	for (int i = 1; i < ni && len > 0 && (size_t)len < sizeof(msg); i++)
		len += snprintf(msg + len, sizeof(msg) - len, "%s%s",
				i == ni - 1 ? " or " : ", ", items[i]);
	diag_error("parse error", &ps->last, "%s", msg);
	ps->recovering = 1;
	return 0;
}


int parse_script(const char *file, const char *text, struct program *prog)
{
	struct parse_options opts;

	memset(&opts, 0, sizeof(opts));
	return parse_script_with(file, text, &opts, prog);
}

int parse_script_with(const char *file, const char *text,
		      const struct parse_options *opts, struct program *prog)
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
	ps.pp = pp_open(&ps, opts);
	int rc = stp_yyparse(&ps);
	pp_close(ps.pp);
	lex_close(ps.scanner);

	int errors = diag_error_count() - before;
	if (rc != 0 && errors == 0) {
		/* Never let a failed parse look like success. */
		diag_error("parse error", &ps.last, "unexpected %s", "input");
		errors = 1;
	}
	return errors;
}
