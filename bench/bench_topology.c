// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * bench_topology: load a CPU topology from a sysfs tree with libscx and with hwloc, in one
 * process, and print the median time per load and the files each opened.
 *
 *   bench_topology [-n LOADS] [-g] [ROOT...]
 *
 * Without ROOT it loads every real-machine snapshot found in $SCX_SHARED_DIR/fixtures/sysfs
 * (else $top_srcdir/../shared/fixtures/sysfs), unpacked into a temporary folder, and two
 * generated trees of 1024 and 8192 CPUs (with -g, only the generated trees).
 *
 * Times are medians over the loads of the wall-clock time and of the thread's CPU time (on a
 * shared machine the second does not count time spent waiting for a CPU).  scx_topo_load()
 * leaves the details to their first use, in two parts, so libscx is also timed for a load
 * followed by one capacity query (which reads the capacity part: cpufreq maximum frequencies and
 * capacity sources) and then one minimum-frequency query (the rest: core ids, L2s, the other
 * cpufreq files): the "all" figures compare like with like, since hwloc reads everything in its
 * load.
 *
 * Opens are counted by interposing open(), open64(), openat() and openat64() in this
 * executable: the dynamic linker binds hwloc's (and libscx's) calls to these definitions,
 * which count and forward to the openat system call.  Failed opens count too.  hwloc's
 * opendir() goes through openat() + fdopendir(), so folders count for both libraries alike.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <hwloc.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <scx/log.h>
#include <scx/topo.h>

#include "../tests/lib/fstree.h"
#include "../tests/lib/sysgen.h"

static unsigned long nr_opens;

static int count_open(int dirfd, const char *path, int flags, mode_t mode)
{
	nr_opens++;
	return (int)syscall(SYS_openat, dirfd, path, flags, mode);
}

static mode_t va_mode(int flags, va_list ap)
{
	return (flags & O_CREAT) || (flags & __O_TMPFILE) == __O_TMPFILE ? va_arg(ap, mode_t) : 0;
}

/* Interposers: every open in the process goes through these (see the header comment). */
int open(const char *path, int flags, ...);
int open64(const char *path, int flags, ...);
int openat(int dirfd, const char *path, int flags, ...);
int openat64(int dirfd, const char *path, int flags, ...);

int open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = va_mode(flags, ap);
	va_end(ap);
	return count_open(AT_FDCWD, path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = va_mode(flags, ap);
	va_end(ap);
	return count_open(AT_FDCWD, path, flags | O_LARGEFILE, mode);
}

int openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = va_mode(flags, ap);
	va_end(ap);
	return count_open(dirfd, path, flags, mode);
}

int openat64(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = va_mode(flags, ap);
	va_end(ap);
	return count_open(dirfd, path, flags | O_LARGEFILE, mode);
}

