// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * Logging: one replaceable callback, a level threshold, and libbpf's messages routed through
 * the same callback on request.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "internal.h"

#define SCX_LOG_MAX 4096

static scx_log_fn log_fn;
static void *log_ctx;
static enum scx_log_level log_threshold = SCX_LOG_WARN;

static libbpf_print_fn_t saved_libbpf_print;
static bool libbpf_routed;

static void default_log(enum scx_log_level level, const char *msg, void *ctx)
{
	fprintf(stderr, "libscx: %s: %s\n", scx_log_level_name(level), msg);
}

scx_log_fn scx_log_fn_set(scx_log_fn fn, void *ctx)
{
	scx_log_fn old = log_fn;

	log_fn = fn;
	log_ctx = ctx;
	return old;
}

enum scx_log_level scx_log_level_set(enum scx_log_level level)
{
	enum scx_log_level old = log_threshold;

	log_threshold = (unsigned int)level > SCX_LOG_DEBUG ? SCX_LOG_DEBUG : level;
	return old;
}

enum scx_log_level scx_log_level_get(void)
{
	return log_threshold;
}

const char *scx_log_level_name(enum scx_log_level level)
{
	switch (level) {
	case SCX_LOG_ERROR: return "error";
	case SCX_LOG_WARN: return "warn";
	case SCX_LOG_INFO: return "info";
	case SCX_LOG_DEBUG: return "debug";
	}
	return "unknown";
}

void scx_vlog(enum scx_log_level level, const char *fmt, va_list ap)
{
	char msg[SCX_LOG_MAX];
	size_t len;
	int n;

	if ((unsigned int)level > (unsigned int)log_threshold || !fmt)
		return;
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (n < 0)
		return;
	len = strlen(msg);
	if (len && msg[len - 1] == '\n')
		msg[len - 1] = '\0';
	if (log_fn)
		log_fn(level, msg, log_ctx);
	else
		default_log(level, msg, NULL);
}

void scx_log(enum scx_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	scx_vlog(level, fmt, ap);
	va_end(ap);
}

static int libbpf_router(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	enum scx_log_level l;

	switch (level) {
	case LIBBPF_WARN: l = SCX_LOG_WARN; break;
	case LIBBPF_INFO: l = SCX_LOG_INFO; break;
	default: l = SCX_LOG_DEBUG; break;
	}
	scx_vlog(l, fmt, ap);
	return 0;
}

int scx_log_route_libbpf(int enable)
{
	if (enable && !libbpf_routed) {
		saved_libbpf_print = libbpf_set_print(libbpf_router);
		libbpf_routed = true;
	} else if (!enable && libbpf_routed) {
		libbpf_set_print(saved_libbpf_print);
		libbpf_routed = false;
	}
	return 0;
}
