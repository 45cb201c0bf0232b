#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
# The naming rule of docs/abi-policy.md, on every installed userspace header: a module header
# <scx/NAME.h> declares only scx_NAME names (SCX_NAME_ for constants), destructors pair with
# their constructors by verb, and a CPU id is an int.  The check is first run on two small
# headers of its own, one that follows the rule and one that breaks each part of it, so that a
# check that finds nothing is a check that can find something.
. "$top_srcdir/tests/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The scheduler-compatibility headers carry the kernel's and the scx project's names, and base.h
# is the declaration frame (SCX_API, SCX_OPTS, SCX_BEGIN_DECLS) every module uses.
exempt=" base.h bpf_arena_common.h common.h compat.h enum_defs.h ravg_common.h scx.h user_exit_info.h user_exit_info_common.h "
# Names a module header defines that are another project's own, by that project's name:
# MangoHud's message structs, and the scx project's skeleton macros in enums.h.
foreign_types="mangoapp_*"
foreign_macros=" SCX_ENUM SCX_ENUM_INIT SCX_ENUM_SET "
# The kernel's own constants (struct_ops flags, exit kinds) keep the kernel's names.
vmlinux=$top_srcdir/bpf-headers/vmlinux/x86/vmlinux.h

# One declaration per line: comments removed, continuation lines joined up to ';' or '{'.
flatten() {
	sed -e 's#/\*\*<.*\*/##' "$1" | awk '
		/\/\*/ { incomment = 1 }
		incomment { if ($0 ~ /\*\//) incomment = 0; next }
		/^#/ { print; next }
		{ line = line " " $0 }
		/[;{}]\s*$/ || /^\s*$/ { gsub(/[ \t]+/, " ", line); print line; line = "" }
		END { if (line != "") print line }'
}

# names_in HEADER MODULE: print one line per breach of the rule.
names_in() {
	local h=$1 m=$2 M flat fn f base
	M=$(echo "$m" | tr 'a-z' 'A-Z')
	flat=$tmp/flat.h
	flatten "$h" >"$flat"
	# functions
	sed -nE 's/^ ?SCX_API [^(]*[ *]([A-Za-z_][A-Za-z0-9_]*)\(.*/\1/p' "$flat" >"$tmp/fns"
	while read -r fn; do
		case $fn in
		"scx_$m" | "scx_${m}_"*) ;;
		"scx_v$m") ;; # the va_list form
		*) echo "function $fn is not scx_${m}_…" ;;
		esac
	done <"$tmp/fns"
	# types: struct and enum tags defined or declared, typedef names
	{
		# definitions, and declarations of the module's own opaque handles (a declaration of
		# another library's type, struct btf or struct bpf_object, is only a reference)
		sed -nE 's/^ ?(struct|enum) ([A-Za-z_][A-Za-z0-9_]*) ?\{.*/\2/p' "$flat"
		sed -nE 's/^ ?struct (scx_[A-Za-z0-9_]*) ?;.*/\1/p' "$flat"
		sed -nE 's/^ ?typedef .*\(\*([A-Za-z_][A-Za-z0-9_]*)\)\(.*/\1/p; t; s/^ ?typedef .*[ *]([A-Za-z_][A-Za-z0-9_]*);$/\1/p' "$flat"
	} | sort -u | while read -r t; do
		# shellcheck disable=SC2254
		case $t in $foreign_types) continue ;; esac
		case $t in
		"scx_$m" | "scx_${m}_"*) ;;
		*) echo "type $t is not scx_${m}…" ;;
		esac
	done
	# macros (not the include guard) and enum constants
	{
		sed -nE 's/^#define ([A-Za-z_][A-Za-z0-9_]*).*/\1/p' "$flat" | grep -v "^SCX_${M}_H$"
		awk '/^ ?enum [a-z_0-9]* ?\{/ { inenum = 1; next }
			inenum { body = $0; sub(/\}.*/, "", body); print body; if ($0 ~ /\}/) inenum = 0 }' "$flat" | tr ',' '\n' | sed -nE 's/^ ?([A-Za-z_][A-Za-z0-9_]*) ?(=.*)?$/\1/p'
	} | sort -u | while read -r c; do
		case " $foreign_macros " in *" $c "*) continue ;; esac
		case $c in
		"SCX_${M}_"* | "__SCX_${M}_"* | "scx_${m}_"* | "__scx_${m}_"*) ;;
		"LIBSCX_VERSION_"*) [ "$m" = version ] || echo "constant $c outside version.h" ;;
		*) if [ -f "$vmlinux" ] && grep -qw "$c" "$vmlinux"; then :; else
			echo "constant $c is not SCX_${M}_…"; fi ;;
		esac
	done
	# destructors and constructors pair by verb
	while read -r fn; do
		case $fn in
		*_free) base=${fn%_free}
			grep -qE "^(${base}_new(_[a-z0-9_]+)?|${base}_load|${base}_builder_build)$" "$tmp/fns" ||
				echo "$fn frees what no ${base}_new or ${base}_load makes" ;;
		*_close) grep -qx "${fn%_close}_open" "$tmp/fns" || echo "$fn has no ${fn%_close}_open" ;;
		*_disconnect) grep -qx "${fn%_disconnect}_connect" "$tmp/fns" ||
				echo "$fn has no ${fn%_disconnect}_connect" ;;
		*_new | *_load) grep -qx "${fn%_*}_free" "$tmp/fns" || echo "$fn has no ${fn%_*}_free" ;;
		*_open) grep -qx "${fn%_open}_close" "$tmp/fns" || echo "$fn has no ${fn%_open}_close" ;;
		esac
	done <"$tmp/fns"
	# a CPU id is an int (and so are a cpumask's range ends)
	grep -E '^ ?SCX_API' "$flat" | grep -oE '[(,] ?[A-Za-z0-9_ ]+ [*]?(cpu|cpu_id)[,)]' |
		sed -E 's/^[(,] ?//; s/[,)]$//' | grep -vE '^(const )?int [*]?(cpu|cpu_id)$' |
		sed 's/^/CPU id declared as: /'
	if [ "$m" = cpumask ]; then
		grep -E '^ ?SCX_API' "$flat" | grep -oE '[(,] ?[A-Za-z0-9_ ]+ (first|last)[,)]' |
			sed -E 's/^[(,] ?//; s/[,)]$//' | grep -vE '^int (first|last)$' |
			sed 's/^/CPU range end declared as: /'
	fi
	# a function on one of the module's handles is named for that handle
	grep -E '^ ?SCX_API' "$flat" | sed -nE 's/^ ?SCX_API [^(]*[ *]([a-z_0-9]+)\((const )?struct (scx_[a-z_0-9]+) \*.*/\1 \3/p' |
		while read -r fn handle; do
			# options structs are arguments, not handles
			case $handle in *_opts) continue ;; esac
			grep -qE "^ ?struct $handle ?[;{]" "$flat" || continue
			case $fn in
			*_new | *_new_* | *_load | *_open | *_build) ;;
			"${handle}_"*) ;;
			*) echo "function $fn on a struct $handle is not ${handle}_…" ;;
			esac
		done
}

