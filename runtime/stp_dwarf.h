/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_dwarf.h - what target variables at debuginfo probe points read:
 * registers of the probed context (the C stapc derives from DWARF
 * locations calls this; memory goes through stp_read_int).
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

#endif
