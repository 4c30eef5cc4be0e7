/* emit_arrays.c - pass 3 for global arrays and statistics: their
 * declarations and allocation, element access through runtime/stp_map.h,
 * <<< and the extractors through runtime/stp_stat.h, foreach and delete.
 *
 * Generated names: map_NAME (an array), stat_NAME (a scalar statistic),
 * hist_NAME (its histogram shape), struct map_NAME_key (its keys), and
 * l->keyN, a handler's buffer for building one access's keys. */
#include <stdlib.h>
#include <string.h>

#include "emit_internal.h"
#include "util.h"

static int is_array(const struct symbol *s)
{
	return s->kind == SYM_GLOBAL && s->arity > 0;
}

static const char *c_value_type(enum stp_type t)
{
	return t == TYPE_STRING ? "char" : t == TYPE_STATS ? "struct stp_stat" : "int64_t";
}

/* ---- declarations ---- */

/* counters a statistic keeps for its histogram */
static long long hist_buckets(const struct symbol *s)
{
	if (s->hist_kind == HIST_LOG)
		return 128;	/* STP_HIST_LOG_BUCKETS */
	if (s->hist_kind == HIST_LINEAR)
		return (s->hist_stop - s->hist_start) / s->hist_interval + 3;
	return 0;
}

static void emit_hist_desc(struct strbuf *out, const struct symbol *s)
{
	sb_printf(out, "static const struct stp_hist_desc hist_%s = { ", s->name);
	if (s->hist_kind == HIST_LOG)
		sb_add(out, ".kind = STP_HIST_LOG, .buckets = STP_HIST_LOG_BUCKETS };\n");
	else if (s->hist_kind == HIST_LINEAR)
		sb_printf(out, ".kind = STP_HIST_LINEAR, .start = %lld, .stop = %lld, .interval = %lld, .buckets = %lld };\n",
			  (long long)s->hist_start, (long long)s->hist_stop,
			  (long long)s->hist_interval, hist_buckets(s));
	else
		sb_add(out, ".kind = STP_HIST_NONE };\n");
}

static void emit_map_decl(struct strbuf *out, const struct symbol *s)
{
	const struct node *decl = s->decl;
	int i;

	sb_printf(out, "struct map_%s_key {\n", s->name);
	for (i = 0; i < s->arity; i++)
		sb_printf(out, s->key_types[i] == TYPE_STRING ? "\tchar k%d[MAXSTRINGLEN];\n"
							   : "\tint64_t k%d;\n", i + 1);
	sb_add(out, "};\n");
	if (s->type == TYPE_STATS)
		emit_hist_desc(out, s);
	sb_printf(out, "static const struct stp_map_desc map_%s_desc = {\n\t.name = \"%s\",\n\t.nkeys = %d,\n\t.kinds = {",
		  s->name, s->name, s->arity);
	for (i = 0; i < s->arity; i++)
		sb_printf(out, "%s%s", i ? ", " : " ",
			  s->key_types[i] == TYPE_STRING ? "STP_KEY_STRING" : "STP_KEY_LONG");
	sb_add(out, " },\n\t.offsets = {");
	for (i = 0; i < s->arity; i++)
		sb_printf(out, "%soffsetof(struct map_%s_key, k%d)", i ? ", " : " ", s->name, i + 1);
	sb_printf(out, " },\n\t.key_size = sizeof(struct map_%s_key),\n", s->name);
	if (s->type == TYPE_STATS)
		sb_printf(out, "\t.value_size = sizeof(struct stp_stat) + %lld * sizeof(int64_t),\n",
			  hist_buckets(s));
	else if (s->type == TYPE_STRING)
		sb_add(out, "\t.value_size = MAXSTRINGLEN,\n");
	else
		sb_add(out, "\t.value_size = sizeof(int64_t),\n");
	if (decl->array_size > 0)
		sb_printf(out, "\t.max_entries = %lld,\n", (long long)decl->array_size);
	if (decl->wrap)
		sb_add(out, "\t.wrap = true,\n");
	if (s->foreach_levels > 1)
		sb_printf(out, "\t.foreach_levels = %d,\n", s->foreach_levels);
	sb_printf(out, "};\nstatic struct stp_map map_%s;\n\n", s->name);
}

