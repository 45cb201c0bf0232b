#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
# make check-valgrind: every Criterion unit test program (one job, its workers traced, not the
# system programs some tests run) and every fuzz corpus replay under valgrind memcheck; any
# memory error or leak (definite, indirect or possible) of the program fails it.
# tests/valgrind.supp hides only the Criterion runner's own allocations.
# Environment: top_srcdir, top_builddir, SCX_UNIT_TESTS, FUZZ_HARNESSES (set by tests/local.am).
. "$top_srcdir/tests/tap.sh"
command -v valgrind >/dev/null || { echo "1..0 # SKIP valgrind not installed"; exit 0; }
vg="valgrind -q --trace-children=yes --error-exitcode=99 --leak-check=full \
--errors-for-leak-kinds=definite,indirect,possible --show-leak-kinds=definite,indirect,possible \
--suppressions=$top_srcdir/tests/valgrind.supp --trace-children-skip=/usr/*,/bin/*,/sbin/*"
# the tests shrink their heaviest loops under a wrapper
SCX_TEST_WRAPPER=valgrind
export SCX_TEST_WRAPPER
logs=${VALGRIND_LOGS:-$top_builddir/tests/valgrind}
mkdir -p "$logs"
for t in $SCX_UNIT_TESTS; do
	name=$(basename "$t")
	# shellcheck disable=SC2086
	$vg "$top_builddir/$t" --jobs 1 -S --ascii >"$logs/$name.log" 2>&1
	rc=$?
	summary=$(grep 'Synthesis' "$logs/$name.log" | tail -n 1 | sed 's/.*Synthesis: //')
	if [ "$rc" -eq 0 ]; then
		ok "$name under valgrind ($summary)"
	else
		not_ok "$name under valgrind: exit $rc ($summary; see $logs/$name.log)"
		grep -E '==[0-9]+== (Invalid|Conditional|Use of|.*(definitely|indirectly|possibly) lost)' \
			"$logs/$name.log" | head -n 5 | sed 's/^/# /'
	fi
done
for h in $FUZZ_HARNESSES; do
	# shellcheck disable=SC2086
	if $vg "$top_builddir/fuzz/replay_$h" "$top_srcdir/fuzz/corpus/$h" >"$logs/replay_$h.log" 2>&1
	then
		ok "fuzz corpus $h under valgrind"
	else
		not_ok "fuzz corpus $h under valgrind (see $logs/replay_$h.log)"
	fi
done
tap_done
