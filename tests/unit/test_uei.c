// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/* User exit info: reading, reporting, exit kinds and exit codes. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>
#include <scx/btf.h>
#include <scx/log.h>
#include <scx/uei.h>

#include "../lib/kernel_btf.h"

static char logged[8192];
static enum scx_log_level logged_level;
static int nr_logged;

static void capture(enum scx_log_level l, const char *m, void *c)
{
	size_t len = strlen(logged);

	if (l == SCX_LOG_DEBUG)
		return;
	snprintf(logged + len, sizeof(logged) - len, "%s|", m);
	logged_level = l;
	nr_logged++;
}

static void setup(void)
{
	logged[0] = '\0';
	nr_logged = 0;
	scx_set_log_fn(capture, NULL);
}

TestSuite(uei, .init = setup);

static void fill(struct user_exit_info *u, int kind, long long code, const char *reason,
		 const char *msg)
{
	memset(u, 0, sizeof(*u));
	u->exit_code = code;
	snprintf(u->reason, sizeof(u->reason), "%s", reason);
	snprintf(u->msg, sizeof(u->msg), "%s", msg);
	u->kind = kind;
}

Test(uei, layout_is_the_kernels)
{
	cr_assert_eq(sizeof(struct user_exit_info), 1168);
	cr_assert_eq(offsetof(struct user_exit_info, exit_code), 8);
	cr_assert_eq(offsetof(struct user_exit_info, reason), 16);
	cr_assert_eq(offsetof(struct user_exit_info, msg), 16 + UEI_REASON_LEN);
	cr_assert_eq(UEI_REASON_LEN, 128);
	cr_assert_eq(UEI_MSG_LEN, 1024);
}

Test(uei, exited_and_read)
{
	struct user_exit_info u, c;

	fill(&u, SCX_EXIT_NONE, 0, "", "");
	cr_assert_not(scx_uei_exited(&u));
	cr_assert_not(scx_uei_exited(NULL));
	cr_assert_eq(scx_uei_read(&u, &c), 0);
	fill(&u, SCX_EXIT_ERROR_BPF, 7, "scx_bpf_error", "boom");
	cr_assert(scx_uei_exited(&u));
	memset(u.msg, 'x', sizeof(u.msg));	/* not terminated: the copy must be */
	cr_assert_eq(scx_uei_read(&u, &c), SCX_EXIT_ERROR_BPF);
	cr_assert_eq(c.exit_code, 7);
	cr_assert_str_eq(c.reason, "scx_bpf_error");
	cr_assert_eq(strlen(c.msg), UEI_MSG_LEN - 1);
	cr_assert_eq(scx_uei_read(NULL, &c), -EINVAL);
	cr_assert_eq(scx_uei_read(&u, NULL), -EINVAL);
	u.kind = -3;
	cr_assert_eq(scx_uei_read(&u, &c), -EINVAL);
}

Test(uei, report_to_file)
{
	struct user_exit_info u;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	fill(&u, SCX_EXIT_ERROR_BPF, 0, "scx_bpf_error", "main.bpf.c:21: deliberate error");
	f = open_memstream(&buf, &len);
	cr_assert_not_null(f);
	cr_assert_eq(scx_uei_report(&u, "CPU 0: curr=swapper/0\n", 64, f), 0);
	fclose(f);
	cr_assert(strstr(buf, "DEBUG DUMP\n") == buf, "%s", buf);
	cr_assert(strstr(buf, "\nCPU 0: curr=swapper/0\n====="), "%s", buf);
	cr_assert(strstr(buf, "\nEXIT: scx_bpf_error (main.bpf.c:21: deliberate error)\n"), "%s",
		  buf);
	cr_assert_eq(buf[len - 1], '\n');
	free(buf);

	/* No message, no dump: a single line. */
	fill(&u, SCX_EXIT_UNREG, 0, "unregistered from user space", "");
	f = open_memstream(&buf, &len);
	cr_assert_eq(scx_uei_report(&u, "", 16, f), 0);
	fclose(f);
	cr_assert_str_eq(buf, "EXIT: unregistered from user space\n");
	free(buf);
	cr_assert_eq(nr_logged, 0, "a FILE report logs nothing");
}

