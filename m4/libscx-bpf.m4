# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
#
# libscx-bpf.m4: configure checks for building sched_ext BPF programs with libscx.
# Installed in $(datadir)/aclocal; a downstream configure.ac calls
#
#   LIBSCX_BPF_TOOLS([action-if-found], [action-if-not-found])
#
# which sets and AC_SUBSTs
#   BPF_CLANG          a clang that builds sched_ext BPF (empty when none)
#   BPFTOOL            bpftool (empty when none)
#   SCX_BPF_ARCH       the kernel's name of the host architecture (x86, arm64, ...), for
#                      -D__TARGET_ARCH_$(SCX_BPF_ARCH) and the vmlinux.h directory
#   SCX_SKEL_HAS_LINK  yes when libbpf's struct bpf_map_skeleton has a "link" member (libbpf
#                      >= 1.5); libscx-bpf.mk then keeps the "map->link = ..." lines newer
#                      bpftools write, otherwise it removes them
#   SCX_BPF_SYS_INCLUDES  "-idirafter DIR" for each folder $BPF_CLANG searches for <...> when
#                      it targets the host: give them after every other flag of a BPF compile
#                      (libscx-bpf.mk's BPF_SYS_INCLUDES).  clang -target bpf does not search
#                      the multiarch folder (/usr/include/x86_64-linux-gnu, with <asm/...>);
#                      -idirafter finds such headers there but never before the scheduler's
#                      own folders, libscx's headers or vmlinux.h
#   have_scx_bpf_tools yes or no (shell variable)
#
# The clang must be able to emit BTF for extern kfuncs whose names begin with "__" (7.x kernels
# call __scx_bpf_dsq_insert_vtime and __scx_bpf_select_cpu_and): clang 14 leaves them out, so
# the link step fails; clang 18 is the first with the BPF arena address-space casts.  Versions
# are tried newest first (clang-22 .. clang-18, then clang), each at least 18; when bpftool is
# there, the candidate is also tested by compiling and linking a call to such an extern.
# BPF_CLANG or BPFTOOL given by the user are checked, not replaced.

# LIBSCX_BPF_ARCH: set SCX_BPF_ARCH from $host_cpu.
AC_DEFUN([LIBSCX_BPF_ARCH], [
	AC_REQUIRE([AC_CANONICAL_HOST])
	AS_CASE([$host_cpu],
		[x86_64|i?86], [SCX_BPF_ARCH=x86],
		[aarch64*|arm64], [SCX_BPF_ARCH=arm64],
		[arm*], [SCX_BPF_ARCH=arm],
		[riscv*], [SCX_BPF_ARCH=riscv],
		[powerpc*|ppc*], [SCX_BPF_ARCH=powerpc],
		[s390*], [SCX_BPF_ARCH=s390],
		[loongarch*], [SCX_BPF_ARCH=loongarch],
		[mips*], [SCX_BPF_ARCH=mips],
		[SCX_BPF_ARCH=$host_cpu])
	AC_SUBST([SCX_BPF_ARCH])
])

