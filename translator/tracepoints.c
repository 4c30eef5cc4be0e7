/* tracepoints.c - find the target's tracepoints by scanning its trace
 * headers (the *.h of include/trace/events, arch/ARCH/include/asm/trace, ...)
 * for TRACE_EVENT, DEFINE_EVENT, DECLARE_TRACE and their variants, with
 * each TP_PROTO split into typed arguments.
 *
 * No C preprocessor runs: that would take seconds for the ~150 headers.
 * Instead a small scanner skips comments, follows `#define TRACE_SYSTEM`,
 * and expands the function-like macros a header defines for itself
 * (DEFINE_FOO_EVENT(name) -> DEFINE_EVENT(cls, name, ...)), which is how
 * most headers declare families of events.  Events under #ifdef are all
 * listed: the running kernel decides at registration whether it has them.
 */
#include "tracepoints.h"

#include <ctype.h>
#include <dirent.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "target.h"
#include "util.h"

/* wrapper macros calling wrapper macros: a few levels at most */
#define MAX_EXPANSION_DEPTH 4

static const char *target_spec;
static int loaded, load_failed;
static struct tracepoint_event *events;
static size_t n_events, cap_events;

void tracepoints_set_target(const char *spec)
{
	target_spec = spec;
}

/* ---- the event macros ------------------------------------------------ */

struct event_macro {
	const char *name;
	int name_arg, proto_arg;	/* argument positions */
};

static const struct event_macro event_macros[] = {
	{ "TRACE_EVENT", 0, 1 },
	{ "TRACE_EVENT_FN", 0, 1 },
	{ "TRACE_EVENT_FN_COND", 0, 1 },
	{ "TRACE_EVENT_CONDITION", 0, 1 },
	{ "DECLARE_TRACE", 0, 1 },
	{ "DECLARE_TRACE_CONDITION", 0, 1 },
	{ "DEFINE_EVENT", 1, 2 },
	{ "DEFINE_EVENT_FN", 1, 2 },
	{ "DEFINE_EVENT_CONDITION", 1, 2 },
	{ "DEFINE_EVENT_PRINT", 1, 2 },
	{ "DEFINE_EVENT_WRITABLE", 1, 2 },
	{ NULL, 0, 0 },
};

/* A function-like macro a header defines, kept for expanding its uses. */
struct macro {
	char *name;
	int n_params;
	char *params[16];
	char *body;
};

struct scan {
	const char *system;		/* the current TRACE_SYSTEM */
	char system_buf[64];
	struct macro *macros;
	int n_macros, cap_macros;
};

static int is_ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static char *trim_dup(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return strndup(s, n);
}

/* Whitespace runs become one space; none before '*', '[' or ')'. */
static char *normalise(const char *s)
{
	char *out = xmalloc(strlen(s) + 1), *o = out;
	int space = 0;

	for (; *s; s++) {
		if (isspace((unsigned char)*s)) {
			space = o != out;
			continue;
		}
		if (space && *s != ')' && *s != '[' && *s != ',' && o[-1] != '(')
			*o++ = ' ';
		space = 0;
		*o++ = *s;
	}
	*o = 0;
	return out;
}

/* The comment-free text of a header, with backslash-newlines joined, so
 * directives are single lines. */
static char *clean_text(const char *in)
{
	char *out = xmalloc(strlen(in) + 1), *o = out;
	const char *p = in;

	while (*p) {
		if (p[0] == '/' && p[1] == '*') {
			const char *end = strstr(p + 2, "*/");

			p = end ? end + 2 : p + strlen(p);
			*o++ = ' ';
		} else if (p[0] == '/' && p[1] == '/') {
			while (*p && *p != '\n')
				p++;
		} else if (p[0] == '\\' && p[1] == '\n') {
			p += 2;
			*o++ = ' ';
		} else if (*p == '"' || *p == '\'') {
			char q = *p;

			*o++ = *p++;
			while (*p && *p != q && *p != '\n') {
				if (*p == '\\' && p[1])
					*o++ = *p++;
				*o++ = *p++;
			}
			if (*p == q)
				*o++ = *p++;
		} else {
			*o++ = *p++;
		}
	}
	*o = 0;
	return out;
}

/* The arguments of an invocation whose '(' is at *pp: split at top-level
 * commas; *pp moves past the ')'.  Directive lines inside are skipped.
 * Returns the count, or -1 when the parentheses do not balance. */
