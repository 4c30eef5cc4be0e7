/* kbuild.c - pass 4 and 5: drive the target kernel's kbuild, then stapr. */
#include "kbuild.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

#ifndef STAPC_DATADIR
#define STAPC_DATADIR "/usr/local/share/stapc"
#endif

static char exe_dir[PATH_MAX];

static const char *self_dir(void)
{
	if (!exe_dir[0]) {
		ssize_t n = readlink("/proc/self/exe", exe_dir, sizeof(exe_dir) - 1);
		char *slash;

		exe_dir[n > 0 ? n : 0] = '\0';
		slash = strrchr(exe_dir, '/');
		if (slash)
			*slash = '\0';
		else
			strcpy(exe_dir, ".");
	}
	return exe_dir;
}

static int exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* A data directory of ours: next to the stapc binary in a build tree
 * (build/stapc, build/asan/stapc), else under the installed data
 * directory; `marker` is a file it must hold. */
static const char *find_data_dir(const char *name, const char *marker, char *dir, size_t size)
{
	/* build tree, sanitizer build, then an install anywhere (PREFIX/bin) */
	static const char *const candidates[] = {
		"%s/../%s", "%s/../../%s", "%s/../share/stapc/%s", NULL
	};
	char probe[PATH_MAX + 64];
	int i;

	for (i = 0; candidates[i]; i++) {
		snprintf(dir, size, candidates[i], self_dir(), name);
		snprintf(probe, sizeof(probe), "%s/%s", dir, marker);
		if (exists(probe) && realpath(dir, probe))
			return strcpy(dir, probe);
	}
	snprintf(dir, size, "%s/%s", STAPC_DATADIR, name);
	snprintf(probe, sizeof(probe), "%s/%s", dir, marker);
	return exists(probe) ? dir : NULL;
}

const char *find_runtime_dir(void)
{
	static char dir[PATH_MAX + 32];

	return find_data_dir("runtime", "stp_runtime.h", dir, sizeof(dir));
}

const char *find_tapset_dir(void)
{
	static char dir[PATH_MAX + 32];

	return find_data_dir("tapsets", "README.md", dir, sizeof(dir));
}

const char *find_stapr(void)
{
	static char path[PATH_MAX + 16];

	snprintf(path, sizeof(path), "%s/stapr", self_dir());
	return exists(path) ? path : "stapr";
}

/* Run argv with stdout+stderr going to log_fd (or inherited if -1). */
static int run_command(char *const argv[], int log_fd)
{
	void (*old_int)(int), (*old_term)(int);
	pid_t pid;
	int status;

	/* Ctrl-C belongs to make or stapr while they run (stapr turns it into
	 * an orderly stop); we wait for them and clean up afterwards */
	old_int = signal(SIGINT, SIG_IGN);
	old_term = signal(SIGTERM, SIG_IGN);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		if (log_fd >= 0) {
			dup2(log_fd, 1);
			dup2(log_fd, 2);
		}
		execvp(argv[0], argv);
		fprintf(stderr, "stapc: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			break;
	signal(SIGINT, old_int);
	signal(SIGTERM, old_term);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
		fprintf(stderr, "ERROR: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Is `prog` (no slash: searched in PATH) an executable? */
static int in_path(const char *prog)
{
	const char *path = getenv("PATH"), *p, *end;
	char full[PATH_MAX];

	if (strchr(prog, '/'))
		return access(prog, X_OK) == 0;
	for (p = path ? path : "/usr/bin:/bin"; *p; p = *end ? end + 1 : end) {
		end = strchr(p, ':');
		if (!end)
			end = p + strlen(p);
		snprintf(full, sizeof(full), "%.*s/%s", (int)(end - p), p, prog);
		if (access(full, X_OK) == 0)
			return 1;
	}
	return 0;
}

/* Cross-compiling fails deep in kbuild without the cross compiler; say
 * what is missing instead. */
static int check_cross_compiler(const struct target *t)
{
	char *gcc = xasprintf("%sgcc", t->cross_compile);
	int found = in_path(gcc);

	if (!found)
		fprintf(stderr,
			"ERROR: building for %s needs the cross compiler %s (Debian: gcc-%s);\n"
			"       set CROSS_COMPILE to another prefix if it has one\n",
			t->arch, gcc,
			strcmp(t->arch, "arm64") == 0 ? "aarch64-linux-gnu" : "x86-64-linux-gnu");
	free(gcc);
	return found ? 0 : -1;
}

int kbuild_module(const struct target *t, const char *dir, const char *name,
		  const char *runtime_dir, const struct options *opts)
{
	const char *argv[64];
	char *kbuild_path = xasprintf("%s/Kbuild", dir);
	char *kbuild_text = xasprintf("obj-m := %s.o\n"
				      "# our own generated C must be warning-free\n"
				      "ccflags-y := -I%s -Werror\n", name, runtime_dir);
	char *log_path = xasprintf("%s/build.log", dir);
	char *cdir = xasprintf("-C%s", t->build_dir), *mdir = xasprintf("M=%s", dir);
	char *arch = NULL, *cross = NULL;
	int argc = 0, i, rc, log_fd;

	rc = t->arch ? check_cross_compiler(t) : 0;
	if (!rc)
		rc = write_text(kbuild_path, kbuild_text);
	if (rc)
		goto out;
	argv[argc++] = "make";
	argv[argc++] = cdir;
	argv[argc++] = mdir;
	if (t->arch) {
		arch = xasprintf("ARCH=%s", t->arch);
		cross = xasprintf("CROSS_COMPILE=%s", t->cross_compile);
		argv[argc++] = arch;
		argv[argc++] = cross;
	}
	for (i = 0; i < opts->kbuild_args.n && argc < 60; i++)
		argv[argc++] = opts->kbuild_args.items[i];
	argv[argc++] = "modules";
	argv[argc] = NULL;

	/* kbuild chatters; keep it in a log unless asked for with -vv */
	log_fd = opts->verbose >= 2 ? -1 : open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	rc = run_command((char *const *)argv, log_fd);
	if (log_fd >= 0)
		close(log_fd);
	if (rc != 0) {
		char *log = log_fd >= 0 ? read_file_text(log_path) : NULL;

		fprintf(stderr, "ERROR: kbuild failed to compile the module (make exited with %d)%s\n",
			rc, log ? "; its output:" : "");
		if (log)
			fputs(log, stderr);
		free(log);
		rc = -1;
	}
out:
	free(kbuild_path);
	free(kbuild_text);
	free(log_path);
	free(cdir);
	free(mdir);
	free(arch);
	free(cross);
	return rc;
}

int run_module(const char *ko_path, const struct options *opts)
{
	const char *argv[16];
	char *target_arg = NULL;
	int argc = 0, rc;

	argv[argc++] = find_stapr();
	if (opts->output) {
		argv[argc++] = "-o";
		argv[argc++] = opts->output;
	}
	if (opts->use_vm) {
		argv[argc++] = "--vm";
		argv[argc++] = opts->vm_kernel ? opts->vm_kernel : "";
	}
	if (opts->target_cmd) {
		argv[argc++] = "-c";
		argv[argc++] = opts->target_cmd;
	}
	argv[argc++] = ko_path;
	if (opts->target_pid)
		argv[argc++] = target_arg = xasprintf("_stp_target=%s", opts->target_pid);
	argv[argc] = NULL;
	rc = run_command((char *const *)argv, -1);
	free(target_arg);
	return rc;
}
