/* target.c - find the build tree and release for -r RELEASE|BUILD_DIR. */
#include "target.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "util.h"

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* UTS_RELEASE from include/generated/utsrelease.h: what modules built
 * here are stamped with (vermagic). */
static char *read_release(const char *build_dir)
{
	char *path = xasprintf("%s/include/generated/utsrelease.h", build_dir);
	char *text = read_file_text(path), *p, *end, *release = NULL;

	free(path);
	if (!text)
		return NULL;
	p = strstr(text, "UTS_RELEASE \"");
	if (p) {
		p += strlen("UTS_RELEASE \"");
		end = strchr(p, '"');
		if (end)
			release = strndup(p, end - p);
	}
	free(text);
	return release;
}

static int config_has(const char *build_dir, const char *line)
{
	char *path = xasprintf("%s/.config", build_dir);
	char *text = read_file_text(path);
	int found = text && strstr(text, line) != NULL;

	free(path);
	free(text);
	return found;
}

static int resolve(const char *spec, struct target *t, int quiet);

int target_resolve(const char *spec, struct target *t)
{
	return resolve(spec, t, 0);
}

int target_resolve_quiet(const char *spec, struct target *t)
{
	return resolve(spec, t, 1);
}

static int resolve(const char *spec, struct target *t, int quiet)
{
	struct utsname host;

	memset(t, 0, sizeof(*t));
	uname(&host);
	if (!spec)
		spec = host.release;
	if (strchr(spec, '/'))
		t->build_dir = xstrdup(spec);
	else
		t->build_dir = xasprintf("/lib/modules/%s/build", spec);

	if (!is_dir(t->build_dir)) {
		if (quiet) {
			target_free(t);
			return -1;
		}
		fprintf(stderr,
			"ERROR: no kernel build tree at '%s'.\n"
			"       Install the headers of kernel '%s' (linux-headers-%s on Debian),\n"
			"       or name a build tree or another release with -r.\n",
			t->build_dir, spec, strchr(spec, '/') ? "RELEASE" : spec);
		target_free(t);
		return -1;
	}
	t->release = read_release(t->build_dir);
	if (!t->release) {
		if (quiet) {
			target_free(t);
			return -1;
		}
		fprintf(stderr,
			"ERROR: '%s' is not a prepared kernel build tree "
			"(include/generated/utsrelease.h is missing)\n", t->build_dir);
		target_free(t);
		return -1;
	}
	if (config_has(t->build_dir, "\nCONFIG_ARM64=y") && strcmp(host.machine, "aarch64") != 0) {
		t->arch = "arm64";
		t->cross_compile = "aarch64-linux-gnu-";
	} else if (config_has(t->build_dir, "\nCONFIG_X86_64=y") && strcmp(host.machine, "x86_64") != 0) {
		t->arch = "x86_64";
		t->cross_compile = "x86_64-linux-gnu-";
	}
	/* the kernel's own convention: a CROSS_COMPILE in the environment wins */
	if (t->arch && getenv("CROSS_COMPILE") && *getenv("CROSS_COMPILE"))
		t->cross_compile = getenv("CROSS_COMPILE");
	return 0;
}

const char *target_config(struct target *t, const char *name)
{
	char *key, *p;
	size_t len;

	if (!t->config_text) {
		char *path = xasprintf("%s/.config", t->build_dir);

		t->config_text = read_file_text(path);
		free(path);
		if (!t->config_text)
			t->config_text = xstrdup("");
	}
	key = xasprintf("\n%s=", name);
	p = strstr(t->config_text, key);
	len = strlen(key);
	free(key);
	if (!p)
		return NULL;
	p += len;
	free(t->config_value);
	t->config_value = strndup(p, strcspn(p, "\n"));
	return t->config_value;
}

const char *target_arch_name(const struct target *t)
{
	static struct utsname host;

	if (t->arch)
		return t->arch;
	uname(&host);
	return strcmp(host.machine, "aarch64") == 0 ? "arm64" : host.machine;
}

void target_free(struct target *t)
{
	free(t->config_text);
	free(t->config_value);
	free(t->release);
	free(t->build_dir);
	memset(t, 0, sizeof(*t));
}
