// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/* Log callback, threshold, and libbpf routing. */
#include <criterion/criterion.h>
#include <bpf/libbpf.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>

#include <scx/log.h>

static char last[4096];
static int calls;
static enum scx_log_level last_level;

static void capture(enum scx_log_level level, const char *msg, void *ctx)
{
	cr_assert_eq(ctx, (void *)&calls);
	snprintf(last, sizeof(last), "%s", msg);
	last_level = level;
	calls++;
}

static void setup(void)
{
	calls = 0;
	last[0] = '\0';
	scx_log_fn_set(capture, &calls);
	scx_log_level_set(SCX_LOG_WARN);
}

static void teardown(void)
{
	scx_log_route_libbpf(0);
	scx_log_fn_set(NULL, NULL);
}

TestSuite(log, .init = setup, .fini = teardown);

Test(log, callback_gets_formatted_message_without_newline)
{
	scx_log(SCX_LOG_ERROR, "value %d of %s\n", 3, "x");
	cr_assert_eq(calls, 1);
	cr_assert_str_eq(last, "value 3 of x");
	cr_assert_eq(last_level, SCX_LOG_ERROR);
}

Test(log, threshold_drops_verbose_levels)
{
	scx_log(SCX_LOG_INFO, "info");
	scx_log(SCX_LOG_DEBUG, "debug");
	cr_assert_eq(calls, 0);
	cr_assert_eq(scx_log_level_set(SCX_LOG_DEBUG), SCX_LOG_WARN);
	scx_log(SCX_LOG_DEBUG, "debug");
	cr_assert_eq(calls, 1);
	cr_assert_eq(scx_log_level_get(), SCX_LOG_DEBUG);
	scx_log_level_set((enum scx_log_level)99);
	cr_assert_eq(scx_log_level_get(), SCX_LOG_DEBUG);
}

Test(log, set_returns_previous)
{
	cr_assert_eq(scx_log_fn_set(NULL, NULL), capture);
	cr_assert_null(scx_log_fn_set(capture, &calls));
}

Test(log, long_messages_are_cut_not_overflowed)
{
	char big[10000];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	scx_log(SCX_LOG_ERROR, "%s", big);
	cr_assert_eq(calls, 1);
	cr_assert_eq(strlen(last), 4095);
}

Test(log, level_names)
{
	cr_assert_str_eq(scx_log_level_name(SCX_LOG_ERROR), "error");
	cr_assert_str_eq(scx_log_level_name(SCX_LOG_WARN), "warn");
	cr_assert_str_eq(scx_log_level_name(SCX_LOG_INFO), "info");
	cr_assert_str_eq(scx_log_level_name(SCX_LOG_DEBUG), "debug");
	cr_assert_str_eq(scx_log_level_name((enum scx_log_level)7), "unknown");
}

Test(log, libbpf_messages_are_routed)
{
	struct bpf_object *obj;

	scx_log_route_libbpf(1);
	obj = bpf_object__open_file("/nonexistent/libscx-test.bpf.o", NULL);
	cr_assert_null(obj);
	cr_assert_geq(calls, 1, "libbpf's warning must reach the callback");
	cr_assert(strstr(last, "libscx-test.bpf.o") != NULL, "got '%s'", last);
	cr_assert_eq(last_level, SCX_LOG_WARN);

	calls = 0;
	scx_log_route_libbpf(0);
	obj = bpf_object__open_file("/nonexistent/libscx-test.bpf.o", NULL);
	cr_assert_null(obj);
	cr_assert_eq(calls, 0, "unrouted libbpf must not reach the callback");
}

/*
 * A callback and its context are one pair: under swaps from other threads, a message never
 * reaches one callback with the other's context.  The pairs are (own, &own_ctx[i]).
 */
#define SWAP_ROUNDS 200000

static int pair_ctx[2];
static long mismatches, logged;
static bool swapping;

static void pair_fn0(enum scx_log_level level, const char *msg, void *ctx)
{
	if (ctx != &pair_ctx[0])
		__atomic_add_fetch(&mismatches, 1, __ATOMIC_RELAXED);
}

static void pair_fn1(enum scx_log_level level, const char *msg, void *ctx)
{
	if (ctx != &pair_ctx[1])
		__atomic_add_fetch(&mismatches, 1, __ATOMIC_RELAXED);
}

static void *swap_pairs(void *arg)
{
	/* start once the logger runs, so that the two overlap even on a busy machine */
	while (!__atomic_load_n(&logged, __ATOMIC_RELAXED))
		sched_yield();
	for (long i = 0; i < SWAP_ROUNDS; i++) {
		scx_log_fn_set(pair_fn0, &pair_ctx[0]);
		scx_log_fn_set(pair_fn1, &pair_ctx[1]);
	}
	__atomic_store_n(&swapping, false, __ATOMIC_RELAXED);
	return arg;
}

static void *log_while_swapping(void *arg)
{
	while (__atomic_load_n(&swapping, __ATOMIC_RELAXED)) {
		scx_log(SCX_LOG_ERROR, "x");
		__atomic_add_fetch(&logged, 1, __ATOMIC_RELAXED);
	}
	return arg;
}

Test(log, callback_and_context_change_together_under_concurrent_swaps)
{
	pthread_t swapper, logger;

	scx_log_fn_set(pair_fn0, &pair_ctx[0]);
	swapping = true;
	cr_assert_eq(pthread_create(&logger, NULL, log_while_swapping, NULL), 0);
	cr_assert_eq(pthread_create(&swapper, NULL, swap_pairs, NULL), 0);
	pthread_join(swapper, NULL);
	pthread_join(logger, NULL);
	cr_expect_geq(logged, 1);
	cr_expect_eq(mismatches, 0, "%ld of %ld messages reached a callback with the other's context",
		     mismatches, logged);
}
