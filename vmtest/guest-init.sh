#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
#
# PID 1 of the VM tests' guest.  It gathers facts and leaves judging to the host
# (run-vm.sh): every scenario records "key=value" facts and the program's output, and at the
# end, with the console log level lowered, everything is printed again as one results block:
#   @@SCX results-begin
#   @@SCX fact TAG KEY=VALUE      one fact of scenario TAG
#   @@SCX out TAG| LINE           one line the program printed
#   @@SCX results-end
# Marker lines may be preceded by console noise; the host matches "@@SCX " anywhere in a line.
#
# The scenarios come from /opt/scx/plan (packed by mkinitramfs.sh): one
# "SCENARIO TAG PROGRAM ARGS..." a line, SCENARIO one of basic, hotplug, sysrq, exit-error,
# exit-stall, kill, soak, stress, attach, script.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
export LD_LIBRARY_PATH=/usr/local/lib
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mkdir -p /run
mount -t tmpfs -o mode=0755 run /run
mkdir -p /tmp/scx
R=/tmp/scx
cd /tmp

say() { echo "@@SCX $*"; }
uptime_s() { cut -d' ' -f1 /proc/uptime; }
kstate() { cat /sys/kernel/sched_ext/state 2>/dev/null || echo none; }
kops() { cat /sys/kernel/sched_ext/root/ops 2>/dev/null || echo none; }
kseq() { cat /sys/kernel/sched_ext/enable_seq 2>/dev/null || echo 0; }
fact() { echo "$2" >>"$R/$1.facts"; }	# $1 = tag, $2 = key=value

