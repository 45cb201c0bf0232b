// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/* The system-access layer on generated trees. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <scx/log.h>

#include "../../libscx/cpumask_internal.h"
#include "../../libscx/sysfs.h"
#include "../lib/fstree.h"

static struct fstree t;
static struct scx_sysfs fs;

static void setup(void)
{
	cr_assert_eq(fstree_init(&t), 0);
	fstree_write(&t, "sys/a/num", "42\n");
	fstree_write(&t, "sys/a/hex", "0x1f\n");
	fstree_write(&t, "sys/a/neg", "-7\n");
	fstree_write(&t, "sys/a/text", "hello world\n\n");
	fstree_write(&t, "sys/a/garbage", "12abc\n");
	fstree_write(&t, "sys/a/empty", "%s", "");
	fstree_write(&t, "sys/a/size", "32K\n");
	fstree_write(&t, "sys/a/huge", "99999999999999999999999\n");
	cr_assert_eq(scx_sysfs_init(&fs, t.root), 0);
}

static void teardown(void)
{
	scx_sysfs_fini(&fs);
	fstree_fini(&t);
}

TestSuite(sysfs, .init = setup, .fini = teardown);

Test(sysfs, reads_text_without_trailing_newlines)
{
	char buf[64];

	cr_assert_eq(scx_sysfs_read(&fs, buf, sizeof(buf), "/sys/a/text"), 11);
	cr_assert_str_eq(buf, "hello world");
}

Test(sysfs, too_small_buffer_is_efbig_and_empty)
{
	char buf[6];

	cr_assert_eq(scx_sysfs_read(&fs, buf, sizeof(buf), "sys/a/text"), -EFBIG);
	cr_assert_str_eq(buf, "");
}

Test(sysfs, missing_file_is_enoent)
{
	char buf[8];
	uint64_t v = 5;

	cr_assert_eq(scx_sysfs_read(&fs, buf, sizeof(buf), "sys/a/nope"), -ENOENT);
	cr_assert_eq(scx_sysfs_read_u64(&fs, &v, "sys/a/nope"), -ENOENT);
	cr_assert_eq(v, 5, "value must not change on error");
}

Test(sysfs, fifo_in_place_of_a_file_is_refused_without_blocking, .timeout = 10)
{
	char buf[64], *all = NULL;
	struct scx_sysfs_dir dir;

	cr_assert_eq(fstree_mkdir(&t, "sys/f"), 0);
	cr_assert_eq(mkfifo(fstree_path(&t, "sys/f/online"), 0600), 0);
	cr_assert_eq(scx_sysfs_read(&fs, buf, sizeof(buf), "sys/f/online"), -EINVAL);
	cr_assert_eq(scx_sysfs_read_alloc(&fs, &all, 4096, "sys/f/online"), -EINVAL);
	cr_assert_null(all);
	cr_assert_eq(scx_sysfs_dir_open(&dir, &fs, "sys/f"), 0);
	cr_assert_eq(scx_sysfs_dir_read(&dir, buf, sizeof(buf), "online"), -EINVAL,
		     "the folder handle's reads too");
	scx_sysfs_dir_close(&dir);
	/* an empty regular file is still just empty */
	cr_assert_eq(fstree_write(&t, "sys/f/empty", "%s", ""), 0);
	cr_assert_eq(scx_sysfs_read(&fs, buf, sizeof(buf), "sys/f/empty"), 0);
	cr_assert_eq(scx_sysfs_read_alloc(&fs, &all, 4096, "sys/f/empty"), 0);
	free(all);
}

Test(sysfs, numbers)
{
	uint64_t u;
	int64_t s;

	cr_assert_eq(scx_sysfs_read_u64(&fs, &u, "sys/a/num"), 0);
	cr_assert_eq(u, 42);
	cr_assert_eq(scx_sysfs_read_u64(&fs, &u, "sys/a/hex"), 0);
	cr_assert_eq(u, 31);
	cr_assert_eq(scx_sysfs_read_s64(&fs, &s, "sys/a/neg"), 0);
	cr_assert_eq(s, -7);
	cr_assert_eq(scx_sysfs_read_u64(&fs, &u, "sys/a/neg"), -EINVAL);
	cr_assert_eq(scx_sysfs_read_u64(&fs, &u, "sys/a/garbage"), -EINVAL);
	cr_assert_eq(scx_sysfs_read_u64(&fs, &u, "sys/a/empty"), -EINVAL);
	cr_assert_eq(scx_sysfs_read_u64(&fs, &u, "sys/a/huge"), -ERANGE);
	cr_assert_eq(scx_sysfs_read_u64(&fs, &u, "sys/a/text"), -EINVAL);
}

