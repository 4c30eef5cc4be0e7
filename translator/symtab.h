/* symtab.h - the target kernel's function symbols, for expanding
 * kernel.function("tcp_*") and for -l, when there is no debuginfo. */
#ifndef STAPC_SYMTAB_H
#define STAPC_SYMTAB_H

#include <stddef.h>

/* Which kernel: the -r argument (NULL: the running kernel).  Set once by
 * the driver before pass 2; the table is read on first use. */
void symtab_set_target(const char *spec);

/*
 * Call fn(name, arg) for each probe-able text symbol matching the
 * shell-style pattern, in sorted order, each name once.  Returns the
 * number of matches, or -1 (after a message naming the files looked for)
 * when no symbol table for the target could be found.
 */
int symtab_match(const char *pattern, void (*fn)(const char *name, void *arg), void *arg);

/* 1 if the target has a probe-able function `name`, 0 if not, -1 if there
 * is no symbol table to tell (then the kernel decides at registration). */
int symtab_has(const char *name);

/* 1 if a function `name` of the target is global (System.map's 'T', what
 * SystemTap's .exported keeps), 0 if not, -1 without a symbol table. */
int symtab_is_global(const char *name);

void symtab_free(void);

#endif
