// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * The stats server's socket half: the listening socket, the connections and the event loop.
 *
 * A scheduler's stats socket is open to any client its mode lets in, and the scheduler must not
 * wait on any of them: every descriptor is non-blocking, each connection has a request buffer
 * of max_request bytes and a reply buffer, a connection reads no further request while its
 * reply is unsent, and one that sits on half a request or on an unread reply longer than
 * timeout_ms is closed.  One epoll descriptor gathers the listening socket, the connections,
 * a timerfd armed for the earliest such deadline and an eventfd that wakes the server's own
 * thread when it is told to stop, so that a caller's poll loop needs to watch a single fd.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <scx/stats.h>

#include "internal.h"
#include "stats_server_internal.h"

#define DFL_MODE	0600
#define DFL_MAX_CLIENTS 16
#define DFL_MAX_REQUEST (64 * 1024)
#define DFL_TIMEOUT_MS	1000
#define DIR_MODE	0755
#define LISTEN_BACKLOG	16

/* epoll tags beside the connection indexes */
#define TAG_LISTEN UINT32_MAX
#define TAG_TIMER  (UINT32_MAX - 1)
#define TAG_WAKE   (UINT32_MAX - 2)

struct conn {
	int fd;	  /* -1: the slot is free */
	char *in; /* max_request bytes: the request being received */
	size_t in_len;
	char *out; /* replies not yet sent */
	size_t out_len, out_off;
	uint64_t deadline_ms; /* 0: nothing pending */
	uint64_t active_ms;   /* when the last request came */
	bool closing;	      /* close once the replies are sent */
};

struct scx_stats_server {
	pthread_mutex_t lock; /* the catalog, against a thread that serves it */
	struct scx_stats_catalog cat;
	int lfd, epfd, timerfd, wakefd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	dev_t dev;
	ino_t ino;
	bool created; /* path is the socket this server put there */
	unsigned int max_clients;
	size_t max_request;
	unsigned int timeout_ms;
	struct conn *conns;
	unsigned int nr_conns;
	bool listening; /* the listening socket is watched: a slot is free */
	bool threaded;
	atomic_bool stop;
	pthread_t thread;
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* ---- the socket on the file system ---- */

/* mkdir -p of @path's directory. */
static int make_parents(const char *path)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char *p;

	strcpy(dir, path);
	for (p = strchr(dir + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(dir, DIR_MODE) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return 0;
}

/* connect() and bind() take a struct sockaddr: the union hands it over without a type pun. */
union unix_addr {
	struct sockaddr sa;
	struct sockaddr_un un;
};

static int connect_to(const char *path)
{
	union unix_addr addr = { .un = { .sun_family = AF_UNIX } };
	int fd, err = 0;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	strcpy(addr.un.sun_path, path);
	while (connect(fd, &addr.sa, sizeof(addr.un))) {
		err = -errno;
		if (err != -EINTR)
			break;
	}
	close(fd);
	return err;
}

/*
 * What is at @path may be replaced: nothing, or a socket no server listens on (a scheduler that
 * is gone).  A file of another kind is not the server's to remove, and a live server keeps its
 * socket.
 */
static int check_replaceable(const char *path)
{
	struct stat st;
	int err;

	if (lstat(path, &st))
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode))
		return -EEXIST;
	err = connect_to(path);
	if (!err)
		return -EADDRINUSE;
	return err == -ECONNREFUSED ? 0 : err;
}

/*
 * Bind in a private folder (mode 0700, made beside @path), give the socket its mode there, then
 * rename it over @path: nobody can swap the name between bind() and chmod() (chmod follows a
 * symlink), the socket never appears at @path with the umask's permissions, and a stale socket
 * is replaced in one step.
 */
static int bind_socket(struct scx_stats_server *s, const char *tmp, unsigned int mode)
{
	union unix_addr addr = { .un = { .sun_family = AF_UNIX } };
	struct stat st;
	int err;

	s->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->lfd < 0)
		return -errno;
	strcpy(addr.un.sun_path, tmp);
	if (bind(s->lfd, &addr.sa, sizeof(addr.un)))
		return -errno;
	if (chmod(tmp, mode) || listen(s->lfd, LISTEN_BACKLOG) || rename(tmp, s->path)) {
		err = -errno;
		unlink(tmp);
		return err;
	}
	if (lstat(s->path, &st) == 0) {
		s->dev = st.st_dev;
		s->ino = st.st_ino;
		s->created = true;
	}
	return 0;
}

