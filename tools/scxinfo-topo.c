// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * scxinfo's topology section: a tree nodes -> LLCs -> cores -> CPUs, or its JSON form.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <scx/scx.h>

#include "scxinfo.h"

static const char *const type_names[] = { "little", "big", "turbo" };

static const char *type_name(int type)
{
	return type >= 0 && type < 3 ? type_names[type] : "unknown";
}

/* A JSON number, or null for a negative (unknown) value. */
static void json_num(FILE *out, const char *key, long long v)
{
	if (v < 0)
		fprintf(out, ", \"%s\": null", key);
	else
		fprintf(out, ", \"%s\": %lld", key, v);
}

static void json_mask(FILE *out, const char *key, const struct scx_cpumask *m, char *buf,
		      size_t sz)
{
	scx_cpumask_format_list(m, buf, sz);
	fprintf(out, ", \"%s\": ", key);
	scxinfo_json_str(out, buf);
}

static void print_json(struct scxinfo *info, const struct scx_topo *t, char *buf, size_t sz)
{
	static const char *const modes[] = { "any", "powersave", "performance", "turbo" };
	FILE *out = info->out;
	int n = scx_topo_nr_cpu_ids(t), i, j;

	fprintf(out, "\"nr_cpu_ids\": %d, \"smt\": %s, \"hybrid\": %s", n,
		scx_topo_smt_enabled(t) ? "true" : "false", scx_topo_hybrid(t) ? "true" : "false");
	json_mask(out, "possible", scx_topo_possible(t), buf, sz);
	json_mask(out, "online", scx_topo_online(t), buf, sz);
	fputs(", \"primary\": {", out);
	for (i = 0; i < 4; i++) {
		scx_cpumask_format_list(scx_topo_primary(t, (enum scx_topo_power_mode)i), buf, sz);
		fprintf(out, "%s\"%s\": ", i ? ", " : "", modes[i]);
		scxinfo_json_str(out, buf);
	}
	fputs("}, \"cpus\": [", out);
	j = 0;
	scx_cpumask_for_each(i, scx_topo_possible(t)) {
		int type = scx_topo_cpu_core_type(t, i);

		fprintf(out, "%s{\"id\": %d, \"online\": %s", j++ ? ", " : "", i,
			scx_topo_cpu_online(t, i) ? "true" : "false");
		json_num(out, "core", scx_topo_cpu_core(t, i));
		json_num(out, "llc", scx_topo_cpu_llc(t, i));
		json_num(out, "node", scx_topo_cpu_node(t, i));
		json_num(out, "package", scx_topo_cpu_package(t, i));
		json_num(out, "cluster", scx_topo_cpu_cluster(t, i));
		json_num(out, "l2", scx_topo_cpu_l2(t, i));
		json_num(out, "l3", scx_topo_cpu_l3(t, i));
		if (type < 0)
			fputs(", \"core_type\": null", out);
		else
			fprintf(out, ", \"core_type\": \"%s\"", type_name(type));
		json_num(out, "capacity", scx_topo_cpu_capacity(t, i));
		json_num(out, "smt_level", scx_topo_cpu_smt_level(t, i));
		json_num(out, "sibling", scx_topo_cpu_sibling(t, i));
		json_num(out, "min_freq", scx_topo_cpu_min_freq(t, i));
		json_num(out, "max_freq", scx_topo_cpu_max_freq(t, i));
		json_num(out, "base_freq", scx_topo_cpu_base_freq(t, i));
		json_num(out, "cache_size", scx_topo_cpu_cache_size(t, i));
		json_num(out, "resume_latency", scx_topo_cpu_resume_latency(t, i));
		json_num(out, "trans_latency", scx_topo_cpu_trans_latency(t, i));
		fputc('}', out);
	}
	fputs("], \"cores\": [", out);
	for (i = 0; i < scx_topo_nr_cores(t); i++) {
		fprintf(out, "%s{\"id\": %d", i ? ", " : "", i);
		json_num(out, "kernel_id", scx_topo_core_id(t, i));
		fprintf(out, ", \"type\": \"%s\"", type_name(scx_topo_core_type(t, i)));
		json_num(out, "llc", scx_topo_core_llc(t, i));
		json_num(out, "node", scx_topo_core_node(t, i));
		json_num(out, "package", scx_topo_core_package(t, i));
		json_mask(out, "cpus", scx_topo_core_span(t, i), buf, sz);
		fputc('}', out);
	}
	fputs("], \"llcs\": [", out);
	for (i = 0; i < scx_topo_nr_llcs(t); i++) {
		fprintf(out, "%s{\"id\": %d", i ? ", " : "", i);
		json_num(out, "node", scx_topo_llc_node(t, i));
		json_num(out, "nr_cores", scx_topo_llc_nr_cores(t, i));
		json_num(out, "cache_size", scx_topo_llc_cache_size(t, i));
		json_mask(out, "cpus", scx_topo_llc_span(t, i), buf, sz);
		fputc('}', out);
	}
	fputs("], \"nodes\": [", out);
	for (i = 0; i < scx_topo_nr_nodes(t); i++) {
		fprintf(out, "%s{\"id\": %d", i ? ", " : "", i);
		json_num(out, "kernel_id", scx_topo_node_id(t, i));
		json_mask(out, "cpus", scx_topo_node_span(t, i), buf, sz);
		fputs(", \"distances\": [", out);
		for (j = 0; j < scx_topo_nr_nodes(t); j++) {
			int d = scx_topo_node_distance(t, i, j);

			if (d < 0)
				fprintf(out, "%snull", j ? ", " : "");
			else
				fprintf(out, "%s%d", j ? ", " : "", d);
		}
		fputs("]}", out);
	}
	fputs("], \"packages\": [", out);
	for (i = 0; i < scx_topo_nr_packages(t); i++) {
		fprintf(out, "%s{\"id\": %d", i ? ", " : "", i);
		json_num(out, "kernel_id", scx_topo_package_id(t, i));
		json_mask(out, "cpus", scx_topo_package_span(t, i), buf, sz);
		fputc('}', out);
	}
	fputc(']', out);
}

