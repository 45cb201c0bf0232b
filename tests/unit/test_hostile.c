// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * Malformed machines: every public reader of the system (topology, energy model, kernel
 * state, NIC IRQs, power management) on damaged copies of good trees (generated ones and the
 * real snapshots in ../shared when present).  Each damaged tree is read in a forked child under
 * a time limit and (outside sanitizers and valgrind) an address-space limit; the child must
 * end normally, with every reader returning either a handle whose accessors answer or NULL
 * with a documented errno.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include <scx/em.h>
#include <scx/log.h>
#include <scx/netdev.h>
#include <scx/pm.h>
#include <scx/kstate.h>
#include <scx/topo.h>

#include "../lib/damage.h"
#include "../lib/fstree.h"
#include "../lib/sysgen.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define UNDER_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_SANITIZER 1
#endif
#endif

static const char *const prefixes[] = { "sys/devices/system/cpu/", "sys/devices/system/node/",
					"sys/kernel/", "sys/class/net/", "proc/irq/",
					"proc/mounts", NULL };

static void quiet(enum scx_log_level level, const char *msg, void *ctx)
{
	(void)level;
	(void)msg;
	(void)ctx;
}

static int fails;

#define EXPECT(cond, ...)                                                                          \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, __VA_ARGS__);                                              \
			fputc('\n', stderr);                                                       \
			fails++;                                                                   \
		}                                                                                  \
	} while (0)

static bool errno_in(int e, const int *ok)
{
	for (; *ok; ok++)
		if (e == *ok)
			return true;
	return false;
}

static void read_topology(const char *root)
{
	static const int ok[] = { EINVAL, ENOENT, ENOTDIR, ENODEV, ENOMEM, 0 };
	SCX_OPTS(scx_topo_opts, opts, .sysfs_root = root);
	struct scx_topo *t = scx_topo_load(&opts);

	if (!t) {
		EXPECT(errno_in(errno, ok), "topology: undocumented errno %d (%s)", errno,
		       strerror(errno));
		return;
	}
	int n = scx_topo_nr_cpu_ids(t);

	EXPECT(n > 0, "topology: %d CPU ids", n);
	EXPECT(scx_topo_nr_llcs(t) >= 0 && scx_topo_nr_nodes(t) >= 0, "topology: counts");
	for (int cpu = 0; cpu < n; cpu++) {
		if (!scx_topo_cpu_online(t, cpu))
			continue;
		EXPECT(scx_topo_cpu_core(t, cpu) >= 0 && scx_topo_cpu_llc(t, cpu) >= 0 &&
			       scx_topo_cpu_node(t, cpu) >= 0,
		       "topology: online CPU %d without core/LLC/node", cpu);
	}
	/* the details, read from the damaged tree on first use */
	for (int cpu = 0; cpu < n; cpu++) {
		int cap, type, min;

		if (!scx_topo_cpu_online(t, cpu))
			continue;
		cap = scx_topo_cpu_capacity(t, cpu);
		type = scx_topo_cpu_core_type(t, cpu);
		min = scx_topo_cpu_min_freq(t, cpu);
		EXPECT(cap >= 1 && cap <= 1024, "topology: CPU %d capacity %d", cpu, cap);
		EXPECT(type >= SCX_TOPO_CORE_LITTLE && type <= SCX_TOPO_CORE_TURBO,
		       "topology: CPU %d core type %d", cpu, type);
		EXPECT(min >= 0 || min == -ENOENT, "topology: CPU %d min freq %d", cpu, min);
	}
	EXPECT(scx_topo_primary(t, SCX_TOPO_POWER_PERFORMANCE) != NULL, "topology: primary mask");
	scx_topo_free(t);
}

static void read_em(const char *root)
{
	static const int ok[] = { EINVAL, ENOENT, ENODATA, EACCES, ENOMEM, 0 };
	SCX_OPTS(scx_em_opts, opts, .sysfs_root = root);
	struct scx_em *em = scx_em_load(&opts);

	if (!em) {
		EXPECT(errno_in(errno, ok), "energy model: undocumented errno %d (%s)", errno,
		       strerror(errno));
		return;
	}
	for (int d = 0; d < scx_em_nr_domains(em); d++)
		EXPECT(scx_em_pstate_for_util(em, (unsigned int)d, 512) >= 0, "energy model: util");
	scx_em_free(em);
}

static void read_kstate(const char *root)
{
	static const int ok[] = { EINVAL, ENOENT, ENOTDIR, ENOMEM, 0 };
	SCX_OPTS(scx_kstate_opts, opts, .sysfs_root = root);
	struct scx_kstate *ks = scx_kstate_load(&opts);

	if (!ks) {
		EXPECT(errno_in(errno, ok), "kstate: undocumented errno %d (%s)", errno,
		       strerror(errno));
		return;
	}
	(void)scx_kstate_state(ks);
	(void)scx_kstate_ops(ks);
	(void)scx_kstate_enabled(ks);
	scx_kstate_free(ks);
}

