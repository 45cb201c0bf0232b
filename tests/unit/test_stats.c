// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * The stats client against a real Unix socket server running in a thread of the test: replies,
 * the request's wire form, server errors, malformed and oversized replies, closed connections,
 * timeouts, connection retries and the monitor loop.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <json-c/json.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <scx/log.h>
#include <scx/stats.h>

/* ---- a scripted server ---- */

#define CLOSE_CONN ((const char *)1)	/* read the request, then close the connection */
#define NO_REPLY ((const char *)2)	/* read the request, say nothing for a while, close */

struct server {
	char path[108];
	unsigned int start_delay_ms;	/* bind only after this long */
	const char *const *replies;	/* one per request, NULL-terminated */
	char requests[8][512];		/* what the client sent */
	unsigned int nr_requests;
	unsigned int nr_conns;
	pthread_t thread;
};

static char tmpdir[64];

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Read one line; 1 on success, 0 at end of stream. */
static int read_request(int fd, char *out, size_t size)
{
	size_t n = 0;
	char ch;

	while (read(fd, &ch, 1) == 1) {
		if (ch == '\n') {
			out[n] = '\0';
			return 1;
		}
		if (n + 1 < size)
			out[n++] = ch;
	}
	return 0;
}

static void *server_main(void *arg)
{
	struct server *s = arg;
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	unsigned int next = 0;
	int lfd;

	sleep_ms(s->start_delay_ms);
	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	strcpy(addr.sun_path, s->path);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) || listen(lfd, 4))
		return NULL;
	while (s->replies[next]) {
		int fd = accept(lfd, NULL, NULL);

		if (fd < 0)
			break;
		s->nr_conns++;
		while (s->replies[next]) {
			const char *r = s->replies[next];
			char *req = s->requests[s->nr_requests < 8 ? s->nr_requests : 7];

			if (!read_request(fd, req, sizeof(s->requests[0])))
				break;
			s->nr_requests++;
			next++;
			if (r == CLOSE_CONN)
				break;
			if (r == NO_REPLY) {
				sleep_ms(600);
				break;
			}
			/* the client may be gone: no SIGPIPE */
			if (send(fd, r, strlen(r), MSG_NOSIGNAL) < 0 ||
			    send(fd, "\n", 1, MSG_NOSIGNAL) < 0)
				break;
		}
		close(fd);
	}
	close(lfd);
	return NULL;
}

static void server_start(struct server *s, const char *const *replies, unsigned int delay_ms)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->path, sizeof(s->path), "%s/stats", tmpdir);
	s->replies = replies;
	s->start_delay_ms = delay_ms;
	cr_assert_eq(pthread_create(&s->thread, NULL, server_main, s), 0);
}

static void server_join(struct server *s)
{
	pthread_join(s->thread, NULL);
	unlink(s->path);
}

static void quiet(enum scx_log_level l, const char *m, void *c)
{
}

