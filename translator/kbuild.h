/* kbuild.h - pass 4 (compile the module with the target's kbuild) and
 * pass 5 (hand it to stapr). */
#ifndef STAPC_KBUILD_H
#define STAPC_KBUILD_H

#include "options.h"
#include "target.h"

/* Where runtime/ lives: next to the stapc binary in a build tree, or
 * under the installed data directory.  NULL if neither exists. */
const char *find_runtime_dir(void);
/* The standard tapset library (tapsets/), found the same way. */
const char *find_tapset_dir(void);
/* The stapr to run in pass 5: next to stapc, else from PATH. */
const char *find_stapr(void);

/* Build dir/name.ko from dir/name.c.  Returns 0, or -1 after printing the
 * compiler's complaints. */
int kbuild_module(const struct target *t, const char *dir, const char *name,
		  const char *runtime_dir, const struct options *opts);

/* Run stapr on the module; returns its exit status. */
int run_module(const char *ko_path, const struct options *opts);

#endif
