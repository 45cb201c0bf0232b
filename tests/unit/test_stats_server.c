// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * The stats server over a real Unix socket: answered by libscx's own client and by a client
 * written here from the protocol (a raw socket, one JSON object per line), on its own thread
 * and in a poll loop; several clients at once; garbage, oversized, unfinished and unread
 * requests; and the socket's creation, mode and removal.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <scx/log.h>
#include <scx/stats.h>

static char tmpdir[64];
static char sock_path[128];
static atomic_uint nr_calls;

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void quiet(enum scx_log_level l, const char *m, void *c)
{
	(void)l;
	(void)m;
	(void)c;
}

static void setup(void)
{
	strcpy(tmpdir, "/tmp/scx-stats-server-XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir));
	/* a directory the server must create */
	snprintf(sock_path, sizeof(sock_path), "%s/run/root/stats", tmpdir);
	scx_log_fn_set(quiet, NULL);
	atomic_store(&nr_calls, 0);
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(stats_server, .init = setup, .fini = teardown, .timeout = 30);

/* ---- what the server serves: the scx_stats crate's example statistics ---- */

static int top_stats(struct json_object *resp, struct json_object *args, void *ctx)
{
	struct json_object *dom = json_object_new_object(), *doms = json_object_new_object();
	struct json_object *bitmap = json_object_new_array(), *extra;
	unsigned int n = atomic_fetch_add(&nr_calls, 1) + 1;

	(void)ctx;
	json_object_object_add(resp, "name", json_object_new_string("test cluster"));
	json_object_object_add(resp, "at", json_object_new_int64(12345));
	json_object_object_add(resp, "calls", json_object_new_int64(n));
	json_object_array_add(bitmap, json_object_new_int64(3735928559LL));
	json_object_object_add(resp, "bitmap", bitmap);
	json_object_object_add(dom, "name", json_object_new_string("domain 0"));
	json_object_object_add(dom, "events", json_object_new_int64(1234));
	json_object_object_add(dom, "pressure", json_object_new_double(1.234));
	json_object_object_add(doms, "0", dom);
	json_object_object_add(resp, "doms_dict", doms);
	if (json_object_object_get_ex(args, "extra", &extra))
		json_object_object_add(resp, "extra", json_object_get(extra));
	return 0;
}

static int failing_stats(struct json_object *resp, struct json_object *args, void *ctx)
{
	(void)resp;
	(void)args;
	(void)ctx;
	return -EAGAIN;
}

static void describe(struct scx_stats_server *s)
{
	cr_assert_eq(scx_stats_server_add_meta(s, "ClusterStats", "cluster statistics",
					       SCX_STATS_META_TOP),
		     0);
	cr_assert_eq(scx_stats_server_add_meta(s, "DomainStats", "domain statistics", 0), 0);
	cr_assert_eq(scx_stats_server_add_field(s, "ClusterStats", "name", "string", NULL), 0);
	cr_assert_eq(scx_stats_server_add_field(s, "ClusterStats", "at", "u64", "update timestamp"),
		     0);
	cr_assert_eq(scx_stats_server_add_field(s, "ClusterStats", "bitmap", "[u64]", "a bitmap"),
		     0);
	cr_assert_eq(scx_stats_server_add_field(s, "ClusterStats", "doms_dict", "{u64:DomainStats}",
						"domain statistics"),
		     0);
	cr_assert_eq(scx_stats_server_add_field(s, "DomainStats", "events", "u64", "a counter"), 0);
	cr_assert_eq(scx_stats_server_add_field(s, "DomainStats", "pressure", "float", NULL), 0);
	cr_assert_eq(scx_stats_server_add_user_attr(s, "DomainStats", NULL, "_om_prefix", "d_"), 0);
	cr_assert_eq(scx_stats_server_add_user_attr(s, "ClusterStats", "bitmap", "_om_skip", NULL),
		     0);
}

static struct scx_stats_server *open_server(bool thread, unsigned int max_clients,
					    size_t max_request, unsigned int timeout_ms)
{
	SCX_OPTS(scx_stats_server_opts, opts, .path = sock_path, .thread = thread,
		 .max_clients = max_clients, .max_request = max_request, .timeout_ms = timeout_ms);
	struct scx_stats_server *s = scx_stats_server_open(&opts);

	cr_assert_not_null(s, "open: %s", strerror(errno));
	cr_assert_eq(scx_stats_server_add_stats(s, "top", top_stats, NULL), 0);
	cr_assert_eq(scx_stats_server_add_stats(s, "failing", failing_stats, NULL), 0);
	describe(s);
	return s;
}

/* A thread that drives a server without its own thread, as a scheduler's main loop would. */
struct driver {
	struct scx_stats_server *s;
	atomic_bool stop;
	pthread_t thread;
};

static void *drive(void *arg)
{
	struct driver *d = arg;
	struct pollfd pfd = {.fd = scx_stats_server_fd(d->s), .events = POLLIN};

	while (!atomic_load(&d->stop))
		if (poll(&pfd, 1, 20) > 0)
			cr_assert_geq(scx_stats_server_poll(d->s, 0), 0);
	return NULL;
}

static void drive_start(struct driver *d, struct scx_stats_server *s)
{
	d->s = s;
	atomic_store(&d->stop, false);
	cr_assert_eq(pthread_create(&d->thread, NULL, drive, d), 0);
}

static void drive_stop(struct driver *d)
{
	atomic_store(&d->stop, true);
	pthread_join(d->thread, NULL);
}

/* ---- a client from the protocol's description ---- */

static int raw_connect(void)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	cr_assert_geq(fd, 0);
	strcpy(addr.sun_path, sock_path);
	cr_assert_eq(connect(fd, (struct sockaddr *)&addr, sizeof(addr)), 0, "connect: %s",
		     strerror(errno));
	return fd;
}

static void raw_send(int fd, const char *text)
{
	size_t len = strlen(text);

	cr_assert_eq(send(fd, text, len, MSG_NOSIGNAL), (ssize_t)len);
}

/* One line, without its newline; 0 at the end of the stream, -1 when none came in time. */
static int raw_read_line(int fd, char *buf, size_t size, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	size_t n = 0;

	while (n + 1 < size) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		long long left = deadline - now_ms();
		ssize_t r;

		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
			return -1;
		r = recv(fd, buf + n, 1, 0);
		if (r <= 0)
			return n ? -1 : 0;
		if (buf[n] == '\n') {
			buf[n] = '\0';
			return 1;
		}
		n++;
	}
	return -1;
}

