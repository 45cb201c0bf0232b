/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * The system's power profile: power-profiles-daemon's ActiveProfile over the system D-Bus when
 * the daemon is there, else what the CPU's energy-performance preference (or, without one, its
 * cpufreq governor) says.
 */
#ifndef SCX_POWER_PROFILE_H
#define SCX_POWER_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <scx/base.h>
#include <scx/cpumask.h>
#include <scx/topo.h>

SCX_BEGIN_DECLS

/** Power profiles, as power-profiles-daemon names them. */
enum scx_power_profile {
	SCX_POWER_PROFILE_UNKNOWN = 0,		/**< a name or setting this library does not know */
	SCX_POWER_PROFILE_POWER_SAVER = 1,	/**< "power-saver" */
	SCX_POWER_PROFILE_BALANCED = 2,		/**< "balanced" */
	SCX_POWER_PROFILE_PERFORMANCE = 3,	/**< "performance" */
	/**
	 * "balanced-power": balanced, leaning to power saving (EPP "balance_power"), scx_utils'
	 * Balanced { power: true }; only read with scx_power_profile_opts.scx_utils_mapping.
	 */
	SCX_POWER_PROFILE_BALANCED_POWER = 4,
};

/** Where scx_power_profile_read() found the profile. */
enum scx_power_profile_source {
	SCX_POWER_PROFILE_SRC_DBUS = 0,		/**< power-profiles-daemon's ActiveProfile */
	SCX_POWER_PROFILE_SRC_EPP = 1,		/**< CPU 0's energy_performance_preference */
	SCX_POWER_PROFILE_SRC_GOVERNOR = 2,	/**< CPU 0's scaling_governor */
};

/** Options for scx_power_profile_read(); fill with SCX_OPTS(scx_power_profile_opts, name, ...). */
struct scx_power_profile_opts {
	size_t sz;		/**< sizeof(struct scx_power_profile_opts) */
	const char *sysfs_root;	/**< root of a captured tree; NULL: $SCX_SYSFS_PREFIX, else / */
	const char *bus_address; /**< for tests: a D-Bus address ("unix:path=...") to ask instead
				      of the system bus */
	bool no_dbus;		/**< skip D-Bus: read sysfs only */
	bool scx_utils_mapping;	/**< read EPP and governor words as scx_utils'
				      fetch_power_profile() does (see scx_power_profile_read()) */
	size_t :0;
};

/**
 * scx_power_profile_read() - the system's power profile.
 * @opts: options, or NULL for the defaults.
 * @source: if not NULL, set to where the profile came from.
 *
 * Asks the system bus (or opts->bus_address) for the ActiveProfile property of
 * net.hadess.PowerProfiles at /net/hadess/PowerProfiles, then of
 * org.freedesktop.UPower.PowerProfiles at /org/freedesktop/UPower/PowerProfiles.  Without an
 * answer (no bus, no daemon, a library built without libsystemd), CPU 0's EPP decides: "power"
 * and "balance_power" are power-saver, "balance_performance" and "default" balanced,
 * "performance" performance; without EPP, its governor: "powersave" is power-saver,
 * "performance" performance, any other balanced.  A profile name the daemon gives that this
 * library does not know is SCX_POWER_PROFILE_UNKNOWN.
 *
 * With opts->scx_utils_mapping, the EPP or (without one) the governor is read through
 * scx_utils' single table instead: "power" and "powersave" are power-saver, "balance_power"
 * SCX_POWER_PROFILE_BALANCED_POWER, "balance_performance" balanced, "performance"
 * performance, and any other word ("default", "schedutil", a raw number) unknown.  The
 * daemon's names read the same either way.
 *
 * Return: the profile (>= 0), or -errno: -EINVAL for bad options, -ENOENT when neither the
 * daemon nor sysfs tells (no EPP, no governor), -ENOTDIR/-ENOENT for a root that does not exist;
 * -EACCES, -ELOOP, -EMFILE, -ENAMETOOLONG or -ENFILE when a file or folder of the tree cannot
 * be opened (open(2)).
 */
SCX_API int scx_power_profile_read(const struct scx_power_profile_opts *opts,
				   enum scx_power_profile_source *source);

/**
 * scx_power_profile_name() - the daemon's name of a profile.
 * @profile: a profile.
 * Return: "power-saver", "balanced", "performance", "balanced-power", or "unknown" (for
 * UNKNOWN and any other value).
 */
SCX_API const char *scx_power_profile_name(enum scx_power_profile profile);

/**
 * scx_power_profile_from_name() - the profile of a daemon's name.
 * @name: "power-saver", "balanced", "performance" or "balanced-power".
 * Return: the profile; SCX_POWER_PROFILE_UNKNOWN for any other name or NULL.
 */
