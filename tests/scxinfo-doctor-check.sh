#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
# scxinfo --doctor on generated trees (with real Debian kernel BTF when it can be fetched) and on
# this machine.
. "$top_srcdir/tests/tap.sh"
scxinfo="$top_builddir/tools/scxinfo"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A tree: $1 name, $2 state ("" for no sched_ext), $3 BTF file ("" for none).
tree() {
	mkdir -p "$tmp/$1/sys/kernel/btf" "$tmp/$1/sys/devices/system/cpu/smt"
	echo 0-3 >"$tmp/$1/sys/devices/system/cpu/possible"
	echo 0-3 >"$tmp/$1/sys/devices/system/cpu/online"
	echo on >"$tmp/$1/sys/devices/system/cpu/smt/control"
	echo 1 >"$tmp/$1/sys/devices/system/cpu/smt/active"
	if [ -n "$2" ]; then
		mkdir -p "$tmp/$1/sys/kernel/sched_ext"
		echo "$2" >"$tmp/$1/sys/kernel/sched_ext/state"
		echo 7 >"$tmp/$1/sys/kernel/sched_ext/hotplug_seq"
	fi
	[ -n "$3" ] && cp "$3" "$tmp/$1/sys/kernel/btf/vmlinux"
	return 0
}

doctor() { # $1 tree; sets out, rc
	out=$("$scxinfo" --doctor --sysfs-root "$tmp/$1" 2>&1)
	rc=$?
}

has() { printf '%s\n' "$out" | grep -q -- "$1"; }

tree nosched "" ""
doctor nosched
if [ "$rc" -eq 1 ] && has '^\[FAIL\] sched_ext .*CONFIG_SCHED_CLASS_EXT' && has '^\[FAIL\] btf .*CONFIG_DEBUG_INFO_BTF'; then
	ok "no sched_ext, no BTF: both FAIL with what to do, exit 1"
else
	not_ok "no sched_ext, no BTF: both FAIL with what to do, exit 1 (rc $rc)"
	printf '%s\n' "$out" | sed 's/^/# /'
fi
has 'cannot be loaded here: [0-9]* blocking' && ok "a verdict line ends the report" ||
	not_ok "a verdict line ends the report"
[ "$(printf '%s\n' "$out" | grep -vc '^\[\(ok  \|warn\|FAIL\)\] ')" -eq 1 ] &&
	ok "one tagged line per check" || not_ok "one tagged line per check"

fetch="$top_srcdir/tests/fetch-kernel-btf.sh"
btf73=$("$fetch" 7.3 2>/dev/null) || btf73=
btf72=$("$fetch" 7.2 2>/dev/null) || btf72=
caps_ok=$([ "$(id -u)" -eq 0 ] && echo 1)

if [ -n "$btf73" ]; then
	tree good disabled "$btf73"
	doctor good
	if has '^\[ok  \] sched_ext ' && has '^\[ok  \] btf .*sched_ext_ops' &&
		has '^\[ok  \] pahole ' && has '^\[ok  \] enum64 ' && has '^\[ok  \] hotplug_seq .*7 CPU' &&
		has '^\[ok  \] smt .*control on'; then
		ok "a 7.3 kernel tree: sched_ext, BTF, pahole, enum64, hotplug and SMT checks pass"
	else
		not_ok "a 7.3 kernel tree: sched_ext, BTF, pahole, enum64, hotplug and SMT checks pass"
		printf '%s\n' "$out" | sed 's/^/# /'
	fi
	if [ -n "$caps_ok" ]; then
		[ "$rc" -eq 0 ] && has 'can be loaded here: 0 blocking' && ok "as root nothing blocks: exit 0" ||
			{ not_ok "as root nothing blocks: exit 0 (rc $rc)"; printf '%s\n' "$out" | sed 's/^/# /'; }
	else
		skip "as root nothing blocks: exit 0" "not running as root"
	fi

	tree busy enabled "$btf73"
	mkdir -p "$tmp/busy/sys/kernel/sched_ext/root"
	echo "rusty_1.0.4" >"$tmp/busy/sys/kernel/sched_ext/root/ops"
	echo 0-1 >"$tmp/busy/sys/devices/system/cpu/online"
	doctor busy
	if [ "$rc" -eq 1 ] && has '^\[FAIL\] scheduler .*"rusty_1.0.4"' && has '^\[warn\] cpus .*0-1 of 0-3'; then
		ok "a running scheduler blocks (named); offline CPUs warn"
	else
		not_ok "a running scheduler blocks (named); offline CPUs warn (rc $rc)"
		printf '%s\n' "$out" | sed 's/^/# /'
	fi
