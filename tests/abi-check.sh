#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
#
# The library's ABI guard: exported symbols == the version script's global set; each carries a
# LIBSCX_ version; nothing outside the scx_ prefix; SONAME libscx.so.1; the newest map node is
# configure's LIBSCX_<major>.<minor>; when abi/ holds a baseline for the installed abigail's
# major version, abidiff finds no ABI change against it, and does report one in a copy of the
# library built with a member added to a public struct.
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

# The baseline this abigail reads: abixml's format follows abigail's major version (abigail 3
# refuses abigail 2's files and reads no types from them when compared with a library), so
# abi/ holds one description of the same library per major version (docs/abi-policy.md).
abigail_major=
[ -z "${ABIDW:-}" ] || abigail_major=$("$ABIDW" --version 2>/dev/null |
	grep -o '[0-9][0-9]*\.[0-9][0-9.]*' | head -n 1 | cut -d. -f1)
baseline="$top_srcdir/abi/abigail-$abigail_major/libscx.so.1.abi"
suppr="$top_srcdir/abi/libscx.suppr"

# describe LIB HEADERS OUT: the ABI of LIB as scripts/update-abi-baseline describes the
# baseline: public types of the installed headers only, no paths of the build.
describe() {
	"$ABIDW" --headers-dir "$2" --drop-private-types --no-corpus-path --no-show-locs \
		--no-comp-dir-path --type-id-style hash --out-file "$3" "$1"
}

# The public headers of this build: the source tree's and the generated version.h.
public_headers() {
	mkdir -p "$1/scx"
	cp "$top_srcdir"/include/scx/*.h "$1/scx/"
	cp "$top_builddir/include/scx/version.h" "$1/scx/"
}

# A public struct that is not an options struct (those may grow at their end) and that an
# exported function takes: a member added at its start moves every other one.
changed_struct() {
	if grep -q '^struct scx_em_pstate {' "$top_srcdir/include/scx/em.h"; then
		echo scx_em_pstate
	else
		sed -n 's/^struct \(scx_[a-z0-9_]*\) {$/\1/p' "$top_srcdir"/include/scx/*.h |
			grep -v '_opts$' | head -n 1
	fi
}

# build_changed DIR: a copy of the library built from the tree with one member added to a
# public struct, at -O0 (the layout is all that counts); prints the library's path.
build_changed() {
	local d=$1 st obj c
	st=$(changed_struct)
	[ -n "$st" ] || return 1
	public_headers "$d/include"
	sed -i "s/^struct $st {\$/&\\n\\tint abi_check_added;/" "$d"/include/scx/*.h
	grep -q 'abi_check_added' "$d"/include/scx/*.h || return 1
	for c in "$top_srcdir"/libscx/*.c; do
		obj="$d/$(basename "$c" .c).o"
		# shellcheck disable=SC2086
		${CC:-cc} -std=gnu11 -O0 -g -fPIC -fvisibility=hidden -DHAVE_CONFIG_H -I"$d/include" \
			-I"$top_builddir" -I"$top_srcdir/libscx" $SCX_DEP_CFLAGS -c "$c" -o "$obj" || return 1
	done
	# shellcheck disable=SC2086
	${CC:-cc} -shared -o "$d/libscx.so.1.0.0" -Wl,-soname,libscx.so.1 \
		-Wl,--version-script="$map" "$d"/*.o $SCX_DEP_LIBS || return 1
	echo "$st"
}

if [ -z "${ABIDIFF:-}" ] || [ -z "${ABIDW:-}" ]; then
	skip "abidiff against the stored baseline" "abidw/abidiff not installed (abigail-tools)"
	skip "abidiff reports a member added to a public struct" "abidw/abidiff not installed (abigail-tools)"
elif [ ! -f "$baseline" ]; then
	skip "abidiff against abi/abigail-$abigail_major/libscx.so.1.abi" \
		"no baseline for abigail $abigail_major (scripts/update-abi-baseline writes one)"
	skip "abidiff reports a member added to a public struct" "no baseline for abigail $abigail_major"
else
	# Any change fails, but for what abi/libscx.suppr allows: options structs growing at their
	# end, which the library accepts from older callers by design, and the C library's types.
	public_headers "$tmp/headers"
	describe "$lib" "$tmp/headers/scx" "$tmp/new.abi"
	"$ABIDIFF" --no-added-syms --suppressions "$suppr" "$baseline" "$tmp/new.abi" >"$tmp/abidiff" 2>&1
	rc=$?
	# abidiff's exit status is a bit field: 1 error, 2 usage, 4 ABI change, 8 incompatible.
	if [ "$rc" -ne 0 ]; then
		not_ok "abidiff against abi/abigail-$abigail_major/libscx.so.1.abi finds no ABI change (status $rc)"
		sed 's/^/# /' "$tmp/abidiff"
	else
		ok "abidiff against abi/abigail-$abigail_major/libscx.so.1.abi finds no ABI change"
	fi

	# The same comparison must still see a change of libscx's own types.
	mkdir -p "$tmp/changed"
	if ! st=$(build_changed "$tmp/changed" 2>"$tmp/changed.log"); then
		not_ok "a copy of the library with a member added to a public struct builds"
		sed 's/^/# /' "$tmp/changed.log"
	else
		describe "$tmp/changed/libscx.so.1.0.0" "$tmp/changed/include/scx" "$tmp/changed.abi"
		"$ABIDIFF" --no-added-syms --suppressions "$suppr" "$baseline" "$tmp/changed.abi" \
			>"$tmp/abidiff-changed" 2>&1
		rc=$?
		if [ $((rc & 4)) -ne 0 ] && grep -q "struct $st" "$tmp/abidiff-changed" &&
			grep -q 'abi_check_added' "$tmp/abidiff-changed"; then
			ok "abidiff reports a member added to struct $st (status $rc)"
		else
			not_ok "abidiff reports a member added to struct $st (status $rc)"
			sed 's/^/# /' "$tmp/abidiff-changed"
		fi
	fi
fi
tap_done