void emit_array_globals(struct strbuf *out, const struct resolved_program *rp)
{
	const struct symbol *s;

	for (s = rp->globals; s; s = s->next) {
		if (is_array(s)) {
			emit_map_decl(out, s);
		} else if (s->type == TYPE_STATS) {
			emit_hist_desc(out, s);
			sb_printf(out, "static struct stp_stat_var stat_%s;\n\n", s->name);
		}
	}
}

/* Returns whether there was anything to allocate (stp_alloc_globals). */
int emit_globals_alloc(struct strbuf *out, const struct resolved_program *rp)
{
	const struct symbol *s;
	int any = 0;

	for (s = rp->globals; s; s = s->next)
		any |= is_array(s) || s->type == TYPE_STATS;
	if (!any)
		return 0;
	sb_add(out, "/* arrays and statistics are allocated whole at load */\nstatic int stp_alloc_globals(void)\n{\n\tint rc = 0;\n\n");
	for (s = rp->globals; s; s = s->next) {
		if (is_array(s))
			sb_printf(out, "\tif (!rc)\n\t\trc = stp_map_init(&map_%s, &map_%s_desc);\n",
				  s->name, s->name);
		else if (s->type == TYPE_STATS)
			sb_printf(out, "\tif (!rc)\n\t\trc = stp_stat_var_init(&stat_%s, &hist_%s);\n",
				  s->name, s->name);
	}
	sb_add(out, "\treturn rc;\t/* stp_free_globals() undoes a partial allocation */\n}\n\nstatic void stp_free_globals(void)\n{\n");
	for (s = rp->globals; s; s = s->next) {
		if (is_array(s))
			sb_printf(out, "\tstp_map_free(&map_%s);\n", s->name);
		else if (s->type == TYPE_STATS)
			sb_printf(out, "\tstp_stat_var_free(&stat_%s);\n", s->name);
	}
	sb_add(out, "}\n\n");
	return 1;
}

/* The key buffers of a handler's locals struct. */
void emit_key_slots(struct strbuf *out, const struct handler *h)
{
	int i;

	for (i = 0; i < h->n_keys; i++)
		sb_printf(out, "\tstruct map_%s_key key%d;\n", h->key_slots[i]->name, i);
}

/* ---- element access ---- */

/* `&l->keyN` filled with the key expressions, as a C expression. */
static void emit_key(struct emitter *em, const struct node *access, struct node *keys)
{
	int i;

	sb_printf(em->out, "({ struct map_%s_key *k_ = &l->key%d; ",
		  em->handler->key_slots[access->temp]->name, access->temp);
	for (i = 1; keys; keys = keys->next, i++) {
		if (keys->kind == N_WILDCARD)
			continue;	/* any value: see slice_mask() */
		if (keys->type == TYPE_STRING) {
			char dest[16];

			/* a builtin such as execname() writes the key in place,
			 * and stp_strset() then copies nothing */
			snprintf(dest, sizeof(dest), "k_->k%d", i);
			sb_printf(em->out, "stp_strset(k_->k%d, ", i);
			if (keys->kind == N_CALL && !keys->sym)
				em->temp_dest = dest;
			emit_expr(em, keys);
			em->temp_dest = NULL;
			sb_add(em->out, "); ");
		} else {
			sb_printf(em->out, "k_->k%d = ", i);
			emit_expr(em, keys);
			sb_add(em->out, "; ");
		}
	}
	sb_add(em->out, "k_; })");
}

/* The keys a slice compares (bit i: key i + 1), or -1 when no key is '*'
 * and the access is an ordinary lookup. */
static int slice_mask(const struct node *keys)
{
	int i, mask = 0, wild = 0;

	for (i = 0; keys; keys = keys->next, i++) {
		if (keys->kind == N_WILDCARD)
			wild = 1;
		else
			mask |= 1 << i;
	}
	return wild ? mask : -1;
}

/* The value of a[k...] (0, "" or an empty statistic when missing). */
static void emit_index_read(struct emitter *em, struct node *n)
{
	const struct symbol *a = n->lhs->sym;

	sb_printf(em->out, "({ %s *v_ = stp_map_find(&map_%s, &map_%s_desc, ",
		  c_value_type(a->type), a->name, a->name);
	emit_key(em, n, n->args);
	if (a->type == TYPE_STRING)
		sb_add(em->out, "); (const char *)(v_ ? v_ : \"\"); })");
	else if (a->type == TYPE_STATS)
		sb_add(em->out, "); v_ ? v_ : (struct stp_stat *)&stp_empty_stat; })");
	else
		sb_add(em->out, "); v_ ? *v_ : 0; })");
}