else
	skip "a 7.3 kernel tree" "no Debian 7.3 kernel BTF could be fetched"
fi

if [ -n "$btf72" ]; then
	tree oldpahole disabled "$btf72"
	doctor oldpahole
	if [ "$rc" -eq 1 ] && has '^\[FAIL\] pahole .*bpf_.*aux.*pahole >= 1\.31'; then
		ok "a 7.2 kernel tree: unsplit kfuncs with the aux argument block, naming pahole 1.31"
	else
		not_ok "a 7.2 kernel tree: unsplit kfuncs with the aux argument block, naming pahole 1.31 (rc $rc)"
		printf '%s\n' "$out" | sed 's/^/# /'
	fi
else
	skip "a 7.2 kernel tree" "no Debian 7.2 kernel BTF could be fetched"
fi

# The environment's root counts like --sysfs-root, for every check.
if [ -n "$btf73" ]; then
	out=$(SCX_SYSFS_PREFIX="$tmp/busy" "$scxinfo" --doctor 2>&1)
	has '"rusty_1.0.4"' && has '^\[warn\] cpus .*0-1 of 0-3' && ok "SCX_SYSFS_PREFIX is honoured" ||
		{ not_ok "SCX_SYSFS_PREFIX is honoured"; printf '%s\n' "$out" | sed 's/^/# /'; }
fi

# BTF as pahole < 1.25 writes a 64-bit enum: an 8-byte BTF_KIND_ENUM (raw BTF built by hand).
if command -v python3 >/dev/null; then
	tree trunc disabled ""
	python3 - "$tmp/trunc/sys/kernel/btf/vmlinux" <<'PY'
import struct, sys
strs = b"\0scx_exit_code\0SCX_ECODE_RSN_HOTPLUG\0SCX_ECODE_ACT_RESTART\0"
name = lambda s: strs.index(s.encode() + b"\0")
# BTF_KIND_ENUM (6), two values, size 8: the high 32 bits of 1 << 32 and 1 << 48 are gone.
types = struct.pack("<III", name("scx_exit_code"), (6 << 24) | 2, 8)
types += struct.pack("<Ii", name("SCX_ECODE_RSN_HOTPLUG"), 0)
types += struct.pack("<Ii", name("SCX_ECODE_ACT_RESTART"), 0)
hdr = struct.pack("<HBBIIIII", 0xEB9F, 1, 0, 24, 0, len(types), len(types), len(strs))
open(sys.argv[1], "wb").write(hdr + types + strs)
PY
	doctor trunc
	if has '^\[warn\] enum64 .*1 64-bit enums (scx_exit_code first).*pahole >= 1.25'; then
		ok "BTF with a truncated 64-bit enum: a warning naming it and pahole"
	else
		not_ok "BTF with a truncated 64-bit enum: a warning naming it and pahole"
		printf '%s\n' "$out" | sed 's/^/# /'
	fi
else
	skip "BTF with a truncated 64-bit enum" "no python3 to write the BTF"
fi

# This machine: whatever it is, the report agrees with it.
out=$(SCX_SYSFS_PREFIX= "$scxinfo" --doctor 2>&1)
rc=$?
if [ ! -d /sys/kernel/sched_ext ]; then
	[ "$rc" -eq 1 ] && has '^\[FAIL\] sched_ext .*no sched_ext' &&
		ok "this machine lacks sched_ext: the doctor says so and exits 1" ||
		not_ok "this machine lacks sched_ext: the doctor says so and exits 1 (rc $rc)"
else
	has '^\[ok  \] sched_ext \|^\[FAIL\] scheduler ' &&
		ok "this machine has sched_ext: the doctor says so" ||
		not_ok "this machine has sched_ext: the doctor says so"
fi
tap_done
