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
static void index_dir(struct tapset_index *ix, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	int n = 0, i;

	if (!d)
		return;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (len > 4 && strcmp(de->d_name + len - 4, ".stp") == 0) {
			names = realloc(names, sizeof(*names) * (n + 1));
			if (!names)
				abort();
			names[n++] = xasprintf("%s/%s", dir, de->d_name);
		}
	}
	closedir(d);
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

enum index_kind { IX_FUNCTION, IX_GLOBAL };

static struct tapset_file *file_defining(struct tapset_index *ix, enum index_kind kind,
					 const char *name)
{
	int i, j;

	for (i = 0; i < ix->n_files; i++) {
		const struct name_list *l = kind == IX_FUNCTION ? &ix->files[i].functions
								: &ix->files[i].globals;

		for (j = 0; j < l->n; j++)
			if (strcmp(l->items[j], name) == 0)
				return &ix->files[i];
	}
	return NULL;
}

/* Is name (a function or a global) declared where every file sees it? */
static int declared_in(const struct node *list, const char *name)
{
	for (; list; list = list->next)
		if (!list->is_private && strcmp(list->str, name) == 0)
			return 1;
	return 0;
}

/* The components of an alias name as the index holds it ("a.b(\"x\").c"),
 * arguments ignored: the index may parse a file that turns out not to
 * match, never miss one that does. */
static int match_alias_text(const struct node *comp, const char *name)
{
	char part[256];
	size_t len = 0;
	int depth = 0;

	if (!comp)
		return *name == 0;
	if (strcmp(comp->str, "**") == 0)
		return match_alias_text(comp->next, name) ||
		       (*name && match_alias_text(comp, strchr(name, '.') ? strchr(name, '.') + 1 : ""));
	if (!*name)
		return 0;
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

struct wanted {
	struct tapset_index *ix;
	const struct program *prog;
	struct tapset_file *next;	/* a file to parse, or NULL */
};

static void want_name(struct node *n, void *arg)
{
	struct wanted *w = arg;
	struct tapset_file *f = NULL;

	if (w->next)
		return;
	if (n->kind == N_CALL && !declared_in(w->prog->functions, n->str))
		f = file_defining(w->ix, IX_FUNCTION, n->str);
	/* a name no global of the program declares may be a tapset's global */
	if (n->kind == N_VAR && !declared_in(w->prog->globals, n->str))
		f = file_defining(w->ix, IX_GLOBAL, n->str);
	if (f && !f->parsed)
		w->next = f;
}

/* The first unparsed file with an alias the point may name. */
static void want_aliases(struct wanted *w, const struct node *point)
{
	int i, j;

	for (; point && !w->next; point = point->next)
		for (i = 0; i < w->ix->n_files && !w->next; i++) {
			struct tapset_file *f = &w->ix->files[i];

			for (j = 0; j < f->aliases.n && !f->parsed; j++)
				if (match_alias_text(point->components, f->aliases.items[j])) {
					w->next = f;
					break;
				}
		}
}

static struct tapset_file *next_needed(struct tapset_index *ix, const struct program *prog)
{
	struct wanted w = { ix, prog, NULL };
	const struct node *lists[3] = { prog->probes, prog->aliases, prog->functions }, *n;
	int i;

	for (i = 0; i < 3 && !w.next; i++)
		for (n = lists[i]; n && !w.next; n = n->next) {
			walk_nodes(n->body, want_name, &w);
			want_aliases(&w, n->points);
			for (const struct node *pt = n->points; pt && !w.next; pt = pt->next)
				walk_nodes(pt->cond, want_name, &w);
		}
	for (n = prog->globals; n && !w.next; n = n->next)
		walk_nodes(n->rhs, want_name, &w);
	return w.next;
}

int tapsets_resolve(struct program *prog, const struct options *opts,
		    const struct parse_options *po)
{
	struct tapset_index ix = { 0 };
	struct tapset_file *f;
	const char *std = find_tapset_dir();
	int i, errors = 0;

	for (i = 0; i < opts->tapset_dirs.n; i++)
		index_dir(&ix, opts->tapset_dirs.items[i]);
	if (std)
		index_dir(&ix, std);
	while ((f = next_needed(&ix, prog))) {
		f->parsed = 1;
		prog->n_files++;
		errors += parse_script_with(f->path, f->text, po, prog);
	}
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
