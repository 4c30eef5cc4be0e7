/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_stat.h - statistics: `x <<< v`, @count/@sum/@min/@max/@avg/@variance,
 * and @hist_log/@hist_linear printed in SystemTap's layout.
 *
 * A global statistic keeps one accumulator per CPU: `<<<` touches only the
 * current CPU's (preemption is off and the context's busy flag keeps
 * nested probes out), so hot probes that only collect take no shared lock.
 * Reading one combines the CPUs into an aggregate, under the globals lock.
 * Statistics stored in arrays live in the map's value, under that lock.
 */
#ifndef STP_STAT_H
#define STP_STAT_H

#define STP_HIST_LOG_BUCKETS 128
#define STP_HIST_LOG_ZERO 64	/* the bucket of value 0 */
#ifndef STP_MAX_BUCKETS
#define STP_MAX_BUCKETS 128	/* linear histograms */
#endif
#ifndef HIST_WIDTH
#define HIST_WIDTH 50
#endif
#ifndef HIST_ELISION
#define HIST_ELISION 2
#endif

enum stp_hist_kind {
	STP_HIST_NONE,
	STP_HIST_LOG,
	STP_HIST_LINEAR,
};

/* What histogram a statistic keeps; the same for every CPU and entry. */
struct stp_hist_desc {
	enum stp_hist_kind kind;
	int64_t start, stop, interval;	/* linear */
	int buckets;			/* log: 128; linear: (stop - start) / interval + 3 */
};

struct stp_stat {
	int64_t count, sum, min, max;
	int64_t sum_sq;			/* for @variance */
	int64_t hist[];			/* desc->buckets counters */
};

/* what a missing array element's statistic reads as (no histogram: the
 * printer stops at count 0) */
static const struct stp_stat stp_empty_stat __maybe_unused;

static inline size_t stp_stat_size(const struct stp_hist_desc *h)
{
	return sizeof(struct stp_stat) + h->buckets * sizeof(int64_t);
}

/* log2 bucket: 0 for 0, 64 + 1 + floor(log2 v) for v > 0, mirrored below. */
static inline int stp_log_bucket(int64_t v)
{
	u64 mag;
	int b;

	if (v == 0)
		return STP_HIST_LOG_ZERO;
	mag = v < 0 ? -(u64)v : (u64)v;
	b = STP_HIST_LOG_ZERO + fls64(mag);
	if (b >= STP_HIST_LOG_BUCKETS)
		b = STP_HIST_LOG_BUCKETS - 1;
	return v < 0 ? STP_HIST_LOG_BUCKETS - b : b;
}

/* the smallest value of a log bucket, as printed */
static inline int64_t stp_log_bucket_value(int b)
{
	if (b == STP_HIST_LOG_ZERO)
		return 0;
	if (b > STP_HIST_LOG_ZERO)
		return (int64_t)1 << (b - STP_HIST_LOG_ZERO - 1);
	return -((int64_t)1 << (STP_HIST_LOG_ZERO - b - 1));
}

static inline void stp_stat_add(struct stp_stat *s, const struct stp_hist_desc *h, int64_t v)
{
	int b;

	if (s->count == 0 || v < s->min)
		s->min = v;
	if (s->count == 0 || v > s->max)
		s->max = v;
	s->count++;
	s->sum += v;
	s->sum_sq += v * v;
	switch (h->kind) {
	case STP_HIST_LOG:
		s->hist[stp_log_bucket(v)]++;
		break;
	case STP_HIST_LINEAR:
		/* bucket 0 is underflow, the last one overflow */
		if (v < h->start)
			b = 0;
		else if (div64_s64(v - h->start, h->interval) + 1 >= h->buckets - 1)
			b = h->buckets - 1;
		else
			b = 1 + div64_s64(v - h->start, h->interval);
		s->hist[b]++;
		break;
	default:
		break;
	}
}

/* into += from */
static void stp_stat_merge(struct stp_stat *into, const struct stp_stat *from,
			   const struct stp_hist_desc *h)
{
	int i;

	if (from->count == 0)
		return;
	if (into->count == 0 || from->min < into->min)
		into->min = from->min;
	if (into->count == 0 || from->max > into->max)
		into->max = from->max;
	into->count += from->count;
	into->sum += from->sum;
	into->sum_sq += from->sum_sq;
	for (i = 0; i < h->buckets; i++)
		into->hist[i] += from->hist[i];
}

/* ---- a global statistic: one accumulator per CPU ---- */

struct stp_stat_var {
	const struct stp_hist_desc *hist;
	struct stp_stat **percpu;	/* nr_cpu_ids accumulators */
	struct stp_stat *agg;		/* combined on read */
};

