#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
#
# Fetch the kernel's example sched_ext schedulers (tools/sched_ext of Debian's linux-source-X.Y
# package) for tests/kexamples/build-check.sh.
#
# Looks up the newest linux-source-$line in $suite through private apt lists
# (vmtest/apt-private.sh: the system's apt configuration is neither read nor changed),
# downloads the .deb with `apt-get download` and unpacks from the tarball inside it only
# tools/sched_ext.  Nothing is installed.  The sources are GPL code: they stay in the cache
# and are never copied into the tree.
#
# Result, under $SCX_KSRC_CACHE (default $XDG_CACHE_HOME/libscx/linux-source, XDG_CACHE_HOME
# defaulting to ~/.cache):
#   <version>/tools/sched_ext     the examples with their Makefile and the kernel's headers
#   <version>/.complete           written last, so an interrupted unpack is not used
# and the folder <version>/tools/sched_ext on stdout.  Messages go to stderr.
#
# Offline: when the archive cannot be reached, or the package cannot be downloaded, the newest
# cached version of the line is used.  Exit status 77 (with the reason on stderr) when there is
# none, 1 on other errors.
#
# Environment: SCX_KSRC_CACHE, SCX_KSRC_LINE (7.3), SCX_KSRC_SUITE (trixie-backports),
# SCX_KSRC_MIRROR (http://deb.debian.org/debian), SCX_KSRC_OFFLINE=1 (do not contact the archive).
set -euo pipefail

cache=${SCX_KSRC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/libscx/linux-source}
line=${SCX_KSRC_LINE:-7.3}
suite=${SCX_KSRC_SUITE:-trixie-backports}
mirror=${SCX_KSRC_MIRROR:-http://deb.debian.org/debian}
pkg=linux-source-$line

msg() { echo "fetch-linux-source: $*" >&2; }
skip() { msg "$*"; exit 77; }
die() { msg "$*"; exit 1; }

for tool in apt-get apt-cache dpkg-deb tar xz flock; do
	command -v "$tool" >/dev/null || skip "'$tool' is needed"
done

mkdir -p "$cache/debs"
exec 9>"$cache/.lock"
flock 9

. "$(dirname "$0")/../../vmtest/apt-private.sh"
apt_private_init "$cache/apt" "$suite" "$mirror"

# The newest cached version of the line, or nothing.
cached() {
	(cd "$cache" && ls -d "$line".*/.complete "$line"/.complete 2>/dev/null || true) |
		sed 's|/\.complete$||' | sort -V | tail -n 1
}

use_cached() {
	local v
	v=$(cached)
	[ -n "$v" ] || skip "$1, and no $pkg is cached in $cache"
	msg "$1; using the cached $v"
	echo "$cache/$v/tools/sched_ext"
	exit 0
}

# Unpack tools/sched_ext of the .deb $1 into $cache/$2.
unpack() {
	local deb=$1 ver=$2 tmp tarball
	tmp=$(mktemp -d "$cache/unpack.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	tarball=./usr/src/$pkg.tar.xz
	msg "$ver: unpacking tools/sched_ext from $(basename "$deb")"
	dpkg-deb --fsys-tarfile "$deb" | tar -x -O "$tarball" |
		xz -d | tar -x -C "$tmp" --wildcards "$pkg/tools/sched_ext/*"
	[ -d "$tmp/$pkg/tools/sched_ext" ] || die "$deb: no tools/sched_ext in $tarball"
	rm -rf "${cache:?}/$ver"
	mkdir -p "$cache/$ver/tools"
	mv "$tmp/$pkg/tools/sched_ext" "$cache/$ver/tools/"
	touch "$cache/$ver/.complete"
	rm -rf "$tmp"
	trap - EXIT
}

if [ "${SCX_KSRC_OFFLINE:-0}" = 1 ]; then
	use_cached "offline (SCX_KSRC_OFFLINE=1)"
fi
apt_private_update || use_cached "cannot reach $mirror ($suite)"

# "linux-source-7.3 (= 7.3.4-1~bpo13+1)" style: the candidate version of the package.
ver=$(apt-cache "${apt_opts[@]}" policy "$pkg" 2>/dev/null | sed -n 's/^ *Candidate: //p')
if [ -z "$ver" ] || [ "$ver" = "(none)" ]; then
	use_cached "$suite has no $pkg"
fi
# The upstream part of the Debian version names the cache folder: 7.3.4-1~bpo13+1 -> 7.3.4.
uver=${ver%%-*}
uver=${uver#*:}
if [ -f "$cache/$uver/.complete" ]; then
	echo "$cache/$uver/tools/sched_ext"
	exit 0
fi

deb=$(ls "$cache/debs/${pkg}_${ver//:/%3a}_"*.deb 2>/dev/null | head -n 1 || true)
if [ -z "$deb" ]; then
	msg "downloading $pkg $ver"
	if ! (cd "$cache/debs" && apt-get "${apt_opts[@]}" -qq download "$pkg=$ver" \
		>/dev/null 2>"$apt_dir/download.log"); then
		sed 's/^/fetch-linux-source:   /' "$apt_dir/download.log" >&2
		use_cached "cannot download $pkg $ver"
	fi
	deb=$(ls "$cache/debs/${pkg}_"*.deb | sort -V | tail -n 1)
fi
unpack "$deb" "$uver"
# Only the newest package is kept: it is large (~150 MB) and the unpacked folder is what is used.
find "$cache/debs" -name "${pkg}_*.deb" ! -path "$deb" -delete
echo "$cache/$uver/tools/sched_ext"
