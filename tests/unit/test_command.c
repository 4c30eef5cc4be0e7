/* test_command.c - unit tests for stapr/command.c (stapr -c CMD) with real
 * child processes: the pid returned is the one that runs (plain words are
 * exec'ed directly, shell syntax by /bin/sh -c), words and quotes reach the
 * program intact, a cancelled command never runs, and exits are seen. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "command.h"

static int passed, failed;
static volatile sig_atomic_t callback_calls;

static void check(const char *what, int ok)
{
	if (ok) {
		passed++;
		return;
	}
	printf("FAIL %s\n", what);
	failed++;
}

static void on_exit_cb(void)
{
	callback_calls++;
}

/* Wait (at most 10 s) for the command; returns its wait status or -1. */
static int wait_exit(void)
{
	struct timespec pause = { 0, 10 * 1000 * 1000 };
	int status;

	for (int i = 0; i < 1000; i++) {
		if (command_exited(&status))
			return status;
		nanosleep(&pause, NULL);
	}
	return -1;
}

static char *slurp(const char *path)
{
	static char buf[256];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

/* Run CMD to the end; returns its wait status, *pid the pid it was given. */
static int run(const char *cmd, pid_t *pid)
{
	*pid = command_fork(cmd);
	if (*pid < 0)
		return -1;
	command_watch(on_exit_cb);
	if (command_release() < 0)
		return -1;
	return wait_exit();
}

int main(void)
{
	char dir[] = "/tmp/test_command.XXXXXX", cmd[512], pidtext[32], *got;
	int status, devnull, saved_err;
	pid_t pid;

	if (!mkdtemp(dir) || chdir(dir) < 0) {
		perror("test_command");
		return 1;
	}

	/* plain words: exec'ed directly, so $$ of that sh is target() */
	status = run("sh -c 'echo $$ >plain.pid'", &pid);
	check("plain: exit 0", status == 0);
	snprintf(pidtext, sizeof(pidtext), "%d", (int)pid);
	got = slurp("plain.pid");
	check("plain: the command's pid", got && strcmp(got, pidtext) == 0);
	check("plain: exit callback once", callback_calls == 1);

	/* shell syntax: /bin/sh -c CMD, whose pid it is */
	status = run("echo $$ >shell.pid; exit 3", &pid);
	check("shell: exit 3", WIFEXITED(status) && WEXITSTATUS(status) == 3);
	snprintf(pidtext, sizeof(pidtext), "%d", (int)pid);
	got = slurp("shell.pid");
	check("shell: the shell's pid", got && strcmp(got, pidtext) == 0);

	/* quotes, blanks and an empty word reach the program as words */
	status = run("sh -c 'printf \"%s|\" \"$@\" >words' x 'a  b' \"c d\" '' e", &pid);
	check("words: exit 0", status == 0);
	got = slurp("words");
	check("words: split as a shell would", got && strcmp(got, "a  b|c d||e|") == 0);

	/* a command that cannot run: exit 127 (its message silenced here) */
	fflush(stderr);
	saved_err = dup(2);
	devnull = open("/dev/null", O_WRONLY);
	dup2(devnull, 2);
	status = run("/nonexistent/program arg", &pid);
	dup2(saved_err, 2);
	close(saved_err);
	close(devnull);
	check("missing: exit 127", WIFEXITED(status) && WEXITSTATUS(status) == 127);

	/* killed by a signal */
	status = run("sh -c 'kill -9 $$'", &pid);
	check("signal: SIGKILL", WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

	/* cancelled before release: the command never runs */
	pid = command_fork("touch cancelled");
	check("cancel: forked", pid > 0);
	command_cancel();
	usleep(100 * 1000);
	check("cancel: never ran", access("cancelled", F_OK) != 0);
	check("cancel: reaped", kill(pid, 0) != 0);

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (chdir("/") == 0 && system(cmd) != 0)
		printf("could not remove %s\n", dir);
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
