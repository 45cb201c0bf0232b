#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
#
# The VM test matrix: this tree's scx-vmtest (vmtest/) on the build tree (--build-tree): every
# sched_ext kernel line Debian carries, booted in qemu with one initramfs, each guest judged.
# Two VMs at a time (single-threaded TCG uses one host core each).  Then scx-vmtest's own cases
# that boot a guest (tests/vmtest/boot-cases.sh).  Prints scx-vmtest's TAP:
# every check of every kernel, then one line per kernel
#   vm KERNEL-VERSION: N passed, N failed, N skipped, T s
# and the program x kernel matrix.  When qemu, a static busybox, cpio, jq or the kernels cannot
# be had (scx-vmtest's exit statuses 3 and 4), the whole test is skipped saying why
# ("1..0 # SKIP ...").
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

out=$(mktemp "${TMPDIR:-/tmp}/check-vm.XXXXXX")
trap 'rm -f "$out"' EXIT
SCX_VMTEST_LIBDIR=$top_srcdir/vmtest "$top_builddir/vmtest/scx-vmtest" --build-tree "$top_builddir" \
	--cache "$cache" --logdir "$logdir" --jobs "$jobs" --soak-cycles "${SCX_VM_SOAK_CYCLES:-20}" \
	--stress-secs "${SCX_VM_STRESS_SECS:-40}" \
	${SCX_KERNEL_LINES:+--kernels "$(echo $SCX_KERNEL_LINES | tr ' ' ,)"} >"$out" 2>"$out.err"
rc=$?
case $rc in
3 | 4) skip_all "$(tail -n 1 "$out.err")" ;;
esac
# The matrix's TAP without its plan, then scx-vmtest's own cases that boot a guest
# (tests/vmtest/boot-cases.sh) numbered after it, and one plan for both.
grep -v '^1\.\.[0-9]*$' "$out"
sed 's/^/# /' "$out.err"
n=$(grep -cE '^(not )?ok ' "$out")
# The matrix ran every scenario the build tree's examples have, as make-plan.sh lists them.
n=$((n + 1))
if bash "$top_srcdir/vmtest/make-plan.sh" "$top_builddir" | diff - "$logdir/plan.txt" >"$out.plan" 2>&1; then
	echo "ok $n - the matrix ran every scenario make-plan.sh lists ($(wc -l <"$logdir/plan.txt") runs per kernel)"
else
	echo "not ok $n - the matrix ran every scenario make-plan.sh lists"
	sed 's/^/# /' "$out.plan"
fi
rm -f "$out.plan"
SCX_KERNEL_CACHE=$cache bash "$top_srcdir/tests/vmtest/boot-cases.sh" >"$out.boot" 2>&1
while IFS= read -r l; do
	case $l in
	"ok "* | "not ok "*)
		n=$((n + 1))
		echo "$l" | sed -E "s/^(not )?ok [0-9]+/\1ok $n/"
		;;
	"1..0 # SKIP "*) echo "# scx-vmtest's boot cases skipped: ${l#1..0 # SKIP }" ;;
	1..*) ;;
	*) echo "$l" ;;
	esac
done <"$out.boot"
echo "1..$n"
rm -f "$out.err" "$out.boot"
exit "$rc"