static void setup(void)
{
	strcpy(tmpdir, "/tmp/scx-stats-test-XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir));
	scx_log_fn_set(quiet, NULL);
}

static void teardown(void)
{
	char p[128];

	snprintf(p, sizeof(p), "%s/stats", tmpdir);
	unlink(p);
	rmdir(tmpdir);
}

TestSuite(stats, .init = setup, .fini = teardown, .timeout = 20);

static struct scx_stats_client *client_for(const struct server *s, unsigned int connect_ms,
					   unsigned int reply_ms, size_t max_line)
{
	SCX_OPTS(scx_stats_client_opts, opts, .path = s->path, .retry_interval_ms = 20,
		 .connect_timeout_ms = connect_ms, .reply_timeout_ms = reply_ms,
		 .max_line = max_line);
	struct scx_stats_client *c = scx_stats_client_new(&opts);

	cr_assert_not_null(c);
	return c;
}

/* ---- replies ---- */

struct seen {
	unsigned int calls;
	double busy;
	long long nr_tasks;
	char line[256];
};

static int record_reply(struct json_object *resp, const char *line, void *ctx)
{
	struct seen *seen = ctx;
	struct json_object *v;

	seen->calls++;
	snprintf(seen->line, sizeof(seen->line), "%s", line);
	if (json_object_object_get_ex(resp, "busy", &v))
		seen->busy = json_object_get_double(v);
	if (json_object_object_get_ex(resp, "nr_tasks", &v))
		seen->nr_tasks = json_object_get_int64(v);
	return 0;
}

Test(stats, request_and_reply)
{
	static const char *const replies[] = {
		"{\"errno\":0,\"args\":{\"resp\":{\"busy\":12.5,\"nr_tasks\":3}}}",
		"{\"errno\": 0, \"args\": {\"resp\": {\"nr_tasks\": 4}}}",
		NULL,
	};
	static const char *const args[] = { "target", "top", NULL };
	struct json_object *req, *v, *a;
	struct server s;
	struct seen seen = { 0 };
	struct scx_stats_client *c;

	server_start(&s, replies, 0);
	c = client_for(&s, 2000, 2000, 0);
	cr_assert_eq(scx_stats_client_request(c, "stats", args, record_reply, &seen), 0);
	cr_assert_eq(seen.calls, 1);
	cr_assert_float_eq(seen.busy, 12.5, 1e-12);
	cr_assert_eq(seen.nr_tasks, 3);
	cr_assert_str_eq(seen.line, replies[0], "the callback sees the whole line");
	/* a second request on the same connection */
	cr_assert_eq(scx_stats_client_request(c, "stats_meta", NULL, record_reply, &seen), 0);
	cr_assert_eq(seen.calls, 2);
	cr_assert_eq(seen.nr_tasks, 4);
	scx_stats_client_free(c);
	server_join(&s);
	cr_assert_eq(s.nr_conns, 1);

	/* what went over the wire: {"req": ..., "args": {...}} */
	req = json_tokener_parse(s.requests[0]);
	cr_assert_not_null(req, "request is JSON: %s", s.requests[0]);
	cr_assert(json_object_object_get_ex(req, "req", &v));
	cr_assert_str_eq(json_object_get_string(v), "stats");
	cr_assert(json_object_object_get_ex(req, "args", &a));
	cr_assert(json_object_object_get_ex(a, "target", &v));
	cr_assert_str_eq(json_object_get_string(v), "top");
	json_object_put(req);
	req = json_tokener_parse(s.requests[1]);
	cr_assert(json_object_object_get_ex(req, "req", &v));
	cr_assert_str_eq(json_object_get_string(v), "stats_meta");
	cr_assert(json_object_object_get_ex(req, "args", &a));
	cr_assert(json_object_is_type(a, json_type_object));
	cr_assert_eq(json_object_object_length(a), 0);
	json_object_put(req);
}

static int fail_cb(struct json_object *resp, const char *line, void *ctx)
{
	return -ENOSPC;
}

Test(stats, server_errors_and_callback_errors)
{
	static const char *const replies[] = {
		"{\"errno\":22,\"args\":{\"errmsg\":\"unknown target\"}}",
		"{\"errno\":-2,\"args\":{}}",
		"{\"errno\":0,\"args\":{\"resp\":1}}",
		NULL,
	};
	struct server s;
	struct scx_stats_client *c;

	server_start(&s, replies, 0);
	c = client_for(&s, 2000, 2000, 0);
	errno = 0;
	cr_assert_eq(scx_stats_client_request(c, "stats", NULL, NULL, NULL), -EINVAL);
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(scx_stats_client_request(c, "stats", NULL, NULL, NULL), -ENOENT);
	cr_assert_eq(scx_stats_client_request(c, "stats", NULL, fail_cb, NULL), -ENOSPC);
	scx_stats_client_free(c);
	server_join(&s);
	cr_assert_eq(s.nr_conns, 1, "a server error keeps the connection");
}

Test(stats, reply_errno_outside_the_errno_range_is_eproto)
{
	static const char *const replies[] = {
		"{\"errno\":2147483647,\"args\":{}}",
		"{\"errno\":-2147483648,\"args\":{}}",
		"{\"errno\":4096,\"args\":{}}",
		"{\"errno\":4095,\"args\":{}}",
		"{\"errno\":-4095,\"args\":{}}",
		NULL,
	};
	struct server s;
	struct scx_stats_client *c;

	server_start(&s, replies, 0);
	c = client_for(&s, 2000, 2000, 0);
	cr_assert_eq(scx_stats_client_request(c, "stats", NULL, NULL, NULL), -EPROTO,
		     "INT32_MAX is no errno");
	cr_assert_eq(scx_stats_client_request(c, "stats", NULL, NULL, NULL), -EPROTO);
	cr_assert_eq(scx_stats_client_request(c, "stats", NULL, NULL, NULL), -EPROTO);
	cr_assert_eq(scx_stats_client_request(c, "stats", NULL, NULL, NULL), -4095,
		     "the highest errno passes either way round");
	cr_assert_eq(scx_stats_client_request(c, "stats", NULL, NULL, NULL), -4095);
	scx_stats_client_free(c);
	server_join(&s);
}

Test(stats, malformed_replies)
{
	static const char *const replies[] = {
		"{\"errno\":0,",				/* truncated */
		"not json at all",
		"[1, 2, 3]",					/* not an object */
		"{\"args\":{\"resp\":{}}}",			/* no errno */
		"{\"errno\":\"0\",\"args\":{\"resp\":{}}}",	/* errno not a number */
		"{\"errno\":0}",				/* no args */
		"{\"errno\":0,\"args\":{}}",			/* no resp */
		"{\"errno\":0,\"args\":{\"resp\":{}}} trailing",
		NULL,
	};
	struct seen seen = { 0 };
	struct server s;
	struct scx_stats_client *c;
	unsigned int i;

	server_start(&s, replies, 0);
	c = client_for(&s, 2000, 2000, 0);
	for (i = 0; replies[i]; i++)
		cr_assert_eq(scx_stats_client_request(c, "stats", NULL, record_reply, &seen),
			     -EBADMSG, "reply %u: %s", i, replies[i]);
	cr_assert_eq(seen.calls, 0);
	scx_stats_client_free(c);
	server_join(&s);
}

Test(stats, too_long_reply)
{
	static char big[10000];
	static const char *replies[3];
	struct seen seen = { 0 };
	struct server s;
	struct scx_stats_client *c;

	/* a valid reply of about 10 kB against a 4 kB limit, then a short one */
	snprintf(big, sizeof(big), "{\"errno\":0,\"args\":{\"resp\":{\"pad\":\"%0*d\"}}}", 9000, 0);
	replies[0] = big;
	replies[1] = "{\"errno\":0,\"args\":{\"resp\":{\"nr_tasks\":7}}}";
	replies[2] = NULL;
	server_start(&s, replies, 0);
	c = client_for(&s, 2000, 2000, 4096);
	cr_assert_eq(scx_stats_client_request(c, "stats", NULL, record_reply, &seen), -EMSGSIZE);
	/* the connection was dropped; the next request connects again and works */
	cr_assert_eq(scx_stats_client_request(c, "stats", NULL, record_reply, &seen), 0);
	cr_assert_eq(seen.calls, 1);
	cr_assert_eq(seen.nr_tasks, 7);
	scx_stats_client_free(c);
	server_join(&s);
	cr_assert_eq(s.nr_conns, 2);
}

Test(stats, closed_connection_and_reply_timeout)
{
	static const char *const replies[] = {
		CLOSE_CONN,
		NO_REPLY,
		"{\"errno\":0,\"args\":{\"resp\":{}}}",
		NULL,
	};
	struct server s;
	struct scx_stats_client *c;
	long long t0, dt;

	server_start(&s, replies, 0);
	c = client_for(&s, 2000, 200, 0);
	cr_assert_eq(scx_stats_client_request(c, "stats", NULL, NULL, NULL), -ECONNRESET);
	t0 = now_ms();
	cr_assert_eq(scx_stats_client_request(c, "stats", NULL, NULL, NULL), -ETIMEDOUT);
	dt = now_ms() - t0;
	cr_assert_geq(dt, 190);
	cr_assert_lt(dt, 2000);
	/* the server closes the silent connection after 600 ms, then takes the next one */
	sleep_ms(700);
	cr_assert_eq(scx_stats_client_request(c, "stats", NULL, NULL, NULL), 0);
	scx_stats_client_free(c);
	server_join(&s);
	cr_assert_eq(s.nr_conns, 3);
}

Test(stats, retries_until_the_server_appears)
{
	static const char *const replies[] = { "{\"errno\":0,\"args\":{\"resp\":{}}}", NULL };
	struct server s;
	struct scx_stats_client *c;
	long long t0, dt;

	server_start(&s, replies, 300);
	c = client_for(&s, 5000, 2000, 0);
	t0 = now_ms();
	cr_assert_eq(scx_stats_client_connect(c), 0);
	dt = now_ms() - t0;
	cr_assert_geq(dt, 250, "connected after %lld ms, before the server existed", dt);
	cr_assert_lt(dt, 4000);
	cr_assert_eq(scx_stats_client_connect(c), 0, "already connected");
	cr_assert_eq(scx_stats_client_request(c, "stats", NULL, NULL, NULL), 0);
	scx_stats_client_free(c);
	server_join(&s);
}

Test(stats, gives_up_when_absent)
{
	SCX_OPTS(scx_stats_client_opts, once, .path = "/nonexistent-scx-dir/stats");
	struct scx_stats_client *c;
	struct server s;
	long long t0, dt;

	memset(&s, 0, sizeof(s));
	snprintf(s.path, sizeof(s.path), "%s/stats", tmpdir);
	c = client_for(&s, 300, 0, 0);
	t0 = now_ms();
	errno = 0;
	cr_assert_eq(scx_stats_client_connect(c), -ENOENT);
	cr_assert_eq(errno, ENOENT);
	dt = now_ms() - t0;
	cr_assert_geq(dt, 290);
	cr_assert_lt(dt, 3000);
	cr_assert_eq(scx_stats_client_request(c, "stats", NULL, NULL, NULL), -ENOENT);
	scx_stats_client_free(c);

	/* no timeout: one attempt */
	c = scx_stats_client_new(&once);
	t0 = now_ms();
	cr_assert_eq(scx_stats_client_connect(c), -ENOENT);
	cr_assert_lt(now_ms() - t0, 100);
	scx_stats_client_free(c);
}

struct counter {
	unsigned int calls;
	long long last;
	unsigned int stop_at;
};

static int count_reply(struct json_object *resp, const char *line, void *ctx)
{
	struct counter *cnt = ctx;
	struct json_object *v;

	cnt->calls++;
	if (json_object_object_get_ex(resp, "seq", &v))
		cnt->last = json_object_get_int64(v);
	return cnt->stop_at && cnt->calls >= cnt->stop_at ? 42 : 0;
}

Test(stats, monitor)
{
	static const char *const replies[] = {
		"{\"errno\":0,\"args\":{\"resp\":{\"seq\":1}}}",
		"{\"errno\":0,\"args\":{\"resp\":{\"seq\":2}}}",
		CLOSE_CONN,	/* the scheduler restarts */
		"{\"errno\":0,\"args\":{\"resp\":{\"seq\":3}}}",
		"{\"errno\":0,\"args\":{\"resp\":{\"seq\":4}}}",
		"{\"errno\":0,\"args\":{\"resp\":{\"seq\":5}}}",
		NULL,
	};
	struct counter cnt = { 0 };
	struct server s;
	struct scx_stats_client *c;

	server_start(&s, replies, 0);
	c = client_for(&s, 2000, 2000, 0);
	cr_assert_eq(scx_stats_client_monitor(c, "stats", NULL, 10, 3, count_reply, &cnt), 0);
	cr_assert_eq(cnt.calls, 3);
	cr_assert_eq(cnt.last, 3, "the reply after the reconnection");
	/* the callback stops the loop */
	cnt.stop_at = 5;
	cr_assert_eq(scx_stats_client_monitor(c, "stats", NULL, 10, 0, count_reply, &cnt), 42);
	cr_assert_eq(cnt.calls, 5);
	cr_assert_eq(cnt.last, 5);
	cr_assert_eq(scx_stats_client_monitor(c, "stats", NULL, 10, 0, NULL, NULL), -EINVAL);
	scx_stats_client_free(c);
	server_join(&s);
	cr_assert_eq(s.nr_conns, 2);
}

/* A server that accepts every connection and closes it at once, until told to stop. */
struct closer {
	char path[108];
	volatile int stop;
	unsigned int nr_conns;
	pthread_t thread;
};

static void *closer_main(void *arg)
{
	struct closer *cl = arg;
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	strcpy(addr.sun_path, cl->path);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) || listen(lfd, 16))
		return NULL;
	while (!cl->stop) {
		int fd = accept(lfd, NULL, NULL);

		if (fd < 0) {
			sleep_ms(1);
			continue;
		}
		cl->nr_conns++;
		close(fd);
	}
	close(lfd);
	return NULL;
}

