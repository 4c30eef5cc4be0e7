/* dwarf_funcs.c - find the functions a probe point names in a debug file
 * and what is visible where they would be probed.
 *
 * Speed matters (-L of one kernel function in well under a second on a
 * 600 MB vmlinux): C functions are top-level DIEs of their CU, so one pass
 * over each CU's top-level children with a name filter finds them; only
 * CUs that hold a matching inline function are walked in depth, for its
 * inlined instances.  Files are opened through libdwfl, which applies the
 * relocations of a module's .ko (ET_REL) to its DWARF. */
#define _GNU_SOURCE
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <fnmatch.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dwarf_info.h"
#include "dwarf_internal.h"
#include "util.h"

static struct debug_file *files;

static int no_separate_debuginfo(Dwfl_Module *mod, void **userdata, const char *modname,
				 Dwarf_Addr base, const char *file_name,
				 const char *debuglink_file, GElf_Word debuglink_crc,
				 char **debuginfo_file_name)
{
	(void)mod; (void)userdata; (void)modname; (void)base; (void)file_name;
	(void)debuglink_file; (void)debuglink_crc; (void)debuginfo_file_name;
	return -1;
}

static const Dwfl_Callbacks offline_callbacks = {
	.find_debuginfo = no_separate_debuginfo,
	.section_address = dwfl_offline_section_address,
};

struct debug_file *dwarf_open_file(const char *path, char *err, size_t errlen)
{
	struct debug_file *f;

	for (f = files; f; f = f->next)
		if (strcmp(f->path, path) == 0)
			return f;
	f = xcalloc(1, sizeof(*f));
	f->dwfl = dwfl_begin(&offline_callbacks);
	if (f->dwfl)
		f->mod = dwfl_report_offline(f->dwfl, "target", path, -1);
	if (f->mod) {
		dwfl_report_end(f->dwfl, NULL, NULL);
		f->dw = dwfl_module_getdwarf(f->mod, &f->bias);
	}
	if (!f->dw) {
		snprintf(err, errlen, "cannot read the DWARF of %s: %s", path, dwfl_errmsg(-1));
		if (f->dwfl)
			dwfl_end(f->dwfl);
		free(f);
		return NULL;
	}
	f->path = xstrdup(path);
	f->next = files;
	files = f;
	return f;
}

void dwarf_free(void)
{
	void dwarf_find_free(void);

	while (files) {
		struct debug_file *f = files;

		files = f->next;
		dwfl_end(f->dwfl);
		free(f->globals);
		free(f->parts);
		free(f->path);
		free(f);
	}
	dwarf_find_free();
	dwarf_cast_free();
	dwarf_globals_free();
}

/* ---- what a query asks --------------------------------------------------- */

struct query {
	const char *func, *file;
	char *file_suffix;		/* "*" "/" file: "open.c" matches "fs/open.c" */
	int line_from, line_to;
	int want_vars;
	int func_is_glob;		/* func has wildcards (else strcmp: faster) */
	size_t func_prefix;		/* its literal start ("tcp_" of "tcp_*"):
					 * strncmp turns most names away before
					 * fnmatch, which mallocs in UTF-8 locales */
	int is_kernel;			/* vmlinux, not a module */
	int statements;			/* statement probes: LINE is a line of the body */
	int want_symbol;		/* compiling: kprobes need symbol + offset */
	struct debug_file *df;
	void (*fn)(const struct dwarf_function *f, void *arg);
	void *arg;
	int count;
	/* abstract inline functions that matched in the current CU */
	Dwarf_Off *origins;
	int n_origins, cap_origins;
	/* statements: the matching instances of the current CU */
	struct dwarf_stmt_instance *stmts;
	int n_stmts, cap_stmts;
};

static int file_matches(struct query *q, const char *file)
{
	if (!q->file)
		return 1;
	if (!file)
		return 0;
	return fnmatch(q->file, file, 0) == 0 ||
	       (q->file_suffix && fnmatch(q->file_suffix, file, 0) == 0);
}

static int line_matches(struct query *q, int line)
{
	return !q->line_from || (line >= q->line_from && line <= q->line_to);
}