# A process is alive when /proc/PID/stat exists and its state is not Z (kill -0 succeeds on
# zombies).  The state follows the ")" that ends the command name.
alive() {
	[ -r "/proc/$1/stat" ] || return 1
	s=$(sed 's/.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null)
	[ -n "$s" ] && [ "$s" != Z ]
}

# Wait (up to $2 s) while $1 lives for the kernel to show an attached scheduler.
wait_enabled() {
	n=0
	while [ $n -lt $(($2 * 10)) ]; do
		[ "$(kstate)" = enabled ] && [ -r /sys/kernel/sched_ext/root/ops ] && return 0
		alive "$1" || return 1
		sleep 0.1
		n=$((n + 1))
	done
	return 1
}

# Wait (up to $2 s) for enable_seq to pass $1 with the state back to enabled (a re-attach).
wait_reattach() {
	n=0
	while [ $n -lt $(($2 * 10)) ]; do
		[ "$(kseq)" -gt "$1" ] && [ "$(kstate)" = enabled ] && return 0
		sleep 0.1
		n=$((n + 1))
	done
	return 1
}

wait_gone() {	# $1 = pid, $2 = seconds
	n=0
	while alive "$1"; do
		[ $n -ge $(($2 * 10)) ] && return 1
		sleep 0.1
		n=$((n + 1))
	done
	return 0
}

wait_state() {	# $1 = state, $2 = seconds
	n=0
	while [ "$(kstate)" != "$1" ]; do
		[ $n -ge $(($2 * 10)) ] && return 1
		sleep 0.1
		n=$((n + 1))
	done
	return 0
}

# CPU-bound load: one busy shell per CPU, each counting to $1, plus short-lived processes.
# Records how many finished within $2 seconds.
run_load() {	# $1 = tag, $2 = iterations, $3 = seconds allowed
	ncpu=$(nproc)
	pids=
	t0=$(uptime_s)
	c=0
	while [ $c -lt "$ncpu" ]; do
		sh -c 'i=0; while [ $i -lt '"$2"' ]; do i=$((i + 1)); done' &
		pids="$pids $!"
		c=$((c + 1))
	done
	c=0
	while [ $c -lt 50 ]; do /bin/true; c=$((c + 1)); done
	n=0
	while [ $n -lt $(($3 * 10)) ]; do
		left=0
		for p in $pids; do alive "$p" && left=$((left + 1)); done
		[ $left -eq 0 ] && break
		sleep 0.1
		n=$((n + 1))
	done
	done_n=0
	for p in $pids; do
		if alive "$p"; then kill -KILL "$p" 2>/dev/null; else done_n=$((done_n + 1)); fi
	done
	wait 2>/dev/null
	fact "$1" "load_done=$done_n/$ncpu"
	fact "$1" "load_secs=$(echo "$(uptime_s) $t0" | awk '{ printf "%.1f", $1 - $2 }')"
}

# --- watchers: run in the background while the scheduler runs in the foreground -------------
# (a background child of a non-interactive shell ignores SIGINT, so the scheduler itself must
# be the foreground one.)

sched_pid() {	# wait for the pid file written just before the scheduler's exec
	n=0
	while [ ! -s "$R/pid" ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
	cat "$R/pid" 2>/dev/null
}

attach_or_give_up() {	# $1 = tag, $2 = pid
	t0=$(uptime_s)
	if wait_enabled "$2" "${SCX_ATTACH_TIMEOUT:-90}"; then
		fact "$1" "enabled=1"
		fact "$1" "ops=$(kops)"
		fact "$1" "attach_secs=$(echo "$(uptime_s) $t0" | awk '{ printf "%.1f", $1 - $2 }')"
		return 0
	fi
	fact "$1" "enabled=0"
	fact "$1" "state_seen=$(kstate)"
	alive "$2" && kill -KILL "$2"
	return 1
}

await_exit() {	# $1 = tag, $2 = pid, $3 = seconds: the program ends by itself, or is killed
	if wait_gone "$2" "$3"; then
		fact "$1" "exited_by_itself=1"
	else
		fact "$1" "exited_by_itself=0"
		kill -KILL "$2" 2>/dev/null
	fi
}

stop_sched() {	# $1 = tag, $2 = pid: SIGINT, then SIGKILL if it does not exit
	kill -INT "$2" 2>/dev/null
	if wait_gone "$2" 30; then
		fact "$1" "exit_on_sigint=1"
	else
		fact "$1" "exit_on_sigint=0"
		kill -KILL "$2" 2>/dev/null
	fi
}

# basic: attach, CPU-bound load, SIGINT.
watch_basic() {
	pid=$(sched_pid)
	attach_or_give_up "$1" "$pid" || return
	run_load "$1" 400 60
	fact "$1" "state_after_load=$(kstate)"
	stop_sched "$1" "$pid"
}

# attach: attach, then SIGINT (the kernel's own examples, without a load: their interface is
# what is under test).
watch_attach() {
	pid=$(sched_pid)
	attach_or_give_up "$1" "$pid" || return
	sleep 2
	fact "$1" "state_after_load=$(kstate)"
	stop_sched "$1" "$pid"
}

# script: the user's own guest script (scx-vmtest --script) runs in the foreground with the
# program and its arguments; its exit status is the verdict.  Nothing to watch.
watch_script() { :; }

# exit: the program ends by itself (an error or a stall); only a time limit.  The guest's own
# activity (this watcher's polling included) makes the events that trigger the exit.
watch_exit() {
	pid=$(sched_pid)
	attach_or_give_up "$1" "$pid" || return
	await_exit "$1" "$pid" "${SCX_EXIT_TIMEOUT:-90}"
}

# hotplug: take the last CPU offline while the scheduler runs; the kernel exits it with
# SCX_ECODE_RSN_HOTPLUG | SCX_ECODE_ACT_RESTART and the program must attach again.  Then end it
# with SysRq-S (a kernel-initiated exit that asks for no restart) and bring the CPU back.
watch_hotplug() {
	pid=$(sched_pid)
	attach_or_give_up "$1" "$pid" || return
	cpu=$(($(nproc) - 1))
	f=/sys/devices/system/cpu/cpu$cpu/online
	seq=$(kseq)
	if echo 0 >"$f"; then
		fact "$1" "offlined=cpu$cpu"
		if wait_reattach "$seq" 60; then fact "$1" "reattached_after_offline=1"
		else fact "$1" "reattached_after_offline=0"; fi
	else
		fact "$1" "offlined=failed"
	fi
	fact "$1" "online_cpus_during=$(cat /sys/devices/system/cpu/online)"
	fact "$1" "ops_after_restart=$(kops)"
	run_load "$1" 200 60
	echo S >/proc/sysrq-trigger
	await_exit "$1" "$pid" 60
	echo 1 >"$f"
	fact "$1" "online_cpus_after=$(cat /sys/devices/system/cpu/online)"
}

# sysrq: attach, then SysRq-S makes the kernel disable the scheduler.
watch_sysrq() {
	pid=$(sched_pid)
	attach_or_give_up "$1" "$pid" || return
	echo S >/proc/sysrq-trigger
	await_exit "$1" "$pid" 60
}

# The knobs a scheduler's --tune turns, one "file value" line each: every CPU's resume latency,
# every IRQ's affinity, and the CPU latency the kernel applies (/dev/cpu_dma_latency: 4 bytes).
knobs() {
	for f in /sys/devices/system/cpu/cpu[0-9]*/power/pm_qos_resume_latency_us \
		/proc/irq/[0-9]*/smp_affinity; do
		[ -r "$f" ] && echo "$f $(cat "$f" 2>/dev/null)"
	done
	echo "/dev/cpu_dma_latency $(od -An -tx1 /dev/cpu_dma_latency 2>/dev/null | tr -d ' \n')"
}
journals() { ls /run/libscx 2>/dev/null | grep -c '\.journal$'; }

wait_tuned() {	# $1 = output file, $2 = pid: the program's "tuned" line, up to 60 s
	n=0
	while ! grep -q 'tuned ' "$1" 2>/dev/null; do
		alive "$2" || return 1
		[ $n -ge 600 ] && return 1
		sleep 0.1
		n=$((n + 1))
	done
}

# kill: the scheduler tunes knobs (--tune) and is killed with SIGKILL, so it cannot put them
# back.  A second start must first replay the dead one's journal (it is gone once the second
# has tuned), and after the second is killed too, scxinfo --restore must leave every knob as
# it was before the first start, byte for byte, and no journal.
watch_kill() {
	pid=$(sched_pid)
	attach_or_give_up "$1" "$pid" || return
	wait_tuned "$R/$1.out" "$pid" || { fact "$1" "tuned=none"; kill -KILL "$pid"; return; }
	fact "$1" "tuned=$(grep -o 'tuned .*' "$R/$1.out" | head -n 1)"
	knobs >"$R/$1.during"
	fact "$1" "changed_during=$(cmp -s "$R/$1.before" "$R/$1.during" && echo 0 || echo 1)"
	fact "$1" "journals_during=$(journals)"
	first=$(ls /run/libscx 2>/dev/null | tr '\n' ' ')
	kill -KILL "$pid"
	wait_gone "$pid" 30
	wait_state disabled 30
	knobs >"$R/$1.killed"
	grep /power/ "$R/$1.before" >"$R/$1.before.lat"
	grep /power/ "$R/$1.killed" >"$R/$1.killed.lat"
	fact "$1" "latency_changed_after_kill=$(cmp -s "$R/$1.before.lat" "$R/$1.killed.lat" && echo 0 || echo 1)"
	fact "$1" "pm_qos_dropped_by_kill=$([ "$(grep dma_latency "$R/$1.before")" = "$(grep dma_latency "$R/$1.killed")" ] && echo 1 || echo 0)"
	fact "$1" "journals_after_kill=$(journals)"
	# the second start
	rm -f "$R/pid"
	# shellcheck disable=SC2046
	sh -c 'echo $$ >'"$R/pid"'; exec "$@"' sh $(cat "$R/$1.cmd") >"$R/$1.second" 2>&1 &
	pid=$(sched_pid)
	if attach_or_give_up "$1-second" "$pid" && wait_tuned "$R/$1.second" "$pid"; then
		fact "$1" "second_tuned=1"
		left=0
		for j in $first; do [ -e "/run/libscx/$j" ] && left=$((left + 1)); done
		fact "$1" "first_journals_left=$left"
		fact "$1" "journals_second=$(journals)"
		kill -KILL "$pid"
		wait_gone "$pid" 30
	else
		fact "$1" "second_tuned=0"
		kill -KILL "$pid" 2>/dev/null
	fi
	wait
	wait_state disabled 30
	scxinfo --restore >"$R/$1.restore" 2>&1
	fact "$1" "restore_rc=$?"
	fact "$1" "restore_said=$(tail -n 1 "$R/$1.restore")"
	knobs >"$R/$1.after"
	fact "$1" "restored_identical=$(cmp -s "$R/$1.before" "$R/$1.after" && echo 1 || echo 0)"
	fact "$1" "journals_after_restore=$(journals)"
	echo "--- second start:"
	cat "$R/$1.second"
	echo "--- scxinfo --restore:"
	cat "$R/$1.restore"
	echo "--- knobs before -> after the restore:"
	diff "$R/$1.before" "$R/$1.after" && echo "(identical: $(wc -l <"$R/$1.before") knobs)"
}

# Boot parameters from the host (run-vm.sh): scx.soak=CYCLES and scx.stress=SECONDS, 0 where
# this kernel line is not one the host chose for them.
bootarg() { sed -n "s/.* $1=\\([0-9]*\\).*/\\1/p" /proc/cmdline; }
SOAK_CYCLES=$(bootarg scx.soak)
STRESS_SECS=$(bootarg scx.stress)

# soak: CPU hotplug events while the scheduler runs, the last CPU taken offline and brought
# back in turn; each makes the kernel end the scheduler (SCX_ECODE_RSN_HOTPLUG |
# SCX_ECODE_ACT_RESTART) and the program must attach again.  After each re-attach the
# program's open descriptors and RSS are read, one "cycle fds rss_kib" line each.
watch_soak() {
	pid=$(sched_pid)
	attach_or_give_up "$1" "$pid" || return
	f=/sys/devices/system/cpu/cpu$(($(nproc) - 1))/online
	cyc=0	# not n: the wait_* helpers count with n
	t0=$(uptime_s)
	while [ $cyc -lt "$SOAK_CYCLES" ]; do
		seq=$(kseq)
		if ! echo $((cyc % 2)) >"$f"; then
			fact "$1" "hotplug_failed_at=$((cyc + 1))"
			break
		fi
		if ! wait_reattach "$seq" 120; then
			fact "$1" "reattach_failed_at=$((cyc + 1))"
			break
		fi
		cyc=$((cyc + 1))
		echo "$cyc $(ls "/proc/$pid/fd" | wc -l) $(sed -n 's/^VmRSS:[^0-9]*\([0-9]*\).*/\1/p' "/proc/$pid/status")" >>"$R/$1.soak"
	done
	fact "$1" "cycles_done=$cyc"
	fact "$1" "soak_secs=$(echo "$(uptime_s) $t0" | awk '{ printf "%.0f", $1 - $2 }')"
	if [ "$(cat "$f")" != 1 ]; then
		seq=$(kseq)
		echo 1 >"$f" && wait_reattach "$seq" 120
	fi
	awk 'NR == 1 { f1 = $2; r1 = $3 } NR == 10 { r10 = $3 }
	     { if ($2 > fm) fm = $2; if ($3 > rm) rm = $3; fl = $2; rl = $3 }
	     END { if (!r10) r10 = r1
		   printf "fds_first=%d\nfds_last=%d\nfds_max=%d\nrss_first=%d\nrss_10=%d\nrss_last=%d\nrss_max=%d\n", f1, fl, fm, r1, r10, rl, rm }' \
		"$R/$1.soak" 2>/dev/null | while IFS= read -r l; do fact "$1" "$l"; done
	stop_sched "$1" "$pid"
	wait_state disabled 30
	fact "$1" "online_cpus_after=$(cat /sys/devices/system/cpu/online)"
	echo "--- cycle fds rss_kib (first, 10th and last):"
	sed -n '1p;10p;$p' "$R/$1.soak" 2>/dev/null
}

# stress: busy loops on every CPU and a fork/exec storm for STRESS_SECS seconds (longer than
# the watchdog's 30 s, so a task left behind would end the scheduler with a stall); then, the
# machine idle, the scheduler's own counters must show no task left queued.
watch_stress() {
	pid=$(sched_pid)
	attach_or_give_up "$1" "$pid" || return
	seq=$(kseq)
	end=$(($(cut -d. -f1 /proc/uptime) + STRESS_SECS))
	pids=
	for c in $(seq "$(nproc)"); do
		sh -c 'while :; do :; done' &
		pids="$pids $!"
	done
	for c in 1 2; do
		sh -c 'n=0; while [ $(cut -d. -f1 /proc/uptime) -lt '"$end"' ]; do /bin/true; n=$((n + 1)); done; echo $n >'"$R/$1.execs$c" &
		pids="$pids $!"
	done
	while [ "$(cut -d. -f1 /proc/uptime)" -lt "$end" ] && alive "$pid"; do sleep 1; done
	# shellcheck disable=SC2086
	kill -KILL $pids 2>/dev/null
	wait 2>/dev/null
	fact "$1" "execs=$(($(cat "$R/$1.execs1" 2>/dev/null || echo 0) + $(cat "$R/$1.execs2" 2>/dev/null || echo 0)))"
	fact "$1" "state_after_stress=$(kstate)"
	fact "$1" "restarts_during=$(($(kseq) - seq))"
	sleep 3	# idle: two stats lines from a quiet machine
	fact "$1" "last_stats=$(grep -E '(^| )waiting=-?[0-9]+' "$R/$1.out" | tail -n 1)"
	stop_sched "$1" "$pid"
}

# Run one scenario: $1 = scenario, $2 = tag, the rest the command.
run_scenario() {
	sc=$1 tag=$2
	shift 2
	rm -f "$R/pid"
	fact "$tag" "scenario=$sc"
	fact "$tag" "cmd=$*"
	fact "$tag" "state_before=$(kstate)"
	fact "$tag" "enable_seq_before=$(kseq)"
	echo "$*" >"$R/$tag.cmd"
	case $sc:${SOAK_CYCLES:-0}:${STRESS_SECS:-0} in
	soak:0:* | stress:*:0)
		fact "$tag" "not_here=1"
		return
		;;
	esac
	[ "$sc" = kill ] && knobs >"$R/$tag.before"
	say "run $tag: $* at $(uptime_s)"
	case $sc in exit-*) w=exit ;; *) w=$sc ;; esac
	"watch_$w" "$tag" >"$R/$tag.watch" 2>&1 &
	wpid=$!
	sh -c 'echo $$ >'"$R/pid"'; exec "$@"' sh "$@" >"$R/$tag.out" 2>&1
	fact "$tag" "rc=$?"
	wait "$wpid"
	# A kernel example the watchdog ended before it was seen attached (a task starved by the
	# emulator on a loaded host) gets one more try, reported as such; the facts of the second
	# try are the ones judged.
	if [ "$sc" = attach ] && grep -q '^enabled=0' "$R/$tag.facts" &&
		grep -q 'runnable task stall' "$R/$tag.out"; then
		fact "$tag" "retried_after_stall=1"
		mv "$R/$tag.out" "$R/$tag.first"
		wait_state disabled 30
		rm -f "$R/pid"
		"watch_$w" "$tag" >"$R/$tag.watch" 2>&1 &
		wpid=$!
		sh -c 'echo $$ >'"$R/pid"'; exec "$@"' sh "$@" >"$R/$tag.out" 2>&1
		fact "$tag" "rc=$?"
		wait "$wpid"
	fi
	wait_state disabled 30
	fact "$tag" "state_after=$(kstate)"
	fact "$tag" "enable_seq_end=$(kseq)"
	cat "$R/$tag.watch" >>"$R/$tag.out"
	say "done $tag at $(uptime_s)"
}

