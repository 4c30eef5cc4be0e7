/* stapr.c - load a stapc probe module, relay its output, unload it on exit. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "../runtime/transport_protocol.h"
#include "command.h"
#include "modinfo.h"

#define STAPR_VERSION "0.1"
#define MODULE_SIZE_MAX (512u << 20)	/* far beyond any real module */

static int verbose;
static volatile sig_atomic_t signals_seen;
static volatile sig_atomic_t command_done;	/* the -c command has exited */

#define USAGE_LINE "Usage: stapr [OPTIONS] MODULE.ko [NAME=VALUE ...]\n"

static void usage_error(void)
{
	fprintf(stderr, USAGE_LINE "Try 'stapr --help' for more information.\n");
}

static void usage(void)
{
	printf(USAGE_LINE
		"Load a module compiled by stapc, print its output until it stops\n"
		"(script exit() or SIGINT/SIGTERM/SIGHUP), then unload it.\n"
		"\n"
		"  -c CMD               run CMD once the probes are armed, with target()\n"
		"                       its pid, and stop when it exits (plain words are\n"
		"                       exec'ed directly, anything else by /bin/sh -c)\n"
		"  -o FILE              write the script's output to FILE instead of stdout\n"
		"  -v                   say what stapr is doing, on stderr\n"
		"  --no-release-check   load even if the module was built for another kernel\n"
		"                       release (so does setting STP_NO_VERREL_CHECK)\n"
		"  --vm IMAGE           do not load here: boot kernel IMAGE in a throwaway\n"
		"                       qemu VM (see stapr-vm) and run stapr there; IMAGE\n"
		"                       'default' or '' means the newest /boot/vmlinuz-*\n"
		"  -h, --help           show this help\n"
		"  -V, --version        show the version\n"
		"\n"
		"NAME=VALUE arguments set module parameters (script globals).\n"
		"Exit status: 0 if the script ran without errors (and the -c command\n"
		"exited with status 0), 1 otherwise.\n");
}

