// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/* The energy model from generated debugfs trees. */
#include <criterion/criterion.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <scx/em.h>
#include <scx/log.h>

#include "../lib/fstree.h"

static struct fstree t;
#define EM "sys/kernel/debug/energy_model"

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

TestSuite(em, .init = setup, .fini = teardown);

struct ps {
	uint64_t freq, power, cost, perf;
	int ineff;
};

static void write_attr(const char *emdir, const char *name, uint64_t freq, const char *attr,
		       uint64_t val)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s/ps:%" PRIu64 "/%s", emdir, name, freq, attr);
	cr_assert_eq(fstree_write(&t, p, "%" PRIu64 "\n", val), 0);
}

/* One domain folder as the kernel lays it out; @with_perf 0 mimics kernels before 6.5. */
static void write_domain(const char *emdir, const char *name, const char *cpus,
			 const struct ps *ps, int n, int with_perf)
{
	char p[512];
	int i;

	if (cpus) {
		snprintf(p, sizeof(p), "%s/%s/cpus", emdir, name);
		cr_assert_eq(fstree_write(&t, p, "%s\n", cpus), 0);
	}
	snprintf(p, sizeof(p), "%s/%s/flags", emdir, name);
	cr_assert_eq(fstree_write(&t, p, "0x1\n"), 0);
	for (i = 0; i < n; i++) {
		write_attr(emdir, name, ps[i].freq, "frequency", ps[i].freq);
		write_attr(emdir, name, ps[i].freq, "power", ps[i].power);
		write_attr(emdir, name, ps[i].freq, "cost", ps[i].cost);
		write_attr(emdir, name, ps[i].freq, "inefficient", (uint64_t)ps[i].ineff);
		if (with_perf)
			write_attr(emdir, name, ps[i].freq, "performance", ps[i].perf);
	}
}

static const struct ps little[] = {
	{ 500000, 30000, 98, 120, 0 },
	{ 1000000, 80000, 131, 240, 0 },
	{ 1500000, 160000, 175, 360, 1 },
	{ 1800000, 230000, 210, 430, 0 },
};
static const struct ps big[] = {
	{ 800000, 200000, 260, 400, 0 },
	{ 1600000, 600000, 390, 700, 0 },
	{ 2400000, 1400000, 606, 1024, 0 },
};

static struct scx_em *load_default(void)
{
	SCX_OPTS(scx_em_opts, opts, .sysfs_root = t.root);

	return scx_em_load(&opts);
}

static void big_little(void)
{
	fstree_write(&t, "sys/devices/system/cpu/possible", "0-7\n");
	fstree_write(&t, "proc/mounts",
		     "sysfs /sys sysfs rw,nosuid 0 0\n"
		     "debugfs /sys/kernel/debug debugfs rw,nosuid,nodev 0 0\n");
	/* written big first: domains are ordered by first CPU, not by folder order */
	write_domain(EM, "cpu4", "4-7", big, 3, 1);
	write_domain(EM, "cpu0", "0-3", little, 4, 1);
	/* a device domain (a GPU): no cpus file, not a CPU domain */
	write_domain(EM, "gpu0", NULL, big, 3, 1);
}

