#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
#
# The library's ABI guard: exported symbols == the version script's global set; each carries a
# LIBSCX_ version; nothing outside the scx_ prefix; SONAME libscx.so.1; the newest map node is
# configure's LIBSCX_<major>.<minor>; and, when a baseline is stored in abi/, abidiff finds no
# incompatible change.
. "$top_srcdir/tests/tap.sh"

lib=$(ls "$top_builddir"/libscx/.libs/libscx.so.*.*.* 2>/dev/null | head -n 1)
map="$top_srcdir/libscx/libscx.map"
READELF=${READELF:-readelf}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ -z "$lib" ]; then
	not_ok "shared library built"
	tap_done
fi
ok "shared library built ($(basename "$lib"))"

soname=$($READELF -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$soname" = "libscx.so.1" ] && ok "SONAME is libscx.so.1" || not_ok "SONAME is libscx.so.1 (got '$soname')"

# Exported (defined, global, default-visibility) function and object symbols with versions.
$READELF --dyn-syms -W "$lib" |
	awk '$5 ~ /GLOBAL|WEAK/ && $7 != "UND" && ($4 == "FUNC" || $4 == "OBJECT") { print $8 }' |
	grep -v '^LIBSCX_[0-9.]*$' | sort >"$tmp/exported-versioned"
sed 's/@.*//' "$tmp/exported-versioned" | sort -u >"$tmp/exported"

# The map's global names (comments stripped).
sed -e 's:/\*.*\*/::g' "$map" |
	awk '/global:/ { g = 1; next } /local:/ || /}/ { g = 0; next } g && /;/ { gsub(/[ \t;]/, ""); if ($0 != "") print }' |
	sort -u >"$tmp/map"

if diff -u "$tmp/map" "$tmp/exported" >"$tmp/diff"; then
	ok "exported symbols equal the map's global set ($(wc -l <"$tmp/map") symbols)"
else
	not_ok "exported symbols equal the map's global set"
	sed 's/^/# /' "$tmp/diff"
fi

bad=$(grep -v '@@\?LIBSCX_[0-9]*\.[0-9]*$' "$tmp/exported-versioned")
[ -z "$bad" ] && ok "every exported symbol carries a LIBSCX_ version" ||
	{ not_ok "every exported symbol carries a LIBSCX_ version"; printf '# %s\n' $bad; }

bad=$(grep -v '^scx_' "$tmp/exported")
[ -z "$bad" ] && ok "nothing exported outside the scx_ prefix" ||
	{ not_ok "nothing exported outside the scx_ prefix"; printf '# %s\n' $bad; }

bad=$(grep '^scx_bpf_' "$tmp/exported")
[ -z "$bad" ] && ok "nothing exported in the kernel's scx_bpf_ kfunc namespace" ||
	{ not_ok "nothing exported in the kernel's scx_bpf_ kfunc namespace"; printf '# %s\n' $bad; }

newest=$(sed -n 's/^\(LIBSCX_[0-9]*\.[0-9]*\) *{.*/\1/p' "$map" | tail -n 1)
want="LIBSCX_${SCX_VERSION_MAJOR}.${SCX_VERSION_MINOR}"
[ "$newest" = "$want" ] && ok "newest map node $newest matches configure's version" ||
	not_ok "newest map node '$newest' matches configure's version ($want)"

nlocal=$(grep -c 'local:' "$map")
[ "$nlocal" = 1 ] && ok "the map has exactly one local: *;" || not_ok "the map has exactly one local: ($nlocal)"

baseline="$top_srcdir/abi/libscx.so.1.abi"
if [ ! -f "$baseline" ]; then
	skip "abidiff against abi/libscx.so.1.abi" "no baseline stored"
elif [ -z "${ABIDIFF:-}" ] || [ -z "${ABIDW:-}" ]; then
	skip "abidiff against abi/libscx.so.1.abi" "abidw/abidiff not installed (abigail-tools)"
else
	# Describe this build exactly as scripts/update-abi-baseline describes the baseline (public
	# types of the installed headers only), then compare the two descriptions.  Any change
	# fails, but for what abi/libscx.suppr allows: options structs (size_t sz first) growing at
	# their end, which the library accepts from older callers by design.
	mkdir -p "$tmp/headers/scx"
	cp "$top_srcdir"/include/scx/*.h "$tmp/headers/scx/"
	cp "$top_builddir/include/scx/version.h" "$tmp/headers/scx/"
	"$ABIDW" --headers-dir "$tmp/headers/scx" --drop-private-types --no-corpus-path \
		--no-show-locs --no-comp-dir-path --type-id-style hash --out-file "$tmp/new.abi" "$lib"
	"$ABIDIFF" --no-added-syms --suppressions "$top_srcdir/abi/libscx.suppr" \
		"$baseline" "$tmp/new.abi" >"$tmp/abidiff" 2>&1
	rc=$?
	# abidiff's exit status is a bit field: 1 error, 2 usage, 4 ABI change, 8 incompatible.
	if [ "$rc" -ne 0 ]; then
		not_ok "abidiff against abi/libscx.so.1.abi finds no ABI change (status $rc)"
		sed 's/^/# /' "$tmp/abidiff"
	else
		ok "abidiff against abi/libscx.so.1.abi finds no ABI change"
	fi
fi
tap_done
