/* parse_internal.h - state shared by lexer.l, preprocess.c, ast_build.c and grammar.y only; no other file needs it. */
#ifndef STAPC_PARSE_INTERNAL_H
#define STAPC_PARSE_INTERNAL_H

#include "ast.h"

/* Bison's location type (api.location.type).  The field names are the ones
 * bison's default YYLLOC_DEFAULT expects. */
struct stp_yyltype {
	int first_line, first_column;
	int last_line, last_column;
};

/* A list being built by the grammar: keeping the tail makes appending
 * O(1), so long blocks do not parse in quadratic time. */
struct nlist {
	struct node *head, *tail;
};

/* One parse_script() call.  The flex scanner is reentrant and gets this as
 * its extra data, so several files can be parsed in one run. */
struct parse_state {
	void *scanner;		/* yyscan_t */
	struct program *prog;
	const char *file;	/* arena copy, shared by every token's loc */
	const char *text;	/* whole input, for peeking after a token */
	long pos;		/* byte offset of the scanner in text */
	int line, col;		/* where the next token starts */
	struct token_ref last;	/* most recent token: the error lookahead */
	struct pp *pp;		/* preprocess.c, between the lexer and the grammar */
	int recovering;		/* after an error: drop tokens up to the next
				 * declaration keyword */
};

/* lexer.l */
void *lex_open(struct parse_state *ps, const char *text);
void lex_close(void *scanner);
/* The next raw token (TK_* code from grammar.h) and its text and place. */
int lex_next(struct parse_state *ps, struct token_ref *tok);
/* "@cast", "@count", ...: a built-in "@word" (a macro may shadow it). */
int lex_is_atword(const char *text);

/* preprocess.c: @define macros, %( %? %: %) conditionals, $1 @1 $# @#.
 * pp_next() hands the grammar the tokens that remain; errors are reported
 * here and come out as the error token (TK_STP_YYerror). */
struct pp *pp_open(struct parse_state *ps, const struct parse_options *opts);
int pp_next(struct pp *pp, struct token_ref *tok);
void pp_close(struct pp *pp);

/* ast_build.c: what the grammar's actions call.  Each builds one node (or
 * list) from the tokens and nodes of a rule, reporting the checks the
 * grammar cannot express ("expected a variable on the left of '='"). */
struct nlist nlist1(struct node *n);
struct nlist nlist_add(struct nlist l, struct node *n);
struct node *mk_binary(struct token_ref *op, int code, struct node *l, struct node *r);
struct node *mk_unary(struct token_ref *op, int code, struct node *e);
struct node *mk_assign(struct token_ref *op, int code, struct node *l, struct node *r);
struct node *mk_incdec(struct token_ref *op, int code, struct node *e, int postfix);
struct node *mk_number(const struct token_ref *t, int negative);
struct node *mk_named(enum node_kind kind, const struct token_ref *t);
struct node *mk_unop(enum node_kind kind, const struct token_ref *t, struct node *e);
struct node *mk_member(const struct token_ref *arrow, const struct token_ref *name);
struct node *mk_autocast(struct node *operand, const struct token_ref *arrow,
			 const struct token_ref *name);
struct node *mk_embedded(const struct token_ref *t);
struct node *mk_aggregate(const struct token_ref *t, struct node *stat, struct node *extra);
struct node *mk_key(const struct token_ref *name, const struct token_ref *mark);
struct node *chain_add(struct node *target, struct node *member);
void need_var(struct node *e, const struct token_ref *op, const char *where);
void add_decl(struct node **list, struct node *n);
char *arena_concat(const char *a, const char *b);
enum stp_type decl_type_of(const struct token_ref *t);
int embed_pragmas(const char *code);
const char *agg_name(int kind);		/* AGG_SUM -> "sum" */
int agg_of(const char *atword);		/* "@sum" -> AGG_SUM */
void set_sort(struct node *fe, const struct token_ref *at, int dir, int col);
void take_key_sorts(struct node *fe, struct node *keys);

#endif