Test(em, big_little_domains_states_and_cpus)
{
	struct scx_em_pstate s;
	struct scx_em *em;
	int cpu, i;

	big_little();
	em = load_default();
	cr_assert_not_null(em, "load: %s", strerror(errno));
	cr_assert_eq(scx_em_nr_domains(em), 2);
	cr_assert_eq(scx_em_domain_of_cpu(em, -1), -EINVAL, "negative CPU id");
	cr_assert_eq(scx_em_domain_of_cpu(em, 8), -ENOENT);
	cr_assert_str_eq(scx_em_domain_name(em, 0), "cpu0");
	cr_assert_str_eq(scx_em_domain_name(em, 1), "cpu4");
	cr_assert_eq(scx_cpumask_width(scx_em_domain_cpus(em, 0)), 8);
	cr_assert_eq(scx_cpumask_weight(scx_em_domain_cpus(em, 0)), 4);
	cr_assert(scx_cpumask_test(scx_em_domain_cpus(em, 1), 7));
	cr_assert_not(scx_cpumask_test(scx_em_domain_cpus(em, 1), 3));
	for (cpu = 0; cpu < 8; cpu++)
		cr_assert_eq(scx_em_domain_of_cpu(em, cpu), cpu < 4 ? 0 : 1);
	cr_assert_eq(scx_em_domain_of_cpu(em, 8), -ENOENT);
	cr_assert_eq(errno, ENOENT);
	cr_assert_eq(scx_em_domain_nr_pstates(em, 0), 4);
	cr_assert_eq(scx_em_domain_nr_pstates(em, 1), 3);
	for (i = 0; i < 4; i++) {
		cr_assert_eq(scx_em_domain_pstate(em, 0, (unsigned int)i, &s), 0);
		cr_assert_eq(s.frequency, little[i].freq);
		cr_assert_eq(s.power, little[i].power);
		cr_assert_eq(s.cost, little[i].cost);
		cr_assert_eq(s.performance, little[i].perf);
		cr_assert_eq(s.inefficient, little[i].ineff != 0);
	}
	cr_assert_eq(scx_em_domain_pstate(em, 1, 2, &s), 0);
	cr_assert_eq(s.frequency, 2400000);
	cr_assert_eq(scx_em_domain_pstate(em, 1, 3, &s), -EINVAL);
	cr_assert_eq(scx_em_domain_pstate(em, 2, 0, &s), -EINVAL);
	cr_assert_null(scx_em_domain_name(em, 2));
	cr_assert_null(scx_em_domain_cpus(em, 2));
	cr_assert_eq(scx_em_total_performance(em), 4 * 430 + 4 * 1024);
	cr_assert_eq(scx_em_nr_groups(em), 2);
	cr_assert_eq(scx_em_domain_group(em, 0), 0);
	cr_assert_eq(scx_em_domain_group(em, 1), 1);
	scx_em_free(em);
}

Test(em, state_for_util_is_slowest_state_that_holds_it)
{
	static const struct ps *tables[2] = { little, big };
	static const int sizes[2] = { 4, 3 };
	struct scx_em *em;
	unsigned int dom;
	uint64_t util;

	big_little();
	em = load_default();
	cr_assert_not_null(em);
	for (dom = 0; dom < 2; dom++) {
		for (util = 0; util <= 1200; util++) {
			int want = sizes[dom] - 1, i;

			/* brute force over the written table (ascending performance) */
			for (i = 0; i < sizes[dom]; i++) {
				if (tables[dom][i].perf >= util) {
					want = i;
					break;
				}
			}
			cr_assert_eq(scx_em_pstate_for_util(em, dom, util), want,
				     "dom %u util %" PRIu64, dom, util);
		}
	}
	cr_assert_eq(scx_em_pstate_for_util(em, 2, 0), -EINVAL);
	cr_assert_eq(scx_em_pstate_for_util(NULL, 0, 0), -EINVAL);
	scx_em_free(em);
}

Test(em, debugfs_found_through_proc_mounts)
{
	struct scx_em *em;

	fstree_write(&t, "sys/devices/system/cpu/possible", "0-3\n");
	fstree_write(&t, "proc/mounts", "none /my\\040debug debugfs rw 0 0\n");
	write_domain("my debug/energy_model", "pd0", "0-3", little, 4, 1);
	em = load_default();
	cr_assert_not_null(em, "load: %s", strerror(errno));
	cr_assert_eq(scx_em_nr_domains(em), 1);
	cr_assert_str_eq(scx_em_domain_name(em, 0), "pd0");
	scx_em_free(em);
}

Test(em, explicit_folder_option)
{
	struct scx_em *em;

	fstree_write(&t, "sys/devices/system/cpu/possible", "0-1\n");
	write_domain("elsewhere", "pd0", "0-1", big, 3, 1);
	SCX_OPTS(scx_em_opts, opts, .sysfs_root = t.root, .em_dir = "elsewhere");
	em = scx_em_load(&opts);
	cr_assert_not_null(em);
	cr_assert_eq(scx_em_total_performance(em), 2 * 1024);
	scx_em_free(em);
}

