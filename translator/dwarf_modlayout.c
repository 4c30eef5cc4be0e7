/* dwarf_modlayout.c - where a kernel module's static data lands once the
 * module is loaded, relative to its struct module, for kernels whose
 * kallsyms do not list data symbols (no CONFIG_KALLSYMS_ALL, as Debian's
 * arm64 kernel): the generated module finds that struct module by the
 * module's name (its sysfs kobject) and adds the distance computed here.
 *
 * The loader lays the writable sections of a module (SHF_WRITE|SHF_ALLOC,
 * neither ".init*" nor made read-only after init) out one after another
 * in section-index order, each at its own alignment, and struct module
 * itself is one of them (.gnu.linkonce.this_module): so their distance
 * follows from the .ko's section headers alone.  Nothing here reads
 * the running kernel. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dwarf_info.h"
#include "util.h"

/* Sections the kernel leaves out of the loaded image or moves into the
 * read-only-after-init part (kernel/module/main.c, 6.1). */
static int not_writable_core(const char *name)
{
	static const char *const names[] = {
		".data..ro_after_init", "__jump_table", ".data..percpu", "__versions", ".modinfo",
	};
	size_t i;

	if (strncmp(name, ".init", 5) == 0)
		return 1;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return 1;
	return 0;
}

/* The offset of each writable core section in that part of the module,
 * -1 for the others; indexed by section. */
static long *writable_offsets(Elf *elf, size_t shstrndx, size_t nsec)
{
	long *off = xcalloc(nsec, sizeof(*off));
	unsigned long size = 0;
	size_t i;

	for (i = 0; i < nsec; i++) {
		Elf_Scn *scn = elf_getscn(elf, i);
		GElf_Shdr sh;
		const char *name;
		unsigned long align;

		off[i] = -1;
		if (!scn || !gelf_getshdr(scn, &sh))
			continue;
		name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!name || (sh.sh_flags & (SHF_WRITE | SHF_ALLOC)) != (SHF_WRITE | SHF_ALLOC) ||
		    (sh.sh_flags & SHF_EXECINSTR) || not_writable_core(name))
			continue;
		align = sh.sh_addralign ? sh.sh_addralign : 1;
		size = (size + align - 1) / align * align;
		off[i] = (long)size;
		size += sh.sh_size;
	}
	return off;
}

int dwarf_module_data_anchor(const char *path, const char *sym_name, uint64_t sym_off,
			     int64_t *delta)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = -1;
	Elf *elf = NULL;
	Elf_Scn *scn = NULL;
	size_t shstrndx, nsec, i;
	long *off = NULL;
	int64_t var = -1, mod = -1;

	if (fd < 0)
		return -1;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_getshdrstrndx(elf, &shstrndx) != 0 || elf_getshdrnum(elf, &nsec) != 0)
		goto out;
	off = writable_offsets(elf, shstrndx, nsec);
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *data;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || !sh.sh_entsize)
			continue;
		data = elf_getdata(scn, NULL);
		for (i = 0; data && i < sh.sh_size / sh.sh_entsize; i++) {
			GElf_Sym s;
			const char *name;

			if (!gelf_getsym(data, (int)i, &s) || s.st_shndx == SHN_UNDEF ||
			    s.st_shndx >= nsec || !(name = elf_strptr(elf, sh.sh_link, s.st_name)) || !*name)
				continue;
			/* the first of same-named statics, as a kallsyms lookup */
			if (var < 0 && strcmp(name, sym_name) == 0 && off[s.st_shndx] >= 0)
				var = off[s.st_shndx] + (int64_t)s.st_value + (int64_t)sym_off;
			if (mod < 0 && strcmp(name, "__this_module") == 0 && off[s.st_shndx] >= 0)
				mod = off[s.st_shndx] + (int64_t)s.st_value;
		}
	}
	if (var >= 0 && mod >= 0) {
		*delta = var - mod;
		rc = 0;
	}
out:
	free(off);
	if (elf)
		elf_end(elf);
	close(fd);
	return rc;
}
