/* dwarf_find.c - where the target's debuginfo is: --debuginfo-path
 * directories, the build tree given with -r, Debian's -dbg layout under
 * /usr/lib/debug (boot/vmlinux-RELEASE, lib/modules/RELEASE/...), and
 * build-id paths.  A file counts only if it really carries .debug_info
 * (Debian's /boot and module trees are stripped). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <ftw.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "dwarf_info.h"
#include "options.h"
#include "target.h"
#include "util.h"

#define DEBUG_ROOT "/usr/lib/debug"

static const char *target_spec;
static const struct string_list *extra_dirs;
static char *release, *build_dir;
static char *kernel_file;
static int kernel_searched;

static int listing;

void dwarf_set_target(const struct options *opts)
{
	target_spec = opts->target;
	extra_dirs = &opts->debuginfo_dirs;
	listing = !opts->list_point ? 0 : opts->list_vars ? 2 : 1;
}

const char *dwarf_target_spec(void)
{
	return target_spec;
}

int dwarf_listing(void)
{
	return listing;
}

static void learn_target(void)
{
	struct target t;
	struct utsname host;

	if (release)
		return;
	if (target_resolve_quiet(target_spec, &t) == 0) {
		release = xstrdup(t.release);
		build_dir = xstrdup(t.build_dir);
		target_free(&t);
		return;
	}
	uname(&host);
	release = xstrdup(target_spec && !strchr(target_spec, '/') ? target_spec : host.release);
}

/* 1 if path is an ELF file with a .debug_info section that has contents */
static int has_dwarf(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), found = 0;
	Elf *elf;
	Elf_Scn *scn = NULL;
	size_t shstrndx;

	if (fd < 0)
		return 0;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (elf && elf_getshdrstrndx(elf, &shstrndx) == 0) {
		while (!found && (scn = elf_nextscn(elf, scn))) {
			GElf_Shdr sh;
			const char *name;

			if (!gelf_getshdr(scn, &sh))
				continue;
			name = elf_strptr(elf, shstrndx, sh.sh_name);
			found = name && strcmp(name, ".debug_info") == 0 &&
				sh.sh_type != SHT_NOBITS && sh.sh_size > 0;
		}
	}
	if (elf)
		elf_end(elf);
	close(fd);
	return found;
}

static void note_looked(char *looked, size_t len, const char *path)
{
	size_t used;

	if (!looked || !len)
		return;
	used = strlen(looked);
	snprintf(looked + used, len - used, "%s%s", used ? ", " : "", path);
}

/* Try one candidate; keep it when it has DWARF. */
static int try_file(char **found, const char *path, char *looked, size_t len)
{
	note_looked(looked, len, path);
	if (!has_dwarf(path))
		return 0;
	*found = xstrdup(path);
	return 1;
}

/* The running kernel's build-id, from /sys/kernel/notes, as hex; only
 * when the target is the running kernel. */
