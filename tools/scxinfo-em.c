// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * scxinfo's energy-model section.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <scx/scx.h>

#include "scxinfo.h"

static void print_em_json(struct scxinfo *info, const struct scx_em *em)
{
	int dom, nr = scx_em_nr_domains(em);
	char cpus[4096];

	fprintf(info->out, "\"energy_model\": {\"total_performance\": %" PRIu64
		", \"nr_groups\": %d, \"domains\": [", scx_em_total_performance(em),
		scx_em_nr_groups(em));
	for (dom = 0; dom < nr; dom++) {
		int idx, nr_ps = scx_em_domain_nr_pstates(em, (unsigned int)dom);
		struct scx_em_pstate ps;

		scx_cpumask_format_list(scx_em_domain_cpus(em, (unsigned int)dom), cpus,
					sizeof(cpus));
		fprintf(info->out, "%s{\"name\": ", dom ? ", " : "");
		scxinfo_json_str(info->out, scx_em_domain_name(em, (unsigned int)dom));
		fputs(", \"cpus\": ", info->out);
		scxinfo_json_str(info->out, cpus);
		fprintf(info->out, ", \"group\": %d, \"pstates\": [",
			scx_em_domain_group(em, (unsigned int)dom));
		for (idx = 0; idx < nr_ps; idx++) {
			scx_em_domain_pstate(em, (unsigned int)dom, (unsigned int)idx, &ps);
			fprintf(info->out,
				"%s{\"frequency\": %" PRIu64 ", \"power\": %" PRIu64
				", \"cost\": %" PRIu64 ", \"performance\": %" PRIu64
				", \"inefficient\": %s}",
				idx ? ", " : "", ps.frequency, ps.power, ps.cost, ps.performance,
				ps.inefficient ? "true" : "false");
		}
		fputs("]}", info->out);
	}
	fputs("]}", info->out);
}

static void print_em_text(struct scxinfo *info, const struct scx_em *em)
{
	int dom, nr = scx_em_nr_domains(em);
	char cpus[4096];

	fprintf(info->out, "energy model: %d domain%s, %d distinct table%s, total performance %"
		PRIu64 "\n", nr, nr == 1 ? "" : "s", scx_em_nr_groups(em),
		scx_em_nr_groups(em) == 1 ? "" : "s", scx_em_total_performance(em));
	for (dom = 0; dom < nr; dom++) {
		int nr_ps = scx_em_domain_nr_pstates(em, (unsigned int)dom);
		struct scx_em_pstate lo, hi;

		scx_cpumask_format_list(scx_em_domain_cpus(em, (unsigned int)dom), cpus,
					sizeof(cpus));
		scx_em_domain_pstate(em, (unsigned int)dom, 0, &lo);
		scx_em_domain_pstate(em, (unsigned int)dom, (unsigned int)nr_ps - 1, &hi);
		fprintf(info->out,
			"  %s: cpus %s, group %d, %d states, %" PRIu64 "-%" PRIu64
			" kHz, performance %" PRIu64 "-%" PRIu64 "\n",
			scx_em_domain_name(em, (unsigned int)dom), cpus,
			scx_em_domain_group(em, (unsigned int)dom), nr_ps, lo.frequency,
			hi.frequency, lo.performance, hi.performance);
	}
}

void scxinfo_print_em(struct scxinfo *info)
{
	SCX_OPTS(scx_em_opts, opts, .sysfs_root = info->root);
	struct scx_em *em;
	int err;

	em = scx_em_load(&opts);
	err = errno;
	if (info->json) {
		if (em)
			print_em_json(info, em);
		else
			fputs("\"energy_model\": null", info->out);
	} else if (em) {
		print_em_text(info, em);
	} else {
		fprintf(info->out, "energy model: none (%s)\n",
			err == ENOENT ? "no energy_model in debugfs" : strerror(err));
	}
	scx_em_free(em);
}
