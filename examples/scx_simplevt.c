// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * scx_simplevt: loader of a global weighted-vtime sched_ext scheduler.  See scx_simplevt(8).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <json-c/json.h>
#include <scx/netdev.h>
#include <scx/pm.h>
#include <scx/stats.h>
#include <scx/version.h>
/* The ops name becomes "<name>_<version>", so the running scheduler says which build it is. */
#define SCX_SCHED_VERSION LIBSCX_VERSION_STRING
#include <scx/common.h>
#include "scx_simplevt.h"
/* bpftool's skeleton stores map pointers through a void ** cast of its typed members. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstrict-aliasing"
#include "scx_simplevt.bpf.skel.h"
#pragma GCC diagnostic pop

static const char help_fmt[] =
	"A global weighted-vtime sched_ext scheduler.\n"
	"\n"
	"Usage: %s [OPTIONS]\n"
	"\n"
	"  -s, --slice-us=US      time slice in microseconds (default 5000)\n"
	"      --stats=SECS       print a stats line every SECS seconds (default 1, 0: never)\n"
	"      --stats-path=PATH  serve the statistics on this socket for scxinfo --monitor and\n"
	"                         other scx_stats clients (default " SCX_STATS_DEFAULT_PATH ",\n"
	"                         empty: none)\n"
	"      --error-after=N    call scx_bpf_error() at the N-th enqueue (tests ERROR_BPF exits)\n"
	"      --stall-after=N    stop dispatching after N enqueues, so the watchdog ends the\n"
	"                         scheduler (tests ERROR_STALL exits)\n"
	"      --tune             while it runs, keep every CPU's resume latency at 10 us, ask\n"
	"                         for a 20 us PM QoS latency and pin every NIC IRQ to CPU 0; all\n"
	"                         put back at exit (and by libscx after a kill)\n"
	"  -v, --verbose          print libbpf's debug messages\n"
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
		fprintf(stderr, "scx_simplevt: bad %s '%s'\n", what, arg);
		exit(2);
	}
	return v;
}

/*
 * --tune: the knobs a latency-minded scheduler turns.  libscx records each one's original
 * before the first change, so they come back even when this process is killed.
 */
struct tuning {
	struct scx_pm *pm;
	struct scx_pm_snapshot *saved;
	struct scx_pm_qos *qos;
	struct scx_netdev *nd;
};

static void tune(struct tuning *t)
{
	int nr_cpus = libbpf_num_possible_cpus(), nr_lat = 0, nr_irqs = 0;
	unsigned int dev, i;

	t->pm = scx_pm_open(NULL);
	if (t->pm) {
		t->saved = scx_pm_snapshot_load(t->pm, SCX_PM_BIT(SCX_PM_RESUME_LATENCY));
		for (int cpu = 0; t->saved && cpu < nr_cpus; cpu++)
			nr_lat += !scx_pm_resume_latency_set(t->pm, cpu, 10);
		t->qos = scx_pm_qos_open(t->pm, 20);
	}
	t->nd = scx_netdev_load(NULL);
	for (dev = 0; t->nd && dev < (unsigned int)scx_netdev_count(t->nd); dev++) {
		for (i = 0; i < (unsigned int)scx_netdev_nr_irqs(t->nd, dev); i++) {
			struct scx_cpumask *m = scx_netdev_irq_mask(t->nd, dev, i);

			scx_cpumask_zero(m);
			scx_cpumask_set(m, 0);
		}
	}
	if (t->nd)
		nr_irqs = scx_netdev_apply(t->nd);
	printf("scx_simplevt: tuned resume_latency=%d pm_qos=%d irqs=%d\n", nr_lat, t->qos != NULL,
	       nr_irqs > 0 ? nr_irqs : 0);
	fflush(stdout);
}

static void untune(struct tuning *t)
{
	scx_pm_qos_close(t->qos);
	if (t->saved && scx_pm_restore(t->pm, t->saved) < 0)
		fprintf(stderr, "scx_simplevt: restoring resume latency: %s\n", strerror(errno));
	if (t->nd && scx_netdev_restore(t->nd) < 0)
		fprintf(stderr, "scx_simplevt: restoring IRQ affinity: %s\n", strerror(errno));
	scx_pm_snapshot_free(t->saved);
	scx_pm_close(t->pm);
	scx_netdev_free(t->nd);
}

/* Sum the per-CPU counters of the stats map. */
static void read_stats(struct scx_simplevt *skel, unsigned long long *out)
{
	int nr_cpus = libbpf_num_possible_cpus();
	unsigned long long *vals;
	__u32 idx;
	int cpu;

	memset(out, 0, SIMPLEVT_NR_STATS * sizeof(*out));
	if (nr_cpus <= 0)
		return;
	vals = calloc(nr_cpus, sizeof(*vals));
	if (!vals)
		return;
	for (idx = 0; idx < SIMPLEVT_NR_STATS; idx++) {
		if (bpf_map_lookup_elem(bpf_map__fd(skel->maps.stats), &idx, vals))
			continue;
		for (cpu = 0; cpu < nr_cpus; cpu++)
			out[idx] += vals[cpu];
	}
	free(vals);
}

/* What the stats server reads: the skeleton of the scheduler loaded now. */
static struct scx_simplevt *cur_skel;

/* The "top" target: the counters, as the printed line has them. */
static int fill_stats(struct json_object *resp, struct json_object *args, void *ctx)
{
	unsigned long long st[SIMPLEVT_NR_STATS];

	if (!cur_skel)
		return -EAGAIN;	/* between a restart's unload and load */
	read_stats(cur_skel, st);
	if (json_object_object_add(resp, "local", json_object_new_uint64(st[SIMPLEVT_STAT_LOCAL])) ||
	    json_object_object_add(resp, "global", json_object_new_uint64(st[SIMPLEVT_STAT_GLOBAL])) ||
	    json_object_object_add(resp, "dispatched",
				   json_object_new_uint64(st[SIMPLEVT_STAT_DISPATCHED])))
		return -ENOMEM;
	return 0;
}

