#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
#
# scx-vmtest's cases that boot a guest (tests/vm/check-vm.sh runs them after the matrix, under
# its lock): a kernel image given by path, with and without its configuration; the user's own
# guest script passing and failing; a kernel without sched_ext booted; the autopkgtest example
# a scheduler's Debian package copies.  The kernels are the ones the matrix cached, and
# Debian 12's 6.1 (no sched_ext) fetched into a cache of its own.  Prints TAP.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
top_builddir=${top_builddir:-$(pwd)}
. "$top_srcdir/tests/tap.sh"

tool=$top_builddir/vmtest/scx-vmtest
export SCX_VMTEST_LIBDIR=$top_srcdir/vmtest
sched=$top_builddir/examples/scx_simplevt
kcache=${SCX_KERNEL_CACHE:-$HOME/.cache/libscx/kernels}
if [ ! -x "$tool" ] || [ ! -x "$sched" ]; then
	echo "1..0 # SKIP no $tool or no $sched (build first; the examples need a BPF toolchain)"
	exit 0
fi
kdir=$(ls -d "$kcache"/*/ 2>/dev/null | while read -r d; do
	[ -s "$d/vmlinuz" ] && [ -s "$d/config" ] && basename "$d"; done | sort -V | tail -n 1)
if [ -z "$kdir" ]; then
	echo "1..0 # SKIP no kernel with its configuration in $kcache (the VM matrix fetches them)"
	exit 0
fi
k=$kcache/$kdir/vmlinuz cfg=$kcache/$kdir/config
work=$(mktemp -d "${TMPDIR:-/tmp}/vmtest-boot.XXXXXX")
trap 'rm -rf "$work"' EXIT
quick=(--smp 2 --nodes 1 --memory 512 --timeout 300 --jobs 1)

# run NAME ARGS...: the tool's output in $work/NAME.out and .err, its status in $rc.
run() {
	local n=$1
	shift
	"$tool" "${quick[@]}" --logdir "$work/$n" "$@" >"$work/$n.out" 2>"$work/$n.err" </dev/null
	rc=$?
}
show() { { tail -n 15 "$work/$1.out"; tail -n 5 "$work/$1.err"; } | sed 's/^/# /'; }

# A guest script of the user's: it starts the program, sees it attached, and stops it.
cat >"$work/attached.sh" <<'SH'
#!/bin/sh
"$@" & pid=$!
i=0
while [ "$(cat /sys/kernel/sched_ext/state)" != enabled ] && [ $i -lt 300 ]; do
	sleep 0.1; i=$((i + 1))
done
st=$(cat /sys/kernel/sched_ext/state)
echo "state seen: $st, ops $(cat /sys/kernel/sched_ext/root/ops 2>/dev/null)"
kill -INT $pid
wait $pid
[ "$st" = enabled ]
SH
printf '#!/bin/sh\necho "this script fails on purpose"\nexit 7\n' >"$work/fails.sh"

# --- a kernel image by path, with its configuration ------------------------------------------
run own --kernel "$k" --config "$cfg" --scenarios basic,script --script "$work/attached.sh" "$sched"
if [ "$rc" = 0 ] && grep -q "^ok .*scx_simplevt-script.*the guest script exits 0" "$work/own.out" &&
	grep -q "^ok .*scx_simplevt-basic" "$work/own.out" &&
	grep -qE "^# scx_simplevt +ok" "$work/own.out"; then
	ok "--kernel $kdir/vmlinuz --config: basic and a passing guest script pass, exit 0, the matrix says ok"
else
	not_ok "--kernel $kdir/vmlinuz --config: basic and a passing guest script pass, exit 0 (got $rc)"
	show own
fi
if grep -q "state seen: enabled, ops simplevt" "$work/own/results-$kdir.txt" 2>/dev/null ||
	grep -rq "state seen: enabled, ops simplevt" "$work/own" 2>/dev/null; then
	ok "the guest script's own output is kept with the results"
else
	not_ok "the guest script's own output is kept with the results"
	ls "$work/own" | sed 's/^/# /'
fi

# --- the same image without its configuration, and a failing script --------------------------
run fails --kernel "$k" --scenarios script --script "$work/fails.sh" "$sched"
if [ "$rc" = 1 ] && grep -q "^not ok .*scx_simplevt-script.*the guest script exits 0 (exit 7)" "$work/fails.out" &&
	grep -qE "^# scx_simplevt +FAIL" "$work/fails.out" &&
	grep -q "SKIP no configuration was given" "$work/fails.out"; then
	ok "--kernel without --config, a guest script that exits 7: exit 1, the check names exit 7, the config check skips"
else
	not_ok "--kernel without --config, a guest script that exits 7: exit 1 naming exit 7 (got $rc)"
	show fails
fi

# --- the autopkgtest example, as a scheduler's package runs it --------------------------------
if PATH=$top_builddir/vmtest:$PATH SCHEDULER=$sched AUTOPKGTEST_TMP=$work/adt AUTOPKGTEST_ARTIFACTS=$work/adt \
	SCX_VMTEST_OPTS="${quick[*]} --kernel $k --config $cfg --scenarios basic" \
	sh "$top_srcdir/examples/autopkgtest/scx-vmtest" >"$work/adt.out" 2>&1 </dev/null &&
	grep -q "^ok .*scx_simplevt-basic" "$work/adt.out" && [ -s "$work/adt/scx-vmtest/matrix.txt" ]; then
	ok "the autopkgtest example runs the scheduler and leaves the matrix in the artifacts"
else
	not_ok "the autopkgtest example runs the scheduler and leaves the matrix in the artifacts"
	tail -n 15 "$work/adt.out" | sed 's/^/# /'
fi

# --- a kernel that refuses the program for a known reason: Debian's 7.2 build -----------------
# (kfuncs its BTF left unsplit, which no program can call: docs/kernel-compat.md)
k72=$(ls -d "$kcache"/7.2.*/ 2>/dev/null | while read -r d; do
	[ -s "$d/vmlinuz" ] && [ -s "$d/config" ] && echo "${d%/}"; done | sort -V | tail -n 1)
