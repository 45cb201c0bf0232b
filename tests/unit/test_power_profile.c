// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * The power profile: from a fake power-profiles-daemon on a private dbus-daemon, and from
 * generated sysfs trees.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifdef HAVE_LIBSYSTEMD
#include <systemd/sd-bus.h>
#endif

#include <scx/log.h>
#include <scx/power_profile.h>

#include "../lib/fstree.h"

static struct fstree t;
static pid_t bus_pid = -1, svc_pid = -1;
static int svc_cmd = -1;	/* the fake daemon's command pipe */
static char bus_addr[512];

static void quiet(enum scx_log_level l, const char *m, void *c)
{
}

static void stop(pid_t *pid)
{
	if (*pid > 0) {
		kill(*pid, SIGTERM);
		waitpid(*pid, NULL, 0);
	}
	*pid = -1;
}

static void setup(void)
{
	cr_assert_eq(fstree_init(&t), 0);
	scx_log_fn_set(quiet, NULL);
}

static void teardown(void)
{
	if (svc_cmd >= 0)
		close(svc_cmd);
	svc_cmd = -1;
	stop(&svc_pid);
	stop(&bus_pid);
	fstree_fini(&t);
}

TestSuite(power_profile, .init = setup, .fini = teardown);

#ifdef HAVE_LIBSYSTEMD
/* Read one line from @fd within 10 s; 0 or -1. */
static int read_line(int fd, char *buf, size_t sz)
{
	size_t len = 0;

	while (len + 1 < sz) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, 10000) <= 0)
			return -1;
		n = read(fd, buf + len, 1);
		if (n <= 0)
			return -1;
		if (buf[len] == '\n')
			break;
		len++;
	}
	buf[len] = '\0';
	return len ? 0 : -1;
}

