/* provider_process.c - probes on a user program's functions by symbol:
 * process("PATH").function("NAME") with .call and .return, NAME a name or
 * a wildcard over the file's ELF symbol table.  Each becomes a uprobe at
 * the function's first instruction (runtime/stp_uprobe.h), named by the
 * file's path and the instruction's offset in the file, so the module
 * needs the same file at the same path on the target, as SystemTap does.
 * Arguments come from registers at entry: register(), int_arg(N) ...,
 * returnval() in .return, user_string() through pointers; $variables of
 * user programs are not supported yet. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "provider.h"

/* uprobes are registered one by one, each an inode lookup */
#define MAX_EXPANSION 1000

struct user_function {
	char *name;
	unsigned long long offset;	/* in the file */
};

/* PATH as SystemTap takes it: a path, or a program name looked up in $PATH. */
static char *find_program(const char *name)
{
	const char *dirs = getenv("PATH");
	char *copy, *dir, *save = NULL, *found = NULL;

	if (strchr(name, '/') || !dirs)
		return realpath(name, NULL);
	copy = xstrdup(dirs);
	for (dir = strtok_r(copy, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
		char *candidate = xasprintf("%s/%s", *dir ? dir : ".", name);

		if (access(candidate, X_OK) == 0)
			found = realpath(candidate, NULL);
		free(candidate);
	}
	free(copy);
	return found;
}

/* The file offset of virtual address v: in the PT_LOAD segment holding it. */
static int file_offset(Elf *elf, GElf_Addr v, unsigned long long *off)
{
	size_t n, i;

	if (elf_getphdrnum(elf, &n) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD || !(ph.p_flags & PF_X))
			continue;
		if (v >= ph.p_vaddr && v < ph.p_vaddr + ph.p_filesz) {
			*off = v - ph.p_vaddr + ph.p_offset;
			return 0;
		}
	}
	return -1;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct user_function *)a)->name, ((const struct user_function *)b)->name);
}

/* The defined functions of the file matching pattern, sorted by name, one
 * per name (.symtab if the file has one, else .dynsym).  -1 and a message
 * in err if the file is no ELF executable. */
static int match_functions(const char *path, const char *pattern, struct user_function **out,
			   char *err, size_t errlen)
{
	struct user_function *fs = NULL;
	int fd, n = 0, cap = 0, pass, rc = -1;
	Elf *elf;
	GElf_Ehdr eh;

	*out = NULL;
	elf_version(EV_CURRENT);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
		return -1;
	}
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &eh) ||
	    (eh.e_type != ET_EXEC && eh.e_type != ET_DYN)) {
		snprintf(err, errlen, "'%s' is not an ELF executable or shared library", path);
		goto out;
	}
	for (pass = 0; pass < 2 && n == 0; pass++) {
		Elf_Scn *scn = NULL;

		while ((scn = elf_nextscn(elf, scn))) {
			GElf_Shdr sh;
			Elf_Data *data;
			size_t i, count;

			if (!gelf_getshdr(scn, &sh) ||
			    sh.sh_type != (pass == 0 ? SHT_SYMTAB : SHT_DYNSYM) ||
			    !(data = elf_getdata(scn, NULL)) || !sh.sh_entsize)
				continue;
			count = sh.sh_size / sh.sh_entsize;
			for (i = 0; i < count; i++) {
				GElf_Sym sym;
				const char *name;
				unsigned long long off;

				if (!gelf_getsym(data, (int)i, &sym) || GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
				    sym.st_shndx == SHN_UNDEF || !sym.st_value ||
				    !(name = elf_strptr(elf, sh.sh_link, sym.st_name)) || !*name ||
				    fnmatch(pattern, name, 0) != 0 || file_offset(elf, sym.st_value, &off) != 0)
					continue;
				if (n == cap) {
					cap = cap ? 2 * cap : 16;
					fs = realloc(fs, cap * sizeof(*fs));
					if (!fs)
						abort();
				}
				fs[n].name = xstrdup(name);
				fs[n].offset = off;
				n++;
			}
		}
	}
	if (n > 1) {	/* one per name: the first */
		int i, k = 1;

		qsort(fs, n, sizeof(*fs), by_name);
		for (i = 1; i < n; i++) {
			if (strcmp(fs[i].name, fs[k - 1].name) == 0)
				free(fs[i].name);
			else
				fs[k++] = fs[i];
		}
		n = k;
	}
	*out = fs;
	rc = n;
out:
	if (elf)
		elf_end(elf);
	close(fd);
	return rc;
}

static const char *string_arg(struct node *comp)
{
	if (!comp->arg || comp->arg->kind != N_STRING) {
		diag_error("semantic error", &comp->tok,
			   "'%s' needs a string argument: %s(\"...\")", comp->str, comp->str);
		return NULL;
	}
	return comp->arg->str;
}