/* ---- prologue ------------------------------------------------------------ */

/* The address after the prologue, as SystemTap picks it: the line record
 * following the one at the entry address, unless the entry record already
 * marks the prologue end, moves to another file or line, or the next one
 * lies past the function; an address at or past highpc falls back to the
 * record before. */
static Dwarf_Addr after_prologue(Dwarf_Die *cu, Dwarf_Die *fn, Dwarf_Addr entry)
{
	Dwarf_Lines *lines;
	size_t n, lo = 0, hi, i, entry_idx;
	Dwarf_Addr highpc, addr;
	const char *decl_file = dwarf_decl_file(fn);
	int entry_line;

	if (dwarf_getsrclines(cu, &lines, &n) != 0 || n == 0 || dwarf_highpc(fn, &highpc) != 0)
		return entry;
	hi = n;
	while (lo < hi) {	/* first record at or after entry */
		size_t mid = (lo + hi) / 2;

		dwarf_lineaddr(dwarf_onesrcline(lines, mid), &addr);
		if (addr < entry)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == n)
		return entry;
	dwarf_lineaddr(dwarf_onesrcline(lines, lo), &addr);
	if (addr != entry)
		return entry;	/* no record at the entry: an inline copy */
	entry_idx = lo;
	dwarf_lineno(dwarf_onesrcline(lines, entry_idx), &entry_line);
	for (i = entry_idx; i < n; i++) {
		Dwarf_Line *l = dwarf_onesrcline(lines, i);
		const char *src = dwarf_linesrc(l, NULL, NULL);
		bool pe = false;
		int line;

		dwarf_lineaddr(l, &addr);
		dwarf_lineno(l, &line);
		dwarf_lineprologueend(l, &pe);
		if (addr >= highpc || pe || !decl_file || !src || strcmp(decl_file, src) != 0 ||
		    line != entry_line || i != entry_idx)
			break;
	}
	if (i == n)
		i = n - 1;
	dwarf_lineaddr(dwarf_onesrcline(lines, i), &addr);
	if (addr >= highpc && i > 0)
		dwarf_lineaddr(dwarf_onesrcline(lines, i - 1), &addr);
	return addr;
}

/* ---- variables ----------------------------------------------------------- */

int dwarf_visible_at(Dwarf_Die *var, Dwarf_Addr pc)
{
	Dwarf_Attribute attr;
	Dwarf_Op *expr;
	size_t len;

	if (!dwarf_attr_integrate(var, DW_AT_location, &attr))	/* folded to a constant? */
		return dwarf_hasattr_integrate(var, DW_AT_const_value);
	return dwarf_getlocation_addr(&attr, pc, &expr, &len, 1) > 0 && len > 0;
}

/* The function and the lexical blocks around pc, outermost first; inlined
 * copies of other functions are not entered.  Returns how many. */
int dwarf_scopes_at(Dwarf_Die *fn, Dwarf_Addr pc, Dwarf_Die *scopes)
{
	Dwarf_Die child;
	int n_scopes = 1, found;

	scopes[0] = *fn;
	do {
		found = 0;
		if (dwarf_child(&scopes[n_scopes - 1], &child) != 0)
			break;
		do {
			if (dwarf_tag(&child) == DW_TAG_lexical_block && dwarf_haspc(&child, pc) == 1 &&
			    n_scopes < DWARF_MAX_SCOPES) {
				scopes[n_scopes++] = child;
				found = 1;
				break;
			}
		} while (dwarf_siblingof(&child, &child) == 0);
	} while (found);
	return n_scopes;
}

/* Where -L looks again for a variable with no location at pc, as
 * SystemTap does (its PR15123 heuristic), or 0: a kernel built with
 * -mfentry starts each function with a 5-byte call to __fentry__ and GCC
 * may start the location lists after it, so at the entry of a function
 * (x86, the CU's producer naming -mfentry) 5 bytes further on. */
