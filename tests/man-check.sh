#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
#
# The man pages: each passes mandoc's and groff's linters, every exported symbol of the version
# script has docs/man/man3/<symbol>.3, every page is listed in docs/local.am, every .so link
# points at an existing page, each page's EXAMPLES program compiles and links against the
# built library (and json-c, whose objects the stats callbacks take), and the error codes of
# each function's header comment (its Return: part) are those of its page's ERRORS section.
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

# errors_differ MANDIR HEADER...: for each function documented in the headers (a "/**" comment
# opening with "name() - ") that has MANDIR/man3/name.3, the errno names of its Return: part
# (and of the Return: parts of the functions it names there, as in "the errors of
# scx_btf_vmlinux()") must stand in the ERRORS section of its page (the page a .so link points
# to), and every errno name of a page's ERRORS must stand in the Return: part of one of the
# functions documented on it.  Prints a line per difference.
errors_differ() {
	_man=$1
	shift
	_t=$(mktemp -d)
	echo '#include <errno.h>' | $CC -E -dM - | awk '$2 ~ /^E[A-Z0-9]+$/ { print $2 }' |
		sort -u >"$_t/errnos"
	awk '
	/^\/\*\*/ { inc = 1; name = ""; ret = 0; text = ""; next }
	inc && /\*\// { if (name != "") printf "%s\t%s\n", name, text; inc = 0; next }
	inc {
		line = $0
		sub(/^[ \t]*\* ?/, "", line)
		if (name == "" && match(line, /^[a-z_0-9]+\(\) - /))
			name = substr(line, 1, index(line, "(") - 1)
		if (!ret && index(line, "Return:")) {
			ret = 1
			line = substr(line, index(line, "Return:") + 7)
		}
		if (ret)
			text = text " " line
	}' "$@" >"$_t/docs"
	: >"$_t/pagefuncs"
	for _f in $(cut -f1 "$_t/docs" | sort -u); do
		_page=man3/$_f.3
		[ -f "$_man/$_page" ] || continue
		_to=$(sed -n 's/^\.so[ \t]\{1,\}//p' "$_man/$_page" | head -n 1)
		[ -n "$_to" ] && _page=$_to
		echo "$_page $_f" >>"$_t/pagefuncs"
		awk -F'\t' -v f="$_f" '$1 == f { print $2 }' "$_t/docs" >"$_t/ret"
		for _g in $(grep -o 'scx_[a-z_0-9]*()' "$_t/ret" | tr -d '()' | sort -u); do
			[ "$_g" = "$_f" ] || awk -F'\t' -v f="$_g" '$1 == f { print $2 }' "$_t/docs"
		done >>"$_t/ret"
		errnos_of "$_t/ret" >"$_t/hdr"
		sed -n '/^\.SH ERRORS/,/^\.SH/p' "$_man/$_page" >"$_t/sec"
		errnos_of "$_t/sec" >"$_t/page"
		_extra=$(comm -23 "$_t/hdr" "$_t/page" | tr '\n' ' ')
		[ -z "$_extra" ] || echo "$_f: the header's Return: names ${_extra}not in ERRORS of $_page"
		sed "s|^|$_page |" "$_t/hdr" >>"$_t/pagecodes"
	done
	for _page in $(cut -d' ' -f1 "$_t/pagefuncs" | sort -u); do
		sed -n '/^\.SH ERRORS/,/^\.SH/p' "$_man/$_page" >"$_t/sec"
		errnos_of "$_t/sec" >"$_t/page"
		awk -v p="$_page" '$1 == p { print $2 }' "$_t/pagecodes" | sort -u >"$_t/hdr"
		_extra=$(comm -13 "$_t/hdr" "$_t/page" | tr '\n' ' ')
		[ -z "$_extra" ] ||
			echo "$_page: ERRORS names ${_extra}in no header Return: of its functions" \
				"($(awk -v p="$_page" '$1 == p { printf "%s ", $2 }' "$_t/pagefuncs"))"
	done
	rm -rf "$_t"
}

# The errno names (from the errno.h list in $_t/errnos) in file $1, once each, sorted.
errnos_of() {
	tr -c 'A-Za-z0-9_' '\n' <"$1" | grep -xFf "$_t/errnos" | sort -u
}

# 3. errors_differ finds what it should: a header and page that disagree both ways, and none
# in a pair that agrees.
mkdir -p "$tmp/selftest/man/man3"
cat >"$tmp/selftest/t.h" <<'EOT'
/**
 * scx_t_load() - a function the check is tried on.
 * Return: 0, or -EINVAL, -ENOENT, or an error of scx_t_base().
 */
/**
 * scx_t_base() - what scx_t_load() calls.
 * Return: 0 or -EMFILE.
 */
EOT
printf '.SH ERRORS\n.TP\n.B EINVAL\nx\n.TP\n.B EPERM\ny\n.SH EXAMPLES\n' \
	>"$tmp/selftest/man/man3/scx_t_load.3"
errors_differ "$tmp/selftest/man" "$tmp/selftest/t.h" >"$tmp/selftest/out"
if grep -q '^scx_t_load: .*EMFILE ENOENT not in ERRORS' "$tmp/selftest/out" &&
	grep -q '^man3/scx_t_load.3: ERRORS names EPERM in no header' "$tmp/selftest/out"; then
	ok "the errors check finds a code missing from a page and one missing from a header"
else
	not_ok "the errors check finds a code missing from a page and one missing from a header"
	sed 's/^/# /' "$tmp/selftest/out"
fi
printf '.SH ERRORS\n.BR EINVAL ", " ENOENT ", " EMFILE\nx\n.SH "SEE ALSO"\n.BR EPERM (3)\n' \
	>"$tmp/selftest/man/man3/scx_t_load.3"
errors_differ "$tmp/selftest/man" "$tmp/selftest/t.h" >"$tmp/selftest/out"
if [ ! -s "$tmp/selftest/out" ]; then
	ok "the errors check passes a header and page that agree"
else
	not_ok "the errors check passes a header and page that agree"
	sed 's/^/# /' "$tmp/selftest/out"
fi

# 4. Each function's header Return: codes are its page's ERRORS, and the other way round.
errors_differ "$man" "$top_srcdir"/include/scx/*.h >"$tmp/errors" 2>&1
if [ ! -s "$tmp/errors" ]; then
	ok "every function's Return: error codes are the ERRORS of its page"
else
	not_ok "every function's Return: error codes are the ERRORS of its page"
	sed 's/^/# /' "$tmp/errors"
fi

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
		$SCX_SAN_CFLAGS $LIBBPF_CFLAGS $JSONC_CFLAGS "$tmp/ex.c" -o "$tmp/ex" \
		-L"$top_builddir/libscx/.libs" -lscx $LIBBPF_LIBS $JSONC_LIBS >"$tmp/cc.log" 2>&1; then
		ok "$p: EXAMPLES program compiles and links against libscx"
	else
		not_ok "$p: EXAMPLES program compiles and links against libscx"
		sed 's/^/# /' "$tmp/cc.log" | head -n 30
	fi
done
tap_done
