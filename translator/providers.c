/* providers.c - the registration table of probe providers, and helpers
 * they share.  Order here is the order probe groups are armed. */
#include <string.h>

#include "emit.h"
#include "provider.h"

extern const struct provider provider_begin, provider_end, provider_error, provider_never,
	provider_timer, provider_dwarf, provider_kprobe, provider_tracepoint, provider_procfs;

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
	NULL,
};

int provider_family_is_planned(const char *name)
{
	static const char *const planned[] = {
		"kernel", "module", "kprobe", "process",
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

char *probe_point_text(const struct node *point)
{
	struct strbuf sb = { 0 };
	const struct node *comp;

	for (comp = point->components; comp; comp = comp->next) {
		if (comp != point->components)
			sb_add(&sb, ".");
		sb_add(&sb, comp->str);
		if (comp->arg && comp->arg->kind == N_NUMBER)
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
