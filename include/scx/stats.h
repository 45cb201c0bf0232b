/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * The scx_stats protocol: a client for a scheduler's statistics socket, and a server that
 * answers it.
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
 * where a non-zero errno comes with its message as args.resp (and, from libscx's server, as
 * args.errmsg too).  "stats_meta" asks for the description of the statistics instead.
 * Replies are parsed with json-c and handed to a callback.
 */
#ifndef SCX_STATS_H
#define SCX_STATS_H

#include <stdbool.h>
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

/* ---- the server side: answering the same protocol ---- */

/** A scheduler's statistics socket: the listening socket, its connections, what it serves. */
struct scx_stats_server;

/** Options for scx_stats_server_open(); fill with SCX_OPTS(scx_stats_server_opts, name, ...). */
struct scx_stats_server_opts {
	size_t sz;			/**< sizeof(struct scx_stats_server_opts) */
	const char *path;		/**< the socket; NULL: SCX_STATS_DEFAULT_PATH */
	unsigned int mode;		/**< the socket's permissions; 0: 0600 */
	unsigned int max_clients;	/**< connections served at once; 0: 16 */
	size_t max_request;		/**< longest request line, newline included; 0: 64 KiB */
	unsigned int timeout_ms;	/**< a request begun or a reply unsent this long drops its
					     connection, and a connection idle this long gives
					     its slot to a newcomer when all are taken; 0: 1000 ms */
	bool thread;			/**< serve on a thread of the library's own instead of
					     the caller's scx_stats_server_poll() calls */
	size_t :0;
};

/** scx_stats_server_add_meta() flag: the statistics "stats" reports without a target. */
#define SCX_STATS_META_TOP 0x1u

/**
 * scx_stats_server_fn - fills the statistics of one target.
 * @resp: an empty JSON object to fill (json_object_object_add() and friends); the reply's
 *	  args.resp.
 * @args: the request's arguments, an object of strings ("target" among them when the client
 *	  named one); read only.
 * @ctx: the pointer given to scx_stats_server_add_stats().
 *
 * Return: 0, or a negative errno that the client receives as the reply's errno.
 */
typedef int (*scx_stats_server_fn)(struct json_object *resp, struct json_object *args,
				   void *ctx);

/**
 * scx_stats_server_open() - create the socket and listen on it.
 * @opts: options, or NULL for the defaults.
 *
 * The socket's directory is created (mode 0755) with any missing parents.  A socket left at
 * the path by a scheduler that is gone is replaced; a path that is not a socket, or a socket a
 * server still listens on, is left alone.  The socket is bound in a private folder made beside
 * the path and gets its mode there before it is renamed to the path.  With opts->thread the
 * server answers on its own thread (signals blocked) from now on; otherwise the caller drives
 * it with scx_stats_server_poll().
 *
 * Return: the server, to release with scx_stats_server_close(), or NULL with errno set:
 * EINVAL for bad options or an empty path; ENAMETOOLONG for a path too long for a Unix socket
 * address, or whose folder followed by 20 characters (where it is bound first) is; EEXIST for
 * a path that exists and is not a socket; EADDRINUSE for a socket a live server listens on;
 * ENOMEM; the errors of mkdir(2), mkdtemp(3), socket(2), bind(2), chmod(2), listen(2) and
 * rename(2) (EACCES, ENOTDIR, EROFS, ...), of epoll_create1(2), eventfd(2) and
 * timerfd_create(2) (EMFILE, ENFILE), and of pthread_create(3) (EAGAIN).
 */
SCX_API struct scx_stats_server *
scx_stats_server_open(const struct scx_stats_server_opts *opts);

/**
 * scx_stats_server_close() - stop serving, close every connection and remove the socket.
 * @server: the server; NULL is ignored.
 *
 * The path is unlinked only while it is still the socket this server created.
 */
SCX_API void scx_stats_server_close(struct scx_stats_server *server);

