/* blocklist.h - kernel functions kernel.function/module().function never
 * probe (kprobe.function, the raw form, is left to the kernel's own
 * kprobe blacklist). */
#ifndef BLOCKLIST_H
#define BLOCKLIST_H

/* 1 if a probe on the kernel (or module) function `name` is refused */
int kernel_function_blocked(const char *name);

#endif
