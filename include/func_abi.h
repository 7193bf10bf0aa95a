/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Part of the convert stage: which functions' prototypes describe how their
 * code takes its arguments (the ABI check behind TNODE_FUNC_UNSAFE).
 */
#ifndef D2B_FUNC_ABI_H
#define D2B_FUNC_ABI_H

#include <elfutils/libdw.h>
#include <stdbool.h>
#include <stdint.h>

struct die_reader;

/*
 * Does the code of subprogram @die (read through @rd, a machine of ELF
 * e_machine @machine) not take its arguments where its prototype says?
 * True too for a function declared never to be called (DW_CC_nocall).
 */
bool func_abi__unsafe(struct die_reader *rd, uint16_t machine, Dwarf_Die *die);

#endif
