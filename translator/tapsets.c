/* tapsets.c - find library functions: index the tapset directories by a
 * cheap scan of `function NAME`, parse only the files a script needs. */
#include "tapsets.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "kbuild.h"
#include "util.h"
#include "walk.h"

struct tapset_file {
	char *path;
	char *text;		/* kept alive: diagnostics quote it */
	char **functions;
	int n_functions;
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

/* `function NAME` at the start of a line (after blanks, maybe `private`):
 * good enough for an index; the parser has the last word. */
static void scan_functions(struct tapset_file *f)
{
	const char *p = f->text;

	while (*p) {
		const char *line = p;

		while (*line == ' ' || *line == '\t')
			line++;
		if (strncmp(line, "private", 7) == 0 && !is_ident_char(line[7])) {
			line += 7;
			while (*line == ' ' || *line == '\t')
				line++;
		}
		if (strncmp(line, "function", 8) == 0 && !is_ident_char(line[8])) {
			const char *name = line + 8, *end;

			while (*name == ' ' || *name == '\t')
				name++;
			for (end = name; is_ident_char(*end); end++)
				;
			if (end > name) {
				f->functions = realloc(f->functions,
						       sizeof(*f->functions) * (f->n_functions + 1));
				if (!f->functions)
					abort();
				f->functions[f->n_functions++] = strndup(name, end - name);
			}
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
		scan_functions(f);
	}
	free(names);
}

static struct tapset_file *file_defining(struct tapset_index *ix, const char *name)
{
	int i, j;

	for (i = 0; i < ix->n_files; i++)
		for (j = 0; j < ix->files[i].n_functions; j++)
			if (strcmp(ix->files[i].functions[j], name) == 0)
				return &ix->files[i];
	return NULL;
}

static int defined_in(const struct program *prog, const char *name)
{
	const struct node *fn;

	for (fn = prog->functions; fn; fn = fn->next)
		if (strcmp(fn->str, name) == 0)
			return 1;
	return 0;
}

struct wanted {
	struct tapset_index *ix;
	const struct program *prog;
	struct tapset_file *next;	/* a file to parse, or NULL */
};

static void want_call(struct node *n, void *arg)
{
	struct wanted *w = arg;
	struct tapset_file *f;

	if (w->next || n->kind != N_CALL || defined_in(w->prog, n->str))
		return;
	f = file_defining(w->ix, n->str);
	if (f && !f->parsed)
		w->next = f;
}

static struct tapset_file *next_needed(struct tapset_index *ix, const struct program *prog)
{
	struct wanted w = { ix, prog, NULL };
	const struct node *lists[2] = { prog->probes, prog->functions }, *n;
	int i;

	for (i = 0; i < 2 && !w.next; i++)
		for (n = lists[i]; n && !w.next; n = n->next)
			walk_nodes(n->body, want_call, &w);
	return w.next;
}

int tapsets_resolve(struct program *prog, const struct options *opts,
		    const struct parse_options *po)
{
	struct tapset_index ix = { 0 };
	struct tapset_file *f;
	const char *std = find_tapset_dir();
	int i, j, errors = 0;

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
		for (j = 0; j < ix.files[i].n_functions; j++)
			free(ix.files[i].functions[j]);
		free(ix.files[i].functions);
		free(ix.files[i].path);
		/* parsed texts stay: tokens and diagnostics point into them */
		if (!ix.files[i].parsed)
			free(ix.files[i].text);
	}
	free(ix.files);
	return errors;
}