static void read_netdev(const char *root)
{
	static const int ok[] = { EINVAL, ENOENT, ENOTDIR, EACCES, ENOMEM, 0 };
	SCX_OPTS(scx_netdev_opts, opts, .sysfs_root = root);
	struct scx_netdev *nd = scx_netdev_load(&opts);

	if (!nd) {
		EXPECT(errno_in(errno, ok), "netdev: undocumented errno %d (%s)", errno,
		       strerror(errno));
		return;
	}
	for (int d = 0; d < scx_netdev_count(nd); d++)
		for (int i = 0; i < scx_netdev_nr_irqs(nd, (unsigned int)d); i++)
			EXPECT(scx_netdev_irq_affinity(nd, (unsigned int)d, (unsigned int)i),
			       "netdev: no affinity");
	/* a captured tree: writes must be refused */
	EXPECT(scx_netdev_apply(nd) <= 0, "netdev: applied under a fake root");
	scx_netdev_free(nd);
}

static void read_pm(const char *root)
{
	static const int ok[] = { EINVAL, ENOENT, ENOTDIR, ENOMEM, 0 };
	SCX_OPTS(scx_pm_opts, opts, .sysfs_root = root);
	struct scx_pm *pm = scx_pm_open(&opts);
	char buf[64];
	int32_t lat;

	if (!pm) {
		EXPECT(errno_in(errno, ok), "pm: undocumented errno %d (%s)", errno,
		       strerror(errno));
		return;
	}
	for (unsigned int cpu = 0; cpu < 4; cpu++) {
		(void)scx_pm_resume_latency_get(pm, cpu, &lat);
		(void)scx_pm_epp_get(pm, cpu, buf, sizeof(buf));
		(void)scx_pm_epp_available(pm, cpu, buf, sizeof(buf));
	}
	(void)scx_pm_turbo_get(pm);
	EXPECT(scx_pm_turbo_set(pm, true) < 0, "pm: wrote under a fake root");
	scx_pm_close(pm);
}