/* The private folder's template beside @path, and the socket's name in it. */
static int temp_names(const char *path, char *dir, char *sock, size_t size)
{
	const char *slash = strrchr(path, '/');
	int dlen = slash ? (int)(slash - path) : 0;

	if ((size_t)snprintf(dir, size, "%.*s%s.scx-stats-XXXXXX", dlen, path, slash ? "/" : "") >=
		    size ||
	    (size_t)snprintf(sock, size, "%s/s", dir) >= size)
		return -ENAMETOOLONG;
	return 0;
}

static int create_socket(struct scx_stats_server *s, unsigned int mode)
{
	char dir[sizeof(s->path)], tmp[sizeof(s->path)];
	int err;

	err = temp_names(s->path, dir, tmp, sizeof(s->path));
	if (!err)
		err = make_parents(s->path);
	if (!err)
		err = check_replaceable(s->path);
	if (!err && !mkdtemp(dir))
		err = -errno;
	if (!err) {
		memcpy(tmp, dir, strlen(dir)); /* the template's Xs, filled in */
		err = bind_socket(s, tmp, mode);
		rmdir(dir);
	}
	if (err)
		scx_warn("stats: cannot serve on %s: %s", s->path, strerror(-err));
	return err;
}

static void remove_socket(struct scx_stats_server *s)
{
	struct stat st;

	/* only our own socket: a later server may have taken the path over */
	if (s->created && lstat(s->path, &st) == 0 && S_ISSOCK(st.st_mode) && st.st_dev == s->dev &&
	    st.st_ino == s->ino)
		unlink(s->path);
}

/* ---- connections ---- */

static int watch(struct scx_stats_server *s, int op, int fd, uint32_t events, uint32_t tag)
{
	struct epoll_event ev = {.events = events, .data.u32 = tag};

	return epoll_ctl(s->epfd, op, fd, &ev) ? -errno : 0;
}

static void drop_conn(struct scx_stats_server *s, struct conn *c)
{
	if (c->fd < 0)
		return;
	close(c->fd); /* leaves the epoll set with it */
	free(c->in);
	free(c->out);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
	s->nr_conns--;
}

/*
 * While every slot is taken, newcomers wait in the listen backlog rather than being turned
 * away: the listening socket leaves the epoll set until a slot is free.
 */
static void listen_if(struct scx_stats_server *s, bool on)
{
	if (on == s->listening)
		return;
	if (!watch(s, EPOLL_CTL_MOD, s->lfd, on ? EPOLLIN : 0, TAG_LISTEN))
		s->listening = on;
}

/*
 * A connection with nothing pending whose last request is timeout_ms old gives its slot to a
 * newcomer (a monitor that asks seldom; it connects again when it next asks).
 */
static struct conn *idlest(struct scx_stats_server *s, uint64_t *since)
{
	struct conn *best = NULL;
	unsigned int i;

	for (i = 0; i < s->max_clients; i++) {
		struct conn *c = &s->conns[i];

		if (c->fd >= 0 && !c->deadline_ms && (!best || c->active_ms < best->active_ms))
			best = c;
	}
	if (best)
		*since = best->active_ms;
	return best;
}

static struct conn *free_slot(struct scx_stats_server *s, uint32_t *idx)
{
	for (*idx = 0; *idx < s->max_clients; (*idx)++)
		if (s->conns[*idx].fd < 0)
			return &s->conns[*idx];
	return NULL;
}

static void accept_one(struct scx_stats_server *s, int fd)
{
	uint32_t idx;
	struct conn *c = free_slot(s, &idx);

	c->in = malloc(s->max_request);
	if (!c->in || watch(s, EPOLL_CTL_ADD, fd, EPOLLIN, idx)) {
		free(c->in);
		c->in = NULL;
		close(fd);
		return;
	}
	c->fd = fd;
	c->active_ms = now_ms();
	s->nr_conns++;
}

/*
 * Accept every newcomer there is room for.  Called when one waits, so that when all slots are
 * taken, one idle connection may give its slot up; a second newcomer then waits.
 */
static void accept_all(struct scx_stats_server *s)
{
	bool may_evict = true;
	uint64_t since;

	for (;;) {
		struct conn *idle;
		int fd;

		if (s->nr_conns == s->max_clients) {
			idle = idlest(s, &since);
			if (!may_evict || !idle || since + s->timeout_ms > now_ms()) {
				listen_if(s, false);
				return;
			}
			scx_dbg("stats: %u clients connected, closing the longest idle",
				s->max_clients);
			drop_conn(s, idle);
		}
		may_evict = false;
		fd = accept4(s->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd >= 0) {
			accept_one(s, fd);
			continue;
		}
		if (errno == EINTR || errno == ECONNABORTED)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			scx_dbg("stats: accept: %s", strerror(errno));
		return;
	}
}