Test(stats, monitor_backs_off_and_gives_up_on_a_server_that_only_closes)
{
	struct closer cl = { 0 };
	struct counter cnt = { 0 };
	struct scx_stats_client *c;
	long long start, took;
	int ret;

	snprintf(cl.path, sizeof(cl.path), "%s/stats", tmpdir);
	cr_assert_eq(pthread_create(&cl.thread, NULL, closer_main, &cl), 0);
	SCX_OPTS(scx_stats_client_opts, opts, .path = cl.path, .retry_interval_ms = 20,
		 .connect_timeout_ms = 1000, .reply_timeout_ms = 1000);
	c = scx_stats_client_new(&opts);
	cr_assert_not_null(c);
	start = now_ms();
	ret = scx_stats_client_monitor(c, "stats", NULL, 10, 0, count_reply, &cnt);
	took = now_ms() - start;
	cl.stop = 1;
	pthread_join(cl.thread, NULL);
	scx_stats_client_free(c);
	cr_assert(ret == -EPIPE || ret == -ECONNRESET, "monitor returned %d", ret);
	cr_assert_eq(cnt.calls, 0);
	cr_assert_geq(took, 1000, "gave up only after connect_timeout_ms (%lld ms)", took);
	cr_assert_lt(took, 6000, "and not much later (%lld ms)", took);
	/* waits of 20, 40, 80, 160, 320, 640 ms: a handful of connections, not thousands */
	cr_assert_leq(cl.nr_conns, 10, "%u connections in %lld ms", cl.nr_conns, took);
	cr_assert_geq(cl.nr_conns, 2, "one new connection at least");
}

