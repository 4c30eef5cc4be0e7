/* ast.h - the abstract syntax tree handed from pass 1 (parse) to pass 2.
 *
 * One node struct with an enum tag (chibicc/ply style): every node carries
 * the token it was made from (class, text, location) so any later pass can
 * report "near operator '/' at x.stp:3:12" without keeping the source around.
 *
 * Invariants:
 *  - every node has tok.loc set; tok.text is never NULL.
 *  - lists (statements in a block, call arguments, probe points, components)
 *    are singly linked through `next`, in source order.
 *  - pass 1 fills only the syntactic fields; `type` and `sym` stay zero/NULL
 *    until pass 2 (elaborate) sets them.
 *  - nodes are never freed individually: they live in one arena for the
 *    whole run (ast_free_all()).
 */
#ifndef STAPC_AST_H
#define STAPC_AST_H

#include <stdint.h>

struct src_loc {
	const char *file;	/* as the user named it; "<input>" for -e */
	int line;		/* 1-based */
	int col;		/* 1-based, in bytes */
};

/* How a token is described in messages: "identifier 'x'", "operator '+'". */
enum tok_class {
	TOKC_EOF,		/* "end of input" */
	TOKC_IDENT,
	TOKC_KEYWORD,
	TOKC_OPERATOR,
	TOKC_STRING,
	TOKC_NUMBER,
	TOKC_EMBEDDED,		/* %{ ... %} */
};

struct token_ref {
	enum tok_class cls;
	const char *text;	/* the token as written (string literals: unescaped value) */
	struct src_loc loc;
};

/* Script value types; decided in pass 2. */
enum stp_type {
	TYPE_UNKNOWN = 0,
	TYPE_LONG,
	TYPE_STRING,
	TYPE_VOID,		/* builtins that return nothing (print, exit) */
};

enum node_kind {
	/* expressions */
	N_NUMBER,		/* num */
	N_STRING,		/* str (escapes already resolved) */
	N_VAR,			/* str = name; sym set in pass 2 */
	N_BINARY,		/* op, lhs, rhs: + - * / % << >> & | ^ . == != < <= > >= && || */
	N_UNARY,		/* op, lhs: - ! ~ + */
	N_ASSIGN,		/* op ('=' or compound like OP_ADD_ASSIGN), lhs (an N_VAR), rhs */
	N_INCDEC,		/* op (OP_INC/OP_DEC), lhs (an N_VAR), is_postfix */
	N_TERNARY,		/* cond, then_, else_ */
	N_CALL,			/* str = function name, args */

	/* statements */
	N_BLOCK,		/* body: list of statements */
	N_EXPR_STMT,		/* lhs: the expression */
	N_IF,			/* cond, then_, else_ (may be NULL) */
	N_WHILE,		/* cond, body */
	N_FOR,			/* init (stmt or NULL), cond (or NULL), step (expr or NULL), body */
	N_BREAK,
	N_CONTINUE,
	N_NEXT,
	N_RETURN,		/* lhs: value or NULL */
	N_EMPTY,		/* ';' alone */

	/* declarations */
	N_PROBE,		/* points: list of N_PROBE_POINT, body: N_BLOCK */
	N_PROBE_POINT,		/* components: list of N_COMPONENT */
	N_COMPONENT,		/* str = name ("timer"), arg = N_NUMBER/N_STRING or NULL */
	N_GLOBAL,		/* str = name, rhs = initializer literal or NULL */
	N_FUNCTION,		/* str = name, params: list of N_VAR, body: N_BLOCK */
};

/* Operators that are not a single character get codes above 255;
 * single-character operators use their own character ('+', '<', '.'). */
enum op_code {
	OP_EQ = 256,		/* == */
	OP_NE,			/* != */
	OP_LE,			/* <= */
	OP_GE,			/* >= */
	OP_SHL,			/* << */
	OP_SHR,			/* >> */
	OP_AND_AND,		/* && */
	OP_OR_OR,		/* || */
	OP_INC,			/* ++ */
	OP_DEC,			/* -- */
	OP_ADD_ASSIGN,		/* += */
	OP_SUB_ASSIGN,		/* -= */
	OP_MUL_ASSIGN,		/* *= */
	OP_DIV_ASSIGN,		/* /= */
	OP_MOD_ASSIGN,		/* %= */
	OP_CAT_ASSIGN,		/* .= */
	OP_SHL_ASSIGN,		/* <<= */
	OP_SHR_ASSIGN,		/* >>= */
	OP_AND_ASSIGN,		/* &= */
	OP_OR_ASSIGN,		/* |= */
	OP_XOR_ASSIGN,		/* ^= */
};

struct symbol;			/* pass 2: translator/symbols.h */

struct node {
	enum node_kind kind;
	struct token_ref tok;	/* the token this node is reported at */
	struct node *next;	/* next in the enclosing list */

	int op;			/* enum op_code or a character */
	int is_postfix;		/* N_INCDEC */
	int64_t num;		/* N_NUMBER */
	const char *str;	/* N_STRING value, names (N_VAR, N_CALL, ...) */

	struct node *lhs, *rhs;
	struct node *cond, *then_, *else_;
	struct node *init, *step;
	struct node *body;	/* N_BLOCK: first statement; loops/probes/functions: a block */
	struct node *args;	/* N_CALL arguments */
	struct node *points;	/* N_PROBE */
	struct node *components;	/* N_PROBE_POINT */
	struct node *arg;	/* N_COMPONENT parameter */
	struct node *params;	/* N_FUNCTION */

	/* filled in by pass 2 */
	enum stp_type type;
	struct symbol *sym;
	int temp;		/* string temporaries: slot number, -1 if none */
};

/* A parsed file (or -e text). */
struct program {
	struct node *probes;	/* N_PROBE list */
	struct node *globals;	/* N_GLOBAL list */
	struct node *functions;	/* N_FUNCTION list */
	int n_files;		/* library scripts parsed besides the user script */
};

/* Constructors (ast.c). All allocate from one arena and never return NULL. */
struct node *node_new(enum node_kind kind, const struct token_ref *tok);
char *ast_strdup(const char *s);
void ast_free_all(void);

/* Append `item` to the list starting at *head; returns head for chaining. */
struct node *node_append(struct node *head, struct node *item);

/* Pass 1 entry point (grammar.y): parse `text` named `file`, add its
 * declarations to `prog`. Returns the number of errors reported (0 = ok). */
int parse_script(const char *file, const char *text, struct program *prog);

/* -p1: print the program back as a script that parses to the same tree. */
#include <stdio.h>
void ast_print_program(FILE *out, const struct program *prog);

/* Name of an operator as written ("+", "<=", ".="). */
const char *op_name(int op);

#endif