static int queue_reply(struct conn *c, char *reply, size_t len)
{
	char *out;

	if (!reply)
		return -ENOMEM;
	if (c->out_off) {
		memmove(c->out, c->out + c->out_off, c->out_len - c->out_off);
		c->out_len -= c->out_off;
		c->out_off = 0;
	}
	out = realloc(c->out, c->out_len + len);
	if (!out) {
		free(reply);
		return -ENOMEM;
	}
	memcpy(out + c->out_len, reply, len);
	c->out = out;
	c->out_len += len;
	free(reply);
	return 0;
}

/* Send what the socket takes now; -errno when the connection is broken. */
static int flush_out(struct conn *c)
{
	while (c->out_off < c->out_len) {
		ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
		}
		c->out_off += (size_t)n;
	}
	c->out_off = c->out_len = 0;
	return 0;
}

/*
 * Answer the whole lines received, one at a time while the replies go out at once: a client
 * that does not read its replies stops being answered, and its replies buffered are at most
 * one's.  The number answered, or -errno to drop the connection.
 */
static int answer_lines(struct scx_stats_server *s, struct conn *c)
{
	size_t len, reply_len = 0;
	char *nl, *reply;
	int nr = 0, err;

	while (!c->out_len && (nl = memchr(c->in, '\n', c->in_len))) {
		len = (size_t)(nl - c->in);
		pthread_mutex_lock(&s->lock);
		reply = scx_stats_answer(&s->cat, c->in, len, &reply_len);
		pthread_mutex_unlock(&s->lock);
		err = queue_reply(c, reply, reply_len);
		if (!err)
			err = flush_out(c);
		if (err)
			return err;
		c->in_len -= len + 1;
		memmove(c->in, nl + 1, c->in_len);
		c->deadline_ms = 0; /* a new request starts its own clock */
		c->active_ms = now_ms();
		nr++;
	}
	if (c->in_len == s->max_request && !memchr(c->in, '\n', c->in_len)) {
		char msg[96];

		snprintf(msg, sizeof(msg), "a request is at most %zu bytes long", s->max_request);
		reply = scx_stats_answer_error(EMSGSIZE, msg, &reply_len);
		err = queue_reply(c, reply, reply_len);
		if (!err)
			err = flush_out(c);
		if (err)
			return err;
		c->in_len = 0;
		c->closing = true; /* the rest of the line cannot be told from a request */
	}
	return nr;
}

/* Answer what is buffered and read what has come, while no reply waits to go out. */
static int read_in(struct scx_stats_server *s, struct conn *c)
{
	int nr = 0, r;

	for (;;) {
		ssize_t n;

		r = answer_lines(s, c);
		if (r < 0)
			return r;
		nr += r;
		if (c->closing || c->out_len)
			return nr;
		n = recv(c->fd, c->in + c->in_len, s->max_request - c->in_len, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN || errno == EWOULDBLOCK ? nr : -errno;
		}
		if (n == 0) {
			/* answer what came before the end, a last line without its newline too */
			if (c->in_len)
				c->in[c->in_len++] = '\n';
			c->closing = true;
			continue;
		}
		c->in_len += (size_t)n;
	}
}

/* After an event: drop, or watch for what the connection waits on next. */
static void settle(struct scx_stats_server *s, struct conn *c, uint32_t idx)
{
	bool pending = c->out_len > c->out_off;

	if (c->closing && !pending) {
		drop_conn(s, c);
		return;
	}
	if (!pending && !c->in_len)
		c->deadline_ms = 0;
	else if (!c->deadline_ms)
		c->deadline_ms = now_ms() + s->timeout_ms;
	/* a connection with a reply unsent reads no further request */
	if (watch(s, EPOLL_CTL_MOD, c->fd, pending ? EPOLLOUT : EPOLLIN, idx))
		drop_conn(s, c);
}

static int serve_conn(struct scx_stats_server *s, uint32_t idx, uint32_t events)
{
	struct conn *c = &s->conns[idx];
	int nr = 0;

	if (idx >= s->max_clients || c->fd < 0)
		return 0;
	if (events & EPOLLOUT && flush_out(c)) {
		drop_conn(s, c);
		return 0;
	}
	if (events & (EPOLLIN | EPOLLHUP | EPOLLERR | EPOLLOUT)) {
		nr = read_in(s, c);
		if (nr < 0) {
			drop_conn(s, c);
			return 0;
		}
	}
	settle(s, c, idx);
	return nr;
}

