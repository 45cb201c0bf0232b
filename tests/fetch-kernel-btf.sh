#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
#
# fetch-kernel-btf.sh [LINE]: print the path of the raw BTF of a Debian sched_ext kernel, fetching
# it into the cache first when needed.
#
# LINE is a kernel line such as "7.3" or "7.2" (default: the newest line in the suite).  The
# newest patch release of that line's cloud-amd64 kernel binary is downloaded through private apt
# lists (the system's sources are not touched, nothing is installed), its vmlinuz decompressed and
# the .BTF section of the embedded vmlinux ELF stored as $SCX_KERNEL_CACHE/<version>/vmlinux.btf.
#
# Environment: SCX_KERNEL_CACHE (default $HOME/.cache/libscx/kernels), SCX_KERNEL_SUITE (default
# trixie-backports), SCX_KERNEL_MIRROR (default http://deb.debian.org/debian).
# Exit status: 0 with the path on stdout; 77 when the BTF cannot be had (no network, no tools).
set -u

line=${1:-}
cache=${SCX_KERNEL_CACHE:-${HOME:-/tmp}/.cache/libscx/kernels}
suite=${SCX_KERNEL_SUITE:-trixie-backports}
mirror=${SCX_KERNEL_MIRROR:-http://deb.debian.org/debian}
mkdir -p "$cache" 2>/dev/null || { echo "fetch-kernel-btf: cannot create $cache" >&2; exit 77; }

skip() {
	echo "fetch-kernel-btf: $*" >&2
	# Remember the failure for a while, so a test suite without network skips at once.
	touch "$cache/.unavailable${line:+-$line}" 2>/dev/null
	exit 77
}

# A cached answer first: no network needed then.
if [ -n "$line" ]; then
	hit=$(ls -d "$cache/$line".*/vmlinux.btf 2>/dev/null | sort -V | tail -n 1)
	[ -n "$hit" ] && [ -s "$hit" ] && { echo "$hit"; exit 0; }
fi

# The BTF is the .BTF section of the vmlinux ELF compressed inside a bzImage: try each stream
# that starts at a known magic until one decompresses to an ELF with that section.
extract_btf() { # $1 vmlinuz, $2 work folder; leaves $2/btf
	for m in '\x28\xb5\x2f\xfd:zstd -dcq' '\x1f\x8b\x08:gzip -dc' '\xfd\x37\x7a\x58\x5a\x00:xz -dcq'; do
		dec=${m#*:}
		command -v "${dec%% *}" >/dev/null 2>&1 || continue
		for off in $(LC_ALL=C grep -obUaP "${m%%:*}" "$1" 2>/dev/null | cut -d: -f1 | head -n 8); do
			tail -c +"$((off + 1))" "$1" | $dec >"$2/vmlinux" 2>/dev/null
			rm -f "$2/btf"
			objcopy --dump-section .BTF="$2/btf" "$2/vmlinux" "$2/scratch" 2>/dev/null &&
				[ -s "$2/btf" ] && { rm -f "$2/vmlinux" "$2/scratch"; return 0; }
		done
	done
	return 1
}

store_btf() { # $1 vmlinuz, $2 output
	work=$(mktemp -d "$cache/.work.XXXXXX") || skip "cannot create a work folder"
	extract_btf "$1" "$work" || { rm -rf "$work"; skip "no vmlinux with .BTF in $1"; }
	mv "$work/btf" "$2.tmp" && mv "$2.tmp" "$2" || { rm -rf "$work"; skip "cannot store $2"; }
	rm -rf "$work"
	echo "$2"
	exit 0
}

if [ -n "$(find "$cache/.unavailable${line:+-$line}" -mmin -10 2>/dev/null)" ]; then
	echo "fetch-kernel-btf: the last attempt (under 10 minutes ago) failed" >&2
	exit 77
fi
command -v objcopy >/dev/null 2>&1 || skip "objcopy is not installed"

# The VM tests' kernel fetcher, when present, keeps the kernels in the same cache.
vm_fetch=$(dirname "$0")/vm/fetch-kernels.sh
if [ -x "$vm_fetch" ]; then
	rels=$(SCX_KERNEL_CACHE=$cache SCX_KERNEL_LINES=$line "$vm_fetch" 2>/dev/null) || rels=
	rel=$(printf '%s\n' "$rels" | grep -v '^$' | tail -n 1)
	if [ -n "$rel" ] && [ -s "$cache/$rel/vmlinuz" ]; then
		[ -s "$cache/$rel/vmlinux.btf" ] && { echo "$cache/$rel/vmlinux.btf"; exit 0; }
		store_btf "$cache/$rel/vmlinuz" "$cache/$rel/vmlinux.btf"
	fi
fi

for tool in apt-get apt-cache dpkg-deb; do
	command -v "$tool" >/dev/null 2>&1 || skip "$tool is not installed"
done

apt_dir="$cache/.apt"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" || skip "cannot create $apt_dir"
echo "deb $mirror $suite main" >"$apt_dir/sources.list"
set -- -o Dir::Etc::SourceList="$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null \
	-o Dir::State::Lists="$apt_dir/lists" -o Dir::Cache="$apt_dir/cache" -o APT::Get::List-Cleanup=0

# Refresh the private lists at most once an hour.
stamp="$apt_dir/updated"
if [ -z "$(find "$stamp" -mmin -60 2>/dev/null)" ]; then
	apt-get -q "$@" update >"$apt_dir/update.log" 2>&1 || skip "apt-get update of $suite failed"
	touch "$stamp"
fi

pkgs=$(apt-cache "$@" search '^linux-binary-[0-9].*-cloud-amd64$' 2>/dev/null | cut -d' ' -f1)
[ -n "$pkgs" ] || skip "no linux-binary-*-cloud-amd64 package in $suite"
if [ -n "$line" ]; then
	pkgs=$(printf '%s\n' "$pkgs" | grep "^linux-binary-$(printf '%s' "$line" | sed 's/\./\\./g')\.")
	[ -n "$pkgs" ] || skip "no $line kernel in $suite"
fi
pkg=$(printf '%s\n' "$pkgs" | sort -V | tail -n 1)
ver=${pkg#linux-binary-}
ver=${ver%%+*}
out="$cache/$ver/vmlinux.btf"
[ -s "$out" ] && { echo "$out"; exit 0; }

deb=$(mktemp -d "$cache/.deb.XXXXXX") || skip "cannot create a work folder"
trap 'rm -rf "$deb"' EXIT
(cd "$deb" && apt-get -q "$@" download "$pkg" >download.log 2>&1) || skip "cannot download $pkg"
dpkg-deb -x "$deb"/*.deb "$deb/x" || skip "cannot unpack $pkg"
vmlinuz=$(find "$deb/x" -name 'vmlinuz*' -type f | head -n 1)
[ -n "$vmlinuz" ] || skip "$pkg holds no vmlinuz"
mkdir -p "$cache/$ver" || skip "cannot create $cache/$ver"

store_btf "$vmlinuz" "$out"
