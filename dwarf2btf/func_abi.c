// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * FUNC ABI checks: a FUNC whose code does not take its arguments where the
 * prototype says is marked unsafe, and the encoder leaves it out as the
 * kernel build does (a wrong prototype misleads a tracer more than a
 * missing one).
 */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <gelf.h>

#include "die_reader.h"
#include "func_abi.h"
#include "util.h"

/* Longest chain of typedefs and qualifiers followed to a parameter's type. */
#define FUNC_ABI_MAX_CHAIN	64

static bool func_abi_udata(struct die_reader *rd, Dwarf_Die *die, unsigned int name,
			   Dwarf_Word *val)
{
	Dwarf_Attribute attr;

	return die_reader__attr(rd, die, name, &attr) && !dwarf_formudata(&attr, val);
}

/* Registers expected to hold the first arguments, as DW_OP_regN atoms. */
static int abi_arg_regs(uint16_t machine, const uint8_t **regs)
{
	static const uint8_t x86_64[] = { DW_OP_reg5, DW_OP_reg4, DW_OP_reg1,
					  DW_OP_reg2, DW_OP_reg8, DW_OP_reg9 };
	static const uint8_t aarch64[] = { DW_OP_reg0, DW_OP_reg1, DW_OP_reg2, DW_OP_reg3,
					   DW_OP_reg4, DW_OP_reg5, DW_OP_reg6, DW_OP_reg7 };
	static const uint8_t s390[] = { DW_OP_reg2, DW_OP_reg3, DW_OP_reg4,
					DW_OP_reg5, DW_OP_reg6 };

	switch (machine) {
	case EM_X86_64:
		*regs = x86_64;
		return ARRAY_SIZE(x86_64);
	case EM_AARCH64:
		*regs = aarch64;
		return ARRAY_SIZE(aarch64);
	case EM_S390:
		*regs = s390;
		return ARRAY_SIZE(s390);
	default:
		*regs = NULL;
		return 0;
	}
}

/* How a parameter is passed, as far as argument registers are concerned. */
enum param_class {
	PARAM_INT,		/* one general register */
	PARAM_INT_PAIR,		/* 16-byte integer: two general registers */
	PARAM_FLOAT,		/* a floating-point register of its own */
	PARAM_AGGREGATE,	/* struct or union by value: spans registers */
};

static enum param_class param_class(struct die_reader *rd, Dwarf_Die *param)
{
	Dwarf_Attribute attr;
	Dwarf_Word enc, size;
	Dwarf_Die t;
	int depth;

	if (!die_reader__attr_integrate(rd, param, DW_AT_type, &attr) ||
	    !dwarf_formref_die(&attr, &t))
		return PARAM_INT;
	for (depth = 0; depth < FUNC_ABI_MAX_CHAIN; depth++) {
		int tag = dwarf_tag(&t);

		if (tag == DW_TAG_structure_type || tag == DW_TAG_union_type)
			return PARAM_AGGREGATE;
		if (tag == DW_TAG_base_type) {
			if (func_abi_udata(rd, &t, DW_AT_encoding, &enc) &&
			    (enc == DW_ATE_float || enc == DW_ATE_complex_float))
				return PARAM_FLOAT;
			return func_abi_udata(rd, &t, DW_AT_byte_size, &size) && size == 16 ?
			       PARAM_INT_PAIR : PARAM_INT;
		}
		if (tag != DW_TAG_typedef && tag != DW_TAG_const_type &&
		    tag != DW_TAG_volatile_type && tag != DW_TAG_atomic_type)
			return PARAM_INT;
		if (!die_reader__attr(rd, &t, DW_AT_type, &attr) ||
		    !dwarf_formref_die(&attr, &t))
			return PARAM_INT;
	}
	return PARAM_INT;
}

/* The first operation of @param's location, or -1 if it has none. */
static int param_loc_op(struct die_reader *rd, Dwarf_Die *param)
{
	Dwarf_Addr base, start, end;
	Dwarf_Attribute attr;
	Dwarf_Op *expr;
	size_t len;
	uint8_t op;
	int r;

	if (!die_reader__attr(rd, param, DW_AT_location, &attr))
		return -1;
	r = die_reader__first_loc_op(rd, &attr, &op);
	if (r >= 0)
		return r ? -1 : op;
	if (dwarf_getlocations(&attr, 0, &base, &start, &end, &expr, &len) > 0 && len)
		return expr[0].atom;
	return -1;
}

/*
 * Does the code at @die take its arguments where the prototype says? An
 * optimizing compiler may move or drop arguments of a function whose
 * callers it sees; such a prototype would mislead a tracer. Integer and
 * pointer arguments are checked against the ABI's argument registers in
 * order; floating-point ones use other registers and are not counted;
 * arguments past the registers are on the stack.
 */
bool func_abi__unsafe(struct die_reader *rd, uint16_t machine, Dwarf_Die *die)
{
	Dwarf_Attribute attr;
	Dwarf_Word cc;
	const uint8_t *regs;
	Dwarf_Die child;
	bool moved = false;
	int nregs, reg = 0;

	if (die_reader__attr_integrate(rd, die, DW_AT_calling_convention, &attr) &&
	    !dwarf_formudata(&attr, &cc) && cc == DW_CC_nocall)
		return true;
	if (!die_reader__attr(rd, die, DW_AT_low_pc, &attr) &&
	    !die_reader__attr(rd, die, DW_AT_ranges, &attr))
		return false;
	nregs = abi_arg_regs(machine, &regs);
	if (die_reader__child(rd, die, &child))
		return false;
	do {
		enum param_class pc;
		int op;

		if (dwarf_tag(&child) != DW_TAG_formal_parameter)
			continue;
		pc = param_class(rd, &child);
		/* a struct passed by value spans registers, shifting the others */
		if (pc == PARAM_AGGREGATE)
			return false;
		if (pc == PARAM_FLOAT)
			continue;
		/* AArch64 passes a 16-byte integer in an even-numbered pair */
		if (pc == PARAM_INT_PAIR && machine == EM_AARCH64)
			reg = (reg + 1) & ~1;
		op = reg < nregs ? param_loc_op(rd, &child) : -1;
		if (op >= DW_OP_reg0 && op <= DW_OP_reg31 && op != regs[reg])
			moved = true;
		reg += pc == PARAM_INT_PAIR ? 2 : 1;
	} while (die_reader__sibling(rd, &child, &child) == 0);
	return moved;
}
