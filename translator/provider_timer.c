/* provider_timer.c - timer.ms/us/ns/s/hz/jiffies(N) probes: one periodic
 * hrtimer each (runtime/stp_timer.h). */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "provider.h"

/* Shorter periods would let a script monopolise a CPU in softirq. */
#define MIN_INTERVAL_NS 100000LL

struct timer_unit {
	const char *name;
	int64_t ns_per_unit;	/* 0: computed in C (depends on the target's HZ) */
};

static const struct timer_unit units[] = {
	{ "s", 1000000000LL }, { "sec", 1000000000LL },
	{ "ms", 1000000LL }, { "msec", 1000000LL },
	{ "us", 1000LL }, { "usec", 1000LL },
	{ "ns", 1LL }, { "nsec", 1LL },
	{ "hz", 0 }, { "jiffies", 0 },
	{ NULL, 0 },
};

static enum provider_match resolve_timer(struct node *point, struct resolved_point *rp)
{
	struct node *comp = point->components->next;
	const struct timer_unit *u;
	int64_t n;

	if (!comp) {
		diag_error("semantic error", &point->components->tok,
			   "expected a timer unit: timer.ms(N), timer.s(N), timer.us(N), timer.ns(N), timer.hz(N) or timer.jiffies(N)");
		return PROVIDER_ERROR;
	}
	for (u = units; u->name && strcmp(u->name, comp->str) != 0; u++)
		;
	if (!u->name) {
		diag_error("semantic error", &comp->tok,
			   "unknown timer unit '%s' (expected s, ms, us, ns, hz or jiffies)",
			   comp->str);
		return PROVIDER_ERROR;
	}
	if (!comp->arg || comp->arg->kind != N_NUMBER) {
		diag_error("semantic error", &comp->tok,
			   "timer.%s needs a number: timer.%s(N)", comp->str, comp->str);
		return PROVIDER_ERROR;
	}
	if (comp->next) {
		diag_error("semantic error", &comp->next->tok,
			   "'%s' is not supported on timer probes yet", comp->next->str);
		return PROVIDER_ERROR;
	}
	n = comp->arg->num;
	if (n <= 0) {
		diag_error("semantic error", &comp->arg->tok,
			   "timer period must be positive");
		return PROVIDER_ERROR;
	}
	if (strcmp(u->name, "hz") == 0) {
		if (n > 1000000000LL / MIN_INTERVAL_NS)
			goto too_fast;
		rp->interval_ns = xasprintf("NSEC_PER_SEC / %lld", (long long)n);
	} else if (strcmp(u->name, "jiffies") == 0) {
		rp->interval_ns = xasprintf("%lldULL * (NSEC_PER_SEC / HZ)", (long long)n);
	} else {
		if (n > INT64_MAX / u->ns_per_unit) {
			diag_error("semantic error", &comp->arg->tok, "timer period too long");
			return PROVIDER_ERROR;
		}
		if (n * u->ns_per_unit < MIN_INTERVAL_NS)
			goto too_fast;
		rp->interval_ns = xasprintf("%lldULL", (long long)(n * u->ns_per_unit));
	}
	rp->pp = probe_point_text(point);
	return PROVIDER_RESOLVED;
too_fast:
	diag_error("semantic error", &comp->arg->tok,
		   "timer period too short: the minimum is %lld ns", MIN_INTERVAL_NS);
	return PROVIDER_ERROR;
}

static void emit_timers(struct resolved_point **points, int n, struct emit_tables *out)
{
	int i;

	for (i = 0; i < n; i++) {
		char *var = xasprintf("stp_timer_probe_%d", i);

		emit_probe_struct(out->decls, var, points[i]);
		free(var);
	}
	sb_add(out->decls, "\nstatic struct stp_timer_probe stp_timers[] = {\n");
	for (i = 0; i < n; i++)
		sb_printf(out->decls, "\t{ .probe = &stp_timer_probe_%d, .interval_ns = %s },\n",
			  i, points[i]->interval_ns);
	sb_add(out->decls, "};\n\n");
	sb_add(out->groups, "\t{ \"timer\", stp_timers_arm, stp_timers_disarm, stp_timers, ARRAY_SIZE(stp_timers) },\n");
}

static const char *const timer_families[] = { "timer", NULL };

const struct provider provider_timer = {
	.name = "timer", .families = timer_families, .resolve = resolve_timer, .emit = emit_timers,
};
