/* providers.c - the registration table of probe providers, and helpers
 * they share.  Order here is the order probe groups are armed. */
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "diag.h"
#include "emit.h"
#include "options.h"
#include "provider.h"
#include "target.h"

static int guru_mode;
static const char *target_spec;
static const char *target_cmd, *target_pid;

void providers_set_options(const struct options *opts)
{
	guru_mode = opts->guru;
	target_spec = opts->target;
	target_cmd = opts->target_cmd;
	target_pid = opts->target_pid;
}

const char *provider_target_command(void)
{
	return target_cmd;
}

const char *provider_target_pid(void)
{
	return target_pid;
}

int provider_target_is_host(void)
{
	struct utsname host;
	struct target t;
	int same;

	if (!target_spec)
		return 1;
	uname(&host);
	if (!strchr(target_spec, '/'))
		return strcmp(target_spec, host.release) == 0;
	if (target_resolve_quiet(target_spec, &t) != 0)
		return 0;
	same = strcmp(t.release, host.release) == 0 && !t.arch;
	target_free(&t);
	return same;
}

int provider_guru_mode(void)
{
	return guru_mode;
}

extern const struct provider provider_begin, provider_end, provider_error, provider_never,
	provider_timer, provider_dwarf, provider_kprobe, provider_tracepoint, provider_procfs,
	provider_process_life, provider_process_syscall, provider_process;

const struct provider *const providers[] = {
	&provider_begin,
	&provider_end,
	&provider_error,
	&provider_never,
	&provider_timer,
	&provider_dwarf,
	&provider_kprobe,
	&provider_tracepoint,
	&provider_procfs,
	&provider_process_life,	/* process.begin/.end before the rest of process */
	&provider_process_syscall,
	&provider_process,
	NULL,
};

/* The next component of a form: its name's length and its argument's
 * rank (0 none, 1 number, 2 string); *form moves past it. */
static size_t next_component(const char **form, const char **name, int *rank)
{
	const char *s = *form;
	size_t n = strcspn(s, ".(");

	*name = s;
	*rank = 0;
	s += n;
	if (*s == '(') {
		*rank = strncmp(s, "(number)", 8) == 0 ? 1 : 2;
		s = strchr(s, ')') + 1;
	}
	if (*s == '.')
		s++;
	*form = s;
	return n;
}

/* SystemTap prints its tree of probe points depth first, each node before
 * its children, children ordered by name, then no argument before a
 * number before a string: compare component by component, a form before
 * its extensions. */
static int by_probe_tree(const void *a, const void *b)
{
	const char *l = *(const char *const *)a, *r = *(const char *const *)b;

	while (*l && *r) {
		const char *ln, *rn;
		int lr, rr, c;
		size_t lk = next_component(&l, &ln, &lr), rk = next_component(&r, &rn, &rr);

		c = strncmp(ln, rn, lk < rk ? lk : rk);
		if (c == 0 && lk != rk)
			c = lk < rk ? -1 : 1;
		if (c == 0)
			c = lr - rr;
		if (c)
			return c;
	}
	return *l ? 1 : *r ? -1 : 0;
}

void providers_dump_forms(FILE *out)
{
	const char **all = NULL;
	int n = 0, i, k;

	for (i = 0; providers[i]; i++)
		for (k = 0; providers[i]->forms && providers[i]->forms[k]; k++) {
			all = realloc(all, sizeof(*all) * (n + 1));
			all[n++] = providers[i]->forms[k];
		}
	qsort(all, n, sizeof(*all), by_probe_tree);
	for (i = 0; i < n; i++)
		if (i == 0 || strcmp(all[i], all[i - 1]) != 0)
			fprintf(out, "%s\n", all[i]);
	free(all);
}

