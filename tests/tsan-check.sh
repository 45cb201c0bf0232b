#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
# ThreadSanitizer: compile the library sources and tests/tsan/threads.c with -fsanitize=thread
# and run it; any data race report (or a wrong result) fails.  Skips when the compiler cannot
# build or run TSan programs, and under the ASan build (the two sanitizers do not mix).
. "$top_srcdir/tests/tap.sh"
skip_all() { echo "1..0 # SKIP $*"; exit 0; }
cc=${CC:-gcc}
case "$SCX_SAN_CFLAGS" in
*sanitize=address*) skip_all "ThreadSanitizer does not mix with ASan" ;;
esac
[ -z "${SCX_TEST_WRAPPER:-}" ] || skip_all "not under a wrapper such as valgrind"
work=$(mktemp -d "${TMPDIR:-/tmp}/scx-tsan.XXXXXX")
trap 'rm -rf "$work"' EXIT
deps=$(pkg-config --cflags --libs libbpf libelf zlib libcap json-c 2>/dev/null) ||
	skip_all "pkg-config cannot find the library's dependencies"
systemd=$(pkg-config --cflags --libs libsystemd 2>/dev/null || true)
grep -q '^#define HAVE_LIBSYSTEMD 1' "$top_builddir/config.h" || systemd=
srcs=
for f in "$top_srcdir"/libscx/*.c; do srcs="$srcs $f"; done
# shellcheck disable=SC2086
if ! "$cc" -std=gnu11 -g -O1 -fsanitize=thread -pthread -I"$top_builddir" \
	-I"$top_builddir/include" -I"$top_srcdir/include" -I"$top_srcdir/libscx" \
	-o "$work/threads" "$top_srcdir/tests/tsan/threads.c" "$top_srcdir/tests/lib/fstree.c" \
	"$top_srcdir/tests/lib/sysgen.c" $srcs $deps $systemd >"$work/build.log" 2>&1; then
	cat "$work/build.log" >&2
	not_ok "the ThreadSanitizer program builds"
	tap_done
fi
ok "the ThreadSanitizer program builds"
TSAN_OPTIONS="halt_on_error=1 exitcode=66" "$work/threads" >"$work/out" 2>"$work/err"
rc=$?
sed 's/^/# /' "$work/out"
if [ "$rc" -eq 0 ] && ! grep -q 'WARNING: ThreadSanitizer' "$work/err"; then
	ok "threads run clean under ThreadSanitizer"
else
	sed 's/^/# /' "$work/err" | head -n 60
	not_ok "threads run clean under ThreadSanitizer (exit $rc)"
fi
tap_done
