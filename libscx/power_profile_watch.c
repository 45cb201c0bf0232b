// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * Following power-profiles-daemon's ActiveProfile through its PropertiesChanged signals; see
 * include/scx/power_profile.h.
 *
 * The match rules name the object path, the Properties interface and the daemon's interface
 * (arg0), not the sender: a well-known sender would have to be resolved to the daemon's unique
 * name, and a daemon that starts after the watch (or restarts) would then go unheard.  The
 * daemon appearing on the bus (NameOwnerChanged) is also a moment to read the profile anew.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <scx/power_profile.h>

#include "internal.h"
#include "power_profile_internal.h"

#ifdef HAVE_LIBSYSTEMD
struct scx_power_profile_watch {
	sd_bus *bus;
	scx_power_profile_watch_fn fn;
	void *ctx;
	int last;		/* the profile last told or read at open, or -1 */
	int nr_calls;		/* callbacks made by the current scx_power_profile_watch_poll() */
};

/* Tell the caller of @profile, unless it is the one last told (both daemon names signal). */
static void notify(struct scx_power_profile_watch *w, int profile)
{
	if (profile < 0 || profile == w->last)
		return;
	w->last = profile;
	w->nr_calls++;
	w->fn((enum scx_power_profile)profile, w->ctx);
}

static int daemon_index(const char *name)
{
	int i;

	for (i = 0; i < SCX_PPD_NR_NAMES; i++)
		if (name && !strcmp(name, scx_ppd_names[i].name))
			return i;
	return -1;
}

/* In the changed-properties dictionary (a{sv}): ActiveProfile's profile, 1 when absent. */
static int changed_profile(sd_bus_message *m, int *profile)
{
	int r;

	r = sd_bus_message_enter_container(m, 'a', "{sv}");
	if (r < 0)
		return r;
	while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
		const char *key, *value, *contents = NULL;

		r = sd_bus_message_read(m, "s", &key);
		if (r >= 0)
			r = sd_bus_message_peek_type(m, NULL, &contents);
		if (r < 0)
			return r;
		if (strcmp(key, "ActiveProfile") || !contents || strcmp(contents, "s")) {
			r = sd_bus_message_skip(m, "v");
		} else {
			r = sd_bus_message_read(m, "v", "s", &value);
			if (r >= 0)
				*profile = (int)scx_ppd_profile(value);
		}
		if (r < 0)
			return r;
		r = sd_bus_message_exit_container(m);
		if (r < 0)
			return r;
	}
	if (r < 0)
		return r;
	return sd_bus_message_exit_container(m);
}

/* In the invalidated-properties array (as): whether ActiveProfile is named. */
static int invalidated(sd_bus_message *m)
{
	const char *prop;
	int r, found = 0;

	r = sd_bus_message_enter_container(m, 'a', "s");
	if (r < 0)
		return r;
	while ((r = sd_bus_message_read(m, "s", &prop)) > 0)
		found |= !strcmp(prop, "ActiveProfile");
	if (r < 0)
		return r;
	return found;
}

static int on_properties_changed(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	struct scx_power_profile_watch *w = userdata;
	const char *iface;
	int i, r, profile = -1;

	if (sd_bus_message_read(m, "s", &iface) < 0 || (i = daemon_index(iface)) < 0)
		return 0;
	r = changed_profile(m, &profile);
	if (r >= 0 && profile < 0 && invalidated(m) > 0)
		profile = scx_ppd_get(sd_bus_message_get_bus(m), (size_t)i);
	if (r < 0)
		scx_dbg("%s: a PropertiesChanged signal that does not parse: %s", iface,
			strerror(-r));
	else
		notify(w, profile);
	return 0;
}

static int on_name_owner_changed(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	const char *name, *old_owner, *new_owner;
	int i;

	if (sd_bus_message_read(m, "sss", &name, &old_owner, &new_owner) < 0 || !*new_owner)
		return 0;
	i = daemon_index(name);
	if (i >= 0)
		notify(userdata, scx_ppd_get(sd_bus_message_get_bus(m), (size_t)i));
	return 0;
}