static __maybe_unused int stp_stat_var_init(struct stp_stat_var *sv,
					    const struct stp_hist_desc *h)
{
	unsigned int cpu;

	sv->hist = h;
	sv->percpu = kcalloc(nr_cpu_ids, sizeof(*sv->percpu), GFP_KERNEL);
	sv->agg = kzalloc(stp_stat_size(h), GFP_KERNEL);
	if (!sv->percpu || !sv->agg)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		sv->percpu[cpu] = kzalloc_node(stp_stat_size(h), GFP_KERNEL, cpu_to_node(cpu));
		if (!sv->percpu[cpu])
			return -ENOMEM;
	}
	return 0;
}

static __maybe_unused void stp_stat_var_free(struct stp_stat_var *sv)
{
	unsigned int cpu;

	if (sv->percpu)
		for_each_possible_cpu(cpu)
			kfree(sv->percpu[cpu]);
	kfree(sv->percpu);
	kfree(sv->agg);
	sv->percpu = NULL;
	sv->agg = NULL;
}

/* `x <<< v` from a handler: this CPU's accumulator, no lock. */
static inline void stp_stat_var_add(struct stp_stat_var *sv, int64_t v)
{
	stp_stat_add(sv->percpu[smp_processor_id()], sv->hist, v);
}

/* Combine the CPUs; the caller holds the globals lock. */
static __maybe_unused struct stp_stat *stp_stat_var_read(struct stp_stat_var *sv)
{
	unsigned int cpu;

	memset(sv->agg, 0, stp_stat_size(sv->hist));
	for_each_possible_cpu(cpu)
		stp_stat_merge(sv->agg, READ_ONCE(sv->percpu[cpu]), sv->hist);
	return sv->agg;
}

static __maybe_unused void stp_stat_var_clear(struct stp_stat_var *sv)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		memset(sv->percpu[cpu], 0, stp_stat_size(sv->hist));
}

/* ---- extractors ---- */

/* @min/@max/@avg of nothing is an error, as in SystemTap; @count/@sum 0 */
static inline bool stp_stat_check(struct stp_context *c, const struct stp_stat *s,
				  const char *where)
{
	if (s->count == 0) {
		stp_error(c, "empty aggregate", where);
		return false;
	}
	return true;
}

static inline int64_t stp_stat_min(struct stp_context *c, const struct stp_stat *s, const char *where)
{
	return stp_stat_check(c, s, where) ? s->min : 0;
}

static inline int64_t stp_stat_max(struct stp_context *c, const struct stp_stat *s, const char *where)
{
	return stp_stat_check(c, s, where) ? s->max : 0;
}

static inline int64_t stp_stat_avg(struct stp_context *c, const struct stp_stat *s, const char *where)
{
	return stp_stat_check(c, s, where) ? div64_s64(s->sum, s->count) : 0;
}

/* sample variance, (n * sum_sq - sum^2) / (n * (n - 1)), in integers */
static inline int64_t stp_stat_variance(struct stp_context *c, const struct stp_stat *s,
					const char *where)
{
	if (!stp_stat_check(c, s, where) || s->count < 2)
		return 0;
	return div64_s64(s->count * s->sum_sq - s->sum * s->sum, s->count * (s->count - 1));
}

/* @hist_log(s)[i]: the count in bucket i (numbered as the histogram is
 * kept, see stp_log_bucket), 0 for a statistic with no values yet */
static inline int64_t stp_hist_bucket(struct stp_context *c, const struct stp_stat *s,
				      const struct stp_hist_desc *h, int64_t i, const char *where)
{
	if (i < 0 || i >= h->buckets) {
		stp_error(c, "histogram index out of range", where);
		return 0;
	}
	return s->count ? s->hist[i] : 0;
}

/* ---- foreach over an array of statistics, sorted by one aggregate ---- */

static inline int stp_cmp_s64(int64_t p, int64_t q)
{
	return p < q ? -1 : p > q;
}

static __maybe_unused int stp_cmp_stat_count(const void *a, const void *b)
{
	return stp_cmp_s64(((const struct stp_stat *)a)->count, ((const struct stp_stat *)b)->count);
}

static __maybe_unused int stp_cmp_stat_sum(const void *a, const void *b)
{
	return stp_cmp_s64(((const struct stp_stat *)a)->sum, ((const struct stp_stat *)b)->sum);
}

static __maybe_unused int stp_cmp_stat_min(const void *a, const void *b)
{
	return stp_cmp_s64(((const struct stp_stat *)a)->min, ((const struct stp_stat *)b)->min);
}

static __maybe_unused int stp_cmp_stat_max(const void *a, const void *b)
{
	return stp_cmp_s64(((const struct stp_stat *)a)->max, ((const struct stp_stat *)b)->max);
}

