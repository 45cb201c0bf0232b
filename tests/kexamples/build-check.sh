#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
#
# The kernel's example schedulers (tools/sched_ext of Debian's linux-source, fetched into a
# cache by fetch-linux-source.sh) built against the installed libscx as their author would
# build them with libscx instead of the kernel's header copies: libscx installed into a staging
# root, then for each scx_<name>.bpf.c / scx_<name>.c pair, with only pkg-config's flags
# (bpf_cflags through the installed libscx-bpf.mk, which also runs bpftool gen object and
# gen skeleton; --cflags --libs for the program).  Only the scx_* sources and their own headers
# are copied into the build folder: the kernel's include/ folder is never on the include path.
#
# One TAP line per example, and one for running it with -h against the installed library and
# Debian 7.3's BTF (SCX_BTF_PATH: the running kernel need not have sched_ext; nothing is
# loaded).  Skips, saying why, without a BPF toolchain or when the sources cannot be fetched
# and none are cached.
. "$top_srcdir/tests/tap.sh"

if [ -z "${BPF_CLANG:-}" ] || [ -z "${BPFTOOL:-}" ]; then
	echo "1..0 # SKIP no BPF toolchain: clang '${BPF_CLANG:-}', bpftool '${BPFTOOL:-}'"
	exit 0
fi
command -v pkg-config >/dev/null || { echo "1..0 # SKIP no pkg-config"; exit 0; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
CC=${CC:-cc}
MAKE=${MAKE:-make}

rc=0
src=$("$top_srcdir/tests/kexamples/fetch-linux-source.sh" 2>"$tmp/fetch.log") || rc=$?
sed 's/^/# /' "$tmp/fetch.log"
if [ "$rc" = 77 ]; then
	echo "1..0 # SKIP $(tail -n 1 "$tmp/fetch.log" | sed 's/^fetch-linux-source: //')"
	exit 0
elif [ "$rc" != 0 ] || [ ! -d "$src" ]; then
	not_ok "fetch the kernel's tools/sched_ext"
	tap_done
fi
ok "kernel examples from $src"

. "$top_srcdir/tests/lib/staged-install.sh"
staged_install_tap "$tmp/root"
mk=$(pkg-config --variable=pkgdatadir libscx)/libscx-bpf.mk

# The flags of the kernel's tools/sched_ext/Makefile that are not about include paths.
cat >"$tmp/Makefile" <<EOF
BPF_EXTRA_CFLAGS = -Wall
CFLAGS = -g -O2 -pthread -Wall -Werror
include $mk
SCX_CFLAGS := \$(shell pkg-config --cflags libscx)
SCX_LIBS := \$(shell pkg-config --libs libscx)
scx_%: scx_%.c scx_%.bpf.skel.h
	\$(CC) \$(CFLAGS) -I. \$(SCX_CFLAGS) -o \$@ \$< \$(SCX_LIBS)
EOF

# With a sched_ext kernel's BTF (the running kernel need not have sched_ext), each program
# built also runs "-h": SCX_OPS_OPEN()/SCX_OPS_CID_OPEN() fit the object to that kernel first
# in most of them, and nothing is loaded.
btf=$("$top_srcdir/tests/fetch-kernel-btf.sh" 7.3 2>/dev/null) || btf=
libdir=$(pkg-config --variable=libdir libscx)

# What builds is kept for the VM tests (tests/vm: make-plan.sh, mkinitramfs.sh), which run it
# on every kernel line; a sanitizer build's programs need their runtime and are not kept.
keep=${top_builddir:-.}/tests/kexamples/bin
rm -rf "$keep"
[ -n "${SCX_SAN_CFLAGS:-}" ] || mkdir -p "$keep"

npass=0
ntotal=0
for f in "$src"/scx_*.bpf.c; do
	n=$(basename "$f" .bpf.c)
	n=${n#scx_}
	[ -f "$src/scx_$n.c" ] || continue
	ntotal=$((ntotal + 1))
	w=$tmp/$n
	mkdir -p "$w"
	cp "$src/scx_$n.bpf.c" "$src/scx_$n.c" "$w/"
	[ -f "$src/scx_$n.h" ] && cp "$src/scx_$n.h" "$w/"
	cp "$tmp/Makefile" "$w/"
	what=
	for step in "scx_$n.bpf.o:BPF compile" "scx_$n.bpf.skel.h:bpftool gen object/skeleton" \
		"scx_$n:userspace compile"; do
		# with the library built under sanitizers, the program is too (their runtime first)
		if ! $MAKE -C "$w" BPF_CLANG="$BPF_CLANG" BPFTOOL="$BPFTOOL" CC="$CC ${SCX_SAN_CFLAGS:-}" \
			"${step%%:*}" >>"$w/build.log" 2>&1; then
			what=${step#*:}
			break
		fi
	done
	if [ -z "$what" ]; then
		npass=$((npass + 1))
		ok "scx_$n builds with pkg-config flags only"
		[ ! -d "$keep" ] || cp "$w/scx_$n" "$keep/"
		grep -E 'warning:' "$w/build.log" | head -n 15 | sed 's/^/# /'
		if [ -z "$btf" ]; then
			skip "scx_$n -h" "no kernel 7.3 BTF (tests/fetch-kernel-btf.sh)"
		# (what the kernel's example itself leaves allocated at exit is not libscx's to report)
		elif SCX_BTF_PATH=$btf LD_LIBRARY_PATH=$libdir ASAN_OPTIONS=detect_leaks=0 \
			"$w/scx_$n" -h >"$w/run.log" 2>&1 &&
			! grep -q 'libscx: error' "$w/run.log"; then
			ok "scx_$n -h runs against the installed library and 7.3's BTF"
		elif ! pkg-config --atleast-version=1.6.1 libbpf &&
			grep -q 'Fix handling of BPF arena relocations' "$w/run.log"; then
			# libbpf before 1.6.1 would crash loading an arena object with many maps
			# (scx_qmap): SCX_OPS_OPEN refuses it, before the options are read.
			ok "scx_$n -h: refused with the libbpf fix named, not a crash (libbpf $(pkg-config --modversion libbpf))"
		elif [ ! -d /sys/kernel/sched_ext ] && grep -q 'set scheduler to SCHED_EXT' "$w/run.log"; then
			# scx_userland switches itself to SCHED_EXT before it reads its options.
			skip "scx_$n -h" "it needs a running sched_ext kernel before it reads -h"
		else
			not_ok "scx_$n -h runs against the installed library and 7.3's BTF"
			tail -n 10 "$w/run.log" | sed 's/^/# /'
		fi
	else
		not_ok "scx_$n: $what fails"
		grep -E 'error|undefined' "$w/build.log" | head -n 15 | sed 's/^/# /'
	fi
done
echo "# $npass of $ntotal kernel examples build against the installed libscx"
if [ "$ntotal" -gt 0 ]; then
	ok "the sources hold $ntotal examples"
else
	not_ok "no scx_*.bpf.c in $src"
fi
tap_done