Test(sysfs, sizes)
{
	uint64_t v;

	cr_assert_eq(scx_parse_size("32K", &v), 0);
	cr_assert_eq(v, 32768);
	cr_assert_eq(scx_parse_size("1M", &v), 0);
	cr_assert_eq(v, 1 << 20);
	cr_assert_eq(scx_parse_size("2G", &v), 0);
	cr_assert_eq(v, 2ull << 30);
	cr_assert_eq(scx_parse_size("512", &v), 0);
	cr_assert_eq(v, 512);
	cr_assert_eq(scx_parse_size("4KB", &v), 0);
	cr_assert_eq(v, 4096);
	cr_assert_eq(scx_parse_size("K", &v), -EINVAL);
	cr_assert_eq(scx_parse_size("1X", &v), -EINVAL);
	cr_assert_eq(scx_parse_size("99999999999999T", &v), -ERANGE);
}

Test(sysfs, read_alloc_whole_file_and_limit)
{
	char *s = NULL;

	cr_assert_eq(scx_sysfs_read_alloc(&fs, &s, 1024, "sys/a/text"), 13);
	cr_assert_str_eq(s, "hello world\n\n");
	free(s);
	cr_assert_eq(scx_sysfs_read_alloc(&fs, &s, 4, "sys/a/text"), -EFBIG);
	cr_assert_null(s);
}

Test(sysfs, counts_opens)
{
	char buf[64];
	unsigned long before = fs.nr_opens;

	scx_sysfs_read(&fs, buf, sizeof(buf), "sys/a/num");
	scx_sysfs_read(&fs, buf, sizeof(buf), "sys/a/nope");
	cr_assert_eq(fs.nr_opens, before + 2);
}

Test(sysfs, exists_and_opendir)
{
	DIR *d;

	cr_assert_eq(scx_sysfs_exists(&fs, "sys/a"), 1);
	cr_assert_eq(scx_sysfs_exists(&fs, "sys/b"), 0);
	d = scx_sysfs_opendir(&fs, "sys/a");
	cr_assert_not_null(d);
	closedir(d);
	cr_assert_null(scx_sysfs_opendir(&fs, "sys/b"));
	cr_assert_eq(errno, ENOENT);
}

Test(sysfs, fake_root_refuses_writes_unless_allowed)
{
	char buf[16];

	cr_assert(fs.fake);
	cr_assert_eq(scx_sysfs_write(&fs, "7", "sys/a/num"), -EROFS);
	cr_assert_eq(scx_sysfs_read(&fs, buf, sizeof(buf), "sys/a/num"), 2);
	cr_assert_str_eq(buf, "42", "a refused write must leave the file alone");
	scx_sysfs_allow_fake_writes(&fs, true);
	cr_assert_eq(scx_sysfs_write(&fs, "7", "sys/a/num"), 0);
	cr_assert_eq(scx_sysfs_read(&fs, buf, sizeof(buf), "sys/a/num"), 1);
	cr_assert_str_eq(buf, "7");
}

/*
 * A folder handle reads relative to its folder with the checks of the layer's reader: a file
 * with a NUL inside is not text, one past the buffer is -EFBIG, and a folder that could not be
 * opened makes every read under it fail with the reason.
 */
Test(sysfs, folder_handle_reads_with_the_layers_checks)
{
	struct scx_sysfs_dir d, missing, root;
	unsigned long before;
	char buf[8];
	DIR *dh;

	cr_assert_eq(fstree_write(&t, "sys/d/cpu0/x", "1\n"), 0);
	cr_assert_eq(fstree_write(&t, "sys/d/nul", "a%cb\n", 0), 0);
	cr_assert_eq(fstree_write(&t, "sys/d/long", "0123456789\n"), 0);
	cr_assert_eq(scx_sysfs_dir_open(&d, &fs, "/sys/d"), 0);
	before = fs.nr_opens;
	cr_assert_eq(scx_sysfs_dir_read(&d, buf, sizeof(buf), "cpu%d/x", 0), 1);
	cr_assert_str_eq(buf, "1");
	cr_assert_eq(scx_sysfs_dir_read(&d, buf, sizeof(buf), "nul"), -EINVAL);
	cr_assert_str_eq(buf, "");
	cr_assert_eq(scx_sysfs_dir_read(&d, buf, sizeof(buf), "long"), -EFBIG);
	cr_assert_eq(scx_sysfs_dir_read(&d, buf, sizeof(buf), "nope"), -ENOENT);
	cr_assert_eq(fs.nr_opens, before + 4, "one open per read, the folder's not again");
	dh = scx_sysfs_dir_opendir(&d, "cpu0");
	cr_assert_not_null(dh);
	closedir(dh);
	scx_sysfs_dir_close(&d);

	cr_assert_eq(scx_sysfs_dir_open(&missing, &fs, "sys/nofolder"), -ENOENT);
	cr_assert_eq(scx_sysfs_dir_read(&missing, buf, sizeof(buf), "x"), -ENOENT);
	cr_assert_null(scx_sysfs_dir_opendir(&missing, "."));
	cr_assert_eq(errno, ENOENT);
	scx_sysfs_dir_close(&missing);

	before = fs.nr_opens;
	cr_assert_eq(scx_sysfs_dir_open(&root, &fs, NULL), 0);
	cr_assert_eq(fs.nr_opens, before, "the root's handle opens nothing");
	cr_assert_eq(scx_sysfs_dir_read(&root, buf, sizeof(buf), "sys/a/num"), 2);
	cr_assert_str_eq(buf, "42", "the captured root, not this system's");
	scx_sysfs_dir_close(&root);
	cr_assert_eq(scx_sysfs_read(&fs, buf, sizeof(buf), "sys/a/num"), 2,
		     "closing the root's handle leaves the root open");
}

