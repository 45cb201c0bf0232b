// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * scx_topovt: loader of a topology-aware (per-LLC) weighted-vtime sched_ext scheduler.  It
 * reads the CPU topology with libscx and fills the scheduler's maps from it.  See
 * scx_topovt(8).
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <scx/version.h>
/* The ops name becomes "<name>_<version>", so the running scheduler says which build it is. */
#define SCX_SCHED_VERSION LIBSCX_VERSION_STRING
#include <scx/common.h>
#include <scx/cpumask.h>
#include <scx/topo.h>
#include "scx_topovt.h"
/* bpftool's skeleton stores map pointers through a void ** cast of its typed members. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstrict-aliasing"
#include "scx_topovt.bpf.skel.h"
#pragma GCC diagnostic pop

static const char help_fmt[] =
	"A topology-aware sched_ext scheduler: one vtime queue per last-level cache, idle\n"
	"cores preferred on SMT machines.\n"
	"\n"
	"Usage: %s [OPTIONS]\n"
	"\n"
	"  -s, --slice-us=US      time slice in microseconds (default 5000)\n"
	"      --stats=SECS       print a stats line every SECS seconds (default 1, 0: never)\n"
	"      --error-after=N    call scx_bpf_error() at the N-th enqueue (tests ERROR_BPF exits)\n"
	"      --stall-after=N    stop dispatching after N enqueues, so the watchdog ends the\n"
	"                         scheduler (tests ERROR_STALL exits)\n"
	"  -v, --verbose          print libbpf's debug messages and the topology\n"
	"  -h, --help             show this help\n";

static volatile sig_atomic_t exit_req;
static bool verbose;

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG && !verbose)
		return 0;
	return vfprintf(stderr, fmt, args);
}

static void on_signal(int sig)
{
	exit_req = 1;
}

static unsigned long long parse_num(const char *arg, const char *what)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(arg, &end, 0);
	if (errno || end == arg || *end) {
		fprintf(stderr, "scx_topovt: bad %s '%s'\n", what, arg);
		exit(2);
	}
	return v;
}

/*
 * Fill cpu_llc and llc_cpus from the topology.  Offline CPUs keep LLC 0;
 * an LLC's words are its online CPUs.  Return: 0 or -errno (with a message printed).
 */
static int fill_topology(struct scx_topovt *skel, const struct scx_topo *topo)
{
	int nr_cpu_ids = scx_topo_nr_cpu_ids(topo);
	int nr_llcs = scx_topo_nr_llcs(topo);
	int cpu, llc, err;

	if (nr_cpu_ids <= 0 || nr_llcs <= 0)
		return -EINVAL;
	if (nr_cpu_ids > TOPOVT_MAX_CPUS || nr_llcs > TOPOVT_MAX_LLCS) {
		fprintf(stderr, "scx_topovt: %d CPU ids / %d LLCs exceed %d / %d\n", nr_cpu_ids,
			nr_llcs, TOPOVT_MAX_CPUS, TOPOVT_MAX_LLCS);
		return -E2BIG;
	}
	/* After load (the maps exist then); the rodata sizes were set before it. */
	for (cpu = 0; cpu < nr_cpu_ids; cpu++) {
		__u32 key = cpu, val;

		llc = scx_topo_cpu_llc(topo, cpu);
		val = llc >= 0 ? (__u32)llc : 0;
		err = bpf_map_update_elem(bpf_map__fd(skel->maps.cpu_llc), &key, &val, BPF_ANY);
		if (err)
			return -errno;
	}
	for (llc = 0; llc < nr_llcs; llc++) {
		struct topovt_llc_cpus words = { 0 };
		uint64_t span[TOPOVT_MASK_WORDS];
		unsigned int w;
		__u32 key = llc;

		/* The map's words are unsigned long long, uint64_t is unsigned long: copied over,
		 * not written through a cast pointer. */
		err = scx_cpumask_to_u64s(scx_topo_llc_span(topo, llc), span, TOPOVT_MASK_WORDS);
		if (err < 0)
			return err;
		for (w = 0; w < TOPOVT_MASK_WORDS; w++)
			words.words[w] = span[w];
		err = bpf_map_update_elem(bpf_map__fd(skel->maps.llc_cpus), &key, &words, BPF_ANY);
		if (err)
			return -errno;
		if (verbose) {
			char list[256];

			if (scx_cpumask_format_list(scx_topo_llc_span(topo, llc), list,
						    sizeof(list)) < 0)
				strcpy(list, "?");
			fprintf(stderr, "scx_topovt: LLC %d: CPUs %s\n", llc, list);
		}
	}
	return 0;
}

