#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
#
# Sourced by run-vm.sh: judge one scheduler scenario of the guest's plan from its facts and
# output.  Uses run-vm.sh's ok/not_ok/skip/check/diag/fact/out.

# The load failure some kernels are known for: Debian's 7.1 and 7.2 builds leave some
# KF_IMPLICIT_ARGS kfuncs unsplit (the trailing "aux" argument kept, no "_impl" form), which
# libbpf 1.4.6 refuses to match: "func_proto ... incompatible with vmlinux" for a strong
# extern, a kfunc left unresolved ("kfunc '...' is referenced but wasn't resolved") for a weak
# one; with a matching declaration the verifier refuses ("cannot find function ..._impl").
# libscx then names the cause in its message; the check is that it did.
aux_failure() {	# $1 = tag: libbpf's or the verifier's own words
	out "$1" | grep -qE "^libbpf: .*incompatible with vmlinux|kfunc '[^']*' is referenced but wasn't resolved|cannot find function [^ ]*_impl in BTF"
}
aux_diagnosed() {	# $1 = tag: and a diagnosis naming the unsplit kfuncs, not from libbpf
	aux_failure "$1" && out "$1" | grep -v '^libbpf: ' | grep -qiE "'aux' argument|\\baux\\b.*pahole|leaves uncallable"
}

# The UEI exit kind as reported on the program's output: libscx's report prints the kernel's
# reason text ("EXIT: unregistered from user space (...)"), which names the kind one to one;
# a program may also print the kind's name (SCX_EXIT_UNREG).
exit_reported() {	# $1 = tag, $2 = kind name without SCX_EXIT_, $3 = the kernel's reason text
	out "$1" | grep -qE "SCX_EXIT_$2\\b|EXIT: $3"
}

# kill: what --tune changed comes back after SIGKILL (guest-init.sh's watch_kill).
kill_checks() {	# $1 = tag, $2 = what
	local tag=$1 what=$2 tuned lat irqs
	tuned=$(fact "$tag" tuned)
	if [ -z "$tuned" ] || [ "$tuned" = none ]; then
		not_ok "$what: tunes knobs after attaching (no \"tuned\" line)"
		out "$tag" | tail -n 15 | diag
		return
	fi
	lat=$(sed -n 's/.*resume_latency=\([0-9]*\).*/\1/p' <<<"$tuned")
	irqs=$(sed -n 's/.*irqs=\([0-9]*\).*/\1/p' <<<"$tuned")
	if [ "${lat:-0}" -gt 0 ]; then
		ok "$what: sets the resume latency of $lat CPUs"
	else
		skip "$what: sets the resume latency of every CPU" "the guest's CPUs have no pm_qos_resume_latency_us"
	fi
	check "$what: holds a PM QoS latency request ($tuned)" grep -q 'pm_qos=1' <<<"$tuned"
	if [ "${irqs:-0}" -gt 0 ]; then
		ok "$what: pins $irqs NIC IRQs"
	else
		skip "$what: pins the NIC IRQs" "the guest has no NIC with MSI IRQs (qemu -nic none; the cloud kernels' NIC drivers are modules)"
	fi
	check "$what: the knobs read different while it runs" [ "$(fact "$tag" changed_during)" = 1 ]
	check "$what: a journal under /run/libscx while it runs ($(fact "$tag" journals_during))" \
		[ "$(fact "$tag" journals_during)" -ge 1 ]
	if [ "${lat:-0}" -gt 0 ]; then
		check "$what: after SIGKILL the resume latencies stay changed (nothing ran to restore them)" \
			[ "$(fact "$tag" latency_changed_after_kill)" = 1 ]
	fi
	check "$what: the kernel dropped the PM QoS request with the killed process" \
		[ "$(fact "$tag" pm_qos_dropped_by_kill)" = 1 ]
	check "$what: a second start attaches and tunes again" [ "$(fact "$tag" second_tuned)" = 1 ]
	check "$what: the second start first replayed the killed run's journals ($(fact "$tag" first_journals_left) left, $(fact "$tag" journals_second) of its own)" \
		eval '[ "$(fact "$tag" first_journals_left)" = 0 ] && [ "$(fact "$tag" journals_second)" -ge 1 ]'
	check "$what: scxinfo --restore after the second SIGKILL exits 0 ($(fact "$tag" restore_said))" \
		[ "$(fact "$tag" restore_rc)" = 0 ]
	if [ "$(fact "$tag" restored_identical)" = 1 ]; then
		ok "$what: every knob is back byte for byte"
	else
		not_ok "$what: every knob is back byte for byte"
		out "$tag" | sed -n '/^--- knobs before/,$p' | head -n 20 | diag
	fi
	check "$what: no journal is left" [ "$(fact "$tag" journals_after_restore)" = 0 ]
}