static int add_matches(struct scx_power_profile_watch *w)
{
	char rule[512];
	int i, err;

	for (i = 0; i < SCX_PPD_NR_NAMES; i++) {
		snprintf(rule, sizeof(rule),
			 "type='signal',interface='org.freedesktop.DBus.Properties',"
			 "member='PropertiesChanged',path='%s',arg0='%s'",
			 scx_ppd_names[i].path, scx_ppd_names[i].name);
		err = sd_bus_add_match(w->bus, NULL, rule, on_properties_changed, w);
		if (err < 0)
			return err;
		snprintf(rule, sizeof(rule),
			 "type='signal',sender='org.freedesktop.DBus',interface='org.freedesktop.DBus',"
			 "member='NameOwnerChanged',arg0='%s'", scx_ppd_names[i].name);
		err = sd_bus_add_match(w->bus, NULL, rule, on_name_owner_changed, w);
		if (err < 0)
			return err;
	}
	return 0;
}

static int initial_profile(sd_bus *bus)
{
	size_t i;
	int p;

	for (i = 0; i < SCX_PPD_NR_NAMES; i++) {
		p = scx_ppd_get(bus, i);
		if (p >= 0)
			return p;
	}
	return -1;
}

/* Keep to the documented codes: whatever else a bus connection fails with is unreachability. */
static int open_error(int err)
{
	switch (err) {
	case -EINVAL:
	case -ENOMEM:
	case -ENOENT:
	case -EACCES:
	case -ECONNREFUSED:
		return err;
	default:
		return -ECONNREFUSED;
	}
}

struct scx_power_profile_watch *
scx_power_profile_watch_open(const struct scx_power_profile_opts *opts,
			     scx_power_profile_watch_fn fn, void *ctx)
{
	struct scx_power_profile_watch *w;
	int err;

	err = SCX_OPTS_VALID(opts, scx_power_profile_opts);
	if (err)
		return scx_err_ptr(err);
	if (!fn || SCX_OPTS_GET(opts, no_dbus, false))
		return scx_err_ptr(-EINVAL);
	w = calloc(1, sizeof(*w));
	if (!w)
		return scx_err_ptr(-ENOMEM);
	w->fn = fn;
	w->ctx = ctx;
	err = scx_ppd_connect(SCX_OPTS_GET(opts, bus_address, NULL), &w->bus);
	if (err >= 0)
		err = add_matches(w);
	if (err < 0) {
		scx_dbg("cannot watch the power profile: %s", strerror(-err));
		scx_power_profile_watch_close(w);
		return scx_err_ptr(open_error(err));
	}
	w->last = initial_profile(w->bus);
	return w;
}

int scx_power_profile_watch_fd(const struct scx_power_profile_watch *w)
{
	if (!w)
		return scx_errno(-EINVAL);
	return scx_errno(sd_bus_get_fd(w->bus));
}

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* A closed or broken connection is ENOTCONN, whichever way sd-bus found out. */
static int poll_error(int err)
{
	return err == -EINTR || err == -ENOMEM ? err : -ENOTCONN;
}

/* Process everything pending; -errno when the connection is gone. */
static int drain(sd_bus *bus)
{
	int r;

	while ((r = sd_bus_process(bus, NULL)) > 0)
		;
	return r;
}

int scx_power_profile_watch_poll(struct scx_power_profile_watch *w, int timeout_ms)
{
	uint64_t deadline;
	int r;

	if (!w)
		return scx_errno(-EINVAL);
	w->nr_calls = 0;
	deadline = timeout_ms < 0 ? UINT64_MAX : now_us() + (uint64_t)timeout_ms * 1000;
	for (;;) {
		uint64_t now;

		r = drain(w->bus);
		if (r < 0)
			return scx_errno(poll_error(r));
		now = now_us();
		if (w->nr_calls || now >= deadline)
			return w->nr_calls;
		r = sd_bus_wait(w->bus, deadline == UINT64_MAX ? UINT64_MAX : deadline - now);
		if (r < 0)
			return scx_errno(poll_error(r));
	}
}

void scx_power_profile_watch_close(struct scx_power_profile_watch *w)
{
	if (!w)
		return;
	sd_bus_flush_close_unref(w->bus);
	free(w);
}
#else
struct scx_power_profile_watch *
scx_power_profile_watch_open(const struct scx_power_profile_opts *opts,
			     scx_power_profile_watch_fn fn, void *ctx)
{
	return scx_err_ptr(-EOPNOTSUPP);
}

int scx_power_profile_watch_fd(const struct scx_power_profile_watch *w)
{
	return scx_errno(-EINVAL);
}

int scx_power_profile_watch_poll(struct scx_power_profile_watch *w, int timeout_ms)
{
	return scx_errno(-EINVAL);
}

void scx_power_profile_watch_close(struct scx_power_profile_watch *w)
{
}
#endif
