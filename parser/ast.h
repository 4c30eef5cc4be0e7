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
	TYPE_STATS,		/* statistics: x <<< v, read with @count(x) ... */
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
	N_PROBE,		/* points: list of N_PROBE_POINT, body: N_BLOCK;
				 * an alias also has alias_op and aliases */
	N_PROBE_POINT,		/* components: list of N_COMPONENT; optional,
				 * sufficient, cond = guard "if (expr)" or NULL */
	N_COMPONENT,		/* str = name ("timer", "sys_*", "**"), arg =
				 * N_NUMBER/N_STRING or NULL */
	N_GLOBAL,		/* str = name, rhs = initializer literal or NULL;
				 * array_size, wrap, is_private */
	N_FUNCTION,		/* str = name, params: list of N_VAR (decl_type set if
				 * written "x:long"), body: N_BLOCK or N_EMBEDDED,
				 * decl_type: declared return type, is_private */

	/* ---- added for the whole SystemTap 5.x language; pass 2 rejects
	 * what it does not handle yet.  ORDER: append only. ---- */

	/* expressions */
	N_INDEX,		/* a[i, j]: lhs = array (N_VAR, or N_HIST for a
				 * histogram bucket), args = the index expressions
				 * (N_WILDCARD for '*'); tok = the array's name */
	N_WILDCARD,		/* '*' in an index list, slice or "[a, *] in arr" */
	N_IN,			/* k in arr, [i, j] in arr: args = keys (exprs or
				 * N_WILDCARD), rhs = array (N_VAR or N_HIST); tok = 'in' */
	N_STAT_ADD,		/* lhs <<< rhs: lhs is an N_VAR or N_INDEX; tok = '<<<' */
	N_AGGREGATE,		/* @count(x) ...: op = enum agg_kind, str = "count",
				 * lhs = the statistic (N_VAR or N_INDEX usually),
				 * args = @variance's bucket (N_NUMBER) or NULL */
	N_HIST,			/* @hist_log(x), @hist_linear(x, lo, hi, width):
				 * op = HIST_LOG/HIST_LINEAR, lhs = statistic,
				 * args = lo, hi, width (N_NUMBER) for linear */
	N_REGEX,		/* lhs =~ rhs, lhs !~ rhs: op = OP_MATCH/OP_NMATCH,
				 * rhs = the N_STRING pattern; tok = the operator */
	N_TARGET,		/* $name, $$vars ...: str = name with its '$'s and
				 * without the pretty-print suffix; see "target
				 * fields" below */
	N_AUTOCAST,		/* expr->member: lhs = the pointer-valued operand
				 * (var, index, call, parenthesised expr); target
				 * fields; tok = the first '->' */
	N_CAST,			/* @cast(ptr, "type" [, "module"]): lhs = ptr,
				 * str = type, module = module or NULL; target fields */
	N_ATVAR,		/* @var("name@file" [, "module"]): str = name,
				 * module or NULL; target fields */
	N_MEMBER,		/* ->name in a target chain: str = name; tok = '->' */
	N_SUBSCRIPT,		/* [expr] in a target chain: lhs = index; tok = '[' */
	N_ENTRY,		/* @entry(expr): lhs */
	N_DEFINED,		/* @defined(expr): lhs */
	N_PROBEWRITE,		/* @probewrite(var): str = variable name */
	N_CONST,		/* @const("NAME"): str = NAME */
	N_REGISTER,		/* @kregister(n) / @uregister(n): op = 'k' or 'u', num = n */
	N_EMBEDDED,		/* %{ code %}: str = code between the braces,
				 * embed_flags = pragmas found in it.  Top level
				 * (program.embeds), a function body, or an
				 * expression (guru mode) */

	/* statements */
	N_FOREACH,		/* foreach ([k1, k2] in arr[slice] limit n) body:
				 * lhs = value variable (N_VAR) or NULL,
				 * args = key variables (N_VAR list),
				 * rhs = array (N_VAR or N_HIST), slice = index list
				 * or NULL, limit = expr or NULL, body;
				 * sort_dir = '+', '-' or 0, sort_col = 0 (by value)
				 * or k (by the k-th key), str = aggregate name for
				 * "arr @sum+" or NULL; num = pass 2: how many loops
				 * over the same array enclose it */
	N_DELETE,		/* delete lhs: N_VAR (scalar or whole array) or N_INDEX */
	N_TRY,			/* try body catch (lhs) else_: body and else_ are
				 * N_BLOCKs, lhs = catch variable (N_VAR) or NULL */
};

/* N_AGGREGATE op */
enum agg_kind {
	AGG_COUNT = 1,
	AGG_SUM,
	AGG_MIN,
	AGG_MAX,
	AGG_AVG,
	AGG_VARIANCE,
};

/* N_HIST op */
enum hist_kind {
	HIST_LOG = 1,
	HIST_LINEAR,
};

/* N_EMBEDDED embed_flags: the pragma comments SystemTap looks for. */
enum embed_flag {
	EMBED_PURE = 1 << 0,			/* pure */
	EMBED_STABLE = 1 << 1,			/* stable */
	EMBED_UNPRIVILEGED = 1 << 2,		/* unprivileged */
	EMBED_MYPROC_UNPRIVILEGED = 1 << 3,	/* myproc-unprivileged */
	EMBED_GURU = 1 << 4,			/* guru */
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
	OP_STAT_ADD,		/* <<< */
	OP_MATCH,		/* =~ */
	OP_NMATCH,		/* !~ */
	OP_ARROW,		/* -> */
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

