/* modinfo.h - reading the .modinfo strings of a kernel module file. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef STAPR_MODINFO_H
#define STAPR_MODINFO_H

#include <stddef.h>

struct modinfo {
	char name[64];		/* "name=" value: the name the kernel will use */
	char release[128];	/* first word of "vermagic=" */
	size_t info_off, info_size;	/* the .modinfo section in the image */
	int has_tz;		/* takes _stp_tz_gmtoff/_stp_tz_name (tz_ctime()) */
};

/*
 * Fill *mi from the module image data[0..size).  Returns 0, or -1 when the
 * data is not a well-formed 64-bit relocatable ELF file carrying name= and
 * vermagic= in a .modinfo section.
 */
int modinfo_parse(const unsigned char *data, size_t size, struct modinfo *mi);

/*
 * Whether the module declares parameter name[0..len) (a "parmtype=" entry,
 * which every module_param() has).  '-' and '_' match each other, as in the
 * kernel.  With names == NULL nothing is printed; otherwise each declared
 * parameter name is appended to names (space-separated, truncated to fit).
 */
int modinfo_has_param(const unsigned char *data, const struct modinfo *mi,
		      const char *name, size_t len, char *names, size_t namesz);

#endif
