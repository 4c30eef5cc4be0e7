/* provider_timer.c - timer.ms/us/ns/s/hz/jiffies(N) probes, with
 * .randomize(M): one periodic hrtimer each; and timer.profile (also
 * timer.profile.tick): every tick on every CPU (runtime/stp_timer.h). */
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

/* .randomize(M): each period is N +/- up to M of the same unit, as in
 * SystemTap; M must stay below N so that periods stay positive. */
static int resolve_randomize(struct node *comp, int64_t n, const struct timer_unit *u,
			     struct resolved_point *rp)
{
	struct node *r = comp->next;

	if (strcmp(r->str, "randomize") != 0 || r->next) {
		diag_error("semantic error", r->next && strcmp(r->str, "randomize") == 0 ? &r->next->tok : &r->tok,
			   "'%s' is not supported on timer probes (expected .randomize(M))",
			   strcmp(r->str, "randomize") == 0 ? r->next->str : r->str);
		return -1;
	}
	if (!r->arg || r->arg->kind != N_NUMBER) {
		diag_error("semantic error", &r->tok, "randomize needs a number: .randomize(M)");
		return -1;
	}
	if (strcmp(u->name, "hz") == 0) {
		diag_error("semantic error", &r->tok, "timer.hz(N) cannot be randomized");
		return -1;
	}
	if (r->arg->num <= 0 || r->arg->num >= n) {
		diag_error("semantic error", &r->arg->tok,
			   "randomize(%lld) must be positive and less than the period (%lld)",
			   (long long)r->arg->num, (long long)n);
		return -1;
	}
	if (strcmp(u->name, "jiffies") == 0)
		rp->randomize_ns = xasprintf("%lldULL * (NSEC_PER_SEC / HZ)", (long long)r->arg->num);
	else
		rp->randomize_ns = xasprintf("%lldULL", (long long)(r->arg->num * u->ns_per_unit));
	return 0;
}

static enum provider_match resolve_timer(struct node *point, struct resolved_point *rp)
{
	struct node *comp = point->components->next;
	const struct timer_unit *u;
	int64_t n;

	if (comp && strcmp(comp->str, "profile") == 0 && !comp->arg &&
	    (!comp->next || (strcmp(comp->next->str, "tick") == 0 && !comp->next->arg &&
			     !comp->next->next))) {
		rp->is_profile = 1;
		rp->pp = xstrdup("timer.profile.tick");
		return PROVIDER_RESOLVED;
	}
	if (comp && strcmp(comp->str, "profile") == 0) {
		diag_error("semantic error", &comp->tok,
			   "expected timer.profile or timer.profile.tick (no period: it fires every tick)");
		return PROVIDER_ERROR;
	}
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
	n = comp->arg->num;
	if (comp->next && resolve_randomize(comp, n, u, rp) != 0)
		return PROVIDER_ERROR;
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
		/* the shortest randomized period must respect the minimum too */
		if (rp->randomize_ns &&
		    n * u->ns_per_unit - comp->next->arg->num * u->ns_per_unit < MIN_INTERVAL_NS) {
			diag_error("semantic error", &comp->next->arg->tok,
				   "with randomize(%lld) the shortest period is %lld ns, below the minimum of %lld ns",
				   (long long)comp->next->arg->num,
				   (long long)((n - comp->next->arg->num) * u->ns_per_unit),
				   MIN_INTERVAL_NS);
			return PROVIDER_ERROR;
		}
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
	int i, timers = 0, profiles = 0;

	for (i = 0; i < n; i++) {
		char *var = xasprintf("stp_timer_probe_%d", i);

		emit_probe_struct(out->decls, var, points[i]);
		free(var);
		if (points[i]->is_profile)
			profiles++;
		else
			timers++;
	}
	if (timers) {
		sb_add(out->decls, "\nstatic struct stp_timer_probe stp_timers[] = {\n");
		for (i = 0; i < n; i++) {
			if (points[i]->is_profile)
				continue;
			sb_printf(out->decls, "\t{ .probe = &stp_timer_probe_%d, .interval_ns = %s",
				  i, points[i]->interval_ns);
			if (points[i]->randomize_ns)
				sb_printf(out->decls, ", .randomize_ns = %s", points[i]->randomize_ns);
			sb_add(out->decls, " },\n");
		}
		sb_add(out->decls, "};\n");
		sb_add(out->groups, "\t{ \"timer\", stp_timers_arm, stp_timers_disarm, stp_timers, ARRAY_SIZE(stp_timers) },\n");
	}
	if (profiles) {
		sb_add(out->decls, "\nstatic struct stp_profile_probe stp_profiles[] = {\n");
		for (i = 0; i < n; i++)
			if (points[i]->is_profile)
				sb_printf(out->decls, "\t{ .probe = &stp_timer_probe_%d },\n", i);
		sb_add(out->decls, "};\n");
		sb_add(out->groups, "\t{ \"timer.profile\", stp_profiles_arm, stp_profiles_disarm, stp_profiles, ARRAY_SIZE(stp_profiles) },\n");
	}
	sb_add(out->decls, "\n");
}

static const char *const timer_families[] = { "timer", NULL };

static const char *const timer_forms[] = {
	"timer.s(number)", "timer.s(number).randomize(number)",
	"timer.sec(number)", "timer.sec(number).randomize(number)",
	"timer.ms(number)", "timer.ms(number).randomize(number)",
	"timer.msec(number)", "timer.msec(number).randomize(number)",
	"timer.us(number)", "timer.us(number).randomize(number)",
	"timer.usec(number)", "timer.usec(number).randomize(number)",
	"timer.ns(number)", "timer.ns(number).randomize(number)",
	"timer.nsec(number)", "timer.nsec(number).randomize(number)",
	"timer.jiffies(number)", "timer.jiffies(number).randomize(number)",
	"timer.hz(number)", "timer.profile", "timer.profile.tick", NULL,
};

const struct provider provider_timer = {
	.name = "timer", .families = timer_families, .resolve = resolve_timer, .emit = emit_timers,
	.forms = timer_forms,
};
