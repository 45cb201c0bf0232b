#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
# Every tracked file names its license with an SPDX line near its top (license texts and data
# files that cannot hold a comment are listed below).
. "$top_srcdir/tests/tap.sh"

if ! command -v git >/dev/null || ! git -C "$top_srcdir" rev-parse --git-dir >/dev/null 2>&1; then
	skip "SPDX line in every tracked file" "not a git checkout (release tarball)"
	tap_done
fi

missing=$(git -C "$top_srcdir" ls-files | while IFS= read -r f; do
	case "$f" in
	LICENSES/* | LICENSE | */corpus/* | *.json | *.abi | abi/* | bpf-headers/vmlinux/*/vmlinux.h | \
		debian/changelog | debian/source/format) continue ;;
	esac
	[ -f "$top_srcdir/$f" ] || continue
	head -n 12 "$top_srcdir/$f" | grep -q 'SPDX-License-Identifier:' || echo "$f"
done)
if [ -z "$missing" ]; then
	ok "SPDX line in every tracked file"
else
	not_ok "SPDX line in every tracked file"
	printf '# missing: %s\n' $missing
fi
tap_done