static int collect_args(const char **pp, char **args, int max)
{
	const char *p = *pp + 1, *start = p;
	int depth = 0, n = 0;

	for (; *p; p++) {
		if (*p == '\n') {
			const char *q = p + 1;

			while (*q == ' ' || *q == '\t')
				q++;
			if (*q == '#') {	/* #ifdef inside the arguments */
				while (*q && *q != '\n')
					q++;
				p = q - 1;
			}
			continue;
		}
		if (*p == '"' || *p == '\'') {	/* "(%d" in a TP_printk format */
			char q = *p;

			while (p[1] && p[1] != q && p[1] != '\n')
				p += p[1] == '\\' && p[2] ? 2 : 1;
			if (p[1] == q)
				p++;
		} else if (*p == '(' || *p == '[' || *p == '{') {
			depth++;
		} else if ((*p == ')' || *p == ']' || *p == '}') && depth > 0) {
			depth--;
		} else if (*p == ')' || (*p == ',' && depth == 0)) {
			if (n < max)
				args[n++] = trim_dup(start, p - start);
			start = p + 1;
			if (*p == ')') {
				*pp = p + 1;
				return n;
			}
		}
	}
	while (n > 0)
		free(args[--n]);
	return -1;
}

/* ---- TP_PROTO into arguments ---------------------------------------- */

/* Drop PARAMS( ) and TP_PROTO( ) wrappers around a prototype. */
static const char *unwrap(const char *s, size_t *len)
{
	static const char *const wrappers[] = { "PARAMS", "TP_PROTO", NULL };
	size_t n = *len;
	int i, again = 1;

	while (again) {
		again = 0;
		for (i = 0; wrappers[i]; i++) {
			size_t w = strlen(wrappers[i]);
			const char *q = s + w;

			if (n > w && strncmp(s, wrappers[i], w) == 0) {
				while (isspace((unsigned char)*q))
					q++;
				if (*q == '(' && s[n - 1] == ')') {
					n -= q + 1 - s;
					s = q + 1;
					n--;
					while (n && isspace((unsigned char)*s))
						s++, n--;
					while (n && isspace((unsigned char)s[n - 1]))
						n--;
					again = 1;
				}
			}
		}
	}
	*len = n;
	return s;
}

/* One parameter "const char *name", "void (*fn)(void *)", "u64 v[2]":
 * its type (pointer for functions and arrays) and its name. */
static int split_param(const char *text, char **type, char **name)
{
	const char *fp = strstr(text, "(*"), *end, *start;
	char *t;

	if (fp) {
		start = fp + 2;
		while (*start == ' ')
			start++;
		for (end = start; is_ident_char(*end); end++)
			;
		if (end == start)
			return -1;
		*name = strndup(start, end - start);
		*type = xstrdup("void *");	/* a function pointer */
		return 0;
	}
	end = text + strlen(text);
	t = strchr(text, '[');
	if (t)
		end = t;
	while (end > text && isspace((unsigned char)end[-1]))
		end--;
	for (start = end; start > text && is_ident_char(start[-1]); start--)
		;
	if (start == end || start == text)
		return -1;
	*name = strndup(start, end - start);
	t = trim_dup(text, start - text);
	*type = t[0] ? normalise(t) : NULL;
	free(t);
	if (!*type) {
		free(*name);
		return -1;
	}
	if (strchr(text, '[')) {	/* an array parameter is a pointer */
		t = xasprintf("%s *", *type);
		free(*type);
		*type = t;
	}
	return 0;
}

/* -L text: " $name:type" per argument, SystemTap's "type*" spelling */
static char *vars_text(const struct tracepoint_event *ev)
{
	struct strbuf sb = { 0 };
	int i;

	sb_add(&sb, "");
	for (i = 0; i < ev->n_args; i++) {
		const char *t;

		sb_printf(&sb, " $%s:", ev->arg_names[i]);
		for (t = ev->arg_types[i]; *t; t++)
			if (!(t[0] == ' ' && t[1] == '*'))
				sb_addn(&sb, t, 1);
	}
	return sb.buf;
}