static Dwarf_Addr fentry_retry_pc(Dwarf_Die *fn, Dwarf_Addr pc)
{
	Dwarf_Die cu, child;
	Dwarf_Attribute attr;
	Dwarf_Addr entry;
	const char *producer;
	GElf_Ehdr eh;
	Elf *elf;

	if (!dwarf_diecu(fn, &cu, NULL, NULL) || !dwarf_attr(&cu, DW_AT_producer, &attr) ||
	    !(producer = dwarf_formstring(&attr)) || strncmp(producer, "GNU ", 4) != 0 ||
	    !strstr(producer, "-mfentry"))
		return 0;
	elf = dwarf_getelf(dwarf_cu_getdwarf(cu.cu));
	if (!elf || !gelf_getehdr(elf, &eh) || (eh.e_machine != EM_X86_64 && eh.e_machine != EM_386))
		return 0;
	if (dwarf_tag(fn) == DW_TAG_subprogram)	/* its own entry */
		return dwarf_entrypc(fn, &entry) == 0 && entry == pc ? pc + 5 : 0;
	/* an inlined copy: at the entry of the function it is in */
	if (dwarf_child(&cu, &child) != 0)
		return 0;
	do {
		if (dwarf_tag(&child) == DW_TAG_subprogram && dwarf_entrypc(&child, &entry) == 0 &&
		    entry == pc)
			return pc + 5;
	} while (dwarf_siblingof(&child, &child) == 0);
	return 0;
}

/* " $name:type" for the parameters and variables -L lists at pc, in DIE
 * order, each name once: like SystemTap, at function probes only the
 * function's own scope, not the lexical blocks within (their variables
 * can still be read); at statements (nested) the blocks around pc too. */
char *dwarf_variables_at(Dwarf_Die *fn, Dwarf_Addr pc, int with_types, int nested)
{
	Dwarf_Die scopes[DWARF_MAX_SCOPES], child;
	struct strbuf sb = { 0 };
	const char **seen = NULL;
	int n_scopes = 1, n_seen = 0, i, retry_known = 0;
	Dwarf_Addr retry = 0;

	scopes[0] = *fn;
	if (nested)	/* statements: the blocks around pc too, innermost first */
		n_scopes = dwarf_scopes_at(fn, pc, scopes);

	sb_add(&sb, "");
	for (i = n_scopes - 1; i >= 0; i--) {
		if (dwarf_child(&scopes[i], &child) != 0)
			continue;
		do {
			Dwarf_Attribute attr;
			Dwarf_Die type;
			const char *name;
			char tname[512];
			int k, dup = 0;

			if (dwarf_tag(&child) != DW_TAG_variable &&
			    dwarf_tag(&child) != DW_TAG_formal_parameter)
				continue;
			name = dwarf_diename(&child);
			if (!name)
				continue;
			for (k = 0; k < n_seen && !dup; k++)
				dup = strcmp(seen[k], name) == 0;
			if (dup)
				continue;
			seen = realloc(seen, sizeof(*seen) * (n_seen + 1));
			seen[n_seen++] = name;
			if (!dwarf_visible_at(&child, pc)) {
				if (!retry_known) {
					retry = fentry_retry_pc(fn, pc);
					retry_known = 1;
				}
				if (!retry || !dwarf_visible_at(&child, retry))
					continue;
			}
			if (dwarf_attr_integrate(&child, DW_AT_type, &attr) &&
			    dwarf_formref_die(&attr, &type))
				dwarf_type_name(&type, tname, sizeof(tname));
			else
				snprintf(tname, sizeof(tname), "void");
			if (with_types)
				sb_printf(&sb, " $%s:%s", name, tname);
			else
				sb_printf(&sb, " $%s", name);
		} while (dwarf_siblingof(&child, &child) == 0);
	}
	free(seen);
	return sb.buf;
}

/* ---- instances ------------------------------------------------------------- */

/* DW_AT_entry_pc/low_pc, or the start of the first range (functions
 * split into hot and cold parts have only ranges); 0 is a discarded copy */
static int entry_address(Dwarf_Die *die, Dwarf_Addr *entry)
{
	Dwarf_Addr base, end;

	if (dwarf_entrypc(die, entry) != 0 && dwarf_ranges(die, 0, &base, entry, &end) <= 0)
		return 0;
	return *entry != 0;
}

