// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * The stats client's reply parser, fed through a real Unix socket: a listening socket in a
 * temporary folder plays the scheduler, answers each request with the input (then closes), and
 * the client must return the callback's result for a well-formed reply and a documented error
 * for anything else.  The first input byte picks max_line.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <json-c/json.h>
#include <scx/log.h>
#include <scx/stats.h>

#include "fuzz.h"

static char sock_path[108];
static int listen_fd = -1;

static void quiet(enum scx_log_level level, const char *msg, void *ctx)
{
	(void)level;
	(void)msg;
	(void)ctx;
}

static void cleanup(void)
{
	char dir[sizeof(sock_path)], *slash;

	if (listen_fd < 0)
		return;
	close(listen_fd);
	unlink(sock_path);
	snprintf(dir, sizeof(dir), "%s", sock_path);
	slash = strrchr(dir, '/');
	if (slash) {
		*slash = '\0';
		rmdir(dir);
	}
}

static int server_init(void)
{
	const char *tmp = getenv("TMPDIR");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char dir[64];

	if (listen_fd >= 0)
		return 0;
	snprintf(dir, sizeof(dir), "%s/scx-fuzz-XXXXXX", tmp && *tmp && strlen(tmp) < 40 ? tmp
										   : "/tmp");
	if (!mkdtemp(dir))
		return -1;
	snprintf(sock_path, sizeof(sock_path), "%s/stats.sock", dir);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock_path);
	listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (listen_fd < 0 || bind(listen_fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(listen_fd, 4))
		return -1;
	atexit(cleanup);
	return 0;
}

static int got_reply(struct json_object *resp, const char *line, void *ctx)
{
	FUZZ_CHECK(line != NULL);
	(void)json_object_to_json_string(resp);
	(*(int *)ctx)++;
	return 0;
}

static const size_t max_lines[] = { 0, 1, 2, 16, 64, 4096 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scx_stats_client *c;
	int calls = 0, srv, ret;
	const char *args[] = { "target", "top", NULL };

	if (!size || size > 65536 || server_init())
		return 0;
	scx_log_fn_set(quiet, NULL);
	{
		SCX_OPTS(scx_stats_client_opts, opts, .path = sock_path, .reply_timeout_ms = 2000,
			 .max_line = max_lines[data[0] % (sizeof(max_lines) / sizeof(max_lines[0]))]);

		c = scx_stats_client_new(&opts);
	}
	if (!c)
		return 0;
	FUZZ_CHECK(scx_stats_client_connect(c) == 0);
	srv = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
	FUZZ_CHECK(srv >= 0);
	/* the reply goes first: the socket buffers it until the client reads */
	FUZZ_CHECK(send(srv, data + 1, size - 1, MSG_NOSIGNAL) == (ssize_t)(size - 1));
	shutdown(srv, SHUT_WR);
	ret = scx_stats_client_request(c, "stats", args, got_reply, &calls);
	FUZZ_CHECK(ret <= 0);
	FUZZ_CHECK(calls == (ret == 0));
	FUZZ_CHECK(ret == 0 || errno == -ret);
	FUZZ_CHECK(ret != -ETIMEDOUT);
	close(srv);
	scx_stats_client_free(c);
	return 0;
}
