#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
# scxinfo on generated trees: its text and JSON, and its errors.
. "$top_srcdir/tests/tap.sh"
scxinfo="$top_builddir/tools/scxinfo"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/on/sys/kernel/sched_ext/root" "$tmp/off/sys/kernel"
echo enabled >"$tmp/on/sys/kernel/sched_ext/state"
echo 1 >"$tmp/on/sys/kernel/sched_ext/switch_all"
echo 4 >"$tmp/on/sys/kernel/sched_ext/enable_seq"
echo simple_1.0.0 >"$tmp/on/sys/kernel/sched_ext/root/ops"

out=$("$scxinfo" --sysfs-root "$tmp/on")
check "text shows the state and the running scheduler" \
	sh -c 'printf "%s\n" "$1" | grep -q "sched_ext: enabled, running \"simple_1.0.0\""' _ "$out"
out=$("$scxinfo" --sysfs-root "$tmp/off")
check "text says when the kernel lacks sched_ext" \
	sh -c 'printf "%s\n" "$1" | grep -q "not in this kernel"' _ "$out"

"$scxinfo" --json --sysfs-root "$tmp/on" >"$tmp/on.json"
if command -v jq >/dev/null; then
	check "--json is valid JSON" jq -e . "$tmp/on.json"
	check "--json carries the state" jq -e '.sched_ext.state == "enabled" and .sched_ext.ops == "simple_1.0.0" and .sched_ext.switch_all == 1 and .sched_ext.hotplug_seq == null' "$tmp/on.json"
	"$scxinfo" --json --sysfs-root "$tmp/off" >"$tmp/off.json"
	check "--json without sched_ext" jq -e '.sched_ext.supported == false and .sched_ext.state == null' "$tmp/off.json"
else
	skip "--json is valid JSON" "jq not installed"
fi

"$scxinfo" --sysfs-root /nonexistent/root >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -ne 0 ] && grep -q "nonexistent" "$tmp/err" && ok "a missing root is an error naming it" ||
	not_ok "a missing root is an error naming it (rc $rc)"
"$scxinfo" --bogus >/dev/null 2>&1
[ $? -eq 2 ] && ok "an unknown option exits 2" || not_ok "an unknown option exits 2"
"$scxinfo" --version | grep -q "libscx $SCX_VERSION_MAJOR\." && ok "--version" || not_ok "--version"
if [ -w /dev/full ]; then
	"$scxinfo" --sysfs-root "$tmp/on" >/dev/full 2>/dev/null
	[ $? -ne 0 ] && ok "a write error is reported" || not_ok "a write error is reported"
fi
tap_done
