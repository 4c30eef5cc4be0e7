/* main.c - the stapc driver: read the command line, then run the passes
 * in order, stopping after -p N or at the first pass that reports errors.
 *
 *   1 parse      script text      -> AST              (parser/)
 *   2 elaborate  AST              -> resolved program (elaborate.c, providers)
 *   3 translate  resolved program -> module C         (emit.c)
 *   4 compile    module C         -> NAME.ko          (kbuild.c, target's kbuild)
 *   5 run        NAME.ko          -> output           (stapr)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <ftw.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "ast.h"
#include "diag.h"
#include "dwarf_info.h"
#include "emit.h"
#include "kbuild.h"
#include "options.h"
#include "provider.h"
#include "registers.h"
#include "resolved.h"
#include "symtab.h"
#include "tapsets.h"
#include "target.h"
#include "tracepoints.h"
#include "util.h"

#define STAPC_VERSION "0.1"

/* What the passes hand each other. */
struct run {
	const struct options *opts;
	const char *file;		/* name used in messages */
	char *text;			/* the user script */
	struct program prog;
	struct resolved_program resolved;
	struct strbuf c_text;
	char *tmp_dir;
	char *c_path, *ko_path;
	char *default_name;		/* stap_<hash>, when there is no -m */
	int status;			/* pass 5: stapr's exit status */
};

static void usage(FILE *out)
{
	fputs("Usage: stapc [OPTIONS] SCRIPT_FILE [ARGUMENTS]\n"
	      "       stapc [OPTIONS] - [ARGUMENTS]            (script on stdin)\n"
	      "       stapc [OPTIONS] -e SCRIPT [ARGUMENTS]\n"
	      "Compile a SystemTap script into a kernel module and run it.\n\n"
	      "  -p NUM       stop after pass NUM: 1 parse, 2 elaborate, 3 translate (print C),\n"
	      "               4 compile (leave NAME.ko here), 5 run (default)\n"
	      "  -e SCRIPT    the script text itself\n"
	      "  -v           say what each pass did and how long it took (repeat for more)\n"
	      "  -k           keep the temporary directory and say where it is\n"
	      "  -m NAME      name the module NAME (default stap_<hash>)\n"
	      "  -r RELEASE   build for kernel RELEASE (/lib/modules/RELEASE/build) or a build\n"
	      "               directory (default: the running kernel). A tree of another\n"
	      "               architecture (arm64 on x86-64, or the reverse) is cross-compiled\n"
	      "               with ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- (x86_64-linux-gnu-);\n"
	      "               set CROSS_COMPILE in the environment, or -B CROSS_COMPILE=..., to\n"
	      "               use another prefix\n"
	      "  -o FILE      send the run's output to FILE\n"
	      "  -D NAME[=VALUE]  define a C macro for the module (MAXACTION=10000, ...)\n"
	      "  -B OPTION    pass OPTION to kbuild's make\n"
	      "  -I DIR       look for tapsets in DIR too\n"
	      "  -g           guru mode (embedded C)\n"
	      "  -x PID       target() returns PID (at run time: stapr M.ko _stp_target=PID)\n"
	      "  -c CMD       pass 5: run CMD once the probes are armed, target() is its\n"
	      "               pid, and end the session when it exits (stapr -c CMD)\n"
	      "  -w           suppress warnings\n"
	      "  -l POINT     list the probe points POINT matches (wildcards allowed)\n"
	      "  -L POINT     the same, with their variables (needs debuginfo: none yet)\n"
	      "  --dump-probe-types  list every probe point form stapc accepts\n"
	      "  --vm[=IMAGE] pass 5 in a throwaway qemu VM booting IMAGE (default: newest\n"
	      "               /boot/vmlinuz-*) instead of this machine\n"
	      "  -h, --help   this help\n"
	      "  -V, --version\n", out);
}

static void list_add(struct string_list *l, const char *s)
{
	l->items = realloc(l->items, sizeof(*l->items) * (l->n + 1));
	if (!l->items) {
		fputs("stapc: out of memory\n", stderr);
		exit(1);
	}
	l->items[l->n++] = s;
}

