#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
#
# The BPF side as a downstream project sees it: make install DESTDIR=..., then with only the
# installed files (pkg-config's bpf_cflags, $(pkgdatadir)/libscx-bpf.mk) build the header test
# programs of tests/bpf and the examples' BPF halves into objects and skeletons, compile each
# skeleton into a program that opens it with libbpf (never loads: the build host need not run
# sched_ext) and compare its programs, maps and struct_ops with what the source defines.
# Also: enums.bpf.h matches its generator, vmlinux.h names its kernel, the kfunc externs the
# objects reference have the kernel's names.
. "$top_srcdir/tests/tap.sh"

if [ -z "${BPF_CLANG:-}" ] || [ -z "${BPFTOOL:-}" ]; then
	echo "1..0 # SKIP no BPF toolchain: clang >= 18 (clang-19 recommended) '${BPF_CLANG:-}', bpftool '${BPFTOOL:-}'"
	exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
CC=${CC:-cc}
MAKE=${MAKE:-make}

# 1. The committed enums.bpf.h is what the generator makes from the committed vmlinux.h.
"$top_srcdir/scripts/gen-enums-bpf-h" "$top_srcdir/bpf-headers/vmlinux/x86/vmlinux.h" \
	"$tmp/enums.bpf.h"
check "enums.bpf.h is up to date with scripts/gen-enums-bpf-h" \
	cmp "$tmp/enums.bpf.h" "$top_srcdir/bpf-headers/scx/enums.bpf.h"
"$top_srcdir/scripts/gen-enum-defs-h" "$top_srcdir/bpf-headers/vmlinux/x86/vmlinux.h" \
	"$tmp/enum_defs.h"
check "enum_defs.h is up to date with scripts/gen-enum-defs-h" \
	cmp "$tmp/enum_defs.h" "$top_srcdir/include/scx/enum_defs.h"
"$top_srcdir/scripts/gen-enum64-table" "$top_srcdir/bpf-headers/vmlinux/x86/vmlinux.h" \
	"$tmp/enum64_table.h"
check "enum64_table.h is up to date with scripts/gen-enum64-table" \
	cmp "$tmp/enum64_table.h" "$top_srcdir/libscx/enum64_table.h"

# 2. Each vmlinux.h says where it came from and has sched_ext.
for h in "$top_srcdir"/bpf-headers/vmlinux/*/vmlinux.h; do
	a=$(basename "$(dirname "$h")")
	if head -n 1 "$h" | grep -q '^/\* vmlinux.h: kernel [0-9][0-9.]*, from Debian ' &&
		grep -q '^struct sched_ext_ops {' "$h"; then
		ok "vmlinux/$a/vmlinux.h: $(head -n 1 "$h" | sed 's,^/\* vmlinux.h: ,,; s, \*/$,,')"
	else
		not_ok "vmlinux/$a/vmlinux.h names its kernel and defines struct sched_ext_ops"
	fi
done

# 3. Install into a staging root and take everything from there.
. "$top_srcdir/tests/lib/staged-install.sh"
staged_install_tap "$tmp/root"
bpf_cflags=$(pkg-config --variable=bpf_cflags libscx)
inc=$(pkg-config --variable=includedir libscx)
mk=$(pkg-config --variable=pkgdatadir libscx)/libscx-bpf.mk
arch=$(pkg-config --variable=bpf_arch libscx)
vmdir=$(pkg-config --variable=bpf_vmlinux_dir libscx)
case $bpf_cflags in
*"-target bpf"*"-D__TARGET_ARCH_$arch"*"-I$vmdir"*) ok "bpf_cflags: $bpf_cflags" ;;
*) not_ok "bpf_cflags has -target bpf, -D__TARGET_ARCH_$arch, -I$vmdir: $bpf_cflags" ;;
esac
[ -f "$mk" ] && ok "libscx-bpf.mk installed" || { not_ok "libscx-bpf.mk installed ($mk)"; tap_done; }
[ -f "$vmdir/vmlinux.h" ] && ok "vmlinux.h installed for $arch" || not_ok "vmlinux.h for $arch in $vmdir"
m4=$(find "$tmp/root" -path '*/aclocal/libscx-bpf.m4' | head -n 1)
[ -n "$m4" ] && ok "libscx-bpf.m4 installed in aclocal" || not_ok "libscx-bpf.m4 installed in aclocal"
for h in common.bpf.h compat.bpf.h enums.bpf.h user_exit_info.bpf.h bpf_arena_common.bpf.h \
	bpf_arena_common.h cid.bpf.h ravg.bpf.h user_exit_info_common.h ravg_common.h; do
	[ -f "$tmp/root$(pkg-config --variable=includedir libscx | sed "s,^$tmp/root,,")/scx/$h" ] ||
		not_ok "scx/$h installed"
