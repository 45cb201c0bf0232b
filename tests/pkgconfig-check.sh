#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
# make install DESTDIR=..., then pkg-config against that tree builds and runs a program that
# calls the library.
. "$top_srcdir/tests/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
CC=${CC:-cc}

if ! (cd "$top_builddir" && ${MAKE:-make} install DESTDIR="$tmp/root" >"$tmp/install.log" 2>&1); then
	not_ok "make install DESTDIR"
	sed 's/^/# /' "$tmp/install.log" | tail -n 30
	tap_done
fi
ok "make install DESTDIR"

pcdir=$(dirname "$(find "$tmp/root" -name libscx.pc | head -n 1)")
[ -f "$pcdir/libscx.pc" ] && ok "libscx.pc installed" || { not_ok "libscx.pc installed"; tap_done; }

# Point pkg-config at the staged tree: it rewrites ${prefix}-relative paths with the sysroot.
export PKG_CONFIG_PATH="$pcdir:${PKG_CONFIG_PATH:-}"
export PKG_CONFIG_SYSROOT_DIR="$tmp/root"
cflags=$(pkg-config --cflags libscx) && libs=$(pkg-config --libs libscx) &&
	ok "pkg-config --cflags --libs libscx" || { not_ok "pkg-config --cflags --libs libscx"; tap_done; }
libdir=$(pkg-config --variable=libdir libscx)
bpfinc=$(pkg-config --variable=bpf_includedir libscx)
[ -n "$bpfinc" ] && ok "bpf_includedir variable ($bpfinc)" || not_ok "bpf_includedir variable"

cat >"$tmp/prog.c" <<'C'
#include <stdio.h>
#include <string.h>
#include <scx/scx.h>
int main(void)
{
	if (strcmp(scx_version(), LIBSCX_VERSION_STRING))
		return 1;
	printf("%s %u\n", scx_version(), scx_version_major());
	return 0;
}
C
# shellcheck disable=SC2086
check "a program builds with pkg-config's flags" $CC $SCX_SAN_CFLAGS "$tmp/prog.c" -o "$tmp/prog" $cflags $libs
out=$(LD_LIBRARY_PATH="$libdir" "$tmp/prog" 2>&1)
case "$out" in
"$SCX_VERSION_MAJOR".*) ok "the program runs against the installed library ($out)" ;;
*) not_ok "the program runs against the installed library"; echo "# $out" ;;
esac
lib=$(ls "$libdir"/libscx.so.1 2>/dev/null)
[ -n "$lib" ] && ok "libscx.so.1 installed" || not_ok "libscx.so.1 installed"
[ -z "$(find "$tmp/root" -name '*.la')" ] || echo "# note: libtool archive installed (packaging removes it)"
tap_done