/* Send @req, read its reply and return it parsed; *@err gets its errno. */
static struct json_object *raw_request(int fd, const char *req, int *err)
{
	struct json_object *reply, *jerr;
	char line[16 * 1024];

	raw_send(fd, req);
	cr_assert_eq(raw_read_line(fd, line, sizeof(line), 5000), 1, "no reply to %s", req);
	reply = json_tokener_parse(line);
	cr_assert_not_null(reply, "reply is JSON: %s", line);
	cr_assert(json_object_object_get_ex(reply, "errno", &jerr), "reply has errno: %s", line);
	*err = json_object_get_int(jerr);
	return reply;
}

/* args.resp of @reply (borrowed). */
static struct json_object *resp_of(struct json_object *reply)
{
	struct json_object *args, *resp;

	cr_assert(json_object_object_get_ex(reply, "args", &args));
	cr_assert(json_object_object_get_ex(args, "resp", &resp));
	return resp;
}

/* The errno of the reply to a plain "stats" request on @fd. */
static int raw_stats(int fd)
{
	struct json_object *reply;
	int err;

	reply = raw_request(fd, "{\"req\":\"stats\"}\n", &err);
	json_object_put(reply);
	return err;
}

static const char *string_at(struct json_object *obj, const char *a, const char *b)
{
	struct json_object *v;

	cr_assert(json_object_object_get_ex(obj, a, &v), "has %s", a);
	if (b)
		cr_assert(json_object_object_get_ex(v, b, &v), "has %s.%s", a, b);
	return json_object_get_string(v);
}

/* ---- libscx's client ---- */

struct seen {
	long long at;
	char name[64];
	unsigned int nr;
};

static int keep(struct json_object *resp, const char *line, void *ctx)
{
	struct seen *seen = ctx;
	struct json_object *v;

	(void)line;
	if (json_object_object_get_ex(resp, "at", &v))
		seen->at = json_object_get_int64(v);
	if (json_object_object_get_ex(resp, "name", &v))
		snprintf(seen->name, sizeof(seen->name), "%s", json_object_get_string(v));
	seen->nr++;
	return 0;
}

static struct scx_stats_client *client_new(void)
{
	SCX_OPTS(scx_stats_client_opts, opts, .path = sock_path, .reply_timeout_ms = 5000);
	struct scx_stats_client *c = scx_stats_client_new(&opts);

	cr_assert_not_null(c);
	return c;
}

static void libscx_client_reads_top(void)
{
	static const char *const args[] = {"target", "top", NULL};
	struct scx_stats_client *c = client_new();
	struct seen seen = {0};

	cr_assert_eq(scx_stats_client_request(c, "stats", args, keep, &seen), 0);
	cr_assert_eq(seen.at, 12345);
	cr_assert_str_eq(seen.name, "test cluster");
	cr_assert_eq(scx_stats_client_request(c, "stats", NULL, keep, &seen), 0,
		     "no target is the top target");
	cr_assert_eq(seen.nr, 2);
	scx_stats_client_free(c);
}