# The check on headers of its own first.
cat >"$tmp/good.h" <<'EOF'
#ifndef SCX_WIDGET_H
#define SCX_WIDGET_H
#define SCX_WIDGET_MAX 4
struct scx_widget;
struct scx_widget_opts {
	size_t sz;
};
enum scx_widget_kind {
	SCX_WIDGET_ROUND = 1,
};
typedef void (*scx_widget_fn)(int cpu);
SCX_API struct scx_widget *scx_widget_load(const struct scx_widget_opts *opts);
SCX_API void scx_widget_free(struct scx_widget *w);
SCX_API int scx_widget_cpu_kind(const struct scx_widget *w,
				int cpu);
#endif
EOF
cat >"$tmp/bad.h" <<'EOF'
#ifndef SCX_WIDGET_H
#define SCX_WIDGET_H
#define WIDGET_MAX 4
struct scx_widgets;
enum scx_widget_kind {
	SCX_ROUND = 1,
};
SCX_API struct scx_widgets *scx_widget_open(void);
SCX_API void scx_widget_free(struct scx_widgets *w);
SCX_API int scx_set_widget_level(int level);
struct scx_widget_part;
SCX_API int scx_widget_part_count(const struct scx_widgets *w);
SCX_API int scx_widget_cpu_kind(const struct scx_widgets *w,
				unsigned int cpu);
#endif
EOF
found=$(names_in "$tmp/good.h" widget)
check "a header that follows the rule passes" test -z "$found"
found=$(names_in "$tmp/bad.h" widget)
for want in "type scx_widgets" "constant WIDGET_MAX" "constant SCX_ROUND" \
	"function scx_set_widget_level" "scx_widget_open has no scx_widget_close" \
	"scx_widget_free frees what no" "CPU id declared as: unsigned int cpu" \
	"function scx_widget_part_count on a struct scx_widgets is not scx_widgets_"; do
	check "a header that breaks it is caught: $want" grep -qF "$want" <<<"$found"
done

for h in $SCX_PUBLIC_HEADERS; do
	base=${h##*/}
	case $exempt in *" $base "*) continue ;; esac
	f=$top_srcdir/$h
	[ -f "$f" ] || f=$top_builddir/$h
	found=$(names_in "$f" "${base%.h}")
	check "<scx/$base> follows the naming rule" test -z "$found"
	[ -z "$found" ] || printf '%s\n' "$found" | sed 's/^/# /'
done
tap_done
