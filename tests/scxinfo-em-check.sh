#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
# scxinfo's energy-model and power sections on generated trees.
. "$top_srcdir/tests/tap.sh"
scxinfo="$top_builddir/tools/scxinfo"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

em="$tmp/em/sys/kernel/debug/energy_model"
mkdir -p "$tmp/em/sys/devices/system/cpu" "$tmp/none/sys/kernel"
echo 0-3 >"$tmp/em/sys/devices/system/cpu/possible"
state() { # domain cpus freq power cost perf
	mkdir -p "$em/$1/ps:$3"
	echo "$2" >"$em/$1/cpus"
	echo "$3" >"$em/$1/ps:$3/frequency"
	echo "$4" >"$em/$1/ps:$3/power"
	echo "$5" >"$em/$1/ps:$3/cost"
	echo "$6" >"$em/$1/ps:$3/performance"
	echo 0 >"$em/$1/ps:$3/inefficient"
}
state cpu0 0-1 1000000 100000 100 300
state cpu0 0-1 2000000 400000 200 600
state cpu2 2-3 1500000 300000 150 700
state cpu2 2-3 3000000 900000 300 1024

out=$("$scxinfo" --sysfs-root "$tmp/em")
check "text lists the domains" sh -c 'printf "%s\n" "$1" | grep -q "energy model: 2 domains, 2 distinct tables, total performance 3248" &&
	printf "%s\n" "$1" | grep -q "cpu2: cpus 2-3, group 1, 2 states, 1500000-3000000 kHz"' _ "$out"
out=$("$scxinfo" --sysfs-root "$tmp/none")
check "text says when there is no energy model" sh -c 'printf "%s\n" "$1" | grep -q "energy model: none"' _ "$out"
mkdir -p "$tmp/em/sys/devices/system/cpu/cpufreq/policy0" "$tmp/em/sys/devices/system/cpu/intel_pstate"
echo balance_power >"$tmp/em/sys/devices/system/cpu/cpufreq/policy0/energy_performance_preference"
echo 0 >"$tmp/em/sys/devices/system/cpu/intel_pstate/no_turbo"
out=$("$scxinfo" --sysfs-root "$tmp/em")
check "text shows the power profile, turbo and EPP" sh -c 'printf "%s\n" "$1" |
	grep -q "power: profile power-saver (from epp), turbo on, EPP balance_power" &&
	printf "%s\n" "$1" | grep -q "knobs: qos_latency=no resume_latency=no uncore=no turbo=yes epp=yes"' _ "$out"
out=$("$scxinfo" --sysfs-root "$tmp/none")
check "text says when nothing tells the power profile" sh -c 'printf "%s\n" "$1" | grep -q "power: profile unknown"' _ "$out"
if command -v jq >/dev/null; then
	"$scxinfo" --json --sysfs-root "$tmp/em" >"$tmp/em.json"
	check "--json carries the energy model" jq -e '.energy_model.total_performance == 3248 and
		(.energy_model.domains | length) == 2 and .energy_model.domains[1].cpus == "2-3" and
		.energy_model.domains[0].pstates[1].performance == 600 and
		.energy_model.domains[0].pstates[0].inefficient == false' "$tmp/em.json"
	"$scxinfo" --json --sysfs-root "$tmp/none" >"$tmp/none.json"
	check "--json energy_model is null without one" jq -e '.energy_model == null' "$tmp/none.json"
	check "--json carries the power section" jq -e '.power.profile == "power-saver" and
		.power.profile_source == "epp" and .power.turbo == true and .power.epp == "balance_power" and
		.power.supported.turbo == true and .power.supported.uncore == false' "$tmp/em.json"
	check "--json power profile is null when nothing tells" jq -e '.power.profile == null and
		.power.turbo == null' "$tmp/none.json"
else
	skip "--json carries the energy model" "jq not installed"
fi
tap_done
