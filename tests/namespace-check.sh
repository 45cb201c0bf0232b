#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
#
# The installed headers' namespace.  Every macro and every file-scope identifier (function,
# variable, type, struct, union, enum or enumerator) that the installed headers define, BPF
# side and userspace, must be prefixed scx_, SCX_, __scx, __SCX or __COMPAT_, or be a name
# the kernel's or the scx project's sched_ext headers define (with the same meaning), listed
# and reviewed in tests/namespace-kernel-names.txt.  Anything else could collide with a
# scheduler's own names (as a div_round_up() macro once did).
#
# How: libscx is installed into a staging root; one file including every installed header is
# preprocessed.  Macros: those defined after the headers minus those the system and libbpf
# headers they include define by themselves.  Identifiers: universal-ctags over the
# preprocessed text that came from the scx headers (linemarkers), so names made by macros
# count too.  The check is also run on a doctored copy of the headers, which it must refuse.
. "$top_srcdir/tests/tap.sh"

allow=$top_srcdir/tests/namespace-kernel-names.txt
if ! command -v ctags >/dev/null || ! ctags --version 2>/dev/null | grep -q Universal; then
	echo "1..0 # SKIP universal-ctags is needed"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
CC=${CC:-cc}

. "$top_srcdir/tests/lib/staged-install.sh"
staged_install_tap "$tmp/root"
inc=$(pkg-config --variable=includedir libscx)
bpf_cflags=$(pkg-config --variable=bpf_cflags libscx)

# allowed NAME: prefixed, or on the reviewed list (exact names, or shell patterns ending in *).
allowed() {
	case $1 in scx_* | SCX_* | __scx* | __SCX* | __COMPAT_*) return 0 ;; esac
	while read -r pat; do
		case $pat in '' | '#'*) continue ;; esac
		# shellcheck disable=SC2254
		case $1 in $pat) return 0 ;; esac
	done <"$allow"
	return 1
}

# names SIDE INCDIR HEADERS...: the names the headers define, one a line, on stdout.
# SIDE is bpf (clang -target bpf with pkg-config's bpf_cflags) or user (the C compiler).
names() {
	side=$1 dir=$2
	shift 2
	: >"$tmp/all.c"
	: >"$tmp/sys.c"
	for h in "$@"; do
		echo "#include <scx/$h>" >>"$tmp/all.c"
		# What the headers include from outside scx/: defined whether libscx exists or not.
		sed -n 's/^#include <\([^>]*\)>.*/\1/p' "$dir/scx/$h"
	done | grep -v '^scx/' | sort -u | sed 's/.*/#include <&>/' >"$tmp/sys.c"
	if [ "$side" = bpf ]; then
		# vmlinux.h is the kernel's, included by common.bpf.h.
		printf '#define BPF_NO_KFUNC_PROTOTYPES\n#include "vmlinux.h"\n' | cat - "$tmp/sys.c" >"$tmp/s"
		mv "$tmp/s" "$tmp/sys.c"
		# shellcheck disable=SC2086
		set -- $BPF_CLANG $(echo "$bpf_cflags" | sed "s|-I$inc|-I$dir|g") -I"$dir" \
			-idirafter /usr/include/$($CC -print-multiarch 2>/dev/null) -idirafter /usr/include
	else
		# shellcheck disable=SC2086
		set -- $CC -I"$dir" $LIBBPF_CFLAGS
	fi
	"$@" -dM -E -x c "$tmp/sys.c" 2>"$tmp/err" | awk '{ sub(/\(.*/, "", $2); print $2 }' |
		sort -u >"$tmp/sys.macros" || return 1
	"$@" -dM -E -x c "$tmp/all.c" 2>>"$tmp/err" | awk '{ sub(/\(.*/, "", $2); print $2 }' |
		sort -u >"$tmp/all.macros" || return 1
	comm -13 "$tmp/sys.macros" "$tmp/all.macros"
	# The preprocessed text of the scx headers only (not vmlinux.h, libbpf's or libc's).
	"$@" -E -x c "$tmp/all.c" 2>>"$tmp/err" | awk '
		/^# [0-9]+ "/ { f = $3; keep = f ~ /\/scx\// && f !~ /\/vmlinux\//; next }
		keep' >"$tmp/scx.i" || return 1
	ctags -x --language-force=C --c-kinds=defgpstuvx "$tmp/scx.i" 2>/dev/null |
		awk '{ print $1 }' | grep -v '^__anon' | sort -u
}

# check SIDE INCDIR HEADERS...: the names outside the rule, one a line, on stdout.
check_names() {
	names "$@" >"$tmp/names" || { cat "$tmp/err" >&2; return 1; }
	[ -s "$tmp/names" ] || { echo "no names found" >&2; return 1; }
	while read -r n; do
		allowed "$n" || echo "$n"
	done <"$tmp/names"
}

bpf_headers="common.bpf.h compat.bpf.h cid.bpf.h bpf_arena_common.bpf.h user_exit_info.bpf.h
	enums.bpf.h ravg.bpf.h"
user_headers=$(cd "$inc/scx" && ls *.h | grep -v '\.bpf\.h$')

# report SIDE WHAT HEADERS...: one TAP line for the headers of one side.
report() {
	side=$1 what=$2
	shift 2
	if ! bad=$(check_names "$side" "$inc" "$@"); then
		not_ok "$what can be scanned"
		sed 's/^/# /' "$tmp/err" | head -n 20
	elif [ -n "$bad" ]; then
		not_ok "$what define names outside the namespace rule"
		printf '# %s\n' $bad
	else
		ok "$what: $(wc -l <"$tmp/names") names, each scx-prefixed or a kernel interface name"
	fi
}

if [ -z "${BPF_CLANG:-}" ]; then
	skip "BPF headers define only scx names and kernel interface names" "no clang for BPF"
else
	# shellcheck disable=SC2086
	report bpf "BPF headers" $bpf_headers
fi
# shellcheck disable=SC2086
report user "userspace headers" $user_headers

# The check catches what it is for: a copy of the headers with a div_round_up() macro and an
# unprefixed helper function must fail with exactly those names.
cp -r "$inc" "$tmp/bad"
cat >>"$tmp/bad/scx/compat.h" <<'BAD'
#define div_round_up(n, d) (((n) + (d) - 1) / (d))
static inline int helper_of_mine(int x) { return x; }
BAD
# shellcheck disable=SC2086
bad=$(check_names user "$tmp/bad" $user_headers | tr '\n' ' ')
if [ "$bad" = "div_round_up helper_of_mine " ]; then
	ok "a doctored header's div_round_up and helper_of_mine are caught"
else
	not_ok "a doctored header's div_round_up and helper_of_mine are caught (got: $bad)"
fi
tap_done