static char *host_build_id(void)
{
	struct utsname host;
	unsigned char buf[4096];
	ssize_t n;
	size_t off = 0;
	int fd;

	uname(&host);
	if (strcmp(host.release, release) != 0)
		return NULL;
	fd = open("/sys/kernel/notes", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	while (n > 0 && off + 12 <= (size_t)n) {
		uint32_t namesz, descsz, type;

		memcpy(&namesz, buf + off, 4);
		memcpy(&descsz, buf + off + 4, 4);
		memcpy(&type, buf + off + 8, 4);
		off += 12;
		if (off + ((namesz + 3) & ~3u) + descsz > (size_t)n)
			break;
		if (type == NT_GNU_BUILD_ID && namesz == 4 && memcmp(buf + off, "GNU", 4) == 0) {
			const unsigned char *d = buf + off + 4;
			char *hex = xmalloc(descsz * 2 + 1);
			uint32_t i;

			for (i = 0; i < descsz; i++)
				sprintf(hex + 2 * i, "%02x", d[i]);
			return hex;
		}
		off += ((namesz + 3) & ~3u) + ((descsz + 3) & ~3u);
	}
	return NULL;
}

const char *dwarf_kernel_file(char *looked, size_t looked_len)
{
	char *p, *id;
	int i, found = 0;

	if (looked && looked_len)
		looked[0] = 0;
	if (kernel_searched && (kernel_file || !looked))
		return kernel_file;
	kernel_searched = 1;
	learn_target();
	for (i = 0; extra_dirs && i < extra_dirs->n && !found; i++) {
		const char *dir = extra_dirs->items[i];
		const char *forms[] = { "%s/vmlinux-%s", "%s/vmlinux", "%s/boot/vmlinux-%s",
					"%s" DEBUG_ROOT "/boot/vmlinux-%s" };
		unsigned int k;

		for (k = 0; k < sizeof(forms) / sizeof(forms[0]) && !found; k++) {
			p = xasprintf(forms[k], dir, release);
			found = try_file(&kernel_file, p, looked, looked_len);
			free(p);
		}
	}
	if (!found && build_dir) {
		p = xasprintf("%s/vmlinux", build_dir);
		found = try_file(&kernel_file, p, looked, looked_len);
		free(p);
	}
	if (!found) {
		p = xasprintf(DEBUG_ROOT "/boot/vmlinux-%s", release);
		found = try_file(&kernel_file, p, looked, looked_len);
		free(p);
	}
	if (!found) {
		p = xasprintf(DEBUG_ROOT "/lib/modules/%s/vmlinux", release);
		found = try_file(&kernel_file, p, looked, looked_len);
		free(p);
	}
	id = found ? NULL : host_build_id();
	if (id) {
		p = xasprintf(DEBUG_ROOT "/.build-id/%.2s/%s.debug", id, id + 2);
		try_file(&kernel_file, p, looked, looked_len);
		free(p);
		free(id);
	}
	return kernel_file;
}

/* ---- modules ------------------------------------------------------------ */

static const char *walk_want;	/* "name.ko", with '-' as '_' */
static char *walk_found;

static int same_module_name(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (*a != *b && !((*a == '-' || *a == '_') && (*b == '-' || *b == '_')))
			return 0;
	return *a == *b;
}

static int walk_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	if (flag != FTW_F || !same_module_name(path + ftw->base, walk_want))
		return 0;
	if (!has_dwarf(path))
		return 0;
	walk_found = xstrdup(path);
	return 1;
}

static char *search_tree(const char *dir, const char *ko, char *looked, size_t len)
{
	struct stat st;

	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		note_looked(looked, len, dir);
		return NULL;
	}
	note_looked(looked, len, dir);
	walk_want = ko;
	walk_found = NULL;
	nftw(dir, walk_one, 16, FTW_PHYS);
	return walk_found;
}

static struct found_module {
	char *name, *path;
	struct found_module *next;
} *found_modules;

const char *dwarf_module_file(const char *name, char *looked, size_t looked_len)
{
	struct found_module *m;
	char *ko, *p, *path = NULL;
	int i;

	if (looked && looked_len)
		looked[0] = 0;
	for (m = found_modules; m; m = m->next)
		if (strcmp(m->name, name) == 0)
			return m->path;
	learn_target();
	if (strchr(name, '/')) {
		note_looked(looked, looked_len, name);
		path = has_dwarf(name) ? xstrdup(name) : NULL;
	} else {
		ko = xasprintf("%s.ko", name);
		for (i = 0; extra_dirs && i < extra_dirs->n && !path; i++)
			path = search_tree(extra_dirs->items[i], ko, looked, looked_len);
		if (!path) {
			p = xasprintf(DEBUG_ROOT "/lib/modules/%s", release);
			path = search_tree(p, ko, looked, looked_len);
			free(p);
		}
		free(ko);
	}
	if (!path)
		return NULL;
	m = xcalloc(1, sizeof(*m));
	m->name = xstrdup(name);
	m->path = path;
	m->next = found_modules;
	found_modules = m;
	return path;
}

void dwarf_find_free(void)
{
	while (found_modules) {
		struct found_module *m = found_modules;

		found_modules = m->next;
		free(m->name);
		free(m->path);
		free(m);
	}
	free(kernel_file);
	free(release);
	free(build_dir);
	kernel_file = release = build_dir = NULL;
	kernel_searched = 0;
}
