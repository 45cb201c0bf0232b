/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * Userspace side of a sched_ext scheduler, source-compatible with the kernel's
 * tools/sched_ext: kernel-style integer types, SCX_BUG()/SCX_BUG_ON(), RESIZE_ARRAY(), and
 * (included at the end) the HAVE_* feature macros, the UEI, compat and enum macros and the
 * arena declarations shared with BPF code.  The macros call into libscx.
 *
 * SCX_BUG() prints through the libscx log callback and exits the program: it is for loaders,
 * the library itself never exits.
 */
#ifndef SCX_COMMON_H
#define SCX_COMMON_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>
#include <scx/log.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

/* Log "[SCX_BUG] file:line (errno text)" and the message, then exit(EXIT_FAILURE). */
#define SCX_BUG(__fmt, ...)								\
	do {										\
		int __scx_errno = errno;						\
		scx_log(SCX_LOG_ERROR, "[SCX_BUG] %s:%d%s%s%s", __FILE__, __LINE__,	\
			__scx_errno ? " (" : "",					\
			__scx_errno ? strerror(__scx_errno) : "",			\
			__scx_errno ? ")" : "");					\
		scx_log(SCX_LOG_ERROR, __fmt, ##__VA_ARGS__);				\
		exit(EXIT_FAILURE);							\
	} while (0)

/* SCX_BUG() when @__cond holds. */
#define SCX_BUG_ON(__cond, __fmt, ...)							\
	do {										\
		if (__cond)								\
			SCX_BUG((__fmt), ##__VA_ARGS__);				\
	} while (0)

/*
 * RESIZE_ARRAY(skel, elfsec, arr, n) - grow the array @arr that the BPF side declared with
 * RESIZABLE_ARRAY(elfsec, arr) to @n elements, before load, and point the skeleton at the
 * resized data.  RESIZE_ARRAY(elfsec, arr, n), the scx project's form of 2024, takes the
 * skeleton from a variable named skel in the caller's scope, as that form did.
 */
#define __SCX_RESIZE_ARRAY4(__skel, elfsec, arr, n)					\
	do {										\
		size_t __sz;								\
		SCX_BUG_ON(bpf_map__set_value_size((__skel)->maps.elfsec##_##arr,	\
				sizeof((__skel)->elfsec##_##arr->arr[0]) * (n)),	\
			   "cannot resize " #arr " to %zu elements", (size_t)(n));	\
		(__skel)->elfsec##_##arr = (__typeof__((__skel)->elfsec##_##arr))	\
			bpf_map__initial_value((__skel)->maps.elfsec##_##arr, &__sz);	\
	} while (0)
#define __SCX_RESIZE_ARRAY3(elfsec, arr, n) __SCX_RESIZE_ARRAY4(skel, elfsec, arr, n)
#define __SCX_PICK4(_1, _2, _3, _4, N, ...) N
#define RESIZE_ARRAY(args...)								\
	__SCX_PICK4(args, __SCX_RESIZE_ARRAY4, __SCX_RESIZE_ARRAY3, )(args)

#include <scx/enum_defs.h>
#include <scx/user_exit_info.h>
#include <scx/compat.h>
#include <scx/enums.h>
#include <scx/bpf_arena_common.h>

#endif /* SCX_COMMON_H */
