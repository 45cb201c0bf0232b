// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * Capabilities, as root and with capabilities dropped.  Criterion runs each test in its own
 * process, so dropping capabilities here does not leak into other tests.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <unistd.h>

#include <scx/caps.h>

#include "../lib/privs.h"

TestSuite(caps, .init = logrec_start);

Test(caps, cap_names)
{
	cr_assert_str_eq(scx_caps_name(SCX_CAPS_SYS_ADMIN), "CAP_SYS_ADMIN");
	cr_assert_str_eq(scx_caps_name(SCX_CAPS_BPF), "CAP_BPF");
	cr_assert_str_eq(scx_caps_name(SCX_CAPS_PERFMON), "CAP_PERFMON");
	cr_assert_str_eq(scx_caps_name(SCX_CAPS_SYS_RESOURCE), "CAP_SYS_RESOURCE");
	cr_assert_str_eq(scx_caps_name(SCX_CAPS_SYS_NICE), "CAP_SYS_NICE");
	cr_assert_null(scx_caps_name(SCX_CAPS_BPF | SCX_CAPS_PERFMON));
	cr_assert_eq(errno, EINVAL);
}

Test(caps, bad_arguments)
{
	unsigned int m;

	cr_assert_eq(scx_caps_effective(NULL), -EINVAL);
	cr_assert_eq(scx_caps_missing(SCX_CAPS_LOAD, NULL), -EINVAL);
	cr_assert_eq(scx_caps_missing(1u << 20, &m), -EINVAL);
	cr_assert_eq(errno, EINVAL);
}

Test(caps, effective_matches_the_kernel)
{
	unsigned int caps;

	cr_assert_eq(scx_caps_effective(&caps), 0);
	cr_assert_eq(!!(caps & SCX_CAPS_SYS_ADMIN), privs_have(CAP_SYS_ADMIN));
	cr_assert_eq(!!(caps & SCX_CAPS_SYS_RESOURCE), privs_have(CAP_SYS_RESOURCE));
}

Test(caps, root_can_load)
{
	unsigned int missing = ~0u;

	if (!privs_have(CAP_SYS_ADMIN))
		cr_skip_test("needs CAP_SYS_ADMIN (run as root)");
	cr_assert_eq(scx_caps_missing(SCX_CAPS_LOAD, &missing), 0);
	cr_assert_eq(missing, 0);
	cr_assert_eq(scx_caps_check(), 0);
	cr_assert_eq(logrec_calls(), 0, "no message when nothing is missing");
}

Test(caps, dropped_caps_are_named)
{
	unsigned int missing = 0;

	cr_assert(privs_drop_all(), "cap_set_proc: %s", strerror(errno));
	cr_assert_eq(scx_caps_missing(SCX_CAPS_LOAD, &missing), 0);
	cr_assert_eq(missing, SCX_CAPS_LOAD);
	cr_assert_eq(scx_caps_check(), -EPERM);
	cr_assert_eq(errno, EPERM);
	cr_assert_eq(logrec_calls(), 1);
	cr_assert(strstr(logrec_last(), "CAP_SYS_ADMIN") && strstr(logrec_last(), "CAP_BPF") &&
			  strstr(logrec_last(), "CAP_PERFMON"),
		  "message: %s", logrec_last());
	cr_assert(strstr(logrec_last(), "setcap"), "message must say what to do: %s",
		  logrec_last());
}

Test(caps, sys_admin_implies_bpf_and_perfmon)
{
	cap_t c = cap_init();
	cap_value_t admin = CAP_SYS_ADMIN;
	unsigned int missing = ~0u;

	if (!privs_have(CAP_SYS_ADMIN))
		cr_skip_test("needs CAP_SYS_ADMIN (run as root)");
	cap_set_flag(c, CAP_EFFECTIVE, 1, &admin, CAP_SET);
	cap_set_flag(c, CAP_PERMITTED, 1, &admin, CAP_SET);
	cr_assert_eq(cap_set_proc(c), 0);
	cap_free(c);
	cr_assert_eq(scx_caps_missing(SCX_CAPS_LOAD | SCX_CAPS_SYS_RESOURCE, &missing), 0);
	cr_assert_eq(missing, SCX_CAPS_SYS_RESOURCE);
}