Test(em, older_kernel_performance_derived_from_capacity)
{
	struct scx_em_pstate s;
	struct scx_em *em;

	fstree_write(&t, "sys/devices/system/cpu/possible", "0-7\n");
	fstree_write(&t, "sys/devices/system/cpu/cpu0/cpu_capacity", "446\n");
	write_domain(EM, "pd0", "0-3", little, 4, 0);
	write_domain(EM, "pd1", "4-7", big, 3, 0);	/* no cpu_capacity for CPU 4: 1024 */
	em = load_default();
	cr_assert_not_null(em, "load: %s", strerror(errno));
	cr_assert_eq(scx_em_domain_pstate(em, 0, 1, &s), 0);
	cr_assert_eq(s.performance, 446 * 1000000 / 1800000);
	cr_assert_eq(scx_em_domain_pstate(em, 0, 3, &s), 0);
	cr_assert_eq(s.performance, 446);
	cr_assert_eq(scx_em_domain_pstate(em, 1, 0, &s), 0);
	cr_assert_eq(s.performance, 1024 * 800000 / 2400000);
	cr_assert_eq(scx_em_total_performance(em), 4 * 446 + 4 * 1024);
	scx_em_free(em);
}

/* Hybrid x86 exposes one domain per CPU: 256 domains of two kinds make two groups. */
Test(em, per_cpu_domains_grouped_by_identical_tables)
{
	struct ps odd[3];
	struct scx_em *em;
	char name[32], cpus[32];
	int cpu;

	memcpy(odd, big, sizeof(odd));
	odd[1].cost++;	/* differs from "big" by one number */
	fstree_write(&t, "sys/devices/system/cpu/possible", "0-255\n");
	for (cpu = 0; cpu < 256; cpu++) {
		snprintf(name, sizeof(name), "cpu%d", cpu);
		snprintf(cpus, sizeof(cpus), "%d", cpu);
		write_domain(EM, name, cpus, cpu % 3 ? big : odd, 3, 1);
	}
	em = load_default();
	cr_assert_not_null(em, "load: %s", strerror(errno));
	cr_assert_eq(scx_em_nr_domains(em), 256);
	cr_assert_eq(scx_em_nr_groups(em), 2);
	for (cpu = 0; cpu < 256; cpu++) {
		int dom = scx_em_domain_of_cpu(em, cpu);

		cr_assert_eq(dom, cpu);
		/* CPU 0 (an "odd" table) founds group 0 */
		cr_assert_eq(scx_em_domain_group(em, (unsigned int)dom), cpu % 3 ? 1 : 0);
	}
	cr_assert_eq(scx_em_total_performance(em), 256 * 1024);
	scx_em_free(em);
}

Test(em, no_energy_model_is_enoent)
{
	fstree_write(&t, "proc/mounts", "debugfs /sys/kernel/debug debugfs rw 0 0\n");
	fstree_mkdir(&t, "sys/kernel/debug");
	cr_assert_null(load_default());
	cr_assert_eq(errno, ENOENT);
}

Test(em, folder_without_cpu_domains_is_enodata)
{
	write_domain(EM, "gpu0", NULL, big, 3, 1);
	cr_assert_null(load_default());
	cr_assert_eq(errno, ENODATA);
}

Test(em, domain_without_states_is_einval)
{
	fstree_write(&t, EM "/cpu0/cpus", "0-3\n");
	cr_assert_null(load_default());
	cr_assert_eq(errno, EINVAL);
}

Test(em, malformed_number_is_einval)
{
	write_domain(EM, "cpu0", "0-3", little, 4, 1);
	fstree_write(&t, EM "/cpu0/ps:1000000/power", "lots\n");
	cr_assert_null(load_default());
	cr_assert_eq(errno, EINVAL);
}

Test(em, out_of_scale_numbers_are_einval)
{
	write_domain(EM, "cpu0", "0-3", little, 4, 1);
	fstree_write(&t, EM "/cpu0/ps:1000000/performance", "99999999999\n");
	cr_assert_null(load_default(), "a performance above the capacity scale");
	cr_assert_eq(errno, EINVAL);
	fstree_write(&t, EM "/cpu0/ps:1000000/performance", "1025\n");
	cr_assert_null(load_default());
	cr_assert_eq(errno, EINVAL);
	fstree_write(&t, EM "/cpu0/ps:1000000/performance", "1024\n");
	fstree_write(&t, EM "/cpu0/ps:1000000/frequency", "18446744073709551615\n");
	cr_assert_null(load_default(), "a frequency that would wrap capacity * frequency");
	cr_assert_eq(errno, EINVAL);
}

