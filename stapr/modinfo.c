/* modinfo.c - find name= and vermagic= in a kernel module's ELF image. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <elf.h>
#include <endian.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "modinfo.h"

/* The file comes from the user, so every offset is checked before use. */
static int in_bounds(size_t size, uint64_t off, uint64_t len)
{
	return off <= size && len <= size - off;
}

/* Copy the value of "key=" (up to the first space if first_word) into out. */
static int copy_value(const char *s, size_t n, const char *key, int first_word,
		      char *out, size_t outsz)
{
	size_t klen = strlen(key), i;

	if (n <= klen || memcmp(s, key, klen) != 0)
		return 0;
	s += klen;
	n -= klen;
	for (i = 0; i < n && s[i] && !(first_word && s[i] == ' '); i++)
		;
	if (i == 0 || i >= outsz)
		return -1;
	memcpy(out, s, i);
	out[i] = '\0';
	return 1;
}

int modinfo_parse(const unsigned char *data, size_t size, struct modinfo *mi)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)data;
	const Elf64_Shdr *sh;
	uint64_t shnum, shstrndx, i;
	const char *strtab;
	uint64_t strsz;
	int have_name = 0, have_vermagic = 0;

	memset(mi, 0, sizeof(*mi));
	if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_ident[EI_DATA] != (BYTE_ORDER == LITTLE_ENDIAN ? ELFDATA2LSB : ELFDATA2MSB) ||
	    eh->e_type != ET_REL || eh->e_shentsize != sizeof(Elf64_Shdr) ||
	    eh->e_shoff == 0 || eh->e_shoff % _Alignof(Elf64_Shdr) != 0 ||
	    !in_bounds(size, eh->e_shoff, sizeof(Elf64_Shdr)))
		return -1;
	sh = (const Elf64_Shdr *)(data + eh->e_shoff);

	/* Huge section counts live in section 0 (modules built with
	 * -ffunction-sections can get there). */
	shnum = eh->e_shnum ? eh->e_shnum : sh[0].sh_size;
	shstrndx = eh->e_shstrndx == SHN_XINDEX ? sh[0].sh_link : eh->e_shstrndx;
	if (shnum == 0 || shnum > (size - eh->e_shoff) / sizeof(Elf64_Shdr) ||
	    shstrndx >= shnum || sh[shstrndx].sh_type != SHT_STRTAB ||
	    !in_bounds(size, sh[shstrndx].sh_offset, sh[shstrndx].sh_size))
		return -1;
	strtab = (const char *)data + sh[shstrndx].sh_offset;
	strsz = sh[shstrndx].sh_size;

	for (i = 0; i < shnum; i++) {
		const char *p;
		uint64_t off, n;

		if (sh[i].sh_name >= strsz ||
		    strnlen(strtab + sh[i].sh_name, strsz - sh[i].sh_name) == strsz - sh[i].sh_name ||
		    strcmp(strtab + sh[i].sh_name, ".modinfo") != 0)
			continue;
		if (sh[i].sh_type == SHT_NOBITS || !in_bounds(size, sh[i].sh_offset, sh[i].sh_size))
			return -1;
		p = (const char *)data + sh[i].sh_offset;
		n = sh[i].sh_size;
		mi->info_off = sh[i].sh_offset;
		mi->info_size = n;
		/* A sequence of NUL-terminated "key=value" strings, maybe padded. */
		for (off = 0; off < n; ) {
			size_t len = strnlen(p + off, n - off);
			int r;

			if (len) {
				r = copy_value(p + off, len, "name=", 0, mi->name, sizeof(mi->name));
				if (r < 0)
					return -1;
				have_name |= r;
				r = copy_value(p + off, len, "vermagic=", 1, mi->release,
					       sizeof(mi->release));
				if (r < 0)
					return -1;
				have_vermagic |= r;
			}
			off += len + 1;
		}
		break;
	}
	if (!have_name || !have_vermagic)
		return -1;
	/* The name becomes part of a /proc path, so keep it to what modpost makes. */
	for (i = 0; mi->name[i]; i++)
		if (!isalnum((unsigned char)mi->name[i]) && mi->name[i] != '_' && mi->name[i] != '-')
			return -1;
	return 0;
}

static int same_param_char(char a, char b)
{
	return a == b || ((a == '-' || a == '_') && (b == '-' || b == '_'));
}

int modinfo_has_param(const unsigned char *data, const struct modinfo *mi,
		      const char *name, size_t len, char *names, size_t namesz)
{
	const char *p = (const char *)data + mi->info_off;
	size_t n = mi->info_size, off, used = 0;
	int found = 0;

	if (names && namesz)
		names[0] = '\0';
	for (off = 0; off < n; ) {
		size_t slen = strnlen(p + off, n - off), plen, i;
		const char *e = p + off, *colon;

		off += slen + 1;
		if (slen <= 9 || memcmp(e, "parmtype=", 9) != 0)
			continue;
		e += 9;
		/* bounded: the last entry need not be NUL-terminated */
		colon = memchr(e, ':', slen - 9);
		plen = colon ? (size_t)(colon - e) : slen - 9;
		if (plen == len) {
			for (i = 0; i < len && same_param_char(e[i], name[i]); i++)
				;
			found |= i == len;
		}
		/* the runtime's own (_stp_target) are not the script's globals */
		if (plen >= 5 && memcmp(e, "_stp_", 5) == 0)
			continue;
		if (names && used + plen + 2 < namesz)
			used += (size_t)sprintf(names + used, "%s%.*s", used ? " " : "", (int)plen, e);
	}
	return found;
}