SCX_API enum scx_power_profile scx_power_profile_from_name(const char *name);

/**
 * scx_power_profile_primary() - the CPUs a scheduler should prefer in a power profile.
 * @topo: the machine's topology (scx_topo_load()).
 * @profile: a profile.
 *
 * power-saver and balanced-power prefer the little cores (SCX_TOPO_POWER_POWERSAVE), as
 * scx_bpfland's automatic primary domain does, performance the big and
 * turbo cores (SCX_TOPO_POWER_PERFORMANCE), balanced and unknown every online CPU
 * (SCX_TOPO_POWER_ANY); a machine without the preferred kind of core gives every CPU.
 *
 * Return: the mask, owned by @topo, or NULL with errno EINVAL (NULL @topo or an unknown
 * @profile).
 */
SCX_API const struct scx_cpumask *scx_power_profile_primary(const struct scx_topo *topo,
							    enum scx_power_profile profile);

/** A watch on the daemon's profile (scx_power_profile_watch_open()). */
struct scx_power_profile_watch;

/**
 * typedef scx_power_profile_watch_fn - told of a new power profile.
 * @profile: the daemon's ActiveProfile now (SCX_POWER_PROFILE_UNKNOWN for a name this library
 *	     does not know).
 * @ctx: the caller's pointer given to scx_power_profile_watch_open().
 */
typedef void (*scx_power_profile_watch_fn)(enum scx_power_profile profile, void *ctx);

/**
 * scx_power_profile_watch_open() - follow power-profiles-daemon's profile as it changes.
 * @opts: options, or NULL for the defaults; bus_address chooses the bus as for
 *	  scx_power_profile_read(), the sysfs fields do not matter, and no_dbus is refused.
 * @fn: called from scx_power_profile_watch_poll() once for each change of ActiveProfile.
 * @ctx: passed to @fn.
 *
 * Subscribes to the PropertiesChanged signals of net.hadess.PowerProfiles at
 * /net/hadess/PowerProfiles and of org.freedesktop.UPower.PowerProfiles at
 * /org/freedesktop/UPower/PowerProfiles.  A signal that only invalidates ActiveProfile has the
 * profile read from the daemon; a daemon that takes its name on the bus after the watch was
 * opened (or again, after a restart) is followed too, and its profile read then.  @fn is called
 * only when the profile differs from the one it was last told (or, at first, from the one the
 * daemon had when the watch was opened), so the daemon's two names signalling one change make
 * one call.  No daemon on the bus is not an error: the watch waits for one.  The handle belongs
 * to one thread at a time, and to the process that opened it.
 *
 * Return: the watch, or NULL with errno set: EINVAL for bad options, a NULL @fn or no_dbus;
 * ENOMEM; ENOENT, EACCES or ECONNREFUSED when the bus cannot be reached (ECONNREFUSED also for
 * an address that does not parse); EOPNOTSUPP in a library built without libsystemd.
 */
SCX_API struct scx_power_profile_watch *
scx_power_profile_watch_open(const struct scx_power_profile_opts *opts,
			     scx_power_profile_watch_fn fn, void *ctx);

/**
 * scx_power_profile_watch_fd() - the descriptor to poll for the watch.
 * @w: a watch.
 *
 * When it is readable (POLLIN), call scx_power_profile_watch_poll() with a timeout of 0.
 * scx_power_profile_watch_poll() leaves nothing read but unprocessed, so the descriptor alone
 * tells when there is more.
 *
 * Return: the descriptor (>= 0), owned by @w, or -EINVAL for a NULL @w.
 */
SCX_API int scx_power_profile_watch_fd(const struct scx_power_profile_watch *w);

/**
 * scx_power_profile_watch_poll() - process the bus traffic of a watch.
 * @w: a watch.
 * @timeout_ms: how long to wait for a change: 0 processes what is pending and returns, -1
 *		waits without end.
 *
 * Processes every message pending, calling the watch's callback for each change, and when
 * there was none waits up to @timeout_ms for one.
 *
 * Return: the number of callbacks made (>= 0; 0 when the time ran out), or -errno: -EINVAL for
 * a NULL @w, -ENOTCONN when the bus connection has closed (the watch is then of no further use:
 * close it), -EINTR when a signal interrupted the wait, -ENOMEM.
 */
SCX_API int scx_power_profile_watch_poll(struct scx_power_profile_watch *w, int timeout_ms);

/**
 * scx_power_profile_watch_close() - stop watching and free the watch.
 * @w: a watch, or NULL.
 */
SCX_API void scx_power_profile_watch_close(struct scx_power_profile_watch *w);

SCX_END_DECLS

#endif /* SCX_POWER_PROFILE_H */
