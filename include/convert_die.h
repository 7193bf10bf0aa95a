/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Part of the convert stage: the DIEs of one unit to the nodes of a type
 * graph (convert_die.c), for the threads that run the units (convert.c).
 * One struct cu_conv per thread, used for unit after unit.
 */
#ifndef D2B_CONVERT_DIE_H
#define D2B_CONVERT_DIE_H

#include <elfutils/libdw.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cu_conv;
struct input;
struct tgraph;

/*
 * A converter for units of @in, messages going to @err. @memo: fill each
 * struct, union and enum that has the same DIEs as one filled before from
 * that one (the result is the same). NULL when out of memory.
 */
struct cu_conv *cu_conv__new(const struct input *in, bool memo, char *err, size_t errlen);
void cu_conv__free(struct cu_conv *c);

/* The libdw handle the units come from; before the first unit and after each reopening. */
void cu_conv__set_dwarf(struct cu_conv *c, Dwarf *dwarf);

/*
 * The unit of @cudie, the @cu_index'th, into the empty graph @g: 0, 1 when
 * the unit is not C and was left out, or -errno (the message in @err, or
 * none for -ENOMEM).
 */
int cu_conv__unit(struct cu_conv *c, Dwarf_Die *cudie, uint32_t cu_index, struct tgraph *g);

/* Definitions filled from one converted before, so far. */
size_t cu_conv__reused(const struct cu_conv *c);

#endif