static int in_init_section(struct debug_file *df, Dwarf_Addr addr, int or_exit)
{
	Dwarf_Addr a = addr + df->bias, bias;
	Elf_Scn *scn = dwfl_module_address_section(df->mod, &a, &bias);
	Elf *elf = dwfl_module_getelf(df->mod, &bias);
	size_t shstrndx;
	GElf_Shdr sh;
	const char *name;

	if (!scn || !elf || elf_getshdrstrndx(elf, &shstrndx) != 0 || !gelf_getshdr(scn, &sh))
		return 0;
	name = elf_strptr(elf, shstrndx, sh.sh_name);
	return name && (strncmp(name, ".init.", 6) == 0 ||
			(or_exit && strncmp(name, ".exit.", 6) == 0));
}

static void fill_symbol(struct query *q, struct dwarf_function *f)
{
	GElf_Sym sym;
	GElf_Off off;

	f->symbol = dwfl_module_addrinfo(q->df->mod, f->probe_pc + q->df->bias, &off, &sym,
					 NULL, NULL, NULL);
	f->offset = off;
	/* module_init/module_exit alias the functions they name; the kernel
	 * knows them by their own names too */
	if (f->symbol && !f->is_inline && f->probe_pc - off == f->entry &&
	    (strcmp(f->symbol, "init_module") == 0 || strcmp(f->symbol, "cleanup_module") == 0))
		f->symbol = f->name;
}

/* kernel.statement("FUNC@FILE:LINE"): one probe found by dwarf_lines.c */
static void report_statement(const struct dwarf_stmt_instance *in, int line, Dwarf_Addr addr,
			     void *arg)
{
	struct query *q = arg;
	struct dwarf_function f = { 0 };
	Dwarf_Die die = in->die;
	char *vars = NULL;

	f.name = in->name;
	f.file = in->file;
	f.line = line;
	f.is_inline = in->is_inline;
	f.entry = in->entry;
	f.die = dwarf_dieoffset(&die);
	f.probe_pc = addr;
	if (q->want_symbol)
		fill_symbol(q, &f);
	if (q->want_vars)
		f.vars = vars = dwarf_variables_at(&die, f.probe_pc, 1, 1);
	q->fn(&f, q->arg);
	free(vars);
	q->count++;
}

/* statements: remember the instance until the CU's are all known (an
 * address is probed once per CU, see dwarf_lines.c) */
static void add_statement_instance(struct query *q, Dwarf_Die *die, Dwarf_Addr entry,
				   int is_inline, const struct dwarf_function *f)
{
	struct dwarf_stmt_instance *in;

	if (q->n_stmts == q->cap_stmts) {
		q->cap_stmts = q->cap_stmts ? 2 * q->cap_stmts : 16;
		q->stmts = realloc(q->stmts, q->cap_stmts * sizeof(*q->stmts));
		if (!q->stmts)
			abort();
	}
	in = &q->stmts[q->n_stmts++];
	in->die = *die;
	in->entry = entry;
	in->is_inline = is_inline;
	in->name = f->name;
	in->file = f->file;
	in->decl_line = f->line;
}

