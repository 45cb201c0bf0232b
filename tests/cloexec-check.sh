#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
# Every call in the library that makes a file descriptor asks for close-on-exec: open/openat/
# socket/accept4/pipe2/dup3/memfd_create with a *CLOEXEC flag, fopen/fdopen with an "e" mode,
# perf_event_open with PERF_FLAG_FD_CLOEXEC; and no plain pipe/dup/dup2/accept/creat at all.
. "$top_srcdir/tests/tap.sh"
n=0
for f in "$top_srcdir"/libscx/*.c; do
	# the statement of each call, joined up to its closing ';' (calls span two lines at most)
	bad=$(awk '
		/(^|[^a-z_])(open|openat|socket|accept4|pipe2|dup3|memfd_create)[ ]*\(/ ||
		/(^|[^a-z_])(fopen|fdopen)[ ]*\(/ || /__NR_perf_event_open[ ]*,/ {
			if ($0 ~ /^[ \t]*(\*|\/\/|\/\*)/ || $0 ~ /#include/)
				next
			stmt = $0; line = NR
			if (stmt !~ /;/ && (getline nxt) > 0) stmt = stmt " " nxt
			if (stmt !~ /CLOEXEC/ && stmt !~ /"[rwa]\+?e"/ && stmt !~ /"[rwa]e\+?"/)
				printf "%s:%d: %s\n", FILENAME, line, stmt
		}
		/(^|[^a-z_])(pipe|dup|dup2|accept|creat)[ ]*\(/ && !/^[ \t]*(\*|\/\/|\/\*)/ {
			printf "%s:%d: %s\n", FILENAME, NR, $0
		}' "$f")
	n=$((n + 1))
	if [ -n "$bad" ]; then
		not_ok "$(basename "$f"): every descriptor is close-on-exec"
		printf '%s\n' "$bad" | sed 's/^/# /'
	else
		ok "$(basename "$f"): every descriptor is close-on-exec"
	fi
done
[ "$n" -gt 0 ] || not_ok "library sources found"
tap_done
