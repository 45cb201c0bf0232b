#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
#
# Fetch one sched_ext kernel per minor line for the VM tests.
#
# Looks up Debian's trixie-backports through private apt lists (its own sources file, lists and
# cache under the kernel cache; the system's apt configuration is neither read nor changed),
# picks the newest cloud-amd64 kernel of every minor line found there, downloads its packages
# with `apt-get download` and unpacks only the kernel image and its config.  Nothing is
# installed.  Up to 6.18 linux-image-* holds /boot/vmlinuz-* and /boot/config-*; from 6.19 it is
# a meta package and the image is in linux-binary-*, the config in linux-base-* (which the
# archive lacks for some lines: such a line borrows the config of the nearest line that has
# one, since libbpf reads the running kernel's config for CONFIG_* externs).
#
# Result, under $SCX_KERNEL_CACHE (default ~/.cache/libscx/kernels):
#   <release>/vmlinuz, <release>/config, <release>/config.from (the release the config is from)
#   kernels.list: the chosen releases, oldest line first, one a line
# and the same list on stdout.  Messages go to stderr.  Exits 1 when no kernel could be had, 3
# when kernels were found but none has sched_ext.
#
# Offline: when the archive cannot be reached the last lists are used, and when a kernel
# cannot be downloaded the newest cached kernel of its line is used instead.
#
# Environment: SCX_KERNEL_CACHE, SCX_KERNEL_SUITE (trixie-backports), SCX_KERNEL_FLAVOUR
# (cloud-amd64), SCX_KERNEL_MIRROR (http://deb.debian.org/debian), SCX_KERNEL_LINES (only
# these minor lines, e.g. "6.18 7.3", or "newest"), SCX_KERNEL_OFFLINE=1 (do not contact the
# archive).
set -euo pipefail

