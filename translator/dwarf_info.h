/* dwarf_info.h - the target's debuginfo, read with libdw: where it is, which
 * functions a probe point names, what their variables are.  The only
 * interface to dwarf_*.c; nothing else includes libdw's headers. */
#ifndef STAPC_DWARF_H
#define STAPC_DWARF_H

#include <stddef.h>
#include <stdint.h>

struct string_list;

struct options;

/* Which kernel (-r), the extra --debuginfo-path directories, and whether
 * -L wants variables.  Set once by the driver before pass 2. */
void dwarf_set_target(const struct options *opts);
/* 0 compiling, 1 listing (-l), 2 listing with variables (-L) */
int dwarf_listing(void);

/* The file with the kernel's DWARF, or NULL; then `looked` (if not NULL)
 * gets the places looked at, for messages. */
const char *dwarf_kernel_file(char *looked, size_t looked_len);

/* The .ko with DWARF for module `name` (a name, or a path to a .ko), or
 * NULL with `looked` filled as above. */
const char *dwarf_module_file(const char *name, char *looked, size_t looked_len);

/* One probe-able instance of a function: an out-of-line body, or an
 * inlined copy. */
struct dwarf_function {
	const char *name;
	const char *file;	/* DW_AT_decl_file, as the compiler wrote it */
	int line;		/* DW_AT_decl_line */
	int is_inline;		/* an inlined instance (no kprobe by symbol) */
	uint64_t entry;		/* entry address, in the debug file */
	uint64_t probe_pc;	/* after the prologue (entry for inlines) */
	const char *symbol;	/* ELF symbol containing probe_pc, or NULL */
	uint64_t offset;	/* probe_pc - symbol's address */
	const char *vars;	/* " $a:int $b:char*" visible at probe_pc (want_vars) */
	uint64_t die;		/* the function's DIE offset, for dwarf_bind_variable */
	const char *return_type;	/* (want_vars) its result type, NULL for void */
};

/* The last line of FILE:*, the lines from 1 to this */
#define DWARF_LINE_ANY (1 << 30)

/* Call fn for every function instance of the debug file `path` whose name
 * matches the shell pattern `func`, whose file matches `file` (NULL: any)
 * and whose declaration is on lines [line_from, line_to] (0: any).  With
 * `statements`, instead once per statement probe of lines [line_from,
 * line_to] inside each such instance, as dwarf_lines.c picks them (line
 * and file then name the statement, probe_pc its address).
 * Returns the number of calls, -1 if the file cannot be read (message
 * in err).  want_symbol: fill symbol and offset (costs reading the ELF
 * symbol table). */
int dwarf_match_functions(const char *path, const char *func, const char *file,
			  int line_from, int line_to, int is_kernel, int statements,
			  int want_vars, int want_symbol,
			  void (*fn)(const struct dwarf_function *f, void *arg), void *arg,
			  char *err, size_t errlen);

/* After a statement query of one line that matched functions but no
 * line records: SystemTap's message for it ("no line records for
 * FILE:LINE (try :N)"), else NULL. */
const char *dwarf_statement_miss(void);

/* The direct calls made by the function at DIE caller_die of `path`
 * (its inlined parts included, tail calls not) to functions whose name
 * matches the shell pattern: fn(callee name, return address in the debug
 * file) for each.  Returns how many, -1 with a message in err. */
int dwarf_call_sites(const char *path, uint64_t caller_die, const char *pattern,
		     void (*fn)(const char *callee, uint64_t return_pc, void *arg), void *arg,
		     char *err, size_t errlen);

/* -L of a point with several copies (an out-of-line body and inlined
 * copies, a statement in each inlined copy) lists, as SystemTap does,
 * the variables they all have: those of the list a (" $x:int $y:long")
 * that b has too, in a's order (malloc'd; NULL if a or b is NULL). */
char *dwarf_common_vars(const char *a, const char *b);

/* "NAME[@FILE[:LINE[-LINE|:*]]]" split (provider_dwarf.c): file NULL
 * and lines 0 when absent; -1 when misspelt.  func and file are malloc'd. */
int dwarf_split_function_arg(const char *arg, char **func, char **file, int *line_from,
			     int *line_to);

/* 1 if the function instance `name` of debug file `path` entered at
 * `entry` is what SystemTap's .exported keeps: a global or weak symbol of
 * that name is there. */
int dwarf_function_exported(const char *path, const char *name, uint64_t entry);

/* SystemTap's spelling of a DWARF type ("char const*", "struct {...}"),
 * written to buf; internal to dwarf_*.c (the die is a Dwarf_Die *). */
void dwarf_type_name(void *type_die, char *buf, size_t len);

/* A target variable's access path: "->name" / ".name" members and
 * "[N]" or "[expr]" subscripts, in order. */
struct dwarf_access {
	const char *member;	/* NULL for a subscript */
	int64_t index;
	int index_slot;		/* >= 0: the index is the script expression
				 * $I<slot> of the template, not `index` */
};