say "boot kernel=$(uname -r) uptime=$(uptime_s) cpus=$(nproc)"
fact boot "kernel=$(uname -r)"
fact boot "userspace_uptime=$(uptime_s)"
fact boot "config=$([ -r "/boot/config-$(uname -r)" ] && echo present || echo missing)"
fact boot "sched_ext=$(kstate)"
fact boot "online_cpus=$(cat /sys/devices/system/cpu/online)"

# scxinfo: text and JSON (the JSON is flattened to one line).
scxinfo >"$R/scxinfo.out" 2>&1
fact scxinfo "rc=$?"
scxinfo --json >"$R/json.raw" 2>"$R/scxinfo-json.err"
fact scxinfo "json_rc=$?"
{ tr -d '\n' <"$R/json.raw"; echo; } >"$R/scxinfo.json"
if scxinfo --help 2>&1 | grep -q -- --doctor; then
	scxinfo --doctor >"$R/doctor.out" 2>&1
	fact doctor "rc=$?"
else
	fact doctor "absent=1"
fi

# The tracing helpers on this kernel's tracefs and kallsyms (tests/vm/trace-probe.c).
if [ -x /opt/scx/trace-probe ]; then
	mkdir -p /sys/kernel/tracing
	mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
	/opt/scx/trace-probe /opt/scx/trace-probe.bpf.o >"$R/trace.raw" 2>"$R/trace-err.out"
	fact trace "rc=$?"
	while IFS= read -r l; do fact trace "$l"; done <"$R/trace.raw"
