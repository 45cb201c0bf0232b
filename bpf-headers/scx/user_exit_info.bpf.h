/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * user_exit_info.bpf.h: the BPF half of the user-exit-info (UEI) contract.
 *
 * UEI_DEFINE(uei) in the scheduler's BPF file defines
 *   struct user_exit_info uei;            in .data: kind, exit code, reason, message
 *   char uei_dump[];                      the debug dump, alone in section .data.uei_dump so
 *                                         userspace can size it before load
 *   const volatile u32 uei_dump_len;      that size, set by userspace (rodata)
 * and UEI_RECORD(uei, ei) in ops.exit() copies the kernel's struct scx_exit_info into them.
 * Userspace reads them with the UEI_* macros of <scx/user_exit_info.h>.
 */
#ifndef __SCX_USER_EXIT_INFO_BPF_H
#define __SCX_USER_EXIT_INFO_BPF_H

#ifndef __bpf__
#error "user_exit_info.bpf.h is for BPF programs; userspace includes <scx/user_exit_info.h>"
#endif

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <scx/user_exit_info_common.h>

#ifndef RESIZABLE_ARRAY
#define RESIZABLE_ARRAY(elfsec, arr) arr[1] SEC("." #elfsec "." #arr)
#endif

#define UEI_DEFINE(__name)							\
	char RESIZABLE_ARRAY(data, __name##_dump);				\
	const volatile u32 __name##_dump_len;					\
	struct user_exit_info __name SEC(".data")

/*
 * Copy @__ei (a struct scx_exit_info *) into @__name.  The kind is stored last with a full
 * barrier, so userspace that reads a non-zero kind sees the rest complete.
 */
#define UEI_RECORD(__name, __ei)						\
	({									\
		bpf_probe_read_kernel_str(__name.reason, sizeof(__name.reason),	\
					  (__ei)->reason);			\
		bpf_probe_read_kernel_str(__name.msg, sizeof(__name.msg), (__ei)->msg); \
		if (__name##_dump_len)						\
			bpf_probe_read_kernel_str(__name##_dump, __name##_dump_len, \
						  (__ei)->dump);		\
		if (bpf_core_field_exists((__ei)->exit_code))			\
			__name.exit_code = (__ei)->exit_code;			\
		__name.exit_cpu = -1;						\
		if (bpf_core_field_exists((__ei)->exit_cpu))			\
			__name.exit_cpu = (__ei)->exit_cpu;			\
		__sync_val_compare_and_swap(&__name.kind, __name.kind, (__ei)->kind); \
	})

#endif /* __SCX_USER_EXIT_INFO_BPF_H */
