// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/* Perf event names, per-CPU counters on this machine, and a real BPF perf-event array. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <scx/log.h>
#include <scx/perf.h>

#include "../lib/fstree.h"

static char last_msg[512];

static void keep_msg(enum scx_log_level l, const char *m, void *c)
{
	snprintf(last_msg, sizeof(last_msg), "%s", m);
}

static void setup(void)
{
	scx_log_fn_set(keep_msg, NULL);
}

TestSuite(perf, .init = setup);

static void expect(const char *name, uint32_t type, uint64_t config)
{
	struct perf_event_attr a;

	memset(&a, 0xa5, sizeof(a));
	cr_assert_eq(scx_perf_parse(name, &a), 0, "%s", name);
	cr_assert_eq(a.type, type, "%s: type %u", name, a.type);
	cr_assert_eq(a.config, config, "%s: config %#llx", name, (unsigned long long)a.config);
	cr_assert_eq(a.size, PERF_ATTR_SIZE_VER0);
	cr_assert_eq(a.exclude_user | a.exclude_kernel | a.exclude_hv | a.disabled, 0, "%s", name);
	cr_assert_eq(a.sample_period, 0, "%s: the rest is zeroed", name);
}

/*
 * A program built with older kernel headers holds a smaller struct perf_event_attr than the
 * library's (136 bytes in Debian 12's, 144 in unstable's): nothing past the first 64 bytes may be
 * written, or the library writes past the caller's struct.
 */
Test(perf, writes_only_the_first_version_of_the_attr)
{
	struct {
		struct perf_event_attr a;
		unsigned char past[16];
	} s;
	const unsigned char *bytes = (const unsigned char *)&s;
	size_t i;

	memset(&s, 0xa5, sizeof(s));
	cr_assert_eq(scx_perf_parse("LLC-load-misses:u", &s.a), 0);
	cr_assert_eq(s.a.size, PERF_ATTR_SIZE_VER0);
	cr_assert_eq(s.a.type, PERF_TYPE_HW_CACHE);
	cr_assert_eq(s.a.exclude_kernel, 1);
	for (i = PERF_ATTR_SIZE_VER0; i < sizeof(s); i++)
		cr_assert_eq(bytes[i], 0xa5, "byte %zu of the caller's struct written", i);
}