done

# 4. Build the BPF programs with the installed make rules, as a downstream Makefile would.
mkdir -p "$tmp/w"
cp "$top_srcdir"/tests/bpf/*.bpf.c "$tmp/w/"
for f in "$top_srcdir"/examples/*.bpf.c "$top_srcdir"/examples/*.h; do
	[ -f "$f" ] && cp "$f" "$tmp/w/"
done
objs=
for f in "$tmp"/w/*.bpf.c; do
	n=$(basename "$f" .bpf.c)
	case $n in *_lib) continue ;; esac	# linked into another object
	objs="$objs $n"
done
cat >"$tmp/w/Makefile" <<EOF
BPF_EXTRA_CFLAGS = -Wall -Werror
include $mk
all:$(for n in $objs; do printf ' %s.bpf.skel.h' "$n"; done)
hdr_multi_main.bpf.skel.h: hdr_multi_lib.bpf.o
EOF
if $MAKE -C "$tmp/w" BPF_CLANG="$BPF_CLANG" BPFTOOL="$BPFTOOL" >"$tmp/build.log" 2>&1; then
	ok "BPF objects and skeletons build with libscx-bpf.mk:$objs"
else
	not_ok "BPF objects and skeletons build with libscx-bpf.mk"
	tail -n 40 "$tmp/build.log" | sed 's/^/# /'
	tap_done
fi
if grep -q 'map->link = ' "$tmp"/w/*.skel.h && [ "${SCX_SKEL_HAS_LINK:-no}" != yes ]; then
	not_ok "skeletons carry no map->link line for a libbpf without it"
else
	ok "skeleton map->link lines match libbpf (SCX_SKEL_HAS_LINK=${SCX_SKEL_HAS_LINK:-no})"
fi

# 4-. SCX_ENUM_DEFINE() of the scx project's late-2024 headers gives the object the rodata
#     variable SCX_ENUM() names, which SCX_OPS_OPEN() fills (scx_enums_import()), also for an
#     enumerator enums.bpf.h leaves out.
vars=$("$BPFTOOL" btf dump file "$tmp/w/hdr_scx2025.bpf.o" 2>/dev/null | sed -n "s/.* VAR '\(__[A-Za-z0-9_]*\)'.*/\1/p")
missing=
for v in __SCX_SLICE_INF __SCX_OPS_NAME_LEN __SCX_DSQ_LOCAL __SCX_ENQ_PREEMPT; do
	echo "$vars" | grep -qx "$v" || missing="$missing $v"
done
if [ -z "$missing" ]; then
	ok "hdr_scx2025: SCX_ENUM_DEFINE()/SCX_ENUM() variables in the object's BTF"
else
	not_ok "hdr_scx2025: SCX_ENUM_DEFINE()/SCX_ENUM() variables missing:$missing"
fi

# 4a. The host's system include folders come last (-idirafter): a BPF program finds a uapi
#     header of the multiarch folder, which clang -target bpf does not search, but a folder of
#     the project's own (BPF_EXTRA_CFLAGS) wins over it, and so do libscx's and vmlinux.h's.
mkdir -p "$tmp/sys/own/asm"
cat >"$tmp/sys/uapi.bpf.c" <<'EOF'
#include <scx/common.bpf.h>
#include <asm/unistd.h>
#ifdef EXPECT_OWN
_Static_assert(__NR_getpid == 4242, "the project's asm/unistd.h comes first");
#else
_Static_assert(__NR_getpid > 0 && __NR_getpid != 4242, "the host's asm/unistd.h");
#endif
int getpid_nr = __NR_getpid;
char _license[] SEC("license") = "GPL";
EOF
printf '#define __NR_getpid 4242\n' >"$tmp/sys/own/asm/unistd.h"
cat >"$tmp/sys/Makefile" <<EOF
include $mk
search:
	\$(BPF_CLANG) \$(BPF_EXTRA_CFLAGS) \$(BPF_CFLAGS) \$(BPF_SYS_INCLUDES) -v -E -x c /dev/null -o /dev/null
