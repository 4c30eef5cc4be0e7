/* dwarf_cast.c - @cast(ptr, "type" [, "module"]): a type found by name in
 * the kernel's or a module's DWARF, or in the DWARF of a small module
 * compiled here with a header ("kernel<linux/sched.h>", as SystemTap
 * does), and ptr read as a pointer to it.  Needs no probe point, so it
 * works in functions too.
 *
 * Header modules are built once per header per run with the target's
 * kbuild (its ARCH and CROSS_COMPILE when cross-compiling), with
 * -fno-eliminate-unused-debug-types so the header's types are in the
 * DWARF without being used. */
#define _GNU_SOURCE
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dwarf_info.h"
#include "dwarf_internal.h"
#include "target.h"
#include "util.h"

extern char **environ;

/* ---- types by name, cached per (file, name) ------------------------------ */

struct type_cache {
	char *path, *name;
	Dwarf_Off off;		/* 0: not found */
	struct type_cache *next;
};

static struct type_cache *types;

/* "struct x" -> DW_TAG_structure_type and "x"; a plain name matches a
 * typedef or a base type */
static int split_type(const char *name, const char **bare)
{
	static const struct { const char *kw; int tag; } kws[] = {
		{ "struct ", DW_TAG_structure_type }, { "union ", DW_TAG_union_type },
		{ "enum ", DW_TAG_enumeration_type },
	};
	size_t i;

	for (i = 0; i < sizeof(kws) / sizeof(kws[0]); i++)
		if (strncmp(name, kws[i].kw, strlen(kws[i].kw)) == 0) {
			*bare = name + strlen(kws[i].kw);
			while (**bare == ' ')
				(*bare)++;
			return kws[i].tag;
		}
	*bare = name;
	return 0;
}

