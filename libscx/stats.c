// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * Client for a scheduler's statistics socket: newline-delimited JSON over a Unix stream socket.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include <scx/stats.h>

#include "internal.h"

#define DFL_RETRY_MS 100
#define DFL_REPLY_MS 5000
#define DFL_MAX_LINE (1024 * 1024)

struct scx_stats_client {
	int fd;
	/* connect() takes a struct sockaddr: the union hands it over without a type-punned cast. */
	union {
		struct sockaddr sa;
		struct sockaddr_un un;
	} addr;
	unsigned int retry_ms;
	unsigned int connect_timeout_ms;
	unsigned int reply_timeout_ms;
	size_t max_line;
	char *buf;		/* received bytes not yet handed over */
	size_t len;
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

struct scx_stats_client *scx_stats_client_new(const struct scx_stats_client_opts *opts)
{
	struct scx_stats_client *c;
	const char *path;
	size_t max_line;
	int err;

	err = SCX_OPTS_VALID(opts, scx_stats_client_opts);
	if (err)
		return scx_err_ptr(err);
	path = SCX_OPTS_GET(opts, path, NULL);
	if (!path)
		path = SCX_STATS_DEFAULT_PATH;
	if (!path[0])
		return scx_err_ptr(-EINVAL);
	if (strlen(path) >= sizeof(c->addr.un.sun_path))
		return scx_err_ptr(-ENAMETOOLONG);
	max_line = SCX_OPTS_GET(opts, max_line, 0);
	if (!max_line)
		max_line = DFL_MAX_LINE;
	c = calloc(1, sizeof(*c));
	if (!c)
		return scx_err_ptr(-ENOMEM);
	c->buf = malloc(max_line);
	if (!c->buf) {
		free(c);
		return scx_err_ptr(-ENOMEM);
	}
	c->fd = -1;
	c->addr.un.sun_family = AF_UNIX;
	strcpy(c->addr.un.sun_path, path);
	c->retry_ms = SCX_OPTS_GET(opts, retry_interval_ms, 0);
	if (!c->retry_ms)
		c->retry_ms = DFL_RETRY_MS;
	c->connect_timeout_ms = SCX_OPTS_GET(opts, connect_timeout_ms, 0);
	c->reply_timeout_ms = SCX_OPTS_GET(opts, reply_timeout_ms, 0);
	if (!c->reply_timeout_ms)
		c->reply_timeout_ms = DFL_REPLY_MS;
	c->max_line = max_line;
	return c;
}

void scx_stats_client_disconnect(struct scx_stats_client *client)
{
	if (!client || client->fd < 0)
		return;
	close(client->fd);
	client->fd = -1;
	client->len = 0;
}

void scx_stats_client_free(struct scx_stats_client *client)
{
	if (!client)
		return;
	scx_stats_client_disconnect(client);
	free(client->buf);
	free(client);
}

static int try_connect(struct scx_stats_client *c)
{
	int fd, err;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	while (connect(fd, &c->addr.sa, sizeof(c->addr.un))) {
		err = -errno;
		if (err == -EINTR)
			continue;
		close(fd);
		return err;
	}
	c->fd = fd;
	c->len = 0;
	return 0;
}

int scx_stats_client_connect(struct scx_stats_client *client)
{
	uint64_t deadline;
	int err;

	if (!client)
		return scx_errno(-EINVAL);
	if (client->fd >= 0)
		return 0;
	deadline = now_ms() + client->connect_timeout_ms;
	for (;;) {
		uint64_t now;

		err = try_connect(client);
		if (err != -ENOENT && err != -ECONNREFUSED)
			break;
		now = now_ms();
		if (now >= deadline)
			break;
		sleep_ms((unsigned int)(deadline - now < client->retry_ms ? deadline - now
									 : client->retry_ms));
	}
	if (err)
		scx_dbg("stats: cannot connect to %s: %s", client->addr.un.sun_path, strerror(-err));
	return scx_errno(err);
}

/* The request line: {"req": req, "args": {name: value, ...}} and a newline. */
static char *format_request(const char *req, const char *const *args, size_t *len)
{
	json_object *root = json_object_new_object(), *jargs = json_object_new_object();
	const char *text;
	char *line = NULL;
	size_t i;

	if (!root || !jargs)
		goto out;
	if (json_object_object_add(root, "req", json_object_new_string(req)))
		goto out;
	for (i = 0; args && args[i]; i += 2)
		if (json_object_object_add(jargs, args[i], json_object_new_string(args[i + 1])))
			goto out;
	if (json_object_object_add(root, "args", jargs))
		goto out;
	jargs = NULL;	/* owned by root now */
	text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN);
	if (!text)
		goto out;
	*len = strlen(text);
	line = malloc(*len + 2);
	if (line) {
		memcpy(line, text, *len);
		line[(*len)++] = '\n';
		line[*len] = '\0';
	}
out:
	json_object_put(jargs);
	json_object_put(root);
	return line;
}

static int send_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Read until a newline is buffered; return the line's length (newline not counted). */
static int read_line(struct scx_stats_client *c, size_t *line_len)
{
	uint64_t deadline = now_ms() + c->reply_timeout_ms;

	for (;;) {
		char *nl = memchr(c->buf, '\n', c->len);
		struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
		uint64_t now;
		ssize_t n;
		int r;

		if (nl) {
			*line_len = (size_t)(nl - c->buf);
			return 0;
		}
		if (c->len >= c->max_line)
			return -EMSGSIZE;
		now = now_ms();
		if (now >= deadline)
			return -ETIMEDOUT;
		r = poll(&pfd, 1, (int)(deadline - now));
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (!r)
			return -ETIMEDOUT;
		n = recv(c->fd, c->buf + c->len, c->max_line - c->len, 0);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -errno;
		}
		if (!n)
			return -ECONNRESET;
		c->len += (size_t)n;
	}
}

