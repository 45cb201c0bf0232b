#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
#
# Print the guest's plan (see guest-init.sh) for every example scheduler a build tree holds:
#   basic    attach, CPU-bound load, SIGINT: UEI kind UNREG
#   hotplug  a CPU goes offline: SCX_ECODE_RSN_HOTPLUG + ACT_RESTART, the program attaches
#            again; then SysRq-S: UEI kind SYSRQ
#   exit-error / exit-stall  when the program offers a way to call scx_bpf_error() after N
#            events or to stop dispatching (found in its --help): ERROR_BPF / ERROR_STALL
#   kill     when the program can tune knobs (--tune): SIGKILL, a second start, SIGKILL, and
#            scxinfo --restore must leave every knob as before; and then
#   soak     CPU hotplug cycles, each a restart (on the kernels run-vm.sh gives scx.soak=N)
#   stress   busy loops and a fork/exec storm (on the kernels given scx.stress=SECS)
#   attach   the kernel's own examples (tests/kexamples/bin): attach, then SIGINT
# Usage: make-plan.sh BUILDDIR
set -euo pipefail

builddir=$1
[ -d "$builddir/examples" ] || exit 0

is_elf() { [ -f "$1" ] && [ "$(head -c 4 "$1" | od -An -c | tr -d ' ')" = '177ELF' ]; }

for f in "$builddir"/examples/* "$builddir"/examples/.libs/*; do
	[ -x "$f" ] && [ -f "$f" ] || continue
	n=$(basename "$f")
	case $n in lt-* | *.o | *.so* | *.la | *.a | *.sh) continue ;; esac
	# A libtool wrapper stands for .libs/NAME; either way one entry per name.
	if ! is_elf "$f" && ! is_elf "$(dirname "$f")/.libs/$n"; then
		continue
	fi
	case " ${seen:-} " in *" $n "*) continue ;; esac
	seen="${seen:-} $n"
	bin=/opt/scx/examples/$n
	help=$(LD_LIBRARY_PATH=$builddir/libscx/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} "$f" --help 2>&1 || true)
	echo "basic $n-basic $bin"
	echo "hotplug $n-hotplug $bin"
	if grep -q -- '--error-after' <<<"$help"; then
		echo "exit-error $n-error $bin --error-after 200"
	fi
	if grep -q -- '--stall-after' <<<"$help"; then
		echo "exit-stall $n-stall $bin --stall-after 200"
	fi
	if grep -q -- '--tune' <<<"$help"; then
		echo "kill $n-kill $bin --tune"
		# one program is enough for the long hotplug soak: the restart path is libscx's
		echo "soak $n-soak $bin --stats 0"
	fi
	echo "stress $n-stress $bin"
done

# The kernel's own examples (tests/kexamples kept those that built): attach and SIGINT each.
for f in "$builddir"/tests/kexamples/bin/scx_*; do
	[ -x "$f" ] || continue
	n=$(basename "$f")
	echo "attach k-$n-attach /opt/scx/kexamples/$n"
done