/* A private message bus: dbus-daemon --session, its address read from its output. */
static void start_bus(void)
{
	int p[2];

	cr_assert_eq(pipe2(p, O_CLOEXEC), 0);
	bus_pid = fork();
	cr_assert_geq(bus_pid, 0);
	if (bus_pid == 0) {
		dup2(p[1], 1);
		execlp("dbus-daemon", "dbus-daemon", "--session", "--nofork", "--nopidfile",
		       "--print-address=1", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	if (read_line(p[0], bus_addr, sizeof(bus_addr))) {
		close(p[0]);
		stop(&bus_pid);
		cr_skip_test("cannot start dbus-daemon (package dbus-daemon)");
	}
	close(p[0]);
}

static char svc_profile[128];

static int get_profile(sd_bus *bus, const char *path, const char *iface, const char *prop,
		       sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
	return sd_bus_message_append(reply, "s", svc_profile);
}

static const sd_bus_vtable vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_PROPERTY("ActiveProfile", "s", get_profile, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_VTABLE_END,
};

/*
 * A command of the test to the fake daemon: "set NAME" changes the profile and signals the new
 * value, "invalidate NAME" changes it and signals only that it changed.
 */
static int service_command(sd_bus *bus, const char *name, const char *path, const char *cmd)
{
	if (!strncmp(cmd, "set ", 4)) {
		snprintf(svc_profile, sizeof(svc_profile), "%s", cmd + 4);
		return sd_bus_emit_properties_changed(bus, path, name, "ActiveProfile", NULL);
	}
	if (!strncmp(cmd, "invalidate ", 11)) {
		snprintf(svc_profile, sizeof(svc_profile), "%s", cmd + 11);
		return sd_bus_emit_signal(bus, path, "org.freedesktop.DBus.Properties",
					  "PropertiesChanged", "sa{sv}as", name, 0, 1,
					  "ActiveProfile");
	}
	return -EINVAL;
}

/* The fake daemon's loop: the bus, and the test's commands on @cmd until it closes them. */
static void serve(sd_bus *bus, const char *name, const char *path, int cmd)
{
	char line[128];

	for (;;) {
		struct pollfd p[2] = {
			{ .fd = sd_bus_get_fd(bus), .events = (short)sd_bus_get_events(bus) },
			{ .fd = cmd, .events = POLLIN },
		};
		int r = sd_bus_process(bus, NULL);

		if (r < 0)
			_exit(1);
		if (r > 0)
			continue;
		if (poll(p, 2, -1) < 0)
			_exit(1);
		if (p[1].revents) {
			if (read_line(cmd, line, sizeof(line)))
				_exit(0);
			if (service_command(bus, name, path, line) < 0 || sd_bus_flush(bus) < 0)
				_exit(1);
		}
	}
}

/* A stand-in power-profiles-daemon: owns @name and serves ActiveProfile at @path. */
static void start_service(const char *name, const char *path, const char *profile)
{
	char ready[16];
	int p[2], c[2];

	cr_assert_eq(pipe2(p, O_CLOEXEC), 0);
	cr_assert_eq(pipe2(c, O_CLOEXEC), 0);
	snprintf(svc_profile, sizeof(svc_profile), "%s", profile);
	svc_pid = fork();
	cr_assert_geq(svc_pid, 0);
	if (svc_pid == 0) {
		sd_bus *bus = NULL;

		close(c[1]);
		if (sd_bus_new(&bus) < 0 || sd_bus_set_address(bus, bus_addr) < 0 ||
		    sd_bus_set_bus_client(bus, 1) < 0 || sd_bus_start(bus) < 0 ||
		    sd_bus_add_object_vtable(bus, NULL, path, name, vtable, NULL) < 0 ||
		    sd_bus_request_name(bus, name, 0) < 0)
			_exit(1);
		if (write(p[1], "ready\n", 6) != 6)
			_exit(1);
		serve(bus, name, path, c[0]);
	}
	close(p[1]);
	close(c[0]);
	svc_cmd = c[1];
	cr_assert_eq(read_line(p[0], ready, sizeof(ready)), 0, "the fake daemon started");
	close(p[0]);
}

static void tell_service(const char *cmd)
{
	cr_assert_eq(write(svc_cmd, cmd, strlen(cmd)), (ssize_t)strlen(cmd));
	cr_assert_eq(write(svc_cmd, "\n", 1), 1);
}
#endif

static void epp(const char *v)
{
	fstree_write(&t, "sys/devices/system/cpu/cpufreq/policy0/energy_performance_preference",
		     "%s\n", v);
}

static int read_on_bus(enum scx_power_profile_source *src)
{
	SCX_OPTS(scx_power_profile_opts, opts, .sysfs_root = t.root, .bus_address = bus_addr);

	return scx_power_profile_read(&opts, src);
}

Test(power_profile, daemon_on_the_hadess_name_wins_over_sysfs)
{
#ifdef HAVE_LIBSYSTEMD
	enum scx_power_profile_source src = SCX_POWER_PROFILE_SRC_GOVERNOR;

	epp("power");
	start_bus();
	start_service("net.hadess.PowerProfiles", "/net/hadess/PowerProfiles", "performance");
	cr_assert_eq(read_on_bus(&src), SCX_POWER_PROFILE_PERFORMANCE);
	cr_assert_eq(src, SCX_POWER_PROFILE_SRC_DBUS);
#else
	cr_skip_test("built without libsystemd (--with-dbus=no)");
#endif
}

Test(power_profile, daemon_on_the_upower_name)
{
#ifdef HAVE_LIBSYSTEMD
	enum scx_power_profile_source src = SCX_POWER_PROFILE_SRC_GOVERNOR;

	epp("performance");
	start_bus();
	start_service("org.freedesktop.UPower.PowerProfiles",
		      "/org/freedesktop/UPower/PowerProfiles", "power-saver");
	cr_assert_eq(read_on_bus(&src), SCX_POWER_PROFILE_POWER_SAVER);
	cr_assert_eq(src, SCX_POWER_PROFILE_SRC_DBUS);
#else
	cr_skip_test("built without libsystemd (--with-dbus=no)");
#endif
}

Test(power_profile, daemon_answering_balanced_power_is_unknown)
{
#ifdef HAVE_LIBSYSTEMD
	SCX_OPTS(scx_power_profile_opts, opts, .sysfs_root = t.root, .bus_address = bus_addr,
		 .scx_utils_mapping = true);

	epp("balance_power");
	start_bus();
	start_service("net.hadess.PowerProfiles", "/net/hadess/PowerProfiles", "balanced-power");
	cr_assert_eq(read_on_bus(NULL), SCX_POWER_PROFILE_UNKNOWN);
	cr_assert_eq(scx_power_profile_read(&opts, NULL), SCX_POWER_PROFILE_UNKNOWN);
#else
	cr_skip_test("built without libsystemd (--with-dbus=no)");
#endif
}

Test(power_profile, daemon_with_an_unknown_profile)
{
#ifdef HAVE_LIBSYSTEMD
	enum scx_power_profile_source src = SCX_POWER_PROFILE_SRC_GOVERNOR;

	epp("performance");
	start_bus();
	start_service("net.hadess.PowerProfiles", "/net/hadess/PowerProfiles", "ludicrous");
	cr_assert_eq(read_on_bus(&src), SCX_POWER_PROFILE_UNKNOWN);
	cr_assert_eq(src, SCX_POWER_PROFILE_SRC_DBUS);
#else
	cr_skip_test("built without libsystemd (--with-dbus=no)");
#endif
}

Test(power_profile, bus_without_the_daemon_falls_back_to_epp)
{
#ifdef HAVE_LIBSYSTEMD
	enum scx_power_profile_source src = SCX_POWER_PROFILE_SRC_DBUS;

	epp("balance_power");
	start_bus();
	cr_assert_eq(read_on_bus(&src), SCX_POWER_PROFILE_POWER_SAVER);
	cr_assert_eq(src, SCX_POWER_PROFILE_SRC_EPP);
#else
	cr_skip_test("built without libsystemd (--with-dbus=no)");
#endif
}

Test(power_profile, unreachable_bus_falls_back_to_sysfs)
{
	enum scx_power_profile_source src = SCX_POWER_PROFILE_SRC_DBUS;

	epp("balance_performance");
	snprintf(bus_addr, sizeof(bus_addr), "unix:path=%s", fstree_path(&t, "no-such-socket"));
	cr_assert_eq(read_on_bus(&src), SCX_POWER_PROFILE_BALANCED);
	cr_assert_eq(src, SCX_POWER_PROFILE_SRC_EPP);
	snprintf(bus_addr, sizeof(bus_addr), "this is not an address");
	cr_assert_eq(read_on_bus(&src), SCX_POWER_PROFILE_BALANCED);
}

static int read_sysfs_only(enum scx_power_profile_source *src)
{
	SCX_OPTS(scx_power_profile_opts, opts, .sysfs_root = t.root, .no_dbus = true);

	return scx_power_profile_read(&opts, src);
}

Test(power_profile, the_cpu_folder_comes_before_policy0)
{
	epp("power");
	fstree_write(&t, "sys/devices/system/cpu/cpu0/cpufreq/energy_performance_preference",
		     "performance\n");
	cr_assert_eq(read_sysfs_only(NULL), SCX_POWER_PROFILE_PERFORMANCE);
}

static int read_as_scx_utils(enum scx_power_profile_source *src)
{
	SCX_OPTS(scx_power_profile_opts, opts, .sysfs_root = t.root, .no_dbus = true,
		 .scx_utils_mapping = true);

	return scx_power_profile_read(&opts, src);
}

/* Each word as an EPP and as a governor, read both ways. */
Test(power_profile, every_word_read_both_ways)
{
	static const struct {
		const char *v;
		int epp, gov, scx_utils;
	} words[] = {
		{ "power", SCX_POWER_PROFILE_POWER_SAVER, SCX_POWER_PROFILE_BALANCED,
		  SCX_POWER_PROFILE_POWER_SAVER },
		{ "powersave", SCX_POWER_PROFILE_UNKNOWN, SCX_POWER_PROFILE_POWER_SAVER,
		  SCX_POWER_PROFILE_POWER_SAVER },
		{ "balance_power", SCX_POWER_PROFILE_POWER_SAVER, SCX_POWER_PROFILE_BALANCED,
		  SCX_POWER_PROFILE_BALANCED_POWER },
		{ "balance_performance", SCX_POWER_PROFILE_BALANCED, SCX_POWER_PROFILE_BALANCED,
		  SCX_POWER_PROFILE_BALANCED },
		{ "default", SCX_POWER_PROFILE_BALANCED, SCX_POWER_PROFILE_BALANCED,
		  SCX_POWER_PROFILE_UNKNOWN },
		{ "performance", SCX_POWER_PROFILE_PERFORMANCE, SCX_POWER_PROFILE_PERFORMANCE,
		  SCX_POWER_PROFILE_PERFORMANCE },
		{ "schedutil", SCX_POWER_PROFILE_UNKNOWN, SCX_POWER_PROFILE_BALANCED,
		  SCX_POWER_PROFILE_UNKNOWN },
		{ "128", SCX_POWER_PROFILE_UNKNOWN, SCX_POWER_PROFILE_BALANCED,
		  SCX_POWER_PROFILE_UNKNOWN },
	};
	enum scx_power_profile_source src;
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		fstree_write(&t, "sys/devices/system/cpu/cpufreq/policy0/scaling_governor", "%s\n",
			     words[i].v);
		cr_assert_eq(read_sysfs_only(&src), words[i].gov, "governor %s", words[i].v);
		cr_assert_eq(src, SCX_POWER_PROFILE_SRC_GOVERNOR);
		cr_assert_eq(read_as_scx_utils(&src), words[i].scx_utils, "governor %s",
			     words[i].v);
		cr_assert_eq(src, SCX_POWER_PROFILE_SRC_GOVERNOR);
	}
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		epp(words[i].v);
		cr_assert_eq(read_sysfs_only(&src), words[i].epp, "EPP %s", words[i].v);
		cr_assert_eq(src, SCX_POWER_PROFILE_SRC_EPP);
		cr_assert_eq(read_as_scx_utils(&src), words[i].scx_utils, "EPP %s", words[i].v);
		cr_assert_eq(src, SCX_POWER_PROFILE_SRC_EPP);
	}
	cr_assert_eq(unlink(fstree_path(&t, "sys/devices/system/cpu/cpufreq/policy0/"
					  "energy_performance_preference")), 0);
	cr_assert_eq(unlink(fstree_path(&t, "sys/devices/system/cpu/cpufreq/policy0/"
					  "scaling_governor")), 0);
	cr_assert_eq(read_as_scx_utils(NULL), -ENOENT, "nothing to read is still ENOENT");
}

