/* command.h - the command of stapr -c: started held, released once the probes are armed. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef STAPR_COMMAND_H
#define STAPR_COMMAND_H

#include <sys/types.h>

/*
 * Fork the command and hold it before exec, so its pid can be handed to
 * the module as target() before it runs.  Returns the pid, or -1 (message
 * printed).  The held child execs only after command_release(); if stapr
 * closes the hold or dies first, the child exits without running anything.
 */
pid_t command_fork(const char *cmd);

/* Let the held command exec.  Returns 0, or -1 if it is already gone. */
int command_release(void);

/* Make the held command exit without running (the module did not start). */
void command_cancel(void);

/*
 * Install the SIGCHLD handler that notices the command's exit: it calls
 * on_exit (async-signal-safe code only) once the command has been reaped.
 */
void command_watch(void (*on_exit)(void));

/* Has the command been reaped?  *status is its wait status then. */
int command_exited(int *status);

#endif