static int valid_module_name(const char *s)
{
	const char *p;

	if (!*s || strlen(s) > 55 || !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
		return 0;
	for (p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_'))
			return 0;
	return 1;
}

static int valid_define(const char *s)
{
	size_t n = strcspn(s, "=");
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9' && i > 0) || s[i] == '_'))
			return 0;
	return strchr(s, '\n') == NULL;
}

static int bad_usage(const char *fmt, const char *arg)
{
	fputs("stapc: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nTry 'stapc --help' for more information.\n", stderr);
	return -1;
}

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "vm", optional_argument, NULL, 1 },
		{ "debuginfo-path", required_argument, NULL, 2 },
		{ "dump-probe-types", no_argument, NULL, 3 },
		{ NULL, 0, NULL, 0 },
	};
	int c, i;

	memset(o, 0, sizeof(*o));
	o->last_pass = 5;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:hVvkgwp:e:m:r:o:D:B:I:l:L:x:c:", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("stapc %s, a SystemTap-compatible script compiler\n"
			       "License: GPL-2.0-or-later\n", STAPC_VERSION);
			exit(0);
		case 'v': o->verbose++; break;
		case 'k': o->keep_tmp = 1; break;
		case 'g': o->guru = 1; break;
		case 'x':
			if (optarg[strspn(optarg, "0123456789")] || !optarg[0])
				return bad_usage("-x wants a process id, not '%s'", optarg);
			o->target_pid = optarg;
			break;
		case 'c':
			if (!optarg[strspn(optarg, " \t\n")])
				return bad_usage("-c wants a command, not '%s'", optarg);
			o->target_cmd = optarg;
			break;
		case 'w': o->no_warnings = 1; break;
		case 'p':
			if (optarg[0] < '1' || optarg[0] > '5' || optarg[1])
				return bad_usage("-p wants a pass number from 1 to 5, not '%s'", optarg);
			o->last_pass = optarg[0] - '0';
			break;
		case 'e': o->script_text = optarg; break;
		case 'm':
			if (!valid_module_name(optarg))
				return bad_usage("invalid module name '%s': use letters, digits and _ (at most 55, not starting with a digit)", optarg);
			o->module_name = optarg;
			break;
		case 'r': o->target = optarg; break;
		case 'o': o->output = optarg; break;
		case 'D':
			if (!valid_define(optarg))
				return bad_usage("invalid -D '%s': expected NAME or NAME=VALUE", optarg);
			list_add(&o->defines, optarg);
			break;
		case 'B': list_add(&o->kbuild_args, optarg); break;
		case 'l':
		case 'L':
			o->list_point = optarg;
			o->list_vars = c == 'L';
			break;
		case 'I': list_add(&o->tapset_dirs, optarg); break;
		case 1:
			o->use_vm = 1;
			o->vm_kernel = optarg && *optarg ? optarg : NULL;
			break;
		case 2: list_add(&o->debuginfo_dirs, optarg); break;
		case 3: o->dump_probe_types = 1; break;
		case ':':
			return bad_usage("option '%s' needs an argument", argv[optind - 1]);
		default:
			if (optopt && optopt != '?') {
				char opt[3] = { '-', (char)optopt, 0 };

				return bad_usage("unknown option '%s'", opt);
			}
			return bad_usage("unknown option '%s'", argv[optind - 1]);
		}
	}
	i = optind;
	if (o->target_cmd && o->target_pid)
		return bad_usage("%s", "you can't specify -c and -x options together");
	if (o->list_point) {
		/* -l POINT is pass 2 of "probe POINT {}", printed as a list */
		o->list_script = xasprintf("probe %s {}", o->list_point);
		o->script_text = o->list_script;
		o->last_pass = 2;
	}
	if (!o->script_text && !o->dump_probe_types) {
		if (i >= argc)
			return bad_usage("%s", "no script given: name a file, '-' for stdin, or use -e SCRIPT");
		o->script_path = argv[i++];
	}
	for (; i < argc; i++)
		list_add(&o->script_args, argv[i]);
	return 0;
}

/* ---- passes ----------------------------------------------------------- */

static const char *kconfig_lookup(void *ctx, const char *name)
{
	return target_config(ctx, name);
}

/* Parse with what %( kernel_v, arch, CONFIG_... %) and $1 refer to: the
 * target's release and .config when its build tree is there, else the
 * release named with -r (or the running kernel's). */
static int parse_with_target(struct run *r)
{
	const struct options *o = r->opts;
	struct parse_options po = { 0 };
	struct target t;
	struct utsname host;
	int have_tree, errors;

	uname(&host);
	have_tree = target_resolve_quiet(o->target, &t) == 0;
	po.kernel_release = have_tree ? t.release
			    : o->target && !strchr(o->target, '/') ? o->target : host.release;
	po.arch = have_tree ? target_arch_name(&t) : "x86_64";
	po.guru = o->guru;
	if (have_tree) {
		po.kconfig_lookup = kconfig_lookup;
		po.kconfig_ctx = &t;
	}
	po.argc = o->script_args.n;
	po.argv = o->script_args.items;
	errors = parse_script_with(r->file, r->text, &po, &r->prog);
	/* -p1 shows the user's script as parsed, as stap -p1 does: library
	 * files are pulled in from pass 2 on */
	if (!errors && o->last_pass > 1)
		errors = tapsets_resolve(&r->prog, o, &po);
	if (have_tree)
		target_free(&t);
	return errors;
}

