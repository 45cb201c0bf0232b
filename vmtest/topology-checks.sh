#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
#
# Sourced by run-vm.sh: libscx's topology (scxinfo --json) against the one qemu was told.
# Uses run-vm.sh's ok/not_ok/skip/diag and sockets, cores, threads, ncpus, per_node.

# Normalise scxinfo's topology object (the first object holding "cpus" and "cores") into
# counts and CPU sets: CPU lists may be arrays of ids, arrays of objects with an id, or cpulist
# strings ("0-3,8").
scx_cpulist_jq='
def cpulist:
	if type == "string" then
		[split(",")[] | select(length > 0) |
		 if test("-") then (split("-") | map(tonumber)) as $r | range($r[0]; $r[1] + 1)
		 else tonumber end]
	elif type == "array" then [.[] | if type == "object" then (.id // .cpu) else . end]
	else [] end;
'
scx_topo_summary_jq="$scx_cpulist_jq"'
def count: if type == "array" then length elif type == "number" then . else null end;
def span: (.cpus // .span // .cpumask // .siblings);
first(.. | objects | select(has("cpus") and has("cores"))) as $t
| {
	cpus: ($t.cpus | if type == "string" then cpulist | length else count end),
	cores: ($t.cores | count),
	nodes: ($t.nodes | count),
	packages: (if $t.packages then ($t.packages | count)
		   else ([$t.cpus[]? | objects | (.package // .package_id)] | unique | length) end),
	smt: ([$t.cores[]? | objects | span | cpulist | sort] | sort),
	node_cpus: ([$t.nodes[]? | objects | span | cpulist | sort] | sort),
	package_cpus: ([$t.packages[]? | objects | span | cpulist | sort] | sort),
	distances: [$t.nodes[]? | objects | .distances],
	llcs: ($t.llcs | count),
	llc_cpus: ([$t.llcs[]? | objects | span | cpulist | sort] | sort)
}'

topology_checks() {
	local json=$1 sum want_smt want_nodes c s first
	if ! jq -e 'any(.. | objects; has("cpus") and has("cores"))' <<<"$json" >/dev/null; then
		skip "libscx topology (scxinfo --json) equals qemu's" \
			"this scxinfo --json has no topology (no object with cpus and cores)"
		return
	fi
	if ! sum=$(jq -c "$scx_topo_summary_jq" <<<"$json" 2>&1); then
		not_ok "libscx topology (scxinfo --json) can be read"
		echo "$sum" | diag
		return
	fi
	echo "# $krel: libscx topology: $sum"
	want_smt=$(for ((c = 0; c < ncpus; c += threads)); do
		seq -s, "$c" $((c + threads - 1))
	done | sed 's/.*/[&]/' | paste -sd, | sed 's/.*/[&]/')
	want_nodes=$(for ((s = 0; s < sockets; s++)); do
		first=$((s * per_node))
		seq -s, "$first" $((first + per_node - 1))
	done | sed 's/.*/[&]/' | paste -sd, | sed 's/.*/[&]/')

	check "libscx topology: $ncpus CPUs" [ "$(jq .cpus <<<"$sum")" = "$ncpus" ]
	check "libscx topology: $((sockets * cores)) cores" \
		[ "$(jq .cores <<<"$sum")" = "$((sockets * cores))" ]
	check "libscx topology: $sockets packages" [ "$(jq .packages <<<"$sum")" = "$sockets" ]
	check "libscx topology: $sockets NUMA nodes" [ "$(jq .nodes <<<"$sum")" = "$sockets" ]
	check "libscx topology: SMT siblings $want_smt" \
		[ "$(jq -c .smt <<<"$sum")" = "$want_smt" ]
	check "libscx topology: node CPUs $want_nodes" \
		[ "$(jq -c .node_cpus <<<"$sum")" = "$want_nodes" ]
	check "libscx topology: package CPUs $want_nodes" \
		[ "$(jq -c .package_cpus <<<"$sum")" = "$want_nodes" ]
	# NUMA distances: the kernel's (qemu gives 10 local, 20 remote by default).
	want_dist=$(out sysfs-nodes | sort -V | sed 's/^node[0-9]* //; s/ /,/g; s/.*/[&]/' | paste -sd, |
		sed 's/.*/[&]/')
	check "libscx topology: node distances as the kernel's $want_dist" \
		[ "$(jq -c .distances <<<"$sum")" = "$want_dist" ]
	# LLCs: what the kernel reports for L3 (cache/index3/shared_cpu_list).
	if [ -n "$kernel_llcs" ]; then
		want_llcs=$(echo "$kernel_llcs" | jq -Rsc "$scx_cpulist_jq"'
			[split("\n")[] | select(length > 0) | cpulist] | sort')
		check "libscx topology: LLCs as the kernel's L3 $want_llcs" \
			[ "$(jq -c .llc_cpus <<<"$sum")" = "$want_llcs" ]
	else
		skip "libscx topology: LLCs as the kernel's L3" "the guest kernel shows no L3"
	fi
}
