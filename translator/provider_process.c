/* provider_process.c - probes on a user program's functions:
 * process("PATH").function("NAME[@FILE[:LINE]]") with .call, .return and
 * .inline, and process("PATH").statement("NAME@FILE:LINE"); process(PID)
 * instead of process("PATH") probes the program /proc/PID/exe names (only
 * when the target is this machine), in that process only.
 * Each becomes a uprobe (runtime/stp_uprobe.h) named by the file's path
 * and the instruction's offset in the file, so the module needs the same
 * file at the same path on the target, as SystemTap does.
 *
 * A program built with -g is read like a kernel module (dwarf_*.c): names
 * and wildcards over its DWARF, the probe after the prologue, -L with the
 * variables, $params and $locals (their memory read as user memory);
 * in .return, the $params and @entry(EXPR) values saved at the function's
 * entry (runtime/stp_uprobe_entry.h); globals at their DWARF address plus
 * the load bias the handler computes (runtime/stp_uprobe.h).
 * Without DWARF, NAME is a name or wildcard over the ELF symbol table and
 * the probe sits on the first instruction: register(), int_arg(N) ...,
 * returnval() in .return and user_string() read the arguments. */
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
#include "dwarf_info.h"
#include "provider.h"

/* uprobes are registered one by one, each an inode lookup */
#define MAX_EXPANSION 1000

struct user_function {
	char *name;
	unsigned long long offset;	/* in the file */
	size_t index;			/* in the symbol table */
};

/* PATH as SystemTap takes it: a path, or a program name looked up in $PATH. */
char *provider_find_program(const char *name)
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

char *provider_program_or_error(const char *name, const struct token_ref *at, int optional)
{
	char *path = provider_find_program(name);

	if (!path && !optional)
		diag_error("semantic error", at,
			   "cannot find the program '%s' on this machine (the probe names it by the path found here, which must be the same on the target)",
			   name);
	return path;
}

int64_t provider_process_pid(struct node *comp)
{
	if (comp->arg->num < 2 || comp->arg->num > INT32_MAX) {
		diag_error("semantic error", &comp->arg->tok,
			   "process(%lld): a process id is 2 or more (and fits a pid_t)",
			   (long long)comp->arg->num);
		return 0;
	}
	return comp->arg->num;
}

char *provider_pid_program(const struct token_ref *at, int64_t pid, int optional)
{
	char *link, *path;

	if (!provider_target_is_host()) {
		diag_error("semantic error", at,
			   "process(%lld): the program of a process is found in /proc/%lld/exe, so process(PID) needs the target to be this machine (without -r, or -r naming its kernel); name the program instead: process(\"PATH\")",
			   (long long)pid, (long long)pid);
		return NULL;
	}
	link = xasprintf("/proc/%lld/exe", (long long)pid);
	path = realpath(link, NULL);
	free(link);
	if (!path && !optional)
		diag_error("semantic error", at,
			   "process(%lld): no process %lld runs a program this user can read on this machine (/proc/%lld/exe: %s)",
			   (long long)pid, (long long)pid, (long long)pid, strerror(errno));
	return path;
}

/* The program -c CMD runs: its first word, as SystemTap takes it (a
 * command run through the shell is the shell's business) */
static char *command_program(const char *cmd)
{
	size_t skip = strspn(cmd, " \t\n");

	return xasprintf("%.*s", (int)strcspn(cmd + skip, " \t\n"), cmd + skip);
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

/* by place; at one place the name SystemTap keeps: the first in the
 * symbol table (whatever its binding or visibility) */
static int by_offset(const void *a, const void *b)
{
	const struct user_function *x = a, *y = b;

	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	return (x->index > y->index) - (x->index < y->index);
}

/* The defined functions of the file matching pattern, sorted by name, one
 * per address (.symtab if the file has one, else .dynsym).  -1 and a message
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
				fs[n].index = i;
				n++;
			}
		}
	}
	if (n > 1) {	/* one per place (aliases), then sorted by name */
		int i, k = 1;

		qsort(fs, n, sizeof(*fs), by_offset);
		for (i = 1; i < n; i++) {
			if (fs[i].offset == fs[k - 1].offset)
				free(fs[i].name);
			else
				fs[k++] = fs[i];
		}
		n = k;
		qsort(fs, n, sizeof(*fs), by_name);
	}
	*out = fs;
	rc = n;
out:
	if (elf)
		elf_end(elf);
	close(fd);
	return rc;
}

