// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * EINTR and short transfers.  Every libc call through which the library reads or writes the
 * system (open, openat, read, write, close, connect, send, recv, poll, nanosleep, msgrcv, and
 * syscall for perf_event_open) is wrapped at link time (-Wl,--wrap=NAME, see tests/local.am):
 * the wrappers sit between the statically linked library and libc (or the sanitizer's
 * interceptor in front of it).  While the calling thread is armed, an injector makes every Nth
 * call, or every first attempt, fail with EINTR before doing anything (close really closes
 * first, as Linux does), or makes reads and writes move one byte at a time.  Each reader, each
 * writer, the stats client, the mangoapp reader and the perf counters then run with and without
 * injection (on the same generated tree, or on two identical ones for the writers), and
 * everything they report (accessors, energy states, IRQ lists, PM values, BTF, replies, return
 * codes and the exact bytes written to the tree) must be identical; the injector's counters
 * must show that each call on the path really was interrupted, so no test passes without
 * injecting.
 *
 * Then real signals: a thread sends SIGUSR1 (a handler without SA_RESTART) to the test thread
 * every millisecond while the stats client waits for a slow server, for a silent one (the reply
 * timeout must still end the wait on time) and for a socket that appears late (connect
 * retries); and poll() cut short after 20 ms of each wait must be given what remains of the
 * timeout.  Last, the exit report goes to a pipe behind a slow reader, under injection and
 * under real signals, and must come out whole.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <criterion/criterion.h>
#include <json-c/json.h>

#include <scx/btf.h>
#include <scx/cpumask.h>
#include <scx/em.h>
#include <scx/log.h>
#include <scx/mangoapp.h>
#include <scx/netdev.h>
#include <scx/perf.h>
#include <scx/pm.h>
#include <scx/kstate.h>
#include <scx/stats.h>
#include <scx/topo.h>
#include <scx/uei.h>

#include "../lib/fstree.h"
#include "../lib/sysgen.h"

/* ---- the injector ------------------------------------------------------------------------ */

enum fn { F_OPEN, F_OPENAT, F_READ, F_WRITE, F_CLOSE, F_CONNECT, F_SEND, F_RECV, F_POLL,
	  F_NANOSLEEP, F_MSGRCV, F_PERF_OPEN, NR_FN };

static const char *const fn_name[NR_FN] = {
	"open", "openat", "read", "write", "close", "connect", "send", "recv", "poll",
	"nanosleep", "msgrcv", "perf_event_open",
};

enum mode {
	M_PASS,		/* count calls and real EINTRs only */
	M_NTH,		/* every nth call of each function fails with EINTR */
	M_FIRST,	/* every call fails with EINTR unless the previous one of its kind did */
	M_SHORT,	/* reads (and, with short_write, writes) move inj.chunk bytes (1) per call */
};

static struct {
	enum mode mode;
	unsigned int nth;
	bool short_write;
	size_t chunk;			/* M_SHORT: most bytes a transfer moves (0: 1) */
	unsigned long calls[NR_FN];
	unsigned long injected[NR_FN];	/* EINTRs made up, or transfers shortened */
	unsigned long real_eintr[NR_FN];	/* EINTRs that came from the kernel */
	bool pending[NR_FN];
	int closed_fd;			/* closed by an interrupted close(), not reused since */
	unsigned long close_retries;
	int poll_slice_ms;		/* > 0: poll() waits at most this long, then says EINTR */
	int poll_timeouts[64];		/* the timeouts poll() was given, in order */
	unsigned int nr_polls;
} inj;

/* Only the armed thread is touched: servers in other threads of the test run unharmed. */
static __thread bool armed;

static void inj_start(enum mode mode, unsigned int nth)
{
	memset(&inj, 0, sizeof(inj));
	inj.mode = mode;
	inj.nth = nth;
	inj.closed_fd = -1;
}

static bool eintr_now(enum fn f)
{
	if (!armed)
		return false;
	inj.calls[f]++;
	switch (inj.mode) {
	case M_NTH:
		if (inj.calls[f] % inj.nth)
			return false;
		break;
	case M_FIRST:
		if (inj.pending[f]) {
			inj.pending[f] = false;
			return false;
		}
		inj.pending[f] = true;
		break;
	default:
		return false;
	}
	inj.injected[f]++;
	return true;
}

/* A transfer of @n bytes as the injector lets it happen. */
static size_t shorten(enum fn f, size_t n, bool is_write)
{
	size_t most = inj.chunk ? inj.chunk : 1;

	if (!armed || inj.mode != M_SHORT || n <= most || (is_write && !inj.short_write))
		return n;
	inj.injected[f]++;
	return most;
}

static void note_result(enum fn f, long ret)
{
	if (armed && ret < 0 && errno == EINTR)
		inj.real_eintr[f]++;
}

static void note_fd(int fd)
{
	if (armed && fd >= 0 && fd == inj.closed_fd)
		inj.closed_fd = -1;
}

int __real_open(const char *path, int flags, ...);
int __real_socket(int domain, int type, int protocol);
int __real_openat(int dirfd, const char *path, int flags, ...);
ssize_t __real_read(int fd, void *buf, size_t n);
ssize_t __real_write(int fd, const void *buf, size_t n);
int __real_close(int fd);
int __real_connect(int fd, const struct sockaddr *addr, socklen_t len);
ssize_t __real_send(int fd, const void *buf, size_t n, int flags);
ssize_t __real_recv(int fd, void *buf, size_t n, int flags);
int __real_poll(struct pollfd *fds, nfds_t nfds, int timeout);
int __real_nanosleep(const struct timespec *req, struct timespec *rem);
ssize_t __real_msgrcv(int id, void *msg, size_t sz, long type, int flags);
long __real_syscall(long nr, ...);

int __wrap_open(const char *path, int flags, ...);
int __wrap_socket(int domain, int type, int protocol);
int __wrap_openat(int dirfd, const char *path, int flags, ...);
ssize_t __wrap_read(int fd, void *buf, size_t n);
ssize_t __wrap_write(int fd, const void *buf, size_t n);
int __wrap_close(int fd);
int __wrap_connect(int fd, const struct sockaddr *addr, socklen_t len);
ssize_t __wrap_send(int fd, const void *buf, size_t n, int flags);
ssize_t __wrap_recv(int fd, void *buf, size_t n, int flags);
int __wrap_poll(struct pollfd *fds, nfds_t nfds, int timeout);
int __wrap_nanosleep(const struct timespec *req, struct timespec *rem);
ssize_t __wrap_msgrcv(int id, void *msg, size_t sz, long type, int flags);
long __wrap_syscall(long nr, ...);

static mode_t open_mode(int flags, va_list ap)
{
	return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? (mode_t)va_arg(ap, int) : 0;
}

int __wrap_open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;
	int fd;

	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	if (eintr_now(F_OPEN)) {
		errno = EINTR;
		return -1;
	}
	fd = __real_open(path, flags, mode);
	note_result(F_OPEN, fd);
	note_fd(fd);
	return fd;
}

int __wrap_openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;
	int fd;

	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	if (eintr_now(F_OPENAT)) {
		errno = EINTR;
		return -1;
	}
	fd = __real_openat(dirfd, path, flags, mode);
	note_result(F_OPENAT, fd);
	note_fd(fd);
	return fd;
}

/* Not interrupted (socket() does not block); wrapped to see descriptor numbers reused. */
int __wrap_socket(int domain, int type, int protocol)
{
	int fd = __real_socket(domain, type, protocol);

	note_fd(fd);
	return fd;
}

ssize_t __wrap_read(int fd, void *buf, size_t n)
{
	ssize_t r;

	if (eintr_now(F_READ)) {
		errno = EINTR;
		return -1;
	}
	r = __real_read(fd, buf, shorten(F_READ, n, false));
	note_result(F_READ, r);
	return r;
}

ssize_t __wrap_write(int fd, const void *buf, size_t n)
{
	ssize_t r;

	if (eintr_now(F_WRITE)) {
		errno = EINTR;
		return -1;
	}
	r = __real_write(fd, buf, shorten(F_WRITE, n, true));
	note_result(F_WRITE, r);
	return r;
}

/* Linux closes the descriptor even when close() reports EINTR: a retry is a bug. */
int __wrap_close(int fd)
{
	int r;

	if (armed && fd >= 0 && fd == inj.closed_fd)
		inj.close_retries++;
	if (eintr_now(F_CLOSE)) {
		__real_close(fd);
		inj.closed_fd = fd;
		errno = EINTR;
		return -1;
	}
	r = __real_close(fd);
	note_result(F_CLOSE, r);
	return r;
}

int __wrap_connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	int r;

	if (eintr_now(F_CONNECT)) {
		errno = EINTR;
		return -1;
	}
	r = __real_connect(fd, addr, len);
	note_result(F_CONNECT, r);
	return r;
}

ssize_t __wrap_send(int fd, const void *buf, size_t n, int flags)
{
	ssize_t r;

	if (eintr_now(F_SEND)) {
		errno = EINTR;
		return -1;
	}
	r = __real_send(fd, buf, shorten(F_SEND, n, true), flags);
	note_result(F_SEND, r);
	return r;
}

ssize_t __wrap_recv(int fd, void *buf, size_t n, int flags)
{
	ssize_t r;

	if (eintr_now(F_RECV)) {
		errno = EINTR;
		return -1;
	}
	r = __real_recv(fd, buf, shorten(F_RECV, n, false), flags);
	note_result(F_RECV, r);
	return r;
}

int __wrap_poll(struct pollfd *fds, nfds_t nfds, int timeout)
{
	int r;

	if (armed && inj.nr_polls < sizeof(inj.poll_timeouts) / sizeof(inj.poll_timeouts[0]))
		inj.poll_timeouts[inj.nr_polls++] = timeout;
	if (eintr_now(F_POLL)) {
		errno = EINTR;
		return -1;
	}
	if (armed && inj.poll_slice_ms > 0 && (timeout < 0 || timeout > inj.poll_slice_ms)) {
		/* a signal that comes after part of the wait */
		r = __real_poll(fds, nfds, inj.poll_slice_ms);
		if (r == 0) {
			inj.injected[F_POLL]++;
			errno = EINTR;
			return -1;
		}
		return r;
	}
	r = __real_poll(fds, nfds, timeout);
	note_result(F_POLL, r);
	return r;
}

int __wrap_nanosleep(const struct timespec *req, struct timespec *rem)
{
	int r;

	if (eintr_now(F_NANOSLEEP)) {
		if (rem)
			*rem = *req;	/* interrupted before any time passed */
		errno = EINTR;
		return -1;
	}
	r = __real_nanosleep(req, rem);
	note_result(F_NANOSLEEP, r);
	return r;
}

ssize_t __wrap_msgrcv(int id, void *msg, size_t sz, long type, int flags)
{
	ssize_t r;

	if (eintr_now(F_MSGRCV)) {
		errno = EINTR;
		return -1;
	}
	r = __real_msgrcv(id, msg, sz, type, flags);
	note_result(F_MSGRCV, r);
	return r;
}

/*
 * With -D_FORTIFY_SOURCE (as distributions build), glibc's headers turn some of these calls into
 * checked entry points: openat() without a mode into __openat_2(), read() and recv() into buffers of
 * known size into __read_chk() and __recv_chk(), poll() into __poll_chk().  They are wrapped too and
 * go through the same injection, so the test sees the library as packagers build it.
 */
int __wrap___open_2(const char *path, int flags);
int __wrap___openat_2(int dirfd, const char *path, int flags);
ssize_t __wrap___read_chk(int fd, void *buf, size_t n, size_t buflen);
ssize_t __wrap___recv_chk(int fd, void *buf, size_t n, size_t buflen, int flags);
int __wrap___poll_chk(struct pollfd *fds, nfds_t nfds, int timeout, size_t fdslen);

int __wrap___open_2(const char *path, int flags)
{
	return __wrap_open(path, flags);
}

int __wrap___openat_2(int dirfd, const char *path, int flags)
{
	return __wrap_openat(dirfd, path, flags);
}

ssize_t __wrap___read_chk(int fd, void *buf, size_t n, size_t buflen)
{
	if (n > buflen)
		abort();	/* what the checked entry point does on an overflow */
	return __wrap_read(fd, buf, n);
}

ssize_t __wrap___recv_chk(int fd, void *buf, size_t n, size_t buflen, int flags)
{
	if (n > buflen)
		abort();
	return __wrap_recv(fd, buf, n, flags);
}

int __wrap___poll_chk(struct pollfd *fds, nfds_t nfds, int timeout, size_t fdslen)
{
	if (fdslen / sizeof(*fds) < nfds)
		abort();
	return __wrap_poll(fds, nfds, timeout);
}

/* syscall(): only perf_event_open is interrupted; the six argument registers pass through. */
long __wrap_syscall(long nr, ...)
{
	long a[6], r;
	va_list ap;

	va_start(ap, nr);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (nr == __NR_perf_event_open && eintr_now(F_PERF_OPEN)) {
		errno = EINTR;
		return -1;
	}
	r = __real_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (nr == __NR_perf_event_open) {
		note_result(F_PERF_OPEN, r);
		note_fd((int)r);
	}
	return r;
}

/* ---- text dumps --------------------------------------------------------------------------- */

struct dump {
	char *s;
	size_t len, cap;
};

static void out(struct dump *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void out(struct dump *d, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (d->len + (size_t)n + 1 > d->cap) {
		size_t cap = (d->len + (size_t)n + 1) * 2;
		char *s = realloc(d->s, cap);

		if (!s)
			abort();
		d->s = s;
		d->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(d->s + d->len, d->cap - d->len, fmt, ap);
	va_end(ap);
	d->len += (size_t)n;
}

static void out_mask(struct dump *d, const char *what, const struct scx_cpumask *m)
{
	char buf[512];

	if (!m) {
		out(d, "%s=none ", what);
		return;
	}
	if (scx_cpumask_format_list(m, buf, sizeof(buf)) < 0)
		snprintf(buf, sizeof(buf), "?");
	out(d, "%s=%s ", what, buf);
}

static void dump_free(struct dump *d)
{
	free(d->s);
	memset(d, 0, sizeof(*d));
}

/* The results with injection must be those without; on a difference, show where they part. */
static void expect_same(const struct dump *ref, const struct dump *got, const char *what)
{
	cr_assert_not_null(ref->s);
	cr_assert_not_null(got->s);
	if (strcmp(got->s, ref->s)) {
		size_t i = 0, line = 1, start = 0;

		while (got->s[i] && got->s[i] == ref->s[i]) {
			if (got->s[i++] == '\n') {
				line++;
				start = i;
			}
		}
		cr_expect_fail("%s: the results differ under injection from line %zu:\n"
			       "without: %.200s\nwith:    %.200s", what, line, ref->s + start,
			       got->s + start);
	}
}

/* The reference run must have found what the generated tree holds, so no match is vacuous. */
static void expect_facts(const struct dump *ref, const char *const *facts, size_t nr)
{
	for (size_t i = 0; i < nr; i++)
		cr_expect(ref->s && strstr(ref->s, facts[i]), "'%s' not found in:\n%.2000s",
			  facts[i], ref->s ? ref->s : "");
}

/* Each of @fns must have been interrupted (or shortened); close() never retried. */
static void expect_injected(const char *what, const enum fn *fns, size_t nr)
{
	char line[512];
	size_t len = 0;

	for (size_t i = 0; i < nr; i++) {
		/* a function called fewer than n times cannot have an nth call interrupted */
		if (!(inj.mode == M_NTH && inj.calls[fns[i]] < inj.nth))
			cr_expect_gt(inj.injected[fns[i]], 0,
				     "%s: no %s call was interrupted (%lu calls)", what,
				     fn_name[fns[i]], inj.calls[fns[i]]);
		len += (size_t)snprintf(line + len, sizeof(line) - len, " %s %lu/%lu",
					fn_name[fns[i]], inj.injected[fns[i]], inj.calls[fns[i]]);
		if (len >= sizeof(line))
			break;
	}
	cr_expect_eq(inj.close_retries, 0, "%s: close() retried after EINTR %lu times", what,
		     inj.close_retries);
	cr_log_info("%s:%s", what, line);
}

/* ---- the tree ----------------------------------------------------------------------------- */

/* The shape of the generated machine; each tree gets its own copy for sysgen's results. */
static const struct sysgen shape = { .nodes = 2, .llcs_per_node = 2, .cores_per_llc = 2,
				     .threads = 2, .pmqos = true, .offline = "5" };
static struct sysgen sg;

static void quiet(enum scx_log_level level, const char *msg, void *ctx)
{
	(void)level;
	(void)msg;
	(void)ctx;
}

static void put(struct fstree *t, const char *path, const char *text)
{
	cr_assert_eq(fstree_write(t, path, "%s\n", text), 0, "cannot write %s", path);
}

/* A BTF blob of ~40 KiB (so reads of it take many calls) with an enum to look up. */
static void put_btf(struct fstree *t)
{
	struct btf *b = btf__new_empty();
	const void *raw;
	char name[32];
	__u32 size;
	int fd;

	cr_assert_not_null(b);
	for (int i = 0; i < 1500; i++) {
		snprintf(name, sizeof(name), "scx_int_%d", i);
		cr_assert_gt(btf__add_int(b, name, 4, BTF_INT_SIGNED), 0);
	}
	cr_assert_gt(btf__add_enum(b, "scx_eintr_kind", 4), 0);
	cr_assert_eq(btf__add_enum_value(b, "SCX_EINTR_A", 7), 0);
	cr_assert_eq(btf__add_enum_value(b, "SCX_EINTR_B", 1234567), 0);
	raw = btf__raw_data(b, &size);
	cr_assert_not_null(raw);
	cr_assert_eq(fstree_mkdir(t, "sys/kernel/btf"), 0);
	fd = open(fstree_path(t, "sys/kernel/btf/vmlinux"),
		  O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, raw, size), (ssize_t)size);
	close(fd);
	btf__free(b);
}

static void build_tree(struct fstree *t, struct sysgen *g)
{
	static const char *const uncore[] = { "min_freq_khz", "max_freq_khz",
					      "initial_min_freq_khz", "initial_max_freq_khz" };
	static const char *const uval[] = { "800000", "3000000", "800000", "3000000" };
	char path[256], text[64];

	*g = shape;
	cr_assert_eq(fstree_init(t), 0);
	cr_assert_eq(sysgen_write(t, g), 0);
	/* proc/mounts over a page, so that it is read in several calls */
	{
		struct dump m = { 0 };

		for (int i = 0; i < 120; i++)
			out(&m, "tmpfs /run/scx-eintr-%03d tmpfs rw,nosuid,nodev 0 0\n", i);
		out(&m, "debugfs /sys/kernel/debug debugfs rw 0 0");
		put(t, "proc/mounts", m.s);
		dump_free(&m);
	}
	for (int dom = 0; dom < 2; dom++) {
		snprintf(path, sizeof(path), "sys/kernel/debug/energy_model/cpu%d/cpus", dom * 8);
		put(t, path, dom ? "8-15" : "0-7");
		for (int ps = 0; ps < 4; ps++) {
			static const char *const f[] = { "frequency", "power", "cost",
							 "performance", "inefficient" };
			unsigned long freq = 800000 + 400000 * (unsigned long)ps + 100000 * dom;
			unsigned long v[] = { freq, 100 + 90 * ps * (dom + 1), 200 + 150 * ps,
					      256 * (unsigned long)(ps + 1) - (dom ? 0 : 100),
					      (unsigned long)(ps == 2) };

			for (int k = 0; k < 5; k++) {
				snprintf(path, sizeof(path),
					 "sys/kernel/debug/energy_model/cpu%d/ps:%lu/%s", dom * 8,
					 freq, f[k]);
				snprintf(text, sizeof(text), "%lu", v[k]);
				put(t, path, text);
			}
		}
	}
	put(t, "sys/kernel/sched_ext/state", "enabled");
	put(t, "sys/kernel/sched_ext/switch_all", "1");
	put(t, "sys/kernel/sched_ext/nr_rejected", "3");
	put(t, "sys/kernel/sched_ext/hotplug_seq", "1234567");
	put(t, "sys/kernel/sched_ext/enable_seq", "42");
	put(t, "sys/kernel/sched_ext/root/ops", "eintr_test_1.0.0");
	for (int dev = 0; dev < 2; dev++) {
		snprintf(path, sizeof(path), "sys/class/net/eth%d/device/numa_node", dev);
		put(t, path, dev ? "1" : "0");
		for (int q = 0; q < 4; q++) {
			int irq = 40 + dev * 10 + q;

			snprintf(path, sizeof(path), "sys/class/net/eth%d/device/msi_irqs/%d", dev,
				 irq);
			put(t, path, "msi");
			snprintf(path, sizeof(path), "proc/irq/%d/smp_affinity", irq);
			snprintf(text, sizeof(text), "%x", 0xffff >> q);
			put(t, path, text);
			snprintf(path, sizeof(path), "proc/irq/%d/affinity_hint", irq);
			snprintf(text, sizeof(text), "%x", 1u << (q + 8 * dev));
			put(t, path, text);
		}
	}
	put(t, "sys/devices/system/cpu/intel_pstate/no_turbo", "0");
	put(t, "dev/cpu_dma_latency", "");
	for (int i = 0; i < 4; i++) {
		snprintf(path, sizeof(path),
			 "sys/devices/system/cpu/intel_uncore_frequency/package_00_die_00/%s",
			 uncore[i]);
		put(t, path, uval[i]);
	}
	for (int c = 0; c < 16; c++) {
		static const char *const pref[] = { "balance_performance", "performance",
						    "power", "default" };

		snprintf(path, sizeof(path), "sys/devices/system/cpu/cpufreq/policy%d/"
			 "energy_performance_preference", c);
		put(t, path, pref[c % 4]);
		snprintf(path, sizeof(path), "sys/devices/system/cpu/cpufreq/policy%d/"
			 "energy_performance_available_preferences", c);
		put(t, path, "default performance balance_performance balance_power power");
	}
	put_btf(t);
}

/* ---- the readers -------------------------------------------------------------------------- */

static void dump_topology(struct dump *d, const char *root)
{
	SCX_OPTS(scx_topo_opts, opts, .sysfs_root = root);
	struct scx_topo *t = scx_topo_load(&opts);
	int n;

	if (!t) {
		out(d, "topology: NULL %d\n", errno);
		return;
	}
	n = scx_topo_nr_cpu_ids(t);
	out(d, "topology: ids %d cores %d llcs %d nodes %d pkgs %d smt %d hybrid %d files %lu\n",
	    n, scx_topo_nr_cores(t), scx_topo_nr_llcs(t), scx_topo_nr_nodes(t),
	    scx_topo_nr_packages(t), scx_topo_smt_enabled(t), scx_topo_hybrid(t),
	    scx_topo_nr_files_read(t));
	out_mask(d, "possible", scx_topo_possible(t));
	out_mask(d, "online", scx_topo_online(t));
	for (int m = SCX_TOPO_POWER_ANY; m <= SCX_TOPO_POWER_POWERSAVE; m++)
		out_mask(d, "primary", scx_topo_primary(t, (enum scx_topo_power_mode)m));
	out(d, "\n");
	for (int cpu = 0; cpu < n; cpu++)
		out(d, "cpu %d: on %d core %d llc %d node %d pkg %d cl %d l2 %d l3 %d cache %lld "
		    "freq %d/%d/%d cap %d type %d smt %d sib %d resume %d trans %d\n", cpu,
		    scx_topo_cpu_online(t, cpu), scx_topo_cpu_core(t, cpu),
		    scx_topo_cpu_llc(t, cpu), scx_topo_cpu_node(t, cpu),
		    scx_topo_cpu_package(t, cpu), scx_topo_cpu_cluster(t, cpu),
		    scx_topo_cpu_l2(t, cpu), scx_topo_cpu_l3(t, cpu),
		    (long long)scx_topo_cpu_cache_size(t, cpu), scx_topo_cpu_min_freq(t, cpu),
		    scx_topo_cpu_max_freq(t, cpu), scx_topo_cpu_base_freq(t, cpu),
		    scx_topo_cpu_capacity(t, cpu), scx_topo_cpu_core_type(t, cpu),
		    scx_topo_cpu_smt_level(t, cpu), scx_topo_cpu_sibling(t, cpu),
		    scx_topo_cpu_resume_latency(t, cpu), scx_topo_cpu_trans_latency(t, cpu));
	for (int c = 0; c < scx_topo_nr_cores(t); c++) {
		out(d, "core %d: id %d type %d llc %d node %d pkg %d ", c, scx_topo_core_id(t, c),
		    scx_topo_core_type(t, c), scx_topo_core_llc(t, c), scx_topo_core_node(t, c),
		    scx_topo_core_package(t, c));
		out_mask(d, "span", scx_topo_core_span(t, c));
		out(d, "\n");
	}
	for (int l = 0; l < scx_topo_nr_llcs(t); l++) {
		out(d, "llc %d: node %d cores %d size %lld ", l, scx_topo_llc_node(t, l),
		    scx_topo_llc_nr_cores(t, l), (long long)scx_topo_llc_cache_size(t, l));
		out_mask(d, "span", scx_topo_llc_span(t, l));
		out(d, "\n");
	}
	for (int i = 0; i < scx_topo_nr_nodes(t); i++) {
		out(d, "node %d: id %d dist", i, scx_topo_node_id(t, i));
		for (int j = 0; j < scx_topo_nr_nodes(t); j++)
			out(d, " %d", scx_topo_node_distance(t, i, j));
		out_mask(d, " span", scx_topo_node_span(t, i));
		out(d, "\n");
	}
	for (int p = 0; p < scx_topo_nr_packages(t); p++) {
		out(d, "pkg %d: id %d ", p, scx_topo_package_id(t, p));
		out_mask(d, "span", scx_topo_package_span(t, p));
		out(d, "\n");
	}
	scx_topo_free(t);
}

static void dump_em(struct dump *d, const char *root)
{
	SCX_OPTS(scx_em_opts, opts, .sysfs_root = root);
	struct scx_em *em = scx_em_load(&opts);

	if (!em) {
		out(d, "em: NULL %d\n", errno);
		return;
	}
	out(d, "em: domains %d groups %d perf %llu\n", scx_em_nr_domains(em), scx_em_nr_groups(em),
	    (unsigned long long)scx_em_total_performance(em));
	for (unsigned int dom = 0; dom < (unsigned int)scx_em_nr_domains(em); dom++) {
		out(d, "domain %u: %s group %d states %d ", dom, scx_em_domain_name(em, dom),
		    scx_em_domain_group(em, dom), scx_em_domain_nr_pstates(em, dom));
		out_mask(d, "cpus", scx_em_domain_cpus(em, dom));
		for (unsigned int i = 0; i < (unsigned int)scx_em_domain_nr_pstates(em, dom); i++) {
			struct scx_em_pstate ps;
			int r = scx_em_domain_pstate(em, dom, i, &ps);

			out(d, "[%d %llu %llu %llu %llu %d]", r, (unsigned long long)ps.frequency,
			    (unsigned long long)ps.power, (unsigned long long)ps.cost,
			    (unsigned long long)ps.performance, ps.inefficient);
		}
		for (uint64_t u = 0; u <= 1024; u += 128)
			out(d, " u%llu:%d", (unsigned long long)u,
			    scx_em_pstate_for_util(em, dom, u));
		out(d, "\n");
	}
	for (unsigned int cpu = 0; cpu < 18; cpu++)
		out(d, "%d ", scx_em_domain_of_cpu(em, cpu));
	out(d, "\n");
	scx_em_free(em);
}

static void dump_kstate(struct dump *d, const char *root)
{
	SCX_OPTS(scx_kstate_opts, opts, .sysfs_root = root);
	struct scx_kstate *ks = scx_kstate_load(&opts);

	if (!ks) {
		out(d, "kstate: NULL %d\n", errno);
		return;
	}
	out(d, "kstate: supported %d state %s enabled %d ops %s", scx_kstate_supported(ks),
	    scx_kstate_state(ks), scx_kstate_enabled(ks), scx_kstate_ops(ks));
	for (int f = SCX_KSTATE_SWITCH_ALL; f <= SCX_KSTATE_ENABLE_SEQ; f++) {
		uint64_t v = 0;
		int r = scx_kstate_value(ks, (enum scx_kstate_field)f, &v);

		out(d, " [%d %llu]", r, (unsigned long long)v);
	}
	out(d, "\n");
	scx_kstate_free(ks);
}

static void dump_netdev(struct dump *d, const char *root)
{
	SCX_OPTS(scx_netdev_opts, opts, .sysfs_root = root);
	struct scx_netdev *nd = scx_netdev_load(&opts);

	if (!nd) {
		out(d, "netdev: NULL %d\n", errno);
		return;
	}
	out(d, "netdev: %d\n", scx_netdev_count(nd));
	for (unsigned int dev = 0; dev < (unsigned int)scx_netdev_count(nd); dev++) {
		out(d, "%s node %d irqs %d:", scx_netdev_name(nd, dev),
		    scx_netdev_numa_node(nd, dev), scx_netdev_nr_irqs(nd, dev));
		for (unsigned int i = 0; i < (unsigned int)scx_netdev_nr_irqs(nd, dev); i++) {
			out(d, " %d ", scx_netdev_irq(nd, dev, i));
			out_mask(d, "aff", scx_netdev_irq_affinity(nd, dev, i));
			out_mask(d, "hint", scx_netdev_irq_hint(nd, dev, i));
		}
		out(d, "\n");
	}
	scx_netdev_free(nd);
}

static void dump_pm_reads(struct dump *d, const char *root)
{
	SCX_OPTS(scx_pm_opts, opts, .sysfs_root = root);
	struct scx_pm *pm = scx_pm_open(&opts);
	struct scx_pm_uncore u = { 0 };
	char buf[256];
	int r;

	if (!pm) {
		out(d, "pm: NULL %d\n", errno);
		return;
	}
	out(d, "pm:");
	for (int f = SCX_PM_QOS_LATENCY; f <= SCX_PM_EPP; f++)
		out(d, " %d", scx_pm_supported(pm, (enum scx_pm_feature)f));
	r = scx_pm_uncore_get(pm, 0, 0, &u);
	out(d, " uncore %d %u %u %u %u turbo %d\n", r, u.min_khz, u.max_khz, u.initial_min_khz,
	    u.initial_max_khz, scx_pm_turbo_get(pm));
	for (unsigned int cpu = 0; cpu < 17; cpu++) {
		int32_t lat = -7;

		r = scx_pm_resume_latency_get(pm, cpu, &lat);
		out(d, "cpu %u: resume %d %d", cpu, r, lat);
		buf[0] = '\0';
		r = scx_pm_epp_get(pm, cpu, buf, sizeof(buf));
		out(d, " epp %d '%s'", r, r < 0 ? "" : buf);
		buf[0] = '\0';
		r = scx_pm_epp_available(pm, cpu, buf, sizeof(buf));
		out(d, " avail %d '%s'\n", r, r < 0 ? "" : buf);
	}
	scx_pm_close(pm);
}

static void dump_btf(struct dump *d, const char *root)
{
	SCX_OPTS(scx_btf_opts, opts, .sysfs_root = root);
	struct btf *b = scx_btf_load(&opts);
	unsigned long h = 5381;
	const unsigned char *raw;
	uint64_t v = 0;
	__u32 size = 0;
	int r;

	if (!b) {
		out(d, "btf: NULL %d\n", errno);
		return;
	}
	raw = btf__raw_data(b, &size);
	for (__u32 i = 0; raw && i < size; i++)
		h = h * 33 + raw[i];
	r = scx_btf_enum_value(b, "scx_eintr_kind", "SCX_EINTR_B", &v);
	out(d, "btf: types %u size %u hash %lx enum %d %llu\n", btf__type_cnt(b), size, h, r,
	    (unsigned long long)v);
	scx_btf_free(b);
}

enum { R_TOPO = 1, R_EM = 2, R_KSTATE = 4, R_NETDEV = 8, R_PM = 16, R_BTF = 32, R_ALL = 63 };

static void run_readers(struct dump *d, const char *root, unsigned int which)
{
	if (which & R_TOPO)
		dump_topology(d, root);
	if (which & R_EM)
		dump_em(d, root);
	if (which & R_KSTATE)
		dump_kstate(d, root);
	if (which & R_NETDEV)
		dump_netdev(d, root);
	if (which & R_PM)
		dump_pm_reads(d, root);
	if (which & R_BTF)
		dump_btf(d, root);
}

static struct fstree tree;

static void setup(void)
{
	scx_log_fn_set(quiet, NULL);
	build_tree(&tree, &sg);
}

static void teardown(void)
{
	sysgen_fini(&sg);
	fstree_fini(&tree);
}

TestSuite(eintr, .init = setup, .fini = teardown, .timeout = 120);

static void check_readers(enum mode mode, unsigned int nth, unsigned int which, const char *what)
{
	static const enum fn eintr_fns[] = { F_OPEN, F_OPENAT, F_READ, F_CLOSE };
	static const enum fn short_fns[] = { F_READ };
	static const char *const facts[] = {
		"topology: ids 16 cores 8 llcs 4 nodes 2 pkgs 2 smt 1",
		"online=0-4,6-15", "node 0: id 0 dist 10 21 span=0-4,6-7",
		"em: domains 2 groups 2", "[0 2100000 640 650 1024 0]",
		"kstate: supported 1 state enabled enabled 1 ops eintr_test_1.0.0 [0 1] [0 3] "
		"[0 1234567] [0 42]",
		"eth1 node 1 irqs 4: 50 aff=0-15 hint=8 ",
		"uncore 0 800000 3000000 800000 3000000 turbo 1",
		"cpu 6: resume 0 30 epp 5 'power' avail 59", "btf: types 1502 ",
		"enum 0 1234567",
	};
	static const unsigned int fact_src[] = { R_TOPO, R_TOPO, R_TOPO, R_EM, R_EM, R_KSTATE,
						 R_NETDEV, R_PM, R_PM, R_BTF, R_BTF };
	struct dump ref = { 0 }, got = { 0 };

	run_readers(&ref, tree.root, which);
	for (size_t i = 0; i < sizeof(facts) / sizeof(facts[0]); i++)
		if (which & fact_src[i])
			expect_facts(&ref, &facts[i], 1);
	inj_start(mode, nth);
	armed = true;
	run_readers(&got, tree.root, which);
	armed = false;
	expect_same(&ref, &got, what);
	if (mode == M_SHORT)
		expect_injected(what, short_fns, 1);
	else
		expect_injected(what, eintr_fns, 4);
	dump_free(&ref);
	dump_free(&got);
}

Test(eintr, readers_every_2nd_call)
{
	check_readers(M_NTH, 2, R_ALL, "readers, every 2nd call");
}

Test(eintr, readers_every_3rd_call)
{
	check_readers(M_NTH, 3, R_ALL, "readers, every 3rd call");
}

Test(eintr, readers_every_5th_call)
{
	check_readers(M_NTH, 5, R_ALL, "readers, every 5th call");
}

Test(eintr, readers_every_first_attempt)
{
	check_readers(M_FIRST, 0, R_ALL, "readers, every first attempt");
}

Test(eintr, readers_short_reads)
{
	check_readers(M_SHORT, 0, R_ALL, "readers, one byte per read");
}

/*
 * Rewrite the cpulist at @path of @t (ids below @width) as every id, one by one ("0,1,2,...");
 * its new length.
 */
static size_t spell_out_list(struct fstree *t, const char *path, unsigned int width)
{
	struct scx_cpumask *m = scx_cpumask_new(width);
	char file[PATH_MAX], text[256];
	struct dump d = { 0 };
	size_t len;
	FILE *f;
	int cpu;

	cr_assert_not_null(m);
	snprintf(file, sizeof(file), "%s/%s", t->root, path);
	f = fopen(file, "re");
	cr_assert_not_null(f, "cannot open %s", file);
	cr_assert_not_null(fgets(text, sizeof(text), f), "%s is empty", file);
	fclose(f);
	cr_assert_eq(scx_cpumask_parse_list(m, text), 0, "%s holds no list: %s", file, text);
	scx_cpumask_for_each(cpu, m)
		out(&d, "%s%d", d.s ? "," : "", cpu);
	scx_cpumask_free(m);
	cr_assert_not_null(d.s, "%s is an empty list", file);
	put(t, path, d.s);
	len = strlen(d.s) + 1;
	dump_free(&d);
	return len;
}

/*
 * kernfs serves a binary attribute (the cpulist and cpumap files) at most a page per read(), so
 * a list longer than 4 KiB comes in several reads, and only the last ends on its newline.  A
 * 2048-CPU machine with lists spelt out id by id (as on machines whose ids alternate between
 * nodes) must load the same when every read() stops at 4096 bytes.
 */
Test(eintr, topology_page_sized_reads)
{
	static const char *const lists[] = { "sys/devices/system/cpu/possible",
					     "sys/devices/system/cpu/online",
					     "sys/devices/system/node/node0/cpulist",
					     "sys/devices/system/node/node1/cpulist" };
	static const char *const facts[] = {
		"topology: ids 2048 cores 1024 llcs 8 nodes 2 pkgs 2 smt 1",
		"online=0-2047", "node 0: id 0 dist 10 21 span=0-511,1024-1535",
	};
	struct sysgen big = { .nodes = 2, .llcs_per_node = 4, .cores_per_llc = 128, .threads = 2,
			      .thread_major = true, .lean = true };
	struct dump ref = { 0 }, got = { 0 };
	struct fstree t;

	cr_assert_eq(fstree_init(&t), 0);
	cr_assert_eq(sysgen_write(&t, &big), 0);
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		cr_assert_gt(spell_out_list(&t, lists[i], (unsigned int)big.nr_cpu_ids), 4096,
			     "%s fits a page", lists[i]);
	dump_topology(&ref, t.root);
	expect_facts(&ref, facts, sizeof(facts) / sizeof(facts[0]));
	inj_start(M_SHORT, 0);
	inj.chunk = 4096;
	armed = true;
	dump_topology(&got, t.root);
	armed = false;
	expect_same(&ref, &got, "topology, a page per read");
	cr_expect_geq(inj.injected[F_READ], sizeof(lists) / sizeof(lists[0]),
		      "only %lu reads were cut to a page", inj.injected[F_READ]);
	dump_free(&ref);
	dump_free(&got);
	sysgen_fini(&big);
	fstree_fini(&t);
}

/* ---- the writers -------------------------------------------------------------------------- */

/* Every file of the tree (relative path and contents, bytes outside text as \xNN), sorted. */
static struct dump *snap_out;
static size_t snap_skip;

static int snap_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	unsigned char buf[4096];
	ssize_t n;
	int fd;

	(void)st;
	(void)ftw;
	if (type != FTW_F)
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	/* a restore journal's name carries a per-handle sequence number, not a result */
	if (strstr(path + snap_skip, "/run/libscx/"))
		out(snap_out, "/run/libscx/(journal):");
	else
		out(snap_out, "%s:", path + snap_skip);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < n; i++)
			out(snap_out, buf[i] >= 0x20 && buf[i] < 0x7f ? "%c" : "\\x%02x", buf[i]);
	close(fd);
	out(snap_out, "\n");
	return 0;
}

static int cmp_lines(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void snap_tree(struct dump *d, const struct fstree *t)
{
	struct dump raw = { 0 };
	char **lines, *p;
	size_t nr = 0;

	snap_out = &raw;
	snap_skip = strlen(t->root);
	cr_assert_eq(nftw(t->root, snap_one, 16, FTW_PHYS), 0);
	for (p = raw.s; p && *p; p++)
		nr += *p == '\n';
	lines = calloc(nr ? nr : 1, sizeof(*lines));
	cr_assert_not_null(lines);
	nr = 0;
	for (p = strtok(raw.s, "\n"); p; p = strtok(NULL, "\n"))
		lines[nr++] = p;
	qsort(lines, nr, sizeof(*lines), cmp_lines);
	for (size_t i = 0; i < nr; i++)
		out(d, "%s\n", lines[i]);
	free(lines);
	dump_free(&raw);
}

/* Every writer, with the test override, on @t; what each returned into @d. */
static void run_writers(struct dump *d, struct fstree *t)
{
	SCX_OPTS(scx_netdev_opts, nopts, .sysfs_root = t->root, .allow_fake_root_writes = true);
	SCX_OPTS(scx_pm_opts, popts, .sysfs_root = t->root, .allow_fake_root_writes = true);
	struct scx_netdev *nd = scx_netdev_load(&nopts);
	struct scx_pm *pm = scx_pm_open(&popts);
	struct scx_pm_snapshot *saved = NULL;
	struct scx_pm_qos *q;
	bool was_armed;

	out(d, "netdev %d pm %d\n", nd ? 0 : -errno, pm ? 0 : -errno);
	if (!nd || !pm)
		goto out;
	saved = scx_pm_snapshot_load(pm, SCX_PM_SNAPSHOT_ALL);
	out(d, "save %d\n", saved ? 0 : -errno);
	for (unsigned int dev = 0; dev < 2; dev++) {
		for (unsigned int i = 0; i < 4; i++) {
			struct scx_cpumask *m = scx_netdev_irq_mask(nd, dev, i);

			if (!m)
				continue;
			scx_cpumask_zero(m);
			scx_cpumask_set_range(m, 2 * i + dev, 2 * i + dev + 8);
		}
	}
	out(d, "apply %d\n", scx_netdev_apply(nd));
	q = scx_pm_qos_open(pm, 5);
	out(d, "qos %d", q ? 0 : -errno);
	if (q) {
		out(d, " update %d", scx_pm_qos_update(q, 70));
		scx_pm_qos_close(q);
	}
	out(d, "\n");
	for (unsigned int cpu = 0; cpu < 4; cpu++)
		out(d, "resume %u %d\n", cpu, scx_pm_resume_latency_set(pm, cpu, 20 + (int)cpu));
	out(d, "uncore %d\n", scx_pm_uncore_set(pm, 0, 0, 1000000, 2000000));
	out(d, "turbo %d\n", scx_pm_turbo_set(pm, false));
	for (unsigned int cpu = 0; cpu < 16; cpu += 3)
		out(d, "epp %u %d\n", cpu,
		    scx_pm_epp_set(pm, cpu, cpu % 2 ? "power" : "performance"));
	/* the tree as changed, then as restored */
	was_armed = armed;
	armed = false;
	snap_tree(d, t);
	armed = was_armed;
	if (saved)
		out(d, "restore %d\n", scx_pm_restore(pm, saved));
	out(d, "netdev restore %d\n", scx_netdev_restore(nd));
out:
	scx_pm_snapshot_free(saved);
	scx_pm_close(pm);
	scx_netdev_free(nd);
}

/* Run the writers on a fresh tree without injection and on another with; compare all. */
static void check_writers(enum mode mode, unsigned int nth, const char *what)
{
	static const enum fn fns[] = { F_OPEN, F_OPENAT, F_READ, F_WRITE, F_CLOSE };
	static const char *const facts[] = {
		"save 0\napply 8\nqos 0 update 0\nresume 0 0\n", "uncore 0\nturbo 0\nepp 0 0\n",
		"/dev/cpu_dma_latency:F\\x00\\x00\\x00\n", "/proc/irq/40/smp_affinity:01ff\n",
		"/proc/irq/53/smp_affinity:ff80\n", "package_00_die_00/max_freq_khz:2000000\n",
		"policy15/energy_performance_preference:power\n",
		"cpu3/power/pm_qos_resume_latency_us:23\n",
		"restore 34\nnetdev restore 8\n", "/proc/irq/40/smp_affinity:ffff\n",
		"policy15/energy_performance_preference:default\n",
		"package_00_die_00/max_freq_khz:3000000\n",
	};
	struct dump ref = { 0 }, got = { 0 };
	struct fstree other;
	struct sysgen other_sg;

	run_writers(&ref, &tree);
	armed = false;
	snap_tree(&ref, &tree);
	expect_facts(&ref, facts, sizeof(facts) / sizeof(facts[0]));
	build_tree(&other, &other_sg);
	inj_start(mode, nth);
	armed = true;
	run_writers(&got, &other);
	armed = false;
	snap_tree(&got, &other);
	sysgen_fini(&other_sg);
	fstree_fini(&other);
	expect_same(&ref, &got, what);
	expect_injected(what, mode == M_SHORT ? fns + 2 : fns, mode == M_SHORT ? 1 : 5);
	dump_free(&ref);
	dump_free(&got);
}

Test(eintr, writers_every_2nd_call)
{
	check_writers(M_NTH, 2, "writers, every 2nd call");
}

Test(eintr, writers_every_3rd_call)
{
	check_writers(M_NTH, 3, "writers, every 3rd call");
}

Test(eintr, writers_every_first_attempt)
{
	check_writers(M_FIRST, 0, "writers, every first attempt");
}

Test(eintr, writers_short_reads)
{
	check_writers(M_SHORT, 0, "writers, one byte per read");
}

/*
 * A short write to a sysfs attribute means its store took only part of the value; writing the
 * rest would hand the kernel the tail as a new value, so the library reports -EIO and never
 * retries with the remainder.  Each writer must fail that way, none may claim success.
 */
Test(eintr, writers_short_writes_fail_with_eio)
{
	struct dump got = { 0 };
	static const char *const expect[] = {
		"apply -5", "qos -5", "resume 0 -5", "resume 3 -5", "uncore -5",
		"epp 0 -5", "epp 15 -5", "restore -5",
	};

	inj_start(M_SHORT, 0);
	inj.short_write = true;
	armed = true;
	run_writers(&got, &tree);
	armed = false;
	cr_assert_not_null(got.s);
	for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++)
		cr_expect(strstr(got.s, expect[i]) != NULL, "no '%s' in:\n%.1500s", expect[i],
			  got.s);
	cr_expect_gt(inj.injected[F_WRITE], 0);
	cr_log_info("short writes: %lu of %lu writes shortened", inj.injected[F_WRITE],
		    inj.calls[F_WRITE]);
	dump_free(&got);
}

/* ---- the stats client --------------------------------------------------------------------- */

#define PAD_LEN 6000

struct server {
	char path[108];
	unsigned int bind_delay_ms;	/* create the socket only after this long */
	unsigned int reply_delay_ms;	/* wait this long before each reply */
	bool silent;			/* never reply: hold the connection for reply_delay_ms */
	char requests[4][256];		/* what the client sent */
	unsigned int nr_requests;
	pthread_t thread;
};

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool send_text(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}

/* One connection; each request line answered with a reply that carries its number. */
static void *server_main(void *arg)
{
	struct server *s = arg;
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char *reply = malloc(PAD_LEN + 128);
	int lfd, fd;

	sleep_ms(s->bind_delay_ms);
	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	strcpy(addr.sun_path, s->path);
	if (!reply || lfd < 0 || bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    listen(lfd, 4))
		goto out;
	do {
		fd = accept(lfd, NULL, NULL);
	} while (fd < 0 && errno == EINTR);
	if (fd < 0)
		goto out;
	for (;;) {
		char *req = s->requests[s->nr_requests < 4 ? s->nr_requests : 3];
		size_t n = 0;
		ssize_t r;
		char ch;

		while ((r = read(fd, &ch, 1)) == 1 || (r < 0 && errno == EINTR)) {
			if (r < 0)
				continue;
			if (ch == '\n')
				break;
			if (n + 1 < sizeof(s->requests[0]))
				req[n++] = ch;
		}
		if (r != 1)
			break;
		req[n] = '\0';
		s->nr_requests++;
		sleep_ms(s->reply_delay_ms);
		if (s->silent)
			break;
		n = (size_t)snprintf(reply, 128,
				     "{\"errno\":0,\"args\":{\"resp\":{\"n\":%u,\"pad\":\"",
				     s->nr_requests);
		for (size_t i = 0; i < PAD_LEN; i++)
			reply[n++] = (char)('a' + (i * 7 + s->nr_requests) % 26);
		memcpy(reply + n, "\"}}}\n", 5);
		if (!send_text(fd, reply, n + 5))
			break;
	}
	close(fd);
out:
	if (lfd >= 0)
		close(lfd);
	free(reply);
	return NULL;
}

static char sock_dir[64];

static void server_start(struct server *s, unsigned int bind_delay_ms, unsigned int reply_delay_ms,
			 bool silent)
{
	memset(s, 0, sizeof(*s));
	if (!sock_dir[0]) {
		snprintf(sock_dir, sizeof(sock_dir), "/tmp/scx-eintr-XXXXXX");
		cr_assert_not_null(mkdtemp(sock_dir));
	}
	snprintf(s->path, sizeof(s->path), "%s/stats", sock_dir);
	unlink(s->path);
	s->bind_delay_ms = bind_delay_ms;
	s->reply_delay_ms = reply_delay_ms;
	s->silent = silent;
	cr_assert_eq(pthread_create(&s->thread, NULL, server_main, s), 0);
}

static void server_stop(struct server *s)
{
	pthread_join(s->thread, NULL);
	unlink(s->path);
}

static void sock_dir_remove(void)
{
	if (sock_dir[0])
		rmdir(sock_dir);
	sock_dir[0] = '\0';
}

static int keep_reply(struct json_object *resp, const char *line, void *ctx)
{
	struct dump *d = ctx;

	(void)line;
	out(d, "%s\n", json_object_to_json_string_ext(resp, JSON_C_TO_STRING_PLAIN));
	return 0;
}

/* Two requests on one connection to a server that shows up late and answers slowly. */
static void run_stats(struct dump *d)
{
	static const char *const args[] = { "target", "top", "detail", "1", NULL };
	struct server srv;
	struct scx_stats_client *c;

	server_start(&srv, 120, 30, false);
	{
		SCX_OPTS(scx_stats_client_opts, opts, .path = srv.path, .retry_interval_ms = 10,
			 .connect_timeout_ms = 5000, .reply_timeout_ms = 5000);

		c = scx_stats_client_new(&opts);
	}
	cr_assert_not_null(c);
	for (int i = 0; i < 2; i++)
		out(d, "request %d: %d\n", i,
		    scx_stats_client_request(c, "stats", args, keep_reply, d));
	armed = false;
	scx_stats_client_free(c);
	server_stop(&srv);
	for (unsigned int i = 0; i < srv.nr_requests && i < 4; i++)
		out(d, "server got: %s\n", srv.requests[i]);
}

static void check_stats(enum mode mode, unsigned int nth, const char *what)
{
	static const enum fn eintr_fns[] = { F_CONNECT, F_NANOSLEEP, F_SEND, F_POLL, F_RECV };
	static const enum fn short_fns[] = { F_SEND, F_RECV };
	struct dump ref = { 0 }, got = { 0 };

	run_stats(&ref);
	inj_start(mode, nth);
	inj.short_write = true;
	armed = true;
	run_stats(&got);
	armed = false;
	sock_dir_remove();
	expect_same(&ref, &got, what);
	cr_expect(strstr(ref.s, "request 1: 0") && strstr(ref.s, "{\"n\":2,"), "%.300s", ref.s);
	if (mode == M_SHORT)
		expect_injected(what, short_fns, 2);
	else
		expect_injected(what, eintr_fns, 5);
	dump_free(&ref);
	dump_free(&got);
}

Test(eintr, stats_every_2nd_call)
{
	check_stats(M_NTH, 2, "stats client, every 2nd call");
}

Test(eintr, stats_every_3rd_call)
{
	check_stats(M_NTH, 3, "stats client, every 3rd call");
}

Test(eintr, stats_every_first_attempt)
{
	check_stats(M_FIRST, 0, "stats client, every first attempt");
}

Test(eintr, stats_short_transfers)
{
	check_stats(M_SHORT, 0, "stats client, one byte per send and recv");
}

/* ---- the mangoapp queue ------------------------------------------------------------------- */

static void run_mangoapp(struct dump *d, int key, int qid)
{
	SCX_OPTS(scx_mangoapp_opts, opts, .use_key = 1, .key = key);
	struct scx_mangoapp *m;
	struct mangoapp_msg_v1 msg;
	bool was_armed = armed;

	armed = false;
	for (unsigned int i = 0; i < 6; i++) {
		memset(&msg, 0, sizeof(msg));
		msg.hdr.msg_type = 1;
		msg.hdr.version = 1;
		msg.pid = 1000 + i;
		msg.visible_frametime_ns = 16666666 + i;
		snprintf(msg.engineName, sizeof(msg.engineName), "engine-%u", i);
		cr_assert_eq(msgsnd(qid, &msg, sizeof(msg) - sizeof(long), IPC_NOWAIT), 0);
	}
	armed = was_armed;
	m = scx_mangoapp_open(&opts);
	out(d, "open %d\n", m ? 0 : -errno);
	memset(&msg, 0, sizeof(msg));
	out(d, "read %d", scx_mangoapp_read(m, &msg));
	out(d, " pid %u %s\n", msg.pid, msg.engineName);
	memset(&msg, 0, sizeof(msg));
	out(d, "latest %d", scx_mangoapp_read_latest(m, &msg));
	out(d, " pid %u %llu %s\n", msg.pid, (unsigned long long)msg.visible_frametime_ns,
	    msg.engineName);
	out(d, "empty %d\n", scx_mangoapp_read(m, &msg));
	scx_mangoapp_close(m);
}

static void check_mangoapp(enum mode mode, unsigned int nth, const char *what)
{
	static const enum fn fns[] = { F_MSGRCV };
	struct dump ref = { 0 }, got = { 0 };
	int qid = -1, key = 0;

	for (unsigned int i = 0; i < 1000; i++) {
		key = (int)(0x5ce00000u ^ ((unsigned int)getpid() << 8) ^ i);
		qid = msgget((key_t)key, IPC_CREAT | IPC_EXCL | 0600);
		if (qid >= 0 || errno != EEXIST)
			break;
	}
	cr_assert_geq(qid, 0, "msgget: %s", strerror(errno));
	run_mangoapp(&ref, key, qid);
	inj_start(mode, nth);
	armed = true;
	run_mangoapp(&got, key, qid);
	armed = false;
	msgctl(qid, IPC_RMID, NULL);
	expect_same(&ref, &got, what);
	cr_expect(strstr(ref.s, "latest 5 pid 1005") != NULL, "%s", ref.s);
	expect_injected(what, fns, 1);
	dump_free(&ref);
	dump_free(&got);
}

Test(eintr, mangoapp_every_2nd_call)
{
	check_mangoapp(M_NTH, 2, "mangoapp, every 2nd call");
}

Test(eintr, mangoapp_every_first_attempt)
{
	check_mangoapp(M_FIRST, 0, "mangoapp, every first attempt");
}

/* ---- real signals ------------------------------------------------------------------------- */

static volatile sig_atomic_t nr_signals;

static void on_signal(int sig)
{
	(void)sig;
	nr_signals = nr_signals + 1;
}

/* A thread that sends SIGUSR1 to the test thread every millisecond. */
struct pest {
	pthread_t thread, target;
	volatile sig_atomic_t stop;
	struct sigaction old;
};

static void *pest_main(void *arg)
{
	struct pest *p = arg;

	while (!p->stop) {
		pthread_kill(p->target, SIGUSR1);
		sleep_ms(1);
	}
	return NULL;
}

static void pest_start(struct pest *p)
{
	struct sigaction sa = { .sa_handler = on_signal, .sa_flags = 0 };	/* no SA_RESTART */

	memset(p, 0, sizeof(*p));
	sigemptyset(&sa.sa_mask);
	cr_assert_eq(sigaction(SIGUSR1, &sa, &p->old), 0);
	nr_signals = 0;
	p->target = pthread_self();
	cr_assert_eq(pthread_create(&p->thread, NULL, pest_main, p), 0);
}

static void pest_stop(struct pest *p)
{
	p->stop = 1;
	pthread_join(p->thread, NULL);
	sigaction(SIGUSR1, &p->old, NULL);
}

static struct scx_stats_client *client_for(const char *path, unsigned int connect_ms,
					   unsigned int reply_ms)
{
	SCX_OPTS(scx_stats_client_opts, opts, .path = path, .retry_interval_ms = 20,
		 .connect_timeout_ms = connect_ms, .reply_timeout_ms = reply_ms);
	struct scx_stats_client *c = scx_stats_client_new(&opts);

	cr_assert_not_null(c);
	return c;
}

static void log_signals(const char *what, long long ms)
{
	cr_log_info("%s: %d signals in %lld ms; EINTR from the kernel: poll %lu, recv %lu, "
		    "connect %lu, nanosleep %lu", what, (int)nr_signals, ms,
		    inj.real_eintr[F_POLL], inj.real_eintr[F_RECV], inj.real_eintr[F_CONNECT],
		    inj.real_eintr[F_NANOSLEEP]);
}

/* The server takes 400 ms to answer while signals keep interrupting the client's poll(). */
Test(eintr, signals_during_a_slow_reply)
{
	struct server srv;
	struct scx_stats_client *c;
	struct dump d = { 0 };
	struct pest p;
	long long t0, ms;
	int ret;

	server_start(&srv, 0, 400, false);
	c = client_for(srv.path, 3000, 5000);
	inj_start(M_PASS, 0);
	pest_start(&p);
	armed = true;
	t0 = now_ms();
	ret = scx_stats_client_request(c, "stats", NULL, keep_reply, &d);
	ms = now_ms() - t0;
	armed = false;
	pest_stop(&p);
	scx_stats_client_free(c);
	server_stop(&srv);
	sock_dir_remove();
	log_signals("a slow reply", ms);
	cr_expect_eq(ret, 0, "request: %d", ret);
	cr_expect(d.s && strstr(d.s, "{\"n\":1,\"pad\":\"b"), "reply: %.80s", d.s ? d.s : "none");
	cr_expect_geq(ms, 400);
	cr_expect_gt(nr_signals, 20);
	cr_expect_gt(inj.real_eintr[F_POLL], 0, "poll() was never interrupted");
	dump_free(&d);
}

/*
 * A server that never answers: the reply timeout (300 ms) must end the wait although poll() is
 * interrupted every millisecond; a wait restarted in full after each signal would last until
 * the server hangs up (2500 ms) and end in -ECONNRESET.
 */
Test(eintr, signals_do_not_extend_the_reply_timeout)
{
	struct server srv;
	struct scx_stats_client *c;
	struct pest p;
	long long t0, ms;
	int ret;

	server_start(&srv, 0, 2500, true);
	c = client_for(srv.path, 3000, 300);
	cr_assert_eq(scx_stats_client_connect(c), 0);
	inj_start(M_PASS, 0);
	pest_start(&p);
	armed = true;
	t0 = now_ms();
	ret = scx_stats_client_request(c, "stats", NULL, keep_reply, NULL);
	ms = now_ms() - t0;
	armed = false;
	pest_stop(&p);
	scx_stats_client_free(c);
	server_stop(&srv);
	sock_dir_remove();
	log_signals("a silent server", ms);
	cr_expect_eq(ret, -ETIMEDOUT, "request: %d", ret);
	cr_expect_geq(ms, 300);
	cr_expect_lt(ms, 2000, "the 300 ms reply timeout took %lld ms", ms);
	cr_expect_gt(inj.real_eintr[F_POLL], 0, "poll() was never interrupted");
}

/* The socket appears after 400 ms: the connect retries sleep through signals, then succeed. */
Test(eintr, signals_during_connect_retries)
{
	struct dump d;
	struct server srv;
	struct scx_stats_client *c;
	struct pest p;
	long long t0, ms;
	int ret;

	server_start(&srv, 400, 0, false);
	memset(&d, 0, sizeof(d));
	c = client_for(srv.path, 5000, 5000);
	inj_start(M_PASS, 0);
	pest_start(&p);
	armed = true;
	t0 = now_ms();
	ret = scx_stats_client_request(c, "stats", NULL, keep_reply, &d);
	ms = now_ms() - t0;
	armed = false;
	pest_stop(&p);
	scx_stats_client_free(c);
	server_stop(&srv);
	sock_dir_remove();
	log_signals("a late socket", ms);
	cr_expect_eq(ret, 0, "request: %d", ret);
	cr_expect(d.s && strstr(d.s, "{\"n\":1,\"pad\":\"b"), "reply: %.80s", d.s ? d.s : "none");
	dump_free(&d);
	cr_expect_geq(ms, 300);
	cr_expect_lt(ms, 3000);
	cr_expect_gt(inj.real_eintr[F_NANOSLEEP], 0, "the retry sleep was never interrupted");
}

/* No socket at all: the 300 ms connect timeout holds under signals. */
Test(eintr, signals_do_not_extend_the_connect_timeout)
{
	struct scx_stats_client *c;
	struct pest p;
	long long t0, ms;
	int ret;

	c = client_for(fstree_path(&tree, "none.sock"), 300, 5000);
	inj_start(M_PASS, 0);
	pest_start(&p);
	armed = true;
	t0 = now_ms();
	ret = scx_stats_client_connect(c);
	ms = now_ms() - t0;
	armed = false;
	pest_stop(&p);
	scx_stats_client_free(c);
	log_signals("no socket", ms);
	cr_expect_eq(ret, -ENOENT, "connect: %d", ret);
	cr_expect_geq(ms, 300);
	cr_expect_lt(ms, 2000, "the 300 ms connect timeout took %lld ms", ms);
	cr_expect_gt(inj.real_eintr[F_NANOSLEEP], 0, "the retry sleep was never interrupted");
}

