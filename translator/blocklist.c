/* blocklist.c - the kernel functions that kernel.function(...) and
 * module(...).function(...) leave out of every match, as SystemTap does
 * with its own list: probing them either recurses through what a probe
 * handler itself runs, or runs in the middle of the trap handling that
 * kprobes are made of.  The kernel refuses what is marked NOKPROBE; these
 * are the functions it would accept where a probe still does harm or
 * tells nothing.  kprobe.function("NAME") is not filtered: it is the form
 * that asks for exactly that symbol.
 *
 * The patterns are shell patterns (fnmatch), matched against the
 * function's DWARF or symbol-table name. */
#include "blocklist.h"

#include <fnmatch.h>
#include <stddef.h>

static const char *const blocked[] = {
	/* Locks: a handler takes spinlocks and RCU read locks of its own,
	 * so a probe on them would fire inside its own handler (a skipped
	 * probe at best), and each of them is hit on every path there is. */
	"*spin_lock*", "*spin_unlock*", "*spin_trylock*", "*spin_is_locked*",
	"*read_lock*", "*read_unlock*", "*read_trylock*",
	"*write_lock*", "*write_unlock*", "*write_trylock*",
	"*write_seqlock*", "*write_sequnlock*",
	/* Atomic operations (SystemTap refuses the whole atomic_ prefix,
	 * atomic_open included; scripts that name them get the same answer
	 * from both). */
	"atomic_*",
	/* The traps, faults and NMIs a kprobe or a handler's fault-tolerant
	 * read goes through, and the notifier chains they call. */
	"do_int3", "exc_int3", "do_debug", "exc_debug", "exc_debug_*",
	"do_page_fault", "exc_page_fault", "do_trap", "do_general_protection",
	"exc_general_protection", "default_do_nmi", "exc_nmi", "unknown_nmi_error",
	"io_check_error", "mem_parity_error", "notifier_call_chain",
	"__die", "oops_begin", "oops_end", "sync_regs",
	/* The context switch itself. */
	"__switch_to", "__switch_to_asm",
};

int kernel_function_blocked(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(blocked) / sizeof(blocked[0]); i++)
		if (fnmatch(blocked[i], name, 0) == 0)
			return 1;
	return 0;
}