/**
 * scx_stats_server_add_stats() - serve a target of the "stats" request.
 * @server: the server.
 * @target: the target's name; "top" is the one a request without a target gets.
 * @fn: fills the statistics; called with the server's lock held, on the server's thread or
 *	in scx_stats_server_poll().
 * @ctx: passed to @fn.
 *
 * Return: 0; -EINVAL for a NULL @server, @target or @fn or an empty @target; -EEXIST for a
 * target already served; -ENOMEM.
 */
SCX_API int scx_stats_server_add_stats(struct scx_stats_server *server, const char *target,
				       scx_stats_server_fn fn, void *ctx);

/**
 * scx_stats_server_add_meta() - describe a statistics struct for "stats_meta".
 * @server: the server.
 * @name: the struct's name ("ClusterStats").
 * @desc: its description, or NULL.
 * @flags: 0 or SCX_STATS_META_TOP (the struct the "top" target reports).
 *
 * Return: 0; -EINVAL for a NULL @server or @name, an empty @name or unknown @flags; -EEXIST
 * for a name already described; -ENOMEM.
 */
SCX_API int scx_stats_server_add_meta(struct scx_stats_server *server, const char *name,
				      const char *desc, unsigned int flags);

/**
 * scx_stats_server_add_field() - describe one field of a statistics struct.
 * @server: the server.
 * @meta: the struct, described before with scx_stats_server_add_meta().
 * @field: the field's name, the key it has in the statistics object.
 * @type: its type as scx_stats writes it: "u64", "i64", "float", "string", a struct's name, an
 *	  array "[T]" or a dict "{K:T}" whose key K is "u64", "i64" or "string".
 * @desc: its description, or NULL.
 *
 * Return: 0; -EINVAL for a NULL or empty argument other than @desc or a @type that is none of
 * the above; -ENOENT for a @meta not described; -EEXIST for a field already described; -ENOMEM.
 */
SCX_API int scx_stats_server_add_field(struct scx_stats_server *server, const char *meta,
				       const char *field, const char *type, const char *desc);

/**
 * scx_stats_server_add_user_attr() - a user attribute of a described struct or field.
 * @server: the server.
 * @meta: the struct, described with scx_stats_server_add_meta().
 * @field: one of its fields, described with scx_stats_server_add_field(); NULL: the struct.
 * @key: the attribute's name, which begins with '_' (as "_om_prefix" or "_om_skip", which the
 *	 scx_stats OpenMetrics exporter reads).
 * @value: its value; NULL: "true", as for a valueless attribute of the scx_stats crate.
 *
 * The attribute goes to the "user" object of the struct's or field's description.
 *
 * Return: 0; -EINVAL for a NULL @server, @meta or @key, an empty @meta or @field, or a @key
 * that does not begin with '_' or is only that; -ENOENT for a @meta or @field not described;
 * -EEXIST for a @key already given; -ENOMEM.
 */
SCX_API int scx_stats_server_add_user_attr(struct scx_stats_server *server, const char *meta,
					   const char *field, const char *key, const char *value);

/**
 * scx_stats_server_fd() - the descriptor to poll for scx_stats_server_poll().
 * @server: the server.
 *
 * The descriptor becomes readable when a connection has something to do or a timeout is due.
 *
 * Return: the descriptor, owned by the server; -EINVAL for a NULL @server or a server that
 * runs on its own thread.
 */
SCX_API int scx_stats_server_fd(const struct scx_stats_server *server);

/**
 * scx_stats_server_poll() - accept connections, read requests and answer them.
 * @server: the server, without opts->thread.
 * @timeout_ms: wait at most this long for something to do; 0: do not wait; -1: wait.
 *
 * Never blocks on a client: reads and writes are non-blocking, a connection's request and
 * reply are buffered, and a connection that does not finish a request or take its reply
 * within the server's timeout_ms is closed.  Interrupted by a signal, it returns 0.
 *
 * Return: the number of requests answered; -EINVAL for a NULL @server or one that runs on its
 * own thread; errors of epoll_wait(2) other than EINTR.
 */
SCX_API int scx_stats_server_poll(struct scx_stats_server *server, int timeout_ms);

SCX_END_DECLS

#endif /* SCX_STATS_H */
