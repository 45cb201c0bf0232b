// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * Built with -fsanitize=thread by tests/tsan-check.sh: many threads read one loaded topology
 * and one energy model (immutable handles; the topology's details are read from sysfs by
 * whichever thread asks first, while the others wait), while each thread also mutates cpumasks
 * of its own; then log callbacks are swapped while other threads log; and a stats server on
 * its own thread answers clients on several threads while the main thread registers more
 * targets.  ThreadSanitizer reports any data race; the program prints TAP.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <scx/em.h>
#include <json-c/json.h>
#include <scx/log.h>
#include <scx/stats.h>
#include <scx/topo.h>

#include "../lib/fstree.h"
#include "../lib/sysgen.h"

#define NR_THREADS 8
#define ROUNDS 200

static struct scx_topo *topo;
static struct scx_em *em;

struct result {
	unsigned long sum;
	int bad;
};

static void *reader(void *arg)
{
	struct result *r = arg;
	int n = scx_topo_nr_cpu_ids(topo);
	struct scx_cpumask *mine = scx_cpumask_new((unsigned int)n);

	if (!mine) {
		r->bad++;
		return NULL;
	}
	for (int round = 0; round < ROUNDS; round++) {
		for (int cpu = 0; cpu < n; cpu++) {
			if (!scx_topo_cpu_online(topo, cpu))
				continue;
			r->sum += (unsigned long)scx_topo_cpu_llc(topo, cpu) +
				  (unsigned long)scx_topo_cpu_core(topo, cpu) +
				  (unsigned long)scx_topo_cpu_node(topo, cpu);
			/* details: read from sysfs by whichever thread asks first */
			r->sum += (unsigned long)scx_topo_cpu_capacity(topo, cpu) +
				  (unsigned long)scx_topo_cpu_max_freq(topo, cpu) +
				  (unsigned long)scx_topo_cpu_l2(topo, cpu);
			r->sum += (unsigned long)scx_em_domain_of_cpu(em, (unsigned int)cpu);
		}
		for (int d = 0; d < scx_em_nr_domains(em); d++)
			r->sum += (unsigned long)scx_em_pstate_for_util(em, (unsigned int)d,
								       (uint64_t)round * 5);
		/* this thread's own mask: copy, clear, re-set from the shared ones */
		scx_cpumask_assign(mine, scx_topo_online(topo));
		scx_cpumask_clear(mine, (unsigned int)(round % n));
		scx_cpumask_or(mine, mine, scx_em_domain_cpus(em, 0));
		scx_cpumask_or(mine, mine, scx_topo_primary(topo, SCX_TOPO_POWER_PERFORMANCE));
		r->sum += scx_cpumask_weight(mine);
	}
	scx_cpumask_free(mine);
	return NULL;
}

static void quiet(enum scx_log_level level, const char *msg, void *ctx)
{
	(void)level;
	(void)msg;
	(void)ctx;
}

/*
 * Log callbacks swapped while other threads log: each callback checks it got its own context,
 * and ThreadSanitizer checks that the swap and the logging do not race.
 */
static int tag_a, tag_b;
static int torn;

static void log_a(enum scx_log_level level, const char *msg, void *ctx)
{
	(void)level;
	(void)msg;
	if (ctx != &tag_a)
		__atomic_add_fetch(&torn, 1, __ATOMIC_RELAXED);
}

static void log_b(enum scx_log_level level, const char *msg, void *ctx)
{
	(void)level;
	(void)msg;
	if (ctx != &tag_b)
		__atomic_add_fetch(&torn, 1, __ATOMIC_RELAXED);
}

static void *log_swapper(void *arg)
{
	for (int i = 0; i < ROUNDS * 10; i++)
		scx_log_fn_set(i & 1 ? log_a : log_b, i & 1 ? &tag_a : &tag_b);
	return arg;
}

static void *log_writer(void *arg)
{
	for (int i = 0; i < ROUNDS * 10; i++)
		scx_log(SCX_LOG_ERROR, "message %d", i);
	return arg;
}

static int log_swap_while_logging(void)
{
	pthread_t th[NR_THREADS];
	int bad = 0;

	for (int i = 0; i < NR_THREADS; i++)
		if (pthread_create(&th[i], NULL, i < 2 ? log_swapper : log_writer, NULL))
			bad++;
	for (int i = 0; i < NR_THREADS; i++)
		pthread_join(th[i], NULL);
	scx_log_fn_set(quiet, NULL);
	return bad + __atomic_load_n(&torn, __ATOMIC_RELAXED);
}

static char stats_path[256];

static int fill(struct json_object *resp, struct json_object *args, void *ctx)
{
	(void)args;
	(void)ctx;
	return json_object_object_add(resp, "nr", json_object_new_int(1)) ? -ENOMEM : 0;
}