static int pass_parse(struct run *r)
{
	const struct options *o = r->opts;

	if (o->script_text) {
		r->file = "<input>";
		r->text = xstrdup(o->script_text);
	} else {
		r->file = strcmp(o->script_path, "-") == 0 ? "<input>" : o->script_path;
		r->text = read_file_text(o->script_path);
		if (!r->text) {
			fprintf(stderr, "ERROR: cannot read script '%s': %s\n",
				o->script_path, strerror(errno));
			return -1;
		}
	}
	if (parse_with_target(r) != 0)
		return -1;
	if (o->last_pass == 1)
		ast_print_program(stdout, &r->prog);
	return 0;
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* -l/-L: each matched probe point once, sorted, as `stap -l` prints them
 * (a point reached through an alias is listed by the alias's name); -L
 * adds the point's variables where its provider knows them */
static void list_points(const struct resolved_program *rp, int with_vars)
{
	char **lines = xcalloc(rp->n_points, sizeof(*lines));
	const struct resolved_point *pt;
	int n = 0, i;

	for (pt = rp->points; pt; pt = pt->next) {
		const char *name = resolved_point_list_name(pt);
		const char *vars = with_vars && name == pt->pp && pt->vars ? pt->vars : "";

		lines[n++] = xasprintf("%s%s", name, vars);
	}
	qsort(lines, n, sizeof(*lines), by_string);
	for (i = 0; i < n; i++)
		if (i == 0 || strcmp(lines[i], lines[i - 1]) != 0)
			puts(lines[i]);
	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

static int pass_elaborate(struct run *r)
{
	if (elaborate(&r->prog, r->opts, &r->resolved) != 0)
		return -1;
	if (r->opts->list_point)
		list_points(&r->resolved, r->opts->list_vars);
	else if (r->opts->last_pass == 2)
		print_resolved_program(stdout, &r->resolved);
	return 0;
}

/* FNV-1a over what determines the module, so reruns reuse the name. */
static char *default_module_name(const struct run *r)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	const char *p;
	int i;

	for (p = r->text; *p; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
	for (i = 0; i < r->opts->defines.n; i++)
		for (p = r->opts->defines.items[i]; *p; p++)
			h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
	return xasprintf("stap_%016llx", (unsigned long long)h);
}

static const char *module_name(struct run *r)
{
	if (r->opts->module_name)
		return r->opts->module_name;
	if (!r->default_name)
		r->default_name = default_module_name(r);
	return r->default_name;
}

static int pass_translate(struct run *r)
{
	struct emit_source src = { r->file, r->text };
	FILE *f;

	emit_module(&r->c_text, &r->resolved, &src, &r->opts->defines);
	if (r->opts->last_pass == 3)
		fputs(r->c_text.buf, stdout);
	if (r->opts->last_pass == 3 && !r->opts->keep_tmp)
		return 0;

	r->tmp_dir = xstrdup("/tmp/stapcXXXXXX");
	if (!mkdtemp(r->tmp_dir)) {
		fprintf(stderr, "ERROR: cannot create a temporary directory: %s\n", strerror(errno));
		free(r->tmp_dir);
		r->tmp_dir = NULL;
		return -1;
	}
	r->c_path = xasprintf("%s/%s.c", r->tmp_dir, module_name(r));
	f = fopen(r->c_path, "w");
	if (!f || fputs(r->c_text.buf, f) < 0 || fclose(f) != 0) {
		fprintf(stderr, "ERROR: cannot write %s: %s\n", r->c_path, strerror(errno));
		return -1;
	}
	return 0;
}

static int copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
	char buf[65536];
	size_t n;
	int rc = 0;

	if (!in || !out) {
		rc = -1;
	} else {
		while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
			if (fwrite(buf, 1, n, out) != n)
				rc = -1;
	}
	if (in)
		fclose(in);
	if (out && fclose(out) != 0)
		rc = -1;
	if (rc)
		fprintf(stderr, "ERROR: cannot copy %s to %s: %s\n", from, to, strerror(errno));
	return rc;
}

static int pass_compile(struct run *r)
{
	struct target t;
	const char *runtime;
	int rc;

	if (target_resolve(r->opts->target, &t) != 0)
		return -1;
	runtime = find_runtime_dir();
	if (!runtime) {
		fputs("ERROR: cannot find stapc's runtime directory (runtime/stp_runtime.h)\n", stderr);
		target_free(&t);
		return -1;
	}
	rc = kbuild_module(&t, r->tmp_dir, module_name(r), runtime, r->opts);
	target_free(&t);
	if (rc)
		return -1;
	r->ko_path = xasprintf("%s/%s.ko", r->tmp_dir, module_name(r));
	if (r->opts->last_pass == 4) {
		char *here = xasprintf("%s.ko", module_name(r));

		rc = copy_file(r->ko_path, here);
		if (!rc)
			puts(here);
		free(here);
	}
	return rc;
}

static int pass_run(struct run *r)
{
	r->status = run_module(r->ko_path, r->opts);
	return r->status == 0 ? 0 : -1;
}

/* ---- driver ------------------------------------------------------------ */

struct pass {
	int number;
	int (*run)(struct run *r);
	const char *failed;		/* "Pass N: ... failed." */
};

static const struct pass passes[] = {
	{ 1, pass_parse, "parse failed" },
	{ 2, pass_elaborate, "analysis failed" },
	{ 3, pass_translate, "translation failed" },
	{ 4, pass_compile, "compilation failed" },
	{ 5, pass_run, "run failed" },
};

static void report_pass(struct run *r, int number, const struct pass_timer *t)
{
	const struct resolved_program *rp = &r->resolved;

	switch (number) {
	case 1:
		fprintf(stderr, "Pass 1: parsed user script and %d library scripts in %s.\n",
			r->prog.n_files, pass_timer_report(t));
		break;
	case 2:
		fprintf(stderr, "Pass 2: analyzed script: %d probe%s, %d function%s, 0 embeds, %d global%s in %s.\n",
			rp->n_points, rp->n_points == 1 ? "" : "s",
			rp->n_used_functions, rp->n_used_functions == 1 ? "" : "s",
			rp->n_globals, rp->n_globals == 1 ? "" : "s", pass_timer_report(t));
		break;
	case 3:
		fprintf(stderr, "Pass 3: translated to C into \"%s\" in %s.\n",
			r->c_path ? r->c_path : "<stdout>", pass_timer_report(t));
		break;
	case 4:
		fprintf(stderr, "Pass 4: compiled C into \"%s.ko\" in %s.\n",
			module_name(r), pass_timer_report(t));
		break;
	case 5:
		fprintf(stderr, "Pass 5: run completed in %s.\n", pass_timer_report(t));
		break;
	}
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path);
}

static void cleanup(struct run *r)
{
	if (!r->tmp_dir)
		return;
	if (r->opts->keep_tmp)
		fprintf(stderr, "Keeping temporary directory \"%s\"\n", r->tmp_dir);
	else
		nftw(r->tmp_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* register() names follow the target's architecture (x86-64 without a tree) */
static void set_register_arch(const struct options *o)
{
	struct target t;

	if (target_resolve_quiet(o->target, &t) != 0)
		return;
	registers_set_arch(target_arch_name(&t));
	target_free(&t);
}

int main(int argc, char **argv)
{
	struct options opts;
	struct run r = { .opts = &opts };
	unsigned int i;
	int failed = 0;

	if (parse_options(argc, argv, &opts) != 0)
		return 1;
	if (opts.dump_probe_types) {
		providers_dump_forms(stdout);
		free(opts.debuginfo_dirs.items);
		free(opts.defines.items);
		free(opts.kbuild_args.items);
		free(opts.tapset_dirs.items);
		free(opts.script_args.items);
		return 0;
	}
	diag_set_warnings(!opts.no_warnings);
	symtab_set_target(opts.target);
	dwarf_set_target(&opts);
	providers_set_options(&opts);
	tracepoints_set_target(opts.target);
	set_register_arch(&opts);

	for (i = 0; i < sizeof(passes) / sizeof(passes[0]); i++) {
		const struct pass *p = &passes[i];
		struct pass_timer t;

		if (p->number > opts.last_pass)
			break;
		if (p->number == 5 && opts.verbose)
			fputs("Pass 5: starting run.\n", stderr);
		pass_timer_start(&t);
		if (p->run(&r) != 0 || diag_error_count() > 0) {
			if (diag_error_count() > 0)
				fprintf(stderr, "%d %s error%s.\n", diag_error_count(),
					p->number == 1 ? "parse" : "semantic",
					diag_error_count() == 1 ? "" : "s");
			fprintf(stderr, "Pass %d: %s.\n", p->number, p->failed);
			failed = 1;
			break;
		}
		if (opts.verbose)
			report_pass(&r, p->number, &t);
	}
	cleanup(&r);
	resolved_program_free(&r.resolved);
	symtab_free();
	provider_dwarf_free();
	provider_process_free();
	dwarf_free();
	sb_free(&r.c_text);
	free(r.tmp_dir);
	free(r.c_path);
	free(r.ko_path);
	free(r.default_name);
	free(opts.defines.items);
	free(opts.kbuild_args.items);
	free(opts.tapset_dirs.items);
	free(opts.script_args.items);
	free(opts.debuginfo_dirs.items);
	free(opts.list_script);
	free(r.text);
	ast_free_all();
	return failed ? (r.status > 0 ? r.status : 1) : 0;
}