static void print_freq(FILE *out, const char *what, int khz)
{
	if (khz > 0)
		fprintf(out, ", %s %d MHz", what, khz / 1000);
}

static void print_core(struct scxinfo *info, const struct scx_topo *t, int core, char *buf,
		       size_t sz)
{
	const struct scx_cpumask *span = scx_topo_core_span(t, core);
	int first = scx_cpumask_first(span);

	scx_cpumask_format_list(span, buf, sz);
	fprintf(info->out, "      core %d (%s): cpu %s, capacity %d", core,
		type_name(scx_topo_core_type(t, core)), buf, scx_topo_cpu_capacity(t, first));
	print_freq(info->out, "min", scx_topo_cpu_min_freq(t, first));
	print_freq(info->out, "base", scx_topo_cpu_base_freq(t, first));
	print_freq(info->out, "max", scx_topo_cpu_max_freq(t, first));
	fputc('\n', info->out);
}

static void print_text(struct scxinfo *info, const struct scx_topo *t, char *buf, size_t sz)
{
	int nr_nodes = scx_topo_nr_nodes(t), nr_llcs = scx_topo_nr_llcs(t);
	int nr_cores = scx_topo_nr_cores(t), n, l, c;
	struct scx_cpumask *offline;

	scx_cpumask_format_list(scx_topo_online(t), buf, sz);
	fprintf(info->out, "topology: %d CPU ids, online %s; %d core%s, %d LLC%s, %d node%s, "
		"%d package%s; SMT %s%s\n", scx_topo_nr_cpu_ids(t), buf, nr_cores,
		nr_cores == 1 ? "" : "s", nr_llcs, nr_llcs == 1 ? "" : "s", nr_nodes,
		nr_nodes == 1 ? "" : "s", scx_topo_nr_packages(t),
		scx_topo_nr_packages(t) == 1 ? "" : "s", scx_topo_smt_enabled(t) ? "on" : "off",
		scx_topo_hybrid(t) ? ", hybrid" : "");
	for (n = 0; n < nr_nodes; n++) {
		const struct scx_cpumask *span = scx_topo_node_span(t, n);

		scx_cpumask_format_list(span, buf, sz);
		fprintf(info->out, "  node %d: %s\n", scx_topo_node_id(t, n),
			scx_cpumask_empty(span) ? "no CPUs" : buf);
		for (l = 0; l < nr_llcs; l++) {
			int64_t size = scx_topo_llc_cache_size(t, l);

			if (scx_topo_llc_node(t, l) != n)
				continue;
			scx_cpumask_format_list(scx_topo_llc_span(t, l), buf, sz);
			fprintf(info->out, "    llc %d: cpu %s", l, buf);
			if (size > 0)
				fprintf(info->out, ", %" PRId64 " KiB", size >> 10);
			fputc('\n', info->out);
			for (c = 0; c < nr_cores; c++)
				if (scx_topo_core_llc(t, c) == l)
					print_core(info, t, c, buf, sz);
		}
	}
	offline = scx_cpumask_new_andnot(scx_topo_possible(t), scx_topo_online(t));
	if (offline && !scx_cpumask_empty(offline)) {
		scx_cpumask_format_list(offline, buf, sz);
		fprintf(info->out, "  offline: cpu %s\n", buf);
	}
	scx_cpumask_free(offline);
}

void scxinfo_print_topo(struct scxinfo *info)
{
	SCX_OPTS(scx_topo_opts, opts, .sysfs_root = info->root);
	size_t sz = 64 * 1024;
	struct scx_topo *t;
	char *buf;
	int err;

	t = scx_topo_load(&opts);
	err = errno;
	buf = malloc(sz);
	if (!t || !buf) {
		if (info->json) {
			fputs("\"nr_cpu_ids\": null, \"topology_error\": ", info->out);
			scxinfo_json_str(info->out, strerror(t ? ENOMEM : err));
			fputs(", \"cpus\": [], \"cores\": [], \"llcs\": [], \"nodes\": [], "
			      "\"packages\": []", info->out);
		} else {
			fprintf(info->out, "topology: not available (%s)\n",
				strerror(t ? ENOMEM : err));
		}
		scx_topo_free(t);
		free(buf);
		return;
	}
	if (info->json)
		print_json(info, t, buf, sz);
	else
		print_text(info, t, buf, sz);
	free(buf);
	scx_topo_free(t);
}
