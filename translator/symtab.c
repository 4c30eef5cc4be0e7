/* symtab.c - read the target's symbol table (System.map in the build tree,
 * Debian's -dbg System.map, or /proc/kallsyms for the running kernel) and
 * match function names against wildcards. */
#include "symtab.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "target.h"
#include "util.h"

static const char *target_spec;
static int loaded;
static char **names;
static size_t n_names;
/* the names of global ('T') function symbols, sorted, for .exported:
 * pointers into names[] */
static char **globals;
static size_t n_globals;

void symtab_set_target(const char *spec)
{
	target_spec = spec;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Symbols kprobes cannot or should not take: compiler-made clones
 * (foo.cold, foo.isra.0), 6.x function padding (__pfx_), and section
 * markers. */
static int probeable(const char *name)
{
	return !strchr(name, '.') && strncmp(name, "__pfx_", 6) != 0 &&
	       strncmp(name, "__kstrtab", 9) != 0 && strcmp(name, "_text") != 0 &&
	       strcmp(name, "_stext") != 0 && strcmp(name, "_etext") != 0;
}

/* Read "ADDRESS TYPE NAME [module]" lines; returns symbols kept, -1 if the
 * file cannot be read or is a placeholder without symbols. */
static int read_map(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[512], type, name[256];
	size_t cap = 0, gcap = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %c %255s", &type, name) != 2)
			continue;
		if ((type != 't' && type != 'T') || !probeable(name))
			continue;
		if (n_names == cap) {
			cap = cap ? cap * 2 : 4096;
			names = realloc(names, cap * sizeof(*names));
			if (!names) {
				fputs("stapc: out of memory\n", stderr);
				exit(1);
			}
		}
		names[n_names++] = xstrdup(name);
		if (type == 'T') {
			if (n_globals == gcap) {
				gcap = gcap ? gcap * 2 : 4096;
				globals = realloc(globals, gcap * sizeof(*globals));
				if (!globals) {
					fputs("stapc: out of memory\n", stderr);
					exit(1);
				}
			}
			globals[n_globals++] = names[n_names - 1];
		}
	}
	fclose(f);
	if (n_names == 0)
		return -1;	/* Debian ships a placeholder in /boot */
	qsort(names, n_names, sizeof(*names), by_name);
	qsort(globals, n_globals, sizeof(*globals), by_name);
	return (int)n_names;
}

static int load(int quiet)
{
	struct utsname host;
	struct target t;
	char *candidates[4] = { NULL };
	int i, n = 0, rc = -1;

	if (loaded)
		return n_names ? 0 : -1;
	loaded = 1;
	uname(&host);
	if (target_resolve_quiet(target_spec, &t) == 0) {
		candidates[n++] = xasprintf("%s/System.map", t.build_dir);
		candidates[n++] = xasprintf("/usr/lib/debug/boot/System.map-%s", t.release);
		candidates[n++] = xasprintf("/boot/System.map-%s", t.release);
		if (strcmp(t.release, host.release) == 0)
			candidates[n++] = xstrdup("/proc/kallsyms");
		target_free(&t);
	} else if (!target_spec || strcmp(target_spec, host.release) == 0) {
		candidates[n++] = xasprintf("/boot/System.map-%s", host.release);
		candidates[n++] = xstrdup("/proc/kallsyms");
	} else if (!strchr(target_spec, '/')) {
		candidates[n++] = xasprintf("/usr/lib/debug/boot/System.map-%s", target_spec);
		candidates[n++] = xasprintf("/boot/System.map-%s", target_spec);
	}
	for (i = 0; i < n && rc < 0; i++)
		rc = read_map(candidates[i]);
	if (rc < 0 && !quiet) {
		fprintf(stderr, "ERROR: no symbol table for kernel '%s' to match function names against; looked in:\n",
			target_spec ? target_spec : host.release);
		for (i = 0; i < n; i++)
			fprintf(stderr, "       %s\n", candidates[i]);
		fputs("       (Debian: install linux-image-RELEASE-dbg for its System.map)\n", stderr);
	}
	for (i = 0; i < n; i++)
		free(candidates[i]);
	return rc < 0 ? -1 : 0;
}

int symtab_match(const char *pattern, void (*fn)(const char *name, void *arg), void *arg)
{
	size_t i;
	int matches = 0;

	if (load(0) < 0)
		return -1;
	for (i = 0; i < n_names; i++) {
		if (i > 0 && strcmp(names[i], names[i - 1]) == 0)
			continue;	/* static functions of the same name */
		if (fnmatch(pattern, names[i], 0) == 0) {
			fn(names[i], arg);
			matches++;
		}
	}
	return matches;
}

int symtab_has(const char *name)
{
	if (load(1) < 0)
		return -1;
	return bsearch(&name, names, n_names, sizeof(*names), by_name) != NULL;
}

int symtab_is_global(const char *name)
{
	if (load(1) < 0)
		return -1;
	return n_globals && bsearch(&name, globals, n_globals, sizeof(*globals), by_name) != NULL;
}

void symtab_free(void)
{
	size_t i;

	for (i = 0; i < n_names; i++)
		free(names[i]);
	free(names);
	free(globals);
	names = globals = NULL;
	n_globals = 0;
	n_names = 0;
	loaded = 0;
}