else
	fact trace "absent=1"
fi

# The kernel's view, for the host to cross-check: per CPU its package, core, SMT siblings,
# node and last-level (L3) cache.
for c in /sys/devices/system/cpu/cpu[0-9]*; do
	t=$c/topology
	[ -d "$t" ] || continue
	echo "$(basename "$c") pkg=$(cat "$t/physical_package_id") core=$(cat "$t/core_id")" \
		"siblings=$(cat "$t/thread_siblings_list")" \
		"node=$(ls -d "$c"/node* 2>/dev/null | sed 's/.*node//' | head -n 1)" \
		"llc=$(cat "$c/cache/index3/shared_cpu_list" 2>/dev/null || echo none)"
done >"$R/sysfs-topology.out"
for n in /sys/devices/system/node/node[0-9]*; do
	[ -r "$n/distance" ] && echo "$(basename "$n") $(cat "$n/distance")"
done >"$R/sysfs-nodes.out"

# The plan.  A kernel without sched_ext has nothing to run it on: the host reports that.
if [ -r /opt/scx/plan ] && [ "$(kstate)" != none ]; then
	while read -r sc tag cmd; do
		case $sc in '' | '#'*) continue ;; esac
		# shellcheck disable=SC2086
		run_scenario "$sc" "$tag" $cmd
	done </opt/scx/plan