Test(perf, cycles_is_an_event_not_disabled)
{
	expect("cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES);
	expect("cpu-cycles", PERF_TYPE_HARDWARE, 0);
}

Test(perf, every_hardware_and_software_name)
{
	static const struct { const char *n; uint32_t type; uint64_t config; } all[] = {
		{ "instructions", PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS },
		{ "cache-references", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_REFERENCES },
		{ "cache-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES },
		{ "branches", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_INSTRUCTIONS },
		{ "branch-instructions", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_INSTRUCTIONS },
		{ "branch-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_MISSES },
		{ "bus-cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BUS_CYCLES },
		{ "stalled-cycles-frontend", PERF_TYPE_HARDWARE, PERF_COUNT_HW_STALLED_CYCLES_FRONTEND },
		{ "idle-cycles-frontend", PERF_TYPE_HARDWARE, PERF_COUNT_HW_STALLED_CYCLES_FRONTEND },
		{ "stalled-cycles-backend", PERF_TYPE_HARDWARE, PERF_COUNT_HW_STALLED_CYCLES_BACKEND },
		{ "idle-cycles-backend", PERF_TYPE_HARDWARE, PERF_COUNT_HW_STALLED_CYCLES_BACKEND },
		{ "ref-cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_REF_CPU_CYCLES },
		{ "cpu-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK },
		{ "task-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK },
		{ "page-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS },
		{ "faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS },
		{ "context-switches", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES },
		{ "cs", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES },
		{ "cpu-migrations", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS },
		{ "migrations", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS },
		{ "minor-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS_MIN },
		{ "major-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS_MAJ },
		{ "alignment-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_ALIGNMENT_FAULTS },
		{ "emulation-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_EMULATION_FAULTS },
		{ "dummy", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_DUMMY },
		{ "bpf-output", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_BPF_OUTPUT },
		{ "cgroup-switches", PERF_TYPE_SOFTWARE, 11 },
	};
	size_t i;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		expect(all[i].n, all[i].type, all[i].config);
}

/* Every cache x operation x result, in each spelling perf(1) accepts. */
Test(perf, every_hardware_cache_combination)
{
	static const char *const caches[] = { "L1-dcache", "L1-icache", "LLC", "dTLB", "iTLB",
					      "branch", "node" };
	static const char *const ops[] = { "load", "store", "prefetch" };
	static const char *const plural[] = { "loads", "stores", "prefetches" };
	static const char *const results[] = { "access", "accesses", "miss", "misses" };
	char name[128];
	uint64_t c, o, r;

	for (c = 0; c < 7; c++) {
		for (o = 0; o < 3; o++) {
			snprintf(name, sizeof(name), "%s-%s", caches[c], plural[o]);
			expect(name, PERF_TYPE_HW_CACHE, c | o << 8 | 0 << 16);
			for (r = 0; r < 4; r++) {
				snprintf(name, sizeof(name), "%s-%s-%s", caches[c], ops[o],
					 results[r]);
				expect(name, PERF_TYPE_HW_CACHE, c | o << 8 | (r / 2) << 16);
			}
		}
	}
	expect("LLC-load-misses", PERF_TYPE_HW_CACHE, 2 | 0 << 8 | 1 << 16);
	expect("L1-dcache-loads", PERF_TYPE_HW_CACHE, 0);
	expect("llc-LOAD-Misses", PERF_TYPE_HW_CACHE, 2 | 1 << 16);
	expect("dtlb-store-misses", PERF_TYPE_HW_CACHE, 3 | 1 << 8 | 1 << 16);
}

Test(perf, raw_events)
{
	expect("r1a2", PERF_TYPE_RAW, 0x1a2);
	expect("0x1a2", PERF_TYPE_RAW, 0x1a2);
	expect("0X1A2", PERF_TYPE_RAW, 0x1a2);
	expect("r0", PERF_TYPE_RAW, 0);
	expect("rffffffffffffffff", PERF_TYPE_RAW, UINT64_MAX);
	expect("r00000000000000000000c0", PERF_TYPE_RAW, 0xc0);
}

/*
 * Every bit of a raw config reaches the caller, in both spellings and with a modifier after it:
 * the value is stored into a __u64 field, which a store through a differently typed pointer
 * (uint64_t is unsigned long on LP64) may lose at -O2.
 */
Test(perf, raw_config_keeps_every_bit)
{
	const char *form[] = { "r", "0x", "0X" };
	struct perf_event_attr a;
	unsigned long long v;
	char name[32];
	size_t f;
	int bit;

	for (f = 0; f < sizeof(form) / sizeof(form[0]); f++) {
		for (bit = 0; bit < 64; bit++) {
			v = 1ULL << bit | 0x5;
			snprintf(name, sizeof(name), "%s%llx%s", form[f], v, bit % 2 ? ":k" : "");
			memset(&a, 0, sizeof(a));
			cr_assert_eq(scx_perf_parse(name, &a), 0, "%s", name);
			cr_assert_eq(a.type, PERF_TYPE_RAW, "%s", name);
			cr_assert_eq(a.config, v, "%s: config %#llx", name, (unsigned long long)a.config);
		}
	}
}

/* Names longer than any fixed buffer: 300-byte and 64 KiB raw names, a long modifier suffix. */
Test(perf, long_names_have_no_limit)
{
	size_t sizes[] = { 300, 65536 }, i, n;
	struct perf_event_attr a;
	char *s;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		n = sizes[i];
		s = malloc(n + 4);
		cr_assert_not_null(s);
		/* "r000...0c0": n bytes, the value 0xc0 */
		s[0] = 'r';
		memset(s + 1, '0', n - 1);
		s[n - 2] = 'c';
		s[n] = '\0';
		cr_assert_eq(strlen(s), n);
		expect(s, PERF_TYPE_RAW, 0xc0);
		/* with a suffix: n + 3 bytes */
		strcat(s, ":uk");
		memset(&a, 0, sizeof(a));
		cr_assert_eq(scx_perf_parse(s, &a), 0, "%zu-byte raw name with :uk", n + 3);
		cr_assert_eq(a.config, 0xc0);
		cr_assert(!a.exclude_user && !a.exclude_kernel && a.exclude_hv);
		/* the same length, a 17th significant digit: out of range, not "too long" */
		s[n] = '\0';
		s[n - 17] = '1';
		cr_assert_eq(scx_perf_parse(s, &a), -ERANGE, "%zu-byte raw name over 64 bits", n);
		cr_assert_eq(errno, ERANGE);
		/* "0x" and the same digits */
		s[n - 17] = '0';
		s[0] = '0';
		memmove(s + 2, s + 1, n);
		s[1] = 'x';
		expect(s, PERF_TYPE_RAW, 0xc0);
		/* one non-hex byte at the far end is still seen */
		s[n] = 'g';
		cr_assert_eq(scx_perf_parse(s, &a), -EINVAL);
		free(s);
	}

	/* a 300-byte modifier suffix on a named event */
	s = malloc(7 + 300 + 1);
	cr_assert_not_null(s);
	strcpy(s, "cycles:");
	memset(s + 7, 'u', 299);
	s[306] = 'k';
	s[307] = '\0';
	memset(&a, 0, sizeof(a));
	cr_assert_eq(scx_perf_parse(s, &a), 0);
	cr_assert_eq(a.type, PERF_TYPE_HARDWARE);
	cr_assert(!a.exclude_user && !a.exclude_kernel && a.exclude_hv);
	free(s);
}

Test(perf, modifiers)
{
	struct perf_event_attr a;

	cr_assert_eq(scx_perf_parse("cycles:u", &a), 0);
	cr_assert_eq(a.config, 0);
	cr_assert(!a.exclude_user && a.exclude_kernel && a.exclude_hv);
	cr_assert_eq(scx_perf_parse("instructions:k", &a), 0);
	cr_assert(a.exclude_user && !a.exclude_kernel && a.exclude_hv);
	cr_assert_eq(scx_perf_parse("LLC-load-misses:uk", &a), 0);
	cr_assert(!a.exclude_user && !a.exclude_kernel && a.exclude_hv);
	cr_assert_eq(a.config, 2 | 1 << 16);
	cr_assert_eq(scx_perf_parse("r1a2:h", &a), 0);
	cr_assert(a.exclude_user && a.exclude_kernel && !a.exclude_hv);
}

Test(perf, bad_names)
{
	static const char *const bad[] = {
		"", "cycle", "Cycles", "disabled", "cycles ", " cycles", "r", "rxyz", "r12g", "0x",
		"0xq", "LLC", "LLC-", "LLC-load", "LLC-loads-misses", "LLC-load-hits",
		"L1-dcache-store-", "L2-loads", "dTLB--misses", "cycles:", "cycles:q", "cycles:u:k",
		"cpu-clock:x", "branch", "-loads",
		"a-very-long-name-that-is-longer-than-anything-perf-would-ever-accept-as-an-event-"
		"name-so-it-must-be-refused-before-any-copying-happens",
	};
	struct perf_event_attr a, orig;
	size_t i;

	memset(&a, 0x5a, sizeof(a));
	orig = a;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_eq(scx_perf_parse(bad[i], &a), -EINVAL, "'%s'", bad[i]);
		cr_assert_eq(errno, EINVAL);
		cr_assert_eq(memcmp(&a, &orig, sizeof(a)), 0, "'%s' left attr alone", bad[i]);
	}
	cr_assert_eq(scx_perf_parse("r1ffffffffffffffff", &a), -ERANGE);
	cr_assert_eq(scx_perf_parse(NULL, &a), -EINVAL);
	cr_assert_eq(scx_perf_parse("cycles", NULL), -EINVAL);
}

static bool skip_reason(int err)
{
	return err == EACCES || err == EPERM || err == ENOENT || err == EOPNOTSUPP ||
	       err == ENODEV || err == ENOSYS;
}

/* A software counter on every online CPU of this machine really counts. */
Test(perf, software_counters_on_this_machine)
{
	static const char *const names[] = { "cpu-clock", "context-switches" };
	struct scx_perf *ev;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN), cpu;
	uint64_t v = 0;

	if (getenv("SCX_SYSFS_PREFIX"))
		cr_skip_test("SCX_SYSFS_PREFIX points elsewhere");
	ev = scx_perf_open(names, 2, NULL);
	if (!ev && skip_reason(errno))
		cr_skip_test("the kernel refuses per-CPU counters: %s (%s)", strerror(errno),
			     last_msg);
	cr_assert_not_null(ev, "%s", strerror(errno));
	cr_assert_eq(scx_perf_nr_events(ev), 2);
	usleep(20000);
	for (cpu = 0; cpu < ncpu; cpu++) {
		int fd = scx_perf_fd(ev, (int)cpu, 0);

		cr_assert_geq(fd, 0, "CPU %ld", cpu);
		cr_assert_eq(read(fd, &v, sizeof(v)), (ssize_t)sizeof(v));
		cr_assert_gt(v, 0, "cpu-clock on CPU %ld counted", cpu);
		cr_assert_geq(scx_perf_fd(ev, (int)cpu, 1), 0);
		cr_assert_neq(scx_perf_fd(ev, (int)cpu, 1), fd);
	}
	cr_assert_eq(scx_perf_fd(ev, 0, 2), -EINVAL);
	cr_assert_eq(scx_perf_fd(ev, 1 << 20, 0), -ENOENT);
	cr_assert_eq(scx_perf_fd(ev, -1, 0), -EINVAL, "negative CPU id");
	scx_perf_close(ev);
}

Test(perf, chosen_cpus_and_start_disabled)
{
	static const char *const names[] = { "task-clock" };
	struct scx_cpumask *cpus = scx_cpumask_new((unsigned int)libbpf_num_possible_cpus());
	struct scx_perf *ev;
	uint64_t v = 1;

	scx_cpumask_set(cpus, 0);
	SCX_OPTS(scx_perf_opts, opts, .cpus = cpus, .start_disabled = true);
	ev = scx_perf_open(names, 1, &opts);
	if (!ev && skip_reason(errno))
		cr_skip_test("the kernel refuses per-CPU counters: %s", strerror(errno));
	cr_assert_not_null(ev, "%s", strerror(errno));
	cr_assert_geq(scx_perf_fd(ev, 0, 0), 0);
	if (libbpf_num_possible_cpus() > 1)
		cr_assert_eq(scx_perf_fd(ev, 1, 0), -ENOENT, "only CPU 0 was asked for");
	usleep(10000);
	cr_assert_eq(read(scx_perf_fd(ev, 0, 0), &v, sizeof(v)), (ssize_t)sizeof(v));
	cr_assert_eq(v, 0, "a disabled counter has not counted");
	scx_perf_close(ev);
	scx_cpumask_free(cpus);
}

Test(perf, open_refuses_bad_input)
{
	static const char *const bad[] = { "cpu-clock", "nonsense" };
	static const char *const good[] = { "cpu-clock" };
	struct scx_perf_opts o = { .sz = 2 };
	struct fstree t;

	cr_assert_null(scx_perf_open(bad, 2, NULL));
	cr_assert_eq(errno, EINVAL);
	cr_assert(strstr(last_msg, "nonsense"), "%s", last_msg);
	cr_assert_null(scx_perf_open(NULL, 1, NULL));
	cr_assert_eq(errno, EINVAL);
	cr_assert_null(scx_perf_open(good, 0, NULL));
	cr_assert_eq(errno, EINVAL);
	cr_assert_null(scx_perf_open(good, 65, NULL));
	cr_assert_eq(errno, EINVAL);
	cr_assert_null(scx_perf_open(good, 1, &o));
	cr_assert_eq(errno, EINVAL);
	{
		struct scx_cpumask *none = scx_cpumask_new(4);
		SCX_OPTS(scx_perf_opts, nocpus, .cpus = none);

		errno = 0;
		cr_assert_null(scx_perf_open(good, 1, &nocpus), "an empty mask counts nothing");
		cr_assert_eq(errno, EINVAL);
		cr_assert(strstr(last_msg, "empty"), "%s", last_msg);
		scx_cpumask_free(none);
	}
	/* a captured tree without the online CPUs file */
	cr_assert_eq(fstree_init(&t), 0);
	fstree_write(&t, "sys/devices/system/cpu/possible", "0-3\n");
	SCX_OPTS(scx_perf_opts, opts, .sysfs_root = t.root);
	cr_assert_null(scx_perf_open(good, 1, &opts));
	cr_assert_eq(errno, ENOENT);
	fstree_write(&t, "sys/devices/system/cpu/online", "0-7\n");
	cr_assert_null(scx_perf_open(good, 1, &opts));
	cr_assert_eq(errno, EINVAL, "online CPUs beyond the possible ones");
	fstree_fini(&t);
	cr_assert_eq(scx_perf_nr_events(NULL), -EINVAL);
	cr_assert_eq(scx_perf_fd(NULL, 0, 0), -EINVAL);
	cr_assert_eq(scx_perf_install(NULL, 0), -EINVAL);
	scx_perf_close(NULL);
}

/* Hardware counters exist on bare metal; virtual machines usually have no PMU. */
Test(perf, cycles_on_this_machine)
{
	static const char *const names[] = { "cycles" };
	struct scx_perf *ev = scx_perf_open(names, 1, NULL);

	if (!ev && skip_reason(errno))
		cr_skip_test("no hardware cycles counter here: %s (%s)", strerror(errno), last_msg);
	cr_assert_not_null(ev, "%s", strerror(errno));
	cr_assert_geq(scx_perf_fd(ev, 0, 0), 0);
	scx_perf_close(ev);
}

/* Install into a real BPF_MAP_TYPE_PERF_EVENT_ARRAY; check each key by deleting it. */
Test(perf, install_into_a_real_perf_event_array)
{
	static const char *const names[] = { "cpu-clock", "page-faults", "dummy" };
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN), nconf = libbpf_num_possible_cpus();
	struct scx_perf *ev;
	int map, small, hash, n;
	__u32 key;

	ev = scx_perf_open(names, 3, NULL);
	if (!ev && skip_reason(errno))
		cr_skip_test("the kernel refuses per-CPU counters: %s", strerror(errno));
	cr_assert_not_null(ev);
	map = bpf_map_create(BPF_MAP_TYPE_PERF_EVENT_ARRAY, "scx_perf_test", 4, 4,
			     (__u32)(nconf * 3 + 5), NULL);
	if (map < 0) {
		int err = errno;

		scx_perf_close(ev);
		cr_skip_test("cannot create a BPF map here: %s", strerror(err));
	}
	n = scx_perf_install(ev, map);
	cr_assert_eq(n, ncpu * 3, "installed %d", n);
	scx_perf_close(ev);	/* the map keeps its own references */
	/* key = cpu * nr_events + idx: each filled slot deletes once, empty slots never */
	for (key = 0; key < (__u32)(nconf * 3 + 5); key++) {
		bool filled = key < (__u32)(ncpu * 3);
		int ret = bpf_map_delete_elem(map, &key);

		if (filled)
			cr_assert_eq(ret, 0, "key %u was filled", key);
		else
			cr_assert_eq(errno, ENOENT, "key %u was empty", key);
		cr_assert_neq(bpf_map_delete_elem(map, &key), 0);
	}
	/* a map too small for the stride, and a map of the wrong type */
	ev = scx_perf_open(names, 3, NULL);
	cr_assert_not_null(ev);
	small = bpf_map_create(BPF_MAP_TYPE_PERF_EVENT_ARRAY, "scx_perf_small", 4, 4, 2, NULL);
	cr_assert_geq(small, 0);
	cr_assert_eq(scx_perf_install(ev, small), -E2BIG);
	hash = bpf_map_create(BPF_MAP_TYPE_ARRAY, "scx_perf_array", 4, 4, 64, NULL);
	cr_assert_geq(hash, 0);
	cr_assert_eq(scx_perf_install(ev, hash), -EINVAL);
	n = scx_perf_install(ev, 1000000);
	cr_assert(n == -EBADF || n == -EBADFD, "%d", n);
	scx_perf_close(ev);
	close(small);
	close(hash);
	close(map);
}

/*
 * The layout of scx's lib/pmu.bpf.c: event idx of CPU cpu at key cpu + idx * stride, in a real
 * BPF_MAP_TYPE_PERF_EVENT_ARRAY sized as that library sizes it.
 */
Test(perf, install_in_the_pmu_bpf_layout)
{
	static const char *const names[] = { "cpu-clock", "dummy" };
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN), nconf = libbpf_num_possible_cpus();
	__u32 nr_keys = SCX_PERF_PMU_STRIDE + (__u32)nconf, key;
	struct scx_perf *ev;
	int map, small, n;

	SCX_OPTS(scx_perf_opts, opts, .map_stride = SCX_PERF_PMU_STRIDE);
	ev = scx_perf_open(names, 2, &opts);
	if (!ev && skip_reason(errno))
		cr_skip_test("the kernel refuses per-CPU counters: %s", strerror(errno));
	cr_assert_not_null(ev, "%s", strerror(errno));
	map = bpf_map_create(BPF_MAP_TYPE_PERF_EVENT_ARRAY, "scx_perf_pmu", 4, 4, nr_keys, NULL);
	if (map < 0) {
		int err = errno;

		scx_perf_close(ev);
		cr_skip_test("cannot create a BPF map here: %s", strerror(err));
	}
	/* one entry short of CPU nconf - 1 of the second event */
	small = bpf_map_create(BPF_MAP_TYPE_PERF_EVENT_ARRAY, "scx_perf_pmu_s", 4, 4, nr_keys - 1,
			       NULL);
	cr_assert_geq(small, 0);
	cr_assert_eq(scx_perf_install(ev, small), -E2BIG);
	cr_assert_eq(errno, E2BIG);
	n = scx_perf_install(ev, map);
	cr_assert_eq(n, ncpu * 2, "installed %d", n);
	scx_perf_close(ev);
	for (key = 0; key < nr_keys; key++) {
		__u32 cpu = key % SCX_PERF_PMU_STRIDE;
		bool filled = cpu < (__u32)ncpu;
		int ret = bpf_map_delete_elem(map, &key);

		if (filled)
			cr_assert_eq(ret, 0, "key %u was filled", key);
		else
			cr_assert_eq(errno, ENOENT, "key %u was empty", key);
	}
	close(small);
	close(map);
}

Test(perf, map_stride_must_keep_events_apart)
{
	static const char *const names[] = { "cpu-clock", "dummy", "dummy" };
	long nconf = libbpf_num_possible_cpus();

	if (nconf > 1) {
		SCX_OPTS(scx_perf_opts, narrow, .map_stride = (unsigned int)nconf - 1);

		cr_assert_null(scx_perf_open(names, 2, &narrow));
		cr_assert_eq(errno, EINVAL);
		cr_assert(strstr(last_msg, "stride"), "%s", last_msg);
	}
	{
		SCX_OPTS(scx_perf_opts, wide, .map_stride = 0x80000000u);

		cr_assert_null(scx_perf_open(names, 3, &wide), "keys past 32 bits");
		cr_assert_eq(errno, EINVAL);
	}
}
