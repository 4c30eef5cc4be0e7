/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_map.h - script associative arrays: up to 9 keys of longs and strings,
 * a long, string or statistics value.
 *
 * Every map is allocated whole at module load (MAXMAPENTRIES nodes, or the
 * size the script declared), so a handler never allocates: a full map is a
 * script error ("Array overflow"), or, for a wrap-around array (global
 * a%[N]), the oldest entry makes room.  The generated code describes each
 * map's key layout (struct stp_map_desc); keys are hashed and compared
 * component by component, strings up to their NUL.
 *
 * Maps are globals, so handlers reach them under the globals lock (see
 * stp_session.h); nothing here locks.
 */
#ifndef STP_MAP_H
#define STP_MAP_H

#include <linux/list.h>
#include <linux/sort.h>
#include <linux/jhash.h>

#ifndef MAXMAPENTRIES
#define MAXMAPENTRIES 2048
#endif

#define STP_MAX_KEYS 9

enum stp_key_kind {
	STP_KEY_LONG,
	STP_KEY_STRING,
};

struct stp_map_desc {
	const char *name;		/* for messages */
	unsigned int nkeys;
	u8 kinds[STP_MAX_KEYS];		/* enum stp_key_kind */
	u16 offsets[STP_MAX_KEYS];	/* of each key in the key struct */
	size_t key_size;		/* sizeof the generated key struct */
	size_t value_size;
	unsigned int max_entries;	/* 0: MAXMAPENTRIES */
	unsigned int foreach_levels;	/* foreach loops over it nested in one body (0: 1) */
	bool wrap;			/* global a%[N]: evict the oldest */
};

struct stp_map_node {
	struct hlist_node link;		/* in its hash bucket */
	struct list_head order;		/* insertion order (wrap eviction) */
	u32 hash;
	char data[];			/* key struct, then value, 8-aligned */
};

struct stp_map {
	const struct stp_map_desc *desc;
	struct hlist_head *buckets;
	unsigned int nbuckets;		/* power of two */
	unsigned int count, max;
	size_t node_size, value_off;
	struct list_head used, free;
	char *pool;
	struct stp_map_node **sorted;	/* foreach snapshots: max entries per nesting level */
};

static inline void *stp_map_key(struct stp_map *m, struct stp_map_node *n)
{
	return n->data;
}

static inline void *stp_map_value(struct stp_map *m, struct stp_map_node *n)
{
	return n->data + m->value_off;
}

static __maybe_unused int stp_map_init(struct stp_map *m, const struct stp_map_desc *d)
{
	unsigned int i;

	memset(m, 0, sizeof(*m));
	m->desc = d;
	m->max = d->max_entries ? d->max_entries : MAXMAPENTRIES;
	m->nbuckets = roundup_pow_of_two(m->max);
	m->value_off = ALIGN(d->key_size, 8);
	m->node_size = ALIGN(sizeof(struct stp_map_node) + m->value_off + d->value_size, 8);
	m->buckets = kvcalloc(m->nbuckets, sizeof(*m->buckets), GFP_KERNEL);
	m->pool = kvcalloc(m->max, m->node_size, GFP_KERNEL);
	m->sorted = kvcalloc((size_t)m->max * max(d->foreach_levels, 1u), sizeof(*m->sorted),
			     GFP_KERNEL);
	if (!m->buckets || !m->pool || !m->sorted)
		return -ENOMEM;	/* stp_map_free() cleans up */
	INIT_LIST_HEAD(&m->used);
	INIT_LIST_HEAD(&m->free);
	for (i = 0; i < m->max; i++) {
		struct stp_map_node *n = (void *)(m->pool + (size_t)i * m->node_size);

		list_add_tail(&n->order, &m->free);
	}
	return 0;
}

static __maybe_unused void stp_map_free(struct stp_map *m)
{
	kvfree(m->buckets);
	kvfree(m->pool);
	kvfree(m->sorted);
	m->buckets = NULL;
	m->pool = NULL;
	m->sorted = NULL;
}

