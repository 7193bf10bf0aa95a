/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* The raw BTF blob linked into the module by btf_blob.S. */
#ifndef BTF_VMLINUX_H
#define BTF_VMLINUX_H

#include <linux/types.h>

extern const u8 btf_vmlinux_blob_start[];
extern const u8 btf_vmlinux_blob_end[];

#endif