static void add_event(const char *system, const char *name, const char *proto)
{
	struct tracepoint_event *ev;
	size_t len = strlen(proto);
	const char *p = unwrap(proto, &len);
	char *body = strndup(p, len), *args[32];
	const char *cursor;
	char *wrapped;
	int n, i;

	if (n_events == cap_events) {
		cap_events = cap_events ? cap_events * 2 : 1024;
		events = realloc(events, cap_events * sizeof(*events));
		if (!events) {
			fputs("stapc: out of memory\n", stderr);
			exit(1);
		}
	}
	ev = &events[n_events];
	memset(ev, 0, sizeof(*ev));
	/* split by collect_args: wrap in parentheses */
	wrapped = xasprintf("(%s)", body);
	cursor = wrapped;
	n = strcmp(body, "void") == 0 || !body[0] ? 0 : collect_args(&cursor, args, 32);
	free(wrapped);
	free(body);
	if (n < 0)
		return;
	ev->arg_types = xcalloc(n + 1, sizeof(char *));
	ev->arg_names = xcalloc(n + 1, sizeof(char *));
	for (i = 0; i < n; i++) {
		if (ev->n_args == i &&
		    split_param(args[i], &ev->arg_types[i], &ev->arg_names[i]) == 0)
			ev->n_args++;
		free(args[i]);
	}
	if (ev->n_args != n) {	/* a prototype we could not read: leave it out */
		for (i = 0; i < ev->n_args; i++) {
			free(ev->arg_types[i]);
			free(ev->arg_names[i]);
		}
		free(ev->arg_types);
		free(ev->arg_names);
		return;
	}
	ev->system = xstrdup(system);
	ev->name = xstrdup(name);
	ev->vars = vars_text(ev);
	n_events++;
}

/* ---- the scanner ----------------------------------------------------- */

static void scan_text(struct scan *s, const char *text, int depth);

static struct macro *find_macro(struct scan *s, const char *name, size_t len)
{
	int i;

	for (i = s->n_macros - 1; i >= 0; i--)
		if (strlen(s->macros[i].name) == len && strncmp(s->macros[i].name, name, len) == 0)
			return &s->macros[i];
	return NULL;
}

/* `#define NAME(a, b) body`: kept when body uses an event macro. */
static void define_macro(struct scan *s, const char *p)
{
	const char *name = p, *q;
	struct macro m = { 0 };
	char *params[16];
	int n, i;

	while (is_ident_char(*p))
		p++;
	if (*p == ' ' || *p == '\t' || !*p || *p == '\n') {
		/* object-like: only TRACE_SYSTEM matters */
		if (p - name == 12 && strncmp(name, "TRACE_SYSTEM", 12) == 0) {
			while (*p == ' ' || *p == '\t')
				p++;
			for (q = p; is_ident_char(*q); q++)
				;
			if (q > p && (size_t)(q - p) < sizeof(s->system_buf)) {
				memcpy(s->system_buf, p, q - p);
				s->system_buf[q - p] = 0;
				s->system = s->system_buf;
			}
		}
		return;
	}
	if (*p != '(')
		return;
	m.name = strndup(name, p - name);
	q = p;
	n = collect_args(&q, params, 16);
	if (n < 0) {
		free(m.name);
		return;
	}
	for (i = 0; i < n; i++)
		m.params[i] = params[i];
	m.n_params = n;
	p = q;
	q = strchr(p, '\n');
	m.body = q ? strndup(p, q - p) : xstrdup(p);
	if (!strstr(m.body, "EVENT") && !strstr(m.body, "TRACE")) {
		for (i = 0; i < n; i++)
			free(m.params[i]);
		free(m.name);
		free(m.body);
		return;
	}
	if (s->n_macros == s->cap_macros) {
		s->cap_macros = s->cap_macros ? s->cap_macros * 2 : 16;
		s->macros = realloc(s->macros, s->cap_macros * sizeof(*s->macros));
		if (!s->macros) {
			fputs("stapc: out of memory\n", stderr);
			exit(1);
		}
	}
	s->macros[s->n_macros++] = m;
}

/* The body of m with its parameters replaced by args and `##` pasted. */
static char *expand(const struct macro *m, char **args, int n)
{
	struct strbuf sb = { 0 };
	const char *p = m->body;

	sb_add(&sb, "");
	while (*p) {
		if (is_ident_char(*p)) {
			const char *start = p;
			int i;

			while (is_ident_char(*p))
				p++;
			for (i = 0; i < m->n_params && i < n; i++)
				if (strlen(m->params[i]) == (size_t)(p - start) &&
				    strncmp(m->params[i], start, p - start) == 0)
					break;
			if (i < m->n_params && i < n)
				sb_add(&sb, args[i]);
			else
				sb_addn(&sb, start, p - start);
		} else if (p[0] == '#' && p[1] == '#') {
			while (sb.len && isspace((unsigned char)sb.buf[sb.len - 1]))
				sb.buf[--sb.len] = 0;
			p += 2;
			while (isspace((unsigned char)*p))
				p++;
		} else {
			sb_addn(&sb, p++, 1);
		}
	}
	return sb.buf;
}

static void invocation(struct scan *s, const char *name, size_t len, char **args, int n,
		       int depth)
{
	const struct event_macro *em;
	struct macro *m;

	for (em = event_macros; em->name; em++)
		if (strlen(em->name) == len && strncmp(em->name, name, len) == 0)
			break;
	if (em->name) {
		if (s->system && n > em->proto_arg && args[em->name_arg][0])
			add_event(s->system, args[em->name_arg], args[em->proto_arg]);
		return;
	}
	m = find_macro(s, name, len);
	if (m && depth < MAX_EXPANSION_DEPTH) {
		char *text = expand(m, args, n);

		scan_text(s, text, depth + 1);
		free(text);
	}
}

/* Could name[0..len) be an event macro? */
static int names_event(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i + 5 <= len; i++)
		if (strncmp(name + i, "EVENT", 5) == 0 || strncmp(name + i, "TRACE", 5) == 0)
			return 1;
	return 0;
}

static void scan_text(struct scan *s, const char *p, int depth)
{
	int line_start = 1;

	while (*p) {
		if (line_start && *p == '#') {
			p++;
			while (*p == ' ' || *p == '\t')
				p++;
			if (strncmp(p, "define", 6) == 0 && (p[6] == ' ' || p[6] == '\t')) {
				p += 6;
				while (*p == ' ' || *p == '\t')
					p++;
				define_macro(s, p);
			}
			while (*p && *p != '\n')
				p++;
			continue;
		}
		if (*p == '\n') {
			line_start = 1;
			p++;
			continue;
		}
		if (isspace((unsigned char)*p)) {
			p++;
			continue;
		}
		line_start = 0;
		if (isalpha((unsigned char)*p) || *p == '_') {
			const char *name = p, *q;
			size_t len;

			while (is_ident_char(*p))
				p++;
			len = p - name;
			q = p;
			while (*q == ' ' || *q == '\t' || *q == '\n')
				q++;
			/* only upper-case names can be event or wrapper macros */
			if (*q == '(' && isupper((unsigned char)name[0]) &&
			    (len < 2 || isupper((unsigned char)name[1]) || name[1] == '_') &&
			    (find_macro(s, name, len) || names_event(name, len))) {
				char *args[16];
				int n = collect_args(&q, args, 16);

				if (n >= 0) {
					invocation(s, name, len, args, n, depth);
					while (n > 0)
						free(args[--n]);
					p = q;
				}
			}
			continue;
		}
		p++;
	}
}

static void scan_file(const char *path)
{
	char *raw = read_file_text(path), *text;
	struct scan s = { 0 };
	int i, j;

	if (!raw)
		return;
	if (!strstr(raw, "TRACE_SYSTEM")) {
		free(raw);
		return;
	}
	text = clean_text(raw);
	free(raw);
	scan_text(&s, text, 0);
	free(text);
	for (i = 0; i < s.n_macros; i++) {
		for (j = 0; j < s.macros[i].n_params; j++)
			free(s.macros[i].params[j]);
		free(s.macros[i].name);
		free(s.macros[i].body);
	}
	free(s.macros);
}

static int by_header_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* Every *.h in dir whose name contains `part` ("" for all). */
static void scan_dir(const char *dir, const char *part)
{
	struct dirent **list;
	int n = scandir(dir, &list, NULL, by_header_name), i;

	for (i = 0; i < n; i++) {
		size_t len = strlen(list[i]->d_name);

		if (len > 2 && strcmp(list[i]->d_name + len - 2, ".h") == 0 &&
		    strstr(list[i]->d_name, part)) {
			char *path = xasprintf("%s/%s", dir, list[i]->d_name);

			scan_file(path);
			free(path);
		}
		free(list[i]);
	}
	if (n >= 0)
		free(list);
}

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The source tree holding include/trace/events: the build tree itself, or
 * the one its Makefile includes (Debian splits linux-headers-R-common
 * from linux-headers-R-ARCH). */
