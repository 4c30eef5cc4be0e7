/* parse_internal.h - state shared by lexer.l and grammar.y only; no other file needs it. */
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
};

/* lexer.l */
void *lex_open(struct parse_state *ps, const char *text);
void lex_close(void *scanner);

#endif
