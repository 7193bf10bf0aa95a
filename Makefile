# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
#   make                 build build/dwarf2btf
#   make check           build, then run the test suite (tests/run.sh)
#   make check-kernel    only the end-to-end test: a non-BTF kernel in QEMU
#                        served BTF by kbuild/ (tests/kernel/; also in check)
#   make check-tools     only Debian's libbpf-tools, bpftrace and bpftool on
#                        those kernels, against the kernel built with BTF
#   make check-stress    btf_vmlinux.ko under stress on a KASAN+lockdep kernel
#                        (builds that kernel; also in check once it is built)
#   make deps            install the build and test dependencies (Debian, as root)
#   make install PREFIX=/usr/local DESTDIR=   binary, man page, bash completion,
#                        and the module's DKMS sources in /usr/src; make uninstall
#   make SANITIZE=1      build with AddressSanitizer and UBSan into build/san/
#   make SANITIZE=thread build with ThreadSanitizer into build/tsan/
#   make check-tsan      the TSan test with the real kernel at -j2, -j3, -j4
#   make soak            50 conversions of the real kernel at -j1..4, identical
#
# CI sets CI=true, which turns warnings into errors.

VERSION := 0.1.0

CC ?= cc
PKG_CONFIG ?= pkg-config
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
DESTDIR ?=

# Recursive (=), so that "make deps check" asks pkg-config only after deps
# has installed it.
LIBS_PKG := libdw libelf zlib libarchive libdebuginfod
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(LIBS_PKG) 2>/dev/null)
PKG_LIBS = $(or $(shell $(PKG_CONFIG) --libs $(LIBS_PKG) 2>/dev/null),-ldw -lelf -lz -larchive -ldebuginfod)

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
ifneq ($(filter true 1 yes,$(CI)),)
WERROR ?= 1
endif
ifeq ($(WERROR),1)
WARN += -Werror
endif

OPT ?= -O2 -g
# link-time optimization: inlining across files (docs/performance.md)
LTO ?= -flto=auto
ifeq ($(SANITIZE),1)
BUILD := build/san
OPT := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
LTO :=
LDSAN := -fsanitize=address,undefined
else ifeq ($(SANITIZE),thread)
BUILD := build/tsan
OPT := -O1 -g -fno-omit-frame-pointer -fsanitize=thread
LTO :=
LDSAN := -fsanitize=thread
else
BUILD := build
endif

CPPFLAGS += -Iinclude -DDWARF2BTF_VERSION='"$(VERSION)"' -D_GNU_SOURCE
CFLAGS += -std=gnu11 $(OPT) $(LTO) $(WARN) $(PKG_CFLAGS) -pthread
# with LTO the code is compiled when linking: the same options, warnings too
LDFLAGS += $(LDSAN) $(LTO) $(if $(LTO),$(OPT) $(WARN)) -pthread
LDLIBS += $(PKG_LIBS)

