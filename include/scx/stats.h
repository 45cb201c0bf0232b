/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * A client for a scheduler's statistics socket.
 *
 * sched_ext schedulers built on the scx_stats protocol listen on a Unix stream socket
 * (by default /var/run/scx/root/stats).  A client writes one JSON request per line,
 *
 *	{"req": "stats", "args": {"target": "top"}}
 *
 * and reads one JSON reply per line,
 *
 *	{"errno": 0, "args": {"resp": { ...the statistics... }}}
 *
 * where a non-zero errno comes with args.errmsg.  "stats_meta" asks for the description of the
 * statistics instead.  Replies are parsed with json-c and handed to a callback.
 */
#ifndef SCX_STATS_H
#define SCX_STATS_H

#include <stddef.h>
#include <scx/base.h>

SCX_BEGIN_DECLS

/* json-c's object type; include <json-c/json.h> to look inside a reply. */
struct json_object;

/** A connection (or a connection to be) to one stats socket. */
struct scx_stats_client;

/** Where schedulers listen by default. */
#define SCX_STATS_DEFAULT_PATH "/var/run/scx/root/stats"

/** Options for scx_stats_client_new(); fill with SCX_OPTS(scx_stats_client_opts, name, ...). */
struct scx_stats_client_opts {
	size_t sz;			/**< sizeof(struct scx_stats_client_opts) */
	const char *path;		/**< the socket; NULL: SCX_STATS_DEFAULT_PATH */
	unsigned int retry_interval_ms;	/**< wait between connection attempts; 0: 100 ms */
	unsigned int connect_timeout_ms; /**< keep retrying this long while the socket is absent
					      or refuses; 0: one attempt */
	unsigned int reply_timeout_ms;	/**< wait this long for a reply; 0: 5000 ms */
	size_t max_line;		/**< longest reply accepted, newline included; 0: 1 MiB */
	size_t :0;
};

/**
 * scx_stats_reply_fn - receives a reply.
 * @resp: the reply's args.resp value, owned by the library and valid during the call (take a
 *	  reference with json_object_get() to keep it).
 * @line: the whole reply line, without its newline.
 * @ctx: the caller's pointer.
 *
 * Return: a negative value to make the request (or monitor loop) return it; 0 to go on; a
 * positive value to stop a monitor loop, which then returns it.
 */
typedef int (*scx_stats_reply_fn)(struct json_object *resp, const char *line, void *ctx);

/**
 * scx_stats_client_new() - make a client; it connects on first use.
 * @opts: options, or NULL for the defaults.
 * Return: the client, to release with scx_stats_client_free(), or NULL with errno set: EINVAL
 * for bad options, ENAMETOOLONG for a path too long for a Unix socket address, ENOMEM.
 */
SCX_API struct scx_stats_client *scx_stats_client_new(const struct scx_stats_client_opts *opts);

/**
 * scx_stats_client_free() - close the connection and release the client.
 * @client: the client; NULL is ignored.
 */
SCX_API void scx_stats_client_free(struct scx_stats_client *client);

/**
 * scx_stats_client_connect() - connect, retrying while the socket is absent.
 * @client: the client.
 *
 * Attempts are retry_interval_ms apart while connecting fails with ENOENT or ECONNREFUSED (the
 * scheduler is not running yet), for at most connect_timeout_ms.  Already connected: nothing
 * happens.
 *
 * Return: 0; -EINVAL for a NULL @client; after the time is up, the last attempt's error
 * (-ENOENT, -ECONNREFUSED); other errors of socket(2) and connect(2) at once (-EACCES, ...).
 */
SCX_API int scx_stats_client_connect(struct scx_stats_client *client);

/**
 * scx_stats_client_disconnect() - close the connection; the next request connects again.
 * @client: the client; NULL is ignored.
 */
SCX_API void scx_stats_client_disconnect(struct scx_stats_client *client);

/**
 * scx_stats_client_request() - send one request and hand its reply to @cb.
 * @client: the client; connected first if it is not.
 * @req: the request name, "stats" or "stats_meta".
 * @args: NULL, or pairs of strings (name, value, name, value, ..., NULL), e.g.
 *	  { "target", "top", NULL }.
 * @cb: called once with the reply; may be NULL.
 * @ctx: passed to @cb.
 *
 * A connection that failed (closed by the server, timed out, a reply too long) is closed, so
 * the next request connects again.
 *
 * Return: @cb's non-negative return (0 without @cb), or a negative error: -EINVAL for a NULL
 * @client or @req or an odd @args; the errors of scx_stats_client_connect(); -EPIPE or
 * -ECONNRESET when the server closed the connection; -ETIMEDOUT when no whole reply came in
 * reply_timeout_ms; -EMSGSIZE for a reply longer than max_line; -EBADMSG for a reply that is
 * not JSON or lacks errno or args.resp; the reply's own errno, negated, when it is not 0;
 * -EPROTO for a reply errno outside the kernel's range (1 .. 4095, either sign); or @cb's
 * negative return.
 */
SCX_API int scx_stats_client_request(struct scx_stats_client *client, const char *req,
				     const char *const *args, scx_stats_reply_fn cb, void *ctx);

/**
 * scx_stats_client_monitor() - repeat a request at an interval.
 * @client: the client.
 * @req: the request name, as for scx_stats_client_request().
 * @args: its arguments, as for scx_stats_client_request().
 * @interval_ms: the time between requests.
 * @count: the number of replies to hand over; 0: until @cb stops the loop.
 * @cb: called with each reply; must not be NULL.
 * @ctx: passed to @cb.
 *
 * A lost connection (the scheduler restarted) is connected again with the client's retry
 * settings, after a wait of @interval_ms (at least retry_interval_ms) that doubles, up to 5 s,
 * with each further loss before a reply.  A server that keeps closing connections without
 * replying ends the loop once connect_timeout_ms has passed since the first of those losses
 * (one new connection is always tried).
 *
 * Return: 0 after @count replies, @cb's positive return when it stopped the loop, or the first
 * error scx_stats_client_request() returned other than a lost connection (-EINVAL as well for a
 * NULL @cb); a connection that cannot be made again returns scx_stats_client_connect()'s error;
 * -EPIPE or -ECONNRESET when connections kept being lost past connect_timeout_ms.
 */
SCX_API int scx_stats_client_monitor(struct scx_stats_client *client, const char *req,
				     const char *const *args, unsigned int interval_ms,
				     unsigned int count, scx_stats_reply_fn cb, void *ctx);

SCX_END_DECLS

#endif /* SCX_STATS_H */
