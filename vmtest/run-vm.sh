#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
#
# Boot one sched_ext kernel in qemu (TCG) with a known topology and judge what the guest
# (guest-init.sh) reports.
#
# Usage: run-vm.sh [-i INITRAMFS] [-l LOGDIR] KERNEL (scx-vmtest runs it)
#   KERNEL     a release in the kernel cache (see fetch-kernels.sh) or a directory with vmlinuz
#   INITRAMFS  from mkinitramfs.sh (default: $SCX_VM_INITRAMFS)
#   LOGDIR     where the serial log goes (default: a temporary directory, removed)
#
# Prints one TAP line per check, unnumbered ("ok - KERNEL: what"), then a comment line
# "# vm KERNEL: N passed, N failed, N skipped, T s"; exits 1 when a check failed, 3 when the
# kernel has no sched_ext.
#
# SCX_VM_SELFTEST=1 (libscx's own suite) adds the checks of libscx itself: scxinfo, its JSON
# and --doctor, the topology libscx reads against the kernel's, the tracing helpers, the
# versioned ops names and waiting counts of libscx's examples.  Without it only the kernel and
# the schedulers of the plan are judged.
#
# The guest: 2 packages x 2 cores x 2 SMT threads = 8 CPUs, two NUMA nodes (one per package),
# 1 GiB.  Single-threaded TCG: multi-threaded TCG corrupts live kernel text patching now and
# then ("Oops: int3"), and sched_ext flips many static keys.  /dev/kvm is not used: on the
# machines this runs on it may exist and still not run an unmodified kernel.
set -u
# (no pipefail: "out TAG | grep -q" closes the pipe early on purpose)

here=$(cd "$(dirname "$0")" && pwd)
initramfs=${SCX_VM_INITRAMFS:-}
logdir=
while getopts i:l: opt; do
	case $opt in
	i) initramfs=$OPTARG ;;
	l) logdir=$OPTARG ;;
	*) echo "usage: $0 [-i INITRAMFS] [-l LOGDIR] KERNEL" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] && [ -n "$initramfs" ] || { echo "usage: $0 -i INITRAMFS [-l LOGDIR] KERNEL" >&2; exit 2; }

kcache=${SCX_KERNEL_CACHE:-$HOME/.cache/libscx/kernels}
if [ -d "$1" ]; then kdir=$1; else kdir=$kcache/$1; fi
krel=$(basename "$kdir")
[ -s "$kdir/vmlinuz" ] || { echo "run-vm: no $kdir/vmlinuz" >&2; exit 2; }

sockets=${SCX_VM_SOCKETS:-2}
cores=${SCX_VM_CORES:-2}
threads=${SCX_VM_THREADS:-2}
ncpus=$((sockets * cores * threads))
per_node=$((cores * threads))
timeout_s=${SCX_VM_TIMEOUT:-900}
memory=${SCX_VM_MEMORY:-1024}
selftest=${SCX_VM_SELFTEST:-1}
# The long scenarios run on the kernel lines chosen for them (check-vm.sh picks; the line is
# the release's first two numbers): SCX_VM_SOAK_LINES get SCX_VM_SOAK_CYCLES hotplug
# restarts, SCX_VM_STRESS_LINES SCX_VM_STRESS_SECS of load; the guest reads both from its
# command line.
kline=$(sed -n 's/^\([0-9]*\.[0-9]*\).*/\1/p' <<<"$krel")
soak=0 stress=0
case " ${SCX_VM_SOAK_LINES:-} " in *" $kline "*) soak=${SCX_VM_SOAK_CYCLES:-100} ;; esac
case " ${SCX_VM_STRESS_LINES:-} " in *" $kline "*) stress=${SCX_VM_STRESS_SECS:-40} ;; esac
SOAK_CYCLES=$soak STRESS_SECS=$stress	# for sched-checks.sh
# a soak cycle is a restart: allow up to 20 s each on a loaded host
timeout_s=$((timeout_s + soak * 20 + stress * 4))

tmpdir=
if [ -z "$logdir" ]; then
	tmpdir=$(mktemp -d "${TMPDIR:-/tmp}/scx-vm.XXXXXX")
	logdir=$tmpdir
	trap 'rm -rf "$tmpdir"' EXIT
fi
mkdir -p "$logdir"
serial=$logdir/serial-$krel.log
results=$logdir/results-$krel.txt

# One NUMA node per package, memory split evenly.
numa=()
for ((s = 0; s < sockets; s++)); do
	numa+=(-object "memory-backend-ram,id=mem$s,size=$((memory / sockets))M"
		-numa "node,nodeid=$s,cpus=$((s * per_node))-$(((s + 1) * per_node - 1)),memdev=mem$s")
done

