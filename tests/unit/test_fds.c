// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * File descriptors: repeated load/free of every handle that reads the system leaves no
 * descriptor behind, and every descriptor the library holds while a handle lives is
 * close-on-exec.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include <scx/em.h>
#include <scx/log.h>
#include <scx/netdev.h>
#include <scx/pm.h>
#include <scx/kstate.h>
#include <scx/stats.h>
#include <scx/topo.h>

#include "../lib/fstree.h"
#include "../lib/sysgen.h"

#define ROUNDS 40
#define MAX_FDS 1024

static struct fstree tree;
static struct sysgen sg = { .nodes = 2, .llcs_per_node = 1, .cores_per_llc = 2, .threads = 2,
			    .pmqos = true };

static void quiet(enum scx_log_level level, const char *msg, void *ctx)
{
	(void)level;
	(void)msg;
	(void)ctx;
}

static void put(const char *path, const char *text)
{
	cr_assert_eq(fstree_write(&tree, path, "%s\n", text), 0, "cannot write %s", path);
}

static void setup(void)
{
	scx_log_fn_set(quiet, NULL);
	cr_assert_eq(fstree_init(&tree), 0);
	cr_assert_eq(sysgen_write(&tree, &sg), 0);
	put("proc/mounts", "debugfs /sys/kernel/debug debugfs rw 0 0");
	put("sys/kernel/debug/energy_model/cpu0/cpus", "0-7");
	put("sys/kernel/debug/energy_model/cpu0/ps:100/frequency", "100");
	put("sys/kernel/debug/energy_model/cpu0/ps:100/power", "10");
	put("sys/kernel/debug/energy_model/cpu0/ps:100/cost", "10");
	put("sys/kernel/sched_ext/state", "disabled");
	put("sys/kernel/sched_ext/root/ops", "");
	put("sys/class/net/eth0/device/numa_node", "0");
	put("sys/class/net/eth0/device/msi_irqs/30", "msi");
	put("proc/irq/30/smp_affinity", "ff");
	put("sys/devices/system/cpu/intel_pstate/no_turbo", "0");
	put("dev/cpu_dma_latency", "");
}

static void teardown(void)
{
	sysgen_fini(&sg);
	fstree_fini(&tree);
}

/* The open descriptors of this process, into @fds (sorted by the kernel); returns the count. */
static int list_fds(int *fds)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0, self;

	cr_assert_not_null(d);
	self = dirfd(d);
	while ((e = readdir(d)) && n < MAX_FDS) {
		int fd;

		if (e->d_name[0] == '.')
			continue;
		fd = atoi(e->d_name);
		if (fd != self)
			fds[n++] = fd;
	}
	closedir(d);
	return n;
}

static bool listed(const int *fds, int n, int fd)
{
	for (int i = 0; i < n; i++)
		if (fds[i] == fd)
			return true;
	return false;
}

/* Every descriptor open now that was not open in @before must be close-on-exec. */
static void expect_new_fds_cloexec(const int *before, int nb, const char *what)
{
	int now[MAX_FDS], n = list_fds(now), extra = 0;

	for (int i = 0; i < n; i++) {
		int flags;

		if (listed(before, nb, now[i]))
			continue;
		extra++;
		flags = fcntl(now[i], F_GETFD);
		cr_expect(flags >= 0 && (flags & FD_CLOEXEC), "%s: fd %d is not close-on-exec",
			  what, now[i]);
	}
	cr_log_info("%s holds %d descriptors", what, extra);
}

static void expect_same_count(int before, const char *what)
{
	int now[MAX_FDS];

	cr_expect_eq(list_fds(now), before, "%s: %d descriptors before %d rounds, %d after", what,
		     before, ROUNDS, list_fds(now));
}

TestSuite(fds, .init = setup, .fini = teardown);