static inline int64_t stp_stat_avg_or_0(const struct stp_stat *s)
{
	return s->count ? div64_s64(s->sum, s->count) : 0;
}

static __maybe_unused int stp_cmp_stat_avg(const void *a, const void *b)
{
	return stp_cmp_s64(stp_stat_avg_or_0(a), stp_stat_avg_or_0(b));
}

/* ---- histograms, laid out as SystemTap prints them ---- */

static const char stp_hist_dashes[] = "--------------------------------------------------";
static const char stp_hist_bars[] = "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@";

#if HIST_WIDTH > 50
#error "HIST_WIDTH is at most 50"
#endif

static int stp_digits(int64_t v)
{
	int n = v < 0 ? 2 : 1;
	u64 m = v < 0 ? -(u64)v : (u64)v;

	while (m >= 10) {
		m /= 10;
		n++;
	}
	return n;
}

static int64_t stp_hist_row_value(const struct stp_hist_desc *h, int b, const char **prefix)
{
	*prefix = "";
	if (h->kind == STP_HIST_LOG)
		return stp_log_bucket_value(b);
	if (b == 0) {
		*prefix = "<";
		return h->start;
	}
	if (b == h->buckets - 1) {
		*prefix = ">";
		return h->start + (int64_t)(b - 2) * h->interval;
	}
	return h->start + (int64_t)(b - 1) * h->interval;
}

static bool stp_hist_zero_run(const struct stp_stat *s, int b, int lo, int hi)
{
	int k;

	if (HIST_ELISION < 0)	/* -DHIST_ELISION=-1: print every row */
		return false;
	for (k = max(lo, b - HIST_ELISION); k <= min(hi, b + HIST_ELISION); k++)
		if (s->hist[k])
			return false;
	return true;
}

/*
 * Print the histogram: a header, one row per bucket from two empty buckets
 * below the lowest used one to two above the highest, runs of empty
 * buckets elided into a "~" row, bars scaled to HIST_WIDTH.
 */
static __maybe_unused void stp_hist_print(struct stp_context *c, const struct stp_stat *s,
					  const struct stp_hist_desc *h)
{
	int lo = -1, hi = 0, b, i, val_width, cnt_width;
	int64_t most = 0, scale;
	bool elided = false;
	const char *prefix;

	if (s->count == 0) {
		stp_printf(c, "%*s |%.*s count\n\n", 5, "value", HIST_WIDTH, stp_hist_dashes);
		return;
	}
	for (b = 0; b < h->buckets; b++) {
		if (s->hist[b] > 0 && lo < 0)
			lo = b;
		if (s->hist[b] > 0)
			hi = b;
		if (s->hist[b] > most)
			most = s->hist[b];
	}
	for (i = 0; i < 2; i++) {
		/* a log histogram shows negative buckets only if it has some */
		if (lo > 0 && (h->kind != STP_HIST_LOG || lo != STP_HIST_LOG_ZERO))
			lo--;
		if (hi < h->buckets - 1)
			hi++;
	}
	if (h->kind == STP_HIST_LINEAR) {
		if (lo == 0 && s->hist[0] == 0)
			lo++;
		if (hi == h->buckets - 1 && s->hist[hi] == 0)
			hi--;
	}
	scale = most <= HIST_WIDTH ? 1 : DIV_ROUND_UP_ULL(most, HIST_WIDTH);
	cnt_width = stp_digits(most);
	/* the value column, sized as SystemTap sizes it: a linear histogram
	 * by its start and by start + interval * hi (one interval past the
	 * last row's value), each with room for its < or > */
	if (h->kind == STP_HIST_LINEAR)
		val_width = max(stp_digits(h->start) + (lo == 0),
				stp_digits(h->start + h->interval * hi) + (hi == h->buckets - 1));
	else
		val_width = max(stp_digits(stp_log_bucket_value(lo)),
				stp_digits(stp_log_bucket_value(hi)));
	val_width = max(val_width, 5);	/* "value" */

	stp_printf(c, "%*s |%.*s count\n", val_width, "value", HIST_WIDTH, stp_hist_dashes);
	for (b = lo; b <= hi; b++) {
		int64_t v, bars;

		if (stp_hist_zero_run(s, b, lo, hi)) {
			elided = true;
			continue;
		}
		if (elided) {
			stp_printf(c, "%*s ~\n", val_width, "");
			elided = false;
		}
		v = stp_hist_row_value(h, b, &prefix);
		stp_printf(c, "%*s%lld |", val_width - stp_digits(v), prefix, v);
		bars = div64_s64(s->hist[b], scale);
		stp_printf(c, "%.*s%*lld\n", (int)bars, stp_hist_bars,
			   (int)(HIST_WIDTH - bars + 1 + cnt_width), s->hist[b]);
	}
	stp_printf(c, "\n");
}

#endif
