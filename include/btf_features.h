/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * BTF kinds that older consumers reject. Kernels and the libbpf of their
 * era learnt them over time; for an older target the converter writes
 * what the kernel build's encoder writes for it instead:
 *   float     FLOAT (5.13); else an INT of the same name and size
 *   decl_tag  DECL_TAG (5.16); else nothing
 *   type_tag  TYPE_TAG (5.17); else pointers point past the tags
 *   enum64    ENUM64 and signed ENUM (6.0); else 8-byte enums are ENUMs
 *             with 32-bit values, and no ENUM is marked signed
 */
#ifndef D2B_BTF_FEATURES_H
#define D2B_BTF_FEATURES_H

#include <stddef.h>
#include <stdint.h>

#define BTF_FEAT_FLOAT		(1u << 0)
#define BTF_FEAT_DECL_TAG	(1u << 1)
#define BTF_FEAT_TYPE_TAG	(1u << 2)
#define BTF_FEAT_ENUM64		(1u << 3)
#define BTF_FEAT_ALL		0xfu

#define KERNEL_VERSION_CODE(a, b) ((uint32_t)(a) << 16 | (uint32_t)(b) << 8)

/* What consumers of kernel @version (major << 16 | minor << 8 | patch) accept. */
unsigned int btf_features__for_kernel(uint32_t version);

/*
 * Parses a comma-separated list of feature names, "all" or "none", into
 * *@out; returns 0, or -EINVAL with the offending name in @bad.
 */
int btf_features__parse(const char *list, unsigned int *out, char *bad, size_t badlen);

/* Is every type of @btf one that a target with @features accepts? */
struct d2b_btf;
int btf_features__check(const struct d2b_btf *btf, unsigned int features, char *err, size_t errlen);

/* "float,decl_tag,..." of @features into @buf; "none" when empty. */
const char *btf_features__str(unsigned int features, char *buf, size_t len);

#endif