/*
 * The same silent server, with every poll() interrupted 20 ms into its wait: the timeout each
 * call is given must be what remains of the 300 ms, shrinking from call to call, not the full
 * 300 ms again (which a burst of signals, checked against the deadline between them, would
 * not reveal).
 */
Test(eintr, poll_gets_the_remaining_time_after_eintr)
{
	struct server srv;
	struct scx_stats_client *c;
	long long t0, ms;
	int ret;

	server_start(&srv, 0, 1500, true);
	c = client_for(srv.path, 3000, 300);
	cr_assert_eq(scx_stats_client_connect(c), 0);
	inj_start(M_PASS, 0);
	inj.poll_slice_ms = 20;
	armed = true;
	t0 = now_ms();
	ret = scx_stats_client_request(c, "stats", NULL, keep_reply, NULL);
	ms = now_ms() - t0;
	armed = false;
	scx_stats_client_free(c);
	server_stop(&srv);
	sock_dir_remove();
	cr_log_info("poll() interrupted %lu times 20 ms into its wait; the timeouts it was given: "
		    "%d, %d, ... %d; timed out after %lld ms", inj.injected[F_POLL],
		    inj.poll_timeouts[0], inj.nr_polls > 1 ? inj.poll_timeouts[1] : -1,
		    inj.poll_timeouts[inj.nr_polls ? inj.nr_polls - 1 : 0], ms);
	cr_expect_eq(ret, -ETIMEDOUT, "request: %d", ret);
	cr_expect_geq(inj.nr_polls, 5, "only %u poll() calls", inj.nr_polls);
	cr_expect_leq(inj.poll_timeouts[0], 300);
	for (unsigned int i = 1; i < inj.nr_polls; i++)
		cr_expect_lt(inj.poll_timeouts[i], inj.poll_timeouts[i - 1],
			     "poll() call %u was given %d ms after %d ms", i, inj.poll_timeouts[i],
			     inj.poll_timeouts[i - 1]);
	cr_expect_geq(ms, 300);
	cr_expect_lt(ms, 1400, "the 300 ms reply timeout took %lld ms", ms);
}

/* ---- perf counters ------------------------------------------------------------------------ */

/*
 * Software counters on every online CPU of this machine: which ones opened (or the error, the
 * same in both runs, where perf is not allowed).
 */
static void run_perf(struct dump *d)
{
	static const char *const names[] = { "cpu-clock", "context-switches", "task-clock" };
	struct scx_perf *ev = scx_perf_open(names, 3, NULL);

	if (!ev) {
		out(d, "perf: NULL %d\n", errno);
		return;
	}
	out(d, "perf: %d events:", scx_perf_nr_events(ev));
	for (unsigned int cpu = 0; cpu < 64; cpu++)
		for (unsigned int i = 0; i < 3; i++)
			out(d, "%c", scx_perf_fd(ev, cpu, i) >= 0 ? '+' : '-');
	out(d, "\n");
	scx_perf_close(ev);
}

static void check_perf(enum mode mode, unsigned int nth, const char *what)
{
	static const enum fn fns[] = { F_PERF_OPEN, F_OPEN, F_OPENAT, F_READ, F_CLOSE };
	struct dump ref = { 0 }, got = { 0 };

	run_perf(&ref);
	inj_start(mode, nth);
	armed = true;
	run_perf(&got);
	armed = false;
	expect_same(&ref, &got, what);
	/* without perf the first open fails and nothing is closed */
	expect_injected(what, fns, strstr(ref.s, "NULL") ? 4 : 5);
	dump_free(&ref);
	dump_free(&got);
}

Test(eintr, perf_every_2nd_call)
{
	check_perf(M_NTH, 2, "perf counters, every 2nd call");
}

Test(eintr, perf_every_first_attempt)
{
	check_perf(M_FIRST, 0, "perf counters, every first attempt");
}

/* ---- the exit report on a pipe ------------------------------------------------------------ */

/* What a slow reader thread takes from a pipe: at most 4 KiB a millisecond. */
struct drain {
	pthread_t thread;
	int fd;
	char *buf;
	size_t len;
};

static void *drain_main(void *arg)
{
	struct drain *d = arg;
	size_t cap = 0;

	for (;;) {
		ssize_t n;

		if (d->len + 4096 > cap) {
			cap = cap ? cap * 2 : 1 << 20;
			d->buf = realloc(d->buf, cap);
			if (!d->buf)
				abort();
		}
		n = read(d->fd, d->buf + d->len, 4096);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		d->len += (size_t)n;
		sleep_ms(1);
	}
	return NULL;
}

/* A dump of @len bytes in 64-byte lines, each naming its number. */
static char *make_dump(size_t len)
{
	char *dump = malloc(len + 1);

	cr_assert_not_null(dump);
	for (size_t off = 0; off < len; off += 64)
		snprintf(dump + off, len + 1 - off, "%-63zu\n", off / 64);
	return dump;
}

/* The report written to a memory stream: what a pipe must carry. */
static char *report_ref(const struct user_exit_info *u, const char *dump, size_t len,
			size_t *ref_len)
{
	char *ref = NULL;
	FILE *f = open_memstream(&ref, ref_len);

	cr_assert_not_null(f);
	cr_assert_eq(scx_uei_report(u, dump, len, f), 0);
	cr_assert_eq(fclose(f), 0);
	return ref;
}

/*
 * scx_uei_report() to a stream on a pipe whose reader is slow, so its writes block: what came out
 * must be the report, byte for byte, after "Earlier output" the caller left in the stream's
 * buffer.  With @signals, SIGUSR1 every millisecond interrupts the blocked writes for real.
 */
static void check_uei(enum mode mode, unsigned int nth, size_t chunk, bool signals,
		      const char *what)
{
	const size_t len = 1 << 20;
	static const char before[] = "Earlier output\n";
	struct user_exit_info u = { 0 };
	struct drain d = { 0 };
	char *dump = make_dump(len), *ref;
	size_t ref_len = 0;
	struct pest p;
	int pfd[2], ret;
	FILE *f;

	snprintf(u.reason, sizeof(u.reason), "scx_bpf_error");
	snprintf(u.msg, sizeof(u.msg), "an exit with a 1 MiB dump");
	u.kind = SCX_EXIT_ERROR_BPF;
	ref = report_ref(&u, dump, len, &ref_len);
	cr_assert_eq(pipe2(pfd, O_CLOEXEC), 0);
	d.fd = pfd[0];
	cr_assert_eq(pthread_create(&d.thread, NULL, drain_main, &d), 0);
	f = fdopen(pfd[1], "w");
	cr_assert_not_null(f);
	cr_assert_geq(fputs(before, f), 0);	/* left in the stream's buffer */
	inj_start(mode, nth);
	inj.chunk = chunk;
	inj.short_write = chunk != 0;
	if (signals)
		pest_start(&p);
	armed = true;
	ret = scx_uei_report(&u, dump, len, f);
	armed = false;
	if (signals)
		pest_stop(&p);
	fclose(f);
	pthread_join(d.thread, NULL);
	close(pfd[0]);
	cr_expect_eq(ret, 0, "%s: the report failed: %d", what, ret);
	cr_expect_eq(d.len, strlen(before) + ref_len, "%s: %zu bytes came out, not %zu", what,
		     d.len, strlen(before) + ref_len);
	cr_expect(d.len >= strlen(before) && !memcmp(d.buf, before, strlen(before)),
		  "%s: the caller's earlier output is not first", what);
	cr_expect(d.len == strlen(before) + ref_len &&
		  !memcmp(d.buf + strlen(before), ref, ref_len),
		  "%s: the report that came out is not the one written to memory", what);
	if (signals) {
		cr_log_info("%s: %d signals; write() interrupted by the kernel %lu times, of %lu",
			    what, (int)nr_signals, inj.real_eintr[F_WRITE], inj.calls[F_WRITE]);
		cr_expect_gt(inj.real_eintr[F_WRITE], 0, "%s: write() was never interrupted", what);
	} else {
		static const enum fn fns[] = { F_WRITE };

		expect_injected(what, fns, 1);
	}
	free(d.buf);
	free(ref);
	free(dump);
}

Test(eintr, uei_report_every_2nd_write)
{
	check_uei(M_NTH, 2, 0, false, "exit report, every 2nd write");
}

Test(eintr, uei_report_every_first_attempt)
{
	check_uei(M_FIRST, 0, 0, false, "exit report, every first attempt");
}

Test(eintr, uei_report_short_writes)
{
	check_uei(M_SHORT, 0, 1000, false, "exit report, 1000 bytes per write");
}

Test(eintr, uei_report_through_signals)
{
	check_uei(M_PASS, 0, 0, true, "exit report, SIGUSR1 every millisecond");
}
