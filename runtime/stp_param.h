/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_param.h - script globals settable at load time (stapr mod.ko x=5).
 *
 * Script longs are 64-bit on every architecture, so they get their own
 * parameter type instead of the kernel's `long`.
 */
#ifndef STP_PARAM_H
#define STP_PARAM_H

static __maybe_unused int stp_param_set_int64(const char *val, const struct kernel_param *kp)
{
	return kstrtos64(val, 0, (s64 *)kp->arg);
}

static __maybe_unused int stp_param_get_int64(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%lld\n", *(s64 *)kp->arg);
}

static const struct kernel_param_ops __maybe_unused stp_param_ops_int64 = {
	.set = stp_param_set_int64,
	.get = stp_param_get_int64,
};

/* the parmtype entry lets stapr check NAME=VALUE before loading */
#define STP_PARAM_LONG(name, var) \
	module_param_cb(name, &stp_param_ops_int64, &var, 0); \
	__MODULE_PARM_TYPE(name, "long")
#define STP_PARAM_STRING(name, var) \
	module_param_string(name, var, MAXSTRINGLEN, 0)

/* target(): the process named with stapc -x PID, set at load time as
 * SystemTap's staprun does (stapr M.ko _stp_target=PID); 0 if none. */
static int64_t stp_target;
STP_PARAM_LONG(_stp_target, stp_target);

#endif
