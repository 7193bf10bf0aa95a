# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# BTF for many kernels: one dwarf2btf run per debug kernel package, as many
# at once as make -j allows (docs/distributions.md).
#
#   make -f docs/batch.mk PKGS=/srv/debug-pkgs OUT=/srv/btf -j4 -k
#
# PKGS holds debug kernel packages, any mix of Debian .deb
# (linux-image-*-dbg), Ubuntu .ddeb (linux-image-*-dbgsym) and RPM
# (kernel-debuginfo-*). For each package PKGS/P.ext:
#
#   OUT/P.btf              raw BTF
#   OUT/P.btf.build-id     the kernel's GNU build-id (one line of hex)
#   OUT/P.json             dwarf2btf --json: statistics, or {"error": ...}
#   OUT/by-release/R.btf   symbolic link to P.btf, R being that kernel's uname -r
#
# Only the vmlinux (and dwz files) is unpacked, into OUT/tmp/P/, and removed
# once converted. A failed package leaves no P.btf, so the next run retries
# it; with -k, make goes on with the others. Each run uses RUN_JOBS threads
# (default 1: with many kernels, run several conversions rather than one
# wide one) and about 0.5 GB of memory for a distribution kernel, so pick
# -j by memory as well as by cores.

DWARF2BTF ?= dwarf2btf
PKGS ?= pkgs
OUT ?= btf
RUN_JOBS ?= 1

pkgs := $(sort $(wildcard $(PKGS)/*.deb $(PKGS)/*.ddeb $(PKGS)/*.rpm))
btfs := $(patsubst %,$(OUT)/%.btf,$(basename $(notdir $(pkgs))))

all: $(btfs)

# $(1): the package. Unpacks it, finds the vmlinux and its release, converts;
# the unpacked files go whatever happens.
define convert
	@t=$(OUT)/tmp/$*; rm -rf $$t; mkdir -p $$t $(OUT)/by-release || exit 1; \
	case "$(1)" in \
	*.rpm)	rpm2cpio "$(1)" | (cd $$t && cpio -idm --quiet \
			'./usr/lib/debug/lib/modules/*/vmlinux' './usr/lib/debug/.dwz/*') ;; \
	*)	dpkg-deb --fsys-tarfile "$(1)" | \
			tar -x -C $$t --wildcards './usr/lib/debug/boot/vmlinux-*' ;; \
	esac; \
	v=$$(find $$t -type f \( -name 'vmlinux-*' -o -name vmlinux \) | head -n 1); \
	if [ -z "$$v" ]; then \
		echo "dwarf2btf: $(1): no debug vmlinux in this package" >&2; rm -rf $$t; exit 1; \
	fi; \
	case "$$v" in \
	*/boot/vmlinux-*) r=$${v##*/vmlinux-}; r=$${r%.debug} ;; \
	*) r=$${v%/vmlinux}; r=$${r##*/} ;; \
	esac; \
	echo "dwarf2btf: $(1) ($$r)"; \
	$(DWARF2BTF) -q -j $(RUN_JOBS) --json "$$v" -o $@ >$(OUT)/$*.json; st=$$?; \
	rm -rf $$t; \
	if [ $$st -ne 0 ]; then echo "dwarf2btf: $(1): $$(cat $(OUT)/$*.json)" >&2; exit $$st; fi; \
	ln -sfn ../$*.btf $(OUT)/by-release/$$r.btf
endef

$(OUT)/%.btf: $(PKGS)/%.deb
	$(call convert,$<)
$(OUT)/%.btf: $(PKGS)/%.ddeb
	$(call convert,$<)
$(OUT)/%.btf: $(PKGS)/%.rpm
	$(call convert,$<)

.PHONY: all
.DELETE_ON_ERROR:
