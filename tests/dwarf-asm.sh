# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Hand-made DWARF for tests: shell functions that print GNU assembler with a
# .debug_abbrev and a .debug_info section, one DWARF 4 compile unit (C99),
# for DWARF no compiler writes (cycles, references outside the unit, absurd
# sizes). Sourced by tests/cases/bad-input.sh:
#
#   {
#     dw_begin
#     dw_base int 4 5                  # label name... see each function
#     dw_typedef t1 "a" t2
#     dw_end
#   } >x.s && as -o x.o x.s
#
# Every DIE gets the label .L<label>; references (DW_FORM_ref4) name labels
# and are written as offsets from the unit header, or raw with dw_typedef_raw.

# abbreviation codes
DW_AB_CU=1
DW_AB_BASE=2
DW_AB_TYPEDEF=3
DW_AB_STRUCT=4
DW_AB_MEMBER=5
DW_AB_PTR=6
DW_AB_CONST=7
DW_AB_ARRAY=8
DW_AB_SUBRANGE_UB=9
DW_AB_TYPEDEF_NONAME=10
DW_AB_VOLATILE=11
DW_AB_STRUCT8=12
DW_AB_SUBRANGE_COUNT=13
DW_AB_ENUM=14
DW_AB_ENUMERATOR=15
DW_AB_TYPEDEF_ADDR=16
DW_AB_BITFIELD=17
# the unit being written: references (ref4) are relative to its header
DW_CU=cu

dw_begin() {
	DW_CU=cu
	cat <<'EOF'
	.section .debug_abbrev,"",@progbits
	.uleb128 1		# compile unit
	.uleb128 0x11
	.byte 1
	.uleb128 0x3, 0x8	# name, string
	.uleb128 0x13, 0xb	# language, data1
	.byte 0, 0
	.uleb128 2		# base type
	.uleb128 0x24
	.byte 0
	.uleb128 0x3, 0x8
	.uleb128 0xb, 0xb	# byte_size, data1
	.uleb128 0x3e, 0xb	# encoding, data1
	.byte 0, 0
	.uleb128 3		# typedef
	.uleb128 0x16
	.byte 0
	.uleb128 0x3, 0x8
	.uleb128 0x49, 0x13	# type, ref4
	.byte 0, 0
	.uleb128 4		# structure type
	.uleb128 0x13
	.byte 1
	.uleb128 0x3, 0x8
	.uleb128 0xb, 0xf	# byte_size, udata
	.byte 0, 0
	.uleb128 5		# member
	.uleb128 0xd
	.byte 0
	.uleb128 0x3, 0x8
	.uleb128 0x49, 0x13
	.uleb128 0x38, 0xf	# data_member_location, udata
	.byte 0, 0
	.uleb128 6		# pointer type
	.uleb128 0xf
	.byte 0
	.uleb128 0xb, 0xb
	.uleb128 0x49, 0x13
	.byte 0, 0
	.uleb128 7		# const type
	.uleb128 0x26
	.byte 0
	.uleb128 0x49, 0x13
	.byte 0, 0
	.uleb128 8		# array type
	.uleb128 0x1
	.byte 1
	.uleb128 0x49, 0x13
	.byte 0, 0
	.uleb128 9		# subrange type, upper bound
	.uleb128 0x21
	.byte 0
	.uleb128 0x2f, 0x7	# upper_bound, data8
	.byte 0, 0
	.uleb128 10		# typedef without a name
	.uleb128 0x16
	.byte 0
	.uleb128 0x49, 0x13
	.byte 0, 0
	.uleb128 11		# volatile type
	.uleb128 0x35
	.byte 0
	.uleb128 0x49, 0x13
	.byte 0, 0
	.uleb128 12		# structure type, data8 size
	.uleb128 0x13
	.byte 1
	.uleb128 0x3, 0x8
	.uleb128 0xb, 0x7	# byte_size, data8
	.byte 0, 0
	.uleb128 13		# subrange type, count
	.uleb128 0x21
	.byte 0
	.uleb128 0x37, 0x7	# count, data8
	.byte 0, 0
	.uleb128 14		# enumeration type
	.uleb128 0x4
	.byte 1
	.uleb128 0x3, 0x8
	.uleb128 0xb, 0xb
	.byte 0, 0
	.uleb128 15		# enumerator
	.uleb128 0x28
	.byte 0
	.uleb128 0x3, 0x8
	.uleb128 0x1c, 0xd	# const_value, sdata
	.byte 0, 0
	.uleb128 16		# typedef, reference into any unit
	.uleb128 0x16
	.byte 0
	.uleb128 0x3, 0x8
	.uleb128 0x49, 0x10	# type, ref_addr
	.byte 0, 0
	.uleb128 17		# member, DWARF 2-4 bitfield
	.uleb128 0xd
	.byte 0
	.uleb128 0x3, 0x8
	.uleb128 0x49, 0x13
	.uleb128 0xb, 0x7	# byte_size (storage), data8
	.uleb128 0xd, 0xf	# bit_size, udata
	.uleb128 0xc, 0xd	# bit_offset, sdata
	.uleb128 0x38, 0xf
	.byte 0, 0
	.byte 0

	.section .debug_info,"",@progbits
.Lcu:
	.long .Lcu_end - .Lcu - 4	# unit length
	.short 4			# version
	.long 0				# abbreviations at offset 0
	.byte 8				# address size
	.uleb128 1
	.asciz "bad.c"
	.byte 0xc			# DW_LANG_C99
EOF
}

