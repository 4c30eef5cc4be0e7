/* provider_process_syscall.c - process.syscall / process.syscall.return
 * (every user process; with -c or -x only the target's process tree),
 * process("PATH").syscall / .syscall.return (the processes running that
 * program) and process(PID).syscall / .syscall.return (that process).  The runtime hooks the raw_syscalls sys_enter and sys_exit
 * tracepoints (runtime/stp_process_syscall.h) and filters each call by the
 * task's program, found by its inode when the session starts, as for
 * process("PATH").begin.  The handler reads $syscall (the number), $arg1 ..
 * $arg6 and $$parms at entry, $syscall and $return at return, as
 * SystemTap's stapprobes(3stap) documents them. */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "provider.h"

/* Where the runtime's callback puts each value in c->trace_args; kept in
 * step with STP_PSYS_* in runtime/stp_process_syscall.h. */
#define ARG_SYSCALL 0
#define ARG_FIRST 1		/* $arg1 .. $arg6: 1 .. 6 */
#define ARG_RETURN 7
#define SYSCALL_ARGS 6

/* A point bound: -L lists what bind_syscall_target gives. */
static enum provider_match resolved(struct resolved_point *rp)
{
	rp->vars = xstrdup(rp->is_return ? " $syscall:long $return:long"
			   : " $syscall:long $arg1:long $arg2:long $arg3:long $arg4:long $arg5:long $arg6:long");
	return PROVIDER_RESOLVED;
}

/* Only process[("PATH"|PID)].syscall[.return]: everything else under
 * `process` is another provider's. */
static enum provider_match resolve_syscall(struct node *point, struct resolved_point *rp)
{
	struct node *comp = point->components, *ev = comp->next, *ret;
	const char *arg;
	char *path;

	if (!ev || ev->arg || strcmp(ev->str, "syscall") != 0)
		return PROVIDER_NO_MATCH;
	ret = ev->next;
	if (ret && (ret->arg || ret->next || strcmp(ret->str, "return") != 0)) {
		struct node *bad = ret->arg || strcmp(ret->str, "return") != 0 ? ret : ret->next;

		diag_error("semantic error", &bad->tok,
			   "'.%s' is not supported on process(...).syscall (only .syscall and .syscall.return)",
			   bad->str);
		return PROVIDER_ERROR;
	}
	rp->is_return = ret != NULL;
	if (!comp->arg) {
		rp->pp = xasprintf("process.syscall%s", rp->is_return ? ".return" : "");
		return resolved(rp);
	}
	if (comp->arg->kind == N_NUMBER) {	/* that process only: no file to find */
		if (!(rp->process_pid = provider_process_pid(comp)))
			return PROVIDER_ERROR;
		rp->pp = xasprintf("process(%lld).syscall%s", (long long)rp->process_pid,
				   rp->is_return ? ".return" : "");
		return resolved(rp);
	}
	if (!(arg = provider_string_arg(comp)))
		return PROVIDER_ERROR;
	path = provider_program_or_error(arg, &comp->arg->tok, rp->optional);
	if (!path)
		return rp->optional ? PROVIDER_SKIPPED : PROVIDER_ERROR;
	rp->symbol = path;
	rp->pp = xasprintf("process(\"%s\").syscall%s", path, rp->is_return ? ".return" : "");
	return resolved(rp);
}

/* $argN: N, or 0 when the name is not $arg followed by digits only. */
static int arg_number(const char *name)
{
	const char *d = name + 4;

	if (strncmp(name, "$arg", 4) != 0 || !*d || strspn(d, "0123456789") != strlen(d))
		return 0;
	return strlen(d) > 3 ? 1000 : atoi(d);
}

static int bind_syscall_target(struct resolved_point *rp, struct node *target,
			       struct target_binding *out, char *err, size_t errlen)
{
	const char *name = target->str;
	const char *kind = rp->is_return ? "process(...).syscall.return" : "process(...).syscall";
	int n = arg_number(name);

	if (target->members) {
		snprintf(err, errlen, "'%s' is a number: it has no members to follow (use @cast or user_long() on it as a pointer)",
			 name);
		return -1;
	}
	out->type = TYPE_LONG;
	if (strcmp(name, "$syscall") == 0) {
		out->c_expr = xasprintf("c->trace_args[%d]", ARG_SYSCALL);
		return 0;
	}
	if (strcmp(name, "$return") == 0) {
		if (!rp->is_return) {
			snprintf(err, errlen, "'$return' is only available in process(...).syscall.return probes, not at %s",
				 rp->pp);
			return -1;
		}
		out->c_expr = xasprintf("c->trace_args[%d]", ARG_RETURN);
		return 0;
	}
	if (n || strcmp(name, "$$parms") == 0) {
		if (rp->is_return) {
			snprintf(err, errlen, "'%s' is only available in process(...).syscall probes (at entry), not at %s",
				 name, rp->pp);
			return -1;
		}
		if (strcmp(name, "$$parms") == 0) {
			out->type = TYPE_STRING;
			out->c_expr = xstrdup("stp_syscall_parms(c, $T)");
			return 0;
		}
		if (n > SYSCALL_ARGS) {
			snprintf(err, errlen, "invalid syscall argument number in '%s' (1-%d)", name,
				 SYSCALL_ARGS);
			return -1;
		}
		out->c_expr = xasprintf("c->trace_args[%d]", ARG_FIRST + n - 1);
		return 0;
	}
	snprintf(err, errlen, "invalid target variable '%s' at %s: %s probes have $syscall, %s",
		 name, rp->pp, kind, rp->is_return ? "$return" : "$arg1 .. $arg6 and $$parms");
	return -1;
}

static void emit_syscalls(struct resolved_point **points, int n, struct emit_tables *out)
{
	int i;

	emit_probe_structs(out->decls, "stp_psys_probe", points, n);
	sb_add(out->decls, "\nstatic struct stp_process_syscall stp_process_syscalls[] = {\n");
	for (i = 0; i < n; i++) {
		sb_printf(out->decls, "\t{ .probe = &stp_psys_probe_%d, .path = ", i);
		if (points[i]->symbol)
			sb_add_c_string(out->decls, points[i]->symbol);
		else
			sb_add(out->decls, "NULL");
		if (points[i]->process_pid)
			sb_printf(out->decls, ", .pid = %lld", (long long)points[i]->process_pid);
		sb_printf(out->decls, ", .is_return = %s%s },\n", points[i]->is_return ? "true" : "false",
			  points[i]->optional ? ", .optional = true" : "");
	}
	sb_add(out->decls, "};\n\n");
	sb_add(out->groups, "\t{ \"process syscall\", stp_process_syscall_arm, stp_process_syscall_disarm, stp_process_syscalls, ARRAY_SIZE(stp_process_syscalls) },\n");
}

static const char *const syscall_families[] = { "process", NULL };

static const char *const syscall_forms[] = {
	"process.syscall", "process.syscall.return",
	"process(number).syscall", "process(number).syscall.return", "process(string).syscall", "process(string).syscall.return", NULL,
};

const struct provider provider_process_syscall = {
	.name = "process syscall", .families = syscall_families, .resolve = resolve_syscall,
	.emit = emit_syscalls, .bind_target = bind_syscall_target, .forms = syscall_forms,
};