cache=${SCX_KERNEL_CACHE:-$HOME/.cache/libscx/kernels}
suite=${SCX_KERNEL_SUITE:-trixie-backports}
flavour=${SCX_KERNEL_FLAVOUR:-cloud-amd64}
mirror=${SCX_KERNEL_MIRROR:-http://deb.debian.org/debian}

msg() { echo "fetch-kernels: $*" >&2; }
die() { msg "$*"; exit 1; }

for tool in apt-get apt-cache dpkg-deb dpkg tar; do
	command -v "$tool" >/dev/null || die "'$tool' is needed"
done

mkdir -p "$cache"
# One fetch at a time per cache (several builds may run the VM tests at once).
exec 9>"$cache/.fetch-kernels.lock"
flock 9

. "$(dirname "$0")/apt-private.sh"
apt_private_init "$cache/apt" "$suite" "$mirror"
mkdir -p "$cache/debs"

online=1
if [ "${SCX_KERNEL_OFFLINE:-0}" = 1 ]; then
	online=0
elif ! apt_private_update; then
	msg "cannot reach $mirror ($suite); using the cached lists and kernels"
	sed 's/^/fetch-kernels:   /' "$apt_dir/update.log" >&2
	online=0
fi

# The candidate kernels: linux-image-<version>-<flavour>, real packages only (not -dbg, not
# -unsigned, not the linux-image-<flavour> meta package).
candidates=
if apt_private_have_lists; then
	candidates=$(apt-cache "${apt_opts[@]}" search --names-only \
		"^linux-image-[0-9]+\.[0-9]+\.[0-9]+.*-$flavour\$" |
		sed -n "s/^linux-image-\([0-9][^ ]*-$flavour\) - .*/\1/p" | sort -V)
fi

line_of() { echo "$1" | sed -E 's/^([0-9]+\.[0-9]+)\..*/\1/'; }

# Newest release of each line: sort -V orders 7.2.9 before 7.2.11.
declare -A newest=()
lines=()
for rel in $candidates; do
	l=$(line_of "$rel")
	[ -n "${newest[$l]:-}" ] || lines+=("$l")
	newest[$l]=$rel
done
if [ ${#lines[@]} -eq 0 ]; then
	[ -s "$cache/kernels.list" ] || die "no $flavour kernel found in $suite and none cached"
	msg "no archive lists; using the cached kernels.list"
	while IFS= read -r rel; do
		[ -n "$rel" ] || continue
		l=$(line_of "$rel")
		[ -n "${newest[$l]:-}" ] || lines+=("$l")
		newest[$l]=$rel
	done <"$cache/kernels.list"
fi
# SCX_KERNEL_LINES: only these lines, or "newest" for the newest line alone.
if [ "${SCX_KERNEL_LINES:-}" = newest ]; then
	lines=("${lines[-1]}")
elif [ -n "${SCX_KERNEL_LINES:-}" ]; then
	sel=()
	for l in "${lines[@]}"; do
		case " $SCX_KERNEL_LINES " in *" $l "*) sel+=("$l") ;; esac
	done
	lines=("${sel[@]}")
fi
if [ ${#lines[@]} -eq 0 ]; then
	die "none of the lines '${SCX_KERNEL_LINES:-}' has a $flavour kernel in $suite or the cache"
fi

# Packages holding the image and the config of release $1.
packages_of() {
	local rel=$1 deps
	deps=$(apt-cache "${apt_opts[@]}" depends "linux-image-$rel" 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-\(binary\|base\)-[^ ]*\)$/\1/p' | sort -u)
	if echo "$deps" | grep -q "^linux-binary-"; then
		# linux-base-* may be listed but missing from the archive (a <virtual> name
		# is filtered out above because of its angle brackets).
		echo "$deps"
	else
		echo "linux-image-$rel"
	fi
}

# Unpack the kernel image and config of the packages $2... into $1.
unpack() {
	local dir=$1 deb tmp
	shift
	tmp=$(mktemp -d "$cache/unpack.XXXXXX")
	for deb in "$@"; do
		# Only ./boot and the config are needed; linux-image-* up to 6.18 also
		# carries all modules, which are left packed.
		dpkg-deb --fsys-tarfile "$deb" |
			tar -x -C "$tmp" --wildcards './boot/*' './usr/lib/modules/*/config' \
				'./usr/lib/modules/*/vmlinuz' \
				2>/dev/null || true
	done
	mkdir -p "$dir"
	local img cfg
	img=$(find "$tmp" -name 'vmlinuz*' -type f | head -n 1)
	cfg=$(find "$tmp" \( -name 'config-*' -o -name config \) -type f | head -n 1)
	if [ -z "$img" ]; then
		rm -rf "$tmp"
		return 1
	fi
	mv "$img" "$dir/vmlinuz.new" && mv "$dir/vmlinuz.new" "$dir/vmlinuz"
	if [ -n "$cfg" ]; then
		mv "$cfg" "$dir/config"
		basename "$dir" >"$dir/config.from"
	fi
	rm -rf "$tmp"
}

# Fetch the kernel of each line.
chosen=()
for l in "${lines[@]}"; do
	rel=${newest[$l]}
	dir=$cache/$rel
	if [ ! -s "$dir/vmlinuz" ] && [ "$online" = 1 ]; then
		pkgs=$(packages_of "$rel")
		debs=()
		ok=1
		for p in $pkgs; do
			f=$(ls "$cache/debs/${p}_"*.deb 2>/dev/null | head -n 1 || true)
			if [ -z "$f" ]; then
				if ! (cd "$cache/debs" && apt-get "${apt_opts[@]}" -qq download "$p" \
					>/dev/null 2>"$apt_dir/download.log"); then
					msg "cannot download $p:"
					sed 's/^/fetch-kernels:   /' "$apt_dir/download.log" >&2
					case $p in linux-base-*) continue ;; esac
					ok=0
					break
				fi
				f=$(ls "$cache/debs/${p}_"*.deb | head -n 1)
			fi
			debs+=("$f")
		done
		if [ "$ok" = 1 ]; then
			msg "$rel: unpacking" $pkgs
			unpack "$dir" "${debs[@]}" || msg "$rel: no kernel image in $pkgs"
		fi
	fi
	if [ ! -s "$dir/vmlinuz" ]; then
		# Offline or failed: the newest cached kernel of the same line.
		alt=$(cd "$cache" && ls -d "$l".*-"$flavour"/vmlinuz 2>/dev/null | sed 's|/vmlinuz$||' |
			sort -V | tail -n 1)
		if [ -n "$alt" ]; then
			msg "$rel unavailable, using cached $alt"
			rel=$alt
		else
			msg "$rel unavailable and no cached $l kernel: line skipped"
			continue
		fi
	fi
	chosen+=("$rel")
done
[ ${#chosen[@]} -gt 0 ] || die "no kernel could be fetched"

# Borrow configs: the nearest line (in the list) that has its own; on a tie the newer one.
n=${#chosen[@]}
for ((i = 0; i < n; i++)); do
	dir=$cache/${chosen[$i]}
	if [ -s "$dir/config" ] && [ "$(cat "$dir/config.from" 2>/dev/null)" = "${chosen[$i]}" ]; then
		continue
	fi
	donor=
	for ((d = 1; d < n; d++)); do
		[ -z "$donor" ] || break
		for j in $((i + d)) $((i - d)); do
			[ "$j" -ge 0 ] && [ "$j" -lt "$n" ] || continue
			c=$cache/${chosen[$j]}
			if [ -s "$c/config" ] && [ "$(cat "$c/config.from")" = "${chosen[$j]}" ]; then
				donor=${chosen[$j]}
				break
			fi
		done
	done
	if [ -n "$donor" ]; then
		cp "$cache/$donor/config" "$dir/config"
		echo "$donor" >"$dir/config.from"
		msg "${chosen[$i]}: the archive has no config; borrowed $donor's"
	else
		msg "${chosen[$i]}: no config anywhere; CONFIG_* externs will not resolve"
	fi
done

# Only kernels with sched_ext.
final=()
for rel in "${chosen[@]}"; do
	cfg=$cache/$rel/config
	if [ -s "$cfg" ] && [ "$(cat "$cache/$rel/config.from")" = "$rel" ] &&
		! grep -q '^CONFIG_SCHED_CLASS_EXT=y' "$cfg"; then
		msg "$rel: no CONFIG_SCHED_CLASS_EXT, skipped"
		continue
	fi
	final+=("$rel")
done
if [ ${#final[@]} -eq 0 ]; then
	msg "none of the kernels (${chosen[*]}) has sched_ext (CONFIG_SCHED_CLASS_EXT)"
	exit 3
fi
if [ -z "${SCX_KERNEL_LINES:-}" ]; then
	printf '%s\n' "${final[@]}" >"$cache/kernels.list.new"
	mv "$cache/kernels.list.new" "$cache/kernels.list"
fi
printf '%s\n' "${final[@]}"
