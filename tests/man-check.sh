#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
#
# The man pages: each passes mandoc's and groff's linters, every exported symbol of the version
# script has docs/man/man3/<symbol>.3, every page is listed in docs/local.am, every .so link
# points at an existing page, and each page's EXAMPLES program compiles and links against the
# built library.
. "$top_srcdir/tests/tap.sh"
CC=${CC:-cc}
man="$top_srcdir/docs/man"
map="$top_srcdir/libscx/libscx.map"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

pages=$(cd "$man" && ls man[1-8]/*.[1-8] 2>/dev/null | sort)
if [ -z "$pages" ]; then
	not_ok "man pages found under docs/man"
	tap_done
fi

# 1. Every exported symbol has a page.
sed -e 's:/\*.*\*/::g' "$map" |
	awk '/global:/ { g = 1; next } /local:/ || /}/ { g = 0; next } g && /;/ { gsub(/[ \t;]/, ""); if ($0 != "") print }' |
	sort -u >"$tmp/symbols"
missing=
while IFS= read -r sym; do
	[ -f "$man/man3/$sym.3" ] || missing="$missing $sym"
done <"$tmp/symbols"
if [ -z "$missing" ]; then
	ok "every symbol of libscx.map has a man3 page ($(wc -l <"$tmp/symbols") symbols)"
else
	not_ok "every symbol of libscx.map has a man3 page"
	printf '# missing: docs/man/man3/%s.3\n' $missing
fi

# 2. Every page is installed and distributed (listed in docs/local.am).
unlisted=
for p in $pages; do
	grep -q "docs/man/$p\\b" "$top_srcdir/docs/local.am" || unlisted="$unlisted $p"
done
[ -z "$unlisted" ] && ok "every page is listed in docs/local.am" ||
	{ not_ok "every page is listed in docs/local.am"; printf '# unlisted: docs/man/%s\n' $unlisted; }

have_mandoc=$(command -v mandoc)
have_groff=$(command -v groff)
for p in $pages; do
	src="$man/$p"
	target=$(sed -n 's/^\.so[ \t]\{1,\}//p' "$src" | head -n 1)
	if [ -n "$target" ]; then
		# A link page: a .so line first (dh_installman turns it into a symlink), then only
		# comments, to a page that exists and is not a link itself.
		others=$(grep -v '^\.\\"' "$src" | grep -vc '^\.so[ \t]')
		if [ "$others" -eq 0 ] && head -n 1 "$src" | grep -q '^\.so' && [ -f "$man/$target" ] &&
			! grep -q '^\.so' "$man/$target"; then
			ok "$p links to $target"
		else
			not_ok "$p is a single .so line to an existing page ($target)"
		fi
		continue
	fi
	grep -q '^\.\\" SPDX-License-Identifier:' "$src" && ok "$p: SPDX line" ||
		not_ok "$p: SPDX line"
	if [ -n "$have_mandoc" ]; then
		(cd "$man" && mandoc -Tlint -Wwarning "$p") >"$tmp/lint" 2>&1
		[ -s "$tmp/lint" ] && { not_ok "$p: mandoc -Tlint -Wwarning"; sed 's/^/# /' "$tmp/lint"; } ||
			ok "$p: mandoc -Tlint -Wwarning"
	else
		skip "$p: mandoc -Tlint -Wwarning" "mandoc not installed"
	fi
	if [ -n "$have_groff" ]; then
		# What man --warnings (and lintian) run: groff with all warnings, output discarded.
		(cd "$man" && LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$p") >"$tmp/lint" 2>&1
		[ -s "$tmp/lint" ] && { not_ok "$p: groff -ww"; sed 's/^/# /' "$tmp/lint"; } ||
			ok "$p: groff -ww"
	else
		skip "$p: groff -ww" "groff not installed"
	fi
	for s in NAME SYNOPSIS DESCRIPTION; do
		grep -q "^\\.SH $s\$" "$src" || echo "$s" >>"$tmp/nosec.$$"
	done
	case "$p" in
	man3/*)
		for s in "RETURN VALUE" EXAMPLES "SEE ALSO"; do
			grep -q "^\\.SH \"\\{0,1\\}$s\"\\{0,1\\}\$" "$src" || echo "$s" >>"$tmp/nosec.$$"
		done
		;;
	esac
	if [ -s "$tmp/nosec.$$" ]; then
		not_ok "$p: has the required sections"
		sed 's/^/# missing section: /' "$tmp/nosec.$$"
	else
		ok "$p: has the required sections"
	fi
	rm -f "$tmp/nosec.$$"

	# The EXAMPLES program: the .EX/.EE block inside the EXAMPLES section, roff escapes undone.
	awk '/^\.SH/ { ex = ($0 ~ /^\.SH "?EXAMPLES?"?$/) ; next }
	     ex && /^\.EX/ { inb = 1; next }
	     ex && /^\.EE/ { inb = 0; next }
	     ex && inb && !/^\.\\"/ { print }' "$src" |
		sed -e 's/\\e/\\/g' -e 's/\\(aq/'"'"'/g' -e 's/\\(dq/"/g' -e 's/\\(rs/\\/g' \
			-e 's/\\-/-/g' -e 's/\\&//g' -e 's/\\(ti/~/g' -e 's/\\(ha/^/g' \
			-e 's/\\(ga/`/g' >"$tmp/ex.c"
	case "$p" in
	man3/*) need_example=1 ;;
	*) need_example= ;;
	esac
	if ! grep -q 'main *(' "$tmp/ex.c"; then
		[ -n "$need_example" ] && not_ok "$p: EXAMPLES holds a complete program (.EX/.EE with main)"
		continue
	fi
	# shellcheck disable=SC2086
	if $CC -std=gnu11 -Wall -Wextra -Werror -I"$top_builddir/include" -I"$top_srcdir/include" \
		$SCX_SAN_CFLAGS $LIBBPF_CFLAGS "$tmp/ex.c" -o "$tmp/ex" -L"$top_builddir/libscx/.libs" -lscx \
		$LIBBPF_LIBS >"$tmp/cc.log" 2>&1; then
		ok "$p: EXAMPLES program compiles and links against libscx"
	else
		not_ok "$p: EXAMPLES program compiles and links against libscx"
		sed 's/^/# /' "$tmp/cc.log" | head -n 30
	fi
done
tap_done
