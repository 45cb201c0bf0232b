/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * Userspace side of the user-exit-info contract, source-compatible with the kernel's
 * tools/sched_ext: UEI_EXITED(), UEI_REPORT() and the exit-code macros, on a skeleton whose
 * BPF side used UEI_DEFINE(uei_name).  They call libscx's scx_uei_* functions.
 */
#ifndef SCX_USER_EXIT_INFO_H
#define SCX_USER_EXIT_INFO_H

#include <bpf/libbpf.h>
#include <scx/ops.h>
#include <scx/uei.h>
#include <scx/user_exit_info_common.h>

/*
 * Size the exit dump area of @__uei_name from ops.exit_dump_len (UEI_DUMP_DFL_LEN when 0),
 * before load; SCX_OPS_LOAD() does it already.
 */
#define UEI_SET_SIZE(__skel, __ops_name, __uei_name)					\
	({										\
		size_t __scx_sz;							\
		SCX_BUG_ON(scx_ops_load_prepare((__skel)->obj, #__ops_name,		\
						#__uei_name) < 0,			\
			   "cannot size the exit info of " #__ops_name);		\
		(__skel)->data_##__uei_name##_dump =					\
			(__typeof__((__skel)->data_##__uei_name##_dump))		\
				bpf_map__initial_value(					\
					(__skel)->maps.data_##__uei_name##_dump, &__scx_sz); \
	})

/* Whether the scheduler has exited (reads the kind with acquire ordering). */
#define UEI_EXITED(__skel, __uei_name) scx_uei_exited(&(__skel)->data->__uei_name)

/*
 * Report the exit through the libscx log callback (debug dump, then "EXIT: reason (msg)")
 * and evaluate to the exit code.
 */
#define UEI_REPORT(__skel, __uei_name)							\
	({										\
		const struct user_exit_info *__uei = &(__skel)->data->__uei_name;	\
		scx_uei_report(__uei, (__skel)->data_##__uei_name##_dump->__uei_name##_dump, \
			       (__skel)->rodata->__uei_name##_dump_len, NULL);		\
		__uei->exit_code;							\
	})

/* The parts of an exit code, and whether it asks for a restart. */
#define UEI_ECODE_USER(__ecode) scx_uei_ecode_user(__ecode)
#define UEI_ECODE_SYS_RSN(__ecode) scx_uei_ecode_sys_rsn(__ecode)
#define UEI_ECODE_SYS_ACT(__ecode) scx_uei_ecode_sys_act(__ecode)
#define UEI_ECODE_RESTART(__ecode) scx_uei_ecode_restart(__ecode)

#endif /* SCX_USER_EXIT_INFO_H */