# no_timer_check: under TCG on a busy host the kernel's early IO-APIC timer check may
# time out ("IO-APIC + timer doesn't work!") and panic.
boot() {
	timeout -k 5 "$timeout_s" qemu-system-x86_64 \
		-accel tcg,thread=single -cpu max -m "$((memory / sockets * sockets))M" \
		-smp "$ncpus,sockets=$sockets,cores=$cores,threads=$threads" "${numa[@]}" \
		-nographic -no-reboot -nic none -serial stdio -monitor none \
		-kernel "$kdir/vmlinuz" -initrd "$initramfs" \
		-append "console=ttyS0 panic=-1 oops=panic loglevel=4 quiet no_timer_check scx.soak=$soak scx.stress=$stress" \
		</dev/null >"$serial" 2>&1
}

t0=$(date +%s.%N)
boot
qrc=$?
# A kernel that dies before userspace (the guest's first marker) is retried once: that is the
# emulator's timing on a loaded host, not what is under test.  It is reported all the same.
if ! grep -aq '@@SCX boot' "$serial"; then
	echo "# $krel: no userspace on the first boot (qemu exit $qrc); booting again:"
	grep -aE 'panic|Oops|BUG' "$serial" | head -n 3 | sed 's/^/#   /'
	mv "$serial" "$serial.first"
	boot
	qrc=$?
fi
secs=$(echo "$(date +%s.%N) $t0" | awk '{ printf "%.0f", $1 - $2 }')

# The results block; markers may follow console noise on the same line.
tr -d '\r' <"$serial" | sed -n 's/.*@@SCX //p' >"$logdir/markers-$krel.txt"
sed -n '/^results-begin$/,/^results-end$/p' "$logdir/markers-$krel.txt" >"$results"

pass=0 fail=0 skipn=0
ok() { pass=$((pass + 1)); echo "ok - $krel: $*"; }
not_ok() { fail=$((fail + 1)); echo "not ok - $krel: $*"; }
skip() { skipn=$((skipn + 1)); echo "ok - $krel: $1 # SKIP $2"; }
diag() { sed 's/^/#   /'; }
check() {	# NAME CONDITION-COMMAND...
	local n=$1
	shift
	if "$@"; then ok "$n"; else not_ok "$n"; fi
}

# fact TAG KEY: the value of the last "fact TAG KEY=VALUE" line.
fact() { sed -n "s/^fact $1 $2=//p" "$results" | tail -n 1; }
facts_of() { sed -n "s/^fact $1 //p" "$results"; }
# out TAG: the output lines of TAG.
out() { sed -n "s/^out $1| \{0,1\}//p" "$results"; }
tags() { sed -n 's/^fact \([^ ]*\) scenario=.*/\1/p' "$results"; }

if ! grep -q '^results-end$' "$results"; then
	not_ok "the guest ran to its results block (qemu exit $qrc after ${secs}s)"
	grep -aE 'Oops|panic|BUG|WARNING|@@SCX (run|done|boot)' "$serial" | tail -n 30 | diag
	echo "# vm $krel: $pass passed, $fail failed, $skipn skipped, ${secs} s"
	exit 1
fi
ok "booted and reached the results block in ${secs}s"

# --- the kernel -------------------------------------------------------------------------------
check "uname -r is the kernel booted" [ "$(fact boot kernel)" = "$krel" ]
if [ "$(fact boot sched_ext)" = none ]; then
	not_ok "sched_ext is present and disabled at boot (this kernel has no /sys/kernel/sched_ext: CONFIG_SCHED_CLASS_EXT is not set)"
	echo "# vm $krel: $pass passed, $fail failed, $skipn skipped, ${secs} s"
	exit 3
fi
check "sched_ext is present and disabled at boot" [ "$(fact boot sched_ext)" = disabled ]
if [ ! -s "$kdir/config" ]; then
	skip "/boot/config-$krel is in the guest" "no configuration was given for this kernel"
elif [ "$(fact boot config)" = present ]; then
	ok "/boot/config-$krel is in the guest (for libbpf's CONFIG_* externs)"
else
	not_ok "/boot/config-$krel is in the guest"
fi

# The kernel's own view must be the topology qemu was told, else the libscx checks below
# would compare against the wrong thing.
sysfs_topo=$(out sysfs-topology)
check "the kernel sees $ncpus CPUs online" [ "$(fact boot online_cpus)" = "0-$((ncpus - 1))" ]
want_topo=
for ((c = 0; c < ncpus; c++)); do
	pkg=$((c / per_node))
	core=$(((c % per_node) / threads))
	first=$((c - c % threads))
	if [ "$threads" -gt 1 ]; then sib="$first-$((first + threads - 1))"; else sib=$c; fi
	want_topo+="cpu$c pkg=$pkg sib=$sib node=$pkg"$'\n'
done
have_topo=$(echo "$sysfs_topo" | sed -E 's/ core=[0-9]+//; s/siblings=/sib=/; s/ llc=.*//' | sort -V)
# The kernel's L3 groups, to compare libscx's LLCs with (qemu is not told about caches).
kernel_llcs=$(echo "$sysfs_topo" | sed -n 's/.* llc=\([0-9][-0-9,]*\)$/\1/p' | sort -uV)
if [ "$(printf '%s' "$want_topo" | sort -V)" = "$have_topo" ]; then
	ok "sysfs topology is qemu's: $sockets packages x $cores cores x $threads threads, $sockets nodes"