Test(stats, bad_arguments)
{
	static const char *const odd[] = { "target", NULL };
	char long_path[200];
	struct scx_stats_client *c;
	struct {
		struct scx_stats_client_opts o;
		char extra[8];
	} newer;

	memset(long_path, 'a', sizeof(long_path) - 1);
	long_path[0] = '/';
	long_path[sizeof(long_path) - 1] = '\0';
	SCX_OPTS(scx_stats_client_opts, toolong, .path = long_path);
	SCX_OPTS(scx_stats_client_opts, empty, .path = "");

	errno = 0;
	cr_assert_null(scx_stats_client_new(&toolong));
	cr_assert_eq(errno, ENAMETOOLONG);
	cr_assert_null(scx_stats_client_new(&empty));
	cr_assert_eq(errno, EINVAL);
	memset(&newer, 0, sizeof(newer));
	newer.o.sz = sizeof(newer);
	newer.extra[3] = 1;
	cr_assert_null(scx_stats_client_new(&newer.o));
	cr_assert_eq(errno, EINVAL);

	c = scx_stats_client_new(NULL);		/* the default path; not connected yet */
	cr_assert_not_null(c);
	cr_assert_eq(scx_stats_client_request(c, NULL, NULL, NULL, NULL), -EINVAL);
	cr_assert_eq(scx_stats_client_request(c, "stats", odd, NULL, NULL), -EINVAL);
	cr_assert_eq(scx_stats_client_request(NULL, "stats", NULL, NULL, NULL), -EINVAL);
	cr_assert_eq(scx_stats_client_connect(NULL), -EINVAL);
	scx_stats_client_disconnect(c);
	scx_stats_client_disconnect(NULL);
	scx_stats_client_free(c);
	scx_stats_client_free(NULL);
}