/* The server of scxinfo --monitor's requests, answered from the main loop; NULL: none. */
static struct scx_stats_server *open_stats_server(const char *path)
{
	SCX_OPTS(scx_stats_server_opts, opts, .path = path);
	struct scx_stats_server *server;

	if (!path[0])
		return NULL;
	server = scx_stats_server_open(&opts);
	if (!server) {
		fprintf(stderr, "scx_simplevt: not serving statistics on %s: %s\n", path,
			strerror(errno));
		return NULL;
	}
	if (scx_stats_server_add_meta(server, "SimplevtStats", "scx_simplevt's counters",
				      SCX_STATS_META_TOP) ||
	    scx_stats_server_add_field(server, "SimplevtStats", "local", "u64",
				       "tasks placed directly on an idle CPU") ||
	    scx_stats_server_add_field(server, "SimplevtStats", "global", "u64",
				       "tasks queued on the shared vtime queue") ||
	    scx_stats_server_add_field(server, "SimplevtStats", "dispatched", "u64",
				       "tasks moved from the shared queue to a CPU") ||
	    scx_stats_server_add_stats(server, "top", fill_stats, NULL)) {
		fprintf(stderr, "scx_simplevt: stats server: %s\n", strerror(errno));
		scx_stats_server_close(server);
		return NULL;
	}
	return server;
}

/* Sleep a second, answering stats requests meanwhile. */
static void wait_a_second(struct scx_stats_server *server)
{
	struct timespec start, now;
	long left_ms = 1000;
	struct pollfd pfd;

	if (!server) {
		sleep(1);
		return;
	}
	pfd.fd = scx_stats_server_fd(server);
	pfd.events = POLLIN;
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (left_ms > 0 && !exit_req) {
		if (poll(&pfd, 1, (int)left_ms) > 0)
			scx_stats_server_poll(server, 0);
		clock_gettime(CLOCK_MONOTONIC, &now);
		left_ms = 1000 - ((now.tv_sec - start.tv_sec) * 1000 +
				  (now.tv_nsec - start.tv_nsec) / 1000000);
	}
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "slice-us", required_argument, NULL, 's' },
		{ "stats", required_argument, NULL, 'S' },
		{ "stats-path", required_argument, NULL, 'P' },
		{ "error-after", required_argument, NULL, 'E' },
		{ "stall-after", required_argument, NULL, 'T' },
		{ "tune", no_argument, NULL, 'U' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long long slice_us = 5000, stats_secs = 1, error_after = 0, stall_after = 0;
	const char *stats_path = SCX_STATS_DEFAULT_PATH;
	struct scx_stats_server *server;
	struct tuning tuning = { 0 };
	struct scx_simplevt *skel;
	bool tuned = false;
	struct bpf_link *link;
	__u64 ecode;
	int opt;

	while ((opt = getopt_long(argc, argv, "s:vh", longopts, NULL)) != -1) {
		switch (opt) {
		case 's':
			slice_us = parse_num(optarg, "slice");
			break;
		case 'S':
			stats_secs = parse_num(optarg, "stats interval");
			break;
		case 'P':
			stats_path = optarg;
			break;
		case 'E':
			error_after = parse_num(optarg, "--error-after count");
			break;
		case 'T':
			stall_after = parse_num(optarg, "--stall-after count");
			break;
		case 'U':
			tuned = true;
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
		fprintf(stderr, "scx_simplevt: the slice must be 1..1000000 us\n");
		return 2;
	}

	libbpf_set_print(libbpf_print);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	server = open_stats_server(stats_path);

restart:
	skel = SCX_OPS_OPEN(simplevt_ops, scx_simplevt);
	skel->rodata->slice_ns = slice_us * 1000;
	skel->rodata->error_after = error_after;
	skel->rodata->stall_after = stall_after;
	if (stall_after)	/* let the watchdog act within seconds */
		skel->struct_ops.simplevt_ops->timeout_ms = 3000;

	SCX_OPS_LOAD(skel, simplevt_ops, scx_simplevt, uei);
	link = SCX_OPS_ATTACH(skel, simplevt_ops, scx_simplevt);
	cur_skel = skel;
	printf("scx_simplevt: attached (slice %llu us)\n", slice_us);
	fflush(stdout);
	if (tuned && !tuning.pm && !tuning.nd)
		tune(&tuning);

	for (unsigned long long t = 1; !exit_req && !UEI_EXITED(skel, uei); t++) {
		unsigned long long st[SIMPLEVT_NR_STATS];

		wait_a_second(server);
		if (!stats_secs || t % stats_secs)
			continue;
		read_stats(skel, st);
		printf("local=%llu global=%llu dispatched=%llu waiting=%lld\n",
		       st[SIMPLEVT_STAT_LOCAL], st[SIMPLEVT_STAT_GLOBAL], st[SIMPLEVT_STAT_DISPATCHED],
		       (long long)(st[SIMPLEVT_STAT_WAIT_BEGIN] - st[SIMPLEVT_STAT_WAIT_END]));
		fflush(stdout);
	}

	bpf_link__destroy(link);
	ecode = UEI_REPORT(skel, uei);
	cur_skel = NULL;
	scx_simplevt__destroy(skel);

	if (UEI_ECODE_RESTART(ecode) && !exit_req)
		goto restart;
	untune(&tuning);
	scx_stats_server_close(server);
	return 0;
}
