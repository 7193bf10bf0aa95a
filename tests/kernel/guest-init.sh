# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Sourced first by each guest's /init (init.sh, tools-init.sh,
# stress-init.sh; guest.sh's guest_root puts it into the initramfs): static
# busybox's applets, /proc, /sys and /dev, and the reports the host reads
# (guest.sh's guest_checks):
#   mark TEXT                "MARK TEXT" on the console
#   check NAME STATUS [WHY]  "MARK NAME PASS" when STATUS is 0, else
#                            "MARK NAME FAIL WHY"
#   log FILE                 FILE as "MARK # " detail lines

/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null

mark() { echo "MARK $*"; }
check() {
	if [ "$2" -eq 0 ]; then
		mark "$1 PASS"
	else
		mark "$1 FAIL${3:+ $3}"
	fi
}
log() { sed 's/^/MARK # /' "$1"; }