/* Has the file its own DWARF (a .debug_info section)? */
static int has_debuginfo(const char *path)
{
	int fd = open(path, O_RDONLY), found = 0;
	Elf *elf;
	size_t shstrndx;
	Elf_Scn *scn = NULL;

	if (fd < 0)
		return 0;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (elf && elf_getshdrstrndx(elf, &shstrndx) == 0) {
		while (!found && (scn = elf_nextscn(elf, scn))) {
			GElf_Shdr sh;
			const char *name;

			found = gelf_getshdr(scn, &sh) && sh.sh_type == SHT_PROGBITS &&
				(name = elf_strptr(elf, shstrndx, sh.sh_name)) &&
				strcmp(name, ".debug_info") == 0;
		}
	}
	if (elf)
		elf_end(elf);
	close(fd);
	return found;
}

/* For bind_target: where each point of a program with DWARF probes. */
struct process_site {
	const struct resolved_point *rp;
	char *path;
	uint64_t die, pc;
	/* .return: the registers $params are in at entry, which the
	 * uprobe's entry handler saves (runtime/stp_uprobe_entry.h) */
	struct dwarf_entry_regs entry;
	uint64_t probe_addr;		/* where the uprobe is, in DWARF's addresses */
	struct process_site *next;
};

static struct process_site *sites;

static struct process_site *site_of(const struct resolved_point *rp)
{
	struct process_site *s;

	for (s = sites; s && s->rp != rp; s = s->next)
		;
	return s;
}

void provider_process_free(void)
{
	while (sites) {
		struct process_site *s = sites;

		sites = s->next;
		free(s->path);
		free(s);
	}
}

struct expansion {
	const char *path;
	const char *proc;		/* the pp's first part: process("PATH") or process(PID) */
	const char *suffix;		/* "", ".call", ".return" or ".inline" */
	int is_return, is_call, is_inline;
	int is_statement;		/* .statement("FUNC@FILE:LINE") */
	struct resolved_point *first, *last;
	int count;
	char **names;			/* of the functions DWARF described */
	int n_names;
	Elf *elf;			/* the program, for file offsets */
};

static void add_dwarf_function(const struct dwarf_function *f, void *arg)
{
	struct expansion *x = arg;
	struct resolved_point *rp, *q;
	struct process_site *site;
	uint64_t pc = x->is_return ? f->entry : f->probe_pc;
	unsigned long long off;
	char *pp;

	/* .inline: only inlined copies; .call and .return: none of them */
	if ((x->is_inline && !f->is_inline) || ((x->is_return || x->is_call) && f->is_inline))
		return;
	if (!x->elf || file_offset(x->elf, pc, &off) != 0)
		off = 0;
	if (!off && !dwarf_listing())
		return;		/* not in the file's code (a declaration) */
	pp = xasprintf("%s.%s(\"%s@%s:%d\")%s", x->proc,
		       x->is_statement ? "statement" : "function", f->name,
		       f->file ? f->file : "<unknown source>", f->line, x->suffix);
	/* -l/-L: each point once, with the variables all its copies have */
	for (q = x->count ? x->first : NULL; q && dwarf_listing(); q = q->next)
		if (strcmp(q->pp, pp) == 0) {
			char *both = dwarf_common_vars(q->vars, f->vars);

			free(q->vars);
			q->vars = both;
			free(pp);
			return;
		}
	rp = provider_expansion_point(x->first, x->last, x->count);
	rp->is_return = x->is_return;
	rp->symbol = xstrdup(x->path);
	rp->offset = (unsigned long)off;
	rp->pp = pp;
	if (f->vars && x->is_return && f->return_type)
		rp->vars = xasprintf(" $return:%s%s", f->return_type, f->vars);
	else if (f->vars)
		rp->vars = xstrdup(f->vars);
	site = xcalloc(1, sizeof(*site));
	site->rp = rp;
	site->path = xstrdup(x->path);
	site->die = f->die;
	site->pc = f->probe_pc;
	site->probe_addr = pc;
	site->next = sites;
	sites = site;
	x->names = realloc(x->names, sizeof(*x->names) * (x->n_names + 1));
	if (!x->names)
		abort();
	x->names[x->n_names++] = xstrdup(f->name);
	x->last = rp;
	x->count++;
}

static int described(const struct expansion *x, const char *name)
{
	const char *part = strstr(name, ".part.");
	size_t len = part ? (size_t)(part - name) : strlen(name);
	int i;

	/* NAME.part.N, the outlined rest of a partially inlined NAME, has
	 * DWARF too (which SystemTap does not probe): not a symbol-only one */
	for (i = 0; i < x->n_names; i++)
		if (strncmp(x->names[i], name, len) == 0 && x->names[i][len] == 0)
			return 1;
	return 0;
}