Test(em, derived_performance_does_not_wrap)
{
	struct scx_em_pstate s;
	struct scx_em *em;

	fstree_write(&t, "sys/devices/system/cpu/possible", "0-3\n");
	write_domain(EM, "pd0", "0-3", little, 4, 0);
	fstree_write(&t, "sys/devices/system/cpu/cpu0/cpu_capacity", "99999999999\n");
	cr_assert_null(load_default(), "a capacity above the scale");
	cr_assert_eq(errno, EINVAL);
	fstree_write(&t, "sys/devices/system/cpu/cpu0/cpu_capacity", "1024\n");
	/* the highest frequency taken: 1024 * 4294967295 fits in 64 bits */
	fstree_write(&t, EM "/pd0/ps:1800000/frequency", "4294967295\n");
	em = load_default();
	cr_assert_not_null(em, "load: %s", strerror(errno));
	cr_assert_eq(scx_em_domain_pstate(em, 0, 3, &s), 0);
	cr_assert_eq(s.performance, 1024);
	cr_assert_eq(scx_em_domain_pstate(em, 0, 2, &s), 0);
	cr_assert_eq(s.performance, 1024 * 1500000ull / 4294967295ull);
	cr_assert_eq(scx_em_total_performance(em), 4 * 1024);
	scx_em_free(em);
}

Test(em, missing_power_is_einval)
{
	write_domain(EM, "cpu0", "0-3", little, 4, 1);
	cr_assert_eq(unlink(fstree_path(&t, EM "/cpu0/ps:500000/power")), 0);
	cr_assert_null(load_default());
	cr_assert_eq(errno, EINVAL);
}

Test(em, overlapping_domains_are_einval)
{
	write_domain(EM, "cpu0", "0-3", little, 4, 1);
	write_domain(EM, "cpu3", "3-7", big, 3, 1);
	cr_assert_null(load_default());
	cr_assert_eq(errno, EINVAL);
}

Test(em, bad_cpus_text_is_einval)
{
	write_domain(EM, "cpu0", "zero-three", little, 4, 1);
	cr_assert_null(load_default());
	cr_assert_eq(errno, EINVAL);
	write_domain(EM, "cpu0", "", little, 4, 1);
	cr_assert_null(load_default());
	cr_assert_eq(errno, EINVAL);
}

Test(em, unreadable_debugfs_is_eacces)
{
	int status;
	pid_t pid;

	big_little();
	/* the tree is readable by all but the energy_model folder, as debugfs is (0700) */
	cr_assert_eq(chmod(t.root, 0755), 0);
	cr_assert_eq(chmod(fstree_path(&t, EM), 0700), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		if (setuid(65534))
			_exit(100);
		_exit(load_default() ? 101 : errno);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status));
	if (WEXITSTATUS(status) == 100)
		cr_skip_test("cannot drop to an unprivileged uid");
	cr_assert_eq(WEXITSTATUS(status), EACCES, "exit %d", WEXITSTATUS(status));
}

Test(em, bad_arguments)
{
	struct scx_em_opts o = { .sz = 3 };
	struct scx_em_pstate s;

	cr_assert_null(scx_em_load(&o));
	cr_assert_eq(errno, EINVAL);
	SCX_OPTS(scx_em_opts, bad, .sysfs_root = "/nonexistent/root");
	cr_assert_null(scx_em_load(&bad));
	cr_assert_eq(errno, ENOENT);
	cr_assert_eq(scx_em_nr_domains(NULL), -EINVAL);
	cr_assert_eq(scx_em_nr_groups(NULL), -EINVAL);
	cr_assert_eq(scx_em_domain_of_cpu(NULL, 0), -EINVAL);
	cr_assert_eq(scx_em_domain_group(NULL, 0), -EINVAL);
	cr_assert_eq(scx_em_domain_nr_pstates(NULL, 0), -EINVAL);
	cr_assert_eq(scx_em_domain_pstate(NULL, 0, 0, &s), -EINVAL);
	cr_assert_eq(scx_em_total_performance(NULL), 0);
	scx_em_free(NULL);
}