char *lvalue_begin(struct emitter *em, struct node *lhs, struct node *at)
{
	const struct symbol *a;
	struct strbuf name = { 0 };

	if (lhs->kind == N_VAR) {
		sb_printf(&name, lhs->sym->kind == SYM_GLOBAL ? "g_%s" : "l->l_%s", lhs->sym->name);
		return name.buf;
	}
	if (lhs->kind == N_TARGET)	/* pass 2 checked it is writable */
		return xstrdup(lhs->c_expr);
	a = lhs->lhs->sym;
	sb_printf(em->out, "({ %s *v_ = stp_map_get(c, &map_%s, &map_%s_desc, ",
		  c_value_type(a->type), a->name, a->name);
	emit_key(em, lhs, lhs->args);
	sb_add(em->out, ", ");
	emit_where(em, at);
	sb_add(em->out, "); v_ ? ");
	return xstrdup(a->type == TYPE_STRING ? "v_" : "(*v_)");
}

void lvalue_end(struct emitter *em, struct node *lhs)
{
	if (lhs->kind == N_INDEX)
		sb_add(em->out, lhs->lhs->sym->type == TYPE_STRING ? " : \"\"; })" : " : 0; })");
}

/* A statistic operand, as a `struct stp_stat *` expression. */
static void emit_stat(struct emitter *em, struct node *x)
{
	if (x->kind == N_VAR)
		sb_printf(em->out, "stp_stat_var_read(&stat_%s)", x->sym->name);
	else
		emit_index_read(em, x);
}

static const char *hist_of(const struct node *x)
{
	return x->kind == N_VAR ? x->sym->name : x->lhs->sym->name;
}

/* @hist_log(s)[i]: the count in bucket i */
static void emit_bucket_read(struct emitter *em, struct node *n)
{
	sb_add(em->out, "stp_hist_bucket(c, ");
	emit_stat(em, n->lhs->lhs);
	sb_printf(em->out, ", &hist_%s, ", hist_of(n->lhs->lhs));
	emit_expr(em, n->args);
	sb_add(em->out, ", ");
	emit_where(em, n);
	sb_add(em->out, ")");
}

void emit_array_expr(struct emitter *em, struct node *n)
{
	static const char *const extract[] = {
		[AGG_MIN] = "stp_stat_min", [AGG_MAX] = "stp_stat_max",
		[AGG_AVG] = "stp_stat_avg", [AGG_VARIANCE] = "stp_stat_variance",
	};

	switch (n->kind) {
	case N_INDEX:
		if (n->lhs->kind == N_HIST) {
			emit_bucket_read(em, n);
			break;
		}
		emit_index_read(em, n);
		break;
	case N_IN:
		if (slice_mask(n->args) >= 0) {
			sb_printf(em->out, "stp_map_slice_exists(&map_%s, &map_%s_desc, ",
				  n->rhs->sym->name, n->rhs->sym->name);
			emit_key(em, n, n->args);
			sb_printf(em->out, ", 0x%x)", slice_mask(n->args));
			break;
		}
		sb_printf(em->out, "(stp_map_find(&map_%s, &map_%s_desc, ",
			  n->rhs->sym->name, n->rhs->sym->name);
		emit_key(em, n, n->args);
		sb_add(em->out, ") != NULL)");
		break;
	case N_STAT_ADD:
		if (n->lhs->kind == N_VAR) {
			sb_printf(em->out, "stp_stat_var_add(&stat_%s, ", n->lhs->sym->name);
			emit_expr(em, n->rhs);
			sb_add(em->out, ")");
		} else {
			char *v = lvalue_begin(em, n->lhs, n);

			sb_printf(em->out, "(stp_stat_add(v_, &hist_%s, ", hist_of(n->lhs));
			emit_expr(em, n->rhs);
			sb_add(em->out, "), 0)");
			lvalue_end(em, n->lhs);
			free(v);
		}
		break;
	case N_AGGREGATE:
		if (n->op == AGG_COUNT || n->op == AGG_SUM) {
			sb_add(em->out, "(");
			emit_stat(em, n->lhs);
			sb_add(em->out, n->op == AGG_COUNT ? ")->count" : ")->sum");
		} else {
			sb_printf(em->out, "%s(c, ", extract[n->op]);
			emit_stat(em, n->lhs);
			sb_add(em->out, ", ");
			emit_where(em, n);
			sb_add(em->out, ")");
		}
		break;
	default:
		break;
	}
}