dw_end() {
	printf '\t.byte 0\t\t# end of the unit DIE children\n.L%s_end:\n' "$DW_CU"
}

# dw_unit LABEL NAME: end the unit being written, start another
dw_unit() {
	dw_end
	DW_CU=$1
	printf '.L%s:\n\t.long .L%s_end - .L%s - 4\n\t.short 4\n\t.long 0\n\t.byte 8\n' "$1" "$1" "$1"
	printf '\t.uleb128 1\n\t.asciz "%s"\n\t.byte 0xc\n' "$2"
}

# a reference to the DIE labelled $1
_dw_ref() {
	printf '\t.long .L%s - .L%s\n' "$1" "$DW_CU"
}

# dw_typedef_addr LABEL NAME TARGET: a typedef of a type in any unit
dw_typedef_addr() {
	printf '.L%s:\n\t.uleb128 %s\n\t.asciz "%s"\n' "$1" $DW_AB_TYPEDEF_ADDR "$2"
	printf '\t.long .L%s - .Lcu\n' "$3"
}

# dw_base LABEL NAME SIZE ENCODING (5 signed, 7 unsigned, 4 float)
dw_base() {
	printf '.L%s:\n\t.uleb128 %s\n\t.asciz "%s"\n\t.byte %s, %s\n' "$1" $DW_AB_BASE "$2" "$3" "$4"
}

# dw_typedef LABEL NAME TARGET
dw_typedef() {
	printf '.L%s:\n\t.uleb128 %s\n\t.asciz "%s"\n' "$1" $DW_AB_TYPEDEF "$2"
	_dw_ref "$3"
}

# dw_typedef_raw LABEL NAME OFFSET: a typedef whose reference is a raw offset
dw_typedef_raw() {
	printf '.L%s:\n\t.uleb128 %s\n\t.asciz "%s"\n' "$1" $DW_AB_TYPEDEF "$2"
	# a number: it may point anywhere
	printf '\t.long %s\n' "$3"
}

# dw_typedef_noname LABEL TARGET
dw_typedef_noname() {
	printf '.L%s:\n\t.uleb128 %s\n' "$1" $DW_AB_TYPEDEF_NONAME
	_dw_ref "$2"
}

# dw_ptr LABEL TARGET / dw_const LABEL TARGET / dw_volatile LABEL TARGET
dw_ptr() {
	printf '.L%s:\n\t.uleb128 %s\n\t.byte 8\n' "$1" $DW_AB_PTR
	_dw_ref "$2"
}
dw_const() {
	printf '.L%s:\n\t.uleb128 %s\n' "$1" $DW_AB_CONST
	_dw_ref "$2"
}
dw_volatile() {
	printf '.L%s:\n\t.uleb128 %s\n' "$1" $DW_AB_VOLATILE
	_dw_ref "$2"
}

# dw_struct LABEL NAME SIZE, then dw_member lines, then dw_struct_end
dw_struct() {
	printf '.L%s:\n\t.uleb128 %s\n\t.asciz "%s"\n\t.uleb128 %s\n' "$1" $DW_AB_STRUCT "$2" "$3"
}
# dw_struct8 LABEL NAME SIZE: byte size as data8 (any 64-bit value)
dw_struct8() {
	printf '.L%s:\n\t.uleb128 %s\n\t.asciz "%s"\n\t.quad %s\n' "$1" $DW_AB_STRUCT8 "$2" "$3"
}
# dw_bitfield NAME TYPE STORAGE BITS BIT_OFFSET OFFSET: DW_AT_byte_size
# (data8), DW_AT_bit_size, DW_AT_bit_offset (signed), at byte OFFSET
dw_bitfield() {
	printf '\t.uleb128 %s\n\t.asciz "%s"\n' $DW_AB_BITFIELD "$1"
	_dw_ref "$2"
	printf '\t.quad %s\n\t.uleb128 %s\n\t.sleb128 %s\n\t.uleb128 %s\n' "$3" "$4" "$5" "$6"
}
# dw_member NAME TYPE OFFSET
dw_member() {
	printf '\t.uleb128 %s\n\t.asciz "%s"\n' $DW_AB_MEMBER "$1"
	_dw_ref "$2"
	printf '\t.uleb128 %s\n' "$3"
}
dw_struct_end() {
	printf '\t.byte 0\n'
}

# dw_array LABEL ELEMENT, dw_subrange_ub BOUND / dw_subrange_count COUNT, dw_array_end
dw_array() {
	printf '.L%s:\n\t.uleb128 %s\n' "$1" $DW_AB_ARRAY
	_dw_ref "$2"
}
dw_subrange_ub() {
	printf '\t.uleb128 %s\n\t.quad %s\n' $DW_AB_SUBRANGE_UB "$1"
}
dw_subrange_count() {
	printf '\t.uleb128 %s\n\t.quad %s\n' $DW_AB_SUBRANGE_COUNT "$1"
}
dw_array_end() {
	printf '\t.byte 0\n'
}

# dw_enum LABEL NAME SIZE, dw_enumerator NAME VALUE..., dw_enum_end
dw_enum() {
	printf '.L%s:\n\t.uleb128 %s\n\t.asciz "%s"\n\t.byte %s\n' "$1" $DW_AB_ENUM "$2" "$3"
}
dw_enumerator() {
	printf '\t.uleb128 %s\n\t.asciz "%s"\n\t.sleb128 %s\n' $DW_AB_ENUMERATOR "$1" "$2"
}
dw_enum_end() {
	printf '\t.byte 0\n'
}