Test(power_profile, nothing_to_tell_is_enoent)
{
	SCX_OPTS(scx_power_profile_opts, bad, .sysfs_root = "/nonexistent/root", .no_dbus = true);

	fstree_mkdir(&t, "sys/devices/system/cpu");
	cr_assert_eq(read_sysfs_only(NULL), -ENOENT);
	cr_assert_eq(errno, ENOENT);
	cr_assert_eq(scx_power_profile_read(&bad, NULL), -ENOENT);
}

Test(power_profile, names)
{
	cr_assert_str_eq(scx_power_profile_name(SCX_POWER_PROFILE_POWER_SAVER), "power-saver");
	cr_assert_str_eq(scx_power_profile_name(SCX_POWER_PROFILE_BALANCED), "balanced");
	cr_assert_str_eq(scx_power_profile_name(SCX_POWER_PROFILE_PERFORMANCE), "performance");
	cr_assert_str_eq(scx_power_profile_name(SCX_POWER_PROFILE_UNKNOWN), "unknown");
	cr_assert_str_eq(scx_power_profile_name((enum scx_power_profile)42), "unknown");
	cr_assert_eq(scx_power_profile_from_name("power-saver"), SCX_POWER_PROFILE_POWER_SAVER);
	cr_assert_eq(scx_power_profile_from_name("balanced"), SCX_POWER_PROFILE_BALANCED);
	cr_assert_eq(scx_power_profile_from_name("performance"), SCX_POWER_PROFILE_PERFORMANCE);
	cr_assert_str_eq(scx_power_profile_name(SCX_POWER_PROFILE_BALANCED_POWER),
			 "balanced-power");
	cr_assert_eq(scx_power_profile_from_name("balanced-power"),
		     SCX_POWER_PROFILE_BALANCED_POWER);
	cr_assert_eq(scx_power_profile_from_name("unknown"), SCX_POWER_PROFILE_UNKNOWN);
	cr_assert_eq(scx_power_profile_from_name("Performance"), SCX_POWER_PROFILE_UNKNOWN);
	cr_assert_eq(scx_power_profile_from_name(NULL), SCX_POWER_PROFILE_UNKNOWN);
}