AC_DEFUN([LIBSCX_BPF_TOOLS], [
	AC_REQUIRE([LIBSCX_BPF_ARCH])
	AC_REQUIRE([AC_PROG_CC])
	AC_ARG_VAR([BPF_CLANG], [clang used to compile BPF programs])
	AC_ARG_VAR([BPFTOOL], [bpftool used to link BPF objects and generate skeletons])

	AS_IF([test -z "$BPFTOOL"],
		[AC_PATH_PROG([BPFTOOL], [bpftool], [], [$PATH:/usr/sbin:/sbin:/usr/local/sbin])])

	AC_CACHE_CHECK([for a clang that builds sched_ext BPF], [libscx_cv_bpf_clang], [
		libscx_cv_bpf_clang=
		libscx_bpf_tmp=`mktemp -d 2>/dev/null || echo conftest.bpfdir`
		test -d "$libscx_bpf_tmp" || mkdir "$libscx_bpf_tmp"
		cat >"$libscx_bpf_tmp/t.bpf.c" <<_LIBSCX_EOF
#define __ksym __attribute__((section(".ksyms")))
#define __weak __attribute__((weak))
extern void __scx_conftest_kfunc(unsigned long long *a) __ksym __weak;
__attribute__((section("syscall"), used)) int conftest(void *ctx)
{
	unsigned long long v = 1;
	if (__scx_conftest_kfunc)
		__scx_conftest_kfunc(&v);
	return 0;
}
char _license@<:@@:>@ __attribute__((section("license"), used)) = "GPL";
_LIBSCX_EOF
		AS_IF([test -n "$BPF_CLANG"], [libscx_bpf_cands=$BPF_CLANG],
			[libscx_bpf_cands="clang-22 clang-21 clang-20 clang-19 clang-18 clang"])
		for libscx_c in $libscx_bpf_cands; do
			libscx_p=`command -v "$libscx_c" 2>/dev/null` || continue
			test -n "$libscx_p" || continue
			libscx_v=`"$libscx_p" --version 2>/dev/null | sed -n 's/.*clang version \([[0-9]]*\).*/\1/p' | head -n 1`
			test -n "$libscx_v" || continue
			dnl >= 18: arena address-space casts; older ones also miss BTF for some
			dnl "__" externs.  A BPF_CLANG the user names is only tested, not aged.
			AS_IF([test -z "$BPF_CLANG"], [test "$libscx_v" -ge 18 || continue])
			"$libscx_p" -g -O2 -target bpf -mcpu=v3 -c "$libscx_bpf_tmp/t.bpf.c" \
				-o "$libscx_bpf_tmp/t.bpf.o" >/dev/null 2>&1 || continue
			AS_IF([test -n "$BPFTOOL"], [
				"$BPFTOOL" gen object "$libscx_bpf_tmp/t.lnk.o" "$libscx_bpf_tmp/t.bpf.o" \
					>/dev/null 2>&1 || continue
			])
			libscx_cv_bpf_clang=$libscx_p
			break
		done
		rm -rf "$libscx_bpf_tmp"
	])
	BPF_CLANG=$libscx_cv_bpf_clang

	SCX_BPF_SYS_INCLUDES=
	AS_IF([test -n "$BPF_CLANG"], [
		SCX_BPF_SYS_INCLUDES=`"$BPF_CLANG" -v -E - </dev/null 2>&1 | \
			sed -n '/<\.\.\.> search starts here:/,/End of search list\./{ s| \(/.*\)|-idirafter \1|p; }' | \
			tr '\n' ' ' | sed 's/ *$//'`
	])
	AC_SUBST([SCX_BPF_SYS_INCLUDES])

	AC_CACHE_CHECK([whether libbpf's struct bpf_map_skeleton has a link member],
		[libscx_cv_skel_has_link], [
		libscx_save_CPPFLAGS=$CPPFLAGS
		CPPFLAGS="$CPPFLAGS $LIBBPF_CFLAGS"
		AC_COMPILE_IFELSE([AC_LANG_PROGRAM([[#include <bpf/libbpf.h>]],
			[[struct bpf_map_skeleton s; return sizeof(s.link) == 0;]])],
			[libscx_cv_skel_has_link=yes], [libscx_cv_skel_has_link=no])
		CPPFLAGS=$libscx_save_CPPFLAGS
	])
	SCX_SKEL_HAS_LINK=$libscx_cv_skel_has_link
	AC_SUBST([SCX_SKEL_HAS_LINK])

	AS_IF([test -n "$BPF_CLANG" && test -n "$BPFTOOL"], [have_scx_bpf_tools=yes],
		[have_scx_bpf_tools=no])
	AS_IF([test "x$have_scx_bpf_tools" = xyes], [$1], [$2])
])
