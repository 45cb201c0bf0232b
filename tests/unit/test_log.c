// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/* Log callback, threshold, and libbpf routing. */
#include <criterion/criterion.h>
#include <bpf/libbpf.h>
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
