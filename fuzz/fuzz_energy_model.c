// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * The energy-model reader on a tree built from the input (see fuzz_tree.h): domains under "em/",
 * their cpus files and ps:* folders, plus sys/devices/system/cpu/possible, cpu capacities and
 * proc/mounts for the debugfs search.  A model that loads must answer every accessor
 * consistently; one that does not must say why with a documented errno.
 */
#include "config.h"

#include <errno.h>

#include <scx/em.h>
#include <scx/log.h>

#include "fuzz_tree.h"

static void quiet(enum scx_log_level level, const char *msg, void *ctx)
{
	(void)level;
	(void)msg;
	(void)ctx;
}

static void check_model(const struct scx_em *em)
{
	int nr = scx_em_nr_domains(em), groups = scx_em_nr_groups(em);
	unsigned int d, cpu;

	FUZZ_CHECK(nr >= 1 && groups >= 1 && groups <= nr);
	for (d = 0; d < (unsigned int)nr; d++) {
		const struct scx_cpumask *cpus = scx_em_domain_cpus(em, d);
		int n = scx_em_domain_nr_pstates(em, d), g = scx_em_domain_group(em, d);
		struct scx_em_pstate prev = { 0 }, ps;

		FUZZ_CHECK(scx_em_domain_name(em, d) != NULL);
		FUZZ_CHECK(cpus && !scx_cpumask_empty(cpus));
		FUZZ_CHECK(n >= 1 && g >= 0 && g < groups);
		for (int i = 0; i < n; i++) {
			FUZZ_CHECK(scx_em_domain_pstate(em, d, (unsigned int)i, &ps) == 0);
			/* sorted by performance */
			FUZZ_CHECK(!i || ps.performance >= prev.performance);
			prev = ps;
		}
		FUZZ_CHECK(scx_em_domain_pstate(em, d, (unsigned int)n, &ps) < 0);
		for (uint64_t util = 0; util <= 2048; util += 97) {
			int idx = scx_em_pstate_for_util(em, d, util);

			FUZZ_CHECK(idx >= 0 && idx < n);
		}
		FUZZ_CHECK(scx_em_pstate_for_util(em, d, UINT64_MAX) >= 0);
		scx_cpumask_for_each(cpu, cpus)
			FUZZ_CHECK(scx_em_domain_of_cpu(em, cpu) == (int)d);
	}
	FUZZ_CHECK(scx_em_domain_cpus(em, (unsigned int)nr) == NULL);
	FUZZ_CHECK(scx_em_domain_of_cpu(em, SCX_CPUMASK_MAX_WIDTH) < 0);
	(void)scx_em_total_performance(em);
}

static void try_load(const char *root, const char *em_dir)
{
	SCX_OPTS(scx_em_opts, opts, .sysfs_root = root, .em_dir = em_dir);
	struct scx_em *em = scx_em_load(&opts);

	if (!em) {
		/* only the documented reasons */
		FUZZ_CHECK(errno == EINVAL || errno == ENOENT || errno == ENODATA ||
			   errno == EACCES || errno == ENOMEM);
		return;
	}
	check_model(em);
	scx_em_free(em);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char root[512];

	scx_log_fn_set(quiet, NULL);
	if (fuzz_tree_build(data, size, root, sizeof(root)))
		return 0;
	try_load(root, "em");
	try_load(root, NULL);
	fuzz_tree_remove(root);
	return 0;
}