/*
 * A reply's errno as the request's return: servers send it positive (the Rust one) or
 * negative; anything outside the kernel's errno range (1 .. 4095) is no errno at all.
 */
#define MAX_ERRNO 4095	/* the kernel's highest error number */

static int reply_errno(int rerr)
{
	if (rerr < -MAX_ERRNO || rerr > MAX_ERRNO)
		return -EPROTO;
	return rerr > 0 ? -rerr : rerr;
}

/* Check the reply's envelope and call @cb with args.resp. */
static int handle_reply(const char *line, size_t len, scx_stats_reply_fn cb, void *ctx)
{
	json_tokener *tok = json_tokener_new();
	json_object *root = NULL, *jerrno, *jargs, *resp, *msg;
	int ret = -EBADMSG, rerr;

	if (!tok)
		return -ENOMEM;
	if (len > (size_t)INT32_MAX)
		goto out;
	root = json_tokener_parse_ex(tok, line, (int)len);
	if (!root || json_tokener_get_error(tok) != json_tokener_success ||
	    json_tokener_get_parse_end(tok) != len) {
		scx_warn("stats: reply is not one JSON value");
		goto out;
	}
	if (!json_object_is_type(root, json_type_object) ||
	    !json_object_object_get_ex(root, "errno", &jerrno) ||
	    !json_object_is_type(jerrno, json_type_int)) {
		scx_warn("stats: reply has no errno");
		goto out;
	}
	if (!json_object_object_get_ex(root, "args", &jargs) ||
	    !json_object_is_type(jargs, json_type_object)) {
		scx_warn("stats: reply has no args object");
		goto out;
	}
	rerr = json_object_get_int(jerrno);
	if (rerr) {
		/* scx_stats servers put the message in args.resp, libscx's also in args.errmsg */
		msg = NULL;
		if (!json_object_object_get_ex(jargs, "errmsg", &msg))
			json_object_object_get_ex(jargs, "resp", &msg);
		scx_warn("stats: the server answered errno %d: %s", rerr,
			 msg ? json_object_get_string(msg) : "(no message)");
		ret = reply_errno(rerr);
		goto out;
	}
	if (!json_object_object_get_ex(jargs, "resp", &resp)) {
		scx_warn("stats: reply has no args.resp");
		goto out;
	}
	ret = cb ? cb(resp, line, ctx) : 0;
out:
	json_object_put(root);
	json_tokener_free(tok);
	return ret;
}

int scx_stats_client_request(struct scx_stats_client *client, const char *req,
			     const char *const *args, scx_stats_reply_fn cb, void *ctx)
{
	size_t i, req_len, line_len = 0;
	char *line;
	int err;

	if (!client || !req)
		return scx_errno(-EINVAL);
	for (i = 0; args && args[i]; i += 2)
		if (!args[i + 1])
			return scx_errno(-EINVAL);
	err = scx_stats_client_connect(client);
	if (err)
		return err;	/* errno set */

	line = format_request(req, args, &req_len);
	if (!line)
		return scx_errno(-ENOMEM);
	client->len = 0;	/* nothing stale may pass for this request's reply */
	err = send_all(client->fd, line, req_len);
	free(line);
	if (!err)
		err = read_line(client, &line_len);
	if (err) {
		scx_dbg("stats: request \"%s\" failed: %s", req, strerror(-err));
		scx_stats_client_disconnect(client);
		return scx_errno(err);
	}
	client->buf[line_len] = '\0';
	err = handle_reply(client->buf, line_len, cb, ctx);
	/* keep what followed the line (there should be nothing) */
	client->len -= line_len + 1;
	memmove(client->buf, client->buf + line_len + 1, client->len);
	return scx_errno(err);
}

static bool connection_lost(int err)
{
	return err == -EPIPE || err == -ECONNRESET;
}

/* The longest wait between two connections to a server that keeps closing them. */
#define MONITOR_MAX_BACKOFF_MS 5000u

int scx_stats_client_monitor(struct scx_stats_client *client, const char *req,
			     const char *const *args, unsigned int interval_ms, unsigned int count,
			     scx_stats_reply_fn cb, void *ctx)
{
	unsigned int done = 0, backoff = 0;
	uint64_t lost_since = 0;
	int ret;

	if (!client || !req || !cb)
		return scx_errno(-EINVAL);
	for (;;) {
		ret = scx_stats_client_request(client, req, args, cb, ctx);
		if (connection_lost(ret)) {
			/*
			 * The scheduler went away, or a server accepts and closes without a
			 * reply.  Connect again after a wait that doubles with each loss in a
			 * row, and give up once connect_timeout_ms has passed since the first
			 * of them (after one try again at least).
			 */
			if (!backoff) {
				lost_since = now_ms();
				backoff = interval_ms > client->retry_ms ? interval_ms : client->retry_ms;
				if (!backoff)
					backoff = 1;
			} else if (now_ms() - lost_since >= client->connect_timeout_ms) {
				return scx_errno(ret);
			} else if (backoff < MONITOR_MAX_BACKOFF_MS) {
				backoff = backoff * 2 < MONITOR_MAX_BACKOFF_MS ? backoff * 2
									 : MONITOR_MAX_BACKOFF_MS;
			}
			sleep_ms(backoff);
			ret = scx_stats_client_connect(client);
			if (ret)
				return ret;
			continue;
		}
		if (ret)
			return ret;
		backoff = 0;
		if (count && ++done >= count)
			return 0;
		sleep_ms(interval_ms);
	}
}
