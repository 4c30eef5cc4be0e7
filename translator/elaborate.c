/* elaborate.c - pass 2: bind probe points to providers, resolve names to
 * symbols, infer every type, and check what pass 3 relies on (see the
 * invariants in resolved.h). */
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "registers.h"
#include "diag.h"
#include "format.h"
#include "kbuild.h"
#include "options.h"
#include "provider.h"
#include "resolved.h"
#include "util.h"
#include "walk.h"

#include "elaborate_internal.h"

const char *type_name(enum stp_type t)
{
	switch (t) {
	case TYPE_LONG: return "long";
	case TYPE_STRING: return "string";
	case TYPE_VOID: return "void";
	case TYPE_STATS: return "stats";
	default: return "unknown";
	}
}

/* ---- symbols ---------------------------------------------------------- */

static struct symbol *find_symbol(struct symbol *list, const char *name)
{
	for (; list; list = list->next)
		if (list->name[0] == name[0] && strcmp(list->name, name) == 0)
			return list;
	return NULL;
}

static struct symbol *new_symbol(struct symbol **list, const char *name,
				 enum symbol_kind kind, struct node *decl)
{
	struct symbol *s = xcalloc(1, sizeof(*s)), **tail = list;

	s->name = name;
	s->kind = kind;
	s->decl = decl;
	while (*tail)
		tail = &(*tail)->next;
	*tail = s;
	return s;
}

/* `private` globals and functions are seen only from their own file. */
static int visible_from(const struct node *decl, const char *file)
{
	return !decl->is_private || strcmp(decl->tok.loc.file, file) == 0;
}

/* Two declarations of one name that some file would see both of. */
static int clash(const struct node *a, const struct node *b)
{
	if (a->is_private && b->is_private)
		return strcmp(a->tok.loc.file, b->tok.loc.file) == 0;
	return !a->is_private && !b->is_private;
}

/* The global `name` as code in `file` sees it: the file's own private
 * one first, then the public one. */
static struct symbol *find_global(struct symbol *list, const char *name, const char *file)
{
	struct symbol *pub = NULL;

	for (; list; list = list->next) {
		if (list->decl->str[0] != name[0] || strcmp(list->decl->str, name) != 0 ||
		    !visible_from(list->decl, file))
			continue;
		if (list->decl->is_private)
			return list;
		pub = list;
	}
	return pub;
}

/* A C name of its own for a private global or function whose script name
 * is taken elsewhere. */
static const char *private_c_name(const char *name, int index)
{
	char *buf = xasprintf("__private%d_%s", index, name);
	const char *s = ast_strdup(buf);

	free(buf);
	return s;
}

static void collect_globals(struct elab *e)
{
	struct node *g;

	for (g = e->rp->ast->globals; g; g = g->next) {
		struct symbol *prev, *s;
		int taken = 0;

		for (prev = e->rp->globals; prev; prev = prev->next) {
			if (strcmp(prev->decl->str, g->str) != 0)
				continue;
			taken = 1;
			if (clash(prev->decl, g))
				break;
		}
		if (prev) {
			diag_error("semantic error", &g->tok,
				   "duplicate global variable '%s'", g->str);
			diag_error("semantic error", &prev->decl->tok,
				   "'%s' was first declared here", g->str);
			continue;
		}
		s = new_symbol(&e->rp->globals, g->str, SYM_GLOBAL, g);
		if (taken)
			s->name = private_c_name(g->str, e->rp->n_globals);
		s->arity = -1;	/* decided by its uses */
		s->index = e->rp->n_globals;
		e->rp->n_globals++;
		if (g->rhs) {
			s->type = g->rhs->kind == N_STRING ? TYPE_STRING : TYPE_LONG;
			s->type_origin = g->rhs;
			s->assigned = 1;
		}
	}
}

static int count_nodes(const struct node *n)
{
	int k = 0;

	for (; n; n = n->next)
		k++;
	return k;
}

/*
 * The function a call to `name` with `nargs` arguments from `file` means:
 * overloads differ in their number of parameters (SystemTap 3.0+); the
 * file's private ones come first.  With no overload of that arity, some
 * function of that name, for the arity error.
 */
static struct symbol *find_function(struct symbol *list, const char *name, int nargs,
				    const char *file)
{
	struct symbol *any = NULL, *pub = NULL;

	for (; list; list = list->next) {
		if (list->name[0] != name[0] || strcmp(list->name, name) != 0 ||
		    !visible_from(list->decl, file))
			continue;
		if (!any)
			any = list;
		if (list->fn->n_params != nargs)
			continue;
		if (list->decl->is_private)
			return list;
		pub = list;
	}
	return pub ? pub : any;
}

static void collect_functions(struct elab *e)
{
	struct node *fn, *p;

	for (fn = e->rp->ast->functions; fn; fn = fn->next) {
		struct symbol *prev, *s;
		struct handler *h, **tail;
		int taken = 0, nparams = count_nodes(fn->params);

		for (prev = e->rp->function_syms; prev; prev = prev->next) {
			if (strcmp(prev->name, fn->str) != 0)
				continue;
			taken = 1;
			if (prev->fn->n_params == nparams && clash(prev->decl, fn))
				break;
		}
		if (prev) {
			diag_error("semantic error", &fn->tok,
				   "function '%s' with %d parameter%s is already defined",
				   fn->str, nparams, nparams == 1 ? "" : "s");
			diag_error("semantic error", &prev->decl->tok,
				   "'%s' was first defined here", fn->str);
			continue;
		}
		/* reported, but kept: its callers resolve */
		if (fn->body && fn->body->kind == N_EMBEDDED)
			embedded_allowed(e, fn, "an embedded-C function body");
		h = xcalloc(1, sizeof(*h));
		h->index = e->rp->n_functions++;
		h->probe = fn;
		h->is_function = 1;
		if (fn->decl_type != TYPE_UNKNOWN) {
			h->ret_type = fn->decl_type;
			h->ret_origin = fn;
		}
		for (p = fn->params; p; p = p->next) {
			if (find_symbol(h->locals, p->str)) {
				diag_error("semantic error", &p->tok,
					   "duplicate parameter '%s'", p->str);
				continue;
			}
			s = new_symbol(&h->locals, p->str, SYM_LOCAL, p);
			s->assigned = 1;	/* by the caller */
			if (p->decl_type != TYPE_UNKNOWN) {
				s->type = p->decl_type;
				s->type_origin = p;
			}
			p->sym = s;
			h->n_params++;
		}
		for (tail = &e->rp->functions; *tail; tail = &(*tail)->next)
			;
		*tail = h;
		s = new_symbol(&e->rp->function_syms, fn->str, SYM_FUNCTION, fn);
		s->fn = h;
		/* the symbol keeps the script name for lookups and messages; the
		 * C function of an overload or a private one gets its own name
		 * once pass 2 is done (rename_functions) */
		h->c_name_needed = taken;
	}
}

/* Give overloads and private functions whose name is taken a C name of
 * their own; calls follow.  Last, so messages show script names. */
static void rename_call(struct node *n, void *arg)
{
	(void)arg;
	if (n->kind == N_CALL && n->sym)
		n->str = n->sym->fn->probe->str;
}

static void rename_functions(struct resolved_program *rp)
{
	struct handler *lists[2] = { rp->functions, rp->handlers }, *h;
	int i;

	for (h = rp->functions; h; h = h->next)
		if (h->c_name_needed && h->probe->is_private) {
			h->probe->str = private_c_name(h->probe->str, h->index);
		} else if (h->c_name_needed) {
			char *name = xasprintf("%s__arity%d", h->probe->str, h->n_params);

			h->probe->str = ast_strdup(name);
			free(name);
		}
	for (i = 0; i < 2; i++)
		for (h = lists[i]; h; h = h->next)
			walk_nodes(h->probe->body, rename_call, NULL);
}

/* Mark the functions a body calls, directly or not, as reachable. */
static void mark_reachable_call(struct node *n, void *arg)
{
	(void)arg;
	/* a call with the wrong number of arguments reaches no overload */
	if (n->kind == N_CALL && n->sym && !n->sym->fn->reachable &&
	    count_nodes(n->args) == n->sym->fn->n_params) {
		n->sym->fn->reachable = 1;
		walk_nodes(n->sym->fn->probe->body, mark_reachable_call, NULL);
	}
}

/* Bind every N_VAR of a handler body: a global if one is declared, else a
 * local of this handler (SystemTap has no local declarations). */
static void bind_name(struct node *n, void *arg)
{
	struct elab *e = arg;

	if (n->kind == N_VAR) {
		/* a function's parameters shadow globals */
		n->sym = find_symbol(e->handler->locals, n->str);
		if (!n->sym)
			n->sym = find_global(e->rp->globals, n->str, n->tok.loc.file);
		if (!n->sym)
			n->sym = new_symbol(&e->handler->locals, n->str, SYM_LOCAL, n);
	}
	if (n->kind == N_CALL)
		n->sym = find_function(e->rp->function_syms, n->str, count_nodes(n->args),
				       n->tok.loc.file);
}

static void bind_names(struct elab *e, struct node *body)
{
	walk_nodes(body, bind_name, e);
}

/* ---- types ------------------------------------------------------------ */