static void read_stats(struct scx_topovt *skel, unsigned long long *out)
{
	int nr_cpus = libbpf_num_possible_cpus();
	unsigned long long *vals;
	__u32 idx;
	int cpu;

	memset(out, 0, TOPOVT_NR_STATS * sizeof(*out));
	if (nr_cpus <= 0)
		return;
	vals = calloc(nr_cpus, sizeof(*vals));
	if (!vals)
		return;
	for (idx = 0; idx < TOPOVT_NR_STATS; idx++) {
		if (bpf_map_lookup_elem(bpf_map__fd(skel->maps.stats), &idx, vals))
			continue;
		for (cpu = 0; cpu < nr_cpus; cpu++)
			out[idx] += vals[cpu];
	}
	free(vals);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "slice-us", required_argument, NULL, 's' },
		{ "stats", required_argument, NULL, 'S' },
		{ "error-after", required_argument, NULL, 'E' },
		{ "stall-after", required_argument, NULL, 'T' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long long slice_us = 5000, stats_secs = 1, error_after = 0, stall_after = 0;
	struct scx_topovt *skel;
	struct scx_topo *topo;
	struct bpf_link *link;
	__u64 ecode;
	int opt, err;

	while ((opt = getopt_long(argc, argv, "s:vh", longopts, NULL)) != -1) {
		switch (opt) {
		case 's':
			slice_us = parse_num(optarg, "slice");
			break;
		case 'S':
			stats_secs = parse_num(optarg, "stats interval");
			break;
		case 'E':
			error_after = parse_num(optarg, "--error-after count");
			break;
		case 'T':
			stall_after = parse_num(optarg, "--stall-after count");
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			printf(help_fmt, basename(argv[0]));
			return 0;
		default:
			fprintf(stderr, help_fmt, basename(argv[0]));
			return 2;
		}
	}
	if (!slice_us || slice_us > 1000000) {
		fprintf(stderr, "scx_topovt: the slice must be 1..1000000 us\n");
		return 2;
	}

	libbpf_set_print(libbpf_print);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

restart:
	/* Read the topology afresh on every (re)start: a hotplug restart changes it. */
	topo = scx_topo_load(NULL);
	if (!topo) {
		fprintf(stderr, "scx_topovt: reading the CPU topology: %s\n", strerror(errno));
		return 1;
	}
	skel = SCX_OPS_OPEN(topovt_ops, scx_topovt);
	skel->rodata->slice_ns = slice_us * 1000;
	skel->rodata->error_after = error_after;
	skel->rodata->stall_after = stall_after;
	if (stall_after)
		skel->struct_ops.topovt_ops->timeout_ms = 3000;
	skel->rodata->nr_cpu_ids = scx_topo_nr_cpu_ids(topo);
	skel->rodata->nr_llcs = scx_topo_nr_llcs(topo);
	skel->rodata->smt_enabled = scx_topo_smt_enabled(topo);

	SCX_OPS_LOAD(skel, topovt_ops, scx_topovt, uei);
	err = fill_topology(skel, topo);
	if (err) {
		fprintf(stderr, "scx_topovt: filling the topology maps: %s\n", strerror(-err));
		scx_topovt__destroy(skel);
		scx_topo_free(topo);
		return 1;
	}
	link = SCX_OPS_ATTACH(skel, topovt_ops, scx_topovt);
	printf("scx_topovt: attached (%d LLCs, SMT %s, slice %llu us)\n", scx_topo_nr_llcs(topo),
	       scx_topo_smt_enabled(topo) ? "on" : "off", slice_us);
	fflush(stdout);

	for (unsigned long long t = 1; !exit_req && !UEI_EXITED(skel, uei); t++) {
		unsigned long long st[TOPOVT_NR_STATS];

		sleep(1);
		if (!stats_secs || t % stats_secs)
			continue;
		read_stats(skel, st);
		printf("prev_core=%llu idle_core=%llu idle_cpu=%llu queued=%llu local_llc=%llu "
		       "stolen=%llu waiting=%lld\n", st[TOPOVT_STAT_PREV_CORE],
		       st[TOPOVT_STAT_IDLE_CORE], st[TOPOVT_STAT_IDLE_CPU], st[TOPOVT_STAT_QUEUED],
		       st[TOPOVT_STAT_LOCAL_LLC], st[TOPOVT_STAT_STOLEN],
		       (long long)(st[TOPOVT_STAT_WAIT_BEGIN] - st[TOPOVT_STAT_WAIT_END]));
		fflush(stdout);
	}

	bpf_link__destroy(link);
	ecode = UEI_REPORT(skel, uei);
	scx_topovt__destroy(skel);
	scx_topo_free(topo);

	if (UEI_ECODE_RESTART(ecode) && !exit_req)
		goto restart;
	return 0;
}
