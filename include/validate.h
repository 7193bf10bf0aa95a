/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Checking BTF against the rules the kernel applies when it loads BTF. */
#ifndef D2B_VALIDATE_H
#define D2B_VALIDATE_H

#include <stddef.h>

struct d2b_btf;

/*
 * Apply the kernel's per-type rules (docs/btf-rules.md). Returns 0, or
 * -EINVAL with a message naming the type id and the rule broken.
 */
int d2b_btf__validate(const struct d2b_btf *btf, char *err, size_t errlen);

#endif