/* The parser knows more of the language than translation does yet. */
void not_supported(struct elab *e, struct node *n)
{
	if (e->reporting)
		diag_error("semantic error", &n->tok,
			   "this part of the language is not supported by the translator yet");
}

void mismatch(struct elab *e, struct node *n, enum stp_type want)
{
	if (!e->reporting)
		return;
	if (n->type == TYPE_VOID) {
		diag_error("semantic error", &n->tok,
			   "function '%s' returns no value", n->str);
		return;
	}
	diag_error("semantic error", &n->tok, "type mismatch: expected %s, found %s",
		   type_name(want), type_name(n->type));
	if (n->kind == N_VAR && n->sym->type_origin && n->sym->type_origin != n)
		diag_error("semantic error", &n->sym->type_origin->tok,
			   "type of '%s' was first inferred here (%s)",
			   n->sym->name, type_name(n->sym->type));
}

/* Make n's value be of type t: decide unknown variable types, report
 * conflicts in the final round. */
void require(struct elab *e, struct node *n, enum stp_type t)
{
	if (n->type == t)
		return;
	if (n->type != TYPE_UNKNOWN) {
		mismatch(e, n, t);
		return;
	}
	switch (n->kind) {
	case N_VAR:
		n->sym->type = t;
		n->sym->type_origin = n;
		n->type = t;
		e->changed = 1;
		break;
	case N_ASSIGN:
		require(e, n->lhs, t);
		require(e, n->rhs, t);
		n->type = n->lhs->type;
		break;
	case N_TERNARY:
		require(e, n->then_, t);
		require(e, n->else_, t);
		n->type = n->then_->type;
		break;
	case N_INDEX:
		if (n->lhs->kind == N_VAR && n->lhs->sym->type == TYPE_UNKNOWN) {
			n->lhs->sym->type = t;
			n->lhs->sym->type_origin = n;
			n->type = t;
			e->changed = 1;
		}
		break;
	case N_CALL:
		if (n->sym && n->sym->fn->ret_type == TYPE_UNKNOWN) {
			n->sym->fn->ret_type = t;
			n->sym->fn->ret_origin = n;
			n->type = t;
			e->changed = 1;
		}
		break;
	default:
		break;
	}
}

/* A value flowing into a symbol with no node of its own (a parameter, a
 * function's return value): whichever side knows the type tells. */
void unify_with(struct elab *e, struct node *value, enum stp_type *slot,
		       struct node **origin)
{
	enum stp_type t = infer(e, value);

	if (*slot != TYPE_UNKNOWN && *slot != TYPE_VOID) {
		require(e, value, *slot);
	} else if (t != TYPE_UNKNOWN && t != TYPE_VOID) {
		*slot = t;
		*origin = value;
		e->changed = 1;
	} else if (t == TYPE_VOID) {
		mismatch(e, value, TYPE_LONG);
	}
}

/* "3 given, 1 expected", or with overloads "3 given, 1 or 2 expected" */
static void report_arity(struct elab *e, struct node *n, int nargs)
{
	struct strbuf want = { 0 };
	struct symbol *s;
	int k = 0;

	for (s = e->rp->function_syms; s; s = s->next)
		if (strcmp(s->name, n->str) == 0 && visible_from(s->decl, n->tok.loc.file)) {
			if (k)
				sb_add(&want, s->next && find_function(s->next, n->str, -1,
					n->tok.loc.file) ? ", " : " or ");
			sb_printf(&want, "%d", s->fn->n_params);
			k++;
		}
	diag_error("semantic error", &n->tok,
		   "wrong number of arguments to '%s': %d given, %s expected",
		   n->str, nargs, want.buf);
	free(want.buf);
}

static void infer_function_call(struct elab *e, struct node *n)
{
	struct handler *f = n->sym->fn;
	struct symbol *param = f->locals;
	struct node *a;
	int nargs = 0;

	for (a = n->args; a; a = a->next)
		nargs++;
	if (nargs != f->n_params) {
		if (e->reporting)
			report_arity(e, n, nargs);
		for (a = n->args; a; a = a->next)
			infer(e, a);
		return;
	}
	for (a = n->args; a; a = a->next, param = param->next)
		unify_with(e, a, &param->type, &param->type_origin);
	n->type = f->ret_type;
}

/* Both sides of a comparison, '=' or '?:' have one type, whichever side
 * tells it. */
void unify(struct elab *e, struct node *a, struct node *b)
{
	enum stp_type ta = infer(e, a), tb = infer(e, b);

	if (ta != TYPE_UNKNOWN && ta != TYPE_VOID)
		require(e, b, ta);
	else if (tb != TYPE_UNKNOWN && tb != TYPE_VOID)
		require(e, a, tb);
	else if (ta == TYPE_VOID)
		mismatch(e, a, TYPE_LONG);
	else if (tb == TYPE_VOID)
		mismatch(e, b, TYPE_LONG);
}

