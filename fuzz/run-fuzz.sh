#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
#
# make fuzz: build each harness with clang's libFuzzer (plus ASan and UBSan) straight from the
# library sources and run it for FUZZ_SECONDS, starting from its stored corpus.  Ends with one
# line per harness: "fuzz NAME: E execs, C crashes".  Environment (set by fuzz/local.am):
# FUZZ_CLANG, FUZZ_SECONDS, FUZZ_HARNESSES, FUZZ_LIB_SOURCES, FUZZ_CPPFLAGS, FUZZ_LIBS, srcdir.
set -u
out=${FUZZ_OUT:-fuzz/out}
mkdir -p "$out"
clang=${FUZZ_CLANG:-}
if [ -z "$clang" ] || ! command -v "$clang" >/dev/null; then
	echo "make fuzz: configure found no clang with libFuzzer (install clang-N, libfuzzer-N-dev and libclang-rt-N-dev, then rerun configure)" >&2
	exit 1
fi
status=0
summary=
for h in $FUZZ_HARNESSES; do
	bin="$out/fuzz_$h"
	libs=
	for s in $FUZZ_LIB_SOURCES; do libs="$libs $srcdir/$s"; done
	# shellcheck disable=SC2086
	if ! "$clang" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		$FUZZ_CPPFLAGS -o "$bin" "$srcdir/fuzz/fuzz_$h.c" $libs $FUZZ_LIBS 2>"$out/$h.build.log"; then
		cat "$out/$h.build.log" >&2
		summary="$summary
fuzz $h: 0 execs, build failed"
		status=1
		continue
	fi
	work="$out/corpus-$h"
	art="$out/artifacts-$h/"
	mkdir -p "$work" "$art"
	"$bin" -max_total_time="$FUZZ_SECONDS" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$art" "$work" "$srcdir/fuzz/corpus/$h" >"$out/$h.log" 2>&1
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$h.log" | tail -n 1)
	crashes=$(find "$art" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
	[ "$crashes" -eq 0 ] || status=1
	summary="$summary
fuzz $h: ${execs:-0} execs, $crashes crashes"
done
printf '%s\n' "$summary" | sed '/^$/d'
exit $status