int provider_family_is_planned(const char *name)
{
	static const char *const planned[] = {
		"kernel", "module", "kprobe",
		"perf", "netfilter", "java", "python2", "python3",
		"syscall", "nd_syscall", "vfs", "signal", "scheduler", "ioblock",
		"tcp", "udp", "socket", "netdev", "irq_handler", "workqueue",
		"softirq", NULL,
	};
	int i;

	for (i = 0; planned[i]; i++)
		if (strcmp(planned[i], name) == 0)
			return 1;
	return 0;
}

static int is_hex_text(const char *t)
{
	return t && t[0] == '0' && (t[1] == 'x' || t[1] == 'X');
}

const char *provider_string_arg(struct node *comp)
{
	if (!comp->arg || comp->arg->kind != N_STRING) {
		diag_error("semantic error", &comp->tok,
			   "'%s' needs a string argument: %s(\"...\")", comp->str, comp->str);
		return NULL;
	}
	return comp->arg->str;
}

struct resolved_point *provider_expansion_point(struct resolved_point *first,
						struct resolved_point *last, int n)
{
	struct resolved_point *rp;

	if (n == 0)
		return first;
	rp = xcalloc(1, sizeof(*rp));
	rp->point = first->point;
	rp->handler = first->handler;
	rp->optional = first->optional;
	rp->is_return = first->is_return;
	last->next = rp;
	return rp;
}

char *probe_point_text(const struct node *point)
{
	struct strbuf sb = { 0 };
	const struct node *comp;

	for (comp = point->components; comp; comp = comp->next) {
		if (comp != point->components)
			sb_add(&sb, ".");
		sb_add(&sb, comp->str);
		/* a number as written: hex stays hex (addresses), octal
		 * octal (umasks), and only a written '-' makes it negative */
		if (comp->arg && comp->arg->kind == N_NUMBER && is_hex_text(comp->arg->tok.text))
			sb_printf(&sb, "(0x%llx)", (unsigned long long)comp->arg->num);
		else if (comp->arg && comp->arg->kind == N_NUMBER && comp->arg->num > 0 &&
			 comp->arg->tok.text && comp->arg->tok.text[0] == '0')
			sb_printf(&sb, "(0%llo)", (unsigned long long)comp->arg->num);
		else if (comp->arg && comp->arg->kind == N_NUMBER && comp->arg->num < 0 &&
			 (!comp->arg->tok.text || comp->arg->tok.text[0] != '-'))
			sb_printf(&sb, "(%llu)", (unsigned long long)comp->arg->num);
		else if (comp->arg && comp->arg->kind == N_NUMBER)
			sb_printf(&sb, "(%lld)", (long long)comp->arg->num);
		else if (comp->arg) {
			sb_add(&sb, "(");
			sb_add_c_string(&sb, comp->arg->str);
			sb_add(&sb, ")");
		}
	}
	return sb.buf;
}

void emit_probe_struct(struct strbuf *out, const char *var, const struct resolved_point *rp)
{
	struct handler_traits t;

	sb_printf(out, "static const struct stp_probe %s = {\n\t.pp = ", var);
	sb_add_c_string(out, rp->pp);
	sb_printf(out, ",\n\t.handler = probe_%d,\n\t.locks_globals = %s,\n",
		  rp->handler->index, rp->handler->uses_globals ? "true" : "false");
	if (rp->is_return)
		sb_add(out, "\t.is_return = true,\n");
	if (rp->at_function_entry)
		sb_add(out, "\t.at_entry = true,\n");
	handler_traits(rp->handler, &t);
	if (!t.may_print)
		sb_add(out, "\t.no_output = true,\n");
	if (!t.may_error)
		sb_add(out, "\t.no_error = true,\n");
	if (!t.counts_actions)
		sb_add(out, "\t.no_actions = true,\n");
	sb_add(out, "};\n");
}

void emit_probe_structs(struct strbuf *out, const char *prefix, struct resolved_point **points, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		char *var = xasprintf("%s_%d", prefix, i);

		emit_probe_struct(out, var, points[i]);
		free(var);
	}
}