static int is_comparison(int op)
{
	return op == '<' || op == '>' || op == OP_LE || op == OP_GE ||
	       op == OP_EQ || op == OP_NE;
}

/* printf/sprintf: a literal format whose directives match the arguments */
static void check_format_call(struct elab *e, struct node *n, int nargs)
{
	struct format_spec spec;
	struct node *a;
	char err[160];
	int off, i;

	infer(e, n->args);
	if (n->args->kind != N_STRING) {
		if (e->reporting)
			diag_error("semantic error", &n->args->tok,
				   "%s format must be a literal string", n->str);
		return;
	}
	if (format_parse(n->args->str, &spec, err, sizeof(err), &off) < 0) {
		if (e->reporting)
			diag_error("semantic error", &n->args->tok, "%s", err);
		return;
	}
	if (spec.n_args != nargs - 1 && e->reporting)
		diag_error("semantic error", &n->tok,
			   "%s format expects %d argument%s, %d given", n->str,
			   spec.n_args, spec.n_args == 1 ? "" : "s", nargs - 1);
	for (a = n->args->next, i = 0; a; a = a->next, i++) {
		infer(e, a);
		if (i < spec.n_args)
			require(e, a, spec.args[i] == FARG_STRING ? TYPE_STRING : TYPE_LONG);
	}
	format_free(&spec);
}

static void infer_call(struct elab *e, struct node *n)
{
	const struct builtin *b = builtin_lookup(n->str);
	struct node *a;
	int nargs = 0, i;

	if (n->sym) {
		infer_function_call(e, n);
		return;
	}

	for (a = n->args; a; a = a->next)
		nargs++;
	if (!b) {
		if (e->reporting) {
			const char *near = builtin_suggest(n->str);

			if (near)
				diag_error("semantic error", &n->tok,
					   "unresolved function '%s' (did you mean '%s'?)",
					   n->str, near);
			else
				diag_error("semantic error", &n->tok,
					   "unresolved function '%s'", n->str);
		}
		for (a = n->args; a; a = a->next)
			infer(e, a);
		return;
	}
	n->type = b->result;
	if (strncmp(n->str, "__stp_entry_save", 16) == 0 && nargs == 2) {
		/* @entry(EXPR) moved into the entry part (elaborate_target.c):
		 * saved as what EXPR is, a number or a string */
		enum stp_type t = infer(e, n->args->next);

		infer(e, n->args);
		if (t == TYPE_STRING)
			n->str = "__stp_entry_save_str";
		else if (t == TYPE_LONG)
			n->str = "__stp_entry_save";
		else if (t != TYPE_UNKNOWN)
			mismatch(e, n->args->next, TYPE_LONG);
		else if (e->reporting)
			diag_error("semantic error", &n->args->next->tok,
				   "cannot tell whether this @entry expression is a number or a string");
		n->type = TYPE_VOID;
		return;
	}
	if (strcmp(b->params, "*") != 0 && nargs != (int)strlen(b->params)) {
		if (e->reporting)
			diag_error("semantic error", &n->tok,
				   "wrong number of arguments to '%s': %d given, %d expected",
				   n->str, nargs, (int)strlen(b->params));
		return;
	}
	switch (b->id) {
	case BI_PRINTF:
	case BI_SPRINTF:
		if (nargs == 0) {
			if (e->reporting)
				diag_error("semantic error", &n->tok,
					   "%s needs a format", n->str);
			return;
		}
		check_format_call(e, n, nargs);
		return;
	case BI_PRINTD:
	case BI_PRINTDLN:
	case BI_SPRINTD:
	case BI_SPRINTDLN:
		if (!n->args || n->args->kind != N_STRING) {
			if (e->reporting)
				diag_error("semantic error", n->args ? &n->args->tok : &n->tok,
					   "%s needs a literal string delimiter first", n->str);
			for (a = n->args; a; a = a->next)
				infer(e, a);
			return;
		}
		infer(e, n->args);
		if (nargs < 2 && e->reporting)
			diag_error("semantic error", &n->tok,
				   "%s needs a delimiter and at least one value", n->str);
		/* the values are checked as print's */
		__attribute__((fallthrough));
	case BI_PRINT:
	case BI_PRINTLN:
	case BI_SPRINT:
	case BI_SPRINTLN:
		if ((b->id == BI_PRINT || b->id == BI_SPRINT) && nargs == 0 && e->reporting)
			diag_error("semantic error", &n->tok, "%s needs an argument", n->str);
		for (a = builtin_prints_delimited(b) && n->args ? n->args->next : n->args; a;
		     a = a->next) {
			enum stp_type t = infer(e, a);

			if (a->kind == N_HIST && (builtin_prints_to_string(b) ||
						  builtin_prints_delimited(b))) {
				if (e->reporting)
					diag_error("semantic error", &a->tok,
						   "%s cannot format a histogram (print it with print or println)",
						   n->str);
				continue;
			}
			if (a->kind == N_HIST && nargs != 1 && e->reporting)
				diag_error("semantic error", &a->tok,
					   "a histogram is printed on its own: print(@hist_log(x))");
			else if (a->kind == N_HIST)
				continue;
			if (t == TYPE_VOID || t == TYPE_STATS)
				mismatch(e, a, TYPE_LONG);
		}
		return;
	case BI_REGISTER:
		if (!e->reporting || (n->args->kind == N_STRING && register_field(n->args->str)))
			return;
		if (n->args->kind == N_STRING && register_other_arch(n->args->str))
			diag_error("semantic error", &n->args->tok,
				   "register \"%s\" is an %s register, but the target "
				   "architecture is %s (use a name such as \"%s\")", n->args->str,
				   register_other_arch(n->args->str), registers_arch(),
				   register_example());
		else
			diag_error("semantic error", &n->args->tok,
				   "register() needs a literal %s register name such as \"%s\"",
				   registers_arch(), register_example());
		return;
	case BI_TEMPLATE:
		break;
	}
	for (a = n->args, i = 0; a; a = a->next, i++) {
		infer(e, a);
		require(e, a, b->params[i] == 's' ? TYPE_STRING : TYPE_LONG);
	}
}