Test(fds, topology_load_free)
{
	int before[MAX_FDS], nb = list_fds(before);
	SCX_OPTS(scx_topo_opts, opts, .sysfs_root = tree.root);

	for (int i = 0; i < ROUNDS; i++) {
		struct scx_topo *t = scx_topo_load(&opts);

		cr_assert_not_null(t, "load: %s", strerror(errno));
		if (!i)
			expect_new_fds_cloexec(before, nb, "a topology");
		scx_topo_free(t);
	}
	expect_same_count(nb, "topology");
}

Test(fds, energy_model_load_free)
{
	int before[MAX_FDS], nb = list_fds(before);
	SCX_OPTS(scx_em_opts, opts, .sysfs_root = tree.root);

	for (int i = 0; i < ROUNDS; i++) {
		struct scx_em *em = scx_em_load(&opts);

		cr_assert_not_null(em, "load: %s", strerror(errno));
		if (!i)
			expect_new_fds_cloexec(before, nb, "an energy model");
		scx_em_free(em);
	}
	expect_same_count(nb, "energy model");
}

Test(fds, kstate_read_free)
{
	int before[MAX_FDS], nb = list_fds(before);
	SCX_OPTS(scx_kstate_opts, opts, .sysfs_root = tree.root);

	for (int i = 0; i < ROUNDS; i++) {
		struct scx_kstate *ks = scx_kstate_load(&opts);

		cr_assert_not_null(ks, "read: %s", strerror(errno));
		if (!i)
			expect_new_fds_cloexec(before, nb, "a kernel state");
		scx_kstate_free(ks);
	}
	expect_same_count(nb, "kstate");
}

Test(fds, netdev_load_apply_restore_free)
{
	int before[MAX_FDS], nb = list_fds(before);
	SCX_OPTS(scx_netdev_opts, opts, .sysfs_root = tree.root, .allow_fake_root_writes = true);

	for (int i = 0; i < ROUNDS; i++) {
		struct scx_netdev *nd = scx_netdev_load(&opts);
		struct scx_cpumask *m;

		cr_assert_not_null(nd, "load: %s", strerror(errno));
		cr_assert_eq(scx_netdev_count(nd), 1);
		m = scx_netdev_irq_mask(nd, 0, 0);
		scx_cpumask_zero(m);
		scx_cpumask_set(m, (i % 8));
		cr_assert_geq(scx_netdev_apply(nd), 0);
		if (!i)
			expect_new_fds_cloexec(before, nb, "a netdev handle");
		cr_assert_geq(scx_netdev_restore(nd), 0);
		scx_netdev_free(nd);
	}
	expect_same_count(nb, "netdev");
}

Test(fds, pm_open_qos_free)
{
	int before[MAX_FDS], nb = list_fds(before);
	SCX_OPTS(scx_pm_opts, opts, .sysfs_root = tree.root, .allow_fake_root_writes = true);

	for (int i = 0; i < ROUNDS; i++) {
		struct scx_pm *pm = scx_pm_open(&opts);
		struct scx_pm_qos *q;
		int32_t lat;

		cr_assert_not_null(pm, "open: %s", strerror(errno));
		(void)scx_pm_resume_latency_get(pm, 0, &lat);
		(void)scx_pm_turbo_get(pm);
		q = scx_pm_qos_open(pm, 10);
		if (!i)
			expect_new_fds_cloexec(before, nb, "a pm handle with a QoS request");
		scx_pm_qos_close(q);
		scx_pm_close(pm);
	}
	expect_same_count(nb, "pm");
}

Test(fds, stats_client_new_connect_free)
{
	int before[MAX_FDS], nb = list_fds(before);
	const char *path = fstree_path(&tree, "nowhere.sock");
	SCX_OPTS(scx_stats_client_opts, opts, .path = path);

	for (int i = 0; i < ROUNDS; i++) {
		struct scx_stats_client *c = scx_stats_client_new(&opts);

		cr_assert_not_null(c);
		cr_expect_lt(scx_stats_client_connect(c), 0);
		scx_stats_client_free(c);
	}
	expect_same_count(nb, "stats client");
}
