// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * The run-time version queries against the headers' version, and the full version string a
 * scheduler prints against uname(2) and libbpf's own version.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include <bpf/libbpf.h>

#include <scx/version.h>

Test(version, run_time_numbers_match_the_headers_built_with)
{
	char text[32];

	cr_assert_eq(scx_version_major(), LIBSCX_VERSION_MAJOR);
	cr_assert_eq(scx_version_minor(), LIBSCX_VERSION_MINOR);
	cr_assert_eq(scx_version_patch(), LIBSCX_VERSION_PATCH);
	snprintf(text, sizeof(text), "%u.%u.%u", scx_version_major(), scx_version_minor(),
		 scx_version_patch());
	cr_assert_str_eq(scx_version(), text);
	cr_assert_str_eq(scx_version(), LIBSCX_VERSION_STRING);
	cr_assert(LIBSCX_VERSION_AT_LEAST(1, 0));
	cr_assert_not(LIBSCX_VERSION_AT_LEAST(LIBSCX_VERSION_MAJOR + 1, 0));
}

Test(version, full_version_names_the_libraries_and_the_machine)
{
	char buf[256], want[256];
	struct utsname u;

	cr_assert_eq(uname(&u), 0);
	snprintf(want, sizeof(want), "1.0.2 (libscx %s, libbpf %s, %s)", scx_version(),
		 libbpf_version_string(), u.machine);
	cr_assert_eq(scx_version_full("1.0.2", buf, sizeof(buf)), (int)strlen(want));
	cr_assert_str_eq(buf, want);

	snprintf(want, sizeof(want), "libscx %s, libbpf %s, %s", scx_version(),
		 libbpf_version_string(), u.machine);
	cr_assert_eq(scx_version_full(NULL, buf, sizeof(buf)), (int)strlen(want));
	cr_assert_str_eq(buf, want, "without a scheduler version, no parentheses");
}

Test(version, full_version_refuses_what_does_not_fit)
{
	char small[8];

	cr_assert_eq(scx_version_full("1.0.2", small, sizeof(small)), -ENAMETOOLONG);
	cr_assert_eq(strlen(small), sizeof(small) - 1, "the cut text is still terminated");
	cr_assert_eq(scx_version_full("1.0.2", NULL, 16), -EINVAL);
	cr_assert_eq(scx_version_full("1.0.2", small, 0), -EINVAL);
}