EOF
if $MAKE -C "$tmp/sys" BPF_CLANG="$BPF_CLANG" uapi.bpf.o >"$tmp/sys.log" 2>&1; then
	ok "a BPF program includes <asm/unistd.h> from the host's multiarch folder"
else
	not_ok "a BPF program includes <asm/unistd.h> from the host's multiarch folder"
	tail -n 20 "$tmp/sys.log" | sed 's/^/# /'
fi
rm -f "$tmp/sys/uapi.bpf.o"
if $MAKE -C "$tmp/sys" BPF_CLANG="$BPF_CLANG" BPF_EXTRA_CFLAGS="-DEXPECT_OWN -I$tmp/sys/own" \
	uapi.bpf.o >"$tmp/sys.log" 2>&1; then
	ok "the project's own include folder comes before the host's"
else
	not_ok "the project's own include folder comes before the host's"
	tail -n 20 "$tmp/sys.log" | sed 's/^/# /'
fi
# The search list: every folder only the host target searches is after vmlinux.h's and libscx's.
$MAKE -s -C "$tmp/sys" BPF_CLANG="$BPF_CLANG" search 2>&1 |
	sed -n '/<\.\.\.> search starts here:/,/End of search list\./s/^ //p' >"$tmp/sys/order"
"$BPF_CLANG" -v -E - </dev/null 2>&1 |
	sed -n '/<\.\.\.> search starts here:/,/End of search list\./s/^ \(\/.*\)/\1/p' >"$tmp/sys/host"
"$BPF_CLANG" -target bpf -v -E - </dev/null 2>&1 |
	sed -n '/<\.\.\.> search starts here:/,/End of search list\./s/^ \(\/.*\)/\1/p' >"$tmp/sys/bpf"
last_own=$(grep -n -x -e "$vmdir" -e "$inc" "$tmp/sys/order" | tail -n 1 | cut -d: -f1)
bad=
nhost=0
while read -r d; do
	grep -q -x -F "$d" "$tmp/sys/bpf" && continue
	nhost=$((nhost + 1))
	n=$(grep -n -x -F "$d" "$tmp/sys/order" | head -n 1 | cut -d: -f1)
	if [ -z "$n" ] || [ -z "$last_own" ] || [ "$n" -le "$last_own" ]; then
		bad="$bad $d(${n:-absent})"
	fi
done <"$tmp/sys/host"
if [ -n "$last_own" ] && [ -z "$bad" ]; then
	ok "the $nhost host-only include folder(s) come after libscx's and vmlinux.h's (line $last_own)"
else
	not_ok "host-only include folders after libscx's and vmlinux.h's:$bad"
	sed 's/^/# /' "$tmp/sys/order"
fi