Test(stats_server, libscx_client_reads_stats_from_a_threaded_server)
{
	struct scx_stats_server *s = open_server(true, 0, 0, 0);

	libscx_client_reads_top();
	scx_stats_server_close(s);
}

Test(stats_server, libscx_client_reads_stats_from_a_polled_server)
{
	struct scx_stats_server *s = open_server(false, 0, 0, 0);
	struct driver d;

	drive_start(&d, s);
	libscx_client_reads_top();
	drive_stop(&d);
	scx_stats_server_close(s);
}

Test(stats_server, libscx_client_monitor_sees_each_reply)
{
	struct scx_stats_server *s = open_server(true, 0, 0, 0);
	struct scx_stats_client *c = client_new();
	struct seen seen = {0};

	cr_assert_eq(scx_stats_client_monitor(c, "stats", NULL, 10, 5, keep, &seen), 0);
	cr_assert_eq(seen.nr, 5);
	cr_assert_eq(atomic_load(&nr_calls), 5);
	scx_stats_client_free(c);
	scx_stats_server_close(s);
}

Test(stats_server, a_failing_target_is_the_libscx_clients_error)
{
	static const char *const failing[] = {"target", "failing", NULL};
	static const char *const unknown[] = {"target", "nope", NULL};
	struct scx_stats_server *s = open_server(true, 0, 0, 0);
	struct scx_stats_client *c = client_new();

	cr_assert_eq(scx_stats_client_request(c, "stats", failing, NULL, NULL), -EAGAIN);
	cr_assert_eq(scx_stats_client_request(c, "stats", unknown, NULL, NULL), -EINVAL);
	cr_assert_eq(scx_stats_client_request(c, "bogus", NULL, NULL, NULL), -EINVAL);
	cr_assert_eq(scx_stats_client_request(c, "stats", NULL, NULL, NULL), 0,
		     "the connection survives errors");
	scx_stats_client_free(c);
	scx_stats_server_close(s);
}

/* ---- the protocol as a client of any language speaks it ---- */

Test(stats_server, raw_client_gets_the_reply_envelope)
{
	struct scx_stats_server *s = open_server(true, 0, 0, 0);
	struct json_object *reply, *resp, *v;
	int fd = raw_connect(), err;

	reply = raw_request(fd, "{\"req\":\"stats\",\"args\":{\"target\":\"top\"}}\n", &err);
	cr_assert_eq(err, 0);
	cr_assert_eq(json_object_object_length(reply), 2, "errno and args only");
	resp = resp_of(reply);
	cr_assert_str_eq(string_at(resp, "name", NULL), "test cluster");
	cr_assert_str_eq(string_at(resp, "doms_dict", "0"),
			 "{ \"name\": \"domain 0\", \"events\": 1234, \"pressure\": 1.234 }");
	cr_assert(json_object_object_get_ex(resp, "bitmap", &v));
	cr_assert_eq(json_object_get_int64(json_object_array_get_idx(v, 0)), 3735928559LL);
	json_object_put(reply);

	/* args may be left out; every arg reaches the provider */
	cr_assert_eq(raw_stats(fd), 0);
	reply = raw_request(fd, "{\"req\":\"stats\",\"args\":{\"extra\":\"x\"}}\n", &err);
	cr_assert_str_eq(string_at(resp_of(reply), "extra", NULL), "x");
	json_object_put(reply);
	close(fd);
	scx_stats_server_close(s);
}

Test(stats_server, raw_client_reads_the_metadata)
{
	struct scx_stats_server *s = open_server(true, 0, 0, 0);
	struct json_object *reply, *meta, *cluster, *fields, *f;
	int fd = raw_connect(), err;

	reply = raw_request(fd, "{\"req\":\"stats_meta\",\"args\":{}}\n", &err);
	cr_assert_eq(err, 0);
	meta = resp_of(reply);
	cr_assert(json_object_object_get_ex(meta, "ClusterStats", &cluster));
	cr_assert_str_eq(string_at(cluster, "name", NULL), "ClusterStats");
	cr_assert_str_eq(string_at(cluster, "top", NULL), "true");
	cr_assert_str_eq(string_at(cluster, "desc", NULL), "cluster statistics");
	cr_assert(json_object_object_get_ex(cluster, "fields", &fields));
	cr_assert_str_eq(string_at(fields, "at", "datum"), "u64");
	cr_assert_str_eq(string_at(fields, "at", "desc"), "update timestamp");
	cr_assert_str_eq(string_at(fields, "name", "datum"), "string");
	cr_assert(json_object_object_get_ex(fields, "name", &f));
	cr_assert_not(json_object_object_get_ex(f, "desc", NULL), "no desc: no member");
	cr_assert_str_eq(string_at(fields, "bitmap", "array"), "u64");
	cr_assert(json_object_object_get_ex(fields, "doms_dict", &f));
	cr_assert_str_eq(string_at(f, "dict", NULL),
			 "{ \"key\": \"u64\", \"datum\": { \"struct\": \"DomainStats\" } }");
	cr_assert_str_eq(string_at(fields, "bitmap", "user"), "{ \"_om_skip\": \"true\" }");
	cr_assert(json_object_object_get_ex(meta, "DomainStats", &cluster));
	cr_assert_not(json_object_object_get_ex(cluster, "top", NULL));
	cr_assert_str_eq(string_at(cluster, "user", "_om_prefix"), "d_");
	json_object_put(reply);
	close(fd);
	scx_stats_server_close(s);
}