/* NAME[@FILE[:LINE]] over the program's DWARF: the number of points, or
 * -1 (reported). */
static int resolve_with_dwarf(struct node *fcomp, const char *path, const char *pattern,
			      struct expansion *x)
{
	char *func = NULL, *file = NULL, err[512];
	int from = 0, to = 0, n, fd;

	if (dwarf_split_function_arg(pattern, &func, &file, &from, &to) != 0 ||
	    (x->is_statement && !from)) {
		diag_error("semantic error", &fcomp->arg->tok,
			   x->is_statement ? "'%s': expected FUNCTION@FILE:LINE (or :FROM-TO, :*)"
			   : "'%s': expected FUNCTION[@FILE[:LINE[-LINE]]]", pattern);
		free(func);
		free(file);
		return -1;
	}
	x->path = path;
	fd = open(path, O_RDONLY);
	elf_version(EV_CURRENT);
	x->elf = fd < 0 ? NULL : elf_begin(fd, ELF_C_READ, NULL);
	n = dwarf_match_functions(path, func, file, from, to, 0, x->is_statement, dwarf_listing() == 2, 0,
				  add_dwarf_function, x, err, sizeof(err));
	if (x->elf)
		elf_end(x->elf);
	x->elf = NULL;
	if (fd >= 0)
		close(fd);
	free(func);
	free(file);
	if (n < 0) {
		diag_error("semantic error", &fcomp->arg->tok, "%s", err);
		return -1;
	}
	return x->count;
}

static enum provider_match resolve_process(struct node *point, struct resolved_point *rp)
{
	struct node *comp = point->components, *fcomp = comp->next, *c;
	struct user_function *fs = NULL;
	struct resolved_point *last = NULL;
	const char *arg, *pattern, *suffix = "";
	char *path = NULL, err[PATH_MAX + 100];
	enum provider_match result = PROVIDER_ERROR;
	int n = 0, i, is_return = 0;
	struct expansion x = { .first = rp };
	struct resolved_point *pt;
	char *proc = NULL, *first_word = NULL;
	int64_t pid = 0;

