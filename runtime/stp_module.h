/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_module.h - module init and exit for every generated module.
 *
 * Included last by the generated C, after it has defined
 * `static const struct stp_program stp_program`.  Loading only prepares
 * (buffers, contexts, control files): no probe runs until stapr says
 * "start", so no output can be produced before a reader is attached.
 */
#ifndef STP_MODULE_H
#define STP_MODULE_H

/* Refuse a kernel other than the one we were compiled for: structure
 * layouts and symbol addresses would be wrong.  -DSTP_NO_VERREL_CHECK
 * skips this, as in SystemTap. */
static int stp_check_release(void)
{
#ifndef STP_NO_VERREL_CHECK
	if (strcmp(init_utsname()->release, UTS_RELEASE) != 0) {
		pr_err("%s: built for kernel %s, but this is %s\n",
		       KBUILD_MODNAME, UTS_RELEASE, init_utsname()->release);
		return -EINVAL;
	}
#endif
	return 0;
}

static void stp_module_cleanup(void)
{
	if (stp_prog->free_globals)
		stp_prog->free_globals();
	stp_control_remove();
	stp_contexts_free();
	stp_ring_free();
}

static int __init stp_module_init(void)
{
	int rc;

	rc = stp_check_release();
	if (rc)
		return rc;
	stp_prog = &stp_program;
	rc = stp_ring_alloc();
	if (!rc)
		rc = stp_contexts_alloc(stp_prog->locals_size, stp_prog->frame_size,
					stp_prog->scratch_size);
	if (!rc && stp_prog->alloc_globals)
		rc = stp_prog->alloc_globals();
	if (!rc)
		rc = stp_control_create();
	if (rc)
		stp_module_cleanup();
	return rc;
}

static void __exit stp_module_exit(void)
{
	/* unloaded without stapr's stop (rmmod by hand): stop now */
	stp_session_stop();
	stp_module_cleanup();
}

module_init(stp_module_init);
module_exit(stp_module_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("stapc probe module");

#endif
