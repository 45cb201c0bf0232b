#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
#
# Build the initramfs the VM tests boot: static busybox, the guest init (guest-init.sh), the
# programs under test from a build tree (scxinfo and every example scheduler found there) with
# every shared library they load (found with ldd: libscx.so.1 from the build, libbpf.so.1,
# libelf, libz, libcap, libc...), and the kernel configs of the cached kernels as
# /boot/config-<release> (libbpf reads the running kernel's config for CONFIG_* externs).
# The same image boots every kernel.
#
# Usage: mkinitramfs.sh -b BUILDDIR -o OUT.cpio [-k KERNEL_CACHE] [-p PLAN]
# PLAN is the guest's list of scenarios (see guest-init.sh), packed as /opt/scx/plan.
# Prints the programs it packed (one "program NAME" line each) on stdout.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
builddir=
out=
kcache=${SCX_KERNEL_CACHE:-$HOME/.cache/libscx/kernels}
plan=
while getopts b:o:k:p: opt; do
	case $opt in
	b) builddir=$(cd "$OPTARG" && pwd) ;;
	o) out=$OPTARG ;;
	k) kcache=$OPTARG ;;
	p) plan=$OPTARG ;;
	*) echo "usage: $0 -b BUILDDIR -o OUT.cpio [-k KERNEL_CACHE]" >&2; exit 2 ;;
	esac
done
[ -n "$builddir" ] && [ -n "$out" ] || { echo "usage: $0 -b BUILDDIR -o OUT.cpio" >&2; exit 2; }

die() { echo "mkinitramfs: $*" >&2; exit 1; }

busybox=
for b in /bin/busybox /usr/bin/busybox; do
	if [ -x "$b" ] && ! ldd "$b" >/dev/null 2>&1; then	# static: ldd refuses it
		busybox=$b
		break
	fi
done
[ -n "$busybox" ] || die "a static busybox is needed (apt-get install busybox-static)"
command -v cpio >/dev/null || die "cpio is needed"

root=$(mktemp -d "${TMPDIR:-/tmp}/scx-initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,usr/local/lib,proc,sys,dev,tmp,boot,etc,opt/scx/examples}
cp "$busybox" "$root/bin/busybox"
cp "$here/guest-init.sh" "$root/init"
chmod 0755 "$root/init"

is_elf() { [ -f "$1" ] && [ "$(head -c 4 "$1" | od -An -c | tr -d ' ')" = '177ELF' ]; }

# The real binary of a program built by libtool (the build-tree file may be a wrapper script).
real_binary() {
	local p=$1 d n
	d=$(dirname "$p")
	n=$(basename "$p")
	if is_elf "$p"; then
		echo "$p"
	elif is_elf "$d/.libs/$n"; then
		echo "$d/.libs/$n"
	elif is_elf "$d/.libs/lt-$n"; then
		echo "$d/.libs/lt-$n"
	fi
}

libdirs="$builddir/libscx/.libs"
copy_libs() {
	local line path
	while read -r line; do
		case $line in
		*"=> not found"*) die "$1 needs a library that cannot be found: $line" ;;
		*"=> /"*) path=${line#*=> } ;;
		/*) path=$line ;;
		*) continue ;;
		esac
		path=${path%% (*}
		case $path in
		"$builddir"/*) dest=/usr/local/lib/$(basename "$path") ;;
		*) dest=$path ;;
		esac
		if [ ! -e "$root$dest" ]; then
			mkdir -p "$root$(dirname "$dest")"
			cp -L "$path" "$root$dest"
		fi
	done < <(LD_LIBRARY_PATH=$libdirs ldd "$1")
}

add_program() {	# $1 = source binary, $2 = destination in the image
	cp "$1" "$root$2"
	chmod 0755 "$root$2"
	copy_libs "$1"
	echo "program $(basename "$2")"
}

scxinfo=$(real_binary "$builddir/tools/scxinfo")
[ -n "$scxinfo" ] || die "no scxinfo in $builddir/tools (build the project first)"
add_program "$scxinfo" /bin/scxinfo

# Every example scheduler the build produced: executable ELF files under examples/.
if [ -d "$builddir/examples" ]; then
	while IFS= read -r f; do
		n=$(basename "$f")
		n=${n#lt-}
		case $n in *.o | *.so* | *.la | *.a) continue ;; esac
		[ -e "$root/opt/scx/examples/$n" ] && continue
		add_program "$f" "/opt/scx/examples/$n"
	done < <(find "$builddir/examples" -type f -perm -u+x 2>/dev/null |
		while IFS= read -r f; do
			r=$(real_binary "$f")
			[ -n "$r" ] && echo "$r"
		done | sort -u)
fi

# The tracing helpers' probe and its BPF object (tests/vm/local.am), when built.
probe=$(real_binary "$builddir/tests/vm/trace-probe")
if [ -n "$probe" ] && [ -s "$builddir/tests/vm/trace-probe.bpf.o" ]; then
	add_program "$probe" /opt/scx/trace-probe
	cp "$builddir/tests/vm/trace-probe.bpf.o" "$root/opt/scx/"
fi

# The kernel's own example schedulers built against libscx (tests/kexamples/build-check.sh).
if [ -d "$builddir/tests/kexamples/bin" ]; then
	mkdir -p "$root/opt/scx/kexamples"
	for f in "$builddir"/tests/kexamples/bin/scx_*; do
		[ -x "$f" ] && add_program "$f" "/opt/scx/kexamples/$(basename "$f")"
	done
fi

# The kernel configs, so libbpf finds /boot/config-$(uname -r) in every guest.
if [ -d "$kcache" ]; then
	for c in "$kcache"/*/config; do
		[ -s "$c" ] || continue
		cp "$c" "$root/boot/config-$(basename "$(dirname "$c")")"
	done
fi

[ -z "$plan" ] || cp "$plan" "$root/opt/scx/plan"

# The loader may be reached as /lib64/ld-linux-x86-64.so.2 through a symlink on the host.
[ -e "$root/lib64/ld-linux-x86-64.so.2" ] || die "the dynamic loader was not packed"

(cd "$root" && find . -print0 | cpio --null -o -H newc -R 0:0 --quiet) >"$out.tmp"
mv "$out.tmp" "$out"
