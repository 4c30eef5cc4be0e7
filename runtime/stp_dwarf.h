/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_dwarf.h - what target variables at debuginfo probe points read:
 * registers of the probed context (the C stapc derives from DWARF
 * locations calls this; memory goes through stp_read_int), and the
 * parameters saved at entry for .return probes.
 */
#ifndef STP_DWARF_H
#define STP_DWARF_H

#include <linux/stddef.h>

/* The register at byte offset `off` of struct pt_regs, or 0 with a script
 * error when the probe has no registers. */
static __maybe_unused int64_t stp_dwarf_reg(struct stp_context *c, size_t off, const char *where)
{
	struct pt_regs *regs = stp_regs(c, where);

	if (!regs)
		return 0;
	return (int64_t)*(const unsigned long *)((const char *)regs + off);
}

/* In a .return handler: the registers its kretprobe entry handler saved
 * (set around the handler by the generated return entry). */
static DEFINE_PER_CPU(unsigned long *, stp_dwarf_entry_values);

static __maybe_unused int64_t stp_dwarf_entry(struct stp_context *c, int slot, const char *where)
{
	unsigned long *saved = __this_cpu_read(stp_dwarf_entry_values);

	if (!saved) {
		stp_error(c, "no entry values saved for this .return probe", where);
		return 0;
	}
	return (int64_t)saved[slot];
}

#endif
