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

# Topology: 2 nodes (the second without CPUs), one LLC of 2 cores x 2 threads, CPU 4 offline.
cpu="$tmp/on/sys/devices/system/cpu"
mkdir -p "$cpu"
echo 0-4 >"$cpu/possible"
echo 0-3 >"$cpu/online"
for c in 0 1 2 3; do
	core=$((c / 2)); first=$((core * 2))
	mkdir -p "$cpu/cpu$c/topology" "$cpu/cpu$c/cache/index3" "$cpu/cpu$c/cpufreq"
	echo "$first-$((first + 1))" >"$cpu/cpu$c/topology/thread_siblings_list"
	echo $core >"$cpu/cpu$c/topology/core_id"
	echo 0 >"$cpu/cpu$c/topology/physical_package_id"
	echo 0-3 >"$cpu/cpu$c/topology/core_siblings_list"
	echo 3 >"$cpu/cpu$c/cache/index3/level"
	echo 8192K >"$cpu/cpu$c/cache/index3/size"
	echo 0-3 >"$cpu/cpu$c/cache/index3/shared_cpu_list"
	echo $((3000000 + core * 1000000)) >"$cpu/cpu$c/cpufreq/cpuinfo_max_freq"
	echo $c >"$cpu/cpu$c/cpufreq/related_cpus"
done
mkdir -p "$cpu/cpu4" "$tmp/on/sys/devices/system/node/node0" "$tmp/on/sys/devices/system/node/node1"
echo 0 >"$cpu/cpu4/online"
echo 0-4 >"$tmp/on/sys/devices/system/node/node0/cpulist"
echo "10 21" >"$tmp/on/sys/devices/system/node/node0/distance"
echo >"$tmp/on/sys/devices/system/node/node1/cpulist"
echo "21 10" >"$tmp/on/sys/devices/system/node/node1/distance"

"$scxinfo" --sysfs-root "$tmp/on" >"$tmp/topo.txt"
check "text shows the topology summary" \
	grep -q "topology: 5 CPU ids, online 0-3; 2 cores, 1 LLC, 2 nodes, 1 package; SMT on" "$tmp/topo.txt"
check "text shows the tree down to cores" \
	grep -q "core 1 (big): cpu 2-3, capacity 1024, max 4000 MHz" "$tmp/topo.txt"
check "text shows a CPU-less node and offline CPUs" \
	sh -c 'grep -q "node 1: no CPUs" "$1" && grep -q "offline: cpu 4" "$1"' _ "$tmp/topo.txt"
if command -v jq >/dev/null; then
	"$scxinfo" --json --sysfs-root "$tmp/on" >"$tmp/topo.json"
	check "--json topology: CPUs" jq -e '.nr_cpu_ids == 5 and (.cpus | length) == 5 and .cpus[1].core == 0 and .cpus[2].core == 1 and .cpus[3].llc == 0 and .cpus[0].capacity == 768 and .cpus[0].core_type == "little" and .cpus[2].core_type == "big" and .cpus[4].online == false and .cpus[4].core == null and .cpus[4].node == 0' "$tmp/topo.json"
	check "--json topology: cores, LLCs, nodes" jq -e '(.cores | length) == 2 and .cores[1].cpus == "2-3" and .cores[1].type == "big" and .llcs[0].cache_size == 8388608 and .llcs[0].nr_cores == 2 and (.nodes | length) == 2 and .nodes[1].cpus == "" and .nodes[0].distances == [10, 21] and .primary.powersave == "0-1"' "$tmp/topo.json"
	"$scxinfo" --json --sysfs-root "$tmp/off" >"$tmp/off-topo.json"
	check "--json without CPU information" jq -e '.nr_cpu_ids == null and .cpus == [] and (.topology_error | length) > 0' "$tmp/off-topo.json"
else
	skip "--json topology" "jq not installed"
fi

"$scxinfo" --sysfs-root /nonexistent/root >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -ne 0 ] && grep -q "nonexistent" "$tmp/err" && ok "a missing root is an error naming it" ||
	not_ok "a missing root is an error naming it (rc $rc)"
# --restore on a tree taken as this system: a dead scheduler's journal is replayed and removed,
# a live one's (this shell's) is left; a journal others may read is refused (exit 1).
lat="sys/devices/system/cpu/cpu0/power/pm_qos_resume_latency_us"
mkdir -p "$tmp/rs/sys/devices/system/cpu/cpu0/power" "$tmp/rs/run/libscx"
chmod 700 "$tmp/rs/run/libscx"
printf 7 >"$tmp/rs/$lat"
journal() { # FILE PID START
	printf 'libscx-journal 1\nboot -\npid %s\nstart %s\nknob %s =0 =7\nend\n' "$2" "$3" "$lat" >"$1"
	chmod 600 "$1"
}
journal "$tmp/rs/run/libscx/2147483647-1-0.journal" 2147483647 1
self_start=$(sed 's/.*) //' /proc/$$/stat | cut -d' ' -f20)
journal "$tmp/rs/run/libscx/$$-$self_start-0.journal" $$ "$self_start"
out=$("$scxinfo" --sysfs-root "$tmp/rs" --restore 2>"$tmp/rs.err")
rc=$?
[ $rc -eq 0 ] && [ "$out" = "restored 1 knob" ] && [ "$(cat "$tmp/rs/$lat")" = 0 ] &&
	grep -q "restored to '0'" "$tmp/rs.err" && [ ! -e "$tmp/rs/run/libscx/2147483647-1-0.journal" ] &&
	[ -e "$tmp/rs/run/libscx/$$-$self_start-0.journal" ] &&
	ok "--restore replays a dead scheduler's journal and leaves a live one's" ||
	not_ok "--restore replays a dead scheduler's journal and leaves a live one's (rc $rc: $out $(cat "$tmp/rs.err"))"
journal "$tmp/rs/run/libscx/2147483647-2-0.journal" 2147483647 2
chmod 644 "$tmp/rs/run/libscx/2147483647-2-0.journal"
"$scxinfo" --sysfs-root "$tmp/rs" --restore >/dev/null 2>"$tmp/rs.err"
rc=$?
[ $rc -eq 1 ] && grep -q "2147483647-2-0.journal.*refused" "$tmp/rs.err" &&
	ok "--restore refuses a journal others can read (exit 1)" ||
	not_ok "--restore refuses a journal others can read (rc $rc: $(cat "$tmp/rs.err"))"

"$scxinfo" --bogus >/dev/null 2>&1
[ $? -eq 2 ] && ok "an unknown option exits 2" || not_ok "an unknown option exits 2"
"$scxinfo" --version | grep -q "libscx $SCX_VERSION_MAJOR\." && ok "--version" || not_ok "--version"
if [ -w /dev/full ]; then
	"$scxinfo" --sysfs-root "$tmp/on" >/dev/full 2>/dev/null
	[ $? -ne 0 ] && ok "a write error is reported" || not_ok "a write error is reported"
fi
tap_done