else
	not_ok "sysfs topology is qemu's"
	diff <(printf '%s' "$want_topo" | sort -V) <(echo "$have_topo") | diag
fi

if [ "$selftest" = 1 ]; then
	# --- scxinfo ----------------------------------------------------------------------------------
	check "scxinfo exits 0" [ "$(fact scxinfo rc)" = 0 ]
	if out scxinfo | grep -q '^sched_ext: disabled'; then
		ok "scxinfo shows sched_ext disabled"
	else
		not_ok "scxinfo shows sched_ext disabled"
		out scxinfo | diag
	fi
	json=$(out scxinfo-json)
	if ! command -v jq >/dev/null; then
		skip "scxinfo --json" "jq is not installed on the host"
	elif ! echo "$json" | jq -e . >/dev/null 2>&1; then
		not_ok "scxinfo --json is valid JSON"
		echo "$json" | head -c 2000 | diag
	else
		ok "scxinfo --json is valid JSON"
		if jq -e '.sched_ext.supported == true and .sched_ext.state == "disabled" and
			.sched_ext.ops == null' <<<"$json" >/dev/null; then
			ok "scxinfo --json: sched_ext supported, state disabled, no ops"
		else
			not_ok "scxinfo --json: sched_ext supported, state disabled, no ops"
		fi
		. "$here/topology-checks.sh"
		topology_checks "$json"
	fi
	# --doctor: passes, except on kernels with the known kfunc BTF defect (sched-checks.sh), where
	# it must block on exactly that and nothing else.
	doctor_fails=$(out doctor | grep -E '^\[FAIL\]' | sed -E 's/^\[FAIL\] +([^ ]+).*/\1/' | sort -u | paste -sd' ')
	if [ "$(fact doctor absent)" = 1 ]; then
		skip "scxinfo --doctor passes" "this scxinfo has no --doctor"
	elif [ "$(fact doctor rc)" = 0 ]; then
		ok "scxinfo --doctor passes"
	elif [ "$doctor_fails" = pahole ]; then
		ok "scxinfo --doctor blocks only on the kernel's kfunc BTF with a leftover 'aux' argument"
		out doctor | grep -E '^\[FAIL\]' | diag
	else
		not_ok "scxinfo --doctor passes (exit $(fact doctor rc), failing: ${doctor_fails:-none})"
		out doctor | diag
	fi

	# --- tracing helpers (tests/vm/trace-probe.c) on the guest's tracefs ---------------------------
	if [ "$(fact trace absent)" = 1 ]; then
		skip "tracing helpers on the guest's tracefs" "no trace-probe in this build (needs the BPF toolchain)"
	else
		check "tracing: the probe ran (exit $(fact trace rc))" [ "$(fact trace rc)" = 0 ]
		check "tracing: scx_trace_tracefs_mount() finds the guest's tracefs ($(fact trace tracefs))" \
			[ "$(fact trace tracefs)" = /sys/kernel/tracing ]
		check "tracing: sched:sched_switch exists, a made-up tracepoint does not" \
			eval '[ "$(fact trace tp_switch)" = 1 ] && [ "$(fact trace tp_none)" = 0 ]'
		check "tracing: kallsyms has schedule (at an address) and not a made-up symbol" \
			eval '[ "$(fact trace kallsyms_schedule)" = 1 ] && [ "$(fact trace kallsyms_schedule_addr)" = nonzero ] && [ "$(fact trace kallsyms_none)" = 0 ]'
		check "tracing: programs whose targets exist are enabled, the others left out" \
			eval '[ "$(fact trace kprobe_enable_read)" = 1 ] && [ "$(fact trace kprobe_enable_none)" = 0 ] && [ "$(fact trace tp_enable_switch)" = 1 ] && [ "$(fact trace tp_enable_none)" = 0 ]'
		check "tracing: the object loads without the left-out programs (load $(fact trace load))" \
			[ "$(fact trace load)" = 0 ]
		check "tracing: the kprobe and the tracepoint attach ($(fact trace attach_read), $(fact trace attach_switch)); the left-out one attaches nothing" \
			eval '[ "$(fact trace attach_read)" = 1 ] && [ "$(fact trace attach_switch)" = 1 ] && [ "$(fact trace attach_none)" = 0 ] && [ "$(fact trace attach_none_link)" = null ]'
	fi
fi  # selftest

# --- schedulers -------------------------------------------------------------------------------
. "$here/sched-checks.sh"
for tag in $(tags); do
	sched_checks "$tag"
done

echo "# vm $krel: $pass passed, $fail failed, $skipn skipped, ${secs} s"
[ "$fail" -eq 0 ]