/* A hybrid machine: 2 fast cores with 2 threads each (CPUs 0-3), 4 slow cores (CPUs 4-7). */
Test(power_profile, primary_cpus_by_profile)
{
	struct scx_topo_builder *b = scx_topo_builder_new();
	const struct scx_cpumask *m;
	struct scx_topo *topo;
	char buf[64];

	cr_assert_not_null(b);
	cr_assert_eq(scx_topo_builder_add_llc(b, 0, 2, 2, 4000000), 0);
	cr_assert_eq(scx_topo_builder_add_llc(b, 0, 4, 1, 2000000), 0);
	topo = scx_topo_builder_build(b, NULL);
	cr_assert_not_null(topo, "%s", strerror(errno));
	m = scx_power_profile_primary(topo, SCX_POWER_PROFILE_POWER_SAVER);
	cr_assert_not_null(m);
	scx_cpumask_format_list(m, buf, sizeof(buf));
	cr_assert_str_eq(buf, "4-7", "power-saver: the little cores");
	cr_assert(scx_cpumask_equal(m, scx_power_profile_primary(topo,
						SCX_POWER_PROFILE_BALANCED_POWER)));
	cr_assert(scx_cpumask_equal(m, scx_topo_primary(topo, SCX_TOPO_POWER_POWERSAVE)));
	m = scx_power_profile_primary(topo, SCX_POWER_PROFILE_PERFORMANCE);
	scx_cpumask_format_list(m, buf, sizeof(buf));
	cr_assert_str_eq(buf, "0-3", "performance: the big cores");
	m = scx_power_profile_primary(topo, SCX_POWER_PROFILE_BALANCED);
	scx_cpumask_format_list(m, buf, sizeof(buf));
	cr_assert_str_eq(buf, "0-7");
	m = scx_power_profile_primary(topo, SCX_POWER_PROFILE_UNKNOWN);
	cr_assert(scx_cpumask_equal(m, scx_topo_primary(topo, SCX_TOPO_POWER_ANY)));
	cr_assert_null(scx_power_profile_primary(topo, (enum scx_power_profile)9));
	cr_assert_eq(errno, EINVAL);
	cr_assert_null(scx_power_profile_primary(NULL, SCX_POWER_PROFILE_BALANCED));
	cr_assert_eq(errno, EINVAL);
	scx_topo_free(topo);
	scx_topo_builder_free(b);
}

