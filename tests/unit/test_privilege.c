// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * Privilege and fake roots: every writer (IRQ affinity, PM QoS, resume latency, uncore, turbo,
 * EPP, restore of saved settings) refuses with -EROFS on a captured tree and leaves every file
 * as it was (contents and mtimes); and with the test override but without CAP_DAC_OVERRIDE /
 * CAP_DAC_READ_SEARCH on read-only files, each fails with -EACCES or -EPERM and a message that
 * names the capability.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include <scx/log.h>
#include <scx/netdev.h>
#include <scx/pm.h>

#include "../lib/damage.h"
#include "../lib/fstree.h"
#include "../lib/sysgen.h"

static struct fstree tree;
static struct sysgen sg = { .nodes = 1, .llcs_per_node = 1, .cores_per_llc = 2, .threads = 2,
			    .pmqos = true };
static char logged[8192];

static void keep_log(enum scx_log_level level, const char *msg, void *ctx)
{
	(void)level;
	(void)ctx;
	strncat(logged, msg, sizeof(logged) - strlen(logged) - 2);
	strcat(logged, "\n");
}

static void put(const char *path, const char *text)
{
	cr_assert_eq(fstree_write(&tree, path, "%s\n", text), 0, "cannot write %s", path);
}

static void setup(void)
{
	char path[256];

	scx_log_fn_set(keep_log, NULL);
	logged[0] = '\0';
	cr_assert_eq(fstree_init(&tree), 0);
	cr_assert_eq(sysgen_write(&tree, &sg), 0);
	put("sys/class/net/eth0/device/numa_node", "0");
	put("sys/class/net/eth0/device/msi_irqs/30", "msi");
	put("proc/irq/30/smp_affinity", "f");
	put("sys/devices/system/cpu/intel_pstate/no_turbo", "0");
	put("dev/cpu_dma_latency", "");
	for (int p = 0; p < 1; p++) {
		const char *u = "sys/devices/system/cpu/intel_uncore_frequency/package_00_die_00";
		static const char *const f[] = { "min_freq_khz", "max_freq_khz",
						  "initial_min_freq_khz", "initial_max_freq_khz" };
		static const char *const v[] = { "800000", "3000000", "800000", "3000000" };

		for (int i = 0; i < 4; i++) {
			snprintf(path, sizeof(path), "%s/%s", u, f[i]);
			put(path, v[i]);
		}
	}
	for (int c = 0; c < 4; c++) {
		snprintf(path, sizeof(path),
			 "sys/devices/system/cpu/cpufreq/policy%d/energy_performance_preference", c);
		put(path, "balance_performance");
		snprintf(path, sizeof(path), "sys/devices/system/cpu/cpufreq/policy%d/"
			 "energy_performance_available_preferences", c);
		put(path, "default performance balance_performance balance_power power");
		snprintf(path, sizeof(path), "sys/devices/system/cpu/cpufreq/policy%d/"
			 "scaling_governor", c);
		put(path, "powersave");
	}
}

static void teardown(void)
{
	sysgen_fini(&sg);
	fstree_fini(&tree);
}

TestSuite(privilege, .init = setup, .fini = teardown);

/* ---- a snapshot of every file: path, size, mtime, contents ------------------------------ */

struct snap {
	char *text;	/* "path size mtime crc" lines */
	size_t len, cap;
};

static struct snap *cur_snap;

static unsigned long crc_file(const char *path)
{
	unsigned long h = 5381;
	char buf[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < n; i++)
			h = h * 33 + (unsigned char)buf[i];
	close(fd);
	return h;
}

static int snap_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	char line[4096 + 128];
	int n;

	(void)ftw;
	if (type != FTW_F)
		return 0;
	n = snprintf(line, sizeof(line), "%s %lld %lld.%09ld %lx\n", path, (long long)st->st_size,
		     (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec, crc_file(path));
	if (cur_snap->len + (size_t)n + 1 > cur_snap->cap) {
		cur_snap->cap = (cur_snap->cap + (size_t)n + 1) * 2;
		cur_snap->text = realloc(cur_snap->text, cur_snap->cap);
		cr_assert_not_null(cur_snap->text);
	}
	memcpy(cur_snap->text + cur_snap->len, line, (size_t)n + 1);
	cur_snap->len += (size_t)n;
	return 0;
}

static void take_snap(struct snap *s)
{
	memset(s, 0, sizeof(*s));
	cur_snap = s;
	cr_assert_eq(nftw(tree.root, snap_one, 16, FTW_PHYS), 0);
}

