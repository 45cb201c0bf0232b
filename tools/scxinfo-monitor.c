// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * scxinfo --monitor: a running scheduler's statistics, read from its scx_stats socket at an
 * interval, as the Rust schedulers' --monitor prints theirs.  Any scheduler that speaks the
 * protocol, Rust or C, is read the same way: scxinfo does not know its statistics, so it prints
 * every value under its dotted path (doms.0.load) in the order the scheduler sent them.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>
#include <scx/stats.h>

#include "scxinfo.h"

/* Wait this long for a scheduler to (re)appear: as the Rust monitor, until it does. */
#define FOREVER_MS (~0u)

struct report {
	FILE *out;
	bool json;
};

static void print_value(FILE *out, const char *path, struct json_object *v)
{
	fprintf(out, "%-40s %s\n", path,
		json_object_is_type(v, json_type_string)
			? json_object_get_string(v)
			: json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
}

/* Each scalar under @v, named by its path from the top; @path has room for @size bytes. */
static void print_flat(FILE *out, char *path, size_t size, struct json_object *v)
{
	size_t len = strlen(path);
	size_t i, n;

	if (json_object_is_type(v, json_type_object) && json_object_object_length(v)) {
		json_object_object_foreach(v, key, child)
		{
			snprintf(path + len, size - len, "%s%s", len ? "." : "", key);
			print_flat(out, path, size, child);
		}
	} else if (json_object_is_type(v, json_type_array) && json_object_array_length(v)) {
		n = json_object_array_length(v);
		for (i = 0; i < n; i++) {
			snprintf(path + len, size - len, "%s%zu", len ? "." : "", i);
			print_flat(out, path, size, json_object_array_get_idx(v, i));
		}
	} else {
		print_value(out, len ? path : "(value)", v);
	}
	path[len] = '\0';
}

static int print_report(struct json_object *resp, const char *line, void *ctx)
{
	struct report *r = ctx;
	char stamp[64], path[512] = "";
	time_t now = time(NULL);
	struct tm tm;

	(void)line;
	if (r->json) {
		fprintf(r->out, "%s\n",
			json_object_to_json_string_ext(resp, JSON_C_TO_STRING_PLAIN));
	} else {
		strftime(stamp, sizeof(stamp), "%F %T", localtime_r(&now, &tm));
		fprintf(r->out, "###### %s ######\n", stamp);
		print_flat(r->out, path, sizeof(path), resp);
	}
	if (fflush(r->out) || ferror(r->out))
		return -EIO;
	return 0;
}

int scxinfo_monitor(struct scxinfo *info, const char *path, unsigned int interval_ms,
		    unsigned int count)
{
	SCX_OPTS(scx_stats_client_opts, opts, .path = path, .retry_interval_ms = 1000,
		 .connect_timeout_ms = FOREVER_MS);
	struct report r = {.out = info->out, .json = info->json};
	struct scx_stats_client *client;
	int err;

	client = scx_stats_client_new(&opts);
	if (!client) {
		fprintf(stderr, "scxinfo: cannot monitor '%s': %s\n", path ? path : "",
			strerror(errno));
		return 1;
	}
	if (access(path ? path : SCX_STATS_DEFAULT_PATH, F_OK))
		fprintf(stderr, "scxinfo: no scheduler serves statistics at %s yet, waiting\n",
			path ? path : SCX_STATS_DEFAULT_PATH);
	err = scx_stats_client_monitor(client, "stats", NULL, interval_ms, count, print_report, &r);
	scx_stats_client_free(client);
	if (err < 0) {
		fprintf(stderr, "scxinfo: monitor: %s\n", strerror(-err));
		return 1;
	}
	return 0;
}
