/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * libscx logging.  The library never prints on its own: every message goes through one
 * replaceable callback.  The default callback writes warnings and errors to stderr.
 */
#ifndef SCX_LOG_H
#define SCX_LOG_H

#include <stdarg.h>
#include <scx/base.h>

SCX_BEGIN_DECLS

/** Message levels, most severe first. */
enum scx_log_level {
	SCX_LOG_ERROR = 0,	/**< an operation failed */
	SCX_LOG_WARN = 1,	/**< something is off but the operation went on */
	SCX_LOG_INFO = 2,	/**< progress a user may want to see */
	SCX_LOG_DEBUG = 3,	/**< details for whoever debugs libscx or libbpf */
};

/**
 * typedef scx_log_fn - a log callback.
 * @level: the message's level.
 * @msg: the formatted message, without a trailing newline.
 * @ctx: the pointer given to scx_log_fn_set().
 */
typedef void (*scx_log_fn)(enum scx_log_level level, const char *msg, void *ctx);

/**
 * scx_log_fn_set() - replace the log callback.
 * @fn: the new callback; NULL restores the default (stderr for levels up to the threshold).
 * @ctx: passed back to @fn with every message.
 *
 * The callback and @ctx change together: a message logged by another thread at the same time
 * goes to the previous pair or to the new one, never to one's function with the other's
 * context.  A message under way may still reach the previous pair after this returns, so keep
 * its context alive until no thread can be logging through it.
 *
 * Return: the previous callback (NULL when it was the default).  Never fails.
 */
SCX_API scx_log_fn scx_log_fn_set(scx_log_fn fn, void *ctx);

/**
 * scx_log_level_set() - set the most verbose level delivered to the callback.
 * @level: messages above it (less severe) are dropped.  The default is SCX_LOG_WARN.
 *
 * Return: the previous threshold.  Never fails; a value beyond SCX_LOG_DEBUG counts as
 * SCX_LOG_DEBUG.
 */
SCX_API enum scx_log_level scx_log_level_set(enum scx_log_level level);

/**
 * scx_log_level_get() - the current threshold.
 * Return: the most verbose level delivered to the callback.
 */
SCX_API enum scx_log_level scx_log_level_get(void);

/**
 * scx_log() - send a message through the log callback.
 * @level: its level; dropped when above the threshold.
 * @fmt: printf-style format; a single trailing newline is removed.
 *
 * For schedulers and the compatibility macros that must print (UEI reports).  Messages longer
 * than 4 KiB are cut.
 */
SCX_API void scx_log(enum scx_log_level level, const char *fmt, ...) SCX_PRINTF(2, 3);

/**
 * scx_vlog() - scx_log() with a va_list.
 * @level: its level.
 * @fmt: printf-style format.
 * @ap: the arguments.
 */
SCX_API void scx_vlog(enum scx_log_level level, const char *fmt, va_list ap) SCX_PRINTF(2, 0);

/**
 * scx_log_route_libbpf() - send libbpf's own messages through the libscx callback.
 * @enable: true to route them (LIBBPF_WARN → SCX_LOG_WARN, INFO → INFO, DEBUG → DEBUG), false
 *          to give libbpf back the print function it had before.
 *
 * Return: 0.  Never fails.
 */
SCX_API int scx_log_route_libbpf(int enable);

/**
 * scx_log_level_name() - the name of a level ("error", "warn", "info", "debug").
 * @level: a level.
 * Return: a static string; "unknown" for a value outside the enum.
 */
SCX_API const char *scx_log_level_name(enum scx_log_level level);

SCX_END_DECLS

#endif /* SCX_LOG_H */
