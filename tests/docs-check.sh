#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
# The guides in docs/ against the code: every libscx function they name exists in the public
# headers, and the scheduler of docs/writing-a-scheduler.md builds (BPF object, skeleton and
# loader) against "make install DESTDIR=..." exactly as the guide says.  It is not run: loading
# a scheduler would replace this machine's.
. "$top_srcdir/tests/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
docs="$top_srcdir/docs"

# Declared functions: SCX_API lines of the headers (the generated version.h included).
cat "$top_srcdir"/include/scx/*.h "$top_builddir/include/scx/version.h" 2>/dev/null |
	tr '\n' ' ' | sed 's/SCX_API/\n&/g' | sed -n 's/^SCX_API[^(]*[ *]\(scx_[a-z0-9_]*\)(.*/\1/p' |
	sort -u >"$tmp/api"
# and the BPF headers' helpers: scx_ macros and inline functions of bpf-headers/scx.
sed -n -e 's/^#define \(scx_[a-z0-9_]*\)(.*/\1/p' \
	-e 's/^static .*[ *]\(scx_[a-z0-9_]*\)(.*/\1/p' "$top_srcdir"/bpf-headers/scx/*.h >>"$tmp/api"
sort -u -o "$tmp/api" "$tmp/api"
for g in abi-policy.md kernel-compat.md porting-from-scx_utils.md writing-a-scheduler.md; do
	name=docs/$g
	g=$docs/$g
	# Function names written as calls: scx_foo(); "_suffix()" abbreviations are not checked,
	# nor the kernel's scx_bpf_ kfuncs.
	grep -o '\bscx_[a-z0-9_]*[a-z0-9]()' "$g" | tr -d '()' | grep -v '^scx_bpf_' |
		sort -u >"$tmp/named"
	[ -s "$tmp/named" ] || continue
	missing=$(comm -23 "$tmp/named" "$tmp/api")
	if [ -z "$missing" ]; then
		ok "$name: the $(wc -l <"$tmp/named") libscx functions it names exist"
	else
		not_ok "$name: the libscx functions it names exist"
		printf '# not declared in include/scx: %s\n' $missing
	fi
done

guide="$docs/writing-a-scheduler.md"
mkdir -p "$tmp/sched"
awk -v d="$tmp/sched" '
	/^```c$/ { n++; f = (n == 1) ? d "/myfifo.bpf.c" : (n == 2) ? d "/myfifo.c" : ""; next }
	/^```make$/ { f = d "/Makefile"; next }
	/^```/ { f = ""; next }
	f != "" { print > f }' "$guide"
if [ ! -s "$tmp/sched/myfifo.bpf.c" ] || [ ! -s "$tmp/sched/myfifo.c" ] || [ ! -s "$tmp/sched/Makefile" ]; then
	not_ok "writing-a-scheduler.md holds the BPF source, the loader and the Makefile"
	tap_done
fi
ok "writing-a-scheduler.md holds the BPF source, the loader and the Makefile"

if [ -z "${BPF_CLANG:-}" ] || [ -z "${BPFTOOL:-}" ]; then
	skip "the guide's scheduler builds against the installed library" "no BPF toolchain (clang >= 18 and bpftool)"
	tap_done
fi
. "$top_srcdir/tests/lib/staged-install.sh"
if ! staged_install "$tmp/root" "$tmp/install.log"; then
	not_ok "make install DESTDIR"
	tail -n 20 "$tmp/install.log" | sed 's/^/# /'
	tap_done
fi
# shellcheck disable=SC2086
# A make of its own (no jobserver of the test harness); only the compilers' warnings count.
if MAKEFLAGS= MAKELEVEL= ${MAKE:-make} -C "$tmp/sched" BPF_CLANG="$BPF_CLANG" BPFTOOL="$BPFTOOL" \
	CC="${CC:-cc} $SCX_SAN_CFLAGS" >"$tmp/build.log" 2>&1 && [ -x "$tmp/sched/myfifo" ] &&
	! grep -v '^make' "$tmp/build.log" | grep -q 'warning:'; then
	ok "the guide's scheduler builds against the installed library, without warnings"
else
	not_ok "the guide's scheduler builds against the installed library, without warnings"
	tail -n 30 "$tmp/build.log" | sed 's/^/# /'
fi
tap_done