/* The registers a probe point saves at its function's entry: a .return
 * probe's parameters, DW_OP_entry_value at other probes.  The C that
 * reads register field[k] reads slot k; binding adds what it needs. */
#define DWARF_MAX_ENTRY_REGS 8
struct dwarf_entry_regs {
	const char *field[DWARF_MAX_ENTRY_REGS];	/* pt_regs fields */
	int n;
};

/* $name's ->member and [N] chain of the N_TARGET target, as
 * dwarf_bind_variable takes it (provider_dwarf.c): the number of steps,
 * at most DWARF_MAX_ACCESS, or -1 with a message (also for targets no
 * debuginfo provider binds this way: $$vars, a string's address). */
#define DWARF_MAX_ACCESS 16
struct node;
int dwarf_fill_access(struct node *target, struct dwarf_access *access, char *err, size_t errlen);

/* Bind $name (with its access path; addr_of for a leading '&') at the
 * function instance `die` of `path`, probed at pc (after the prologue) or
 * at its return.  On success returns 0 with *c_expr (malloc'd) a C
 * expression of the builtin template language ($W: the error location)
 * giving a long; every memory read is fault tolerant.  Returns -1 with a
 * message (SystemTap's shape, with the alternatives) otherwise.  In a
 * .return probe, a parameter is its value at entry, and elsewhere a value
 * DW_OP_entry_value describes: both read registers saved at entry, added
 * to `entry` (NULL: none can be; then such a value is not accessible).
 * -2: a .return probe's parameter is not one register at entry.
 * pretty 1 or 2: $name$ or $name$$, a C expression filling the string
 * temporary $T in SystemTap's format instead.  c_store (may be NULL):
 * how guru mode writes it (a template storing $V), NULL if it cannot. */
int dwarf_bind_variable(const char *path, uint64_t die, uint64_t pc, int is_return,
			const char *name, const struct dwarf_access *access, int n_access,
			int addr_of, int pretty, struct dwarf_entry_regs *entry,
			char **c_expr, char **c_store, char *err, size_t errlen);

/* The entry address (in the debug file) of the function whose frame pc
 * is in (for an inlined copy, the function it was inlined into): where a
 * kprobe saves the registers DW_OP_entry_value needs. */
int dwarf_frame_entry(const char *path, uint64_t die, uint64_t pc, uint64_t *entry,
		      char *err, size_t errlen);

/* $$parms, $$locals or $$vars (which: "parms", "locals", "vars") at the
 * same place: a C expression filling the string temporary $T with
 * "name=0x.. name={...} ..." (pretty 0), or each variable as $name$
 * (pretty 1) or $name$$ (pretty 2) prints it.  entry as for
 * dwarf_bind_variable (NULL: values known only at entry print "?"). */
int dwarf_bind_pretty_vars(const char *path, uint64_t die, uint64_t pc, const char *which,
			   int pretty, struct dwarf_entry_regs *entry, char **c_expr, char *err,
			   size_t errlen);

/* @cast(ptr, "type" [, "module"]) with its access path: module NULL or
 * "kernel", a module name, or "kernel<HEADER>" (compiled here); the C
 * expression reads through $P, the pointer.  -1 with a message. */
int dwarf_bind_cast(const char *type, const char *module,
		    const struct dwarf_access *access, int n_access, int addr_of, int pretty,
		    char **c_expr, char *err, size_t errlen);
/* @var("name[@file]" [, "module"]) with its access path, as dwarf_bind_cast */
int dwarf_bind_atvar(const char *name, const char *module,
		     const struct dwarf_access *access, int n_access, int addr_of, int pretty,
		     char **c_expr, char *err, size_t errlen);
/* the slot K of symbol "sym" or "module:sym" in that table (added when
 * new): the running kernel's address is stp_dwarf_sym_addr[K] */
int dwarf_symbol_slot(const char *name);
/* the table of symbols global variables need, and the program's hook
 * that looks them up at start (nothing when none is used) */
struct strbuf;
void dwarf_emit_symbols(struct strbuf *decls, struct strbuf *program);
void dwarf_globals_free(void);

/* While on, variables bind as the user memory of the program a uprobe is
 * in: every read is stp_read_int's user form, and global and static
 * variables are their DWARF address + the load bias the handler computes
 * (runtime/stp_uprobe.h), no kernel symbol lookup. */
void dwarf_globals_of_user_program(int on);
/* stp_read_int's `user` argument for the binding in progress */
const char *dwarf_user_memory(void);
/* -r as given (NULL: the running kernel) */
const char *dwarf_target_spec(void);

void dwarf_cast_free(void);	/* dwarf_cast.c's caches and header builds */
void dwarf_free(void);
void provider_dwarf_free(void);	/* provider_dwarf.c's table of probe sites */
void provider_process_free(void);	/* provider_process.c's, for programs with DWARF */

#endif
