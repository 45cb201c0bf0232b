/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * The stats server's two halves: stats_server.c owns the socket and the connections,
 * stats_answer.c turns one request line into one reply line.  Not installed.
 */
#ifndef SCX_STATS_SERVER_INTERNAL_H
#define SCX_STATS_SERVER_INTERNAL_H

#include <stddef.h>

#include <scx/stats.h>

struct json_object;

/* What the server serves: the "stats" targets and the "stats_meta" description. */
struct scx_stats_catalog {
	struct json_object *targets; /* name -> index into fns/ctxs, as an int */
	scx_stats_server_fn *fns;
	void **ctxs;
	unsigned int nr_targets;
	struct json_object *meta; /* name -> the struct's description, as scx_stats writes it */
};

int scx_stats_catalog_init(struct scx_stats_catalog *cat);
void scx_stats_catalog_fini(struct scx_stats_catalog *cat);
int scx_stats_catalog_add_stats(struct scx_stats_catalog *cat, const char *target,
				scx_stats_server_fn fn, void *ctx);
int scx_stats_catalog_add_meta(struct scx_stats_catalog *cat, const char *name, const char *desc,
			       unsigned int flags);
int scx_stats_catalog_add_field(struct scx_stats_catalog *cat, const char *meta, const char *field,
				const char *type, const char *desc);
int scx_stats_catalog_add_user_attr(struct scx_stats_catalog *cat, const char *meta,
				    const char *field, const char *key, const char *value);

/*
 * Answer the request @line (@len bytes, no newline): a malloc'ed reply line ending in a
 * newline, its length in *@reply_len; NULL when out of memory.
 */
char *scx_stats_answer(const struct scx_stats_catalog *cat, const char *line, size_t len,
		       size_t *reply_len);

/* The reply to a request longer than the server accepts. */
char *scx_stats_answer_error(int err, const char *msg, size_t *reply_len);

#endif /* SCX_STATS_SERVER_INTERNAL_H */
