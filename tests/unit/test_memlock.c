// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * RLIMIT_MEMLOCK, as root and with capabilities dropped.  Criterion runs each test in its own
 * process, so dropping capabilities here does not leak into other tests.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/resource.h>
#include <unistd.h>

#include <scx/memlock.h>

#include "../lib/privs.h"

TestSuite(memlock, .init = logrec_start);

Test(memlock, memlock_raise_as_root)
{
	unsigned long long soft, hard;
	struct rlimit low = {65536, 65536};

	if (!privs_have(CAP_SYS_RESOURCE))
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

Test(memlock, memlock_raise_without_privilege_reports_limits)
{
	struct rlimit low = {65536, 131072}, after;

	cr_assert_eq(setrlimit(RLIMIT_MEMLOCK, &low), 0);
	cr_assert(privs_drop_all(), "cap_set_proc: %s", strerror(errno));
	cr_assert_eq(scx_memlock_raise(), -EPERM);
	cr_assert_eq(errno, EPERM);
	cr_assert(strstr(logrec_last(), "65536") && strstr(logrec_last(), "131072"), "message: %s",
		  logrec_last());
	cr_assert(strstr(logrec_last(), "CAP_SYS_RESOURCE"), "message: %s", logrec_last());
	getrlimit(RLIMIT_MEMLOCK, &after);
	cr_assert_eq(after.rlim_cur, 65536, "a failed raise leaves the limit alone");
}