/* any_node() predicate: an assignment or ++/-- to the variable named arg */
int writes_variable(const struct node *n, void *arg)
{
	return (n->kind == N_ASSIGN || n->kind == N_INCDEC) && n->lhs->kind == N_VAR &&
	       strcmp(n->lhs->str, (const char *)arg) == 0;
}

enum stp_type infer(struct elab *e, struct node *n)
{
	switch (n->kind) {
	case N_NUMBER:
		n->type = TYPE_LONG;
		break;
	case N_STRING:
		n->type = TYPE_STRING;
		break;
	case N_VAR:
		scalar_use(e, n);
		n->type = n->sym->type;
		break;
	case N_INDEX:
	case N_IN:
	case N_STAT_ADD:
	case N_AGGREGATE:
	case N_HIST:
		infer_array_expr(e, n);
		break;
	case N_BINARY:
		if (n->op == '.') {
			infer(e, n->lhs);
			infer(e, n->rhs);
			require(e, n->lhs, TYPE_STRING);
			require(e, n->rhs, TYPE_STRING);
			n->type = TYPE_STRING;
		} else if (is_comparison(n->op)) {
			unify(e, n->lhs, n->rhs);
			n->type = TYPE_LONG;
		} else {
			infer(e, n->lhs);
			infer(e, n->rhs);
			require(e, n->lhs, TYPE_LONG);
			require(e, n->rhs, TYPE_LONG);
			n->type = TYPE_LONG;
		}
		break;
	case N_UNARY:
		infer(e, n->lhs);
		require(e, n->lhs, TYPE_LONG);
		n->type = TYPE_LONG;
		break;
	case N_ASSIGN:
		if (lvalue_symbol(n->lhs))
			lvalue_symbol(n->lhs)->assigned = 1;
		check_target_write(e, n->lhs);
		check_not_bucket(e, n->lhs);
		if (n->op == '=') {
			unify(e, n->rhs, n->lhs);
		} else {
			enum stp_type t = n->op == OP_CAT_ASSIGN ? TYPE_STRING : TYPE_LONG;

			infer(e, n->lhs);
			infer(e, n->rhs);
			require(e, n->lhs, t);
			require(e, n->rhs, t);
		}
		n->type = n->lhs->type;
		break;
	case N_INCDEC:
		if (lvalue_symbol(n->lhs))
			lvalue_symbol(n->lhs)->assigned = 1;
		check_target_write(e, n->lhs);
		check_not_bucket(e, n->lhs);
		infer(e, n->lhs);
		require(e, n->lhs, TYPE_LONG);
		n->type = TYPE_LONG;
		break;
	case N_TERNARY:
		infer(e, n->cond);
		require(e, n->cond, TYPE_LONG);
		unify(e, n->then_, n->else_);
		n->type = n->then_->type != TYPE_UNKNOWN ? n->then_->type : n->else_->type;
		break;
	case N_CALL:
		infer_call(e, n);
		break;
	case N_TARGET:
		infer_target(e, n);
		break;
	case N_PROBEWRITE:
		/* outside an alias body (those are decided at expansion):
		 * whether this probe or function writes the variable */
		n->type = TYPE_LONG;
		n->num = any_node(e->handler->probe->body, writes_variable, (void *)n->str);
		n->kind = N_NUMBER;
		break;
	case N_REGISTER:
		/* @kregister(n) / @uregister(n): DWARF register n of the
		 * probed kernel context, or of the current task's user space */
		n->type = TYPE_LONG;
		if (e->reporting && !register_dwarf_field((unsigned int)n->num))
			diag_error("semantic error", &n->tok,
				   "no DWARF register %lld on %s", (long long)n->num,
				   registers_arch());
		break;
	case N_CAST:
	case N_ATVAR:
		infer_cast(e, n);
		break;
	case N_ENTRY:
		infer_entry(e, n);
		break;
	case N_EMBEDDED:
		infer_embedded_expr(e, n);
		break;
	case N_REGEX:
		infer_regex(e, n);
		break;
	case N_CONST:
		infer_const(e, n);
		break;
	default:
		not_supported(e, n);
		break;
	}
	return n->type;
}