void emit_hist_print(struct emitter *em, struct node *hist)
{
	sb_add(em->out, "stp_hist_print(c, ");
	emit_stat(em, hist->lhs);
	sb_printf(em->out, ", &hist_%s)", hist_of(hist->lhs));
}

/* ---- statements ---- */

void emit_delete(struct emitter *em, struct node *s)
{
	struct node *x = s->lhs;
	const struct symbol *v = x->kind == N_VAR ? x->sym : NULL;

	indent(em);
	if (x->kind == N_INDEX && slice_mask(x->args) >= 0) {
		sb_printf(em->out, "stp_map_slice_delete(&map_%s, &map_%s_desc, ",
			  x->lhs->sym->name, x->lhs->sym->name);
		emit_key(em, x, x->args);
		sb_printf(em->out, ", 0x%x);\n", slice_mask(x->args));
	} else if (x->kind == N_INDEX) {
		sb_printf(em->out, "stp_map_delete(&map_%s, &map_%s_desc, ",
			  x->lhs->sym->name, x->lhs->sym->name);
		emit_key(em, x, x->args);
		sb_add(em->out, ");\n");
	} else if (is_array(v)) {
		sb_printf(em->out, "stp_map_clear(&map_%s);\n", v->name);
	} else if (v->type == TYPE_STATS) {
		sb_printf(em->out, "stp_stat_var_clear(&stat_%s);\n", v->name);
	} else if (v->type == TYPE_STRING) {
		emit_var(em, v);
		sb_add(em->out, "[0] = '\\0';\n");
	} else {
		emit_var(em, v);
		sb_add(em->out, " = 0;\n");
	}
}

/*
 * foreach walks a sorted snapshot of the entries (stp_map_sort), so the
 * loop is bounded by the entries there were when it started; each pass
 * counts as an action against MAXACTION like any loop.
 */
/* The runtime comparator for sorting a's values, or "NULL" (by key). */
static const char *value_cmp(const struct node *s, const struct symbol *a)
{
	static char name[32];

	if (!s->sort_dir || s->sort_col != 0)
		return "NULL";
	if (a->type == TYPE_STATS) {
		snprintf(name, sizeof(name), "stp_cmp_stat_%s", s->str ? s->str : "count");
		return name;
	}
	return a->type == TYPE_STRING ? "stp_cmp_string_value" : "stp_cmp_long_value";
}

/* foreach (b in @hist_log(s)): every bucket number, in order */
static void emit_foreach_buckets(struct emitter *em, struct node *s)
{
	indent(em);
	sb_add(em->out, "{\n");
	em->indent++;
	indent(em);
	sb_add(em->out, "int64_t i_;\n");
	if (s->limit) {
		indent(em);
		sb_add(em->out, "int64_t limit_ = ");
		emit_expr(em, s->limit);
		sb_add(em->out, ";\n");
	}
	sb_add(em->out, "\n");
	indent(em);
	sb_printf(em->out, "for (i_ = 0; i_ < hist_%s.buckets%s; i_++) {\n",
		  hist_of(s->rhs->lhs), s->limit ? " && i_ < limit_" : "");
	em->indent++;
	indent(em);
	sb_add(em->out, "if (!stp_action(c, ");
	emit_where(em, s);
	sb_add(em->out, "))\n");
	indent(em);
	sb_add(em->out, "\t");
	emit_goto_out(em);
	indent(em);
	sb_printf(em->out, "l->l_%s = i_;\n", s->args->sym->name);
	em->indent--;
	emit_block_body(em, s->body);
	indent(em);
	sb_add(em->out, "}\n");
	em->indent--;
	indent(em);
	sb_add(em->out, "}\n");
}

