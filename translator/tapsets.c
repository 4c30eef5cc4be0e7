/* tapsets.c - find library code: index the tapset directories by a cheap
 * scan of `function NAME`, `global NAME` and `probe ALIAS =` lines, parse
 * only the files a script needs (transitively). */
#include "tapsets.h"

#include <dirent.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "kbuild.h"
#include "util.h"
#include "walk.h"

struct name_list {
	char **items;
	int n;
};

struct tapset_file {
	char *path;
	char *text;		/* kept alive: diagnostics quote it */
	struct name_list functions;	/* public ones: others are the file's own */
	struct name_list globals;	/* public ones */
	struct name_list aliases;	/* "syscall.open": alias names, as written */
	int parsed;
	int wanted;		/* needed: parse in this round */
};

struct tapset_index {
	struct tapset_file *files;
	int n_files;
};

static int is_ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

static void add_name(struct name_list *l, const char *s, size_t len)
{
	l->items = realloc(l->items, sizeof(*l->items) * (l->n + 1));
	if (!l->items)
		abort();
	l->items[l->n++] = strndup(s, len);
}

static void free_names(struct name_list *l)
{
	int i;

	for (i = 0; i < l->n; i++)
		free(l->items[i]);
	free(l->items);
}

static const char *skip_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

static int keyword_at(const char *p, const char *word)
{
	size_t n = strlen(word);

	return strncmp(p, word, n) == 0 && !is_ident_char(p[n]);
}

/* `global a, b[100], c = 1` on one line: the names */
static void scan_global_names(struct tapset_file *f, const char *p)
{
	while (*p && *p != '\n') {
		const char *end;
		int depth = 0;

		p = skip_blanks(p);
		for (end = p; is_ident_char(*end); end++)
			;
		if (end == p)
			return;
		add_name(&f->globals, p, end - p);
		for (p = end; *p && *p != '\n' && (depth || *p != ','); p++) {
			if (*p == '[' || *p == '(')
				depth++;
			else if ((*p == ']' || *p == ')') && depth)
				depth--;
		}
		if (*p == ',')
			p++;
	}
}

/* `probe a.b("x").c = ...` or `+=`: the names being defined.  A probe
 * without '=' before its '{' or line end is no alias. */
static void scan_alias_names(struct tapset_file *f, const char *p)
{
	for (;;) {
		const char *name = skip_blanks(p), *end;
		int in_string = 0;

		for (end = name; *end && *end != '\n'; end++) {
			if (*end == '"')
				in_string = !in_string;
			else if (!in_string && (*end == '=' || *end == '{' || *end == ',' ||
						*end == '+' || *end == ' ' || *end == '\t'))
				break;
		}
		if (end == name)
			return;
		p = skip_blanks(end);
		if (p[0] == '+' && p[1] == '=')
			p += 2;
		else if (p[0] == '=' && p[1] != '=')
			p += 1;
		else
			return;
		add_name(&f->aliases, name, end - name);
	}
}

/* Declarations at the start of a line (after blanks): good enough for an
 * index; the parser has the last word.  Private names are left out: only
 * their own file sees them, and it is parsed when anything in it is used. */
static void scan_declarations(struct tapset_file *f)
{
	const char *p = f->text;

	while (*p) {
		const char *line = skip_blanks(p);
		int is_private = 0;

		if (keyword_at(line, "private")) {
			line = skip_blanks(line + 7);
			is_private = 1;
		}
		if (keyword_at(line, "function") && !is_private) {
			const char *name = skip_blanks(line + 8), *end;

			for (end = name; is_ident_char(*end); end++)
				;
			if (end > name)
				add_name(&f->functions, name, end - name);
		} else if (keyword_at(line, "global") && !is_private) {
			scan_global_names(f, line + 6);
		} else if (keyword_at(line, "probe")) {
			scan_alias_names(f, line + 5);
		}
		p = strchr(p, '\n');
		if (!p)
			break;
		p++;
	}
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.stp of dir, in name order, so lookups are deterministic. */
/* Was a file of this name indexed since index position `from`?  A more
 * specific directory's file replaces the general one of the same name. */
static int basename_indexed(const struct tapset_index *ix, int from, const char *name)
{
	int i;

	for (i = from; i < ix->n_files; i++) {
		const char *slash = strrchr(ix->files[i].path, '/');

		if (strcmp(slash ? slash + 1 : ix->files[i].path, name) == 0)
			return 1;
	}
	return 0;
}

static void index_dir(struct tapset_index *ix, const char *dir, int base_start)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	int n = 0, i;

	if (!d)
		return;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (len > 4 && strcmp(de->d_name + len - 4, ".stp") == 0 &&
		    !basename_indexed(ix, base_start, de->d_name)) {
			names = realloc(names, sizeof(*names) * (n + 1));
			if (!names)
				abort();
			names[n++] = xasprintf("%s/%s", dir, de->d_name);
		}
	}
	closedir(d);
	if (n)	/* qsort must not see NULL */
		qsort(names, n, sizeof(*names), by_name);
	for (i = 0; i < n; i++) {
		struct tapset_file *f;
		char *text = read_file_text(names[i]);

		if (!text) {
			free(names[i]);
			continue;
		}
		ix->files = realloc(ix->files, sizeof(*ix->files) * (ix->n_files + 1));
		if (!ix->files)
			abort();
		f = &ix->files[ix->n_files++];
		memset(f, 0, sizeof(*f));
		f->path = names[i];
		f->text = text;
		scan_declarations(f);
	}
	free(names);
}