Test(stats_server, garbage_gets_an_error_and_the_connection_goes_on)
{
	static const char *const bad[] = {
		"this is not json\n",
		"[1, 2, 3]\n",
		"{\"args\":{}}\n",
		"{\"req\":7}\n",
		"{\"req\":\"stats\",\"args\":{\"target\":7}}\n",
		"{\"req\":\"stats\",\"args\":[]}\n",
		"{\"req\":\"stats\"} trailing\n",
		"\n",
		"{\"req\":\"launch_missiles\"}\n",
		"{\"req\":\"stats\",\"args\":{\"target\":\"nope\"}}\n",
	};
	struct scx_stats_server *s = open_server(true, 0, 0, 0);
	struct json_object *reply;
	int fd = raw_connect(), err;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		reply = raw_request(fd, bad[i], &err);
		cr_assert_eq(err, EINVAL, "EINVAL for %s", bad[i]);
		cr_assert(json_object_is_type(resp_of(reply), json_type_string),
			  "the message is args.resp, as scx_stats puts it");
		json_object_put(reply);
	}
	cr_assert_eq(raw_stats(fd), 0);
	close(fd);
	scx_stats_server_close(s);
}

Test(stats_server, pipelined_requests_are_answered_in_order)
{
	struct scx_stats_server *s = open_server(true, 0, 0, 0);
	char line[4096];
	int fd = raw_connect();

	raw_send(fd, "{\"req\":\"stats\"}\n{\"req\":\"nope\"}\n{\"req\":\"stats_meta\"}\n");
	cr_assert_eq(raw_read_line(fd, line, sizeof(line), 5000), 1);
	cr_assert(strstr(line, "\"errno\":0") && strstr(line, "test cluster"));
	cr_assert_eq(raw_read_line(fd, line, sizeof(line), 5000), 1);
	cr_assert(strstr(line, "\"errno\":22"));
	cr_assert_eq(raw_read_line(fd, line, sizeof(line), 5000), 1);
	cr_assert(strstr(line, "ClusterStats"));
	close(fd);
	scx_stats_server_close(s);
}

Test(stats_server, an_oversized_request_is_refused_and_closed)
{
	static const char prefix[] = "{\"req\":\"stats\",\"args\":{\"pad\":\"";
	struct scx_stats_server *s = open_server(true, 0, 256, 0);
	struct json_object *reply;
	char big[1024], line[1024];
	int fd = raw_connect(), other;

	memset(big, ' ', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, prefix, strlen(prefix));
	send(fd, big, strlen(big), MSG_NOSIGNAL);
	cr_assert_eq(raw_read_line(fd, line, sizeof(line), 5000), 1);
	reply = json_tokener_parse(line);
	cr_assert_not_null(reply);
	cr_assert_str_eq(string_at(reply, "errno", NULL), "90", "EMSGSIZE: %s", line);
	json_object_put(reply);
	cr_assert_eq(raw_read_line(fd, line, sizeof(line), 5000), 0, "then the server hangs up");
	close(fd);

	other = raw_connect();
	cr_assert_eq(raw_stats(other), 0, "others are served");
	close(other);
	scx_stats_server_close(s);
}

Test(stats_server, a_hanging_client_does_not_stall_another)
{
	struct scx_stats_server *s = open_server(false, 0, 0, 300);
	struct scx_stats_client *c = client_new();
	struct seen seen = {0};
	struct driver d;
	char line[64];
	long long t0;
	int hang;

	drive_start(&d, s);
	hang = raw_connect();
	raw_send(hang, "{\"req\":\"sta"); /* and nothing more */
	t0 = now_ms();
	cr_assert_eq(scx_stats_client_request(c, "stats", NULL, keep, &seen), 0);
	cr_assert_lt(now_ms() - t0, 250, "served while the other hangs");
	cr_assert_eq(raw_read_line(hang, line, sizeof(line), 3000), 0,
		     "the hanging client is closed after the timeout");
	cr_assert_geq(now_ms() - t0, 250);
	close(hang);
	cr_assert_eq(scx_stats_client_request(c, "stats", NULL, keep, &seen), 0);
	drive_stop(&d);
	scx_stats_client_free(c);
	scx_stats_server_close(s);
}