static double clock_us(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static double now_us(void)
{
	return clock_us(CLOCK_MONOTONIC);
}

/* CPU time of this thread: what a load costs without the time spent waiting for a CPU. */
static double cpu_us(void)
{
	return clock_us(CLOCK_THREAD_CPUTIME_ID);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct result {
	double us, cpu;
	unsigned long opens;
	int cpus;
	/* libscx: a load followed by a capacity query, then by a query of the other details */
	double cap_us, cap_cpu, full_us, full_cpu;
	unsigned long cap_opens, full_opens;
};

static int load_libscx(const char *root, int loads, struct result *r)
{
	SCX_OPTS(scx_topo_opts, opts, .sysfs_root = root);
	double *t = calloc((size_t)loads, sizeof(*t)), *c = calloc((size_t)loads, sizeof(*c));
	double *ft = calloc((size_t)loads, sizeof(*ft)), *fc = calloc((size_t)loads, sizeof(*fc));
	double *pt = calloc((size_t)loads, sizeof(*pt)), *pc = calloc((size_t)loads, sizeof(*pc));
	int i, err = 0;

	if (!t || !c || !ft || !fc || !pt || !pc) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < loads; i++) {
		struct scx_topo *topo;
		unsigned long before = nr_opens;
		double c0 = cpu_us(), t0 = now_us();

		topo = scx_topo_load(&opts);
		t[i] = now_us() - t0;
		c[i] = cpu_us() - c0;
		if (!topo) {
			fprintf(stderr, "bench_topology: libscx cannot load %s: %s\n", root,
				strerror(errno));
			err = -1;
			goto out;
		}
		/* the count includes the root folder, which scx_topo_nr_files_read() does not */
		r->opens = nr_opens - before;
		/* the first capacity query reads the capacity part of the details */
		scx_topo_cpu_capacity(topo, scx_cpumask_first(scx_topo_online(topo)));
		pt[i] = now_us() - t0;
		pc[i] = cpu_us() - c0;
		r->cap_opens = nr_opens - before;
		/* the first minimum-frequency query reads the rest */
		scx_topo_cpu_min_freq(topo, scx_cpumask_first(scx_topo_online(topo)));
		ft[i] = now_us() - t0;
		fc[i] = cpu_us() - c0;
		r->full_opens = nr_opens - before;
		r->cpus = (int)scx_cpumask_weight(scx_topo_online(topo));
		scx_topo_free(topo);
	}
	r->us = median(t, loads);
	r->cpu = median(c, loads);
	r->cap_us = median(pt, loads);
	r->cap_cpu = median(pc, loads);
	r->full_us = median(ft, loads);
	r->full_cpu = median(fc, loads);
out:
	free(t);
	free(c);
	free(ft);
	free(fc);
	free(pt);
	free(pc);
	return err;
}

static int load_hwloc(const char *root, int loads, struct result *r)
{
	double *t = calloc((size_t)loads, sizeof(*t)), *c = calloc((size_t)loads, sizeof(*c));
	int i;

	if (!t || !c) {
		free(t);
		free(c);
		return -ENOMEM;
	}
	/* the Linux component only, on the tree, no I/O discovery */
	setenv("HWLOC_FSROOT", root, 1);
	setenv("HWLOC_COMPONENTS", "linux,stop", 1);
	for (i = 0; i < loads; i++) {
		unsigned long before = nr_opens;
		hwloc_topology_t topo;
		double c0 = cpu_us(), t0 = now_us();
		int err;

		hwloc_topology_init(&topo);
		hwloc_topology_set_io_types_filter(topo, HWLOC_TYPE_FILTER_KEEP_NONE);
		err = hwloc_topology_load(topo);
		t[i] = now_us() - t0;
		c[i] = cpu_us() - c0;
		r->opens = nr_opens - before;
		r->cpus = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU);
		hwloc_topology_destroy(topo);
		if (err) {
			fprintf(stderr, "bench_topology: hwloc cannot load %s\n", root);
			free(t);
			free(c);
			return -1;
		}
	}
	unsetenv("HWLOC_FSROOT");
	unsetenv("HWLOC_COMPONENTS");
	r->us = median(t, loads);
	r->cpu = median(c, loads);
	free(t);
	free(c);
	return 0;
}

static int bench_root(const char *name, const char *root, int loads)
{
	struct result us = { 0 }, hw = { 0 };

	/* one load of each first, so neither pays for a cold page cache */
	if (load_libscx(root, 1, &us) || load_hwloc(root, 1, &hw))
		return -1;
	if (load_libscx(root, loads, &us) || load_hwloc(root, loads, &hw))
		return -1;
	printf("topology-load %s: libscx %.0f us, %lu opens; hwloc %.0f us, %lu opens; "
	       "ratio %.1f; cpu time libscx %.0f us, hwloc %.0f us, ratio %.1f\n", name, us.us,
	       us.opens, hw.us, hw.opens, hw.us / us.us, us.cpu, hw.cpu, hw.cpu / us.cpu);
	printf("topology-load+capacity %s: libscx %.0f us, %lu opens; ratio %.1f; "
	       "cpu time libscx %.0f us, ratio %.1f\n", name, us.cap_us, us.cap_opens,
	       hw.us / us.cap_us, us.cap_cpu, hw.cpu / us.cap_cpu);
	printf("topology-load+all %s: libscx %.0f us, %lu opens; ratio %.1f; "
	       "cpu time libscx %.0f us, ratio %.1f\n", name, us.full_us, us.full_opens,
	       hw.us / us.full_us, us.full_cpu, hw.cpu / us.full_cpu);
	fflush(stdout);
	return 0;
}