static void error(const char *fmt, ...)
{
	va_list ap;

	fputs("ERROR: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void note(const char *fmt, ...)
{
	va_list ap;

	if (!verbose)
		return;
	fputs("stapr: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* The control file once the session runs, for the signal handler. */
static volatile int stop_fd = -1;
static volatile sig_atomic_t stop_written;

/*
 * Ask for the stop from the handler itself (write() is async-signal-safe):
 * a flag checked by the main loop could be missed by a read() that is just
 * starting, which would then wait for output that may never come.
 */
static void stop_from_handler(void)
{
	int saved_errno = errno;

	if (stop_fd >= 0 && !stop_written) {
		stop_written = 1;
		if (write(stop_fd, "stop", 4) != 4)
			stop_written = 0;	/* the main loop tries again */
	}
	errno = saved_errno;
}

static void on_signal(int sig)
{
	(void)sig;
	signals_seen++;
	stop_from_handler();
}

/* The -c command exited: the session ends as on Ctrl-C (SIGCHLD handler). */
static void on_command_exit(void)
{
	command_done = 1;
	stop_from_handler();
}

/*
 * No SA_RESTART: the blocking read of the data file must return EINTR so
 * the main loop can ask the module to stop.  The handlers are installed
 * even if the signal was ignored at exec (as in a background job of a
 * non-interactive shell), because "kill -INT" is how such jobs are stopped.
 */
static void install_signal_handlers(void)
{
	struct sigaction sa;
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	/* A closed output pipe must not kill us with the module still loaded. */
	signal(SIGPIPE, SIG_IGN);
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Read the whole module; returns NULL (errno set) on failure. */
static unsigned char *slurp(int fd, size_t *size)
{
	struct stat st;
	unsigned char *data;
	size_t got = 0;

	if (fstat(fd, &st) < 0)
		return NULL;
	if (!S_ISREG(st.st_mode) || st.st_size <= 0 || (uint64_t)st.st_size > MODULE_SIZE_MAX) {
		errno = ENOEXEC;
		return NULL;
	}
	data = malloc((size_t)st.st_size);
	if (!data)
		return NULL;
	while (got < (size_t)st.st_size) {
		ssize_t r = pread(fd, data + got, (size_t)st.st_size - got, (off_t)got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == 0)
				errno = ENOEXEC;	/* file shrank under us */
			free(data);
			return NULL;
		}
		got += (size_t)r;
	}
	*size = got;
	return data;
}

/*
 * Join NAME=VALUE arguments the way the kernel's parameter parser splits
 * them: values with blanks go in double quotes.  That parser has no escape
 * character, so a value containing a double quote cannot be passed.
 */
static char *build_params(int n, char **args)
{
	size_t len = 1;
	char *s, *p;

	for (int i = 0; i < n; i++) {
		const char *eq = strchr(args[i], '=');

		if (!eq || eq == args[i] || strpbrk(args[i], "\"") ||
		    strcspn(args[i], " \t\n\v\f\r") < (size_t)(eq - args[i])) {
			error("module parameter '%s' must have the form NAME=VALUE "
			      "(no blanks in NAME, no double quotes)", args[i]);
			return NULL;
		}
		len += strlen(args[i]) + 3;
	}
	s = p = malloc(len);
	if (!s)
		return NULL;
	*p = '\0';
	for (int i = 0; i < n; i++) {
		const char *eq = strchr(args[i], '=');
		int blank = strpbrk(eq + 1, " \t\n\v\f\r") != NULL;

		p += sprintf(p, "%s%.*s=%s%s%s", i ? " " : "", (int)(eq - args[i]), args[i],
			     blank ? "\"" : "", eq + 1, blank ? "\"" : "");
	}
	return s;
}

/* user_params: NAME=VALUE arguments were given (not only -c's target) */
static int load_module(int fd, const char *params, int user_params, const char *path,
		       const char *name)
{
	note("loading module '%s' as '%s' with parameters '%s'", path, name, params);
	if (syscall(SYS_finit_module, fd, params, 0) == 0)
		return 0;
	switch (errno) {
	case EEXIST:
		error("module %s is already loaded (another stapr session?); "
		      "remove it with 'rmmod %s'", name, name);
		break;
	case EPERM:
		if (geteuid() != 0)
			error("stapr must run as root to load kernel modules");
		else
			error("loading modules is not permitted on this machine "
			      "(kernel.modules_disabled or kernel lockdown)");
		break;
	case ENOEXEC:
		error("'%s' has an invalid module format for this kernel", path);
		break;
	case ENOSYS:
		error("this kernel cannot load modules (no module support, or a "
		      "sandbox); try 'stapr --vm'");
		break;
	case EKEYREJECTED:
	case ENOKEY:
		error("'%s' was rejected: this kernel only loads modules signed "
		      "with a trusted key", path);
		break;
	case EINVAL:
	case ENOENT:
		if (user_params) {
			error("could not load module '%s': %s (check the NAME=VALUE "
			      "arguments: unknown parameter or invalid value?)", path,
			      strerror(errno));
			break;
		}
		/* fall through */
	default:
		error("could not load module '%s': %s", path, strerror(errno));
	}
	return -1;
}

/* The kernel refuses while a file of ours is still open, hence the retries. */
static int unload_module(const char *name)
{
	struct timespec pause = { 0, 100 * 1000 * 1000 };

	note("unloading module %s", name);
	for (int tries = 0;; tries++) {
		if (syscall(SYS_delete_module, name, O_NONBLOCK) == 0 || errno == ENOENT)
			return 0;
		if ((errno != EAGAIN && errno != EBUSY && errno != EINTR) || tries >= 50)
			break;
		nanosleep(&pause, NULL);
	}
	error("could not unload module %s: %s; remove it with 'rmmod %s'", name,
	      strerror(errno), name);
	return -1;
}

static int control_write(int ctl, const char *cmd)
{
	ssize_t w;

	do
		w = write(ctl, cmd, strlen(cmd));
	while (w < 0 && errno == EINTR);
	return w == (ssize_t)strlen(cmd) ? 0 : -1;
}

/*
 * Relay records until end of file.  Returns 0 if the session ended
 * normally, -1 if stapr itself hit a problem.
 */
static int relay(int data, int ctl, int outfd, const char *dpath)
{
	size_t bufsz = STP_READ_MIN;
	char *buf = malloc(bufsz);
	int stop_sent = 0, warned_again = 0, out_failed = 0, ret = 0;
	sig_atomic_t seen_at_stop = 0;

	if (!buf) {
		error("out of memory");
		return -1;
	}
	for (;;) {
		ssize_t n;
		size_t off = 0;

		if ((signals_seen || command_done || out_failed) && !stop_sent) {
			note("stopping (end probes will run)");
			seen_at_stop = signals_seen;
			if (!stop_written && control_write(ctl, "stop") < 0) {
				error("could not stop the module: %s", strerror(errno));
				ret = -1;
				break;
			}
			stop_sent = 1;
		} else if (stop_sent && signals_seen > seen_at_stop && !warned_again) {
			fprintf(stderr, "stapr: already stopping; waiting for the end probes "
				"so the module can be unloaded\n");
			warned_again = 1;
		}
		n = read(data, buf, bufsz);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			error("reading %s failed: %s (was the module removed?)", dpath,
			      strerror(errno));
			ret = -1;
			break;
		}
		if (n == 0)
			break;
		while (off < (size_t)n) {
			struct stp_record_hdr h;
			int fd;

			if ((size_t)n - off < sizeof(h))
				break;
			memcpy(&h, buf + off, sizeof(h));
			off += sizeof(h);
			if (h.len > (size_t)n - off)
				break;
			fd = h.chan == STP_CHAN_STDOUT ? outfd :
			     h.chan == STP_CHAN_STDERR ? STDERR_FILENO : -1;
			if (fd >= 0 && !(out_failed && fd == outfd) &&
			    write_all(fd, buf + off, h.len) < 0 && fd == outfd) {
				error("writing the output failed: %s", strerror(errno));
				out_failed = 1;
				ret = -1;
			}
			off += h.len;
		}
		if (off != (size_t)n) {
			error("%s returned a truncated record; stapr and the module "
			      "disagree on the transport protocol", dpath);
			ret = -1;
			break;
		}
	}
	free(buf);
	return ret;
}

/* Parse "state=S errors=N skipped=M dropped=D"; returns errors or -1. */
static long read_status(int ctl, const char *cpath)
{
	char line[256], state[32] = "?";
	long errors = -1, skipped = 0, dropped = 0;
	ssize_t n;

	/* Nothing has read the file yet, so a non-seekable one is at offset 0. */
	do {
		n = pread(ctl, line, sizeof(line) - 1, 0);
		if (n < 0 && errno == ESPIPE)
			n = read(ctl, line, sizeof(line) - 1);
	} while (n < 0 && errno == EINTR);
	if (n <= 0) {
		error("could not read %s: %s", cpath, n < 0 ? strerror(errno) : "empty");
		return -1;
	}
	line[n] = '\0';
	line[strcspn(line, "\n")] = '\0';
	note("final status: %s", line);
	if (sscanf(line, "state=%31s errors=%ld skipped=%ld dropped=%ld", state, &errors,
		   &skipped, &dropped) < 2 || errors < 0) {
		error("could not understand %s: '%s'", cpath, line);
		return -1;
	}
	if (strcmp(state, "stopped") != 0)
		fprintf(stderr, "WARNING: module ended in state '%s', not 'stopped'\n", state);
	/* skipped probes are already in the module's own end-of-session
	 * WARNING line; only dropped output needs saying here */
	if (dropped)
		fprintf(stderr, "WARNING: skipped probes: %ld, dropped output records: %ld\n",
			skipped, dropped);
	return errors;
}

/*
 * Did the -c command end badly?  Said after the end probes' output, as a
 * WARNING like stap's; a command still running (the script stopped first)
 * is left alone and counts as fine.
 */
static int command_failed(void)
{
	int st;

	if (!command_exited(&st))
		return 0;
	note("the command exited (wait status 0x%x)", st);
	if (WIFSIGNALED(st)) {
		fprintf(stderr, "WARNING: Child process exited with signal %d (%s)\n",
			WTERMSIG(st), strsignal(WTERMSIG(st)));
		return 1;
	}
	if (WIFEXITED(st) && WEXITSTATUS(st)) {
		fprintf(stderr, "WARNING: Child process exited with status %d\n",
			WEXITSTATUS(st));
		return 1;
	}
	return 0;
}

static int run_session(const char *name, int outfd, const char *cmd)
{
	char dpath[PATH_MAX], cpath[PATH_MAX];
	int data, ctl, failed = 0;
	long errors;

	snprintf(dpath, sizeof(dpath), "/proc/" STP_PROC_PREFIX "%s/" STP_PROC_DATA, name);
	snprintf(cpath, sizeof(cpath), "/proc/" STP_PROC_PREFIX "%s/" STP_PROC_CONTROL, name);
	data = open(dpath, O_RDONLY | O_CLOEXEC);
	if (data < 0) {
		error("cannot open %s: %s (not a stapc module?)", dpath, strerror(errno));
		return 1;
	}
	ctl = open(cpath, O_RDWR | O_CLOEXEC);
	if (ctl < 0) {
		error("cannot open %s: %s", cpath, strerror(errno));
		close(data);
		return 1;
	}
	if (signals_seen) {
		note("interrupted before start");
		if (cmd)
			command_cancel();
		failed = 1;
	} else {
		note("starting");
		if (control_write(ctl, "start") < 0) {
			int err = errno;

			/* the module said which probe failed and why: show that
			 * (and any begin/end output) first; the command never runs */
			if (cmd)
				command_cancel();
			relay(data, ctl, outfd, dpath);
			error("the module could not start its probes (%s)", strerror(err));
			failed = 1;
		} else {
			/* begin probes ran before arming: only now do the
			 * other probes fire (a harness can wait for this) */
			note("probes armed");
			stop_fd = ctl;
			if (cmd) {
				/* its exit stops the session, from now on */
				command_watch(on_command_exit);
				note("running command '%s'", cmd);
				if (command_release() < 0)
					note("the command is already gone");
			}
			if (relay(data, ctl, outfd, dpath) < 0)
				failed = 1;
		}
	}
	errors = failed ? 0 : read_status(ctl, cpath);
	if (cmd && !failed && command_failed())
		failed = 1;
	stop_fd = -1;
	close(data);
	close(ctl);
	return failed || errors != 0 ? 1 : 0;
}

/* Find a sibling of our own executable, so an uninstalled build works. */
static int sibling_path(const char *name, char *out, size_t outsz)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (n <= 0)
		return -1;
	self[n] = '\0';
	slash = strrchr(self, '/');
	if (!slash)
		return -1;
	slash[1] = '\0';
	if ((size_t)snprintf(out, outsz, "%s%s", self, name) >= outsz)
		return -1;
	return access(out, X_OK);
}

/* Hand the whole job to stapr-vm; only returns on failure. */
static int run_in_vm(const char *image, const char *path, int nparams, char **params,
		     int no_check, const char *cmd)
{
	char vm[PATH_MAX], self[PATH_MAX];
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	const char **argv = calloc((size_t)nparams + 16, sizeof(*argv));
	int a = 0;

	if (!argv)
		return 1;
	argv[a++] = "stapr-vm";
	if (*image && strcmp(image, "default") != 0) {
		argv[a++] = "--kernel";
		argv[a++] = image;
	}
	if (sibling_path("stapr", self, sizeof(self)) == 0) {
		argv[a++] = "--stapr";
		argv[a++] = self;
	}
	argv[a++] = "--file";
	argv[a++] = path;
	argv[a++] = "--";
	argv[a++] = "stapr";
	if (verbose)
		argv[a++] = "-v";
	if (no_check)
		argv[a++] = "--no-release-check";
	if (cmd) {
		argv[a++] = "-c";
		argv[a++] = cmd;
	}
	argv[a++] = base;
	for (int i = 0; i < nparams; i++)
		argv[a++] = params[i];
	note("running the module in a VM with stapr-vm");
	if (sibling_path("stapr-vm", vm, sizeof(vm)) == 0)
		execv(vm, (char **)argv);
	execvp("stapr-vm", (char **)argv);
	error("cannot run stapr-vm: %s", strerror(errno));
	free(argv);
	return 1;
}

/*
 * Our time zone, as staprun passes it for tz_gmtoff(), tz_name() and
 * tz_ctime(): seconds west of UTC and the zone's abbreviation, now (from
 * TZ or /etc/localtime; UTC without either).
 */
static void time_zone_params(char *off, size_t offsz, char *name, size_t namesz)
{
	time_t now = time(NULL);
	struct tm tm;
	const char *zone = "UTC";
	long west = 0;

	if (localtime_r(&now, &tm)) {
		west = -tm.tm_gmtoff;
		if (tm.tm_zone && *tm.tm_zone && !strpbrk(tm.tm_zone, "\" \t\n"))
			zone = tm.tm_zone;
	}
	snprintf(off, offsz, "_stp_tz_gmtoff=%ld", west);
	snprintf(name, namesz, "_stp_tz_name=%s", zone);
}

/*
 * Read the module file's .modinfo: is it a module at all, and does it
 * declare every NAME of the NAME=VALUE arguments?  The kernel only logs
 * unknown parameters, so a typo would otherwise go unnoticed.
 */
static int inspect_module(const char *path, int fd, int nargs, char **args,
			  struct modinfo *mi)
{
	unsigned char *image;
	size_t size;
	int rc = 0;

	image = slurp(fd, &size);
	if (!image && errno != ENOEXEC) {
		error("cannot read module '%s': %s", path, strerror(errno));
		return -1;
	}
	if (!image || modinfo_parse(image, size, mi) < 0) {
		error("'%s' is not a kernel module", path);
		free(image);
		return -1;
	}
	note("module '%s' is named '%s', built for kernel %s", path, mi->name, mi->release);
	mi->has_tz = modinfo_has_param(image, mi, "_stp_tz_gmtoff", 14, NULL, 0);
	for (int i = 0; i < nargs && rc == 0; i++) {
		size_t len = strcspn(args[i], "=");
		char names[512];

		if (!modinfo_has_param(image, mi, args[i], len, names, sizeof(names))) {
			error("module '%s' has no parameter '%.*s' (its parameters: %s)", path,
			      (int)len, args[i], *names ? names : "none");
			rc = -1;
		}
	}
	free(image);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "vm", required_argument, NULL, 'M' },
		{ "no-release-check", no_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 },
	};
	const char *outpath = NULL, *vm_image = NULL, *cmd = NULL, *path, *e;
	int no_check, opt, fd, outfd = STDOUT_FILENO, status;
	struct modinfo mi;
	struct utsname uts;
	char *params = NULL;
	char **args = NULL;
	int nargs, extra = 0;
	char tz_off[48], tz_name[80];
	pid_t cmd_pid = -1;

	e = getenv("STP_NO_VERREL_CHECK");
	no_check = e && *e;
	/* '+': everything after MODULE.ko belongs to the module. */
	opterr = 0;	/* our own messages, without the path we were run by */
	while ((opt = getopt_long(argc, argv, "+:o:c:vhV", longopts, NULL)) != -1) {
		switch (opt) {
		case 'o': outpath = optarg; break;
		case 'c': cmd = optarg; break;
		case 'v': verbose = 1; break;
		case 'M': vm_image = optarg; break;
		case 'R': no_check = 1; break;
		case 'h': usage(); return 0;
		case 'V': printf("stapr (stapc) " STAPR_VERSION "\n"); return 0;
		case ':':
			fprintf(stderr, "stapr: option '%s' needs an argument\n", argv[optind - 1]);
			usage_error();
			return 1;
		default:
			if (optopt)
				fprintf(stderr, "stapr: unknown option '-%c'\n", optopt);
			else
				fprintf(stderr, "stapr: unknown option '%s'\n", argv[optind - 1]);
			usage_error();
			return 1;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "stapr: missing MODULE.ko argument\n");
		usage_error();
		return 1;
	}
	if (cmd && !cmd[strspn(cmd, " \t\n")]) {
		fprintf(stderr, "stapr: -c wants a command, not '%s'\n", cmd);
		usage_error();
		return 1;
	}
	path = argv[optind];
	nargs = argc - optind - 1;
	for (int i = 0; cmd && i < nargs; i++) {
		if (strncmp(argv[optind + 1 + i], "_stp_target=", 12) == 0) {
			/* staprun refuses -c with -x: one target() only */
			fprintf(stderr, "stapr: -c CMD and _stp_target=PID cannot be used "
				"together (with -c, target() is the command's pid)\n");
			usage_error();
			return 1;
		}
	}

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		error("cannot open module '%s': %s", path, strerror(errno));
		return 1;
	}
	if (inspect_module(path, fd, nargs, argv + optind + 1, &mi) < 0) {
		close(fd);
		return 1;
	}
	/* room for the time zone and _stp_target=PID of the -c command */
	args = calloc((size_t)nargs + 3, sizeof(*args));
	if (!args) {
		error("out of memory");
		close(fd);
		return 1;
	}
	memcpy(args, argv + optind + 1, sizeof(*args) * (size_t)nargs);
	params = build_params(nargs, args);
	if (!params) {
		free(args);
		close(fd);
		return 1;
	}

	status = 1;
	if (outpath) {
		outfd = open(outpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
		if (outfd < 0) {
			error("cannot open output file '%s': %s", outpath, strerror(errno));
			goto out;
		}
	}

	if (vm_image) {
		/* The guest's stdout is ours, so -o works by redirecting it now. */
		if (outfd == STDOUT_FILENO || dup2(outfd, STDOUT_FILENO) >= 0)
			status = run_in_vm(vm_image, path, nargs, args, no_check, cmd);
		goto out;
	}

	uname(&uts);
	if (strcmp(mi.release, uts.release) != 0) {
		if (!no_check) {
			error("module '%s' was built for kernel %s, but this machine runs %s",
			      path, mi.release, uts.release);
			goto out;
		}
		note("ignoring that the module was built for kernel %s, not %s", mi.release,
		     uts.release);
	}

	if (mi.has_tz) {
		time_zone_params(tz_off, sizeof(tz_off), tz_name, sizeof(tz_name));
		args[nargs + extra++] = tz_off;
		args[nargs + extra++] = tz_name;
		free(params);
		params = build_params(nargs + extra, args);
		if (!params)
			goto out;
	}
	if (cmd) {
		/* forked (and held) before the module loads: target() is its pid */
		char target[32];

		cmd_pid = command_fork(cmd);
		if (cmd_pid < 0)
			goto out;
		snprintf(target, sizeof(target), "_stp_target=%ld", (long)cmd_pid);
		args[nargs + extra] = target;
		free(params);
		params = build_params(nargs + extra + 1, args);
		args[nargs + extra] = NULL;
		if (!params) {
			command_cancel();
			goto out;
		}
	}
	install_signal_handlers();
	if (load_module(fd, params, nargs > 0, path, mi.name) < 0) {
		if (cmd)
			command_cancel();
		goto out;
	}
	status = run_session(mi.name, outfd, cmd);
	if (unload_module(mi.name) < 0)
		status = 1;
	if (outfd != STDOUT_FILENO && close(outfd) < 0) {
		error("writing '%s' failed: %s", outpath, strerror(errno));
		status = 1;
	}
out:
	free(params);
	free(args);
	close(fd);
	note("exit status %d", status);
	return status;
}