/* The layer's reader refuses the same embedded NUL. */
Test(sysfs, embedded_nul_is_not_text)
{
	char buf[8];

	cr_assert_eq(fstree_write(&t, "sys/a/nul", "a%cb\n", 0), 0);
	cr_assert_eq(scx_sysfs_read(&fs, buf, sizeof(buf), "sys/a/nul"), -EINVAL);
}

static char refusal[512];

static void keep_refusal(enum scx_log_level level, const char *msg, void *ctx)
{
	(void)ctx;
	if (level == SCX_LOG_ERROR)
		snprintf(refusal, sizeof(refusal), "%s", msg);
}

/*
 * The switch is the layer's own function, and it can be turned off again; a single write and a
 * change checked up front are refused with the same message.
 */
Test(sysfs, fake_root_writes_switch_on_and_off_with_one_refusal_message)
{
	char single[sizeof(refusal)];

	scx_log_fn_set(keep_refusal, NULL);
	scx_sysfs_allow_fake_writes(&fs, true);
	cr_assert_not(scx_sysfs_write_refused(&fs, "sys/a/num"));
	cr_assert_eq(scx_sysfs_write(&fs, "8", "sys/a/num"), 0);
	scx_sysfs_allow_fake_writes(&fs, false);
	refusal[0] = '\0';
	cr_assert_eq(scx_sysfs_write(&fs, "9", "sys/a/num"), -EROFS);
	snprintf(single, sizeof(single), "%s", refusal);
	refusal[0] = '\0';
	cr_assert(scx_sysfs_write_refused(&fs, "sys/a/num"));
	scx_log_fn_set(NULL, NULL);
	cr_assert_neq(strstr(single, "not this system's root"), NULL, "message: %s", single);
	cr_assert_str_eq(refusal, single, "one refusal message for both paths");
	cr_assert_eq(scx_sysfs_write_priv(&fs, "CAP_SYS_ADMIN", "9", "sys/a/num"), -EROFS);
}

Test(sysfs, root_from_environment)
{
	struct scx_sysfs e;
	char buf[16];

	setenv("SCX_SYSFS_PREFIX", t.root, 1);
	cr_assert_eq(scx_sysfs_init(&e, NULL), 0);
	unsetenv("SCX_SYSFS_PREFIX");
	cr_assert_eq(scx_sysfs_read(&e, buf, sizeof(buf), "sys/a/num"), 2);
	cr_assert(e.fake);
	scx_sysfs_fini(&e);
}

Test(sysfs, slash_root_is_this_system)
{
	struct scx_sysfs e;

	cr_assert_eq(scx_sysfs_init(&e, "/"), 0);
	cr_assert_not(e.fake);
	scx_sysfs_fini(&e);
}

Test(sysfs, bad_root)
{
	struct scx_sysfs e;

	cr_assert_eq(scx_sysfs_init(&e, "/nonexistent/root"), -ENOENT);
	cr_assert_eq(scx_sysfs_init(&e, fstree_path(&t, "sys/a/num")), -ENOTDIR);
}

/*
 * The possible list of a machine with holes in its ids is a range per group: 300 of them take
 * 2.7 KiB, which the width must read whole.  A list past what a sysfs attribute can hold (a
 * page) is refused, not cut.
 */
Test(sysfs, cpu_width_from_a_long_possible_list)
{
	char list[8192];
	size_t len = 0;

	for (int g = 0; g < 300; g++)
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%d-%d", g ? "," : "",
					g * 16, g * 16 + 3);
	cr_assert_gt(len, 2048);
	cr_assert_eq(fstree_write(&t, "sys/devices/system/cpu/possible", "%s\n", list), 0);
	cr_expect_eq(scx_cpu_width(&fs), 299 * 16 + 3 + 1);
	for (int g = 300; len < 5000; g++)
		len += (size_t)snprintf(list + len, sizeof(list) - len, ",%d-%d", g * 16, g * 16 + 3);
	cr_assert_eq(fstree_write(&t, "sys/devices/system/cpu/possible", "%s\n", list), 0);
	cr_expect_eq(scx_cpu_width(&fs), -EFBIG);
}