void emit_foreach(struct emitter *em, struct node *s)
{
	const struct symbol *a = s->rhs->sym;
	struct strbuf entry = { 0 };	/* the C for this pass's map node */
	struct node *k;
	int i;

	if (s->rhs->kind == N_HIST) {
		emit_foreach_buckets(em, s);
		return;
	}
	indent(em);
	sb_add(em->out, "{\n");
	em->indent++;
	/* a loop nested in another over the same array has its own snapshot */
	indent(em);
	if (s->num > 0) {
		sb_printf(em->out, "unsigned int i_, n_ = stp_map_sort_level(&map_%s, %d, %d, %d, %s);\n",
			  a->name, (int)s->num, s->sort_col,
			  s->sort_dir == '+' ? 1 : s->sort_dir == '-' ? -1 : 0, value_cmp(s, a));
		indent(em);
		sb_printf(em->out, "struct stp_map_node **snap_ = stp_map_snapshot(&map_%s, %d);\n",
			  a->name, (int)s->num);
		sb_add(&entry, "snap_[i_]");
	} else {
		sb_printf(em->out, "unsigned int i_, n_ = stp_map_sort(&map_%s, %d, %d, %s);\n",
			  a->name, s->sort_col,
			  s->sort_dir == '+' ? 1 : s->sort_dir == '-' ? -1 : 0, value_cmp(s, a));
		sb_printf(&entry, "map_%s.sorted[i_]", a->name);
	}
	if (s->slice) {
		/* the slice's keys are evaluated once, before the first pass */
		indent(em);
		sb_printf(em->out, "const struct map_%s_key *slice_ = ", a->name);
		emit_key(em, s, s->slice);
		sb_add(em->out, ";\n");
	}
	if (s->limit) {
		indent(em);
		sb_add(em->out, "int64_t limit_ = ");
		emit_expr(em, s->limit);
		sb_add(em->out, ";\n");
		if (s->slice) {
			indent(em);
			sb_add(em->out, "int64_t hits_ = 0;\n");
		}
	}
	if (s->slice && (may_error(s->slice) || may_error(s->limit)))
		emit_error_check(em);	/* no pass after a bad slice key */
	sb_add(em->out, "\n");
	indent(em);
	sb_printf(em->out, "for (i_ = 0; i_ < n_%s; i_++) {\n",
		  s->limit && !s->slice ? " && i_ < limit_" : "");
	em->indent++;
	indent(em);
	sb_printf(em->out, "struct map_%s_key *k_ = stp_map_key(&map_%s, %s);\n\n",
		  a->name, a->name, entry.buf);
	if (s->slice) {
		indent(em);
		sb_printf(em->out, "if (!stp_map_slice_match(&map_%s_desc, (const char *)k_, (const char *)slice_, 0x%x))\n",
			  a->name, slice_mask(s->slice) < 0 ? (1 << a->arity) - 1 : slice_mask(s->slice));
		indent(em);
		sb_add(em->out, "\tcontinue;\n");
		if (s->limit) {
			indent(em);
			sb_add(em->out, "if (hits_++ >= limit_)\n");
			indent(em);
			sb_add(em->out, "\tbreak;\n");
		}
	}
	indent(em);
	sb_add(em->out, "if (!stp_action(c, ");
	emit_where(em, s);
	sb_add(em->out, "))\n");
	indent(em);
	sb_add(em->out, "\t");
	emit_goto_out(em);
	for (k = s->args, i = 1; k; k = k->next, i++) {
		indent(em);
		if (k->sym->type == TYPE_STRING)
			sb_printf(em->out, "stp_strset(l->l_%s, k_->k%d);\n", k->sym->name, i);
		else
			sb_printf(em->out, "l->l_%s = k_->k%d;\n", k->sym->name, i);
	}
	if (s->lhs) {
		indent(em);
		if (a->type == TYPE_STRING)
			sb_printf(em->out, "stp_strset(l->l_%s, stp_map_value(&map_%s, %s));\n",
				  s->lhs->sym->name, a->name, entry.buf);
		else
			sb_printf(em->out, "l->l_%s = *(int64_t *)stp_map_value(&map_%s, %s);\n",
				  s->lhs->sym->name, a->name, entry.buf);
	}
	em->indent--;
	emit_block_body(em, s->body);
	indent(em);
	sb_add(em->out, "}\n");
	em->indent--;
	indent(em);
	sb_add(em->out, "}\n");
	sb_free(&entry);
}
