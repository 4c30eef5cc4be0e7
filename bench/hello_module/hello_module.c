// hello_module.c - benchmark baseline: a hand-written hello-world module to compare stapc's pass 4 time and module size against.
#include <linux/module.h>
#include <linux/printk.h>

static int __init hello_module_init(void)
{
	pr_info("hello world\n");
	return 0;
}

static void __exit hello_module_exit(void)
{
	pr_info("goodbye\n");
}

module_init(hello_module_init);
module_exit(hello_module_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hello world, a baseline for stapc benchmarks");