Test(stats_server, a_client_that_never_reads_is_dropped)
{
	struct scx_stats_server *s = open_server(true, 0, 0, 300);
	struct scx_stats_client *c = client_new();
	struct seen seen = {0};
	int sink = raw_connect();
	long long t0 = now_ms();
	ssize_t n;

	/*
	 * Requests whose replies pile up unread, until the server, its replies unsent, reads no
	 * more of them and the requests stop going out.
	 */
	fcntl(sink, F_SETFL, O_NONBLOCK);
	for (;;) {
		struct pollfd pfd = {.fd = sink, .events = POLLOUT};

		if (poll(&pfd, 1, 100) <= 0)
			break;
		send(sink, "{\"req\":\"stats_meta\"}\n", 21, MSG_NOSIGNAL);
		cr_assert_lt(now_ms() - t0, 10000, "the server stops reading");
	}
	cr_assert_eq(scx_stats_client_request(c, "stats", NULL, keep, &seen), 0,
		     "another client is served meanwhile");
	/* after the timeout the server has hung up: the socket reads the replies then EOF */
	usleep(600 * 1000);
	cr_assert_eq(scx_stats_client_request(c, "stats", NULL, keep, &seen), 0);
	for (;;) {
		char buf[65536];
		struct pollfd pfd = {.fd = sink, .events = POLLIN};

		cr_assert_gt(poll(&pfd, 1, 3000), 0, "the server closed the connection");
		n = recv(sink, buf, sizeof(buf), 0);
		if (n <= 0)
			break;
	}
	cr_assert(n == 0 || errno == ECONNRESET);
	close(sink);
	scx_stats_client_free(c);
	scx_stats_server_close(s);
}

Test(stats_server, a_client_gone_mid_request_is_forgotten)
{
	struct scx_stats_server *s = open_server(true, 0, 0, 0);
	int fd, i;

	for (i = 0; i < 50; i++) {
		fd = raw_connect();
		raw_send(fd, "{\"req\":\"stats\",\"ar");
		close(fd);
	}
	fd = raw_connect();
	cr_assert_eq(raw_stats(fd), 0, "its slots were given back");
	close(fd);
	scx_stats_server_close(s);
}

Test(stats_server, a_last_request_without_newline_is_answered_at_the_end)
{
	struct scx_stats_server *s = open_server(true, 0, 0, 0);
	char line[4096];
	int fd = raw_connect();

	/* as a reader of lines at the end of the stream takes it */
	raw_send(fd, "{\"req\":\"stats\"}\n{\"req\":\"stats\"}");
	cr_assert_eq(shutdown(fd, SHUT_WR), 0);
	cr_assert_eq(raw_read_line(fd, line, sizeof(line), 5000), 1);
	cr_assert_eq(raw_read_line(fd, line, sizeof(line), 5000), 1);
	cr_assert(strstr(line, "\"errno\":0"));
	cr_assert_eq(raw_read_line(fd, line, sizeof(line), 5000), 0);
	close(fd);
	scx_stats_server_close(s);
}

struct hammer {
	pthread_t thread;
	int nr_ok;
	bool raw;
};

static void *hammer_main(void *arg)
{
	struct hammer *h = arg;
	int i;

	if (h->raw) {
		int fd = raw_connect();

		for (i = 0; i < 50; i++)
			h->nr_ok += !raw_stats(fd);
		close(fd);
	} else {
		struct scx_stats_client *c = client_new();
		struct seen seen = {0};

		for (i = 0; i < 50; i++)
			h->nr_ok += !scx_stats_client_request(c, "stats", NULL, keep, &seen);
		scx_stats_client_free(c);
	}
	return NULL;
}

static void many_clients_at_once(bool thread)
{
	struct scx_stats_server *s = open_server(thread, 0, 0, 0);
	struct hammer h[8] = {0};
	struct driver d;
	int i;

	if (!thread)
		drive_start(&d, s);
	for (i = 0; i < 8; i++) {
		h[i].raw = i % 2;
		cr_assert_eq(pthread_create(&h[i].thread, NULL, hammer_main, &h[i]), 0);
	}
	for (i = 0; i < 8; i++) {
		pthread_join(h[i].thread, NULL);
		cr_assert_eq(h[i].nr_ok, 50, "client %d", i);
	}
	cr_assert_eq(atomic_load(&nr_calls), 400);
	if (!thread)
		drive_stop(&d);
	scx_stats_server_close(s);
}

Test(stats_server, several_clients_at_once_on_the_servers_thread)
{
	many_clients_at_once(true);
}

Test(stats_server, several_clients_at_once_in_a_poll_loop)
{
	many_clients_at_once(false);
}

