#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
#
# The layering that docs/internals.md describes:
#  - only the system-access layer (libscx/sysfs.c) opens files and folders by path: every
#    other source goes through scx_sysfs_* (so a captured root is honoured everywhere);
#  - the topology's core (topo.c), derivation and builder reference no function of the
#    sysfs loader (topo_load.c): the loader reaches them through its backend hooks.
. "$top_srcdir/tests/tap.sh"
nm=${NM:-nm}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Calls of the libc functions that take a path, outside sysfs.c (comments and strings aside).
calls='open|open64|openat|fopen|opendir|stat|lstat|access|faccessat|creat'
for f in "$top_srcdir"/libscx/*.c; do
	# the stats server's socket and the restore journal are the library's own files, not the
	# system's tree
	case "$f" in */sysfs.c | */stats_server.c | */journal.c) continue ;; esac
	sed -e 's:/\*.*\*/::g' -e 's:^[ \t]*/\{0,1\}\*.*::' -e 's://.*::' -e 's/"[^"]*"//g' "$f" |
		grep -nE "(^|[^_a-zA-Z0-9])($calls)[ \t]*\(" |
		sed "s|^|${f#"$top_srcdir"/}:|"
done >"$tmp/opens"
if [ -s "$tmp/opens" ]; then
	not_ok "only libscx/sysfs.c opens files by path"
	sed 's/^/# /' "$tmp/opens"
else
	ok "only libscx/sysfs.c opens files by path"
fi

obj() { ls "$top_builddir"/libscx/.libs/libscx_core_la-"$1".o 2>/dev/null ||
	ls "$top_builddir"/libscx/libscx_core_la-"$1".o 2>/dev/null; }
loader=$(obj topo_load)
# $NM may carry options ("nm -B"): used unquoted
if [ -z "$loader" ] || ! command -v ${nm%% *} >/dev/null 2>&1; then
	skip "the topology core references no function of the loader" "no objects or no nm"
	tap_done
fi
# shellcheck disable=SC2086
$nm -g --defined-only "$loader" | awk '{ print $NF }' | sort -u >"$tmp/loader"
for part in topo topo_derive topo_synth; do
	o=$(obj "$part")
	[ -n "$o" ] || { not_ok "libscx/$part.c is built"; continue; }
	# shellcheck disable=SC2086
	$nm -u "$o" | awk '{ print $NF }' | sort -u >"$tmp/uses"
	both=$(comm -12 "$tmp/loader" "$tmp/uses" | tr '\n' ' ')
	if [ -z "$both" ]; then
		ok "libscx/$part.c references no function of topo_load.c"
	else
		not_ok "libscx/$part.c references no function of topo_load.c"
		echo "# it uses: $both"
	fi
done
tap_done
