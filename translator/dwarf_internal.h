/* dwarf_internal.h - what the dwarf_*.c files share among themselves
 * (libdw types); the rest of stapc uses dwarf_info.h only. */
#ifndef STAPC_DWARF_INTERNAL_H
#define STAPC_DWARF_INTERNAL_H

#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>

struct strbuf;

/* One opened debug file (vmlinux or a .ko), kept until dwarf_free(). */
struct debug_file {
	char *path;
	Dwfl *dwfl;
	Dwfl_Module *mod;
	Dwarf *dw;
	Dwarf_Addr bias;
	/* dwarf_exports.c: the global function symbols, by address */
	struct global_function { uint64_t addr; const char *name; } *globals;
	int n_globals, globals_read;
	/* dwarf_symcu.c: the addresses of the NAME.part.N symbols, sorted */
	struct part_symbol { uint64_t addr; const char *name; } *parts;
	int n_parts, parts_read;
	struct debug_file *next;
};

struct debug_file *dwarf_open_file(const char *path, char *err, size_t errlen);

/* dwarf_symcu.c: the CUs (offsets, ascending, malloc'd in *cus) that the
 * symbol table's NAME and NAME.clone functions fall in; how many */
int dwarf_symbol_cus(struct debug_file *df, const char *name, Dwarf_Off **cus);
/* 1 if a symbol at entry is a NAME.part.N: GCC's outlined rest of a
 * partially inlined NAME, which SystemTap does not probe as NAME */
int dwarf_is_part_clone(struct debug_file *df, Dwarf_Addr entry);

/* dwarf_lines.c: kernel.statement("F@FILE:LINES") in one CU.  Each
 * function instance (out-of-line body or inlined copy) matching F, in
 * the order SystemTap takes them (bodies, then inlined copies);
 * fn(instance, line, address, arg) for each statement probe, in
 * SystemTap's order.  Lines line_from..line_to, or 1..DWARF_LINE_ANY
 * for ":*". */
struct dwarf_stmt_instance {
	Dwarf_Die die;
	Dwarf_Addr entry;
	int is_inline;
	const char *name, *file;	/* file: its DW_AT_decl_file */
	int decl_line;
};
typedef void (*dwarf_stmt_fn)(const struct dwarf_stmt_instance *in, int line, Dwarf_Addr addr,
			      void *arg);
void dwarf_statement_lines(Dwarf_Die *cu, const struct dwarf_stmt_instance *in, int n_in,
			   int line_from, int line_to, dwarf_stmt_fn fn, void *arg);

void dwarf_statement_miss_reset(void);

#define DWARF_MAX_SCOPES 64
int dwarf_scopes_at(Dwarf_Die *fn, Dwarf_Addr pc, Dwarf_Die *scopes);
int dwarf_visible_at(Dwarf_Die *var, Dwarf_Addr pc);
char *dwarf_variables_at(Dwarf_Die *fn, Dwarf_Addr pc, int with_types, int nested);

/* Where a value is: in memory at the address `expr` gives, or the value
 * itself (a register, an implicit or computed value), or in pieces
 * (DW_OP_piece: parts of one object in different registers, memory or
 * computed).  A zeroed place is memory. */
enum value_kind {
	VALUE_REGISTER,		/* expr reads a register of the probed context */
	VALUE_COMPUTED,		/* DW_OP_stack_value: computed, not stored anywhere */
	VALUE_CONSTANT,		/* DW_OP_implicit_value, DW_AT_const_value */
};

struct place_piece;

struct place {
	int is_value;
	enum value_kind kind;	/* with is_value */
	char *expr;
	int n_pieces;		/* > 0: the object is pieces[], expr is NULL */
	struct place_piece *pieces;
};

struct place_piece {
	int size;		/* bytes */
	int missing;		/* optimized out: an empty DW_OP_piece */
	struct place at;
};

