#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
# make check: replay every stored fuzz corpus through its harness (built by the normal
# compiler, so sanitizer and valgrind runs cover it too).
. "$top_srcdir/tests/tap.sh"
for h in $FUZZ_HARNESSES; do
	bin="$top_builddir/fuzz/replay_$h"
	corpus="$top_srcdir/fuzz/corpus/$h"
	n=$(ls "$corpus" | wc -l)
	if [ "$n" -lt 1 ]; then
		not_ok "fuzz corpus $h is not empty"
		continue
	fi
	check "fuzz corpus $h replays without a crash ($n inputs)" $SCX_TEST_WRAPPER "$bin" "$corpus"
done
tap_done