Test(power_profile, bad_options)
{
	struct scx_power_profile_opts o = { .sz = 1 };

	cr_assert_eq(scx_power_profile_read(&o, NULL), -EINVAL);
	cr_assert_eq(errno, EINVAL);
}

#ifdef HAVE_LIBSYSTEMD
static enum scx_power_profile seen[16];
static int nr_seen;

static void record(enum scx_power_profile p, void *ctx)
{
	cr_assert_eq(ctx, &nr_seen);
	if (nr_seen < (int)(sizeof(seen) / sizeof(seen[0])))
		seen[nr_seen] = p;
	nr_seen++;
}

static struct scx_power_profile_watch *watch_on_bus(void)
{
	SCX_OPTS(scx_power_profile_opts, opts, .bus_address = bus_addr);
	struct scx_power_profile_watch *w;

	nr_seen = 0;
	w = scx_power_profile_watch_open(&opts, record, &nr_seen);
	cr_assert_not_null(w, "%s", strerror(errno));
	return w;
}

/* Poll @w until the callback has been called @n times in all, for at most 10 s. */
static void wait_calls(struct scx_power_profile_watch *w, int n)
{
	time_t end = time(NULL) + 10;

	while (nr_seen < n && time(NULL) < end)
		cr_assert_geq(scx_power_profile_watch_poll(w, 500), 0, "%s", strerror(errno));
	cr_assert_eq(nr_seen, n, "%d callbacks, %d expected", nr_seen, n);
}
#endif

Test(power_profile, watch_follows_each_change_once)
{
#ifdef HAVE_LIBSYSTEMD
	struct scx_power_profile_watch *w;

	start_bus();
	start_service("net.hadess.PowerProfiles", "/net/hadess/PowerProfiles", "balanced");
	w = watch_on_bus();
	cr_assert_eq(scx_power_profile_watch_poll(w, 0), 0, "nothing changed yet");
	tell_service("set performance");
	wait_calls(w, 1);
	cr_assert_eq(seen[0], SCX_POWER_PROFILE_PERFORMANCE);
	/* the same profile signalled again is no change; the next one is */
	tell_service("set performance");
	tell_service("set power-saver");
	wait_calls(w, 2);
	cr_assert_eq(seen[1], SCX_POWER_PROFILE_POWER_SAVER);
	cr_assert_eq(scx_power_profile_watch_poll(w, 200), 0);
	cr_assert_eq(nr_seen, 2);
	scx_power_profile_watch_close(w);
#else
	cr_skip_test("built without libsystemd (--with-dbus=no)");
#endif
}

