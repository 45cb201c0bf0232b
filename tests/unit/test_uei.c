// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/* User exit info: reading, reporting, exit kinds and exit codes. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

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
	scx_log_fn_set(capture, NULL);
}

TestSuite(uei, .init = setup);

static void fill(struct user_exit_info *u, int kind, long long code, const char *reason,
		 const char *msg)
{
	memset(u, 0, sizeof(*u));
	u->exit_cpu = -1;
	u->exit_code = code;
	snprintf(u->reason, sizeof(u->reason), "%s", reason);
	snprintf(u->msg, sizeof(u->msg), "%s", msg);
	u->kind = kind;
}

Test(uei, layout_is_the_kernels)
{
	cr_assert_eq(sizeof(struct user_exit_info), 1168);
	cr_assert_eq(offsetof(struct user_exit_info, exit_cpu), 4);
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

Test(uei, negative_kind_is_exited_and_refused_alike)
{
	struct user_exit_info u;
	FILE *f = tmpfile();

	cr_assert_not_null(f);
	fill(&u, SCX_EXIT_ERROR, 1, "garbage", "");
	u.kind = -1;
	cr_assert(scx_uei_exited(&u), "something is there: a wait for the exit ends");
	errno = 0;
	cr_assert_eq(scx_uei_report(&u, NULL, 0, f), -EINVAL, "and the report says it is no exit "
							     "info, not that none happened yet");
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(scx_uei_report(&u, NULL, 0, NULL), -EINVAL);
	cr_assert_eq(ftell(f), 0, "nothing written");
	fclose(f);
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

Test(uei, report_names_the_exit_cpu_when_the_kernel_gave_it)
{
	struct user_exit_info u;

	fill(&u, SCX_EXIT_ERROR_BPF, 0, "scx_bpf_error", "bad dsq");
	u.exit_cpu = 0;
	cr_assert_eq(scx_uei_report(&u, NULL, 0, NULL), 0);
	cr_assert_str_eq(logged, "EXIT: scx_bpf_error (bad dsq) on CPU 0|");
	logged[0] = '\0';
	fill(&u, SCX_EXIT_UNREG, 0, "unregistered from user space", "");
	u.exit_cpu = 7;
	cr_assert_eq(scx_uei_report(&u, NULL, 0, NULL), 0);
	cr_assert_str_eq(logged, "EXIT: unregistered from user space on CPU 7|");
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

/* Every message the log callback gets, whole, for dumps longer than one log message. */
static char *msgs[64];
static size_t nr_msgs;

static void keep_all(enum scx_log_level l, const char *m, void *c)
{
	if (l != SCX_LOG_DEBUG && nr_msgs < sizeof(msgs) / sizeof(msgs[0]))
		msgs[nr_msgs++] = strdup(m);
}

static void free_msgs(void)
{
	while (nr_msgs)
		free(msgs[--nr_msgs]);
}

#define HEADER "DEBUG DUMP\n" \
	"================================================================================\n\n"
#define RULE_LINE "================================================================================"

/*
 * A dump several log messages long goes through the log callback whole: in pieces that end at
 * a line end when one is near, none cut by the log's 4096-byte message limit.
 */
Test(uei, long_dump_through_log_in_pieces)
{
	struct user_exit_info u;
	char dump[10 * 1001 + 1], *joined, *p;
	size_t i, len;

	fill(&u, SCX_EXIT_ERROR_STALL, 0, "runnable task stall", "");
	scx_log_fn_set(keep_all, NULL);
	/* ten 1000-byte lines, each of its own letter */
	for (i = 0; i < 10; i++) {
		memset(dump + i * 1001, 'a' + (int)i, 1000);
		dump[i * 1001 + 1000] = '\n';
	}
	dump[sizeof(dump) - 1] = '\0';
	cr_assert_eq(scx_uei_report(&u, dump, sizeof(dump), NULL), 0);
	/* three lines (3003 bytes) fit in a piece: 3 + 3 + 3 + 1 lines, then the EXIT line */
	cr_assert_eq(nr_msgs, 5, "%zu messages", nr_msgs);
	cr_assert(!strncmp(msgs[0], HEADER, strlen(HEADER)), "%.100s", msgs[0]);
	cr_assert_eq(strlen(msgs[0]), strlen(HEADER) + 3002, "the last newline is the log's");
	for (i = 1; i < 3; i++)
		cr_assert_eq(strlen(msgs[i]), 3002);
	cr_assert_eq(strlen(msgs[3]), 1000 + 1 + strlen(RULE_LINE));
	cr_assert_str_eq(msgs[3] + 1001, RULE_LINE);
	cr_assert_str_eq(msgs[4], "EXIT: runnable task stall");
	for (i = 0; i < 10; i++) {
		const char *m = msgs[i / 3] + (i < 3 ? strlen(HEADER) : 0) + (i % 3) * 1001;

		cr_assert_eq(m[0], 'a' + (int)i, "line %zu in message %zu", i, i / 3);
		cr_assert_eq(strspn(m, (char[]){ (char)('a' + i), 0 }), 1000, "line %zu whole", i);
	}
	free_msgs();

	/* one 10000-byte line without a newline: cut at 3072 bytes, nothing lost */
	memset(dump, 'x', 10000);
	dump[10000] = '\0';
	cr_assert_eq(scx_uei_report(&u, dump, 10001, NULL), 0);
	cr_assert_eq(nr_msgs, 5, "%zu messages", nr_msgs);
	joined = calloc(1, 20000);
	cr_assert_not_null(joined);
	for (i = 0; i < 4; i++) {
		p = msgs[i] + (i ? 0 : strlen(HEADER));
		cr_assert_leq(strlen(msgs[i]), 4095);
		strcat(joined, p);
	}
	len = strlen(joined);
	cr_assert_eq(len, 10000 + 1 + strlen(RULE_LINE));
	cr_assert_eq(strspn(joined, "x"), 10000);
	cr_assert_str_eq(joined + 10001, RULE_LINE);
	free(joined);
	free_msgs();
}

struct counted {
	size_t bytes, newlines;
};

static ssize_t count_write(void *cookie, const char *buf, size_t size)
{
	struct counted *c = cookie;
	const char *p = buf, *end = buf + size;

	c->bytes += size;
	while ((p = memchr(p, '\n', (size_t)(end - p)))) {
		c->newlines++;
		p++;
	}
	return (ssize_t)size;
}

static size_t log_bytes, log_msgs;

static void count_log(enum scx_log_level l, const char *m, void *c)
{
	if (l != SCX_LOG_DEBUG) {
		log_bytes += strlen(m);
		log_msgs++;
	}
}

/*
 * A dump longer than INT_MAX, without a NUL, followed by an unreadable page: the report prints
 * every byte of it and reads nothing past it, to a stream and through the log callback.  The
 * 2 GiB are one 1 MiB memfd mapped 2049 times, so the test needs little memory.
 */
Test(uei, dump_longer_than_int_max, .timeout = 120)
{
	const size_t piece = 1 << 20, nr = 2049, total = piece * nr;
	cookie_io_functions_t io = { .write = count_write };
	struct counted c = { 0 };
	struct user_exit_info u;
	char *base, *m;
	size_t i;
	FILE *f;
	int fd;

	if (getenv("SCX_TEST_WRAPPER") && *getenv("SCX_TEST_WRAPPER"))
		cr_skip_test("2 GiB of dump is too slow under a test wrapper");
	if (sizeof(size_t) < 8)
		cr_skip_test("needs a 64-bit address space");
	fd = memfd_create("dump", MFD_CLOEXEC);
	cr_assert_geq(fd, 0);
	cr_assert_eq(ftruncate(fd, (off_t)piece), 0);
	m = mmap(NULL, piece, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	cr_assert_neq(m, MAP_FAILED);
	memset(m, 'x', piece);
	for (i = 63; i < piece; i += 64)
		m[i] = '\n';
	munmap(m, piece);
	base = mmap(NULL, total + 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		    -1, 0);
	if (base == MAP_FAILED)
		cr_skip_test("cannot reserve 2 GiB of address space: %s", strerror(errno));
	for (i = 0; i < nr; i++)
		cr_assert_neq(mmap(base + i * piece, piece, PROT_READ, MAP_SHARED | MAP_FIXED, fd, 0),
			      MAP_FAILED, "mapping %zu", i);
	close(fd);
	cr_assert_gt(total, (size_t)INT_MAX);

	fill(&u, SCX_EXIT_ERROR, 0, "big dump", "");
	f = fopencookie(&c, "w", io);
	cr_assert_not_null(f);
	cr_assert_eq(scx_uei_report(&u, base, total, f), 0);
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(c.bytes, strlen(HEADER) + total + strlen(RULE_LINE) + 1 +
			      strlen("EXIT: big dump\n"), "%zu bytes", c.bytes);
	cr_assert_eq(c.newlines, 3 + total / 64 + 2, "%zu newlines", c.newlines);

	/* through the log: whole 64-byte lines, 48 to a piece (3072 bytes, the last newline cut) */
	scx_log_fn_set(count_log, NULL);
	cr_assert_eq(scx_uei_report(&u, base, total, NULL), 0);
	cr_assert_eq(log_msgs, total / 3072 + 1, "%zu messages", log_msgs);
	cr_assert_eq(log_bytes, strlen(HEADER) + total - (total / 3072 - 1) + strlen(RULE_LINE) +
				strlen("EXIT: big dump"), "%zu bytes", log_bytes);
	munmap(base, total + 4096);
}

/* /dev/full is a character device: the report goes to its descriptor with write(2). */
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

static ssize_t failing_write(void *cookie, const char *buf, size_t size)
{
	(void)buf;
	(void)size;
	++*(int *)cookie;
	errno = ENOSPC;
	return -1;
}

/* A stream without a descriptor goes through stdio; its failure is -EIO too. */
Test(uei, report_write_error_through_stdio)
{
	cookie_io_functions_t io = { .write = failing_write };
	struct user_exit_info u;
	int calls = 0;
	FILE *f = fopencookie(&calls, "w", io);

	cr_assert_not_null(f);
	fill(&u, SCX_EXIT_ERROR, 0, "an error", "with a message");
	cr_assert_eq(scx_uei_report(&u, "CPU 0: dump\n", 16, f), -EIO);
	cr_assert_eq(errno, EIO);
	cr_assert_gt(calls, 0, "the stream was never written");
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
