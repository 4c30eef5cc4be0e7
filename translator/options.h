/* options.h - the command line, parsed once and then read-only for every
 * pass (there is no session object: passes take what they need). */
#ifndef STAPC_OPTIONS_H
#define STAPC_OPTIONS_H

struct string_list {
	const char **items;
	int n;
};

struct options {
	const char *script_path;	/* file, "-" for stdin, NULL with -e */
	const char *script_text;	/* -e SCRIPT */
	int last_pass;			/* -p N, 1..5 */
	int verbose;			/* -v, repeatable */
	int keep_tmp;			/* -k */
	const char *module_name;	/* -m NAME, or derived from the script */
	const char *target;		/* -r RELEASE|BUILD_DIR, NULL: running kernel */
	const char *output;		/* -o FILE (pass 5 output) */
	struct string_list defines;	/* -D NAME[=VALUE] */
	struct string_list kbuild_args;	/* -B OPTION */
	struct string_list tapset_dirs;	/* -I DIR */
	int guru;			/* -g */
	const char *target_pid;		/* -x PID: what target() returns */
	const char *target_cmd;		/* -c CMD: run by stapr in pass 5, target() its pid */
	int no_warnings;		/* -w */
	int use_vm;			/* --vm[=KERNEL_IMAGE] */
	const char *vm_kernel;		/* NULL: the runner's default */
	struct string_list script_args;	/* $1, $2, ... */
	const char *list_point;		/* -l/-L POINT: list what it matches */
	int list_vars;			/* -L: with variables (needs debuginfo) */
	char *list_script;		/* "probe POINT {}", made for -l/-L */
	int dump_probe_types;		/* --dump-probe-types: list the forms, no script */
	struct string_list debuginfo_dirs;	/* --debuginfo-path DIR, repeatable */
};

#endif