/* The earliest of @a and @b, 0 being none. */
static uint64_t earliest(uint64_t a, uint64_t b)
{
	return !a || (b && b < a) ? b : a;
}

/*
 * Close the connections past their deadline, listen again when a slot is free or can be
 * freed, and arm the timer for the next of these.
 */
static void expire(struct scx_stats_server *s)
{
	struct itimerspec its = {0};
	uint64_t now = now_ms(), next = 0, since;
	uint64_t drained;
	unsigned int i;

	if (read(s->timerfd, &drained, sizeof(drained)) < 0 && errno != EAGAIN)
		scx_dbg("stats: timerfd: %s", strerror(errno));
	for (i = 0; i < s->max_clients; i++) {
		struct conn *c = &s->conns[i];

		if (c->fd < 0 || !c->deadline_ms)
			continue;
		if (c->deadline_ms <= now) {
			scx_dbg("stats: closing a client silent for %u ms", s->timeout_ms);
			drop_conn(s, c);
		} else {
			next = earliest(next, c->deadline_ms);
		}
	}
	if (s->nr_conns < s->max_clients) {
		listen_if(s, true);
	} else if (!s->listening && idlest(s, &since)) {
		if (since + s->timeout_ms <= now)
			listen_if(s, true); /* accept_all() makes the room */
		else
			next = earliest(next, since + s->timeout_ms);
	}
	its.it_value.tv_sec = (time_t)(next / 1000);
	its.it_value.tv_nsec = (long)(next % 1000) * 1000000;
	timerfd_settime(s->timerfd, TFD_TIMER_ABSTIME, &its, NULL);
}

static int poll_once(struct scx_stats_server *s, int timeout_ms)
{
	struct epoll_event evs[16];
	int i, n, nr = 0;

	n = epoll_wait(s->epfd, evs, (int)ARRAY_SIZE(evs), timeout_ms);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	for (i = 0; i < n; i++) {
		uint32_t tag = evs[i].data.u32;

		if (tag == TAG_LISTEN)
			accept_all(s);
		else if (tag != TAG_TIMER && tag != TAG_WAKE)
			nr += serve_conn(s, tag, evs[i].events);
	}
	expire(s);
	return nr;
}

static void *serve_thread(void *arg)
{
	struct scx_stats_server *s = arg;

	while (!atomic_load(&s->stop))
		if (poll_once(s, -1) < 0)
			break;
	return NULL;
}

/* ---- the handle ---- */

static int start_thread(struct scx_stats_server *s)
{
	sigset_t all, old;
	int err;

	/* the scheduler's signals (SIGINT, SIGTERM) are for its own threads */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&s->thread, NULL, serve_thread, s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err)
		return -err;
	s->threaded = true;
	return 0;
}

static int setup_events(struct scx_stats_server *s)
{
	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (s->epfd < 0)
		return -errno;
	s->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (s->timerfd < 0)
		return -errno;
	s->wakefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (s->wakefd < 0)
		return -errno;
	s->listening = true;
	if (watch(s, EPOLL_CTL_ADD, s->lfd, EPOLLIN, TAG_LISTEN) ||
	    watch(s, EPOLL_CTL_ADD, s->timerfd, EPOLLIN, TAG_TIMER) ||
	    watch(s, EPOLL_CTL_ADD, s->wakefd, EPOLLIN, TAG_WAKE))
		return -errno;
	return 0;
}

static struct scx_stats_server *server_alloc(const struct scx_stats_server_opts *opts)
{
	struct scx_stats_server *s = calloc(1, sizeof(*s));
	unsigned int i;

	if (!s)
		return NULL;
	s->lfd = s->epfd = s->timerfd = s->wakefd = -1;
	s->max_clients = SCX_OPTS_GET(opts, max_clients, 0) ?: DFL_MAX_CLIENTS;
	s->max_request = SCX_OPTS_GET(opts, max_request, 0) ?: DFL_MAX_REQUEST;
	s->timeout_ms = SCX_OPTS_GET(opts, timeout_ms, 0) ?: DFL_TIMEOUT_MS;
	s->conns = calloc(s->max_clients, sizeof(*s->conns));
	if (!s->conns || scx_stats_catalog_init(&s->cat)) {
		free(s->conns);
		free(s);
		return NULL;
	}
	for (i = 0; i < s->max_clients; i++)
		s->conns[i].fd = -1;
	pthread_mutex_init(&s->lock, NULL);
	return s;
}