static void *stats_client(void *arg)
{
	SCX_OPTS(scx_stats_client_opts, opts, .path = stats_path);
	struct scx_stats_client *c = scx_stats_client_new(&opts);
	int *bad = arg;

	if (!c) {
		(*bad)++;
		return NULL;
	}
	for (int i = 0; i < 50; i++)
		if (scx_stats_client_request(c, i % 5 ? "stats" : "stats_meta", NULL, NULL, NULL))
			(*bad)++;
	scx_stats_client_free(c);
	return NULL;
}

/* A threaded stats server, clients on NR_THREADS threads, registrations from this one. */
static int stats_server_threads(const char *dir)
{
	SCX_OPTS(scx_stats_server_opts, opts, .path = stats_path, .thread = true);
	int bad[NR_THREADS] = { 0 }, nr_bad = 0;
	struct scx_stats_server *s;
	pthread_t th[NR_THREADS];
	char name[32];

	snprintf(stats_path, sizeof(stats_path), "%s/stats", dir);
	s = scx_stats_server_open(&opts);
	if (!s || scx_stats_server_add_stats(s, "top", fill, NULL))
		return 1;
	for (int i = 0; i < NR_THREADS; i++)
		if (pthread_create(&th[i], NULL, stats_client, &bad[i]))
			nr_bad++;
	for (int i = 0; i < 50; i++) {
		snprintf(name, sizeof(name), "T%d", i);
		if (scx_stats_server_add_meta(s, name, NULL, 0) ||
		    scx_stats_server_add_field(s, name, "nr", "u64", NULL) ||
		    scx_stats_server_add_stats(s, name, fill, NULL))
			nr_bad++;
	}
	for (int i = 0; i < NR_THREADS; i++) {
		pthread_join(th[i], NULL);
		nr_bad += bad[i];
	}
	scx_stats_server_close(s);
	return nr_bad;
}

int main(void)
{
	struct sysgen sg = { .nodes = 2, .llcs_per_node = 2, .cores_per_llc = 2, .threads = 2 };
	struct result res[NR_THREADS] = { 0 };
	pthread_t th[NR_THREADS];
	struct fstree t;
	int bad = 0;

	scx_log_fn_set(quiet, NULL);
	printf("1..4\n");
	if (fstree_init(&t) || sysgen_write(&t, &sg)) {
		printf("Bail out! cannot write a tree\n");
		return 1;
	}
	fstree_write(&t, "em/pd0/cpus", "0-7\n");
	fstree_write(&t, "em/pd1/cpus", "8-15\n");
	for (int d = 0; d < 2; d++)
		for (int s = 1; s <= 3; s++) {
			char p[128];

			snprintf(p, sizeof(p), "em/pd%d/ps:%d/frequency", d, s);
			fstree_write(&t, p, "%d\n", s * 100000);
			snprintf(p, sizeof(p), "em/pd%d/ps:%d/power", d, s);
			fstree_write(&t, p, "%d\n", s * 10);
			snprintf(p, sizeof(p), "em/pd%d/ps:%d/cost", d, s);
			fstree_write(&t, p, "%d\n", s * 20);
			snprintf(p, sizeof(p), "em/pd%d/ps:%d/performance", d, s);
			fstree_write(&t, p, "%d\n", s * 300);
		}
	{
		SCX_OPTS(scx_topo_opts, topts, .sysfs_root = t.root);
		SCX_OPTS(scx_em_opts, eopts, .sysfs_root = t.root, .em_dir = "em");

		topo = scx_topo_load(&topts);
		em = scx_em_load(&eopts);
	}
	if (!topo || !em) {
		printf("not ok 1 - load: %s\n", strerror(errno));
		printf("not ok 2 - threads # SKIP nothing loaded\n");
		printf("not ok 3 - stats server # SKIP nothing loaded\n");
		printf("not ok 4 - log callbacks # SKIP nothing loaded\n");
		return 1;
	}
	printf("ok 1 - topology and energy model loaded\n");
	for (int i = 0; i < NR_THREADS; i++)
		if (pthread_create(&th[i], NULL, reader, &res[i]))
			bad++;
	for (int i = 0; i < NR_THREADS; i++) {
		pthread_join(th[i], NULL);
		bad += res[i].bad;
		/* every thread saw the same immutable data */
		if (res[i].sum != res[0].sum)
			bad++;
	}
	printf("%s 2 - %d threads read one topology and energy model and mutated their own masks\n",
	       bad ? "not ok" : "ok", NR_THREADS);
	if (stats_server_threads(t.root)) {
		printf("not ok 3 - a threaded stats server answers %d client threads\n", NR_THREADS);
		bad++;
	} else {
		printf("ok 3 - a threaded stats server answers %d client threads\n", NR_THREADS);
	}
	scx_em_free(em);
	scx_topo_free(topo);
	sysgen_fini(&sg);
	fstree_fini(&t);
	if (log_swap_while_logging()) {
		printf("not ok 4 - log callbacks swapped while threads log: a torn pair\n");
		bad++;
	} else {
		printf("ok 4 - log callbacks swapped while threads log\n");
	}
	return bad ? 1 : 0;
}
