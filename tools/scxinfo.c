// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * scxinfo: this machine as a sched_ext scheduler sees it.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>
#include <scx/scx.h>

#include "scxinfo.h"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: scxinfo [OPTION]...\n"
		"Show this machine as a sched_ext scheduler sees it.\n\n"
		"  -r, --sysfs-root DIR  read a captured /sys and /proc tree under DIR\n"
		"  -d, --doctor          check whether a scheduler can be loaded here, one line per\n"
		"                        check; exit 1 when something blocks loading\n"
		"  -j, --json            print the documented JSON schema (see scxinfo(1))\n"
		"  -m, --monitor[=PATH]  print a running scheduler's statistics once a second, read\n"
		"                        from its stats socket (default " SCX_STATS_DEFAULT_PATH ");\n"
		"                        with --json, each report as one line of JSON\n"
		"  -i, --interval=SECS   with --monitor, report every SECS seconds (default 1)\n"
		"  -n, --count=N         with --monitor, stop after N reports (default: never)\n"
		"  -R, --restore         put back the knobs that schedulers no longer running left\n"
		"                        changed (their journals in /run/libscx, or under the\n"
		"                        --sysfs-root DIR); exit 1 when one could not be\n"
		"  -V, --version         print the libscx and libbpf versions\n"
		"  -h, --help            print this help\n");
}

static void print_caps(struct scxinfo *info)
{
	static const unsigned int caps[] = { SCX_CAPS_SYS_ADMIN, SCX_CAPS_BPF, SCX_CAPS_PERFMON,
					     SCX_CAPS_SYS_RESOURCE, SCX_CAPS_SYS_NICE };
	unsigned int have = 0, missing = 0;
	size_t i;

	if (scx_caps_effective(&have) || scx_caps_missing(SCX_CAPS_LOAD, &missing))
		have = missing = 0;
	if (info->json) {
		fputs("\"capabilities\": {", info->out);
		for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
			fprintf(info->out, "%s\"%s\": %s", i ? ", " : "", scx_caps_name(caps[i]),
				(have & caps[i]) ? "true" : "false");
		fprintf(info->out, "}, \"can_load\": %s", missing ? "false" : "true");
		return;
	}
	fputs("capabilities:", info->out);
	for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
		fprintf(info->out, " %s=%s", scx_caps_name(caps[i]), (have & caps[i]) ? "yes" : "no");
	fprintf(info->out, "\n  %s\n", missing ? "missing capabilities needed to load a scheduler"
					       : "enough to load a scheduler");
}

static void print_limit(FILE *out, unsigned long long v)
{
	if (v == UINT64_MAX)
		fputs("unlimited", out);
	else
		fprintf(out, "%llu", v);
}

static void print_memlock(struct scxinfo *info)
{
	unsigned long long soft = 0, hard = 0;

	if (scx_memlock_get(&soft, &hard))
		return;
	if (info->json) {
		fputs("\"memlock\": {\"soft\": ", info->out);
		if (soft == UINT64_MAX)
			fputs("null", info->out);
		else
			fprintf(info->out, "%llu", soft);
		fputs(", \"hard\": ", info->out);
		if (hard == UINT64_MAX)
			fputs("null", info->out);
		else
			fprintf(info->out, "%llu", hard);
		fputs("}", info->out);
		return;
	}
	fputs("RLIMIT_MEMLOCK: soft ", info->out);
	print_limit(info->out, soft);
	fputs(", hard ", info->out);
	print_limit(info->out, hard);
	fputc('\n', info->out);
}

static int print_kstate(struct scxinfo *info)
{
	static const char *const names[] = { "switch_all", "nr_rejected", "hotplug_seq",
					     "enable_seq" };
	SCX_OPTS(scx_kstate_opts, opts, .sysfs_root = info->root);
	struct scx_kstate *ks;
	uint64_t v;
	int i;

	ks = scx_kstate_load(&opts);
	if (!ks) {
		fprintf(stderr, "scxinfo: cannot read sched_ext state under '%s': %s\n",
			info->root ? info->root : "/", strerror(errno));
		return -1;
	}
	if (info->json) {
		fputs("\"sched_ext\": {\"supported\": ", info->out);
		fputs(scx_kstate_supported(ks) ? "true" : "false", info->out);
		fputs(", \"state\": ", info->out);
		scxinfo_json_str(info->out, scx_kstate_state(ks));
		fputs(", \"ops\": ", info->out);
		scxinfo_json_str(info->out, scx_kstate_ops(ks));
		for (i = 0; i < 4; i++) {
			fprintf(info->out, ", \"%s\": ", names[i]);
			if (scx_kstate_value(ks, (enum scx_kstate_field)i, &v))
				fputs("null", info->out);
			else
				fprintf(info->out, "%" PRIu64, v);
		}
		fputs("}", info->out);
	} else if (!scx_kstate_supported(ks)) {
		fputs("sched_ext: not in this kernel (no /sys/kernel/sched_ext; it needs "
		      "CONFIG_SCHED_CLASS_EXT=y, Linux 6.12 or later)\n", info->out);
	} else {
		fprintf(info->out, "sched_ext: %s", scx_kstate_state(ks) ? scx_kstate_state(ks) : "?");
		if (scx_kstate_ops(ks))
			fprintf(info->out, ", running \"%s\"", scx_kstate_ops(ks));
		for (i = 0; i < 4; i++)
			if (!scx_kstate_value(ks, (enum scx_kstate_field)i, &v))
				fprintf(info->out, ", %s %" PRIu64, names[i], v);
		fputc('\n', info->out);
	}
	scx_kstate_free(ks);
	return 0;
}

