# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
# AX_SCX_CHECK_CFLAG(FLAG, [ACTION-IF-OK], [ACTION-IF-NOT]): does the C compiler accept FLAG?
AC_DEFUN([AX_SCX_CHECK_CFLAG], [
	AS_VAR_PUSHDEF([scx_var], [scx_cv_cflag_$1])
	AC_CACHE_CHECK([whether $CC accepts $1], [scx_var], [
		scx_save_cflags=$CFLAGS
		CFLAGS="$CFLAGS -Werror $1"
		AC_COMPILE_IFELSE([AC_LANG_PROGRAM([], [])], [AS_VAR_SET([scx_var], [yes])],
			[AS_VAR_SET([scx_var], [no])])
		CFLAGS=$scx_save_cflags])
	AS_VAR_IF([scx_var], [yes], [$2], [$3])
	AS_VAR_POPDEF([scx_var])
])