/* ---- the writers -------------------------------------------------------------------------- */

struct verdicts {
	int netdev_apply, qos, resume, uncore, turbo, epp, restore;
};

static void run_writers(bool allow, struct verdicts *v)
{
	SCX_OPTS(scx_netdev_opts, nopts, .sysfs_root = tree.root, .allow_fake_root_writes = allow);
	SCX_OPTS(scx_pm_opts, popts, .sysfs_root = tree.root, .allow_fake_root_writes = allow);
	struct scx_netdev *nd = scx_netdev_load(&nopts);
	struct scx_pm *pm = scx_pm_open(&popts);
	struct scx_pm_snapshot *saved;
	struct scx_pm_qos *q;
	struct scx_cpumask *m;

	cr_assert_not_null(nd, "netdev load: %s", strerror(errno));
	cr_assert_not_null(pm, "pm open: %s", strerror(errno));
	saved = scx_pm_snapshot_load(pm, SCX_PM_SNAPSHOT_ALL);
	cr_assert_not_null(saved, "pm save: %s", strerror(errno));
	m = scx_netdev_irq_mask(nd, 0, 0);
	cr_assert_not_null(m);
	scx_cpumask_zero(m);
	scx_cpumask_set(m, 1);
	v->netdev_apply = scx_netdev_apply(nd);
	q = scx_pm_qos_open(pm, 5);
	v->qos = q ? 0 : -errno;
	scx_pm_qos_close(q);
	v->resume = scx_pm_resume_latency_set(pm, 1, 20);
	v->uncore = scx_pm_uncore_set(pm, 0, 0, 1000000, 2000000);
	v->turbo = scx_pm_turbo_set(pm, false);
	v->epp = scx_pm_epp_set(pm, 0, "power");
	v->restore = scx_pm_restore(pm, saved);
	scx_pm_snapshot_free(saved);
	scx_pm_close(pm);
	scx_netdev_free(nd);
}

Test(privilege, fake_root_refuses_every_write_and_changes_nothing)
{
	struct verdicts v;
	struct snap before, after;

	take_snap(&before);
	sleep(0);
	run_writers(false, &v);
	take_snap(&after);
	cr_expect_eq(v.netdev_apply, -EROFS, "IRQ affinity: %d", v.netdev_apply);
	cr_expect_eq(v.qos, -EROFS, "PM QoS: %d", v.qos);
	cr_expect_eq(v.resume, -EROFS, "resume latency: %d", v.resume);
	cr_expect_eq(v.uncore, -EROFS, "uncore: %d", v.uncore);
	cr_expect_eq(v.turbo, -EROFS, "turbo: %d", v.turbo);
	cr_expect_eq(v.epp, -EROFS, "EPP: %d", v.epp);
	cr_expect_leq(v.restore, 0, "restore: %d", v.restore);
	cr_expect_str_eq(after.text, before.text, "the captured tree changed");
	cr_expect(strstr(logged, "not this system") != NULL, "no refusal message: %s", logged);
	free(before.text);
	free(after.text);
}

static int chmod_ro(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_F)
		chmod(path, 0444);
	return 0;
}

static bool eperm(int ret)
{
	return ret == -EACCES || ret == -EPERM;
}

Test(privilege, without_capabilities_writes_fail_naming_the_capability)
{
	pid_t pid;
	int status;

	cr_assert_eq(nftw(tree.root, chmod_ro, 16, FTW_PHYS), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (!pid) {
		struct verdicts v;
		int bad = 0;

		if (damage_drop_dac())
			_exit(100);
		logged[0] = '\0';
		run_writers(true, &v);
		bad |= !eperm(v.netdev_apply) << 0;
		bad |= !eperm(v.qos) << 1;
		bad |= !eperm(v.resume) << 2;
		bad |= !eperm(v.uncore) << 3;
		bad |= !eperm(v.turbo) << 4;
		bad |= !eperm(v.epp) << 5;
		bad |= !strstr(logged, "CAP_DAC_OVERRIDE") << 6;
		if (bad)
			fprintf(stderr, "verdicts %d %d %d %d %d %d\nlog:\n%s\n", v.netdev_apply, v.qos,
				v.resume, v.uncore, v.turbo, v.epp, logged);
		_exit(bad);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status), "the child crashed");
	cr_expect_eq(WEXITSTATUS(status), 0,
		     "writers that did not fail with EACCES/EPERM (bits: netdev, qos, resume, "
		     "uncore, turbo, epp, message): 0x%x", WEXITSTATUS(status));
}