# 4b. The examples whole (BPF and userspace), with their own Makefile and nothing but the
#     installed files, as a downstream project builds; each --help names the test options.
scheds="scx_simplevt scx_topovt"
# A copy of the sources, not VPATH: in an in-tree build VPATH would find the examples the build
# itself made in examples/ and build nothing here.
mkdir -p "$tmp/ex"
cp "$top_srcdir"/examples/Makefile "$top_srcdir"/examples/*.c "$top_srcdir"/examples/*.h "$tmp/ex/"
if $MAKE -C "$tmp/ex" \
	SCHEDS="$scheds" CC="$CC" BPF_CLANG="$BPF_CLANG" BPFTOOL="$BPFTOOL" \
	CFLAGS="-O2 -g -Werror $SCX_SAN_CFLAGS" >"$tmp/ex.log" 2>&1; then
	ok "examples build against the installed libscx with examples/Makefile: $scheds"
	libdir=$(pkg-config --variable=libdir libscx)
	for n in $scheds; do
		out=$(LD_LIBRARY_PATH="$libdir" "$tmp/ex/$n" --help 2>&1)
		case $out in
		*--error-after*--stall-after*) ok "$n --help runs against the installed library" ;;
		*) not_ok "$n --help runs against the installed library"; echo "$out" | sed 's/^/# /' | head ;;
		esac
	done
else
	not_ok "examples build against the installed libscx with examples/Makefile"
	tail -n 30 "$tmp/ex.log" | sed 's/^/# /'
fi

# 5. Open each skeleton with libbpf and compare with the source.
cat >"$tmp/w/open.c" <<'EOF'
#include <stdio.h>
#include <linux/types.h>
#include <bpf/libbpf.h>
typedef __u8 u8; typedef __u16 u16; typedef __u32 u32; typedef __u64 u64;
typedef __s8 s8; typedef __s16 s16; typedef __s32 s32; typedef __s64 s64;
#include <scx/user_exit_info_common.h>
#include <scx/ravg_common.h>
#include SKEL_H
#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
int main(void)
{
	struct SKEL *s = CAT(SKEL, __open)();
	struct bpf_program *p;
	struct bpf_map *m;

	if (!s) {
		perror("open");
		return 1;
	}
	bpf_object__for_each_program(p, s->obj)
		printf("prog %s %s\n", bpf_program__name(p), bpf_program__section_name(p));
	bpf_object__for_each_map(m, s->obj)
		printf("map %s %d\n", bpf_map__name(m), (int)bpf_map__type(m));
	CAT(SKEL, __destroy)(s);
	return 0;
}
EOF
libbpf_flags="$(pkg-config --cflags --libs libbpf)"
inc=$(pkg-config --variable=includedir libscx)
for n in $objs; do
	src="$tmp/w/$n.bpf.c"
	[ "$n" = hdr_multi_main ] && src="$src $tmp/w/hdr_multi_lib.bpf.c"
	# shellcheck disable=SC2086
	if ! $CC -o "$tmp/w/open-$n" "$tmp/w/open.c" -I"$tmp/w" -I"$inc" \
		-DSKEL_H="\"$n.bpf.skel.h\"" -DSKEL="$n" $libbpf_flags >"$tmp/cc.log" 2>&1; then
		not_ok "$n: skeleton compiles against the installed libbpf"
		head -n 20 "$tmp/cc.log" | sed 's/^/# /'
		continue
	fi
	if ! "$tmp/w/open-$n" >"$tmp/w/$n.open" 2>"$tmp/w/$n.err"; then
		not_ok "$n: skeleton opens"
		sed 's/^/# /' "$tmp/w/$n.err" | tail -n 20
		continue
	fi
	# Every BPF_STRUCT_OPS(...) in the source is a program in a struct_ops section.
	# shellcheck disable=SC2086
	want=$(sed -n 's/.*BPF_STRUCT_OPS\(_SLEEPABLE\)\{0,1\}(\([a-z0-9_]*\).*/\2/p' $src | sort)
	got=$(sed -n 's|^prog \([a-z0-9_]*\) struct_ops\(\.s\)\{0,1\}/\1$|\1|p' "$tmp/w/$n.open" | sort)
	if [ -n "$want" ] && [ "$want" = "$got" ]; then
		ok "$n: programs $(echo "$got" | tr '\n' ' ')"
	else
		not_ok "$n: struct_ops programs"
		echo "# want: $(echo "$want" | tr '\n' ' ')"
		echo "# got:  $(echo "$got" | tr '\n' ' ')"
	fi
	# The SCX_OPS_DEFINE map is BPF_MAP_TYPE_STRUCT_OPS (26).
	# shellcheck disable=SC2086
	ops=$(sed -n 's/^SCX_OPS_DEFINE(\([a-z0-9_]*\),.*/\1/p' $src)
	if grep -qx "map $ops 26" "$tmp/w/$n.open"; then
		ok "$n: struct_ops map $ops"
	else
		not_ok "$n: struct_ops map $ops"
	fi
	# Every map of the source is there: .maps entries and UEI's data sections.
	missing=
	# shellcheck disable=SC2086
	for mp in $(sed -n 's/^} \([a-z0-9_]*\) SEC("\.maps");/\1/p' $src); do
		grep -q "^map $mp " "$tmp/w/$n.open" || missing="$missing $mp"
	done
	# shellcheck disable=SC2086
	if grep -q '^UEI_DEFINE(uei);' $src; then
		grep -q '^map \.data\.uei_dump 2$' "$tmp/w/$n.open" || missing="$missing .data.uei_dump"
		grep -q '\.data 2$' "$tmp/w/$n.open" || missing="$missing .data"
	fi
	grep -q '\.rodata 2$' "$tmp/w/$n.open" || missing="$missing .rodata"
	if [ -z "$missing" ]; then
		ok "$n: maps $(sed -n 's/^map \([^ ]*\) .*/\1/p' "$tmp/w/$n.open" | tr '\n' ' ')"
	else
		not_ok "$n: maps missing:$missing"
	fi