static void quiet(enum scx_log_level l, const char *m, void *c)
{
}

static const char *shared_dir(char *buf, size_t sz)
{
	const char *src = getenv("SCX_SHARED_DIR");
	struct stat st;

	if (src && *src)
		snprintf(buf, sz, "%s/fixtures/sysfs", src);
	else if ((src = getenv("top_srcdir")) && *src)
		snprintf(buf, sz, "%s/../shared/fixtures/sysfs", src);
	else
		snprintf(buf, sz, "../shared/fixtures/sysfs");
	return stat(buf, &st) || !S_ISDIR(st.st_mode) ? NULL : buf;
}

static int bench_snapshots(const char *tmp, int loads)
{
	static const char *const names[] = {
		"256ppc-8n8s4t", "20em64t-hybrid-1p6c2t+2ca4co1t", "96em64t-4n4d3ca2co",
		"64amd64-4s2n4ca2co", "128ia64-17n4s2c", "16em64t-4s2c2t-offlines",
	};
	char dir[1024], cmd[3000], root[1200];
	size_t i;
	int err = 0;

	if (!shared_dir(dir, sizeof(dir))) {
		printf("# no shared snapshots (../shared/fixtures/sysfs): skipped\n");
		return 0;
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]) && !err; i++) {
		snprintf(cmd, sizeof(cmd), "tar xjf '%s/%s.tar.bz2' -C '%s'", dir, names[i], tmp);
		if (system(cmd)) {
			fprintf(stderr, "bench_topology: cannot unpack %s\n", names[i]);
			return -1;
		}
		snprintf(root, sizeof(root), "%s/%s", tmp, names[i]);
		err = bench_root(names[i], root, loads);
	}
	return err;
}

static int bench_generated(const char *tmp, int cpus, int loads)
{
	/* a server: 2-way SMT, 32 cores per LLC, 4 LLCs per node, one cpufreq policy per core */
	struct sysgen sg = { .nodes = cpus / 256, .llcs_per_node = 4, .cores_per_llc = 32,
			     .threads = 2, .freq_per_core = true, .lean = true };
	struct fstree t;
	char name[64];
	int err;

	snprintf(t.root, sizeof(t.root), "%s/gen%d", tmp, cpus);
	if (mkdir(t.root, 0700))
		return -errno;
	err = sysgen_write(&t, &sg);
	sysgen_fini(&sg);
	if (err) {
		fprintf(stderr, "bench_topology: cannot write a %d-CPU tree: %s\n", cpus,
			strerror(-err));
		return err;
	}
	snprintf(name, sizeof(name), "generated-%d", cpus);
	return bench_root(name, t.root, loads);
}

int main(int argc, char **argv)
{
	int loads = 21, opt, err = 0;
	bool generated_only = false;
	struct fstree tmp;

	while ((opt = getopt(argc, argv, "gn:")) != -1) {
		if (opt == 'n' && atoi(optarg) > 0) {
			loads = atoi(optarg);
		} else if (opt == 'g') {
			generated_only = true;
		} else {
			fprintf(stderr, "usage: bench_topology [-n LOADS] [-g] [ROOT...]\n");
			return 2;
		}
	}
	scx_log_fn_set(quiet, NULL);
	if (optind < argc) {
		for (; optind < argc && !err; optind++)
			err = bench_root(argv[optind], argv[optind], loads);
		return err ? 1 : 0;
	}
	if (!getenv("TMPDIR") && !access("/dev/shm", W_OK))
		setenv("TMPDIR", "/dev/shm", 1);
	if (fstree_init(&tmp)) {
		perror("bench_topology: temporary folder");
		return 1;
	}
	if (!generated_only)
		err = bench_snapshots(tmp.root, loads);
	if (!err)
		err = bench_generated(tmp.root, 1024, loads);
	if (!err)
		err = bench_generated(tmp.root, 8192, loads > 11 ? 11 : loads);
	fstree_fini(&tmp);
	return err ? 1 : 0;
}
