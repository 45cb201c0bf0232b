#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
# make check-valgrind: every Criterion unit test program (one job, its workers and forked
# children traced, not the system programs some tests run) and every fuzz corpus replay under
# valgrind memcheck; any memory error or leak (definite, indirect or possible) in any of the
# traced processes fails it.
#
# Criterion runs each test in a worker process and ignores the worker's exit status, so
# valgrind's --error-exitcode cannot be trusted for the workers: every traced process writes
# its own valgrind log (%p) and each log's ERROR SUMMARY is read here.  A log without an ERROR
# SUMMARY is a forked child that went on to exec a program valgrind does not trace (a compiler,
# bpftool, a shell); it fails only if it reports an error or a fatal signal before that.  A
# worker killed outright shows in Criterion's own count ("Crashing") and exit status.
# tests/valgrind.supp hides only blocks that Criterion's transport (nanomsg) allocated itself.
#
# Environment: top_srcdir, top_builddir, SCX_UNIT_TESTS, FUZZ_HARNESSES (set by tests/local.am);
# VALGRIND_LOGS: where the logs go (default $top_builddir/tests/valgrind).
. "$top_srcdir/tests/tap.sh"
command -v valgrind >/dev/null || { echo "1..0 # SKIP valgrind not installed"; exit 0; }
# the tests shrink their heaviest loops under a wrapper
SCX_TEST_WRAPPER=valgrind
export SCX_TEST_WRAPPER
logs=${VALGRIND_LOGS:-$top_builddir/tests/valgrind}
mkdir -p "$logs"

# the first line of each kind of memcheck report
vg_kinds='Invalid|Conditional|Use of uninit|Syscall param|Mismatched|Argument'
vg_kinds="$vg_kinds|Source and destination overlap"
vg_kinds="$vg_kinds|.* (definitely|indirectly|possibly) lost in loss record"

# vg NAME CMD...: run CMD under memcheck, its output in $logs/NAME.log and one valgrind log per
# process in $logs/NAME.vg/; sets vg_rc, vg_procs (traced processes that ran to their end) and
# vg_bad (the logs that report an error, a leak or a fatal signal).
vg() {
	_name=$1; shift
	rm -rf "$logs/$_name.vg"
	mkdir -p "$logs/$_name.vg"
	valgrind --trace-children=yes --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect,possible \
		--show-leak-kinds=definite,indirect,possible \
		--suppressions="$top_srcdir/tests/valgrind.supp" \
		--trace-children-skip='/usr/*,/bin/*,/sbin/*' \
		--log-file="$logs/$_name.vg/%p.log" "$@" >"$logs/$_name.log" 2>&1
	vg_rc=$?
	vg_procs=0
	vg_bad=
	for _l in "$logs/$_name.vg"/*.log; do
		[ -e "$_l" ] || continue
		if grep -q 'ERROR SUMMARY' "$_l"; then
			vg_procs=$((vg_procs + 1))
			grep -q 'ERROR SUMMARY: 0 errors' "$_l" || vg_bad="$vg_bad $_l"
		elif grep -q -E "^==[0-9]+== ($vg_kinds|Process terminating)" "$_l"; then
			vg_bad="$vg_bad $_l"
		fi
	done
}

# report NAME DESCRIPTION: one TAP line for the last vg run, with the first errors as comments.
report() {
	if [ "$vg_rc" -eq 0 ] && [ -z "$vg_bad" ] && [ "$vg_procs" -gt 0 ]; then
		ok "$2 ($vg_procs processes clean)"
		return
	fi
	not_ok "$2: exit $vg_rc, $vg_procs processes, errors in:$vg_bad (see $logs/$1.log)"
	for _l in $vg_bad; do
		grep -E -m 1 -A 2 '^==[0-9]+== Process terminating' "$_l" | sed 's/^/# /'
		grep -E "^==[0-9]+== ($vg_kinds)" "$_l" | head -n 3 | sed 's/^/# /'
		grep -m 1 -A 12 -E "^==[0-9]+== ($vg_kinds)" "$_l" | grep -E ' (at|by) 0x' |
			head -n 8 | sed 's/^/# /'
	done
}

for t in $SCX_UNIT_TESTS; do
	name=$(basename "$t")
	vg "$name" "$top_builddir/$t" --jobs 1 -S
	summary=$(grep 'Synthesis' "$logs/$name.log" | tail -n 1 | sed 's/.*Synthesis: //')
	report "$name" "$name under valgrind ($summary)"
done
for h in $FUZZ_HARNESSES; do
	vg "replay_$h" "$top_builddir/fuzz/replay_$h" "$top_srcdir/fuzz/corpus/$h"
	report "replay_$h" "fuzz corpus $h under valgrind"
done
tap_done