done

# 6. Every kfunc extern, with its last ___suffix removed as libbpf does, is a kfunc the
#    vmlinux.h kernel declares (except the 6.12 names kept for old kernels), with as many
#    parameters: libbpf refuses a load whose extern prototype differs from the kernel's.
vm=$top_srcdir/bpf-headers/vmlinux/x86/vmlinux.h
awk -f "$top_srcdir/tests/bpf/kfunc-params.awk" "$vm" | sort -u >"$tmp/kfuncs"
bad=
nchecked=0
for n in $objs; do
	"$BPFTOOL" btf dump file "$tmp/w/$n.bpf.lnk.o" >"$tmp/btf.txt" 2>/dev/null || true
	awk '/ FUNC_PROTO / { id = $1; gsub(/[][]/, "", id)
			for (i = 1; i <= NF; i++) if ($i ~ /^vlen=/) { split($i, a, "="); v[id] = a[2] } }
	     / FUNC .*linkage=extern/ { nm = $3; gsub(/\047/, "", nm); t = $4; sub(/type_id=/, "", t)
			ext[nm] = t }
	     END { for (nm in ext) print nm, v[ext[nm]] }' "$tmp/btf.txt" >"$tmp/ext.txt"
	while read -r s np; do
		e=$(echo "$s" | sed 's/___[a-z0-9]*$//')
		case $s in
		scx_bpf_dispatch*___compat | scx_bpf_consume___compat) continue ;; # 6.12 names
		scx_bpf_cpu_rq) continue ;; # gone in 7.3
		scx_bpf_cid_topo___v1) continue ;; # the 7.2 prototype, bound on 7.2 only
		esac
		k=$(awk -v e="$e" '$1 == e { print $2 }' "$tmp/kfuncs")
		if [ -z "$k" ]; then
			bad="$bad $s(unknown)"
		elif [ "$k" != "$np" ]; then
			bad="$bad $s($np params, kernel $k)"
		fi
		nchecked=$((nchecked + 1))
	done <"$tmp/ext.txt"
done
if [ -z "$bad" ] && [ "$nchecked" -gt 0 ]; then
	ok "$nchecked kfunc externs match a kfunc of the vmlinux.h kernel by name and parameter count"
else
	not_ok "kfunc externs that do not match the vmlinux.h kernel:$bad"
fi

# 7. An object whose source lists "expect-externs:" references each of those kfuncs: a
#    wrapper's fallback path is in the object, for the verifier to keep when the kernel has it.
for n in $objs; do
	want=$(sed -n 's/^ \* expect-externs: //p' "$tmp/w/$n.bpf.c")
	[ -n "$want" ] || continue
	"$BPFTOOL" btf dump file "$tmp/w/$n.bpf.lnk.o" >"$tmp/btf.txt" 2>/dev/null || true
	missing=
	for e in $want; do
		grep -q " FUNC '$e' .*linkage=extern" "$tmp/btf.txt" || missing="$missing $e"
	done
	if [ -z "$missing" ]; then
		ok "$n: references the kfunc and its fallback: $(echo $want | wc -w) externs"
	else
		not_ok "$n: kfunc externs missing:$missing"
	fi
done
tap_done
