# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
# Used by tests/bpf/bpf-check.sh.
# For each "extern ... NAME(args) __weak __ksym;" line of a vmlinux.h: "NAME NPARAMS".
/__ksym;$/ && /^extern / {
	line = $0
	gsub(/__attribute__\(\(address_space\(1\)\)\)/, "", line)
	p = index(line, "(")
	head = substr(line, 1, p - 1)
	n = split(head, w, /[ *]+/)
	name = w[n]
	depth = 0; commas = 0; body = ""
	for (i = p; i <= length(line); i++) {
		c = substr(line, i, 1)
		if (c == "(") { depth++; if (depth == 1) continue }
		if (c == ")") { depth--; if (depth == 0) break }
		if (depth == 1 && c == ",") commas++
		if (depth >= 1) body = body c
	}
	np = (body == "void" || body == "") ? 0 : commas + 1
	print name, np
}