Test(uei, report_through_log)
{
	struct user_exit_info u;

	fill(&u, SCX_EXIT_SYSRQ, 0, "disabled by sysrq-S", "");
	cr_assert_eq(scx_uei_report(&u, NULL, 0, NULL), 0);
	cr_assert_str_eq(logged, "EXIT: disabled by sysrq-S|");
	cr_assert_eq(logged_level, SCX_LOG_WARN);
	logged[0] = '\0';
	fill(&u, SCX_EXIT_ERROR_STALL, 0, "runnable task stall", "t[1] stuck for 30s");
	cr_assert_eq(scx_uei_report(&u, "dump line", 10, NULL), 0);
	cr_assert(strstr(logged, "dump line\n====="), "%s", logged);
	cr_assert(strstr(logged, "|EXIT: runnable task stall (t[1] stuck for 30s)|"), "%s", logged);
	cr_assert_eq(logged_level, SCX_LOG_ERROR);
	fill(&u, SCX_EXIT_NONE, 0, "", "");
	cr_assert_eq(scx_uei_report(&u, NULL, 0, NULL), -EAGAIN);
	cr_assert_eq(scx_uei_report(NULL, NULL, 0, NULL), -EINVAL);
}

Test(uei, report_write_error)
{
	struct user_exit_info u;
	FILE *f = fopen("/dev/full", "w");

	if (!f)
		cr_skip_test("no /dev/full");
	fill(&u, SCX_EXIT_DONE, 0, "done", "");
	cr_assert_eq(scx_uei_report(&u, NULL, 0, f), -EIO);
	fclose(f);
}

Test(uei, kind_names)
{
	cr_assert_str_eq(scx_uei_kind_name(SCX_EXIT_NONE), "SCX_EXIT_NONE");
	cr_assert_str_eq(scx_uei_kind_name(1), "SCX_EXIT_DONE");
	cr_assert_str_eq(scx_uei_kind_name(65), "SCX_EXIT_UNREG_BPF");
	cr_assert_str_eq(scx_uei_kind_name(1026), "SCX_EXIT_ERROR_STALL");
	cr_assert_null(scx_uei_kind_name(2));
	cr_assert_eq(errno, EINVAL);
}

Test(uei, exit_code_parts)
{
	int64_t ecode = (int64_t)(SCX_ECODE_ACT_RESTART | SCX_ECODE_RSN_HOTPLUG | 42);

	cr_assert_eq(scx_uei_ecode_user(ecode), 42);
	cr_assert_eq(scx_uei_ecode_sys_rsn(ecode), 1ULL << 32);
	cr_assert_eq(scx_uei_ecode_sys_act(ecode), 1ULL << 48);
	cr_assert(scx_uei_ecode_restart(ecode));
	cr_assert(scx_uei_ecode_hotplug(ecode));
	cr_assert_not(scx_uei_ecode_restart(42));
	cr_assert_not(scx_uei_ecode_hotplug((int64_t)SCX_ECODE_ACT_RESTART));
	cr_assert_eq(scx_uei_ecode_user(-1), 0xffffffffULL);
	cr_assert_eq(scx_uei_ecode_sys_act(-1), 0xffff000000000000ULL);
	cr_assert_eq(UEI_ECODE_USER_MASK | UEI_ECODE_SYS_RSN_MASK | UEI_ECODE_SYS_ACT_MASK, ~0ULL);
}

/* The kinds and exit-code bits this library defines are the ones a real kernel has. */
Test(uei, values_match_a_real_kernel)
{
	static const int kinds[] = { 0, 1, 64, 65, 66, 67, 1024, 1025, 1026 };
	struct btf *b = kernel_btf_load("7.3");
	uint64_t v;
	size_t i;

	if (!b)
		cr_skip_test("no Debian 7.3 kernel BTF (tests/fetch-kernel-btf.sh could not fetch it)");
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		const char *name = scx_uei_kind_name(kinds[i]);

		cr_assert_eq(scx_btf_enum_value(b, "scx_exit_kind", name, &v), 0, "%s", name);
		cr_assert_eq(v, (uint64_t)kinds[i], "%s", name);
	}
	cr_assert_eq(scx_btf_enum_value(b, "scx_exit_code", "SCX_ECODE_RSN_HOTPLUG", &v), 0);
	cr_assert_eq(v, SCX_ECODE_RSN_HOTPLUG);
	cr_assert_eq(scx_btf_enum_value(b, "scx_exit_code", "SCX_ECODE_ACT_RESTART", &v), 0);
	cr_assert_eq(v, SCX_ECODE_ACT_RESTART);
	cr_assert_eq(scx_btf_enum_value(b, NULL, "UEI_REASON_LEN", &v), -ENOENT);
	cr_assert(scx_btf_struct_has_field(b, "scx_exit_info", "reason") == 1);
	btf__free(b);
}