static char *find_source_tree(const char *build_dir)
{
	char *path = xasprintf("%s/include/trace/events", build_dir), *mk, *text, *p;
	char *found = NULL;

	if (is_dir(path)) {
		free(path);
		return xstrdup(build_dir);
	}
	free(path);
	mk = xasprintf("%s/Makefile", build_dir);
	text = read_file_text(mk);
	free(mk);
	if (text && strncmp(text, "include ", 8) == 0) {
		p = text + 8;
		p[strcspn(p, "\n")] = 0;
		if (strlen(p) > 9 && strcmp(p + strlen(p) - 9, "/Makefile") == 0) {
			p[strlen(p) - 9] = 0;
			path = xasprintf("%s/include/trace/events", p);
			if (is_dir(path))
				found = xstrdup(p);
			free(path);
		}
	}
	free(text);
	return found;
}

static const char *arch_dir(const char *arch)
{
	if (strcmp(arch, "x86_64") == 0 || strcmp(arch, "i386") == 0 ||
	    strcmp(arch, "i686") == 0)
		return "x86";
	if (strcmp(arch, "aarch64") == 0)
		return "arm64";
	return arch;
}

static int by_event(const void *a, const void *b)
{
	const struct tracepoint_event *x = a, *y = b;
	int c = strcmp(x->system, y->system);

	return c ? c : strcmp(x->name, y->name);
}

static void free_event(struct tracepoint_event *ev)
{
	int i;

	for (i = 0; i < ev->n_args; i++) {
		free(ev->arg_types[i]);
		free(ev->arg_names[i]);
	}
	free(ev->arg_types);
	free(ev->arg_names);
	free(ev->system);
	free(ev->name);
	free(ev->vars);
}

static int load(void)
{
	struct target t;
	char *root, *dir;
	const char *arch;
	size_t i, kept;

	if (loaded)
		return load_failed ? -1 : 0;
	loaded = 1;
	if (target_resolve(target_spec, &t) != 0) {	/* says what it looked for */
		load_failed = 1;
		return -1;
	}
	root = find_source_tree(t.build_dir);
	if (!root) {
		fprintf(stderr, "ERROR: no trace headers for kernel '%s'; looked for include/trace/events in:\n"
			"       %s and the tree its Makefile includes\n", t.release, t.build_dir);
		target_free(&t);
		load_failed = 1;
		return -1;
	}
	arch = arch_dir(target_arch_name(&t));
	dir = xasprintf("%s/include/trace/events", root);
	scan_dir(dir, "");
	free(dir);
	dir = xasprintf("%s/arch/%s/include/asm/trace", root, arch);
	scan_dir(dir, "");
	free(dir);
	dir = xasprintf("%s/arch/%s/include/asm", root, arch);
	scan_dir(dir, "trace");
	free(dir);
	dir = xasprintf("%s/include/ras", root);
	scan_dir(dir, "");
	free(dir);
	free(root);
	target_free(&t);
	if (n_events)
		qsort(events, n_events, sizeof(*events), by_event);
	/* #if/#else alternatives declare an event twice: keep the first */
	for (i = kept = 0; i < n_events; i++) {
		if (kept && by_event(&events[kept - 1], &events[i]) == 0)
			free_event(&events[i]);
		else
			events[kept++] = events[i];
	}
	n_events = kept;
	return 0;
}

int tracepoints_match(const char *pattern,
		      void (*fn)(const struct tracepoint_event *ev, void *arg), void *arg)
{
	const char *colon = strchr(pattern, ':');
	char *system = colon ? strndup(pattern, colon - pattern) : NULL;
	const char *event = colon ? colon + 1 : pattern;
	size_t i;
	int n = 0;

	if (load() != 0) {
		free(system);
		return -1;
	}
	for (i = 0; i < n_events; i++) {
		if (system && fnmatch(system, events[i].system, 0) != 0)
			continue;
		if (fnmatch(event, events[i].name, 0) != 0)
			continue;
		fn(&events[i], arg);
		n++;
	}
	free(system);
	return n;
}