/* Count reads: every N_VAR is one, except the target of a plain '='
 * (compound assignments read it too), which the assignment takes back. */
static void mark_read(struct node *n, void *arg)
{
	(void)arg;
	if (n->kind == N_VAR && n->sym)
		n->sym->read++;
	if (n->kind == N_ASSIGN && n->op == '=' && n->lhs->kind == N_VAR && n->lhs->sym)
		n->lhs->sym->read--;
}

static void mark_reads(struct node *body)
{
	walk_nodes(body, mark_read, NULL);
}

/* try { } catch (msg) { }: msg is a string local the catch assigns. */
static void walk_try(struct elab *e, struct node *s)
{
	walk_statements(e, s->body);
	if (s->lhs) {
		if (s->lhs->sym->kind != SYM_LOCAL) {
			if (e->reporting)
				diag_error("semantic error", &s->lhs->tok,
					   "the catch variable '%s' must be a local, not a global",
					   s->lhs->str);
		} else {
			s->lhs->sym->assigned = 1;
			infer(e, s->lhs);
			require(e, s->lhs, TYPE_STRING);
		}
	}
	walk_statements(e, s->else_);
}

static void check_condition(struct elab *e, struct node *cond)
{
	infer(e, cond);
	require(e, cond, TYPE_LONG);
}

/* Walk statements: infer their expressions; in the reporting round also
 * check where break/continue/return may stand. */
void walk_statements(struct elab *e, struct node *s)
{
	for (; s; s = s->next) {
		switch (s->kind) {
		case N_BLOCK:
			walk_statements(e, s->body);
			break;
		case N_EXPR_STMT:
			infer(e, s->lhs);
			break;
		case N_IF:
			check_condition(e, s->cond);
			walk_statements(e, s->then_);
			walk_statements(e, s->else_);
			break;
		case N_WHILE:
		case N_FOR:
			walk_statements(e, s->init);
			if (s->cond)
				check_condition(e, s->cond);
			if (s->step)
				infer(e, s->step);
			e->loop_depth++;
			walk_statements(e, s->body);
			e->loop_depth--;
			break;
		case N_BREAK:
		case N_CONTINUE:
			if (e->reporting && e->loop_depth == 0)
				diag_error("semantic error", &s->tok,
					   "'%s' outside of a loop", s->tok.text);
			break;
		case N_RETURN:
			if (!e->handler->is_function) {
				if (e->reporting)
					diag_error("semantic error", &s->tok,
						   "'return' outside of a function (use 'next' to leave a probe)");
			} else if (s->lhs) {
				unify_with(e, s->lhs, &e->handler->ret_type,
					   &e->handler->ret_origin);
			}
			break;
		case N_FOREACH:
			walk_foreach(e, s);
			break;
		case N_DELETE:
			check_delete(e, s);
			break;
		case N_TRY:
			walk_try(e, s);
			break;
		case N_NEXT:
		case N_EMPTY:
			break;
		default:
			not_supported(e, s);
			break;
		}
	}
}

/* ---- string temporaries --------------------------------------------- */

