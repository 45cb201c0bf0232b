// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * Capabilities and RLIMIT_MEMLOCK, as root and with capabilities dropped.  Criterion runs each
 * test in its own process, so dropping capabilities here does not leak into other tests.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/resource.h>
#include <unistd.h>

#include <scx/log.h>
#include <scx/setup.h>

static char last[4096];
static int calls;

static void capture(enum scx_log_level level, const char *msg, void *ctx)
{
	snprintf(last, sizeof(last), "%s", msg);
	calls++;
}

static void setup(void)
{
	calls = 0;
	last[0] = '\0';
	scx_set_log_fn(capture, NULL);
}

TestSuite(setup, .init = setup);

static void drop_all_caps(void)
{
	cap_t none = cap_init();

	cr_assert_not_null(none);
	cr_assert_eq(cap_set_proc(none), 0, "cap_set_proc: %s", strerror(errno));
	cap_free(none);
}

static bool have_cap(cap_value_t c)
{
	cap_flag_value_t v = CAP_CLEAR;
	cap_t cur = cap_get_proc();

	cap_get_flag(cur, c, CAP_EFFECTIVE, &v);
	cap_free(cur);
	return v == CAP_SET;
}

Test(setup, cap_names)
{
	cr_assert_str_eq(scx_cap_name(SCX_CAP_SYS_ADMIN), "CAP_SYS_ADMIN");
	cr_assert_str_eq(scx_cap_name(SCX_CAP_BPF), "CAP_BPF");
	cr_assert_str_eq(scx_cap_name(SCX_CAP_PERFMON), "CAP_PERFMON");
	cr_assert_str_eq(scx_cap_name(SCX_CAP_SYS_RESOURCE), "CAP_SYS_RESOURCE");
	cr_assert_str_eq(scx_cap_name(SCX_CAP_SYS_NICE), "CAP_SYS_NICE");
	cr_assert_null(scx_cap_name(SCX_CAP_BPF | SCX_CAP_PERFMON));
	cr_assert_eq(errno, EINVAL);
}

Test(setup, bad_arguments)
{
	unsigned int m;

	cr_assert_eq(scx_caps_effective(NULL), -EINVAL);
	cr_assert_eq(scx_caps_missing(SCX_CAPS_LOAD, NULL), -EINVAL);
	cr_assert_eq(scx_caps_missing(1u << 20, &m), -EINVAL);
	cr_assert_eq(errno, EINVAL);
}

Test(setup, effective_matches_the_kernel)
{
	unsigned int caps;

	cr_assert_eq(scx_caps_effective(&caps), 0);
	cr_assert_eq(!!(caps & SCX_CAP_SYS_ADMIN), have_cap(CAP_SYS_ADMIN));
	cr_assert_eq(!!(caps & SCX_CAP_SYS_RESOURCE), have_cap(CAP_SYS_RESOURCE));
}

Test(setup, root_can_load)
{
	unsigned int missing = ~0u;

	if (!have_cap(CAP_SYS_ADMIN))
		cr_skip_test("needs CAP_SYS_ADMIN (run as root)");
	cr_assert_eq(scx_caps_missing(SCX_CAPS_LOAD, &missing), 0);
	cr_assert_eq(missing, 0);
	cr_assert_eq(scx_caps_check(), 0);
	cr_assert_eq(calls, 0, "no message when nothing is missing");
}

Test(setup, dropped_caps_are_named)
{
	unsigned int missing = 0;

	drop_all_caps();
	cr_assert_eq(scx_caps_missing(SCX_CAPS_LOAD, &missing), 0);
	cr_assert_eq(missing, SCX_CAPS_LOAD);
	cr_assert_eq(scx_caps_check(), -EPERM);
	cr_assert_eq(errno, EPERM);
	cr_assert_eq(calls, 1);
	cr_assert(strstr(last, "CAP_SYS_ADMIN") && strstr(last, "CAP_BPF") &&
		  strstr(last, "CAP_PERFMON"), "message: %s", last);
	cr_assert(strstr(last, "setcap"), "message must say what to do: %s", last);
}

Test(setup, sys_admin_implies_bpf_and_perfmon)
{
	cap_t c = cap_init();
	cap_value_t admin = CAP_SYS_ADMIN;
	unsigned int missing = ~0u;

	if (!have_cap(CAP_SYS_ADMIN))
		cr_skip_test("needs CAP_SYS_ADMIN (run as root)");
	cap_set_flag(c, CAP_EFFECTIVE, 1, &admin, CAP_SET);
	cap_set_flag(c, CAP_PERMITTED, 1, &admin, CAP_SET);
	cr_assert_eq(cap_set_proc(c), 0);
	cap_free(c);
	cr_assert_eq(scx_caps_missing(SCX_CAPS_LOAD | SCX_CAP_SYS_RESOURCE, &missing), 0);
	cr_assert_eq(missing, SCX_CAP_SYS_RESOURCE);
}

Test(setup, memlock_raise_as_root)
{
	unsigned long long soft, hard;
	struct rlimit low = { 65536, 65536 };

	if (!have_cap(CAP_SYS_RESOURCE))
		cr_skip_test("needs CAP_SYS_RESOURCE (run as root)");
	cr_assert_eq(setrlimit(RLIMIT_MEMLOCK, &low), 0);
	cr_assert_eq(scx_memlock_get(&soft, &hard), 0);
	cr_assert_eq(soft, 65536);
	cr_assert_eq(scx_memlock_raise(), 0);
	cr_assert_eq(scx_memlock_get(&soft, &hard), 0);
	cr_assert_eq(soft, UINT64_MAX);
	cr_assert_eq(hard, UINT64_MAX);
	cr_assert_eq(scx_memlock_raise(), 0, "already unlimited is success");
}

Test(setup, memlock_raise_without_privilege_reports_limits)
{
	struct rlimit low = { 65536, 131072 }, after;

	cr_assert_eq(setrlimit(RLIMIT_MEMLOCK, &low), 0);
	drop_all_caps();
	cr_assert_eq(scx_memlock_raise(), -EPERM);
	cr_assert_eq(errno, EPERM);
	cr_assert(strstr(last, "65536") && strstr(last, "131072"), "message: %s", last);
	cr_assert(strstr(last, "CAP_SYS_RESOURCE"), "message: %s", last);
	getrlimit(RLIMIT_MEMLOCK, &after);
	cr_assert_eq(after.rlim_cur, 65536, "a failed raise leaves the limit alone");
}
