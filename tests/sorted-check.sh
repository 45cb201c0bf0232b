#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
#
# The lists that the build fragments say are sorted are sorted (byte order, LC_ALL=C):
#  - a multi-line list ("name = \" and one item a line) whose comment, just above it, says
#    "sorted";
#  - in a fragment whose comments say "sorted within each" block, every run of consecutive
#    "name += item" lines (a block ends at a blank or comment line).
# The check is tried first on a fragment that breaks both rules, which it must report.
. "$top_srcdir/tests/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# unsorted FILE: prints "FILE:LINE: ITEM after PREVIOUS" for each item out of order.
unsorted() {
	LC_ALL=C awk -v file="$1" '
	function reset() { prev = ""; inlist = 0 }
	BEGIN { blocks = 0 }
	/^#/ && /sorted within each/ { blocks = 1 }
	/^#/ {
		said = tolower($0) ~ /(^|[^a-z])sorted/ && tolower($0) !~ /not sorted/
		reset()
		run = ""
		next
	}
	/^[ \t]*$/ { said = 0; reset(); run = ""; next }
	/^[A-Za-z_][A-Za-z_0-9]* *\+?= *\\$/ { inlist = said; said = 0; prev = ""; next }
	inlist {
		item = $0
		sub(/^[ \t]+/, "", item)
		sub(/[ \t]*\\$/, "", item)
		if (prev != "" && item < prev)
			printf "%s:%d: %s after %s\n", file, NR, item, prev
		prev = item
		if ($0 !~ /\\$/)
			inlist = 0
		next
	}
	blocks && /^[A-Za-z_][A-Za-z_0-9]* *\+= *[^\\]*$/ {
		name = $1
		item = $0
		sub(/^[^=]*= */, "", item)
		if (run == name && item < last)
			printf "%s:%d: %s after %s\n", file, NR, item, last
		run = name
		last = item
		said = 0
		next
	}
	{ said = 0; run = "" }
	' "$1"
}

cat >"$tmp/bad.am" <<'EOF'
# A list, sorted:
fruit = \
	apple \
	cherry \
	banana
# in the order of the recipe
veg = \
	leek \
	bean
# Pages, sorted within each block.
pages += b.3
pages += a.3

pages += c.3
EOF
unsorted "$tmp/bad.am" >"$tmp/bad.out"
if grep -q ':5: banana after cherry' "$tmp/bad.out" &&
	grep -q ':12: a.3 after b.3' "$tmp/bad.out" &&
	[ "$(wc -l <"$tmp/bad.out")" -eq 2 ]; then
	ok "the check finds the items out of order in a list and in a block, and only those"
else
	not_ok "the check finds the items out of order in a list and in a block, and only those"
	sed 's/^/# /' "$tmp/bad.out"
fi

for f in "$top_srcdir/Makefile.am" "$top_srcdir"/*/local.am; do
	name=${f#"$top_srcdir"/}
	unsorted "$f" | sed "s|^$f|$name|" >"$tmp/out"
	if [ -s "$tmp/out" ]; then
		not_ok "$name: the lists it says are sorted are sorted"
		sed 's/^/# /' "$tmp/out"
	else
		ok "$name: the lists it says are sorted are sorted"
	fi
done
tap_done