static int check_opts(const struct scx_stats_server_opts *opts, const char **path)
{
	int err = SCX_OPTS_VALID(opts, scx_stats_server_opts);

	if (err)
		return err;
	*path = SCX_OPTS_GET(opts, path, NULL) ?: SCX_STATS_DEFAULT_PATH;
	if (!(*path)[0] || SCX_OPTS_GET(opts, mode, 0) & ~07777u)
		return -EINVAL;
	if (strlen(*path) >= sizeof(((struct sockaddr_un *)0)->sun_path))
		return -ENAMETOOLONG;
	return 0;
}

struct scx_stats_server *scx_stats_server_open(const struct scx_stats_server_opts *opts)
{
	struct scx_stats_server *s;
	const char *path;
	int err;

	err = check_opts(opts, &path);
	if (err)
		return scx_err_ptr(err);
	s = server_alloc(opts);
	if (!s)
		return scx_err_ptr(-ENOMEM);
	strcpy(s->path, path);
	err = create_socket(s, SCX_OPTS_GET(opts, mode, 0) ?: DFL_MODE);
	if (!err)
		err = setup_events(s);
	if (!err && SCX_OPTS_GET(opts, thread, false))
		err = start_thread(s);
	if (err) {
		scx_stats_server_close(s);
		return scx_err_ptr(err);
	}
	return s;
}

static void close_fd(int fd)
{
	if (fd >= 0)
		close(fd);
}

void scx_stats_server_close(struct scx_stats_server *server)
{
	uint64_t one = 1;
	unsigned int i;

	if (!server)
		return;
	if (server->threaded) {
		atomic_store(&server->stop, true);
		if (write(server->wakefd, &one, sizeof(one)) < 0)
			scx_dbg("stats: eventfd: %s", strerror(errno));
		pthread_join(server->thread, NULL);
	}
	for (i = 0; i < server->max_clients; i++)
		drop_conn(server, &server->conns[i]);
	remove_socket(server);
	close_fd(server->lfd);
	close_fd(server->epfd);
	close_fd(server->timerfd);
	close_fd(server->wakefd);
	scx_stats_catalog_fini(&server->cat);
	pthread_mutex_destroy(&server->lock);
	free(server->conns);
	free(server);
}

int scx_stats_server_add_stats(struct scx_stats_server *server, const char *target,
			       scx_stats_server_fn fn, void *ctx)
{
	int err;

	if (!server || !target || !target[0] || !fn)
		return scx_errno(-EINVAL);
	pthread_mutex_lock(&server->lock);
	err = scx_stats_catalog_add_stats(&server->cat, target, fn, ctx);
	pthread_mutex_unlock(&server->lock);
	return scx_errno(err);
}

int scx_stats_server_add_meta(struct scx_stats_server *server, const char *name, const char *desc,
			      unsigned int flags)
{
	int err;

	if (!server || !name || !name[0] || (flags & ~SCX_STATS_META_TOP))
		return scx_errno(-EINVAL);
	pthread_mutex_lock(&server->lock);
	err = scx_stats_catalog_add_meta(&server->cat, name, desc, flags);
	pthread_mutex_unlock(&server->lock);
	return scx_errno(err);
}

int scx_stats_server_add_field(struct scx_stats_server *server, const char *meta, const char *field,
			       const char *type, const char *desc)
{
	int err;

	if (!server || !meta || !meta[0] || !field || !field[0] || !type || !type[0])
		return scx_errno(-EINVAL);
	pthread_mutex_lock(&server->lock);
	err = scx_stats_catalog_add_field(&server->cat, meta, field, type, desc);
	pthread_mutex_unlock(&server->lock);
	return scx_errno(err);
}

int scx_stats_server_add_user_attr(struct scx_stats_server *server, const char *meta,
				   const char *field, const char *key, const char *value)
{
	int err;

	if (!server || !meta || !meta[0] || (field && !field[0]) || !key || key[0] != '_' ||
	    !key[1])
		return scx_errno(-EINVAL);
	pthread_mutex_lock(&server->lock);
	err = scx_stats_catalog_add_user_attr(&server->cat, meta, field, key, value);
	pthread_mutex_unlock(&server->lock);
	return scx_errno(err);
}

int scx_stats_server_fd(const struct scx_stats_server *server)
{
	if (!server || server->threaded)
		return scx_errno(-EINVAL);
	return server->epfd;
}

int scx_stats_server_poll(struct scx_stats_server *server, int timeout_ms)
{
	if (!server || server->threaded)
		return scx_errno(-EINVAL);
	return scx_errno(poll_once(server, timeout_ms));
}