	if (!fcomp || (strcmp(fcomp->str, "function") != 0 && strcmp(fcomp->str, "statement") != 0)) {
		char *text = probe_point_text(point);

		diag_error("semantic error", &point->tok,
			   "probe point '%s' is not supported yet (of user-space probes, only process(\"PATH\"|PID).function(\"NAME[@FILE[:LINE]]\") with .call, .return and .inline, .statement(\"NAME@FILE:LINE\"), process[(\"PATH\")].begin and .end, and process[(\"PATH\"|PID)].syscall[.return])",
			   text);
		free(text);
		return PROVIDER_ERROR;
	}
	if (!comp->arg) {
		/* process.function(...): the -c command's program, or -x's
		 * process, as SystemTap has it */
		if (!(pattern = provider_string_arg(fcomp)))
			return PROVIDER_ERROR;
		if (provider_target_command()) {
			arg = first_word = command_program(provider_target_command());
		} else if (provider_target_pid()) {
			pid = strtoll(provider_target_pid(), NULL, 10);
			arg = NULL;
		} else {
			diag_error("semantic error", &comp->tok,
				   "unspecified process probe is invalid without a -c COMMAND or -x PID");
			return PROVIDER_ERROR;
		}
	} else if (comp->arg->kind == N_NUMBER) {	/* process(PID): its program, that process only */
		if (!(pid = provider_process_pid(comp)) || !(pattern = provider_string_arg(fcomp)))
			return PROVIDER_ERROR;
		arg = NULL;
	} else if (!(arg = provider_string_arg(comp)) || !(pattern = provider_string_arg(fcomp))) {
		return PROVIDER_ERROR;
	}
	x.is_statement = strcmp(fcomp->str, "statement") == 0;
	for (c = fcomp->next; c; c = c->next) {
		if (x.is_statement) {
			diag_error("semantic error", &c->tok,
				   "'.%s' is not supported on statement probes", c->str);
			return PROVIDER_ERROR;
		}
		if (c->arg || c->next || (strcmp(c->str, "return") != 0 && strcmp(c->str, "call") != 0 &&
					  strcmp(c->str, "inline") != 0)) {
			diag_error("semantic error", &c->tok,
				   "'.%s' is not supported on process(...).function(...) (only .call, .return and .inline)",
				   c->str);
			return PROVIDER_ERROR;
		}
		is_return = strcmp(c->str, "return") == 0;
		x.is_call = strcmp(c->str, "call") == 0;
		x.is_inline = strcmp(c->str, "inline") == 0;
		suffix = is_return ? ".return" : x.is_call ? ".call" : ".inline";
	}
	x.suffix = suffix;
	x.is_return = is_return;
	path = pid ? provider_pid_program(comp->arg ? &comp->arg->tok : &comp->tok, pid, rp->optional)
		   : provider_program_or_error(arg, comp->arg ? &comp->arg->tok : &comp->tok, rp->optional);
	free(first_word);	/* arg is not used from here on */
	if (!path && pid)
		return rp->optional && provider_target_is_host() ? PROVIDER_SKIPPED : PROVIDER_ERROR;
	if (!path)
		return rp->optional ? PROVIDER_SKIPPED : PROVIDER_ERROR;
	arg = NULL;
	x.proc = proc = pid ? xasprintf("process(%lld)", (long long)pid) : xasprintf("process(\"%s\")", path);
	/* with DWARF its functions, as SystemTap lists them; then (no @FILE)
	 * the ELF symbols DWARF does not describe, placed by symbol */
	if (has_debuginfo(path)) {
		x.path = path;
		if (resolve_with_dwarf(fcomp, path, pattern, &x) < 0)
			goto out;
	} else if (strchr(pattern, '@') || x.is_statement) {
		diag_error("semantic error", &fcomp->arg->tok,
			   "'%s': %s needs the program's debuginfo (build it with -g); without it, name the function alone",
			   pattern, x.is_statement ? "a statement probe" : "FUNCTION@FILE");
		goto out;
	}
	if (!strchr(pattern, '@') && !x.is_statement) {
		n = match_functions(path, pattern, &fs, err, sizeof(err));
		if (n < 0) {
			diag_error("semantic error", comp->arg ? &comp->arg->tok : &comp->tok, "%s", err);
			n = 0;
			goto out;
		}
	}
	last = x.last;
	for (i = 0; i < n; i++) {
		struct resolved_point *q;

		if (x.is_inline || described(&x, fs[i].name))	/* symbols: no inlined copies */
			continue;
		q = provider_expansion_point(rp, last, x.count);
		q->is_return = is_return;
		q->symbol = xstrdup(path);
		q->offset = (unsigned long)fs[i].offset;
		q->pp = xasprintf("%s.function(\"%s\")%s", x.proc, fs[i].name, suffix);
		last = q;
		x.count++;
	}
	if (x.count == 0) {
		if (rp->optional) {
			result = PROVIDER_SKIPPED;
			goto out;
		}
		if (x.is_statement && dwarf_statement_miss())
			diag_error("semantic error", &fcomp->arg->tok, "%s", dwarf_statement_miss());
		else
			diag_error("semantic error", &fcomp->arg->tok, "no function of '%s' matches '%s'%s",
				   path, pattern, has_debuginfo(path) ? "" : " (its symbol table has none by that name)");
		goto out;
	}
	if (x.count > MAX_EXPANSION && !dwarf_listing()) {
		diag_error("semantic error", &fcomp->arg->tok,
			   "'%s' matches %d functions, more than the %d uprobes stapc places at once",
			   pattern, x.count, MAX_EXPANSION);
		goto out;
	}
	for (pt = rp, i = 0; pt && i < x.count; pt = pt->next, i++)
		pt->process_pid = pid;
	result = PROVIDER_RESOLVED;
out:
	free(proc);
	for (i = 0; i < n; i++)
		free(fs[i].name);
	free(fs);
	for (i = 0; i < x.n_names; i++)
		free(x.names[i]);
	free(x.names);
	free(path);
	return result;
}

static int bind_process_target(struct resolved_point *rp, struct node *target,
			       struct target_binding *out, char *err, size_t errlen)
{
	struct process_site *s = site_of(rp->entry_of ? rp->entry_of : rp);
	struct dwarf_access access[DWARF_MAX_ACCESS];
	int n, rc;

	if (!s) {
		snprintf(err, errlen,
			 "target variable '%s' at '%s': the program has no debuginfo (build it with -g); read arguments with register(), int_arg(N), pointer_arg(N) ..., the result with returnval()",
			 target->str, rp->pp);
		return -1;
	}
	if (target->kind == N_TARGET && !rp->is_return && !rp->entry_of && !target->members &&
	    (strcmp(target->str, "$$parms") == 0 || strcmp(target->str, "$$locals") == 0 ||
	     strcmp(target->str, "$$vars") == 0)) {
		out->type = TYPE_STRING;
		dwarf_globals_of_user_program(1);
		rc = dwarf_bind_pretty_vars(s->path, s->die, s->pc, target->str + 2, target->pretty,
					    NULL, &out->c_expr, err, errlen);
		dwarf_globals_of_user_program(0);
		goto done;
	}
	n = dwarf_fill_access(target, access, err, errlen);
	if (n < 0)
		return -1;
	out->type = target->pretty ? TYPE_STRING : TYPE_LONG;
	/* .return: $param from the registers saved at entry; elsewhere no
	 * DW_OP_entry_value (nothing saves registers before a call probe) */
	dwarf_globals_of_user_program(1);
	if (rp->entry_of)	/* an @entry(EXPR): at the function's entry */
		rc = dwarf_bind_variable(s->path, s->die, s->probe_addr, 0, target->str + 1, access, n,
					 target->addr_of, target->pretty, NULL, &out->c_expr, NULL,
					 err, errlen);
	else
		rc = dwarf_bind_variable(s->path, s->die, s->pc, rp->is_return, target->str + 1, access,
					 n, target->addr_of, target->pretty,
					 rp->is_return ? &s->entry : NULL, &out->c_expr, NULL, err, errlen);
	dwarf_globals_of_user_program(0);
	if (rc == -2)
		rc = -1;
done:
	if (rc != 0) {
		free(out->c_expr);
		out->c_expr = NULL;
		return -1;
	}
	return 0;
}

static void emit_uprobes(struct resolved_point **points, int n, struct emit_tables *out)
{
	int i;

	for (i = 0; i < n; i++) {
		const struct process_site *site = site_of(points[i]);
		char *var = xasprintf("stp_uprobe_probe_%d", i);
		int k;

		emit_probe_struct(out->decls, var, points[i]);
		free(var);
		if (!points[i]->is_return || !site || !site->entry.n)
			continue;
		/* the registers its $params are in when the function is entered */
		sb_printf(out->decls, "static const unsigned short stp_uprobe_entry_regs_%d[] = {", i);
		for (k = 0; k < site->entry.n; k++)
			sb_printf(out->decls, "%s offsetof(struct pt_regs, %s)", k ? "," : "",
				  site->entry.field[k]);
		sb_add(out->decls, " };\n");
	}
	sb_add(out->decls, "\nstatic struct stp_uprobe stp_uprobes[] = {\n");
	for (i = 0; i < n; i++) {
		const struct process_site *site = site_of(points[i]);
		int j;

		if (points[i]->entry_of)
			continue;	/* runs from its .return point's entry */

		sb_printf(out->decls, "\t{ .probe = &stp_uprobe_probe_%d, .path = ", i);
		sb_add_c_string(out->decls, points[i]->symbol);
		sb_printf(out->decls, ", .offset = %#lx, .is_return = %s%s", points[i]->offset,
			  points[i]->is_return ? "true" : "false",
			  points[i]->optional ? ", .optional = true" : "");
		if (points[i]->process_pid)
			sb_printf(out->decls, ", .pid = %lld", (long long)points[i]->process_pid);
		if (site)	/* for the load bias of globals' addresses */
			sb_printf(out->decls, ", .link_addr = %#llx", (unsigned long long)site->probe_addr);
		if (points[i]->is_return && site && site->entry.n)
			sb_printf(out->decls, ",\n\t  .entry_regs = stp_uprobe_entry_regs_%d, .n_entry = %d",
				  i, site->entry.n);
		for (j = 0; points[i]->is_return && j < n; j++)
			if (points[j]->entry_of == points[i])
				sb_printf(out->decls, ",\n\t  .entry_part = &stp_uprobe_probe_%d", j);
		sb_add(out->decls, " },\n");
	}
	sb_add(out->decls, "};\n\n");
	sb_add(out->groups, "\t{ \"process\", stp_uprobes_arm, stp_uprobes_disarm, stp_uprobes, ARRAY_SIZE(stp_uprobes) },\n");
}

static const char *const process_families[] = { "process", NULL };

static const char *const process_forms[] = {
	"process(number).function(string)", "process(number).function(string).call",
	"process(number).function(string).inline", "process(number).function(string).return",
	"process(number).statement(string)",
	"process(string).function(string)", "process(string).function(string).call",
	"process(string).function(string).inline", "process(string).function(string).return",
	"process(string).statement(string)", NULL,
};

const struct provider provider_process = {
	.name = "process", .families = process_families, .resolve = resolve_process,
	.emit = emit_uprobes, .bind_target = bind_process_target, .forms = process_forms,
};