static Dwarf_Off find_type(struct debug_file *df, const char *name)
{
	const char *bare;
	int tag = split_type(name, &bare);
	Dwarf_Off cu_off = 0, next;
	size_t hsize;

	while (dwarf_nextcu(df->dw, cu_off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu, child;

		if (dwarf_offdie(df->dw, cu_off + hsize, &cu) && dwarf_child(&cu, &child) == 0) {
			do {
				int t = dwarf_tag(&child);
				const char *n;

				if (tag ? t != tag : t != DW_TAG_typedef && t != DW_TAG_base_type)
					continue;
				n = dwarf_diename(&child);
				if (n && strcmp(n, bare) == 0 &&
				    !dwarf_hasattr(&child, DW_AT_declaration))
					return dwarf_dieoffset(&child);
			} while (dwarf_siblingof(&child, &child) == 0);
		}
		cu_off = next;
	}
	return 0;
}

static Dwarf_Off cached_type(struct debug_file *df, const char *name)
{
	struct type_cache *c;

	for (c = types; c; c = c->next)
		if (strcmp(c->path, df->path) == 0 && strcmp(c->name, name) == 0)
			return c->off;
	c = xcalloc(1, sizeof(*c));
	c->path = xstrdup(df->path);
	c->name = xstrdup(name);
	c->off = find_type(df, name);
	c->next = types;
	types = c;
	return c->off;
}

/* A struct or union only declared here (DW_AT_declaration): its
 * definition from another compilation unit of the same file. */
int dwarf_complete_type(struct debug_file *df, Dwarf_Die *t)
{
	const char *kw = dwarf_tag(t) == DW_TAG_structure_type ? "struct "
			 : dwarf_tag(t) == DW_TAG_union_type ? "union " : NULL;
	char *name;
	Dwarf_Off off;

	if (!kw || !dwarf_hasattr(t, DW_AT_declaration) || !dwarf_diename(t))
		return 0;
	name = xasprintf("%s%s", kw, dwarf_diename(t));
	off = cached_type(df, name);
	free(name);
	return off && dwarf_offdie(df->dw, off, t) ? 1 : 0;
}

/* ---- modules built from a header ------------------------------------------ */

struct header_module {
	char *header;
	char *dir;		/* NULL: the build failed */
	char *ko;
	struct header_module *next;
};

static struct header_module *headers;

static int run_make(const struct target *t, const char *dir)
{
	char *cdir = xasprintf("-C%s", t->build_dir), *mdir = xasprintf("M=%s", dir);
	char *log = xasprintf("%s/build.log", dir);
	char *arch = t->arch ? xasprintf("ARCH=%s", t->arch) : NULL;
	char *cross = t->arch ? xasprintf("CROSS_COMPILE=%s", t->cross_compile) : NULL;
	char *argv[8];
	int argc = 0, status = -1;
	posix_spawn_file_actions_t fa;
	pid_t pid;

	argv[argc++] = "make";
	argv[argc++] = cdir;
	argv[argc++] = mdir;
	if (arch) {
		argv[argc++] = arch;
		argv[argc++] = cross;
	}
	argv[argc++] = "modules";
	argv[argc] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	if (posix_spawnp(&pid, "make", &fa, NULL, argv, environ) == 0)
		while (waitpid(pid, &status, 0) < 0)
			;
	posix_spawn_file_actions_destroy(&fa);
	free(cdir);
	free(mdir);
	free(log);
	free(arch);
	free(cross);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

/* The .ko with the DWARF of `header` ("include/linux/sched.h" or
 * "linux/sched.h"), built on first use; NULL with err filled. */
static const char *header_module(const char *target_spec, const char *header, char *err,
				 size_t errlen)
{
	struct header_module *h;
	struct target t;
	char tmpl[] = "/tmp/stapc-cast-XXXXXX";
	const char *inc = strncmp(header, "include/", 8) == 0 ? header + 8 : header;
	char *path, *src;
	int ok;

	for (h = headers; h; h = h->next)
		if (strcmp(h->header, header) == 0)
			break;
	if (!h) {
		h = xcalloc(1, sizeof(*h));
		h->header = xstrdup(header);
		h->next = headers;
		headers = h;
		if (strpbrk(inc, "\"<>\n") || target_resolve_quiet(target_spec, &t) != 0) {
			snprintf(err, errlen, "cannot compile header '%s': no kernel build tree for the target (give -r)", header);
			return NULL;
		}
		if (!mkdtemp(tmpl)) {
			target_free(&t);
			snprintf(err, errlen, "cannot make a directory to compile header '%s' in", header);
			return NULL;
		}
		h->dir = xstrdup(tmpl);
		path = xasprintf("%s/Kbuild", h->dir);
		ok = write_file(path, "obj-m := stapc_cast.o\n"
				"ccflags-y := -g -fno-eliminate-unused-debug-types\n") == 0;
		free(path);
		path = xasprintf("%s/stapc_cast.c", h->dir);
		src = xasprintf("/* @cast's types from <%s> */\n#include <linux/module.h>\n"
				"#include <%s>\nMODULE_LICENSE(\"GPL\");\n", inc, inc);
		ok = ok && write_file(path, src) == 0;
		free(path);
		free(src);
		if (ok && run_make(&t, h->dir) == 0)
			h->ko = xasprintf("%s/stapc_cast.ko", h->dir);
		target_free(&t);
	}
	if (!h->ko) {
		char *log = h->dir ? xasprintf("%s/build.log", h->dir) : NULL;
		char *text = log ? read_file_text(log) : NULL;
		char *why = text ? strstr(text, "error: ") : NULL;

		if (why)
			why[strcspn(why, "\n")] = '\0';
		snprintf(err, errlen, "cannot compile header '%s' with the target's kbuild%s%s", header,
			 why ? ": " : "", why ? why : "");
		free(text);
		free(log);
		return NULL;
	}
	return h->ko;
}

/* ---- the entry point ------------------------------------------------------ */

int dwarf_bind_cast(const char *type, const char *module,
		    const struct dwarf_access *access, int n_access, int addr_of, int pretty,
		    char **c_expr, char *err, size_t errlen)
{
	struct binder b = { .err = err, .errlen = errlen };
	char looked[2048] = "";
	const char *path, *lt;
	struct place p = { 0 };
	Dwarf_Die t;
	Dwarf_Off off;
	int has_type, rc;

	if (!module || strcmp(module, "kernel") == 0) {
		path = dwarf_kernel_file(looked, sizeof(looked));
	} else if (strncmp(module, "kernel<", 7) == 0 && (lt = strchr(module, '>')) && !lt[1]) {
		char *header = strndup(module + 7, lt - module - 7);

		path = header_module(dwarf_target_spec(), header, err, errlen);
		free(header);
		if (!path)
			return -1;
	} else {
		path = dwarf_module_file(module, looked, sizeof(looked));
	}
	if (!path) {
		snprintf(err, errlen, "no debuginfo for '%s' to find type '%s' in (looked for %s)",
			 module ? module : "kernel", type, looked);
		return -1;
	}
	b.df = dwarf_open_file(path, err, errlen);
	if (!b.df)
		return -1;
	off = cached_type(b.df, type);
	if (!off || !dwarf_offdie(b.df->dw, off, &t)) {
		snprintf(err, errlen, "type definition '%s' not found in '%s'", type,
			 module ? module : "kernel");
		return -1;
	}
	has_type = dwarf_tag(&t) == DW_TAG_typedef ? dwarf_type_of(&t, &t) : 1;
	/* ptr is the address of a value of that type */
	p.expr = xstrdup("((int64_t)$P)");
	rc = dwarf_walk_access(&b, &p, &t, type, access, n_access);
	if (rc == 0 && pretty) {
		struct strbuf code = { 0 };
		int n_base = 0;

		sb_add(&code, "");
		dwarf_pretty_value(b.df, &p, &t, has_type, pretty, &code, &n_base);
		*c_expr = dwarf_pretty_wrap(code.buf, n_base);
		sb_free(&code);
	} else if (rc == 0) {
		rc = dwarf_finish(&b, &p, &t, has_type, type, addr_of, c_expr);
	}
	free(p.expr);
	return rc;
}

int dwarf_bind_atvar(const char *name, const char *module,
		     const struct dwarf_access *access, int n_access, int addr_of, int pretty,
		     char **c_expr, char *err, size_t errlen)
{
	struct binder b = { .err = err, .errlen = errlen };
	char looked[2048] = "";
	const char *path, *at = strchr(name, '@');
	char *var_name = at ? strndup(name, at - name) : xstrdup(name);
	struct place p = { 0 };
	Dwarf_Attribute attr;
	Dwarf_Op *ops;
	size_t n;
	Dwarf_Die var, t;
	int has_type, rc = -1;

	path = !module || strcmp(module, "kernel") == 0 ? dwarf_kernel_file(looked, sizeof(looked))
	       : dwarf_module_file(module, looked, sizeof(looked));
	if (!path) {
		snprintf(err, errlen, "no debuginfo for '%s' to find variable '%s' in (looked for %s)",
			 module ? module : "kernel", name, looked);
		goto out;
	}
	b.df = dwarf_open_file(path, err, errlen);
	if (!b.df)
		goto out;
	if (!dwarf_find_global(b.df, var_name, at ? at + 1 : NULL, NULL, &var)) {
		snprintf(err, errlen, "unable to find global '%s' in %s%s%s", var_name,
			 module ? module : "kernel", at ? ", in " : "", at ? at + 1 : "");
		goto out;
	}
	if (!dwarf_attr_integrate(&var, DW_AT_location, &attr) ||
	    dwarf_getlocation(&attr, &ops, &n) != 0 || n != 1 || ops[0].atom != DW_OP_addr) {
		snprintf(err, errlen, "global '%s' has no address (only variables at a fixed address are supported)",
			 var_name);
		goto out;
	}
	p.expr = dwarf_addr_expr(b.df, (uint64_t)ops[0].number, err, errlen);
	if (!p.expr)
		goto out;
	has_type = dwarf_type_of(&var, &t);
	if (n_access && !has_type)
		snprintf(err, errlen, "'%s' has type void", var_name);
	else if (dwarf_walk_access(&b, &p, &t, var_name, access, n_access) != 0)
		;	/* err says why */
	else if (pretty) {
		struct strbuf code = { 0 };
		int n_base = 0;

		sb_add(&code, "");
		dwarf_pretty_value(b.df, &p, &t, has_type, pretty, &code, &n_base);
		*c_expr = dwarf_pretty_wrap(code.buf, n_base);
		sb_free(&code);
		rc = 0;
	} else {
		rc = dwarf_finish(&b, &p, &t, has_type, var_name, addr_of, c_expr);
	}
out:
	free(p.expr);
	free(var_name);
	return rc;
}

void dwarf_cast_free(void)
{
	while (types) {
		struct type_cache *c = types;

		types = c->next;
		free(c->path);
		free(c->name);
		free(c);
	}
	while (headers) {
		struct header_module *h = headers;

		headers = h->next;
		if (h->dir) {
			char *cmd = xasprintf("rm -rf '%s'", h->dir);	/* mkdtemp's name: no quotes */

			if (system(cmd) != 0)
				fprintf(stderr, "WARNING: cannot remove %s\n", h->dir);
			free(cmd);
		}
		free(h->header);
		free(h->dir);
		free(h->ko);
		free(h);
	}
}