SRCS := $(sort $(wildcard dwarf2btf/*.c emit/*.c))
OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(SRCS))
BIN := $(BUILD)/dwarf2btf
# everything but the CLI, for the unit tests
LIBOBJS := $(filter-out $(BUILD)/obj/dwarf2btf/main.o,$(OBJS))
UNIT_SRCS := $(sort $(wildcard tests/unit/*.c))
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))

all: $(BIN)

$(BIN): $(OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

unit: $(UNIT_BINS)

# their dependency files go under obj/: tests/cases/sanitize.sh runs every file in tests/
$(BUILD)/tests/%: tests/unit/%.c $(LIBOBJS)
	@mkdir -p $(dir $@) $(BUILD)/obj/tests/unit
	$(CC) $(CPPFLAGS) -Itests/unit $(CFLAGS) $(LDFLAGS) -MMD -MP -MT $@ \
		-MF $(BUILD)/obj/tests/unit/$*.d -o $@ $< $(LIBOBJS) $(LDLIBS)

-include $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/obj/tests/unit/%.d)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

-include $(OBJS:.o=.d)

# libFuzzer targets (tests/fuzz/fuzz_*.c), built with clang, ASan and UBSan
# into build/fuzz/; see docs/robustness.md.
#   make fuzz FUZZ_SECONDS=60     build, then run each target for N seconds
#   make fuzz-campaign FUZZ_SECONDS=3600   all targets at once, niced, with
#                                 CPU time per target (tests/fuzz/campaign.sh)
#   make fuzz-keep                its corpus, minimised, into tests/fuzz/corpus/
#   make fuzz-coverage            lines and functions reached per target
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
# Other builds set these: FUZZ_INSTR= leaves our code without libFuzzer's
# coverage counters, and FUZZ_DRIVER=tests/fuzz/replay.c links a main()
# that only replays inputs instead of libFuzzer, whose bookkeeping, shared
# by threads, ThreadSanitizer would report (tests/cases/tsan.sh).
FUZZ_BUILD ?= build/fuzz
FUZZ_SAN ?= -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_INSTR ?= -fsanitize=fuzzer-no-link
FUZZ_DRIVER ?= -fsanitize=fuzzer
FUZZ_CFLAGS := -std=gnu11 -O1 -g -fno-omit-frame-pointer $(FUZZ_SAN) $(WARN) \
	$(PKG_CFLAGS) -pthread
FUZZ_LIBOBJS := $(patsubst %.c,$(FUZZ_BUILD)/obj/%.o,$(filter-out dwarf2btf/main.c,$(SRCS))) \
	$(FUZZ_BUILD)/obj/tests/fuzz/common.o
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(FUZZ_BUILD)/%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))

fuzz-build: $(FUZZ_BINS)

fuzz: fuzz-build
	D2B_FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/cases/fuzz.sh

fuzz-campaign: fuzz-build
	sh tests/fuzz/campaign.sh $(FUZZ_SECONDS)

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIBOBJS)
	$(FUZZ_CC) $(CPPFLAGS) -Itests/fuzz $(FUZZ_CFLAGS) $(FUZZ_DRIVER) -o $@ $< \
		$(FUZZ_LIBOBJS) $(LDLIBS) -pthread

$(FUZZ_BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) -Itests/fuzz $(FUZZ_CFLAGS) $(FUZZ_INSTR) -MMD -MP -c -o $@ $<

-include $(FUZZ_LIBOBJS:.o=.d)

# Refresh tests/fuzz/corpus/ from a campaign's corpus (tests/fuzz/keep-corpus.sh)
FUZZ_KEEP_KIB ?= 128
fuzz-keep: fuzz-build
	sh tests/fuzz/keep-corpus.sh $(FUZZ_KEEP_KIB)

# The same targets built for source-based coverage (no sanitizer) into
# build/fuzz-cov/, run once over each input of a corpus: lines and
# functions of our code reached, per target (tests/fuzz/coverage.sh).
#   make fuzz-coverage                       the corpus kept in tests/fuzz/
#   make fuzz-coverage FUZZ_CORPUS=build/fuzz/corpus   a campaign's
FUZZ_CORPUS ?=
fuzz-coverage:
	$(MAKE) FUZZ_BUILD=build/fuzz-cov FUZZ_INSTR= \
		FUZZ_SAN="-fprofile-instr-generate -fcoverage-mapping" fuzz-build
	sh tests/fuzz/coverage.sh $(FUZZ_CORPUS)

.PHONY: fuzz fuzz-build fuzz-campaign fuzz-keep fuzz-coverage

check: all unit
	sh tests/run.sh $(BUILD)

# Build a small 6.1 kernel without BTF (cached), convert its vmlinux, build
# the kbuild/ module and a CO-RE program, boot it in QEMU: tests/kernel/e2e.sh
check-kernel: all
	D2B_TESTS=kernel-e2e sh tests/run.sh $(BUILD)

# Debian's libbpf-tools, bpftrace and bpftool on the test kernels without
# BTF, with btf_vmlinux.ko, with /boot/vmlinux-RELEASE, and on the
# same kernel built with BTF: tests/kernel/tools.sh (also in check)
check-tools: all
	D2B_TESTS=tools sh tests/run.sh $(BUILD)

# The module loaded, read and unloaded under stress on the debug kernel
# (KASAN, lockdep, kmemleak, ...), built here when missing: tests/kernel/stress.sh
STRESS_CYCLES ?= 200
STRESS_FAILNTH_STEP ?= 1
check-stress: all
	D2B_STRESS_BUILD=1 D2B_TEST_TIMEOUT=9000 D2B_STRESS_CYCLES=$(STRESS_CYCLES) \
		D2B_STRESS_FAILNTH_STEP=$(STRESS_FAILNTH_STEP) D2B_TESTS=module-stress \
		sh tests/run.sh $(BUILD)

.PHONY: check-kernel check-tools check-stress

# Every -j of tests/cases/tsan.sh on the real kernel (make check: -j4 only;
# about 30 s of CPU per conversion under TSan)
check-tsan: all
	D2B_TSAN_KERNEL_JOBS="2 3 4" D2B_TESTS=tsan sh tests/run.sh $(BUILD)

# Determinism soak: tests/soak.sh
SOAK_RUNS ?= 50
soak: all
	sh tests/soak.sh $(BUILD) $(SOAK_RUNS)

.PHONY: check-tsan soak

# Benchmark against pahole and bpftool; writes docs/performance.md.
RUNS ?= 5
bench: all
	sh tests/bench.sh $(BUILD) $(RUNS)

# The main job on a real input: Debian's current cloud debug kernel
# (downloaded once into the cache), converted to vmlinux.btf and compared
# with the .BTF the kernel build put into the same file.
run: all
	@vmlinux=$$(sh tests/fetch-kernel.sh) && \
	echo "dwarf2btf: converting $$vmlinux" && \
	$(BIN) -v "$$vmlinux" -o vmlinux.btf 2>&1 | grep -v 'skipping CU' && \
	$(BIN) --validate vmlinux.btf && \
	objcopy -O binary --only-section=.BTF "$$vmlinux" $(BUILD)/kernel-own.btf && \
	echo "dwarf2btf: compared with the kernel build's own .BTF (a = kernel's, b = ours):" && \
	{ $(BIN) --diff $(BUILD)/kernel-own.btf vmlinux.btf > $(BUILD)/run.diff; \
	  grep -E '^(kind|differences)' $(BUILD)/run.diff; \
	  echo "dwarf2btf: every difference is listed in $(BUILD)/run.diff"; }

deps:
	sh tests/install-deps.sh

# The module's sources go where DKMS looks for them, /usr/src/NAME-VERSION
# (whatever PREFIX is), with NAME and VERSION from kbuild/dkms.conf: every
# Kbuild, Makefile, *.c, *.S, *.h, *.sh and dkms.conf in kbuild/, but not
# what a build left there.
DKMS_SRCDIR ?= /usr/src
KBUILD_FILES = $(filter-out %.mod.c,$(sort $(wildcard kbuild/Kbuild kbuild/Makefile \
	kbuild/*.c kbuild/*.S kbuild/*.h kbuild/*.sh kbuild/dkms.conf)))
dkms_conf = $(shell sed -n 's/^$(1)=["]*\([A-Za-z0-9_.+-]*\).*/\1/p' kbuild/dkms.conf 2>/dev/null | head -n 1)
DKMS_NAME = $(or $(call dkms_conf,PACKAGE_NAME),btf_vmlinux)
DKMS_VERSION = $(or $(call dkms_conf,PACKAGE_VERSION),$(VERSION))
DKMS_DIR = $(DKMS_SRCDIR)/$(DKMS_NAME)-$(DKMS_VERSION)
# The kernel hook that builds the module once a kernel has its headers and
# debug vmlinux (packaging/kernel-hook.sh): in /etc whatever PREFIX is, where
# kernel packages run their hooks.
SYSCONFDIR ?= /etc
KERNEL_HOOKS = $(DESTDIR)$(SYSCONFDIR)/kernel/postinst.d/btf-vmlinux-dkms \
	$(DESTDIR)$(SYSCONFDIR)/kernel/header_postinst.d/btf-vmlinux-dkms

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR)
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/dwarf2btf
	install -m 0644 docs/dwarf2btf.1 $(DESTDIR)$(MANDIR)/man1/dwarf2btf.1
	install -m 0644 docs/dwarf2btf.bash-completion $(DESTDIR)$(BASHCOMPDIR)/dwarf2btf
ifneq ($(KBUILD_FILES),)
	install -d $(DESTDIR)$(DKMS_DIR)
	install -m 0644 $(filter-out %.sh,$(KBUILD_FILES)) $(DESTDIR)$(DKMS_DIR)/
	$(if $(filter %.sh,$(KBUILD_FILES)),install -m 0755 $(filter %.sh,$(KBUILD_FILES)) $(DESTDIR)$(DKMS_DIR)/)
	install -d $(DESTDIR)$(SYSCONFDIR)/kernel/postinst.d $(DESTDIR)$(SYSCONFDIR)/kernel/header_postinst.d
	for h in $(KERNEL_HOOKS); do install -m 0755 packaging/kernel-hook.sh $$h || exit 1; done
endif

# Run "dkms remove $(DKMS_NAME)/$(DKMS_VERSION) --all" first if it was added.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/dwarf2btf $(DESTDIR)$(MANDIR)/man1/dwarf2btf.1 \
		$(DESTDIR)$(BASHCOMPDIR)/dwarf2btf
	rm -rf $(DESTDIR)$(DKMS_DIR)
	rm -f $(KERNEL_HOOKS)

.PHONY: install uninstall

clean:
	rm -rf build

.PHONY: all unit check run bench deps install clean