/*
 * A tapset directory and its version and architecture subdirectories, the
 * most specific first, as SystemTap lays them out: for kernel 6.1.0-9-amd64
 * on x86_64, 6.1.0-9-amd64/x86_64, 6.1.0/x86_64, 6.1/x86_64, 6/x86_64,
 * x86_64, then 6.1.0-9-amd64, 6.1.0, 6.1, 6 and the directory itself.
 */
static void index_tree(struct tapset_index *ix, const char *base, const struct parse_options *po)
{
	const char *release = po->kernel_release ? po->kernel_release : "";
	const char *arch = po->arch ? po->arch : "x86_64";
	char *versions[5];
	int n = 0, i, pass, start = ix->n_files;
	size_t len;

	if (*release)
		versions[n++] = xstrdup(release);
	/* "6.1.0", "6.1", "6": the leading version number, shorter and shorter */
	for (len = 0; release[len] && (release[len] == '.' ||
				      (release[len] >= '0' && release[len] <= '9')); len++)
		;
	while (len > 0 && release[len - 1] == '.')
		len--;
	while (len > 0 && n < 5) {
		char *v = strndup(release, len);

		if (!v)
			abort();
		if (n == 0 || strcmp(v, versions[n - 1]) != 0)
			versions[n++] = v;
		else
			free(v);
		while (len > 0 && release[len - 1] != '.')
			len--;
		if (len > 0)
			len--;	/* the dot */
	}
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < n; i++) {
			char *dir = pass == 0 ? xasprintf("%s/%s/%s", base, versions[i], arch)
					      : xasprintf("%s/%s", base, versions[i]);

			index_dir(ix, dir, start);
			free(dir);
		}
		if (pass == 0) {
			char *dir = xasprintf("%s/%s", base, arch);

			index_dir(ix, dir, start);
			free(dir);
		}
	}
	index_dir(ix, base, start);
	for (i = 0; i < n; i++)
		free(versions[i]);
}

/* ---- name tables ---------------------------------------------------------
 * Chained hash tables from a name to a file (index) or to "declared"
 * (program), so finding what a script needs costs a lookup per name. */

#define TABLE_SIZE 4096

struct table_entry {
	const char *name;
	struct tapset_file *file;	/* NULL in the "declared" tables */
	struct table_entry *next;
};

struct name_table {
	struct table_entry *buckets[TABLE_SIZE];
};

static unsigned hash_name(const char *s)
{
	unsigned h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h % TABLE_SIZE;
}

static struct table_entry *table_find(const struct name_table *t, const char *name)
{
	struct table_entry *e;

	for (e = t->buckets[hash_name(name)]; e; e = e->next)
		if (strcmp(e->name, name) == 0)
			return e;
	return NULL;
}

/* Every file declaring a name is kept (overloads of one function may come
 * from several files); a "declared" table needs a name once. */
static void table_add(struct name_table *t, const char *name, struct tapset_file *file)
{
	unsigned h = hash_name(name);
	struct table_entry *e, **tail = &t->buckets[h];

	if (!file && table_find(t, name))
		return;
	e = xcalloc(1, sizeof(*e));
	e->name = name;
	e->file = file;
	/* in index order: table_find gives the first file (-I before tapsets/) */
	while (*tail)
		tail = &(*tail)->next;
	*tail = e;
}

static void table_free(struct name_table *t)
{
	int i;

	for (i = 0; i < TABLE_SIZE; i++)
		while (t->buckets[i]) {
			struct table_entry *next = t->buckets[i]->next;

			free(t->buckets[i]);
			t->buckets[i] = next;
		}
}

/* The components of an alias name as the index holds it ("a.b(\"x\").c"),
 * arguments ignored: the index may parse a file that turns out not to
 * match, never miss one that does. */
static int match_alias_text(const struct node *comp, const char *name)
{
	char part[256];
	size_t len = 0;
	int depth = 0;

	/* all of the alias name matched: the rest may be a suffix
	 * (`my.fn.return` for `probe my.fn = ...`) */
	if (!comp || !*name)
		return *name == 0;
	if (strcmp(comp->str, "**") == 0)
		return match_alias_text(comp->next, name) ||
		       (*name && match_alias_text(comp, strchr(name, '.') ? strchr(name, '.') + 1 : ""));
	for (; *name && (depth || *name != '.'); name++) {
		if (*name == '(')
			depth++;
		else if (*name == ')' && depth)
			depth--;
		else if (!depth && len < sizeof(part) - 1)
			part[len++] = *name;
	}
	part[len] = 0;
	if (fnmatch(comp->str, part, 0) != 0)
		return 0;
	return match_alias_text(comp->next, *name == '.' ? name + 1 : name);
}