/* In a child: read @root with every reader.  Returns the child's verdict (0: fine). */
static int read_all_in_child(const char *root, bool drop_dac)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -1;
	if (!pid) {
		alarm(20);
#ifndef UNDER_SANITIZER
		if (!getenv("SCX_TEST_WRAPPER") || !*getenv("SCX_TEST_WRAPPER")) {
			struct rlimit rl = { 1ul << 30, 1ul << 30 };

			setrlimit(RLIMIT_AS, &rl);
		}
#endif
		if (drop_dac && damage_drop_dac())
			_exit(3);
		scx_log_fn_set(quiet, NULL);
		read_topology(root);
		read_em(root);
		read_kstate(root);
		read_netdev(root);
		read_pm(root);
		_exit(fails ? 1 : 0);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* Files damaged per tree: fewer under a wrapper such as valgrind, which is slow to fork. */
static size_t files_per_tree(size_t normal)
{
	const char *w = getenv("SCX_TEST_WRAPPER");

	return w && *w ? normal / 8 + 1 : normal;
}

/* Every kind of damage on up to @max_files files of @root; returns the number of trees read. */
static int damage_all(const char *root, size_t max_files, const char *label)
{
	char **files;
	int n = damage_list_files(root, prefixes, max_files, &files), trees = 0;

	cr_assert_gt(n, 0, "%s: no files to damage", label);
	cr_assert_eq(read_all_in_child(root, false), 0, "%s: the undamaged tree fails", label);
	for (int i = 0; i < n; i++) {
		for (int k = 0; k < DMG_NR; k++) {
			int ret;

			if (damage_apply(root, files[i], (enum damage_kind)k, (unsigned int)i))
				continue;	/* not applicable (no cpuN component, ...) */
			ret = read_all_in_child(root, k == DMG_UNREADABLE);
			cr_expect_eq(ret, 0, "%s: %s damaged (%s): child ended with %d", label,
				     files[i], damage_name((enum damage_kind)k), ret);
			cr_assert_eq(damage_undo(root, files[i], (enum damage_kind)k), 0,
				     "%s: cannot undo %s on %s", label,
				     damage_name((enum damage_kind)k), files[i]);
			trees++;
		}
	}
	damage_free_list(files, n);
	damage_cleanup(root);
	return trees;
}

/* Write @text to the file named by @fmt. */
static void put(struct fstree *t, const char *text, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void put(struct fstree *t, const char *text, const char *fmt, ...)
{
	char path[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	cr_assert_eq(fstree_write(t, path, "%s\n", text), 0, "cannot write %s", path);
}

/* The parts of a machine the generated topology trees lack. */
static void add_other_parts(struct fstree *t)
{
	const char *em = "sys/kernel/debug/energy_model";
	char num[32];

	put(t, "debugfs /sys/kernel/debug debugfs rw 0 0", "proc/mounts");
	put(t, "disabled", "sys/kernel/sched_ext/state");
	put(t, "", "sys/kernel/sched_ext/root/ops");
	put(t, "0", "sys/kernel/sched_ext/nr_rejected");
	put(t, "3", "sys/kernel/sched_ext/enable_seq");
	put(t, "1", "sys/kernel/sched_ext/hotplug_seq");
	put(t, "0-3", "%s/cpu0/cpus", em);
	put(t, "4-7", "%s/cpu4/cpus", em);
	for (int d = 0; d < 8; d += 4) {
		for (int s = 1; s <= 2; s++) {
			snprintf(num, sizeof(num), "%d00000", s);
			put(t, num, "%s/cpu%d/ps:%d00000/frequency", em, d, s);
			snprintf(num, sizeof(num), "%d", 100 * s);
			put(t, num, "%s/cpu%d/ps:%d00000/power", em, d, s);
			snprintf(num, sizeof(num), "%d", 150 * s);
			put(t, num, "%s/cpu%d/ps:%d00000/cost", em, d, s);
			snprintf(num, sizeof(num), "%d", 512 * s);
			put(t, num, "%s/cpu%d/ps:%d00000/performance", em, d, s);
		}
	}
	put(t, "0", "sys/class/net/eth0/device/numa_node");
	put(t, "msi", "sys/class/net/eth0/device/msi_irqs/40");
	put(t, "msi", "sys/class/net/eth0/device/msi_irqs/41");
	put(t, "ff", "proc/irq/40/smp_affinity");
	put(t, "01", "proc/irq/40/affinity_hint");
	put(t, "0f", "proc/irq/41/smp_affinity");
	put(t, "00", "proc/irq/41/affinity_hint");
	put(t, "0", "sys/devices/system/cpu/intel_pstate/no_turbo");
	for (int c = 0; c < 8; c++) {
		put(t, "0", "sys/devices/system/cpu/cpu%d/power/pm_qos_resume_latency_us", c);
		put(t, "balance_performance",
		    "sys/devices/system/cpu/cpufreq/policy%d/energy_performance_preference", c);
		put(t, "default performance balance_performance power",
		    "sys/devices/system/cpu/cpufreq/policy%d/energy_performance_available_preferences",
		    c);
	}
}

Test(hostile, generated_trees, .timeout = 600)
{
	struct fstree t;
	struct sysgen sg = { .nodes = 2, .llcs_per_node = 1, .cores_per_llc = 2, .threads = 2,
			     .pmqos = true };
	int trees;

	cr_assert_eq(fstree_init(&t), 0);
	cr_assert_eq(sysgen_write(&t, &sg), 0);
	add_other_parts(&t);
	trees = damage_all(t.root, files_per_tree(90), "generated");
	cr_log_info("damaged generated trees read: %d", trees);
	fprintf(stderr, "# damaged generated trees read: %d\n", trees);
	cr_expect_gt(trees, (int)files_per_tree(90) * 4);
	sysgen_fini(&sg);
	fstree_fini(&t);
}

Test(hostile, real_snapshots, .timeout = 900)
{
	static const char *const names[] = { "8em64t-2s2ca2c", "20em64t-hybrid-1p6c2t+2ca4co1t",
					     "2arm-2c", "16amd64-8n2c" };
	const char *dir = fstree_shared_fixtures();
	int trees = 0, unpacked = 0;

	if (!dir)
		cr_skip_test("no real-machine snapshots in ../shared");
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct fstree t;
		char cmd[2048], path[1024];

		cr_assert_eq(fstree_init(&t), 0);
		snprintf(cmd, sizeof(cmd), "tar xjf '%s/%s.tar.bz2' -C '%s' '%s/sys/devices/system'"
			 " 2>/dev/null", dir, names[i], t.root, names[i]);
		if (system(cmd)) {
			fstree_fini(&t);
			continue;
		}
		unpacked++;
		snprintf(path, sizeof(path), "%s/%s", t.root, names[i]);
		trees += damage_all(path, files_per_tree(40), names[i]);
		fstree_fini(&t);
	}
	if (!unpacked)
		cr_skip_test("none of the snapshots unpacked");
	cr_log_info("damaged snapshot trees read: %d", trees);
	fprintf(stderr, "# damaged snapshot trees read: %d\n", trees);
	cr_expect_gt(trees, (int)files_per_tree(40) * 4);
}

/* The unreadable-file damage means something: without the DAC capabilities root cannot read. */
Test(hostile, dropping_dac_denies_reads)
{
	struct fstree t;
	pid_t pid;
	int status;

	cr_assert_eq(fstree_init(&t), 0);
	cr_assert_eq(fstree_write(&t, "f", "x\n"), 0);
	cr_assert_eq(damage_apply(t.root, "f", DMG_UNREADABLE, 0), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (!pid) {
		if (damage_drop_dac())
			_exit(2);
		_exit(open(fstree_path(&t, "f"), O_RDONLY | O_CLOEXEC) < 0 && errno == EACCES ? 0
											    : 1);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0, "a chmod 0 file stayed readable");
	cr_assert_eq(damage_undo(t.root, "f", DMG_UNREADABLE), 0);
	fstree_fini(&t);
}