static void report(struct query *q, Dwarf_Die *cu, Dwarf_Die *die, int is_inline)
{
	struct dwarf_function f = { 0 };
	Dwarf_Addr entry;
	char *vars = NULL, return_type[512];

	if (is_inline == 2) {
		entry = 0;	/* -l of an inline function: its abstract DIE names it */
	} else if (!entry_address(die, &entry)) {
		return;		/* COMDAT leftovers and the like */
	} else if (q->is_kernel && in_init_section(q->df, entry, 1)) {
		return;		/* freed after boot: SystemTap does not list them */
	} else if (q->want_symbol && in_init_section(q->df, entry, 0)) {
		return;		/* a module's init code is gone once it is loaded */
	}
	f.name = dwarf_diename(die);
	/* the outlined part of a partially inlined function (NAME.part.0)
	 * is no entry to it; such a copy has an abstract origin */
	if (!is_inline && f.name && dwarf_hasattr(die, DW_AT_abstract_origin) &&
	    dwarf_is_part_clone(q->df, entry))
		return;
	f.file = dwarf_decl_file(die);
	if (dwarf_decl_line(die, &f.line) != 0)
		f.line = 0;
	if (q->statements) {
		if (f.name && f.file && file_matches(q, f.file))
			add_statement_instance(q, die, entry, is_inline != 0, &f);
		return;
	}
	if (!f.name || !file_matches(q, f.file) || !line_matches(q, f.line))
		return;
	f.is_inline = is_inline != 0;
	f.die = dwarf_dieoffset(die);
	f.entry = entry;
	f.probe_pc = is_inline ? entry : after_prologue(cu, die, entry);
	/* the symbol table costs a third of a second on vmlinux: only when
	 * a kprobe will be placed */
	if (q->want_symbol && is_inline != 2)
		fill_symbol(q, &f);
	if (q->want_vars) {
		Dwarf_Attribute attr;
		Dwarf_Die type;

		f.vars = vars = dwarf_variables_at(die, f.probe_pc, 1, 0);
		if (dwarf_attr_integrate(die, DW_AT_type, &attr) && dwarf_formref_die(&attr, &type)) {
			dwarf_type_name(&type, return_type, sizeof(return_type));
			f.return_type = return_type;
		}
	}
	q->fn(&f, q->arg);
	free(vars);
	q->count++;
}

/* Every DW_TAG_inlined_subroutine under die whose origin matched. */
static void walk_inlines(struct query *q, Dwarf_Die *cu, Dwarf_Die *die)
{
	Dwarf_Die child;

	if (dwarf_child(die, &child) != 0)
		return;
	do {
		int tag = dwarf_tag(&child);

		if (tag == DW_TAG_inlined_subroutine) {
			Dwarf_Attribute attr;
			Dwarf_Die origin;
			int k;

			if (dwarf_attr(&child, DW_AT_abstract_origin, &attr) &&
			    dwarf_formref_die(&attr, &origin))
				for (k = 0; k < q->n_origins; k++)
					if (q->origins[k] == dwarf_dieoffset(&origin)) {
						report(q, cu, &child, 1);
						break;
					}
		}
		if (tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine ||
		    tag == DW_TAG_lexical_block)
			walk_inlines(q, cu, &child);
	} while (dwarf_siblingof(&child, &child) == 0);
}

static void scan_cu(struct query *q, Dwarf_Die *cu)
{
	Dwarf_Die child;

	q->n_origins = 0;
	if (dwarf_child(cu, &child) != 0)
		return;
	do {
		const char *name;
		Dwarf_Attribute attr;
		Dwarf_Word inl;

		if (dwarf_tag(&child) != DW_TAG_subprogram)
			continue;
		name = dwarf_diename(&child);
		if (!name || (q->func_is_glob ? strncmp(q->func, name, q->func_prefix) != 0 ||
					       fnmatch(q->func, name, 0) != 0
			      : strcmp(q->func, name) != 0))
			continue;
		if (dwarf_attr(&child, DW_AT_inline, &attr)) {
			if (dwarf_formudata(&attr, &inl) == 0 &&
			    (inl == DW_INL_inlined || inl == DW_INL_declared_inlined)) {
				/* -l prints the same line for every copy: one will do */
				if (dwarf_listing() == 1 && !q->want_vars && !q->want_symbol && !q->statements) {
					report(q, cu, &child, 2);
					continue;
				}
				if (q->n_origins == q->cap_origins) {
					q->cap_origins = q->cap_origins ? 2 * q->cap_origins : 16;
					q->origins = realloc(q->origins,
							     q->cap_origins * sizeof(*q->origins));
				}
				q->origins[q->n_origins++] = dwarf_dieoffset(&child);
			}
			continue;
		}
		if (dwarf_hasattr(&child, DW_AT_declaration))
			continue;
		report(q, cu, &child, 0);
	} while (dwarf_siblingof(&child, &child) == 0);
	if (q->n_origins)
		walk_inlines(q, cu, cu);
	if (q->statements) {
		dwarf_statement_lines(cu, q->stmts, q->n_stmts, q->line_from, q->line_to,
				      report_statement, q);
		q->n_stmts = 0;
	}
}

/* 1 if path names the same file as the CU's name: "fs/open.c" and
 * "/build/linux/fs/open.c" do */
