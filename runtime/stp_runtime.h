/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_runtime.h - the kernel runtime every stapc module includes first.
 *
 * One header per concern, included in dependency order.  All of it is
 * compiled into the module as one translation unit, so helpers are static
 * and the compiler drops what a script does not use.
 *
 * Rules for everything under runtime/: handlers run in atomic context:
 * never sleep, never allocate, never wait without a bound.
 */
#ifndef STP_RUNTIME_H
#define STP_RUNTIME_H

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/types.h>
#include <linux/slab.h>
#include <linux/percpu.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include <linux/string.h>
#include <linux/ctype.h>
#include <linux/proc_fs.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/utsname.h>
#include <linux/sysfs.h>
#include <generated/utsrelease.h>

#include "transport_protocol.h"
#include "stp_limits.h"
#include "stp_compat.h"
#include "stp_context.h"
#include "stp_transport.h"
#include "stp_print.h"
#include "stp_string.h"
#include "stp_arith.h"
#include "stp_map.h"
#include "stp_stat.h"
#include "stp_session.h"
#include "stp_timer.h"
#include "stp_kprobe.h"
#include "stp_tracepoint.h"
#include "stp_builtins.h"
#include "stp_task.h"
#include "stp_random.h"
#include "stp_regex.h"
#include "stp_backtrace.h"
#include "stp_embedded.h"
#include "stp_dwarf.h"
#include "stp_param.h"
#include "stp_control.h"
#include "stp_procfs.h"
#include "stp_uprobe.h"
#include "stp_process_life.h"
#include "stp_process_tree.h"
#include "stp_process_syscall.h"

#endif