struct monitor_args {
	bool on;
	const char *path;		/* --monitor's PATH, or NULL */
	unsigned int interval_ms;
	unsigned int count;
};

/* SECS, a positive number of seconds (0.5 allowed), in milliseconds. */
static int parse_interval(const char *arg, unsigned int *ms)
{
	char *end;
	double secs;

	errno = 0;
	secs = strtod(arg, &end);
	if (errno || end == arg || *end || !(secs >= 0.001 && secs <= 86400)) {
		fprintf(stderr, "scxinfo: --interval wants seconds between 0.001 and 86400, not '%s'\n",
			arg);
		return -1;
	}
	*ms = (unsigned int)(secs * 1000 + 0.5);
	return 0;
}

static int parse_count(const char *arg, unsigned int *count)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] == '-' || v == 0 || v > UINT32_MAX) {
		fprintf(stderr, "scxinfo: --count wants a positive number, not '%s'\n", arg);
		return -1;
	}
	*count = (unsigned int)v;
	return 0;
}

/*
 * --restore: replay the journals of schedulers that are gone, one line per knob written back
 * (the library's info messages), then a summary.  A tree given with --sysfs-root is taken as
 * this system: the user asked for its knobs to be written.
 */
static int scxinfo_restore(const struct scxinfo *info)
{
	SCX_OPTS(scx_journal_opts, opts, .sysfs_root = info->root,
		 .allow_fake_root_writes = info->root != NULL);
	int n;

	if (scx_log_level_get() < SCX_LOG_INFO)
		scx_log_level_set(SCX_LOG_INFO);
	n = scx_journal_restore(&opts);
	if (n < 0) {
		fprintf(stderr, "scxinfo: restore: %s\n", strerror(-n));
		return 1;
	}
	printf("restored %d knob%s\n", n, n == 1 ? "" : "s");
	return fflush(stdout) ? 1 : 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "sysfs-root", required_argument, NULL, 'r' },
		{ "doctor", no_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "monitor", optional_argument, NULL, 'm' },
		{ "interval", required_argument, NULL, 'i' },
		{ "count", required_argument, NULL, 'n' },
		{ "restore", no_argument, NULL, 'R' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct scxinfo info = { .out = stdout };
	struct monitor_args mon = { .interval_ms = 1000 };
	bool doctor = false, restore = false;
	int c, ret = 0;

	while ((c = getopt_long(argc, argv, "r:djm::i:n:RVh", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			info.root = optarg;
			break;
		case 'd':
			doctor = true;
			break;
		case 'j':
			info.json = true;
			break;
		case 'm':
			mon.on = true;
			mon.path = optarg;
			break;
		case 'i':
			if (parse_interval(optarg, &mon.interval_ms))
				return 2;
			break;
		case 'n':
			if (parse_count(optarg, &mon.count))
				return 2;
			break;
		case 'R':
			restore = true;
			break;
		case 'V':
			printf("scxinfo (libscx %s, libbpf %s)\n", scx_version(),
			       libbpf_version_string());
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "scxinfo: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}

	if (restore)
		return scxinfo_restore(&info);
	if (mon.on)
		return scxinfo_monitor(&info, mon.path, mon.interval_ms, mon.count);
	if (doctor) {
		ret = scxinfo_doctor(&info);
		if (fflush(info.out) || ferror(info.out)) {
			fprintf(stderr, "scxinfo: write error: %s\n", strerror(errno));
			ret = 1;
		}
		return ret;
	}

	if (info.json) {
		fprintf(info.out, "{\"schema\": 1, \"libscx\": \"%s\", \"libbpf\": \"%s\", ",
			scx_version(), libbpf_version_string());
		if (print_kstate(&info))
			return 1;
		fputs(", ", info.out);
		print_caps(&info);
		fputs(", ", info.out);
		print_memlock(&info);
		fputs(", ", info.out);
		scxinfo_print_em(&info);
		fputs(", ", info.out);
		scxinfo_print_power(&info);
		fputs(", ", info.out);
		scxinfo_print_topo(&info);
		fputs("}\n", info.out);
	} else {
		fprintf(info.out, "libscx %s (libbpf %s)\n", scx_version(), libbpf_version_string());
		if (print_kstate(&info))
			return 1;
		print_caps(&info);
		print_memlock(&info);
		scxinfo_print_em(&info);
		scxinfo_print_power(&info);
		scxinfo_print_topo(&info);
	}
	if (fflush(info.out) || ferror(info.out)) {
		fprintf(stderr, "scxinfo: write error: %s\n", strerror(errno));
		ret = 1;
	}
	return ret;
}