Test(stats_server, clients_past_max_clients_wait_for_a_slot)
{
	struct scx_stats_server *s = open_server(true, 2, 0, 1000);
	int a = raw_connect(), b = raw_connect(), c;
	char line[4096];

	cr_assert_eq(raw_stats(a), 0);
	cr_assert_eq(raw_stats(b), 0);
	c = raw_connect();
	raw_send(c, "{\"req\":\"stats\"}\n");
	cr_assert_eq(raw_read_line(c, line, sizeof(line), 300), -1, "a third waits");
	close(a);
	cr_assert_eq(raw_read_line(c, line, sizeof(line), 3000), 1,
		     "and is served when one leaves");
	cr_assert(strstr(line, "\"errno\":0"));
	close(b);
	close(c);
	scx_stats_server_close(s);
}

Test(stats_server, an_idle_client_gives_its_slot_to_a_newcomer)
{
	struct scx_stats_server *s = open_server(true, 1, 0, 200);
	int idle = raw_connect(), c;
	char line[64];

	cr_assert_eq(raw_stats(idle), 0);
	c = raw_connect();
	cr_assert_eq(raw_stats(c), 0, "served once the idle one has been quiet for timeout_ms");
	cr_assert_eq(raw_read_line(idle, line, sizeof(line), 3000), 0, "the idle one is closed");
	close(idle);
	close(c);
	scx_stats_server_close(s);
}

Test(stats_server, one_newcomer_takes_one_idle_slot)
{
	struct scx_stats_server *s = open_server(true, 2, 0, 100);
	int a = raw_connect(), b = raw_connect(), c, nr_closed = 0;
	struct pollfd pfd[2] = {{.fd = a, .events = POLLIN}, {.fd = b, .events = POLLIN}};

	cr_assert_eq(raw_stats(a), 0);
	cr_assert_eq(raw_stats(b), 0);
	usleep(250 * 1000);
	c = raw_connect();
	cr_assert_eq(raw_stats(c), 0);
	cr_assert_eq(poll(pfd, 2, 200), 1, "one of the idle two is closed");
	nr_closed = !!pfd[0].revents + !!pfd[1].revents;
	cr_assert_eq(nr_closed, 1);
	cr_assert_eq(raw_stats(pfd[0].revents ? b : a), 0, "the other is still served");
	close(a);
	close(b);
	close(c);
	scx_stats_server_close(s);
}

/* ---- scxinfo --monitor, a client of any scheduler ---- */

/* Run scxinfo with @args against the test's socket; its output in @out. */
static void run_scxinfo(const char *args, char *out, size_t size)
{
	const char *builddir = getenv("top_builddir");
	char cmd[512];
	size_t n = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "'%s/tools/scxinfo' --monitor='%s' %s",
		 builddir ? builddir : ".", sock_path, args);
	p = popen(cmd, "r");
	cr_assert_not_null(p);
	while (n + 1 < size && !feof(p) && !ferror(p))
		n += fread(out + n, 1, size - n - 1, p);
	out[n] = '\0';
	cr_assert_eq(pclose(p), 0, "%s exits 0:\n%s", cmd, out);
}

Test(stats_server, scxinfo_monitor_prints_each_report)
{
	struct scx_stats_server *s = open_server(true, 0, 0, 0);
	struct json_object *json;
	char out[8192], *p;
	int nr = 0;

	run_scxinfo("--interval=0.05 --count=3", out, sizeof(out));
	for (p = out; (p = strstr(p, "###### ")); p++)
		nr++;
	cr_assert_eq(nr, 3, "three reports:\n%s", out);
	cr_assert(strstr(out, "\nname "), "%s", out);
	cr_assert(strstr(out, "test cluster\n"));
	cr_assert(strstr(out, "\ndoms_dict.0.events "));
	cr_assert(strstr(out, "\nbitmap.0 "));
	cr_assert(strstr(out, "\ncalls                                    3\n"), "%s", out);
	cr_assert_eq(atomic_load(&nr_calls), 3);

	run_scxinfo("--json --count=2 --interval=0.01", out, sizeof(out));
	p = strchr(out, '\n');
	cr_assert_not_null(p);
	*p = '\0';
	json = json_tokener_parse(out);
	cr_assert_not_null(json, "--json prints each args.resp as a line: %s", out);
	cr_assert_str_eq(string_at(json, "name", NULL), "test cluster");
	json_object_put(json);
	scx_stats_server_close(s);
}

/* ---- the socket file ---- */

