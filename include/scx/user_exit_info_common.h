/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * The user-exit-info layout shared by a scheduler's BPF side and its userspace loader.  The
 * BPF side fills a struct user_exit_info from the kernel's struct scx_exit_info in its exit
 * callback; userspace reads it from the skeleton's data section.  The sizes and the exit-code
 * bit layout are the kernel's.
 *
 * This header is usable from BPF C (where __bpf__ is defined and vmlinux.h supplies the
 * kernel's types and enums) and from userspace C and C++.  It includes no libc header when
 * compiled for BPF.
 */
#ifndef SCX_USER_EXIT_INFO_COMMON_H
#define SCX_USER_EXIT_INFO_COMMON_H

/* Buffer sizes, as the kernel's struct scx_exit_info uses them. */
enum uei_sizes {
	UEI_REASON_LEN = 128,		/* the exit kind's text */
	UEI_MSG_LEN = 1024,		/* the message given by the scheduler or the kernel */
	UEI_DUMP_DFL_LEN = 32768,	/* default size of the debug-dump area */
};

/*
 * What a scheduler's exit leaves for userspace.  @kind is an enum scx_exit_kind value
 * (SCX_EXIT_*), 0 while the scheduler runs; it is written last, so userspace that sees a
 * non-zero kind (after a read barrier) sees the other fields complete.  @exit_cpu is the CPU
 * the exit was triggered on, -1 when the kernel does not say (before 7.3).  @exit_code is the
 * 64-bit exit code: bits 0-31 are the scheduler's own, 32-47 a system reason, 48-63 a system
 * action.
 */
struct user_exit_info {
	int kind;
	int exit_cpu;			/* s32 */
	long long exit_code;		/* s64 */
	char reason[UEI_REASON_LEN];
	char msg[UEI_MSG_LEN];
};

/* Masks of the three parts of an exit code. */
#define UEI_ECODE_USER_MASK 0x00000000ffffffffULL	/* the scheduler's own code */
#define UEI_ECODE_SYS_RSN_MASK 0x0000ffff00000000ULL	/* system-defined reason */
#define UEI_ECODE_SYS_ACT_MASK 0xffff000000000000ULL	/* system-defined action */

#ifndef __bpf__
/*
 * The kernel's enum scx_exit_code.  BPF code gets these enumerators from vmlinux.h, so they
 * are only defined here for userspace (a macro of the same name would break vmlinux.h).
 */
#ifndef SCX_ECODE_RSN_HOTPLUG
#define SCX_ECODE_RSN_HOTPLUG (1ULL << 32)	/* the CPU set changed (hotplug) */
#endif
#ifndef SCX_ECODE_ACT_RESTART
#define SCX_ECODE_ACT_RESTART (1ULL << 48)	/* the loader should load the scheduler again */
#endif
#ifndef SCX_ECODE_USR_MASK
#define SCX_ECODE_USR_MASK UEI_ECODE_USER_MASK
#define SCX_ECODE_SYS_RSN_MASK UEI_ECODE_SYS_RSN_MASK
#define SCX_ECODE_SYS_ACT_MASK UEI_ECODE_SYS_ACT_MASK
#endif

#ifdef __cplusplus
static_assert(sizeof(struct user_exit_info) == 8 + 8 + 128 + 1024,
	      "struct user_exit_info must keep the kernel's layout");
#else
_Static_assert(sizeof(struct user_exit_info) == 8 + 8 + 128 + 1024 &&
		       __builtin_offsetof(struct user_exit_info, exit_code) == 8,
	       "struct user_exit_info must keep the kernel's layout");
#endif
#endif /* !__bpf__ */

#endif /* SCX_USER_EXIT_INFO_COMMON_H */
