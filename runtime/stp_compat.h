/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_compat.h - every difference between kernel versions the runtime
 * cares about, named once here so the logic elsewhere has no #if.
 */
#ifndef STP_COMPAT_H
#define STP_COMPAT_H

#include <linux/version.h>
#include <linux/hrtimer.h>

/* 6.15 replaced hrtimer_init() + ->function with hrtimer_setup(). */
static inline void stp_hrtimer_setup(struct hrtimer *t,
				     enum hrtimer_restart (*fn)(struct hrtimer *),
				     clockid_t clock, enum hrtimer_mode mode)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 15, 0)
	hrtimer_setup(t, fn, clock, mode);
#else
	hrtimer_init(t, clock, mode);
	t->function = fn;
#endif
}

/* 5.17 renamed PDE_DATA() to pde_data(). */
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 17, 0)
#define pde_data(inode) PDE_DATA(inode)
#endif

/* 5.14 renamed task_struct's state to __state (and made it unsigned int). */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 14, 0)
#define STP_TASK_STATE_MEMBER __state
#else
#define STP_TASK_STATE_MEMBER state
#endif

#ifdef CONFIG_ARM64
#include <asm/pointer_auth.h>
/* A return address saved with a pointer-authentication code, bare.
 * 6.4 renamed ptrauth_strip_insn_pac() to ptrauth_strip_kernel_insn_pac(). */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#define stp_strip_pac(lr) ptrauth_strip_kernel_insn_pac(lr)
#else
#define stp_strip_pac(lr) ptrauth_strip_insn_pac(lr)
#endif
#endif

#endif
