#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
#
# The VM test matrix: boot every cached sched_ext kernel (fetch-kernels.sh) in qemu with the same
# initramfs (mkinitramfs.sh) and judge each guest (run-vm.sh).  Two VMs at a time (single-threaded
# TCG uses one host core each).  Prints TAP: every check of every kernel, then one line per kernel
#   # vm KERNEL-VERSION: N passed, N failed, N skipped, T s
# When qemu, a static busybox, cpio, jq or the kernels cannot be had, the whole test is skipped
# saying why ("1..0 # SKIP ...").
#
# Environment: top_srcdir, top_builddir (set by make check; default: this script's tree and
# the current directory), SCX_VM_JOBS (2), SCX_KERNEL_CACHE, SCX_KERNEL_LINES (only these lines,
# e.g. "6.18 7.3"), SCX_VM_LOGDIR (default $top_builddir/tests/vm/logs), SCX_VM_TESTS=0 (skip),
# SCX_VM_WAIT=1 (wait for another matrix on this machine instead of skipping), SCX_VM_SOAK_LINES,
# SCX_VM_SOAK_CYCLES (20; make check-vm: 100), SCX_VM_STRESS_LINES, SCX_VM_STRESS_SECS (40): see below.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"	# make check runs it with $(SHELL)
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
top_builddir=${top_builddir:-$(pwd)}
jobs=${SCX_VM_JOBS:-2}
logdir=${SCX_VM_LOGDIR:-$top_builddir/tests/vm/logs}

skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

[ "${SCX_VM_TESTS:-1}" != 0 ] || skip_all "SCX_VM_TESTS=0"
command -v qemu-system-x86_64 >/dev/null || skip_all "qemu-system-x86_64 not installed (qemu-system-x86)"
static_busybox=0
for b in /bin/busybox /usr/bin/busybox; do
	[ -x "$b" ] && ! ldd "$b" >/dev/null 2>&1 && static_busybox=1
done
[ "$static_busybox" = 1 ] || skip_all "no static busybox (busybox-static)"
command -v cpio >/dev/null || skip_all "cpio not installed"
command -v jq >/dev/null || skip_all "jq not installed"
[ -e "$top_builddir/tools/scxinfo" ] || skip_all "no scxinfo in $top_builddir (build first)"

# One matrix at a time on a machine: two VMs already take both cores of the machines this runs
# on.  make check skips when another matrix is running; make check-vm (SCX_VM_WAIT=1) waits.
cache=${SCX_KERNEL_CACHE:-$HOME/.cache/libscx/kernels}
mkdir -p "$cache" || skip_all "cannot create $cache"
exec 8>"$cache/.vm-matrix.lock"
if [ "${SCX_VM_WAIT:-0}" = 1 ]; then
	flock 8
elif ! flock -n 8; then
	skip_all "another VM test matrix is running on this machine ($cache/.vm-matrix.lock);" \
		"make check-vm waits for it"
fi

mkdir -p "$logdir"
rm -f "$logdir"/*.log "$logdir"/*.txt "$logdir"/*.tap
t_start=$(date +%s)

if ! kernels=$("$here/fetch-kernels.sh" 2>"$logdir/fetch-kernels.txt"); then
	skip_all "no sched_ext kernel could be had: $(tail -n 1 "$logdir/fetch-kernels.txt")"
fi
[ -n "$kernels" ] || skip_all "no sched_ext kernel could be had"
sed 's/^/# /' "$logdir/fetch-kernels.txt"

# The long scenarios run on some lines only: the hotplug soak on the newest, the stress run on
# the newest and on 6.18 (the long-term line), unless SCX_VM_SOAK_LINES/SCX_VM_STRESS_LINES say
# otherwise (empty: nowhere).  The soak's kernel boots first, as it runs longest.
lines=$(sed -n 's/^\([0-9]*\.[0-9]*\).*/\1/p' <<<"$kernels" | sort -uV)
newest=$(tail -n 1 <<<"$lines")
export SCX_VM_SOAK_LINES=${SCX_VM_SOAK_LINES-$newest}
export SCX_VM_STRESS_LINES=${SCX_VM_STRESS_LINES-$(echo $(grep -x '6\.18' <<<"$lines") "$newest")}
# make check-vm soaks 100 restarts; a plain make check, whose time the whole suite shares, 20.
export SCX_VM_SOAK_CYCLES=${SCX_VM_SOAK_CYCLES:-20} SCX_VM_STRESS_SECS=${SCX_VM_STRESS_SECS:-40}
echo "# soak: $SCX_VM_SOAK_CYCLES hotplug restarts on ${SCX_VM_SOAK_LINES:-no line}; stress: ${SCX_VM_STRESS_SECS} s on ${SCX_VM_STRESS_LINES:-no line}"
first=
for k in $kernels; do
	case " $SCX_VM_SOAK_LINES " in *" $(sed 's/^\([0-9]*\.[0-9]*\).*/\1/' <<<"$k") "*) first="$first $k" ;; esac
done
for k in $kernels; do
	case " $first " in *" $k "*) ;; *) first="$first $k" ;; esac
done
run_order=$first

# The plan: the scenarios for every example scheduler in the build.
plan=$logdir/plan.txt
"$here/make-plan.sh" "$top_builddir" >"$plan" || { echo "Bail out! make-plan.sh failed"; exit 1; }
sed 's/^/# plan: /' "$plan"

initramfs=$logdir/initramfs.cpio
if ! "$here/mkinitramfs.sh" -b "$top_builddir" -o "$initramfs" -p "$plan" >"$logdir/mkinitramfs.txt" 2>&1; then
	echo "Bail out! mkinitramfs.sh failed: $(tail -n 3 "$logdir/mkinitramfs.txt")"
	exit 1
fi
t_prep=$(($(date +%s) - t_start))
echo "# prepared in ${t_prep}s: $(wc -l <<<"$kernels") kernels, initramfs $(($(stat -c %s "$initramfs") / 1024)) KiB"

# Run the kernels, $jobs at a time; each run writes its own TAP lines.
running=0
for k in $run_order; do
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
	"$here/run-vm.sh" -i "$initramfs" -l "$logdir" "$k" >"$logdir/$k.tap" 2>&1 &
	running=$((running + 1))
done
wait

n=0
for k in $kernels; do
	if ! grep -q '^# vm ' "$logdir/$k.tap"; then
		# run-vm.sh itself broke: count it, show why.
		echo "not ok - $k: run-vm.sh ended without a result" >>"$logdir/$k.tap"
	fi
	while IFS= read -r l; do
		case $l in
		"ok "* | "not ok "*)
			n=$((n + 1))
			echo "${l/ - / $n - }"
			;;
		"# vm "*) ;;
		*) echo "$l" ;;
		esac
	done <"$logdir/$k.tap"
done
echo "1..$n"
for k in $kernels; do
	s=$(sed -n "s/^# \(vm .*\)/\1/p" "$logdir/$k.tap" | tail -n 1)
	echo "${s:-vm $k: no result}"
done
echo "# matrix: $(($(date +%s) - t_start))s in all; serial logs in $logdir"