/* dwarf_place.c: copying and freeing places; the part [off, off+size) of
 * an object (a member or an element) wherever it is; the first `size`
 * bytes (at most 8) as an unsigned C value; whether any part is missing,
 * and SystemTap's words for why a place has no address (NULL: memory). */
void place_free(struct place *p);
struct place place_copy(const struct place *p);
void place_slice(struct place *p, uint64_t off, int size);
char *place_load_unsigned(const struct place *p, int size);
int place_missing(const struct place *p);
const char *place_no_address(const struct place *p);

/* Binding one target variable at one address; err gets the message. */
struct binder {
	struct debug_file *df;
	Dwarf_Addr pc;
	char *err;
	size_t errlen;
	/* DW_OP_entry_value(DW_OP_regN): a C expression for register N's
	 * value at the function's entry, NULL with err set; when there is
	 * no way (entry_values NULL), wants_entry_value is set */
	char *(*entry_values)(struct binder *b, unsigned int regno);
	void *entry_arg;
	int wants_entry_value;
	/* the DW_AT_location being evaluated: libdw finds the blocks of
	 * DW_OP_implicit_value and DW_OP_entry_value through it */
	Dwarf_Attribute *attr;
};

/* dwarf_vars.c: the type of a DIE with typedefs and qualifiers stripped
 * (0: void), a type's size (-1: unknown), a place's value as a C long */
int dwarf_type_of(Dwarf_Die *die, Dwarf_Die *type);
int dwarf_byte_size(Dwarf_Die *t);
char *dwarf_load_place(struct place *p, Dwarf_Die *t);
/* follow ->member / [N] from place p of type t; then the long value */
/* dwarf_vars.c: the message of a failed binding, in b->err; returns -1 */
int dwarf_fail(struct binder *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* b->entry_values for a binding whose DW_OP_entry_value registers are
 * saved at the function's entry (b->entry_arg: the struct dwarf_entry_regs) */
char *dwarf_saved_at_entry(struct binder *b, unsigned int regno);
/* Where variable var is at b->pc (its location there, or its constant) */
int dwarf_var_place(struct binder *b, Dwarf_Die *var, Dwarf_Die *fn, struct place *p);
int dwarf_walk_access(struct binder *b, struct place *p, Dwarf_Die *t, const char *name,
		      const struct dwarf_access *access, int n_access);
int dwarf_finish(struct binder *b, struct place *p, Dwarf_Die *t, int has_type, const char *name,
		 int addr_of, char **c_expr);

/* dwarf_cast.c: a struct/union declaration completed from another CU */
int dwarf_complete_type(struct debug_file *df, Dwarf_Die *t);

/* dwarf_globals.c: the C address of link-time address addr (a symbol
 * looked up at start, plus an offset); a global variable by name */
char *dwarf_addr_expr(struct debug_file *df, uint64_t addr, char *err, size_t errlen);

/* dwarf_modlayout.c: for static data symbol `sym` (+ sym_off) of the kernel
 * module file at path, its distance from the loaded module's struct module;
 * 0, or -1 when the file does not tell. */
int dwarf_module_data_anchor(const char *path, const char *sym, uint64_t sym_off,
			     int64_t *delta);
int dwarf_find_global(struct debug_file *df, const char *name, const char *file, Dwarf_Die *prefer,
		      Dwarf_Die *out);

/* dwarf_pretty.c: C statements appending the value at p (of type t) to
 * the struct stp_pp named stp_pp, SystemTap's $var$ (pretty 1) or
 * $var$$ (pretty 2) format; *n_base counts the stp_pp_b[] temporaries. */
void dwarf_pretty_value(struct debug_file *df, struct place *p, Dwarf_Die *t, int has_type,
			int pretty, struct strbuf *code, int *n_base);
void dwarf_pretty_text(struct strbuf *code, const char *s);
/* The C expression around such statements: fills $T, gives $T. */
char *dwarf_pretty_wrap(const char *code, int n_base);

#endif