Test(power_profile, watch_reads_an_invalidated_profile_through_its_descriptor)
{
#ifdef HAVE_LIBSYSTEMD
	struct scx_power_profile_watch *w;
	struct pollfd p;

	start_bus();
	start_service("org.freedesktop.UPower.PowerProfiles",
		      "/org/freedesktop/UPower/PowerProfiles", "balanced");
	w = watch_on_bus();
	p.fd = scx_power_profile_watch_fd(w);
	p.events = POLLIN;
	cr_assert_geq(p.fd, 0);
	tell_service("invalidate power-saver");
	while (nr_seen == 0) {
		cr_assert_eq(poll(&p, 1, 10000), 1, "the descriptor became readable");
		cr_assert_geq(scx_power_profile_watch_poll(w, 0), 0, "%s", strerror(errno));
	}
	cr_assert_eq(nr_seen, 1);
	cr_assert_eq(seen[0], SCX_POWER_PROFILE_POWER_SAVER);
	scx_power_profile_watch_close(w);
#else
	cr_skip_test("built without libsystemd (--with-dbus=no)");
#endif
}

Test(power_profile, watch_follows_a_daemon_that_starts_later)
{
#ifdef HAVE_LIBSYSTEMD
	struct scx_power_profile_watch *w;

	start_bus();
	w = watch_on_bus();
	cr_assert_eq(scx_power_profile_watch_poll(w, 100), 0);
	start_service("net.hadess.PowerProfiles", "/net/hadess/PowerProfiles", "performance");
	wait_calls(w, 1);
	cr_assert_eq(seen[0], SCX_POWER_PROFILE_PERFORMANCE, "read when the daemon appeared");
	tell_service("set balanced");
	wait_calls(w, 2);
	cr_assert_eq(seen[1], SCX_POWER_PROFILE_BALANCED);
	scx_power_profile_watch_close(w);
#else
	cr_skip_test("built without libsystemd (--with-dbus=no)");
#endif
}

Test(power_profile, watch_on_a_closed_bus_is_an_error)
{
#ifdef HAVE_LIBSYSTEMD
	struct scx_power_profile_watch *w;
	time_t start;
	int r;

	start_bus();
	w = watch_on_bus();
	stop(&bus_pid);
	start = time(NULL);
	do
		r = scx_power_profile_watch_poll(w, 5000);
	while (r == 0 && time(NULL) - start < 10);
	cr_assert_eq(r, -ENOTCONN);
	cr_assert_eq(errno, ENOTCONN);
	cr_assert_lt(time(NULL) - start, 5, "no wait for the timeout");
	cr_assert_eq(scx_power_profile_watch_poll(w, 0), -ENOTCONN);
	scx_power_profile_watch_close(w);
#else
	cr_skip_test("built without libsystemd (--with-dbus=no)");
#endif
}

Test(power_profile, watch_refuses_bad_arguments)
{
	SCX_OPTS(scx_power_profile_opts, no_dbus, .no_dbus = true);
	SCX_OPTS(scx_power_profile_opts, opts, .bus_address = bus_addr);
	struct scx_power_profile_opts bad = { .sz = 1 };
	int dummy;

	scx_power_profile_watch_close(NULL);
#ifdef HAVE_LIBSYSTEMD
	cr_assert_null(scx_power_profile_watch_open(&bad, record, NULL));
	cr_assert_eq(errno, EINVAL);
	cr_assert_null(scx_power_profile_watch_open(NULL, NULL, NULL));
	cr_assert_eq(errno, EINVAL);
	cr_assert_null(scx_power_profile_watch_open(&no_dbus, record, NULL));
	cr_assert_eq(errno, EINVAL);
	snprintf(bus_addr, sizeof(bus_addr), "unix:path=%s", fstree_path(&t, "no-such-socket"));
	cr_assert_null(scx_power_profile_watch_open(&opts, record, &dummy));
	cr_assert(errno == ENOENT || errno == ECONNREFUSED, "%s", strerror(errno));
	snprintf(bus_addr, sizeof(bus_addr), "this is not an address");
	cr_assert_null(scx_power_profile_watch_open(&opts, record, &dummy));
	cr_assert_eq(errno, ECONNREFUSED, "sd-bus finds nothing to reach: %s", strerror(errno));
	cr_assert_eq(scx_power_profile_watch_fd(NULL), -EINVAL);
	cr_assert_eq(scx_power_profile_watch_poll(NULL, 0), -EINVAL);
	cr_assert_eq(errno, EINVAL);
#else
	(void)bad;
	(void)no_dbus;
	cr_assert_null(scx_power_profile_watch_open(&opts, NULL, &dummy));
	cr_assert_eq(errno, EOPNOTSUPP);
#endif
}
