/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The raw BTF blob, included byte for byte at build time. The Kbuild file
 * passes its path as BTF_VMLINUX_PATH and makes this object depend on it.
 */
	.section .rodata, "a"
	.balign 8
	.globl btf_vmlinux_blob_start
btf_vmlinux_blob_start:
	.incbin BTF_VMLINUX_PATH
	.globl btf_vmlinux_blob_end
btf_vmlinux_blob_end:
