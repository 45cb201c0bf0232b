#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
# debian/libscx1.symbols is what scripts/gen-symbols makes of libscx/libscx.map: one line per
# versioned symbol, so the package build (DPKG_GENSYMBOLS_CHECK_LEVEL=4) sees every change.
. "$top_srcdir/tests/tap.sh"
symbols="$top_srcdir/debian/libscx1.symbols"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ ! -f "$symbols" ]; then
	skip "debian/libscx1.symbols equals scripts/gen-symbols' output" "no debian/ (release tarball)"
	tap_done
fi
if ! sh "$top_srcdir/scripts/gen-symbols" "$top_srcdir/libscx/libscx.map" >"$tmp/want" 2>"$tmp/err"; then
	not_ok "scripts/gen-symbols runs"
	sed 's/^/# /' "$tmp/err"
	tap_done
fi
ok "scripts/gen-symbols runs"
if diff -u "$symbols" "$tmp/want" >"$tmp/diff"; then
	ok "debian/libscx1.symbols equals scripts/gen-symbols' output"
else
	not_ok "debian/libscx1.symbols equals scripts/gen-symbols' output (run scripts/gen-symbols > debian/libscx1.symbols)"
	sed 's/^/# /' "$tmp/diff"
fi

# Every symbol the map exports appears exactly once, with the node it is in.
nmap=$(sed -e 's:/\*.*\*/::g' "$top_srcdir/libscx/libscx.map" |
	awk '/global:/ { g = 1; next } /local:/ || /^[ \t]*\}/ { g = 0 } g && /;/ { n++ } END { print n + 0 }')
nnodes=$(grep -c '^[ \t]*LIBSCX_[0-9]*\.[0-9]*[ \t]*{' "$top_srcdir/libscx/libscx.map")
nsym=$(grep -c '^ [A-Za-z_][A-Za-z0-9_.]*@LIBSCX_' "$symbols")
[ "$nsym" -eq $((nmap + nnodes)) ] && ok "one symbols line per map symbol and per node ($nsym)" ||
	not_ok "one symbols line per map symbol and per node ($nsym lines, $nmap symbols + $nnodes nodes)"
tap_done
