/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * transport_protocol.h - the contract between a stapc module and stapr.
 *
 * Included by both the kernel runtime and the userspace loader, so it uses
 * only <linux/types.h> types and must never grow kernel-only constructs.
 *
 * A loaded module creates the directory /proc/stapc-MODNAME/ with two files:
 *
 *   data     read-only.  read() returns whole records only:
 *              struct stp_record_hdr, then hdr.len payload bytes (no padding).
 *            It blocks while nothing is buffered, returns -EINTR on a signal,
 *            and returns 0 (end of file) once the session has stopped and
 *            every record, end-probe output included, has been read.
 *            A reader buffer of STP_READ_MIN bytes always makes progress.
 *
 *   control  write "start": run the begin probes, then arm the others.
 *                           Output produced before this is impossible, so a
 *                           reader attached first loses nothing.
 *            write "stop":  orderly stop (disarm probes, run end probes).
 *                           Idempotent; also what exit() in a script leads to.
 *            read:          one line "state=S errors=N skipped=M dropped=D\n"
 *                           S is one of loaded, starting, running, stopping,
 *                           stopped.
 *
 * Nothing in a probe handler ever waits for the reader: when the buffer is
 * full, whole records are dropped and counted (dropped=D).
 */
#ifndef STAPC_TRANSPORT_PROTOCOL_H
#define STAPC_TRANSPORT_PROTOCOL_H

#include <linux/types.h>

#define STP_PROC_PREFIX "stapc-"	/* /proc/stapc-MODNAME */
#define STP_PROC_DATA "data"
#define STP_PROC_CONTROL "control"

enum stp_channel {
	STP_CHAN_STDOUT = 1,	/* print/printf output */
	STP_CHAN_STDERR = 2,	/* ERROR:/WARNING: messages */
};

struct stp_record_hdr {
	__u32 len;		/* payload bytes that follow */
	__u16 chan;		/* enum stp_channel */
	__u16 reserved;		/* zero */
};

#define STP_RECORD_MAX 65536	/* payload limit of one record */
#define STP_READ_MIN (STP_RECORD_MAX + sizeof(struct stp_record_hdr))

#endif
