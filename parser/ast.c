/* ast.c - AST node allocation (one arena per run) and operator names. */
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"

/* ---- arena ---------------------------------------------------------- */

/* Nodes live until the end of the run, so a bump allocator over big chunks
 * is both the fastest and the simplest way to never leak one. */
struct chunk {
	struct chunk *next;
	size_t used, size;
	max_align_t data[];
};

static struct chunk *arena;

#define CHUNK_SIZE (64 * 1024)

static void *arena_alloc(size_t n)
{
	const size_t align = sizeof(max_align_t);

	n = (n + align - 1) / align * align;
	if (!arena || arena->size - arena->used < n) {
		size_t size = n > CHUNK_SIZE ? n : CHUNK_SIZE;
		struct chunk *c = malloc(sizeof(*c) + size);
		if (!c) {
			/* Callers are promised a non-NULL result. */
			fputs("stapc: out of memory\n", stderr);
			exit(1);
		}
		c->used = 0;
		c->size = size;
		c->next = arena;
		arena = c;
	}
	void *p = (char *)arena->data + arena->used;
	arena->used += n;
	return p;
}

struct node *node_new(enum node_kind kind, const struct token_ref *tok)
{
	struct node *n = arena_alloc(sizeof(*n));

	memset(n, 0, sizeof(*n));
	n->kind = kind;
	if (tok)
		n->tok = *tok;
	if (!n->tok.text)
		n->tok.text = "";
	n->temp = -1;
	return n;
}

char *ast_strdup(const char *s)
{
	if (!s)
		s = "";
	size_t len = strlen(s);
	char *p = arena_alloc(len + 1);
	memcpy(p, s, len + 1);
	return p;
}

void ast_free_all(void)
{
	while (arena) {
		struct chunk *next = arena->next;
		free(arena);
		arena = next;
	}
}

struct node *node_append(struct node *head, struct node *item)
{
	if (!head)
		return item;
	struct node *p = head;
	while (p->next)
		p = p->next;
	p->next = item;
	return head;
}

const char *op_name(int op)
{
	switch (op) {
	case OP_EQ: return "==";
	case OP_NE: return "!=";
	case OP_LE: return "<=";
	case OP_GE: return ">=";
	case OP_SHL: return "<<";
	case OP_SHR: return ">>";
	case OP_AND_AND: return "&&";
	case OP_OR_OR: return "||";
	case OP_INC: return "++";
	case OP_DEC: return "--";
	case OP_ADD_ASSIGN: return "+=";
	case OP_SUB_ASSIGN: return "-=";
	case OP_MUL_ASSIGN: return "*=";
	case OP_DIV_ASSIGN: return "/=";
	case OP_MOD_ASSIGN: return "%=";
	case OP_CAT_ASSIGN: return ".=";
	case OP_SHL_ASSIGN: return "<<=";
	case OP_SHR_ASSIGN: return ">>=";
	case OP_AND_ASSIGN: return "&=";
	case OP_OR_ASSIGN: return "|=";
	case OP_XOR_ASSIGN: return "^=";
	case OP_STAT_ADD: return "<<<";
	case OP_MATCH: return "=~";
	case OP_NMATCH: return "!~";
	case OP_ARROW: return "->";
	case '+': return "+";
	case '-': return "-";
	case '*': return "*";
	case '/': return "/";
	case '%': return "%";
	case '.': return ".";
	case '<': return "<";
	case '>': return ">";
	case '=': return "=";
	case '!': return "!";
	case '~': return "~";
	case '&': return "&";
	case '|': return "|";
	case '^': return "^";
	case '?': return "?";
	default: return "?op?";
	}
}