/*
 * Hashing and comparing keys.  The generated code passes each map's
 * constant descriptor, and these are inlined at every access, so the
 * compiler unrolls the loops over the key layout into straight-line code
 * for that map (a lookup by one string key is a byte loop and a compare).
 * FNV-1a stops at the NUL, so no separate strlen pass is needed.
 */
/*
 * Strings are hashed and compared eight bytes at a time.  A key string sits
 * in a whole MAXSTRINGLEN array, so reading the rest of a word that holds
 * the NUL stays inside it (a last partial word is read bytewise); bytes
 * after the NUL are masked off, as they are left over from earlier
 * strings.
 */
static __always_inline u64 stp_word_at(const char *s)
{
	u64 w;

	memcpy(&w, s, sizeof(w));
	return w;
}

/* All-ones over the bytes up to and including the first NUL of w (on a
 * little-endian machine), or 0 when w has no NUL. */
static __always_inline u64 stp_upto_nul(u64 w)
{
	u64 z = (w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull;
	u64 low = z & -z;	/* the lowest flag is exact: that NUL */

	return z ? (low << 1) - 1 : 0;	/* bit 63: wraps to all ones */
}

#ifdef __BIG_ENDIAN
#error "stp_map.h: the word-at-a-time string keys assume a little-endian target"
#endif

static __always_inline u32 stp_hash_string(u32 h, const char *s)
{
	unsigned int i;

	for (i = 0; i + 8 <= MAXSTRINGLEN; i += 8) {
		u64 w = stp_word_at(s + i), m = stp_upto_nul(w);

		if (m)
			w &= m;
		w *= 0x9e3779b97f4a7c15ull;
		h = (h ^ (u32)(w >> 32)) * 0x01000193;
		if (m)
			return h;
	}
	/* a MAXSTRINGLEN that is not a multiple of 8: the last bytes */
	for (; i < MAXSTRINGLEN && s[i]; i++)
		h = (h ^ (u8)s[i]) * 0x01000193;
	return h;
}

static __always_inline u32 stp_hash_long(u32 h, int64_t v)
{
	u64 x = (u64)v * 0x9e3779b97f4a7c15ull;

	return (h ^ (u32)(x >> 32)) * 0x01000193;
}

static __always_inline u32 stp_map_hash(const struct stp_map_desc *d, const char *key)
{
	u32 h = 0x811c9dc5;
	unsigned int i;

	for (i = 0; i < d->nkeys; i++) {
		const char *k = key + d->offsets[i];

		if (d->kinds[i] == STP_KEY_LONG)
			h = stp_hash_long(h, *(const int64_t *)k);
		else
			h = stp_hash_string(h, k);
	}
	return h ^ (h >> 15);
}

static __always_inline bool stp_string_equal(const char *a, const char *b)
{
	unsigned int i;

	for (i = 0; i + 8 <= MAXSTRINGLEN; i += 8) {
		u64 x = stp_word_at(a + i), y = stp_word_at(b + i), m = stp_upto_nul(x);

		if (m)
			return ((x ^ y) & m) == 0;
		if (x != y)
			return false;
	}
	for (; i < MAXSTRINGLEN; i++) {
		if (a[i] != b[i])
			return false;
		if (!a[i])
			break;
	}
	return true;
}

static __always_inline bool stp_map_key_equal(const struct stp_map_desc *d,
					      const char *a, const char *b)
{
	unsigned int i;

	for (i = 0; i < d->nkeys; i++) {
		const char *x = a + d->offsets[i], *y = b + d->offsets[i];

		if (d->kinds[i] == STP_KEY_LONG) {
			if (*(const int64_t *)x != *(const int64_t *)y)
				return false;
		} else if (!stp_string_equal(x, y)) {
			return false;
		}
	}
	return true;
}

static __always_inline struct stp_map_node *
stp_map_lookup(struct stp_map *m, const struct stp_map_desc *d, const void *key, u32 hash)
{
	struct stp_map_node *n;

	hlist_for_each_entry(n, &m->buckets[hash & (m->nbuckets - 1)], link)
		if (n->hash == hash && stp_map_key_equal(d, n->data, key))
			return n;
	return NULL;
}

static void stp_map_remove(struct stp_map *m, struct stp_map_node *n)
{
	hlist_del(&n->link);
	list_move_tail(&n->order, &m->free);
	m->count--;
}

/* The value stored under key, or NULL.  d is m's descriptor (a constant
 * at the call site: see stp_map_hash). */
static __always_inline void *stp_map_find(struct stp_map *m, const struct stp_map_desc *d,
					  const void *key)
{
	struct stp_map_node *n = stp_map_lookup(m, d, key, stp_map_hash(d, key));

	return n ? stp_map_value(m, n) : NULL;
}

/* The slow path of stp_map_get(): add key with a zeroed value. */
static noinline void *stp_map_insert(struct stp_context *c, struct stp_map *m,
				     const void *key, u32 hash, const char *where)
{
	struct stp_map_node *n;

	if (list_empty(&m->free)) {
		if (!m->desc->wrap) {
			stp_error(c, "Array overflow, check MAXMAPENTRIES", where);
			return NULL;
		}
		stp_map_remove(m, list_first_entry(&m->used, struct stp_map_node, order));
	}
	n = list_first_entry(&m->free, struct stp_map_node, order);
	list_move_tail(&n->order, &m->used);
	n->hash = hash;
	memcpy(n->data, key, m->desc->key_size);
	memset(stp_map_value(m, n), 0, m->desc->value_size);
	hlist_add_head(&n->link, &m->buckets[hash & (m->nbuckets - 1)]);
	m->count++;
	return stp_map_value(m, n);
}

/* The value under key, a zeroed one added if missing; NULL (and a script
 * error) when the map is full. */
static __always_inline void *stp_map_get(struct stp_context *c, struct stp_map *m,
					 const struct stp_map_desc *d, const void *key,
					 const char *where)
{
	u32 hash = stp_map_hash(d, key);
	struct stp_map_node *n = stp_map_lookup(m, d, key, hash);

	if (likely(n))
		return stp_map_value(m, n);
	return stp_map_insert(c, m, key, hash, where);
}

static __always_inline void stp_map_delete(struct stp_map *m, const struct stp_map_desc *d,
					   const void *key)
{
	struct stp_map_node *n = stp_map_lookup(m, d, key, stp_map_hash(d, key));

	if (n)
		stp_map_remove(m, n);
}

static __maybe_unused void stp_map_clear(struct stp_map *m)
{
	struct stp_map_node *n, *tmp;

	list_for_each_entry_safe(n, tmp, &m->used, order)
		stp_map_remove(m, n);
}

/* ---- slices: a[*, k] ---- */

/*
 * A slice names the entries whose keys equal `key` in the columns of
 * `mask` (bit i: key i + 1); '*' columns match anything.  Finding them
 * walks every entry, so the work is bounded by the map's size.
 */
static __always_inline bool stp_map_slice_match(const struct stp_map_desc *d, const char *a,
						const char *b, unsigned int mask)
{
	unsigned int i;

	for (i = 0; i < d->nkeys; i++) {
		const char *x = a + d->offsets[i], *y = b + d->offsets[i];

		if (!(mask & (1u << i)))
			continue;
		if (d->kinds[i] == STP_KEY_LONG) {
			if (*(const int64_t *)x != *(const int64_t *)y)
				return false;
		} else if (!stp_string_equal(x, y)) {
			return false;
		}
	}
	return true;
}

/* [k, *] in a */
static __always_inline bool stp_map_slice_exists(struct stp_map *m, const struct stp_map_desc *d,
						 const void *key, unsigned int mask)
{
	struct stp_map_node *n;

	list_for_each_entry(n, &m->used, order)
		if (stp_map_slice_match(d, n->data, key, mask))
			return true;
	return false;
}

/* delete a[k, *] */
static __always_inline void stp_map_slice_delete(struct stp_map *m, const struct stp_map_desc *d,
						 const void *key, unsigned int mask)
{
	struct stp_map_node *n, *tmp;

	list_for_each_entry_safe(n, tmp, &m->used, order)
		if (stp_map_slice_match(d, n->data, key, mask))
			stp_map_remove(m, n);
}

/* ---- foreach ---- */

/*
 * How a foreach orders entries: by key `column` (1..nkeys) or by the value
 * (column 0), ascending (+1) or descending (-1); direction 0 means insertion
 * order.  Value columns of statistics sort by their `stat_field`.
 */
struct stp_sort_spec {
	struct stp_map *map;
	int column;
	int direction;
	int (*value_cmp)(const void *a, const void *b);	/* for values */
};

static struct stp_sort_spec stp_sort_current;	/* under the globals lock */

static int stp_cmp_key(const struct stp_map_desc *d, int column, const char *a, const char *b)
{
	const char *x = a + d->offsets[column - 1], *y = b + d->offsets[column - 1];

	if (d->kinds[column - 1] == STP_KEY_LONG) {
		int64_t p = *(const int64_t *)x, q = *(const int64_t *)y;

		return p < q ? -1 : p > q;
	}
	return strncmp(x, y, MAXSTRINGLEN);
}

static int stp_sort_cmp(const void *pa, const void *pb)
{
	const struct stp_sort_spec *s = &stp_sort_current;
	struct stp_map_node *a = *(struct stp_map_node *const *)pa;
	struct stp_map_node *b = *(struct stp_map_node *const *)pb;
	int r;
	unsigned int i;

	if (s->column == 0)
		r = s->value_cmp(stp_map_value(s->map, a), stp_map_value(s->map, b));
	else
		r = stp_cmp_key(s->map->desc, s->column, a->data, b->data);
	/* ties: by all keys, ascending, so the order is deterministic */
	for (i = 1; r == 0 && i <= s->map->desc->nkeys; i++)
		r = stp_cmp_key(s->map->desc, i, a->data, b->data);
	return s->direction < 0 ? -r : r;
}

static __maybe_unused int stp_cmp_long_value(const void *a, const void *b)
{
	int64_t p = *(const int64_t *)a, q = *(const int64_t *)b;

	return p < q ? -1 : p > q;
}

static __maybe_unused int stp_cmp_string_value(const void *a, const void *b)
{
	return strncmp(a, b, MAXSTRINGLEN);
}

/* The snapshot a foreach nested `level` loops deep over m walks. */
static inline struct stp_map_node **stp_map_snapshot(struct stp_map *m, unsigned int level)
{
	return m->sorted + (size_t)level * m->max;
}

/*
 * Snapshot the map's entries, ordered, into the level's snapshot; returns
 * how many.  The loop then walks the snapshot, so it is bounded by the
 * count taken here whatever the body does.
 */
static __maybe_unused unsigned int stp_map_sort_level(struct stp_map *m, unsigned int level,
						      int column, int direction,
						      int (*value_cmp)(const void *, const void *))
{
	struct stp_map_node **snap = stp_map_snapshot(m, level), *n;
	unsigned int count = 0;

	list_for_each_entry(n, &m->used, order)
		snap[count++] = n;
	if (direction != 0 && count > 1) {
		stp_sort_current.map = m;
		stp_sort_current.column = column;
		stp_sort_current.direction = direction;
		stp_sort_current.value_cmp = value_cmp;
		sort(snap, count, sizeof(*snap), stp_sort_cmp, NULL);
	}
	return count;
}

static __maybe_unused unsigned int stp_map_sort(struct stp_map *m, int column, int direction,
						int (*value_cmp)(const void *, const void *))
{
	return stp_map_sort_level(m, 0, column, direction, value_cmp);
}

#endif