static void assign_temp(struct node *n, void *arg)
{
	struct handler *h = arg;

	if (n->kind == N_BINARY && n->op == '.')
		n->temp = h->n_temps++;
	if (n->kind == N_CALL && !n->sym && builtin_lookup(n->str) &&
	    builtin_needs_temp(builtin_lookup(n->str)))
		n->temp = h->n_temps++;
	if (n->kind == N_CALL && n->sym && n->sym->fn->ret_type == TYPE_STRING)
		n->temp = h->n_temps++;
	/* printf("%m %M", ...): a string for each memory dump, numbered on
	 * from the call's own temp (sprintf) or starting at n->temp (printf) */
	if (n->kind == N_CALL && !n->sym && builtin_lookup(n->str) &&
	    (builtin_lookup(n->str)->id == BI_PRINTF || builtin_lookup(n->str)->id == BI_SPRINTF) &&
	    n->args && n->args->kind == N_STRING) {
		int n_mem = format_mem_count(n->args->str);

		if (n_mem && n->temp < 0)
			n->temp = h->n_temps;
		h->n_temps += n_mem;	/* sprintf's own temp was the last one given */
	}
	/* a string target variable whose C fills a temporary ($T) */
	if ((n->kind == N_TARGET || n->kind == N_CAST || n->kind == N_ATVAR) &&
	    n->type == TYPE_STRING && n->c_expr &&
	    strstr(n->c_expr, "$T"))
		n->temp = h->n_temps++;
	/* a buffer to build the keys of an array access in */
	if ((n->kind == N_INDEX && n->lhs->kind == N_VAR) || n->kind == N_IN ||
	    (n->kind == N_FOREACH && n->slice)) {
		h->key_slots = realloc(h->key_slots, sizeof(*h->key_slots) * (h->n_keys + 1));
		if (!h->key_slots)
			abort();
		h->key_slots[h->n_keys] = n->kind == N_INDEX ? n->lhs->sym : n->rhs->sym;
		n->temp = h->n_keys++;
	}
}

static void assign_temps(struct handler *h, struct node *body)
{
	walk_nodes(body, assign_temp, h);
}

/* ---- the pass ------------------------------------------------------- */

static void free_symbols(struct symbol *s);

static void infer_all(struct elab *e)
{
	struct handler *h;
	struct node *g;

	for (h = e->rp->handlers; h; h = h->next) {
		e->handler = h;
		walk_statements(e, h->probe->body);
	}
	for (h = e->rp->functions; h; h = h->next) {
		/* embedded C: typed by its declaration and its callers */
		if (!h->reachable || h->probe->body->kind == N_EMBEDDED)
			continue;
		e->handler = h;
		walk_statements(e, h->probe->body);
	}
	for (g = e->rp->ast->globals; g; g = g->next)
		if (g->rhs)
			infer(e, g->rhs);
}

static void check_symbols(struct symbol *list, int warn_unassigned)
{
	for (; list; list = list->next) {
		if (list->type == TYPE_UNKNOWN) {
			diag_error("semantic error", &list->decl->tok,
				   "unresolved type of %s '%s': it is never assigned or used in a way that tells",
				   list->kind == SYM_GLOBAL ? "global" : "local", list->name);
			continue;
		}
		if (warn_unassigned && list->read && !list->assigned)
			diag_warning(&list->decl->tok,
				     "never-assigned local variable '%s'", list->name);
	}
}

static int starts_with_dir(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(path, dir, n) == 0 && path[n] == '/';
}

int is_library_file(const char *path, const struct options *opts)
{
	/* asked per function and global: look the directory up once */
	static const char *std;
	static int looked;
	int i;

	if (!looked) {
		std = find_tapset_dir();
		looked = 1;
	}

	if (std && starts_with_dir(path, std))
		return 1;
	for (i = 0; i < opts->tapset_dirs.n; i++)
		if (starts_with_dir(path, opts->tapset_dirs.items[i]))
			return 1;
	return 0;
}

static void mark_global_use(struct node *n, void *arg)
{
	(void)arg;
	if (n->kind == N_VAR && n->sym && n->sym->kind == SYM_GLOBAL)
		n->sym->used = 1;
}

/* Globals that no probe and no reachable function names are left out, as
 * unused functions are (a tapset's silently, the script's with a warning,
 * as SystemTap does). */
static void elide_unused_globals(struct resolved_program *rp, const struct options *opts)
{
	struct handler *lists[2] = { rp->functions, rp->handlers }, *h;
	struct symbol **link = &rp->globals, *g;
	int i;

	for (i = 0; i < 2; i++)
		for (h = lists[i]; h; h = h->next)
			if (!h->is_function || h->reachable)
				walk_nodes(h->probe->body, mark_global_use, NULL);
	while ((g = *link)) {
		if (!g->used) {
			if (!is_library_file(g->decl->tok.loc.file, opts))
				diag_warning(&g->decl->tok, "eliding unused variable '%s'", g->name);
			*link = g->next;
			rp->n_globals--;
			free(g);
			continue;
		}
		link = &g->next;
	}
}

static int returns_value(const struct node *n)
{
	for (; n; n = n->next)
		if ((n->kind == N_RETURN && n->lhs) || returns_value(n->body) ||
		    returns_value(n->then_) || returns_value(n->else_))
			return 1;
	return 0;
}