	/* declarations */
	int alias_op;		/* N_PROBE: 0 = probe, '=' = alias, OP_ADD_ASSIGN =
				 * epilogue alias ("+="); aliases = its names */
	struct node *aliases;	/* N_PROBE: alias names, N_PROBE_POINT list */
	int optional;		/* N_PROBE_POINT: '?' or '!' written after it */
	int sufficient;		/* N_PROBE_POINT: '!' (implies optional); the
				 * point's guard "if (expr)" is in cond */
	int is_private;		/* N_GLOBAL, N_FUNCTION: declared "private" */
	int wrap;		/* N_GLOBAL: "arr%" (wraps around when full) */
	int64_t array_size;	/* N_GLOBAL: "arr[N]", else 0 */
	enum stp_type decl_type; /* N_FUNCTION return type, parameter N_VAR
				 * type as written (":long"/":string"), else
				 * TYPE_UNKNOWN; unlike `type`, set by pass 1 */
	int embed_flags;	/* N_EMBEDDED: enum embed_flag bits */
	/* N_PROBE_POINT made by alias expansion (pass 2): the point it
	 * stands for (the user's, or an outer alias's) and the alias name
	 * that point matched; both NULL for a point as written */
	struct node *expanded_from;
	struct node *alias_name;

	/* target fields: N_TARGET, N_AUTOCAST, N_CAST, N_ATVAR */
	struct node *members;	/* N_MEMBER / N_SUBSCRIPT chain, in order */
	int pretty;		/* pretty-print suffix: 0, 1 ("$") or 2 ("$$") */
	int addr_of;		/* written with a leading '&' */
	const char *module;	/* N_CAST, N_ATVAR: the module argument or NULL */
	const char *c_store;	/* N_TARGET written in guru mode: C template
				 * storing $V (pass 2 sets it) */
	const char *c_strstore;	/* N_TARGET string its provider stores
				 * itself: a C function (c, value, append) */

	/* N_FOREACH */
	struct node *slice;	/* "in arr[a, *]": index list (N_WILDCARD = '*') */
	struct node *limit;	/* "limit expr" */
	int sort_dir;		/* '+', '-' or 0 */
	int sort_col;		/* 0: by value, k: by the k-th key */

	/* filled in by pass 2 */
	enum stp_type type;
	struct symbol *sym;
	int temp;		/* string temporaries: slot number, -1 if none */
	const char *c_expr;	/* N_TARGET: the C its probe point's provider bound
				 * it to (translator/provider.h); in the AST arena */
	struct node *entry_expr;	/* N_ENTRY whose expression moved into its
					 * probe's entry part: that expression
					 * (typed there; not a child here) */
};

/* A parsed file (or -e text). */
struct program {
	struct node *probes;	/* N_PROBE list */
	struct node *globals;	/* N_GLOBAL list */
	struct node *functions;	/* N_FUNCTION list (overloads share a name) */
	struct node *aliases;	/* N_PROBE list with alias_op set; kept apart
				 * from probes so no pass mistakes one for a probe */
	struct node *embeds;	/* top-level N_EMBEDDED, in source order */
	int n_files;		/* library scripts parsed besides the user script */
};

/* Constructors (ast.c). All allocate from one arena and never return NULL. */
struct node *node_new(enum node_kind kind, const struct token_ref *tok);
char *ast_strdup(const char *s);
void ast_free_all(void);

/* Append `item` to the list starting at *head; returns head for chaining. */
struct node *node_append(struct node *head, struct node *item);

/* What the preprocessor's %( conditions %) and $1/@1 see.  Any field may
 * be NULL/0; parse_script() uses the defaults noted here. */
struct parse_options {
	const char *kernel_release;	/* "6.1.0-56-amd64": kernel_vr; kernel_v is
					 * its leading digits and dots, "6.1.0" ("") */
	const char *arch;		/* "x86_64" */
	const char *runtime;		/* "kernel" */
	const char *systemtap_v;	/* the version we claim, "5.0" */
	const char *privilege;		/* "stapdev", "stapsys" or "stapusr" ("stapdev") */
	int guru;			/* -g: guru_mode == 1 */
	const char *const *kconfig;	/* NULL-terminated "CONFIG_X=y" list, or NULL */
	/* Asked first when set: the value of CONFIG_X, or NULL if unset. */
	const char *(*kconfig_lookup)(void *ctx, const char *name);
	void *kconfig_ctx;
	int argc;			/* script arguments for $1 @1 $# @# */
	const char *const *argv;
};

/* Pass 1 entry point (grammar.y): parse `text` named `file`, add its
 * declarations to `prog`. Returns the number of errors reported (0 = ok);
 * after a syntax error it skips to the next declaration and goes on. */
int parse_script_with(const char *file, const char *text,
		      const struct parse_options *opts, struct program *prog);

/* parse_script_with() with the defaults above and no script arguments. */
int parse_script(const char *file, const char *text, struct program *prog);

/* -p1: print the program back as a script that parses to the same tree. */
#include <stdio.h>
void ast_print_program(FILE *out, const struct program *prog);

/* Name of an operator as written ("+", "<=", ".="). */
const char *op_name(int op);

#endif
