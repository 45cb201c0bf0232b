#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
#
# Build the initramfs scx-vmtest boots: static busybox, the guest init (guest-init.sh), the
# programs under test with every shared library they load (found as the dynamic linker finds
# them, with ldd: libscx.so.1, libbpf.so.1, libelf, libz, libcap, libc...; and libgcc_s, which
# glibc loads at run time to cancel a thread), and the kernel configs of the kernels as
# /boot/config-<release> (libbpf reads the running kernel's config for CONFIG_* externs).
# The same image boots every kernel.
#
# Usage: mkinitramfs.sh -o OUT.cpio [-b BUILDDIR] [-P NAME=PROGRAM]... [-s SCXINFO]
#                       [-u SCRIPT] [-k KERNEL_CACHE] [-p PLAN]
#   -b  a libscx build tree: its scxinfo, example schedulers, kernel examples and probes
#   -P  a program of the user's, packed as /opt/scx/bin/NAME
#   -s  the scxinfo to pack as /bin/scxinfo (without -b)
#   -u  the user's guest script, packed as /opt/scx/user-script
#   -p  the guest's list of scenarios (see guest-init.sh), packed as /opt/scx/plan
# Prints the programs it packed (one "program NAME" line each) on stdout.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
builddir=
out=
kcache=${SCX_KERNEL_CACHE:-$HOME/.cache/libscx/kernels}
plan=
scxinfo_bin=
user_script=
user_progs=()
usage() { echo "usage: $0 -o OUT.cpio [-b BUILDDIR] [-P NAME=PROGRAM]... [-s SCXINFO] [-u SCRIPT] [-k KERNEL_CACHE] [-p PLAN]" >&2; exit 2; }
while getopts b:o:k:p:P:s:u: opt; do
	case $opt in
	b) builddir=$(cd "$OPTARG" && pwd) ;;
	o) out=$OPTARG ;;
	k) kcache=$OPTARG ;;
	p) plan=$OPTARG ;;
	P) user_progs+=("$OPTARG") ;;
	s) scxinfo_bin=$OPTARG ;;
	u) user_script=$OPTARG ;;
	*) usage ;;
	esac
done
[ -n "$out" ] || usage
[ -n "$builddir" ] || [ ${#user_progs[@]} -gt 0 ] || usage

die() { echo "mkinitramfs: $*" >&2; exit 1; }

busybox=${SCX_VMTEST_BUSYBOX:-}
if [ -z "$busybox" ]; then
	for b in $(type -ap busybox) /bin/busybox /usr/bin/busybox; do
		if [ -x "$b" ] && ! ldd "$b" >/dev/null 2>&1; then	# static: ldd refuses it
			busybox=$b
			break
		fi
	done
fi
[ -n "$busybox" ] || die "a static busybox is needed (apt-get install busybox-static)"
command -v cpio >/dev/null || die "cpio is needed"

root=$(mktemp -d "${TMPDIR:-/tmp}/scx-initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,usr/local/lib,proc,sys,dev,tmp,boot,etc,opt/scx/examples,opt/scx/bin}
cp "$busybox" "$root/bin/busybox"
# guest-init.sh becomes the guest's /init under busybox's sh (its own #!/bin/sh line, there
# for the installed file, is a comment after this one: /bin/sh exists only once it runs).
{ echo '#!/bin/busybox sh'; cat "$here/guest-init.sh"; } >"$root/init"
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

libdirs=${builddir:+$builddir/libscx/.libs}
copy_lib() {	# $1 = a library's path on the host, $2 = the name a program asks for (optional)
	local path=$1 dest=$1 name=${2:-}
	# the build tree's own libraries go where the guest's LD_LIBRARY_PATH points
	[ -z "$builddir" ] || [[ $path != "$builddir"/* ]] || dest=/usr/local/lib/$(basename "$path")
	if [ ! -e "$root$dest" ]; then
		mkdir -p "$root$(dirname "$dest")"
		cp -L "$path" "$root$dest"
	fi
	# A library the host found outside the loader's default directories (through
	# LD_LIBRARY_PATH, say) is found in the guest through its LD_LIBRARY_PATH, /usr/local/lib;
	# it stays at its own path too, for a program's RUNPATH.
	case $(dirname "$dest") in
	/lib | /lib64 | /usr/lib | /usr/lib64 | /lib/x86_64-linux-gnu | /usr/lib/x86_64-linux-gnu | /usr/local/lib) ;;
	*)
		[ -n "$name" ] || name=$(basename "$dest")
		[ -e "$root/usr/local/lib/$name" ] || ln -s "$dest" "$root/usr/local/lib/$name"
		;;
	esac
}
copy_libs() {
	local line path name
	while read -r line; do
		name=
		case $line in
		*"=> not found"*) die "$1 needs a library that cannot be found: $line" ;;
		*"=> /"*) path=${line#*=> } name=${line%% =>*} ;;
		/*) path=$line ;;
		*) continue ;;
		esac
		copy_lib "${path%% (*}" "$name"
	done < <(LD_LIBRARY_PATH=$libdirs${libdirs:+${LD_LIBRARY_PATH:+:}}${LD_LIBRARY_PATH:-} ldd "$1")
}

add_program() {	# $1 = source binary, $2 = destination in the image
	cp "$1" "$root$2"
	chmod 0755 "$root$2"
	copy_libs "$1"
	echo "program $(basename "$2")"
}

if [ -n "$builddir" ]; then
	scxinfo=$(real_binary "$builddir/tools/scxinfo")
	[ -n "$scxinfo" ] || die "no scxinfo in $builddir/tools (build the project first)"
	add_program "$scxinfo" /bin/scxinfo
elif [ -n "$scxinfo_bin" ]; then
	add_program "$scxinfo_bin" /bin/scxinfo
fi

# The user's programs.
for np in "${user_progs[@]}"; do
	n=${np%%=*} p=${np#*=}
	is_elf "$p" || die "$p: not an ELF executable"
	add_program "$p" "/opt/scx/bin/$n"
done
if [ -n "$user_script" ]; then
	cp "$user_script" "$root/opt/scx/user-script"
	chmod 0755 "$root/opt/scx/user-script"
fi

# glibc loads libgcc_s at run time (pthread_cancel, backtraces), where ldd cannot see it:
# pack it beside libc when the host has it.
libc=$(find "$root" -name 'libc.so.6' | head -n 1)
if [ -n "$libc" ]; then
	gcc_s=$({ ldconfig -p || /sbin/ldconfig -p; } 2>/dev/null | awk '$1 == "libgcc_s.so.1" && /x86-64/ { print $NF; exit }')
	[ -n "$gcc_s" ] && [ -e "$gcc_s" ] && copy_lib "$gcc_s"
fi

# Every example scheduler the build produced: executable ELF files under examples/.
if [ -n "$builddir" ] && [ -d "$builddir/examples" ]; then
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
probe=${builddir:+$(real_binary "$builddir/tests/vm/trace-probe")}
if [ -n "$probe" ] && [ -s "$builddir/tests/vm/trace-probe.bpf.o" ]; then
	add_program "$probe" /opt/scx/trace-probe
	cp "$builddir/tests/vm/trace-probe.bpf.o" "$root/opt/scx/"
fi

# The kernel's own example schedulers built against libscx (tests/kexamples/build-check.sh).
if [ -n "$builddir" ] && [ -d "$builddir/tests/kexamples/bin" ]; then
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