if [ -n "$k72" ]; then
	run noload --kernel "$k72/vmlinuz" --config "$k72/config" --scenarios basic "$sched"
	if [ "$rc" = 1 ] && grep -q "refused for a known reason (no-load; --allow-no-load accepts it): scx_simplevt on 7.2" "$work/noload.err" &&
		grep -qE "^# scx_simplevt +no-load" "$work/noload.out"; then
		ok "a kernel that refuses the program for a known reason (7.2): exit 1 naming it, the matrix says no-load"
		run noload2 --allow-no-load --kernel "$k72/vmlinuz" --config "$k72/config" --scenarios basic "$sched"
		check "... and with --allow-no-load: exit 0" [ "$rc" = 0 ]
	elif [ "$rc" = 0 ]; then
		skip "a kernel that refuses the program for a known reason (7.2)" "scx_simplevt loads on $(basename "$k72") here"
		skip "... and with --allow-no-load" "nothing refused"
	else
		not_ok "a kernel that refuses the program for a known reason (7.2): exit 1 naming it (got $rc)"
		show noload
	fi
else
	skip "a kernel that refuses the program for a known reason (7.2)" "no 7.2 kernel with its config in $kcache"
	skip "... and with --allow-no-load" "no 7.2 kernel"
fi

# --- a kernel without sched_ext, booted: Debian 12's 6.1 ------------------------------------
bw=$kcache-bookworm
"$tool" --suite bookworm --cache "$bw" "$sched" >"$work/bw.out" 2>"$work/bw.err" </dev/null
bk=$(ls "$bw"/6.1.*/vmlinuz 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bk" ]; then
	skip "--kernel of a kernel without sched_ext, booted" "Debian 12's kernel could not be fetched (no archive)"
else
	run noscx --kernel "$bk" "$sched"
	if [ "$rc" = 5 ] && grep -q "no sched_ext in:" "$work/noscx.err" &&
		grep -qE "^# scx_simplevt +no-scx" "$work/noscx.out" &&
		grep -q "CONFIG_SCHED_CLASS_EXT is not set" "$work/noscx.out"; then
		ok "--kernel $(basename "$(dirname "$bk")") (no sched_ext), booted: exit 5, the matrix says no-scx"
	else
		not_ok "--kernel $(basename "$(dirname "$bk")") (no sched_ext), booted: exit 5 (got $rc)"
		show noscx
	fi
fi
tap_done
