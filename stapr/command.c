/* command.c - stapr -c CMD: fork the command, hold it on a pipe until the
 * module has armed its probes (target() is its pid), then let it exec, and
 * notice when it exits so the session can end.  It never signals the
 * command: like SystemTap's stapio, a stop (Ctrl-C, exit()) leaves it be. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "command.h"

static pid_t child = -1;
static int hold_fd = -1;			/* write end: one byte releases the child */
static volatile sig_atomic_t reaped;
static volatile int reaped_status;
static void (*exit_callback)(void);

/*
 * Split CMD into words when it is plain words (blanks, '...' and "..."
 * without $ ` \ inside), so the command itself is exec'ed and target() is
 * its pid, as stap's wordexp() does.  Anything a shell would interpret
 * (; | & < > ( ) { } $ ` \ * ? [ ~ #, a leading NAME=VALUE) makes it
 * return NULL: the command then runs as /bin/sh -c CMD.
 */
static char **plain_words(const char *cmd)
{
	size_t n = 0, len = strlen(cmd);
	char **argv = calloc(len / 2 + 2, sizeof(*argv));
	char *buf = malloc(len + 1), *out = buf;
	const char *p = cmd;

	if (!argv || !buf)
		goto shell;
	while (*p) {
		int in_word = 0;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		argv[n] = out;
		while (*p && *p != ' ' && *p != '\t') {
			if (*p == '\'' || *p == '"') {
				const char *end = strchr(p + 1, *p);

				if (!end || (*p == '"' && strpbrk(p + 1, "$`\\") &&
					     strpbrk(p + 1, "$`\\") < end))
					goto shell;
				memcpy(out, p + 1, (size_t)(end - p - 1));
				out += end - p - 1;
				p = end + 1;
			} else if (strchr("|&;<>(){}$`\\*?[~#\n", *p) ||
				   (*p == '=' && n == 0)) {
				goto shell;
			} else {
				*out++ = *p++;
			}
			in_word = 1;
		}
		*out++ = '\0';
		if (in_word)
			n++;
	}
	if (n == 0)
		goto shell;
	argv[n] = NULL;
	return argv;
shell:
	free(argv);
	free(buf);
	return NULL;
}

static void run_held(const char *cmd, int hold)
{
	char **argv;
	char c;
	ssize_t r;

	do
		r = read(hold, &c, 1);
	while (r < 0 && errno == EINTR);
	if (r != 1)
		_exit(126);	/* not released: the session never started */
	close(hold);
	argv = plain_words(cmd);
	if (argv)
		execvp(argv[0], argv);
	else
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	fprintf(stderr, "ERROR: cannot run command '%s': %s\n", cmd, strerror(errno));
	_exit(127);
}

pid_t command_fork(const char *cmd)
{
	int fds[2];

	if (pipe2(fds, O_CLOEXEC) < 0) {
		fprintf(stderr, "ERROR: cannot start command '%s': %s\n", cmd, strerror(errno));
		return -1;
	}
	fflush(NULL);
	reaped = 0;
	child = fork();
	if (child < 0) {
		fprintf(stderr, "ERROR: cannot start command '%s': %s\n", cmd, strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (child == 0) {
		close(fds[1]);
		run_held(cmd, fds[0]);
	}
	close(fds[0]);
	hold_fd = fds[1];
	return child;
}

int command_release(void)
{
	ssize_t w;

	do
		w = write(hold_fd, "g", 1);
	while (w < 0 && errno == EINTR);
	close(hold_fd);
	hold_fd = -1;
	return w == 1 ? 0 : -1;
}

void command_cancel(void)
{
	if (hold_fd < 0)
		return;
	close(hold_fd);	/* end of file: the child exits without exec */
	hold_fd = -1;
	while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
		;
	child = -1;
}

/* Reap only our command: any other child is not ours to collect. */
static void check_child(void)
{
	int status;

	if (reaped || child <= 0)
		return;
	if (waitpid(child, &status, WNOHANG) == child) {
		reaped_status = status;
		reaped = 1;
		if (exit_callback)
			exit_callback();
	}
}

static void on_sigchld(int sig)
{
	int saved_errno = errno;

	(void)sig;
	check_child();
	errno = saved_errno;
}

void command_watch(void (*on_exit)(void))
{
	struct sigaction sa;

	exit_callback = on_exit;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigchld;
	sa.sa_flags = SA_NOCLDSTOP;	/* no SA_RESTART: the relay's read must wake */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
	/* it may have died while held (killed from outside) */
	check_child();
}

int command_exited(int *status)
{
	if (!reaped) {
		sigset_t set, old;

		/* the handler may run check_child too: keep them apart */
		sigemptyset(&set);
		sigaddset(&set, SIGCHLD);
		sigprocmask(SIG_BLOCK, &set, &old);
		check_child();
		sigprocmask(SIG_SETMASK, &old, NULL);
	}
	if (reaped)
		*status = reaped_status;
	return reaped;
}
