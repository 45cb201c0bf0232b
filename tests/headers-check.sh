#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
# Every installed userspace header compiles alone, as C and as C++, with -Wall -Werror.
. "$top_srcdir/tests/tap.sh"
CC=${CC:-cc}
CXX=${CXX:-c++}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
inc="-I$top_builddir/include -I$top_srcdir/include $LIBBPF_CFLAGS"

for h in $SCX_PUBLIC_HEADERS; do
	name=${h#include/}
	printf '#include <%s>\n#include <%s>\nint scx_header_check_dummy(void);\n' "$name" "$name" >"$tmp/t.c"
	cp "$tmp/t.c" "$tmp/t.cc"
	# shellcheck disable=SC2086
	check "$name alone as C (gnu11)" $CC -std=gnu11 -Wall -Wextra -Werror $inc -c "$tmp/t.c" -o "$tmp/t.o"
	# shellcheck disable=SC2086
	check "$name alone as C++" $CXX -Wall -Wextra -Werror $inc -c "$tmp/t.cc" -o "$tmp/t.o"
done
tap_done