static enum provider_match resolve_process(struct node *point, struct resolved_point *rp)
{
	struct node *comp = point->components, *fcomp = comp->next, *c;
	struct user_function *fs = NULL;
	struct resolved_point *last = NULL;
	const char *arg, *pattern, *suffix = "";
	char *path = NULL, err[PATH_MAX + 100];
	enum provider_match result = PROVIDER_ERROR;
	int n, i, is_return = 0;

	if (!comp->arg || !fcomp || strcmp(fcomp->str, "function") != 0) {
		char *text = probe_point_text(point);

		diag_error("semantic error", &point->tok,
			   "probe point '%s' is not supported yet (of user-space probes, only process(\"PATH\").function(\"NAME\") with .call and .return)",
			   text);
		free(text);
		return PROVIDER_ERROR;
	}
	if (!(arg = string_arg(comp)) || !(pattern = string_arg(fcomp)))
		return PROVIDER_ERROR;
	for (c = fcomp->next; c; c = c->next) {
		if (c->arg || c->next || (strcmp(c->str, "return") != 0 && strcmp(c->str, "call") != 0)) {
			diag_error("semantic error", &c->tok,
				   "'.%s' is not supported on process(...).function(...) (only .call and .return)",
				   c->str);
			return PROVIDER_ERROR;
		}
		is_return = strcmp(c->str, "return") == 0;
		suffix = is_return ? ".return" : ".call";
	}
	if (strchr(pattern, '@')) {
		diag_error("semantic error", &fcomp->arg->tok,
			   "'%s': FUNCTION@FILE needs the program's debuginfo, which process probes do not read yet; name the function alone",
			   pattern);
		return PROVIDER_ERROR;
	}
	path = find_program(arg);
	if (!path) {
		if (rp->optional)
			return PROVIDER_SKIPPED;
		diag_error("semantic error", &comp->arg->tok,
			   "cannot find the program '%s' on this machine (the probe names it by the path found here, which must be the same on the target)",
			   arg);
		return PROVIDER_ERROR;
	}
	n = match_functions(path, pattern, &fs, err, sizeof(err));
	if (n < 0) {
		diag_error("semantic error", &comp->arg->tok, "%s", err);
		goto out;
	}
	if (n == 0) {
		if (rp->optional) {
			result = PROVIDER_SKIPPED;
			goto out;
		}
		diag_error("semantic error", &fcomp->arg->tok,
			   "no function of '%s' matches '%s' (its symbol table has none by that name)",
			   path, pattern);
		goto out;
	}
	if (n > MAX_EXPANSION) {
		diag_error("semantic error", &fcomp->arg->tok,
			   "'%s' matches %d functions, more than the %d uprobes stapc places at once",
			   pattern, n, MAX_EXPANSION);
		goto out;
	}
	for (i = 0; i < n; i++) {
		struct resolved_point *q = i == 0 ? rp : xcalloc(1, sizeof(*q));

		if (i > 0) {
			q->point = rp->point;
			q->handler = rp->handler;
			q->optional = rp->optional;
			last->next = q;
		}
		q->is_return = is_return;
		q->symbol = xstrdup(path);
		q->offset = (unsigned long)fs[i].offset;
		q->pp = xasprintf("process(\"%s\").function(\"%s\")%s", path, fs[i].name, suffix);
		last = q;
	}
	result = PROVIDER_RESOLVED;
out:
	for (i = 0; i < n; i++)
		free(fs[i].name);
	free(fs);
	free(path);
	return result;
}

static int bind_process_target(struct resolved_point *rp, struct node *target,
			       struct target_binding *out, char *err, size_t errlen)
{
	(void)out;
	snprintf(err, errlen,
		 "target variable '%s' at '%s': variables of user programs are not supported yet (read arguments with register(), int_arg(N), pointer_arg(N) ..., the result with returnval())",
		 target->str, rp->pp);
	return -1;
}

static void emit_uprobes(struct resolved_point **points, int n, struct emit_tables *out)
{
	int i;

	for (i = 0; i < n; i++) {
		char *var = xasprintf("stp_uprobe_probe_%d", i);

		emit_probe_struct(out->decls, var, points[i]);
		free(var);
	}
	sb_add(out->decls, "\nstatic struct stp_uprobe stp_uprobes[] = {\n");
	for (i = 0; i < n; i++) {
		sb_printf(out->decls, "\t{ .probe = &stp_uprobe_probe_%d, .path = ", i);
		sb_add_c_string(out->decls, points[i]->symbol);
		sb_printf(out->decls, ", .offset = %#lx, .is_return = %s%s },\n", points[i]->offset,
			  points[i]->is_return ? "true" : "false",
			  points[i]->optional ? ", .optional = true" : "");
	}
	sb_add(out->decls, "};\n\n");
	sb_add(out->groups, "\t{ \"process\", stp_uprobes_arm, stp_uprobes_disarm, stp_uprobes, ARRAY_SIZE(stp_uprobes) },\n");
}

static const char *const process_families[] = { "process", NULL };

const struct provider provider_process = {
	.name = "process", .families = process_families, .resolve = resolve_process,
	.emit = emit_uprobes, .bind_target = bind_process_target,
};
