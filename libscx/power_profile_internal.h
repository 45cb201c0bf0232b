/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * What the power profile's reader and its watch share: the daemon's bus names and the D-Bus
 * calls that ask it.
 */
#ifndef SCX_POWER_PROFILE_INTERNAL_H
#define SCX_POWER_PROFILE_INTERNAL_H

#include "config.h"

#ifdef HAVE_LIBSYSTEMD
#include <stddef.h>
#include <systemd/sd-bus.h>

#include <scx/power_profile.h>

/* power-profiles-daemon's two names: the historical one and the one it took under UPower. */
struct scx_ppd_name {
	const char *name;	/* bus name, also the interface */
	const char *path;	/* object path */
};

#define SCX_PPD_NR_NAMES 2
extern const struct scx_ppd_name scx_ppd_names[SCX_PPD_NR_NAMES];

/* Connect to @address (a "unix:path=..." address), or to the system bus when NULL. */
int scx_ppd_connect(const char *address, sd_bus **out);

/* The ActiveProfile of the daemon under scx_ppd_names[@i]; -errno when it does not answer. */
int scx_ppd_get(sd_bus *bus, size_t i);

/* The profile of a name the daemon gives: only its own three names are known. */
enum scx_power_profile scx_ppd_profile(const char *name);
#endif

#endif /* SCX_POWER_PROFILE_INTERNAL_H */