fi

# Final results block: quiet console first.
echo 1 >/proc/sys/kernel/printk
sleep 0.2
say "results-begin"
for f in "$R"/*.facts; do
	[ -e "$f" ] || continue
	t=$(basename "$f" .facts)
	while IFS= read -r l; do say "fact $t $l"; done <"$f"
done
for f in "$R"/*.out "$R"/*.json "$R"/*.err; do
	[ -s "$f" ] || continue
	t=$(basename "$f")
	t=${t%%.*}
	case $f in *.json) t=$t-json ;; *.err) t=$t-err ;; esac
	while IFS= read -r l || [ -n "$l" ]; do say "out $t| $l"; done <"$f"
done
say "results-end"

# The tty hands the serial port its queue at the port's pace, while the kernel writes its own
# messages straight to the port, past that queue ("reboot: Power down" is emergency level, so
# printk's level does not hold it back).  Powering off at once let that line land inside the
# last result.  Wait until the port's transmit count stops moving (at most 20 s) first.
drain_console() {
	prev= n=0
	while [ $n -lt 100 ]; do
		cur=$(sed -n 's/^0:.* tx:\([0-9]*\).*/\1/p' /proc/tty/driver/serial 2>/dev/null)
		if [ -z "$cur" ]; then
			sleep 1		# no 8250 counters to watch: give the port a second
			return
		fi
		[ "$cur" = "$prev" ] && return
		prev=$cur
		n=$((n + 1))
		sleep 0.2
	done
}
drain_console
poweroff -f
