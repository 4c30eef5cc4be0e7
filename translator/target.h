/* target.h - the kernel a module is built for: its release, build tree
 * and architecture.  The only place that decides which kernel we target;
 * nothing reads the running kernel unless the target is the host. */
#ifndef STAPC_TARGET_H
#define STAPC_TARGET_H

struct target {
	char *release;		/* UTS_RELEASE of the build tree */
	char *build_dir;	/* kbuild tree (linux-headers) */
	const char *arch;	/* kbuild ARCH when cross-compiling, else NULL */
	const char *cross_compile;	/* CROSS_COMPILE prefix, else NULL */
	char *config_text;		/* .config, read on first use */
	char *config_value;		/* the last value target_config returned */
};

/* spec: NULL (running kernel), a release name, or a build directory.
 * Returns 0, or -1 after printing what was looked for. */
int target_resolve(const char *spec, struct target *t);
/* The same, without a message on failure. */
int target_resolve_quiet(const char *spec, struct target *t);
void target_free(struct target *t);

/* The value of CONFIG_NAME in the tree's .config ("y", "m", "\"str\"",
 * ...), or NULL when it is not set.  Valid until target_free(). */
const char *target_config(struct target *t, const char *name);

/* SystemTap's name of the target architecture: "x86_64", "arm64", ... */
const char *target_arch_name(const struct target *t);

#endif
