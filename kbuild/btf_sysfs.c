// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * btf_vmlinux: serve BTF of the running kernel at /sys/kernel/btf/vmlinux
 * on a kernel built without CONFIG_DEBUG_INFO_BTF.
 *
 * The raw BTF (made by dwarf2btf from the kernel's debug vmlinux) is linked
 * into the module at build time (btf_blob.S). On load it is checked and
 * published read-only under the path and with the layout user space
 * expects from a BTF kernel: a "btf" directory in /sys/kernel with a
 * binary file "vmlinux" whose size is the size of the blob. BPF loaders
 * (libbpf, cilium/ebpf, aya, bpftool) then find the types for CO-RE
 * relocations without changes. The kernel itself does not use this BTF:
 * the verifier's BTF (fentry/fexit, LSM, struct_ops, kfuncs) is parsed at
 * boot and cannot be supplied by a module.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/types.h>

#include "btf_vmlinux.h"

/*
 * The BTF header (include/uapi/linux/btf.h from 4.18 on), spelled out here
 * so that the module also builds against older trees.
 */
struct btfv_header {
	u16 magic;
	u8 version;
	u8 flags;
	u32 hdr_len;
	u32 type_off;
	u32 type_len;
	u32 str_off;
	u32 str_len;
};

#define BTFV_MAGIC	0xeB9F
#define BTFV_VERSION	1

static struct kobject *btf_kobj;

/*
 * Checks the blob's header: magic in native byte order, version 1, a
 * header of at least 24 bytes whose unknown tail is zero, the type and
 * string sections inside the blob, and the blob exactly as long as the
 * header says. The types were checked against the kernel's rules by
 * dwarf2btf; this catches a corrupted, truncated or foreign blob.
 */
static int btfv_check(const u8 *data, size_t size)
{
	struct btfv_header h;
	u64 types_end, strs_end;
	size_t i;

	if (size < sizeof(h)) {
		pr_err("embedded BTF is %zu bytes, too short for a header\n", size);
		return -EINVAL;
	}
	memcpy(&h, data, sizeof(h));
	if (h.magic != BTFV_MAGIC) {
		if (h.magic == swab16(BTFV_MAGIC))
			pr_err("embedded BTF is in the other byte order than this kernel\n");
		else
			pr_err("embedded data is not BTF (magic 0x%04x)\n", h.magic);
		return -EINVAL;
	}
	if (h.version != BTFV_VERSION) {
		pr_err("embedded BTF has version %u, only %u is known\n",
		       h.version, BTFV_VERSION);
		return -EINVAL;
	}
	if (h.flags) {
		pr_err("embedded BTF has unknown flags 0x%x\n", h.flags);
		return -EINVAL;
	}
	if (h.hdr_len < sizeof(h) || h.hdr_len > size) {
		pr_err("embedded BTF has a bad header length %u (blob %zu bytes)\n",
		       h.hdr_len, size);
		return -EINVAL;
	}
	for (i = sizeof(h); i < h.hdr_len; i++) {
		if (data[i]) {
			pr_err("embedded BTF header has unknown non-zero fields\n");
			return -EINVAL;
		}
	}
	types_end = (u64)h.type_off + h.type_len;
	strs_end = (u64)h.str_off + h.str_len;
	if (h.type_off % 4 || types_end > h.str_off || !h.str_len ||
	    h.hdr_len + strs_end != size) {
		pr_err("embedded BTF sections do not fit the blob (types %u+%u, strings %u+%u, header %u, blob %zu bytes)\n",
		       h.type_off, h.type_len, h.str_off, h.str_len, h.hdr_len, size);
		return -EINVAL;
	}
	if (data[h.hdr_len + h.str_off] || data[size - 1]) {
		pr_err("embedded BTF string section does not start and end with NUL\n");
		return -EINVAL;
	}
	return 0;
}

/*
 * The read callback of a binary sysfs attribute changed type over time:
 * 4.14 to 6.12 pass a mutable struct bin_attribute; 6.13 added a
 * transitional read_new() taking a const one; later read() itself took the
 * const one and 6.18 dropped read_new(). Kbuild tests the target's
 * <linux/sysfs.h> (feature tests rather than version numbers, since
 * distribution kernels backport such changes) and defines
 * BTFV_BIN_ATTR_READ_NEW or BTFV_BIN_ATTR_CONST_READ.
 */
#if defined(BTFV_BIN_ATTR_READ_NEW)
#define BTFV_BIN_ATTR_CONST	const
#define BTFV_READ_MEMBER	read_new
#elif defined(BTFV_BIN_ATTR_CONST_READ)
#define BTFV_BIN_ATTR_CONST	const
#define BTFV_READ_MEMBER	read
#else
#define BTFV_BIN_ATTR_CONST
#define BTFV_READ_MEMBER	read
#endif

static ssize_t btfv_read(struct file *file, struct kobject *kobj,
			 BTFV_BIN_ATTR_CONST struct bin_attribute *attr,
			 char *buf, loff_t off, size_t len)
{
	/* bounds-checked copy; sysfs has already clipped len to attr->size */
	return memory_read_from_buffer(buf, len, &off, btf_vmlinux_blob_start,
				       btf_vmlinux_blob_end - btf_vmlinux_blob_start);
}

static struct bin_attribute btfv_attr = {
	.attr = { .name = "vmlinux", .mode = 0444 },
	.BTFV_READ_MEMBER = btfv_read,
};

/*
 * kobject_del() takes /sys/kernel/btf out of sysfs at once. kobject_put()
 * alone would leave it there until the last reference is dropped, which
 * CONFIG_DEBUG_KOBJECT_RELEASE delays by up to four seconds: a reload in
 * that time would find the directory and refuse to load.
 */
static void btfv_remove_dir(void)
{
	kobject_del(btf_kobj);
	kobject_put(btf_kobj);
	btf_kobj = NULL;
}

static int __init btfv_init(void)
{
	size_t size = btf_vmlinux_blob_end - btf_vmlinux_blob_start;
	struct kernfs_node *kn;
	int ret;

	ret = btfv_check(btf_vmlinux_blob_start, size);
	if (ret)
		return ret;

	/*
	 * A kernel with CONFIG_DEBUG_INFO_BTF has /sys/kernel/btf already
	 * (created at boot), as has a second copy of this module under
	 * another name. kernel_kobj is a bare kobject, not a kset, so
	 * kset_find_obj() cannot see its children, and creating a
	 * duplicate makes sysfs print a warning with a stack dump; so look
	 * for the directory in sysfs itself first.
	 */
	kn = sysfs_get_dirent(kernel_kobj->sd, "btf");
	if (kn) {
		sysfs_put(kn);
		pr_err("/sys/kernel/btf already exists (kernel built with BTF?); not loading\n");
		return -EEXIST;
	}

	btf_kobj = kobject_create_and_add("btf", kernel_kobj);
	if (!btf_kobj)
		return -ENOMEM;
	btfv_attr.size = size;
	ret = sysfs_create_bin_file(btf_kobj, &btfv_attr);
	if (ret) {
		pr_err("cannot create /sys/kernel/btf/vmlinux: %d\n", ret);
		btfv_remove_dir();
		return ret;
	}
	pr_info("serving %zu bytes of BTF at /sys/kernel/btf/vmlinux\n", size);
	return 0;
}

static void __exit btfv_exit(void)
{
	sysfs_remove_bin_file(btf_kobj, &btfv_attr);
	btfv_remove_dir();
}

module_init(btfv_init);
module_exit(btfv_exit);

MODULE_DESCRIPTION("BTF of a kernel built without CONFIG_DEBUG_INFO_BTF, at /sys/kernel/btf/vmlinux");
MODULE_LICENSE("Dual BSD/GPL");