static int same_source(const char *path, const char *cu_name)
{
	size_t lp = strlen(path), lc = strlen(cu_name);
	const char *longer = lp > lc ? path : cu_name, *shorter = lp > lc ? cu_name : path;
	size_t ll = lp > lc ? lp : lc, ls = lp > lc ? lc : lp;

	return strcmp(longer + ll - ls, shorter) == 0 && (ll == ls || longer[ll - ls - 1] == '/');
}

/* 1 if every definition named q->func in this CU is declared in the CU's
 * own .c file: a static or global function of one .c file can be inlined
 * nowhere else (no LTO), so this CU holds all its copies.  A function of
 * a header may be inlined into any CU: then only the full walk will do. */
static int cu_alone_holds(struct query *q, Dwarf_Die *cu)
{
	const char *cu_name = dwarf_diename(cu);
	size_t n;
	Dwarf_Die child;
	int found = 0;

	if (!cu_name || (n = strlen(cu_name)) < 2 || strcmp(cu_name + n - 2, ".c") != 0 ||
	    dwarf_child(cu, &child) != 0)
		return 0;
	do {
		const char *name, *file;

		if (dwarf_tag(&child) != DW_TAG_subprogram || dwarf_hasattr(&child, DW_AT_declaration))
			continue;
		name = dwarf_diename(&child);
		if (!name || strcmp(name, q->func) != 0)
			continue;
		file = dwarf_decl_file(&child);
		if (!file || !same_source(file, cu_name))
			return 0;
		found = 1;
	} while (dwarf_siblingof(&child, &child) == 0);
	return found;
}

/* The fast way for a plain name: only the CUs the symbol table points at
 * (dwarf_symcu.c), when they alone can hold the function.  Returns 0 when
 * the full walk must be done instead (nothing reported yet): also when
 * those CUs report nothing, as "NAME@other.c" may name a static namesake
 * that is only inlined and so has no symbol.  Still missed: such a
 * namesake next to symbol-bearing copies, when no @FILE singles it out. */
static int scan_symbol_cus(struct query *q)
{
	Dwarf_Off *cus;
	Dwarf_Die *dies;
	int n = dwarf_symbol_cus(q->df, q->func, &cus), i, ok = n > 0;

	dies = xcalloc(n > 0 ? n : 1, sizeof(*dies));
	for (i = 0; i < n && ok; i++)
		ok = dwarf_offdie(q->df->dw, cus[i], &dies[i]) && cu_alone_holds(q, &dies[i]);
	for (i = 0; i < n && ok; i++)
		scan_cu(q, &dies[i]);
	free(dies);
	free(cus);
	return ok && q->count > 0;
}

int dwarf_match_functions(const char *path, const char *func, const char *file,
			  int line_from, int line_to, int is_kernel, int statements,
			  int want_vars, int want_symbol,
			  void (*fn)(const struct dwarf_function *f, void *arg), void *arg,
			  char *err, size_t errlen)
{
	struct query q = { .func = func, .file = file, .line_from = line_from,
			   .line_to = line_to, .want_vars = want_vars,
			   .want_symbol = want_symbol, .fn = fn, .arg = arg };
	Dwarf_Off off = 0, next;
	size_t header;

	dwarf_statement_miss_reset();
	q.df = dwarf_open_file(path, err, errlen);
	if (!q.df)
		return -1;
	q.is_kernel = is_kernel;
	q.func_is_glob = strpbrk(func, "*?[\\") != NULL;
	q.func_prefix = strcspn(func, "*?[\\");
	q.statements = statements;
	if (file && file[0] != '/' && file[0] != '*')
		q.file_suffix = xasprintf("*/%s", file);
	if (!q.func_is_glob && scan_symbol_cus(&q))
		goto done;
	while (dwarf_nextcu(q.df->dw, off, &next, &header, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu;

		if (dwarf_offdie(q.df->dw, off + header, &cu) &&
		    dwarf_tag(&cu) == DW_TAG_compile_unit)
			scan_cu(&q, &cu);
		off = next;
	}
done:
	free(q.file_suffix);
	free(q.origins);
	free(q.stmts);
	return q.count;
}