int elaborate(struct program *prog, const struct options *opts,
	      struct resolved_program *out)
{
	struct elab e = { .rp = out };
	struct handler **tail = &out->handlers;
	struct handler *h;
	struct node *probe;
	int errors_before = diag_error_count();
	int round;

	memset(out, 0, sizeof(*out));
	out->ast = prog;
	e.guru = opts->guru;
	e.opts = opts;
	expand_probes(prog, opts->list_point != NULL);
	for (probe = prog->embeds; probe; probe = probe->next)
		embedded_allowed(&e, probe, "embedded C");
	collect_globals(&e);
	collect_functions(&e);
	for (probe = prog->probes; probe; probe = probe->next) {
		int points_before = out->n_points;

		h = xcalloc(1, sizeof(*h));
		h->index = out->n_handlers;
		h->probe = probe;
		e.handler = h;
		resolve_points(&e, probe, h);
		if (out->n_points == points_before) {
			/* only optional points that match nothing: no handler */
			free(h);
			continue;
		}
		h->next = split_by_bindings(&e, h);
		while (h) {
			struct handler *next = h->next, *entry_part;
			struct defined_oracle o = { target_is_defined, &e };

			h->next = NULL;
			h->index = out->n_handlers++;
			e.handler = h;
			/* @defined($x): does $x bind at these points */
			fold_defined(h->probe->body, &o);
			entry_part = split_entry_values(&e, h->probe, h);
			bind_names(&e, h->probe->body);
			*tail = h;
			tail = &h->next;
			if (entry_part) {	/* @entry(EXPR): its own body, run at entry */
				entry_part->index = out->n_handlers++;
				*tail = entry_part;
				tail = &entry_part->next;
				e.handler = entry_part;
				bind_names(&e, entry_part->probe->body);
			}
			h = next;
		}
	}
	for (h = out->functions; h; h = h->next) {
		e.handler = h;
		bind_names(&e, h->probe->body);
		mark_reads(h->probe->body);
	}
	for (h = out->handlers; h; h = h->next) {
		mark_reads(h->probe->body);
		walk_nodes(h->probe->body, mark_reachable_call, NULL);
	}

	/* types flow through assignments and calls in any order: iterate to a
	 * fixpoint, then once more reporting what is still wrong */
	for (round = 0; round < 64; round++) {
		e.changed = 0;
		infer_all(&e);
		if (!e.changed)
			break;
	}
	/* a function with no 'return VALUE' returns nothing */
	for (h = out->functions; h; h = h->next)
		if (h->ret_type == TYPE_UNKNOWN && !returns_value(h->probe->body))
			h->ret_type = TYPE_VOID;
	e.reporting = 1;
	infer_all(&e);
	elide_unused_globals(out, opts);
	decide_locking(out);
	place_foreach_snapshots(out);
	mark_entry_strings(out);
	check_symbols(out->globals, 0);
	for (h = out->functions; h; h = h->next) {
		if (!h->reachable) {
			/* a tapset's functions are there to be left unused */
			if (!is_library_file(h->probe->tok.loc.file, opts))
				diag_warning(&h->probe->tok, "eliding unused function '%s'",
					     h->probe->tok.text);
			continue;
		}
		out->n_used_functions++;
		if (h->ret_type == TYPE_UNKNOWN)
			diag_error("semantic error", &h->probe->tok,
				   "unresolved return type of function '%s'", h->probe->tok.text);
		check_symbols(h->locals, 1);
		assign_temps(h, h->probe->body);
	}
	for (h = out->handlers; h; h = h->next) {
		check_symbols(h->locals, 1);
		assign_temps(h, h->probe->body);
	}
	if (out->n_points == 0 && diag_error_count() == errors_before)
		diag_error("semantic error", NULL, "no probes found");
	rename_functions(out);
	return diag_error_count() > errors_before ? -1 : 0;
}

static void free_symbols(struct symbol *s)
{
	while (s) {
		struct symbol *next = s->next;

		free(s);
		s = next;
	}
}

static void free_handlers(struct handler *h)
{
	while (h) {
		struct handler *next = h->next;

		free_symbols(h->locals);
		free(h->key_slots);
		free(h);
		h = next;
	}
}

void resolved_program_free(struct resolved_program *rp)
{
	struct resolved_point *pt = rp->points;

	free_symbols(rp->globals);
	free_symbols(rp->function_syms);
	free_handlers(rp->handlers);
	free_handlers(rp->functions);
	while (pt) {
		struct resolved_point *next = pt->next;

		free(pt->pp);
		free(pt->interval_ns);
		free(pt->randomize_ns);
		free(pt->symbol);
		free(pt->vars);
		free(pt);
		pt = next;
	}
	memset(rp, 0, sizeof(*rp));
}