# soak: every hotplug event ended in a restart that attached again, and neither descriptors nor
# memory grew across the restarts.  RSS is compared from the 10th restart on (the first ones
# fill the allocator's caches), with 1 MiB of slack for the allocator's own rounding.
soak_checks() {	# $1 = tag, $2 = what
	local tag=$1 what=$2 n rss10 rssl
	n=$(fact "$tag" cycles_done)
	check "$what: $n of $SOAK_CYCLES hotplug events each ended in a restart that attached again ($(fact "$tag" soak_secs) s)" \
		[ "${n:-0}" = "$SOAK_CYCLES" ]
	check "$what: open descriptors did not grow ($(fact "$tag" fds_first) after the first restart, $(fact "$tag" fds_last) after the last, at most $(fact "$tag" fds_max))" \
		eval '[ -n "$(fact "$tag" fds_last)" ] && [ "$(fact "$tag" fds_max)" -le "$(fact "$tag" fds_first)" ]'
	rss10=$(fact "$tag" rss_10) rssl=$(fact "$tag" rss_last)
	check "$what: RSS did not grow ($(fact "$tag" rss_first) KiB after the first restart, $rss10 after the 10th, $rssl after the last, at most $(fact "$tag" rss_max))" \
		eval '[ -n "$rssl" ] && [ "$rssl" -le $((rss10 + 1024)) ]'
	check "$what: exits on SIGINT" [ "$(fact "$tag" exit_on_sigint)" = 1 ]
	check "$what: every CPU online at the end" [ "$(fact "$tag" online_cpus_after)" = "0-$((ncpus - 1))" ]
}