/* The number of entries in the socket's folder. */
static int nr_entries_beside(void)
{
	char dir[128];
	struct dirent *e;
	int n = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/run/root", tmpdir);
	d = opendir(dir);
	cr_assert_not_null(d);
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

Test(stats_server, socket_gets_its_mode_and_is_removed_on_close)
{
	SCX_OPTS(scx_stats_server_opts, opts, .path = sock_path, .mode = 0660);
	struct scx_stats_server *s;
	struct stat st;

	s = scx_stats_server_open(&opts);
	cr_assert_not_null(s);
	cr_assert_eq(lstat(sock_path, &st), 0);
	cr_assert(S_ISSOCK(st.st_mode));
	cr_assert_eq(st.st_mode & 07777, 0660);
	cr_assert_eq(nr_entries_beside(), 1, "no private folder is left");
	scx_stats_server_close(s);
	cr_assert_neq(lstat(sock_path, &st), 0, "removed");
	cr_assert_eq(errno, ENOENT);

	opts.mode = 0;
	s = scx_stats_server_open(&opts);
	cr_assert_eq(lstat(sock_path, &st), 0);
	cr_assert_eq(st.st_mode & 07777, 0600, "0600 by default");
	scx_stats_server_close(s);
}

Test(stats_server, a_stale_socket_is_replaced_a_live_one_is_not)
{
	SCX_OPTS(scx_stats_server_opts, opts, .path = sock_path);
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	struct scx_stats_server *s, *second;
	struct json_object *reply;
	int fd, err;

	s = scx_stats_server_open(&opts); /* makes the directories */
	cr_assert_not_null(s);
	second = scx_stats_server_open(&opts);
	cr_assert_null(second, "a live server keeps its socket");
	cr_assert_eq(errno, EADDRINUSE);
	scx_stats_server_close(s);

	/* a socket bound and closed, as a scheduler that crashed leaves it */
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	strcpy(addr.sun_path, sock_path);
	cr_assert_eq(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	close(fd);
	s = scx_stats_server_open(&opts);
	cr_assert_not_null(s, "the stale socket is replaced: %s", strerror(errno));
	cr_assert_eq(scx_stats_server_add_stats(s, "top", top_stats, NULL), 0);
	fd = raw_connect();
	cr_assert_eq(scx_stats_server_poll(s, 0), 0, "accepts");
	raw_send(fd, "{\"req\":\"stats\"}\n");
	cr_assert_eq(scx_stats_server_poll(s, 1000), 1, "answers");
	reply = raw_request(fd, "", &err);
	cr_assert_eq(err, 0);
	json_object_put(reply);
	close(fd);
	scx_stats_server_close(s);
}

Test(stats_server, a_file_that_is_not_a_socket_is_left_alone)
{
	SCX_OPTS(scx_stats_server_opts, opts, .path = sock_path);
	struct scx_stats_server *s;
	char dir[128];
	struct stat st;
	int fd;

	snprintf(dir, sizeof(dir), "%s/run", tmpdir);
	cr_assert_eq(mkdir(dir, 0755), 0);
	snprintf(dir, sizeof(dir), "%s/run/root", tmpdir);
	cr_assert_eq(mkdir(dir, 0755), 0);
	fd = open(sock_path, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, "keep", 4), 4);
	close(fd);
	s = scx_stats_server_open(&opts);
	cr_assert_null(s);
	cr_assert_eq(errno, EEXIST);
	cr_assert_eq(lstat(sock_path, &st), 0);
	cr_assert(S_ISREG(st.st_mode));
	cr_assert_eq(st.st_size, 4, "untouched");
}

Test(stats_server, a_symlink_at_the_path_is_not_followed)
{
	SCX_OPTS(scx_stats_server_opts, opts, .path = sock_path);
	char dir[128], target[128];
	struct stat st;

	snprintf(dir, sizeof(dir), "%s/run", tmpdir);
	cr_assert_eq(mkdir(dir, 0755), 0);
	snprintf(dir, sizeof(dir), "%s/run/root", tmpdir);
	cr_assert_eq(mkdir(dir, 0755), 0);
	snprintf(target, sizeof(target), "%s/elsewhere", tmpdir);
	cr_assert_eq(symlink(target, sock_path), 0);
	cr_assert_null(scx_stats_server_open(&opts));
	cr_assert_eq(errno, EEXIST);
	cr_assert_eq(lstat(sock_path, &st), 0);
	cr_assert(S_ISLNK(st.st_mode), "the link stays");
	cr_assert_neq(lstat(target, &st), 0, "nothing is made where it points");
}

Test(stats_server, close_leaves_a_socket_another_server_put_there)
{
	SCX_OPTS(scx_stats_server_opts, opts, .path = sock_path);
	struct scx_stats_server *s = scx_stats_server_open(&opts);
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	struct stat st;
	int fd;

	cr_assert_not_null(s);
	cr_assert_eq(unlink(sock_path), 0);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	strcpy(addr.sun_path, sock_path);
	cr_assert_eq(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	scx_stats_server_close(s);
	cr_assert_eq(lstat(sock_path, &st), 0, "not ours: kept");
	close(fd);
}

Test(stats_server, bad_arguments_are_refused)
{
	SCX_OPTS(scx_stats_server_opts, opts, .path = "");
	char longpath[200];
	struct scx_stats_server *s;

	cr_assert_null(scx_stats_server_open(&opts));
	cr_assert_eq(errno, EINVAL);
	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = '\0';
	opts.path = longpath;
	cr_assert_null(scx_stats_server_open(&opts));
	cr_assert_eq(errno, ENAMETOOLONG);
	/* fits an address, but its private folder's socket does not */
	longpath[97] = '/';
	longpath[98] = 's';
	longpath[99] = '\0';
	cr_assert_null(scx_stats_server_open(&opts));
	cr_assert_eq(errno, ENAMETOOLONG);
	opts.path = sock_path;
	opts.mode = 010000;
	cr_assert_null(scx_stats_server_open(&opts));
	cr_assert_eq(errno, EINVAL);
	opts.mode = 0;
	opts.thread = true;

	s = scx_stats_server_open(&opts);
	cr_assert_not_null(s);
	cr_assert_eq(scx_stats_server_fd(s), -EINVAL, "a threaded server has no fd to poll");
	cr_assert_eq(scx_stats_server_poll(s, 0), -EINVAL);
	cr_assert_eq(scx_stats_server_add_stats(s, "", top_stats, NULL), -EINVAL);
	cr_assert_eq(scx_stats_server_add_stats(s, "top", NULL, NULL), -EINVAL);
	cr_assert_eq(scx_stats_server_add_stats(s, "top", top_stats, NULL), 0);
	cr_assert_eq(scx_stats_server_add_stats(s, "top", top_stats, NULL), -EEXIST);
	cr_assert_eq(scx_stats_server_add_meta(s, "A", NULL, 0x2), -EINVAL);
	cr_assert_eq(scx_stats_server_add_meta(s, "A", NULL, 0), 0);
	cr_assert_eq(scx_stats_server_add_meta(s, "A", NULL, 0), -EEXIST);
	cr_assert_eq(scx_stats_server_add_field(s, "B", "f", "u64", NULL), -ENOENT);
	cr_assert_eq(scx_stats_server_add_field(s, "A", "f", "u64", NULL), 0);
	cr_assert_eq(scx_stats_server_add_field(s, "A", "f", "u64", NULL), -EEXIST);
	cr_assert_eq(scx_stats_server_add_field(s, "A", "g", "{float:u64}", NULL), -EINVAL,
		     "a dict key is an integer or a string");
	cr_assert_eq(scx_stats_server_add_field(s, "A", "g", "[u64", NULL), -EINVAL);
	cr_assert_eq(scx_stats_server_add_field(s, "A", "g", "[]", NULL), -EINVAL);
	cr_assert_eq(scx_stats_server_add_field(s, "A", "g", "{u64:}", NULL), -EINVAL);
	cr_assert_eq(scx_stats_server_add_field(s, "A", "g", "", NULL), -EINVAL);
	cr_assert_eq(scx_stats_server_add_field(s, "A", "g", "{string:[u64]}", NULL), -EINVAL);
	cr_assert_eq(scx_stats_server_add_field(s, "A", "g", "{string:i64}", NULL), 0);
	cr_assert_eq(scx_stats_server_add_field(s, "A", "h", "[Dom]", NULL), 0);
	cr_assert_eq(scx_stats_server_add_user_attr(s, "A", NULL, "om_prefix", "x"), -EINVAL,
		     "a user attribute begins with _");
	cr_assert_eq(scx_stats_server_add_user_attr(s, "A", NULL, "_", "x"), -EINVAL);
	cr_assert_eq(scx_stats_server_add_user_attr(s, "A", "", "_k", "x"), -EINVAL);
	cr_assert_eq(scx_stats_server_add_user_attr(s, "B", NULL, "_k", "x"), -ENOENT);
	cr_assert_eq(scx_stats_server_add_user_attr(s, "A", "nope", "_k", "x"), -ENOENT);
	cr_assert_eq(scx_stats_server_add_user_attr(s, "A", "f", "_k", "x"), 0);
	cr_assert_eq(scx_stats_server_add_user_attr(s, "A", "f", "_k", "y"), -EEXIST);
	cr_assert_eq(scx_stats_server_add_user_attr(s, "A", NULL, "_k", NULL), 0);
	scx_stats_server_close(s);

	cr_assert_eq(scx_stats_server_fd(NULL), -EINVAL);
	cr_assert_eq(scx_stats_server_poll(NULL, 0), -EINVAL);
	cr_assert_eq(scx_stats_server_add_meta(NULL, "A", NULL, 0), -EINVAL);
	scx_stats_server_close(NULL);
}
