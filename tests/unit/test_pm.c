// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/* Power-management knobs and save/restore on generated trees and on this machine. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <scx/log.h>
#include <scx/pm.h>

#include "../lib/fstree.h"

static struct fstree t;
static char last_msg[512];

#define CPU "sys/devices/system/cpu"
#define UNC CPU "/intel_uncore_frequency"

static void keep_msg(enum scx_log_level l, const char *m, void *c)
{
	snprintf(last_msg, sizeof(last_msg), "%s", m);
}

static void setup(void)
{
	cr_assert_eq(fstree_init(&t), 0);
	scx_log_fn_set(keep_msg, NULL);
	last_msg[0] = '\0';
}

static void teardown(void)
{
	fstree_fini(&t);
}

TestSuite(pm, .init = setup, .fini = teardown);

/* A file's whole content. */
static char *slurp(const char *rel)
{
	static char buf[4096];
	FILE *f = fopen(fstree_path(&t, rel), "r");
	size_t n;

	cr_assert_not_null(f, "%s", rel);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static void machine(void)
{
	int cpu;

	fstree_write(&t, CPU "/possible", "0-3\n");
	for (cpu = 0; cpu < 4; cpu++) {
		char p[256];

		snprintf(p, sizeof(p), CPU "/cpu%d/power/pm_qos_resume_latency_us", cpu);
		fstree_write(&t, p, cpu == 2 ? "n/a\n" : cpu == 3 ? "25\n" : "0\n");
		snprintf(p, sizeof(p), CPU "/cpufreq/policy%d/energy_performance_preference", cpu);
		fstree_write(&t, p, cpu ? "balance_performance\n" : "balance_power\n");
		snprintf(p, sizeof(p), CPU "/cpufreq/policy%d/energy_performance_available_preferences",
			 cpu);
		fstree_write(&t, p, "default performance balance_performance balance_power power \n");
	}
	fstree_write(&t, CPU "/intel_pstate/no_turbo", "0\n");
	fstree_write(&t, UNC "/package_00_die_00/min_freq_khz", "800000\n");
	fstree_write(&t, UNC "/package_00_die_00/max_freq_khz", "2400000\n");
	fstree_write(&t, UNC "/package_00_die_00/initial_min_freq_khz", "800000\n");
	fstree_write(&t, UNC "/package_00_die_00/initial_max_freq_khz", "2400000\n");
	fstree_write(&t, UNC "/package_01_die_00/min_freq_khz", "1000000\n");
	fstree_write(&t, UNC "/package_01_die_00/max_freq_khz", "2000000\n");
	fstree_write(&t, "dev/cpu_dma_latency", "%s", "");
}

static struct scx_pm *open_tree(bool writes)
{
	SCX_OPTS(scx_pm_opts, opts, .sysfs_root = t.root, .allow_fake_root_writes = writes);
	struct scx_pm *pm = scx_pm_open(&opts);

	cr_assert_not_null(pm, "scx_pm_open: %s", strerror(errno));
	return pm;
}

Test(pm, supported_follows_the_files)
{
	struct scx_pm *pm;

	fstree_mkdir(&t, CPU);
	pm = open_tree(false);
	cr_assert_not(scx_pm_supported(pm, SCX_PM_QOS_LATENCY));
	cr_assert_not(scx_pm_supported(pm, SCX_PM_RESUME_LATENCY));
	cr_assert_not(scx_pm_supported(pm, SCX_PM_UNCORE));
	cr_assert_not(scx_pm_supported(pm, SCX_PM_TURBO));
	cr_assert_not(scx_pm_supported(pm, SCX_PM_EPP));
	cr_assert_eq(scx_pm_turbo_get(pm), -EOPNOTSUPP);
	cr_assert_eq(scx_pm_turbo_set(pm, true), -EOPNOTSUPP);
	scx_pm_close(pm);
	machine();
	pm = open_tree(false);
	cr_assert(scx_pm_supported(pm, SCX_PM_QOS_LATENCY));
	cr_assert(scx_pm_supported(pm, SCX_PM_RESUME_LATENCY));
	cr_assert(scx_pm_supported(pm, SCX_PM_UNCORE));
	cr_assert(scx_pm_supported(pm, SCX_PM_TURBO));
	cr_assert(scx_pm_supported(pm, SCX_PM_EPP));
	cr_assert_not(scx_pm_supported(pm, (enum scx_pm_feature)77));
	cr_assert_not(scx_pm_supported(NULL, SCX_PM_EPP));
	scx_pm_close(pm);
}

Test(pm, resume_latency_values)
{
	struct scx_pm *pm;
	int32_t v;

	machine();
	pm = open_tree(true);
	cr_assert_eq(scx_pm_resume_latency_get(pm, 0, &v), 0);
	cr_assert_eq(v, 0);
	cr_assert_eq(scx_pm_resume_latency_get(pm, 2, &v), 0);
	cr_assert_eq(v, SCX_PM_RESUME_LATENCY_NONE);
	cr_assert_eq(scx_pm_resume_latency_get(pm, 3, &v), 0);
	cr_assert_eq(v, 25);
	cr_assert_eq(scx_pm_resume_latency_get(pm, 9, &v), -ENOENT);
	cr_assert_eq(scx_pm_resume_latency_get(pm, -1, &v), -EINVAL, "negative CPU id");
	cr_assert_eq(scx_pm_resume_latency_set(pm, -1, 5), -EINVAL);
	cr_assert_eq(scx_pm_resume_latency_set(pm, 1, 17), 0);
	cr_assert_str_eq(slurp(CPU "/cpu1/power/pm_qos_resume_latency_us"), "17");
	cr_assert_eq(scx_pm_resume_latency_set(pm, 1, SCX_PM_RESUME_LATENCY_NONE), 0);
	cr_assert_str_eq(slurp(CPU "/cpu1/power/pm_qos_resume_latency_us"), "n/a");
	cr_assert_eq(scx_pm_resume_latency_set(pm, 1, -2), -EINVAL);
	cr_assert_eq(scx_pm_resume_latency_set(pm, 9, 5), -ENOENT);
	fstree_write(&t, CPU "/cpu0/power/pm_qos_resume_latency_us", "soon\n");
	cr_assert_eq(scx_pm_resume_latency_get(pm, 0, &v), -EINVAL);
	scx_pm_close(pm);
}

Test(pm, captured_tree_refuses_every_change)
{
	struct scx_pm *pm;
	int ret;

	machine();
	pm = open_tree(false);
	cr_assert_eq(scx_pm_resume_latency_set(pm, 0, 5), -EROFS);
	cr_assert_eq(errno, EROFS);
	cr_assert(strstr(last_msg, "not this system"), "%s", last_msg);
	cr_assert_eq(scx_pm_uncore_set(pm, 0, 0, 900000, 0), -EROFS);
	cr_assert_eq(scx_pm_turbo_set(pm, false), -EROFS);
	cr_assert_eq(scx_pm_epp_set(pm, 0, "power"), -EROFS);
	cr_assert_null(scx_pm_qos_open(pm, 10));
	cr_assert_eq(errno, EROFS);
	ret = scx_pm_restore(pm, NULL);
	cr_assert_eq(ret, -EINVAL);
	cr_assert_str_eq(slurp(CPU "/cpu0/power/pm_qos_resume_latency_us"), "0\n");
	cr_assert_str_eq(slurp(UNC "/package_00_die_00/min_freq_khz"), "800000\n");
	cr_assert_str_eq(slurp(CPU "/intel_pstate/no_turbo"), "0\n");
	cr_assert_str_eq(slurp(CPU "/cpufreq/policy0/energy_performance_preference"),
			 "balance_power\n");
	cr_assert_str_eq(slurp("dev/cpu_dma_latency"), "");
	scx_pm_close(pm);
}

Test(pm, uncore_limits)
{
	struct scx_pm_uncore u;
	struct scx_pm *pm;

	machine();
	pm = open_tree(true);
	cr_assert_eq(scx_pm_uncore_get(pm, 0, 0, &u), 0);
	cr_assert_eq(u.min_khz, 800000);
	cr_assert_eq(u.max_khz, 2400000);
	cr_assert_eq(u.initial_min_khz, 800000);
	cr_assert_eq(u.initial_max_khz, 2400000);
	cr_assert_eq(scx_pm_uncore_get(pm, 1, 0, &u), 0);
	cr_assert_eq(u.initial_max_khz, 0, "absent initial limits read as 0");
	cr_assert_eq(scx_pm_uncore_get(pm, 2, 0, &u), -ENOENT);
	cr_assert_eq(scx_pm_uncore_set(pm, 0, 0, 1200000, 1600000), 0);
	cr_assert_str_eq(slurp(UNC "/package_00_die_00/min_freq_khz"), "1200000");
	cr_assert_str_eq(slurp(UNC "/package_00_die_00/max_freq_khz"), "1600000");
	cr_assert_eq(scx_pm_uncore_set(pm, 0, 0, 0, 2000000), 0);
	cr_assert_str_eq(slurp(UNC "/package_00_die_00/min_freq_khz"), "1200000");
	cr_assert_str_eq(slurp(UNC "/package_00_die_00/max_freq_khz"), "2000000");
	cr_assert_eq(scx_pm_uncore_set(pm, 0, 0, 1700000, 1600000), -EINVAL);
	cr_assert_eq(scx_pm_uncore_set(pm, 0, 0, 2100000, 0), -EINVAL, "min above current max");
	cr_assert_eq(scx_pm_uncore_set(pm, 0, 0, 0, 1000000), -EINVAL, "max below current min");
	cr_assert_eq(scx_pm_uncore_set(pm, 5, 0, 0, 1000000), -ENOENT);
	cr_assert_str_eq(slurp(UNC "/package_00_die_00/max_freq_khz"), "2000000");
	fstree_write(&t, UNC "/package_01_die_00/max_freq_khz", "fast\n");
	cr_assert_eq(scx_pm_uncore_get(pm, 1, 0, &u), -EINVAL);
	scx_pm_close(pm);
}

Test(pm, turbo_through_no_turbo_and_boost)
{
	struct scx_pm *pm;

	machine();
	pm = open_tree(true);
	cr_assert_eq(scx_pm_turbo_get(pm), 1);
	cr_assert_eq(scx_pm_turbo_set(pm, false), 0);
	cr_assert_str_eq(slurp(CPU "/intel_pstate/no_turbo"), "1");
	cr_assert_eq(scx_pm_turbo_get(pm), 0);
	cr_assert_eq(unlink(fstree_path(&t, CPU "/intel_pstate/no_turbo")), 0);
	fstree_write(&t, CPU "/cpufreq/boost", "1\n");
	cr_assert_eq(scx_pm_turbo_get(pm), 1);
	cr_assert_eq(scx_pm_turbo_set(pm, false), 0);
	cr_assert_str_eq(slurp(CPU "/cpufreq/boost"), "0");
	cr_assert_eq(scx_pm_turbo_get(pm), 0);
	fstree_write(&t, CPU "/cpufreq/boost", "7\n");
	cr_assert_eq(scx_pm_turbo_get(pm), -EINVAL);
	scx_pm_close(pm);
}

Test(pm, epp_get_available_and_set)
{
	struct scx_pm *pm;
	char buf[128];

	machine();
	pm = open_tree(true);
	cr_assert_eq(scx_pm_epp_get(pm, 0, buf, sizeof(buf)), (int)strlen("balance_power"));
	cr_assert_str_eq(buf, "balance_power");
	cr_assert_gt(scx_pm_epp_available(pm, 1, buf, sizeof(buf)), 0);
	cr_assert(strstr(buf, "balance_performance"));
	cr_assert_eq(scx_pm_epp_get(pm, 0, buf, 4), -EFBIG);
	cr_assert_eq(scx_pm_epp_get(pm, 0, buf, strlen("balance_power") + 1),
		     (int)strlen("balance_power"), "the text and its NUL fit: the newline needs no room");
	cr_assert_str_eq(buf, "balance_power");
	cr_assert_eq(scx_pm_epp_get(pm, 0, buf, strlen("balance_power")), -EFBIG);
	cr_assert_eq(scx_pm_epp_get(pm, 7, buf, sizeof(buf)), -ENOENT);
	cr_assert_eq(scx_pm_epp_get(pm, -1, buf, sizeof(buf)), -EINVAL, "negative CPU id");
	cr_assert_eq(scx_pm_epp_available(pm, -1, buf, sizeof(buf)), -EINVAL);
	cr_assert_eq(scx_pm_epp_set(pm, -1, "power"), -EINVAL);
	cr_assert_eq(scx_pm_epp_set(pm, 1, "power"), 0);
	cr_assert_str_eq(slurp(CPU "/cpufreq/policy1/energy_performance_preference"), "power");
	cr_assert_eq(scx_pm_epp_set(pm, 1, "128"), 0, "intel_pstate takes raw numbers");
	cr_assert_str_eq(slurp(CPU "/cpufreq/policy1/energy_performance_preference"), "128");
	cr_assert_eq(scx_pm_epp_set(pm, 1, "256"), -EINVAL);
	cr_assert_eq(scx_pm_epp_set(pm, 1, "balance"), -EINVAL, "a prefix of a word is not one");
	cr_assert_eq(scx_pm_epp_set(pm, 1, "turbo"), -EINVAL);
	cr_assert_eq(scx_pm_epp_set(pm, 1, "power\nperformance"), -EINVAL);
	cr_assert_eq(scx_pm_epp_set(pm, 1, "balance_performance balance_power"), -EINVAL,
		     "two listed words are not one preference");
	cr_assert_eq(scx_pm_epp_set(pm, 1, "power "), -EINVAL);
	cr_assert_eq(scx_pm_epp_set(pm, 1, ""), -EINVAL);
	cr_assert_eq(scx_pm_epp_set(pm, 1, NULL), -EINVAL);
	cr_assert_str_eq(slurp(CPU "/cpufreq/policy1/energy_performance_preference"), "128");
	/* the per-CPU cpufreq link is preferred over the policy of the same number */
	fstree_mkdir(&t, CPU "/cpu3");
	cr_assert_eq(fstree_symlink(&t, "../cpufreq/policy0", CPU "/cpu3/cpufreq"), 0);
	cr_assert_gt(scx_pm_epp_get(pm, 3, buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, "balance_power");
	scx_pm_close(pm);
}

static const char *const saved_files[] = {
	CPU "/cpu0/power/pm_qos_resume_latency_us",
	CPU "/cpu1/power/pm_qos_resume_latency_us",
	CPU "/cpu2/power/pm_qos_resume_latency_us",
	CPU "/cpu3/power/pm_qos_resume_latency_us",
	CPU "/cpufreq/policy0/energy_performance_preference",
	CPU "/cpufreq/policy1/energy_performance_preference",
	CPU "/cpufreq/policy2/energy_performance_preference",
	CPU "/cpufreq/policy3/energy_performance_preference",
	CPU "/intel_pstate/no_turbo",
	UNC "/package_00_die_00/min_freq_khz",
	UNC "/package_00_die_00/max_freq_khz",
	UNC "/package_01_die_00/min_freq_khz",
	UNC "/package_01_die_00/max_freq_khz",
};
#define NR_SAVED (sizeof(saved_files) / sizeof(saved_files[0]))

Test(pm, restore_puts_back_exactly_what_was_there)
{
	char before[NR_SAVED][128];
	struct scx_pm_snapshot *saved;
	struct scx_pm *pm;
	unsigned int i, cpu;

	machine();
	for (i = 0; i < NR_SAVED; i++)
		snprintf(before[i], sizeof(before[i]), "%s", slurp(saved_files[i]));
	pm = open_tree(true);
	saved = scx_pm_snapshot_load(pm, SCX_PM_SNAPSHOT_ALL);
	cr_assert_not_null(saved, "save: %s", strerror(errno));
	/* change everything */
	for (cpu = 0; cpu < 4; cpu++) {
		cr_assert_eq(scx_pm_resume_latency_set(pm, cpu, 3), 0);
		cr_assert_eq(scx_pm_epp_set(pm, cpu, "performance"), 0);
	}
	cr_assert_eq(scx_pm_turbo_set(pm, false), 0);
	cr_assert_eq(scx_pm_uncore_set(pm, 0, 0, 2000000, 2200000), 0);
	cr_assert_eq(scx_pm_uncore_set(pm, 1, 0, 1500000, 1500000), 0);
	for (i = 0; i < NR_SAVED; i++)
		cr_assert_str_neq(slurp(saved_files[i]), before[i], "%s changed", saved_files[i]);

	cr_assert_eq(scx_pm_restore(pm, saved), (int)NR_SAVED);
	for (i = 0; i < NR_SAVED; i++) {
		char want[128];

		/* what was read, as written back: the kernel's text without its newline */
		snprintf(want, sizeof(want), "%.*s", (int)strcspn(before[i], "\n"), before[i]);
		cr_assert_str_eq(slurp(saved_files[i]), want, "%s", saved_files[i]);
	}
	scx_pm_snapshot_free(saved);
	scx_pm_close(pm);
}

Test(pm, save_only_what_is_asked)
{
	struct scx_pm_snapshot *saved;
	struct scx_pm *pm;

	machine();
	pm = open_tree(true);
	saved = scx_pm_snapshot_load(pm, SCX_PM_BIT(SCX_PM_TURBO));
	cr_assert_not_null(saved);
	cr_assert_eq(scx_pm_epp_set(pm, 0, "power"), 0);
	cr_assert_eq(scx_pm_turbo_set(pm, false), 0);
	cr_assert_eq(scx_pm_restore(pm, saved), 1);
	cr_assert_str_eq(slurp(CPU "/intel_pstate/no_turbo"), "0");
	cr_assert_str_eq(slurp(CPU "/cpufreq/policy0/energy_performance_preference"), "power");
	scx_pm_snapshot_free(saved);
	cr_assert_null(scx_pm_snapshot_load(pm, 1u << 9));
	cr_assert_eq(errno, EINVAL);
	scx_pm_close(pm);
}

Test(pm, qos_request_on_a_captured_tree)
{
	struct scx_pm_qos *q;
	struct scx_pm *pm;
	int32_t v;
	FILE *f;

	machine();
	pm = open_tree(true);
	q = scx_pm_qos_open(pm, 42);
	cr_assert_not_null(q, "%s", strerror(errno));
	f = fopen(fstree_path(&t, "dev/cpu_dma_latency"), "rb");
	cr_assert_eq(fread(&v, sizeof(v), 1, f), 1);
	cr_assert_eq(v, 42, "the kernel takes a binary s32");
	cr_assert_eq(scx_pm_qos_update(q, 7), 0);
	rewind(f);
	cr_assert_eq(fread(&v, sizeof(v), 1, f), 1);
	cr_assert_eq(v, 7);
	fclose(f);
	cr_assert_eq(scx_pm_qos_update(q, -1), -EINVAL);
	cr_assert_null(scx_pm_qos_open(pm, -5));
	cr_assert_eq(errno, EINVAL);
	scx_pm_qos_close(q);
	scx_pm_qos_close(NULL);
	scx_pm_close(pm);
}

static int32_t read_dma_latency(void)
{
	int32_t v = -1;
	int fd = open("/dev/cpu_dma_latency", O_RDONLY | O_CLOEXEC);

	cr_assert_geq(fd, 0);
	cr_assert_eq(read(fd, &v, sizeof(v)), (ssize_t)sizeof(v));
	close(fd);
	return v;
}

/* The real device: the kernel's aggregate follows the request while its handle lives. */
Test(pm, qos_request_on_this_machine)
{
	struct scx_pm_qos *q;
	struct scx_pm *pm;
	int32_t base, want;

	if (access("/dev/cpu_dma_latency", R_OK | W_OK))
		cr_skip_test("/dev/cpu_dma_latency: %s", strerror(errno));
	pm = scx_pm_open(NULL);
	cr_assert_not_null(pm);
	if (getenv("SCX_SYSFS_PREFIX"))
		cr_skip_test("SCX_SYSFS_PREFIX points elsewhere");
	base = read_dma_latency();
	want = base < 37 ? base : 37;
	q = scx_pm_qos_open(pm, 37);
	cr_assert_not_null(q, "%s", strerror(errno));
	cr_assert_eq(read_dma_latency(), want);
	cr_assert_eq(scx_pm_qos_update(q, 11), 0);
	cr_assert_eq(read_dma_latency(), base < 11 ? base : 11);
	scx_pm_qos_close(q);
	cr_assert_eq(read_dma_latency(), base, "release drops the request");
	scx_pm_close(pm);
}

/* Without privilege, a change fails with EACCES and names what it needs. */
Test(pm, unprivileged_write_names_the_capability)
{
	int status;
	pid_t pid;

	machine();
	cr_assert_eq(chmod(t.root, 0755), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		struct scx_pm *pm;
		int ret;

		if (setuid(65534))
			_exit(100);
		pm = open_tree(true);
		ret = scx_pm_turbo_set(pm, false);
		if (ret != -EACCES)
			_exit(101);
		if (!strstr(last_msg, "CAP_DAC_OVERRIDE"))
			_exit(102);
		if (scx_pm_qos_open(pm, 5) || errno != EACCES)
			_exit(103);
		if (!strstr(last_msg, "CAP_DAC_OVERRIDE"))
			_exit(104);
		_exit(0);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status));
	if (WEXITSTATUS(status) == 100)
		cr_skip_test("cannot drop to an unprivileged uid");
	cr_assert_eq(WEXITSTATUS(status), 0, "child step %d", WEXITSTATUS(status));
	cr_assert_str_eq(slurp(CPU "/intel_pstate/no_turbo"), "0\n");
}

Test(pm, bad_arguments)
{
	struct scx_pm_opts o = { .sz = 2 };
	struct scx_pm_uncore u;
	int32_t v;
	char buf[8];

	cr_assert_null(scx_pm_open(&o));
	cr_assert_eq(errno, EINVAL);
	SCX_OPTS(scx_pm_opts, bad, .sysfs_root = "/nonexistent/root");
	cr_assert_null(scx_pm_open(&bad));
	cr_assert_eq(errno, ENOENT);
	cr_assert_eq(scx_pm_resume_latency_get(NULL, 0, &v), -EINVAL);
	cr_assert_eq(scx_pm_resume_latency_set(NULL, 0, 0), -EINVAL);
	cr_assert_eq(scx_pm_uncore_get(NULL, 0, 0, &u), -EINVAL);
	cr_assert_eq(scx_pm_uncore_set(NULL, 0, 0, 1, 2), -EINVAL);
	cr_assert_eq(scx_pm_turbo_get(NULL), -EINVAL);
	cr_assert_eq(scx_pm_turbo_set(NULL, true), -EINVAL);
	cr_assert_eq(scx_pm_epp_get(NULL, 0, buf, sizeof(buf)), -EINVAL);
	cr_assert_eq(scx_pm_epp_set(NULL, 0, "power"), -EINVAL);
	cr_assert_null(scx_pm_snapshot_load(NULL, SCX_PM_SNAPSHOT_ALL));
	cr_assert_eq(scx_pm_restore(NULL, NULL), -EINVAL);
	cr_assert_null(scx_pm_qos_open(NULL, 1));
	cr_assert_eq(scx_pm_qos_update(NULL, 1), -EINVAL);
	scx_pm_snapshot_free(NULL);
	scx_pm_close(NULL);
}

/* Idle states: CPU 0 with three (the last disabled), CPU 1 with two, CPU 2 without cpuidle. */
static void idle_states(void)
{
	static const char *const flags[2][3] = { { "0\n", "0\n", "1\n" }, { "0\n", "0\n", NULL } };
	char p[256];
	int cpu, st;

	for (cpu = 0; cpu < 2; cpu++)
		for (st = 0; st < 3 && flags[cpu][st]; st++) {
			snprintf(p, sizeof(p), CPU "/cpu%d/cpuidle/state%d/disable", cpu, st);
			fstree_write(&t, p, "%s", flags[cpu][st]);
			snprintf(p, sizeof(p), CPU "/cpu%d/cpuidle/state%d/name", cpu, st);
			fstree_write(&t, p, "C%d\n", st);
		}
	fstree_mkdir(&t, CPU "/cpu2/power");
	fstree_mkdir(&t, CPU "/cpuidle");	/* the global folder: not a CPU */
}

Test(pm, cpuidle_states)
{
	struct scx_pm *pm;

	idle_states();
	pm = open_tree(true);
	cr_assert(scx_pm_supported(pm, SCX_PM_CPUIDLE));
	cr_assert_eq(scx_pm_cpuidle_nr_states(pm, 0), 3);
	cr_assert_eq(scx_pm_cpuidle_nr_states(pm, 1), 2);
	cr_assert_eq(scx_pm_cpuidle_nr_states(pm, 2), -ENOENT);
	cr_assert_eq(scx_pm_cpuidle_state_get(pm, 0, 2), 1);
	cr_assert_eq(scx_pm_cpuidle_state_get(pm, 1, 0), 0);
	cr_assert_eq(scx_pm_cpuidle_state_get(pm, 1, 2), -ENOENT);
	cr_assert_eq(scx_pm_cpuidle_all_enabled(pm), 0);
	cr_assert_eq(scx_pm_cpuidle_state_set(pm, 1, 1, true), 0);
	cr_assert_str_eq(slurp(CPU "/cpu1/cpuidle/state1/disable"), "1");
	cr_assert_eq(scx_pm_cpuidle_state_set(pm, 1, 5, true), -ENOENT);
	/* the two disabled ones, and only those, are written */
	cr_assert_eq(scx_pm_cpuidle_enable_all(pm), 2);
	cr_assert_str_eq(slurp(CPU "/cpu0/cpuidle/state2/disable"), "0");
	cr_assert_str_eq(slurp(CPU "/cpu0/cpuidle/state0/disable"), "0\n", "left as it was");
	cr_assert_eq(scx_pm_cpuidle_all_enabled(pm), 1);
	cr_assert_eq(scx_pm_cpuidle_enable_all(pm), 0);
	fstree_write(&t, CPU "/cpu0/cpuidle/state1/disable", "7\n");
	cr_assert_eq(scx_pm_cpuidle_all_enabled(pm), -EINVAL);
	cr_assert_eq(scx_pm_cpuidle_state_get(pm, 0, 1), -EINVAL);
	cr_assert_eq(scx_pm_cpuidle_enable_all(pm), -EINVAL);
	scx_pm_close(pm);
}

Test(pm, cpuidle_snapshot_and_captured_tree)
{
	struct scx_pm_snapshot *saved;
	struct scx_pm *pm;

	idle_states();
	pm = open_tree(false);
	cr_assert_eq(scx_pm_cpuidle_state_set(pm, 0, 0, true), -EROFS);
	cr_assert_eq(scx_pm_cpuidle_enable_all(pm), -EROFS);
	cr_assert_str_eq(slurp(CPU "/cpu0/cpuidle/state2/disable"), "1\n");
	scx_pm_close(pm);
	pm = open_tree(true);
	saved = scx_pm_snapshot_load(pm, SCX_PM_BIT(SCX_PM_CPUIDLE));
	cr_assert_not_null(saved);
	cr_assert_eq(scx_pm_cpuidle_enable_all(pm), 1);
	cr_assert_eq(scx_pm_cpuidle_state_set(pm, 1, 0, true), 0);
	/* five flags saved, all written back */
	cr_assert_eq(scx_pm_restore(pm, saved), 5);
	cr_assert_str_eq(slurp(CPU "/cpu0/cpuidle/state2/disable"), "1");
	cr_assert_str_eq(slurp(CPU "/cpu1/cpuidle/state0/disable"), "0");
	scx_pm_snapshot_free(saved);
	cr_assert_eq(scx_pm_cpuidle_nr_states(NULL, 0), -EINVAL);
	cr_assert_eq(scx_pm_cpuidle_nr_states(pm, -1), -EINVAL);
	cr_assert_eq(scx_pm_cpuidle_state_get(pm, 0, -1), -EINVAL);
	cr_assert_eq(scx_pm_cpuidle_state_set(NULL, 0, 0, true), -EINVAL);
	cr_assert_eq(scx_pm_cpuidle_all_enabled(NULL), -EINVAL);
	cr_assert_eq(scx_pm_cpuidle_enable_all(NULL), -EINVAL);
	scx_pm_close(pm);
}
