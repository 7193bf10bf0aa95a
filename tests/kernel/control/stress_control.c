// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * stress_control: the positive control of the module stress test
 * (tests/kernel/stress.sh). Loaded after the stress run on the debug
 * kernel, it makes each detector report once: an out-of-bounds read
 * (KASAN), an allocation nobody points to (kmemleak) and two locks taken
 * in both orders (lockdep). The test then expects those reports, so a
 * clean log of the stress run means clean, not blind.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/compiler.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>

static DEFINE_MUTEX(ctl_a);
static DEFINE_MUTEX(ctl_b);

static noinline void ctl_out_of_bounds(void)
{
	size_t size = 16;
	char *p;

	/* hidden from the compiler, which would refuse the access */
	OPTIMIZER_HIDE_VAR(size);
	p = kmalloc(size, GFP_KERNEL);
	if (!p)
		return;
	pr_info("reading byte %zu of a %zu-byte allocation: %d\n", size, size,
		READ_ONCE(p[size]));
	kfree(p);
}

static noinline void ctl_leak(void)
{
	void *p = kmalloc(128, GFP_KERNEL);

	pr_info("leaking a 128-byte allocation: %s\n", p ? "done" : "no memory");
}

static noinline void ctl_lock_inversion(void)
{
	mutex_lock(&ctl_a);
	mutex_lock(&ctl_b);
	mutex_unlock(&ctl_b);
	mutex_unlock(&ctl_a);

	mutex_lock(&ctl_b);
	mutex_lock(&ctl_a);
	mutex_unlock(&ctl_a);
	mutex_unlock(&ctl_b);
}

static int __init ctl_init(void)
{
	/* lockdep first: KASAN's report taints the kernel, which stops lockdep */
	ctl_lock_inversion();
	ctl_leak();
	ctl_out_of_bounds();
	return 0;
}

static void __exit ctl_exit(void)
{
}

module_init(ctl_init);
module_exit(ctl_exit);

MODULE_DESCRIPTION("Positive control of the btf_vmlinux stress test: one report per detector");
MODULE_LICENSE("Dual BSD/GPL");