# stress: no exit during the load (no stall: the run is longer than the watchdog's timeout), and
# once the machine is idle the scheduler's counters show no task left in its queues.
stress_checks() {	# $1 = tag, $2 = what
	local tag=$1 what=$2 st backlog
	check "$what: no exit under $STRESS_SECS s of busy loops on every CPU and a fork/exec storm ($(fact "$tag" execs) execs)" \
		eval '[ "$(fact "$tag" state_after_stress)" = enabled ] && [ "$(fact "$tag" restarts_during)" = 0 ]'
	st=$(fact "$tag" last_stats)
	# waiting: the tasks the scheduler queued that have not run since (both examples count
	# tasks, not enqueue and dispatch events, which a requeue on an affinity change unbalances)
	backlog=$(awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
		END { if ("waiting" in v) print v["waiting"] }' <<<"$st")
	if [ -z "$backlog" ] && [ "${selftest:-1}" = 1 ]; then
		not_ok "$what: the scheduler's counters after the load (no stats line)"
	elif [ -z "$backlog" ]; then
		skip "$what: no task left queued once idle" "the program prints no waiting=N count of queued tasks"
	else
		check "$what: no task left queued once idle (waiting: $backlog; $st)" \
			[ "$backlog" = 0 ]
	fi
	check "$what: exits on SIGINT" [ "$(fact "$tag" exit_on_sigint)" = 1 ]
}

# The kernel line whose tools/sched_ext the kernel examples come from (tests/kexamples).
KEXAMPLES_LINE=7.3

# The exit kind the program reported, as one check (the output's end when it is not).
kind_check() {	# $1 = tag, $2 = what, $3 = kind without SCX_EXIT_, $4 = the kernel's text
	if exit_reported "$1" "$3" "$4"; then
		ok "$2: reports UEI kind $3"
	else
		not_ok "$2: reports UEI kind $3"
		out "$1" | tail -n 15 | diag
	fi
}

sched_checks() {
	local tag=$1 sc what ops why
	sc=$(fact "$tag" scenario)
	what="$tag ($(fact "$tag" cmd))"
	if [ "$(fact "$tag" not_here)" = 1 ]; then
		skip "$what: $sc scenario" "runs on kernel lines ${SCX_VM_SOAK_LINES:-none} (soak) and ${SCX_VM_STRESS_LINES:-none} (stress) only"
		return
	fi

	if [ "$sc" = script ]; then
		if [ "$(fact "$tag" rc)" = 0 ]; then
			ok "$what: the guest script exits 0"
		else
			not_ok "$what: the guest script exits 0 (exit $(fact "$tag" rc))"
			out "$tag" | tail -n 25 | diag
		fi
		check "$what: sched_ext disabled after the script ended" [ "$(fact "$tag" state_after)" = disabled ]
		return
	fi
	if [ "$(fact "$tag" enabled)" != 1 ]; then
		if out "$tag" | grep -q 'Fix handling of BPF arena relocations'; then
			# libbpf before 1.6.1 would crash loading this arena object (scx_qmap):
			# SCX_OPS_OPEN refuses it naming the fix; the check is that it did.
			ok "$what: refused before libbpf could crash on its arena maps, naming the libbpf fix"
			skip "$what: $sc scenario" "cannot load on this kernel: libbpf $(pkg-config --modversion libbpf 2>/dev/null) has the arena relocation bug (fixed in 1.6.1)"
			return
		fi
		if [ "$sc" = attach ] && [[ $krel != "$KEXAMPLES_LINE".* ]] && ! aux_failure "$tag" &&
			out "$tag" | grep -q -- '-- END PROG LOAD LOG --'; then
			# A kernel example of that line on an older one whose verifier refuses the example's
			# own code (e.g. scx_sdt's arena allocation under a spin lock on 6.16/6.17): a
			# rule of that kernel, not of the headers.  Named, and skipped.
			why=$(out "$tag" | grep -B1 '^processed [0-9]* insns' | head -n 1 | cut -c1-120)
			skip "$what: $sc scenario" "cannot load on this kernel: its verifier refuses the example's own program: ${why:-see the log}"
			return
		fi
		if aux_diagnosed "$tag"; then
			# Known kernel/libbpf mismatch: the check is that it is the diagnosed one.
			ok "$what: refused to load with the diagnosed kfunc 'aux' BTF mismatch"
			{
				out "$tag" | grep -E "incompatible with vmlinux|wasn't resolved" | head -n 1
				out "$tag" | grep -v '^libbpf: ' | grep -E "'aux' argument" | head -n 1
			} | cut -c1-200 | diag
			skip "$what: $sc scenario" "cannot load on this kernel: its BTF has aux-argument kfuncs (libbpf 1.4.6)"
		elif aux_failure "$tag"; then
			not_ok "$what: a kfunc BTF mismatch stops the load, and libscx does not diagnose it"
			out "$tag" | grep -E "incompatible with vmlinux|wasn't resolved" | head -n 3 | diag
		else
			not_ok "$what: attaches (state stayed $(fact "$tag" state_seen), exit $(fact "$tag" rc))"
			out "$tag" | tail -n 25 | diag
		fi
		return
	fi
	ops=$(fact "$tag" ops)
	ok "$what: attaches (state enabled, ops \"$ops\" after $(fact "$tag" attach_secs)s)"
	if [ "$sc" = attach ] || [ "${selftest:-1}" != 1 ]; then
		:	# the kernel's examples (and others') name their ops without a version
	elif [[ $ops =~ _[0-9]+\.[0-9]+ ]]; then
		ok "$what: root/ops carries a versioned name ($ops)"
	else
		not_ok "$what: root/ops carries a versioned name ($ops)"
	fi

	case $sc in
	basic)
		check "$what: CPU-bound load ran to completion ($(fact "$tag" load_done) in $(fact "$tag" load_secs)s)" \
			eval '[ "$(fact "$tag" load_done)" = "$ncpus/$ncpus" ]'
		check "$what: still enabled after the load" [ "$(fact "$tag" state_after_load)" = enabled ]
		check "$what: exits on SIGINT" [ "$(fact "$tag" exit_on_sigint)" = 1 ]
		kind_check "$tag" "$what" UNREG 'unregistered from user space'
		;;
	hotplug)
		check "$what: CPU offline: the kernel ends the scheduler and it attaches again" \
			[ "$(fact "$tag" reattached_after_offline)" = 1 ]
		# The kernel's message names the CPU going offline (SCX_ECODE_RSN_HOTPLUG); the
		# program attaches again only when the exit code asks for it
		# (SCX_ECODE_ACT_RESTART), which the re-attach above shows.
		if out "$tag" | grep -qE 'EXIT: .*going offline|RSN_HOTPLUG'; then
			ok "$what: reports the hotplug exit (SCX_ECODE_RSN_HOTPLUG)"
		else
			not_ok "$what: reports the hotplug exit (SCX_ECODE_RSN_HOTPLUG)"
			out "$tag" | tail -n 15 | diag
		fi
		if [ "$(fact "$tag" reattached_after_offline)" = 1 ] &&
			[ "$(out "$tag" | grep -cE 'EXIT: ')" -ge 2 ]; then
			ok "$what: restarted on SCX_ECODE_ACT_RESTART (one exit report per run)"
		else
			not_ok "$what: restarted on SCX_ECODE_ACT_RESTART (one exit report per run)"
		fi
		check "$what: exits after SysRq-S" [ "$(fact "$tag" exited_by_itself)" = 1 ]
		kind_check "$tag" "$what" SYSRQ 'disabled by sysrq-S'
		check "$what: the CPU came back online" [ "$(fact "$tag" online_cpus_after)" = "0-$((ncpus - 1))" ]
		;;
	sysrq)
		check "$what: exits after SysRq-S" [ "$(fact "$tag" exited_by_itself)" = 1 ]
		kind_check "$tag" "$what" SYSRQ 'disabled by sysrq-S'
		;;
	exit-error)
		check "$what: exits by itself" [ "$(fact "$tag" exited_by_itself)" = 1 ]
		kind_check "$tag" "$what" ERROR_BPF 'scx_bpf_error'
		if out "$tag" | grep -qE 'EXIT: scx_bpf_error \(.+\)'; then
			ok "$what: reports the scheduler's error message"
		else
			not_ok "$what: reports the scheduler's error message"
		fi
		if out "$tag" | grep -qiE 'debug dump|DEBUG DUMP'; then
			ok "$what: reports the debug dump"
		else
			not_ok "$what: reports the debug dump"
		fi
		;;
	attach)
		[ "$(fact "$tag" retried_after_stall)" = 1 ] &&
			echo "# $krel: $tag attached on a second try: the watchdog ended the first (a runnable task stall under emulation)"
		check "$what: still enabled 2 s later" [ "$(fact "$tag" state_after_load)" = enabled ]
		check "$what: exits on SIGINT" [ "$(fact "$tag" exit_on_sigint)" = 1 ]
		kind_check "$tag" "$what" UNREG 'unregistered from user space'
		;;
	kill)
		kill_checks "$tag" "$what"
		;;
	soak)
		soak_checks "$tag" "$what"
		;;
	stress)
		stress_checks "$tag" "$what"
		;;
	exit-stall)
		check "$what: exits by itself" [ "$(fact "$tag" exited_by_itself)" = 1 ]
		kind_check "$tag" "$what" ERROR_STALL 'runnable task stall'
		;;
	esac
	check "$what: sched_ext disabled after the program ended" [ "$(fact "$tag" state_after)" = disabled ]
}
