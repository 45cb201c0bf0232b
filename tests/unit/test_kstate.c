// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/* /sys/kernel/sched_ext snapshots on generated trees. */
#include <criterion/criterion.h>
#include <errno.h>

#include <scx/kstate.h>
#include <scx/log.h>

#include "../lib/fstree.h"

static struct fstree t;

static void quiet(enum scx_log_level l, const char *m, void *c)
{
}

static void setup(void)
{
	cr_assert_eq(fstree_init(&t), 0);
	scx_log_fn_set(quiet, NULL);
}

static void teardown(void)
{
	fstree_fini(&t);
}

TestSuite(state, .init = setup, .fini = teardown);

Test(state, running_scheduler)
{
	struct scx_kstate *ks;
	uint64_t v;

	fstree_write(&t, "sys/kernel/sched_ext/state", "enabled\n");
	fstree_write(&t, "sys/kernel/sched_ext/switch_all", "1\n");
	fstree_write(&t, "sys/kernel/sched_ext/nr_rejected", "3\n");
	fstree_write(&t, "sys/kernel/sched_ext/hotplug_seq", "12\n");
	fstree_write(&t, "sys/kernel/sched_ext/enable_seq", "5\n");
	fstree_write(&t, "sys/kernel/sched_ext/root/ops", "simple_1.0.0_g1234\n");
	SCX_OPTS(scx_kstate_opts, opts, .sysfs_root = t.root);
	ks = scx_kstate_load(&opts);
	cr_assert_not_null(ks);
	cr_assert(scx_kstate_supported(ks));
	cr_assert(scx_kstate_enabled(ks));
	cr_assert_str_eq(scx_kstate_state(ks), "enabled");
	cr_assert_str_eq(scx_kstate_ops(ks), "simple_1.0.0_g1234");
	cr_assert_eq(scx_kstate_value(ks, SCX_KSTATE_SWITCH_ALL, &v), 0);
	cr_assert_eq(v, 1);
	cr_assert_eq(scx_kstate_value(ks, SCX_KSTATE_NR_REJECTED, &v), 0);
	cr_assert_eq(v, 3);
	cr_assert_eq(scx_kstate_value(ks, SCX_KSTATE_HOTPLUG_SEQ, &v), 0);
	cr_assert_eq(v, 12);
	cr_assert_eq(scx_kstate_value(ks, SCX_KSTATE_ENABLE_SEQ, &v), 0);
	cr_assert_eq(v, 5);
	cr_assert_eq(scx_kstate_value(ks, (enum scx_kstate_field)9, &v), -EINVAL);
	cr_assert_eq(scx_kstate_value(NULL, SCX_KSTATE_ENABLE_SEQ, &v), -EINVAL);
	scx_kstate_free(ks);
}

Test(state, disabled_without_ops_and_missing_counter)
{
	struct scx_kstate *ks;
	uint64_t v = 77;

	fstree_write(&t, "sys/kernel/sched_ext/state", "disabled\n");
	fstree_write(&t, "sys/kernel/sched_ext/switch_all", "0\n");
	fstree_write(&t, "sys/kernel/sched_ext/enable_seq", "garbage\n");
	SCX_OPTS(scx_kstate_opts, opts, .sysfs_root = t.root);
	ks = scx_kstate_load(&opts);
	cr_assert_not_null(ks);
	cr_assert(scx_kstate_supported(ks));
	cr_assert_not(scx_kstate_enabled(ks));
	cr_assert_null(scx_kstate_ops(ks));
	cr_assert_eq(scx_kstate_value(ks, SCX_KSTATE_HOTPLUG_SEQ, &v), -ENOENT);
	cr_assert_eq(errno, ENOENT);
	cr_assert_eq(scx_kstate_value(ks, SCX_KSTATE_ENABLE_SEQ, &v), -ENOENT);
	cr_assert_eq(v, 77);
	scx_kstate_free(ks);
}

Test(state, kernel_without_sched_ext)
{
	struct scx_kstate *ks;
	uint64_t v;

	fstree_mkdir(&t, "sys/kernel");
	SCX_OPTS(scx_kstate_opts, opts, .sysfs_root = t.root);
	ks = scx_kstate_load(&opts);
	cr_assert_not_null(ks);
	cr_assert_not(scx_kstate_supported(ks));
	cr_assert_null(scx_kstate_state(ks));
	cr_assert_eq(scx_kstate_value(ks, SCX_KSTATE_SWITCH_ALL, &v), -ENOENT);
	scx_kstate_free(ks);
}

Test(state, bad_root_is_enoent)
{
	SCX_OPTS(scx_kstate_opts, opts, .sysfs_root = "/nonexistent/x");

	cr_assert_null(scx_kstate_load(&opts));
	cr_assert_eq(errno, ENOENT);
}

/* A caller built against a newer libscx with a bigger options struct. */
struct scx_kstate_opts_v2 {
	size_t sz;
	const char *sysfs_root;
	long future;
};

Test(state, newer_opts_with_unknown_fields_are_rejected)
{
	struct scx_kstate_opts_v2 o = { .sz = sizeof(o), .sysfs_root = t.root, .future = 1 };
	struct scx_kstate *ks;

	cr_assert_null(scx_kstate_load((const struct scx_kstate_opts *)&o));
	cr_assert_eq(errno, EINVAL);
	o.future = 0;
	ks = scx_kstate_load((const struct scx_kstate_opts *)&o);
	cr_assert_not_null(ks, "zero tail bytes of a newer struct are fine");
	scx_kstate_free(ks);
}

Test(state, older_opts_are_accepted)
{
	struct { size_t sz; } o = { .sz = sizeof(o) };
	struct scx_kstate *ks;

	/* An older caller that knew no fields: the default root is used. */
	ks = scx_kstate_load((const struct scx_kstate_opts *)&o);
	cr_assert_not_null(ks);
	scx_kstate_free(ks);
}

Test(state, bad_sz_is_rejected)
{
	struct scx_kstate_opts o = { .sz = 3 };

	cr_assert_null(scx_kstate_load(&o));
	cr_assert_eq(errno, EINVAL);
}

Test(state, free_null)
{
	scx_kstate_free(NULL);
	cr_assert_not(scx_kstate_supported(NULL));
	cr_assert_null(scx_kstate_ops(NULL));
}
