// kprobe_empty.c - benchmark baseline: the cheapest possible kprobe, an empty pre_handler on __x64_sys_getpid.
#include <linux/kprobes.h>
#include <linux/module.h>

static int empty_pre_handler(struct kprobe *p, struct pt_regs *regs)
{
	return 0;
}

static struct kprobe getpid_probe = {
	.symbol_name = "__x64_sys_getpid",
	.pre_handler = empty_pre_handler,
};

static int __init kprobe_empty_init(void)
{
	return register_kprobe(&getpid_probe);
}

static void __exit kprobe_empty_exit(void)
{
	unregister_kprobe(&getpid_probe);
}

module_init(kprobe_empty_init);
module_exit(kprobe_empty_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("empty kprobe on getpid, a baseline for stapc benchmarks");
