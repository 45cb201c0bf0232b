/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * User exit info: how a scheduler's exit reaches its loader.  The BPF side records the
 * kernel's exit information in a struct user_exit_info (scx/user_exit_info_common.h); these
 * functions read, name and report it and take its exit code apart.
 */
#ifndef SCX_UEI_H
#define SCX_UEI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <scx/base.h>
#include <scx/user_exit_info_common.h>

SCX_BEGIN_DECLS

/** Exit kinds: the kernel's enum scx_exit_kind, with its values. */
enum scx_uei_kind {
	SCX_EXIT_NONE = 0,		/**< still running */
	SCX_EXIT_DONE = 1,		/**< finished normally */
	SCX_EXIT_UNREG = 64,		/**< unregistered from user space */
	SCX_EXIT_UNREG_BPF = 65,	/**< unregistered by a BPF program (scx_bpf_exit) */
	SCX_EXIT_UNREG_KERN = 66,	/**< unregistered by the kernel */
	SCX_EXIT_SYSRQ = 67,		/**< disabled by sysrq-S */
	SCX_EXIT_ERROR = 1024,		/**< runtime error; error kinds are >= this */
	SCX_EXIT_ERROR_BPF = 1025,	/**< scx_bpf_error() */
	SCX_EXIT_ERROR_STALL = 1026,	/**< a runnable task was not scheduled in time */
};

/**
 * scx_uei_exited() - whether the scheduler has exited.
 * @uei: the exit info in the skeleton's data section.
 *
 * Reads @uei->kind with acquire ordering, so once it returns true the other fields, which the
 * BPF side writes before the kind, are complete.
 *
 * A negative kind (the kernel's kinds are all positive) counts as exited; scx_uei_read() and
 * scx_uei_report() then refuse it as no exit info, so a loop waiting for the exit ends and
 * says why.
 *
 * Return: true when @uei->kind is not SCX_EXIT_NONE; false otherwise or for NULL.
 */
SCX_API bool scx_uei_exited(const struct user_exit_info *uei);

/**
 * scx_uei_read() - take a consistent copy of the exit info.
 * @uei: the exit info in the skeleton's data section.
 * @copy: where to copy it; its strings are NUL-terminated even when the source's are not.
 *
 * Return: the exit kind (>= 0; 0 when the scheduler has not exited, @copy then holds the
 * empty exit info); -EINVAL for a NULL argument or a negative kind (not exit info).
 */
SCX_API int scx_uei_read(const struct user_exit_info *uei, struct user_exit_info *copy);

/**
 * scx_uei_kind_name() - the kernel's name of an exit kind.
 * @kind: an exit kind ("SCX_EXIT_ERROR_BPF" for 1025, ...).
 * Return: a static string, or NULL (errno EINVAL) for a value the kernel does not define.
 */
SCX_API const char *scx_uei_kind_name(int kind);

/**
 * scx_uei_report() - report an exit: the debug dump, then "EXIT: reason (message) on CPU n"
 * (the CPU when uei->exit_cpu >= 0).
 * @uei: the exit info.
 * @dump: the debug dump the BPF side recorded (NUL-terminated within @dump_len), or NULL.
 * @dump_len: the size of the @dump buffer.
 * @out: the stream to print to, or NULL to send the report through the log callback (at
 *       SCX_LOG_ERROR for error exits, SCX_LOG_WARN for others).
 *
 * The dump is printed whole, whatever its length (even past INT_MAX bytes).  A stream on a
 * pipe, socket or terminal is flushed and the report then written to its descriptor with
 * write(2), retried after EINTR and short writes, so a signal taken without SA_RESTART cannot
 * cut it; other streams are written through stdio.  Through the log
 * callback it comes in several messages when long: pieces of at most 3072 bytes of dump, each
 * ending at a line end when the piece holds one (a line's last newline is then left to the
 * callback, as for every message); the first piece follows the "DEBUG DUMP" header and the
 * last is followed by the closing rule in the same message.
 *
 * Return: 0; -EINVAL for a NULL @uei or a negative kind (not exit info); -EAGAIN when the
 * scheduler has not exited; -EIO when writing to @out failed; -ENOMEM.
 */
SCX_API int scx_uei_report(const struct user_exit_info *uei, const char *dump, size_t dump_len,
			   FILE *out);

/**
 * scx_uei_ecode_user() - the scheduler-defined part of an exit code (bits 0-31).
 * @ecode: the exit code.
 * Return: @ecode & UEI_ECODE_USER_MASK.
 */
SCX_API uint64_t scx_uei_ecode_user(int64_t ecode);

/**
 * scx_uei_ecode_sys_rsn() - the system-reason part of an exit code (bits 32-47).
 * @ecode: the exit code.
 * Return: @ecode & UEI_ECODE_SYS_RSN_MASK, e.g. SCX_ECODE_RSN_HOTPLUG.
 */
SCX_API uint64_t scx_uei_ecode_sys_rsn(int64_t ecode);

/**
 * scx_uei_ecode_sys_act() - the system-action part of an exit code (bits 48-63).
 * @ecode: the exit code.
 * Return: @ecode & UEI_ECODE_SYS_ACT_MASK, e.g. SCX_ECODE_ACT_RESTART.
 */
SCX_API uint64_t scx_uei_ecode_sys_act(int64_t ecode);

/**
 * scx_uei_ecode_restart() - whether the exit asks the loader to load the scheduler again.
 * @ecode: the exit code.
 * Return: true when the system action is SCX_ECODE_ACT_RESTART.
 */
SCX_API bool scx_uei_ecode_restart(int64_t ecode);

/**
 * scx_uei_ecode_hotplug() - whether the exit was caused by CPU hotplug.
 * @ecode: the exit code.
 * Return: true when the system reason has the SCX_ECODE_RSN_HOTPLUG bit.
 */
SCX_API bool scx_uei_ecode_hotplug(int64_t ecode);

SCX_END_DECLS

#endif /* SCX_UEI_H */