/* What the search keeps between rounds: every declaration is looked at
 * once, when it first appears (parsing appends to the program's lists). */
struct search {
	struct tapset_index *ix;
	struct name_table functions, globals;	/* index: name -> file */
	struct name_table declared_functions, declared_globals;	/* the program's public names */
	const struct node *seen[4];		/* last declaration looked at, per list */
	int wanted;				/* files marked in this round */
};

static void want_file(struct search *s, struct tapset_file *f)
{
	if (f && !f->parsed && !f->wanted) {
		f->wanted = 1;
		s->wanted++;
	}
}

static void want_name(struct node *n, void *arg)
{
	struct search *s = arg;
	struct table_entry *e = NULL;

	if (n->kind == N_CALL && !table_find(&s->declared_functions, n->str))
		e = table_find(&s->functions, n->str);
	/* every file that has it: a function's overloads may be spread out */
	for (; e; e = e->next)
		if (strcmp(e->name, n->str) == 0)
			want_file(s, e->file);
	/* a name no global of the program declares may be a tapset's global
	 * (the first file's: another one declaring it too would clash) */
	if (n->kind == N_VAR && !table_find(&s->declared_globals, n->str)) {
		e = table_find(&s->globals, n->str);
		if (e)
			want_file(s, e->file);
	}
}

/* Files with an alias the points may name. */
static void want_aliases(struct search *s, const struct node *point)
{
	int i, j;

	for (; point; point = point->next) {
		walk_nodes(point->cond, want_name, s);
		for (i = 0; i < s->ix->n_files; i++) {
			struct tapset_file *f = &s->ix->files[i];

			for (j = 0; j < f->aliases.n && !f->parsed && !f->wanted; j++)
				if (match_alias_text(point->components, f->aliases.items[j]))
					want_file(s, f);
		}
	}
}

/* The declarations added since the last round, from *seen on. */
static const struct node *new_since(const struct node *list, const struct node *seen)
{
	return seen ? seen->next : list;
}

static void scan_new_declarations(struct search *s, struct program *prog)
{
	struct node *lists[4] = { prog->functions, prog->globals, prog->probes, prog->aliases };
	const struct node *n;
	int i;

	/* names first, so a call to a function declared in the same round
	 * does not pull in a tapset's function of that name */
	for (n = new_since(lists[0], s->seen[0]); n; n = n->next)
		if (!n->is_private)
			table_add(&s->declared_functions, n->str, NULL);
	for (n = new_since(lists[1], s->seen[1]); n; n = n->next)
		if (!n->is_private)
			table_add(&s->declared_globals, n->str, NULL);
	for (i = 0; i < 4; i++) {
		for (n = new_since(lists[i], s->seen[i]); n; n = n->next) {
			if (i == 1)
				walk_nodes(n->rhs, want_name, s);
			else
				walk_nodes(n->body, want_name, s);
			if (i >= 2)
				want_aliases(s, n->points);
			s->seen[i] = n;
		}
	}
}

int tapsets_resolve(struct program *prog, const struct options *opts,
		    const struct parse_options *po)
{
	struct tapset_index ix = { 0 };
	struct search *search;
	const char *std = find_tapset_dir();
	int i, errors = 0;

	for (i = 0; i < opts->tapset_dirs.n; i++)
		index_tree(&ix, opts->tapset_dirs.items[i], po);
	if (std)
		index_tree(&ix, std, po);
	search = xcalloc(1, sizeof(*search));
	search->ix = &ix;
	for (i = 0; i < ix.n_files; i++) {
		struct tapset_file *f = &ix.files[i];
		int j;

		for (j = 0; j < f->functions.n; j++)
			table_add(&search->functions, f->functions.items[j], f);
		for (j = 0; j < f->globals.n; j++)
			table_add(&search->globals, f->globals.items[j], f);
	}
	/* rounds: find what the new declarations need, parse it (in index
	 * order, so the result does not depend on the walk) */
	for (;;) {
		search->wanted = 0;
		scan_new_declarations(search, prog);
		if (!search->wanted)
			break;
		for (i = 0; i < ix.n_files; i++) {
			struct tapset_file *f = &ix.files[i];

			if (f->wanted && !f->parsed) {
				f->parsed = 1;
				prog->n_files++;
				errors += parse_script_with(f->path, f->text, po, prog);
			}
		}
	}
	table_free(&search->functions);
	table_free(&search->globals);
	table_free(&search->declared_functions);
	table_free(&search->declared_globals);
	free(search);
	for (i = 0; i < ix.n_files; i++) {
		free_names(&ix.files[i].functions);
		free_names(&ix.files[i].globals);
		free_names(&ix.files[i].aliases);
		free(ix.files[i].path);
		/* parsed texts stay: tokens and diagnostics point into them */
		if (!ix.files[i].parsed)
			free(ix.files[i].text);
	}
	free(ix.files);
	return errors;
}
