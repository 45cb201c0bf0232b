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

/*
 * The callback and its context change together under a sequence count (a seqlock): a writer
 * makes the count odd, stores both, and makes it even again; a reader takes the pair only when
 * the count was even and unchanged around its loads.  So a message goes to one consistent
 * pair, the old or the new, never the new function with the old context, without a lock on
 * the logging path and without allocating.  Writers take the odd count by compare-and-swap,
 * so concurrent scx_log_fn_set() calls are ordered too.  All three words are accessed
 * atomically, which is what makes this defined C (and quiet under ThreadSanitizer).
 */
static unsigned int log_seq;
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
	unsigned int seq = __atomic_load_n(&log_seq, __ATOMIC_RELAXED);
	scx_log_fn old;

	/* take the odd count: another writer holding it makes the exchange fail */
	do {
		seq &= ~1u;
	} while (!__atomic_compare_exchange_n(&log_seq, &seq, seq + 1, true, __ATOMIC_ACQUIRE,
					      __ATOMIC_RELAXED));
	/* the odd count is seen before either store (a reader then retries) */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	old = __atomic_load_n(&log_fn, __ATOMIC_RELAXED);
	__atomic_store_n(&log_fn, fn, __ATOMIC_RELAXED);
	__atomic_store_n(&log_ctx, ctx, __ATOMIC_RELAXED);
	__atomic_store_n(&log_seq, seq + 2, __ATOMIC_RELEASE);
	return old;
}

/* The callback and context as one pair (see log_seq). */
static void log_get(scx_log_fn *fn, void **ctx)
{
	unsigned int before, after;

	do {
		before = __atomic_load_n(&log_seq, __ATOMIC_ACQUIRE);
		*fn = __atomic_load_n(&log_fn, __ATOMIC_RELAXED);
		*ctx = __atomic_load_n(&log_ctx, __ATOMIC_RELAXED);
		/* the loads above are done before the count is read again */
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		after = __atomic_load_n(&log_seq, __ATOMIC_RELAXED);
	} while ((before & 1) || before != after);
}

enum scx_log_level scx_log_level_set(enum scx_log_level level)
{
	if ((unsigned int)level > SCX_LOG_DEBUG)
		level = SCX_LOG_DEBUG;
	return __atomic_exchange_n(&log_threshold, level, __ATOMIC_RELAXED);
}

enum scx_log_level scx_log_level_get(void)
{
	return __atomic_load_n(&log_threshold, __ATOMIC_RELAXED);
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
	scx_log_fn fn;
	void *ctx;
	size_t len;
	int n;

	if ((unsigned int)level > (unsigned int)scx_log_level_get() || !fmt)
		return;
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (n < 0)
		return;
	len = strlen(msg);
	if (len && msg[len - 1] == '\n')
		msg[len - 1] = '\0';
	log_get(&fn, &ctx);
	if (fn)
		fn(level, msg, ctx);
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
