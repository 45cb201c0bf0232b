// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * The system's power profile; see include/scx/power_profile.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <scx/power_profile.h>

#include "internal.h"
#include "power_profile_internal.h"
#include "sysfs.h"

#define CPUFREQ0 "sys/devices/system/cpu/cpu0/cpufreq"
#define POLICY0 "sys/devices/system/cpu/cpufreq/policy0"
/* An energy_performance_preference or scaling_governor value ("balance_performance"). */
#define CPUFREQ_WORD_MAX 128

static const char *const names[] = {
	[SCX_POWER_PROFILE_UNKNOWN] = "unknown",
	[SCX_POWER_PROFILE_POWER_SAVER] = "power-saver",
	[SCX_POWER_PROFILE_BALANCED] = "balanced",
	[SCX_POWER_PROFILE_PERFORMANCE] = "performance",
	[SCX_POWER_PROFILE_BALANCED_POWER] = "balanced-power",
};

const char *scx_power_profile_name(enum scx_power_profile profile)
{
	if ((unsigned int)profile >= ARRAY_SIZE(names))
		return names[SCX_POWER_PROFILE_UNKNOWN];
	return names[profile];
}

const struct scx_cpumask *scx_power_profile_primary(const struct scx_topo *topo,
						    enum scx_power_profile profile)
{
	static const enum scx_topo_power_mode modes[] = {
		[SCX_POWER_PROFILE_UNKNOWN] = SCX_TOPO_POWER_ANY,
		[SCX_POWER_PROFILE_POWER_SAVER] = SCX_TOPO_POWER_POWERSAVE,
		[SCX_POWER_PROFILE_BALANCED] = SCX_TOPO_POWER_ANY,
		[SCX_POWER_PROFILE_PERFORMANCE] = SCX_TOPO_POWER_PERFORMANCE,
		/* leaning to power: the little cores, as scx_bpfland's automatic domain does */
		[SCX_POWER_PROFILE_BALANCED_POWER] = SCX_TOPO_POWER_POWERSAVE,
	};

	if (!topo || (unsigned int)profile >= ARRAY_SIZE(modes))
		return scx_err_ptr(-EINVAL);
	return scx_topo_primary(topo, modes[profile]);
}

enum scx_power_profile scx_power_profile_from_name(const char *name)
{
	unsigned int i;

	for (i = SCX_POWER_PROFILE_POWER_SAVER; name && i < ARRAY_SIZE(names); i++)
		if (!strcmp(name, names[i]))
			return (enum scx_power_profile)i;
	return SCX_POWER_PROFILE_UNKNOWN;
}

#ifdef HAVE_LIBSYSTEMD
/*
 * The daemon knows only three names; "balanced-power" is this library's, so a daemon that
 * answers it is as unknown as any other word.
 */
enum scx_power_profile scx_ppd_profile(const char *name)
{
	enum scx_power_profile p = scx_power_profile_from_name(name);

	return p == SCX_POWER_PROFILE_BALANCED_POWER ? SCX_POWER_PROFILE_UNKNOWN : p;
}

const struct scx_ppd_name scx_ppd_names[SCX_PPD_NR_NAMES] = {
	{ "net.hadess.PowerProfiles", "/net/hadess/PowerProfiles" },
	{ "org.freedesktop.UPower.PowerProfiles", "/org/freedesktop/UPower/PowerProfiles" },
};

int scx_ppd_connect(const char *address, sd_bus **out)
{
	sd_bus *bus = NULL;
	int err;

	if (!address)
		err = sd_bus_open_system(&bus);
	else
		err = sd_bus_new(&bus);
	if (err >= 0 && address) {
		err = sd_bus_set_address(bus, address);
		if (err >= 0)
			err = sd_bus_set_bus_client(bus, 1);
		if (err >= 0)
			err = sd_bus_start(bus);
	}
	if (err < 0) {
		sd_bus_unref(bus);
		return err;
	}
	/* a daemon that hangs must not hang the scheduler */
	sd_bus_set_method_call_timeout(bus, 2 * 1000 * 1000);
	*out = bus;
	return 0;
}

int scx_ppd_get(sd_bus *bus, size_t i)
{
	sd_bus_error error = SD_BUS_ERROR_NULL;
	char *profile = NULL;
	int err;

	err = sd_bus_get_property_string(bus, scx_ppd_names[i].name, scx_ppd_names[i].path,
					 scx_ppd_names[i].name, "ActiveProfile", &error, &profile);
	if (err < 0) {
		scx_dbg("%s: %s", scx_ppd_names[i].name,
			error.message ? error.message : strerror(-err));
		sd_bus_error_free(&error);
		return err;
	}
	err = (int)scx_ppd_profile(profile);
	if (err == SCX_POWER_PROFILE_UNKNOWN)
		scx_warn("power-profiles-daemon reports an unknown profile '%s'", profile);
	free(profile);
	return err;
}

/* The daemon's ActiveProfile, or -errno when no daemon answers. */
static int read_dbus(const char *address)
{
	sd_bus *bus = NULL;
	size_t i;
	int err;

	err = scx_ppd_connect(address, &bus);
	if (err < 0) {
		scx_dbg("no D-Bus connection%s%s: %s", address ? " to " : "",
			address ? address : "", strerror(-err));
		return err;
	}
	for (i = 0, err = -ENOENT; i < SCX_PPD_NR_NAMES && err < 0; i++)
		err = scx_ppd_get(bus, i);
	sd_bus_flush_close_unref(bus);
	return err < 0 ? -ENOENT : err;
}
#endif

static int read_cpufreq(struct scx_sysfs *fs, const char *file, char *buf, size_t sz)
{
	int ret = scx_sysfs_read(fs, buf, sz, CPUFREQ0 "/%s", file);

	if (ret == -ENOENT)
		ret = scx_sysfs_read(fs, buf, sz, POLICY0 "/%s", file);
	return ret;
}

static const struct sysfs_word {
	const char *word;
	enum scx_power_profile profile;
} epp_words[] = {
	{ "power", SCX_POWER_PROFILE_POWER_SAVER },
	{ "balance_power", SCX_POWER_PROFILE_POWER_SAVER },
	{ "balance_performance", SCX_POWER_PROFILE_BALANCED },
	{ "default", SCX_POWER_PROFILE_BALANCED },
	{ "performance", SCX_POWER_PROFILE_PERFORMANCE },
}, governor_words[] = {
	{ "powersave", SCX_POWER_PROFILE_POWER_SAVER },
	{ "performance", SCX_POWER_PROFILE_PERFORMANCE },
}, scx_utils_words[] = {
	/* scx_utils reads the EPP and the governor through one table */
	{ "power", SCX_POWER_PROFILE_POWER_SAVER },
	{ "powersave", SCX_POWER_PROFILE_POWER_SAVER },
	{ "balance_power", SCX_POWER_PROFILE_BALANCED_POWER },
	{ "balance_performance", SCX_POWER_PROFILE_BALANCED },
	{ "performance", SCX_POWER_PROFILE_PERFORMANCE },
};

static enum scx_power_profile word_profile(const struct sysfs_word *words, size_t n,
					   const char *word, enum scx_power_profile other)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(word, words[i].word))
			return words[i].profile;
	return other;
}

static enum scx_power_profile epp_profile(const char *word, bool scx_utils)
{
	if (scx_utils)
		return word_profile(scx_utils_words, ARRAY_SIZE(scx_utils_words), word,
				    SCX_POWER_PROFILE_UNKNOWN);
	/* anything else is a raw number */
	return word_profile(epp_words, ARRAY_SIZE(epp_words), word, SCX_POWER_PROFILE_UNKNOWN);
}

static enum scx_power_profile governor_profile(const char *word, bool scx_utils)
{
	if (scx_utils)
		return word_profile(scx_utils_words, ARRAY_SIZE(scx_utils_words), word,
				    SCX_POWER_PROFILE_UNKNOWN);
	return word_profile(governor_words, ARRAY_SIZE(governor_words), word,
			    SCX_POWER_PROFILE_BALANCED);
}

static int read_sysfs(const char *root, bool scx_utils, enum scx_power_profile_source *source)
{
	struct scx_sysfs fs;
	char buf[CPUFREQ_WORD_MAX];
	int err;

	err = scx_sysfs_init(&fs, root);
	if (err)
		return err;
	err = read_cpufreq(&fs, "energy_performance_preference", buf, sizeof(buf));
	if (err >= 0) {
		*source = SCX_POWER_PROFILE_SRC_EPP;
		err = (int)epp_profile(buf, scx_utils);
		goto out;
	}
	err = read_cpufreq(&fs, "scaling_governor", buf, sizeof(buf));
	if (err >= 0) {
		*source = SCX_POWER_PROFILE_SRC_GOVERNOR;
		err = (int)governor_profile(buf, scx_utils);
		goto out;
	}
	scx_dbg("no power profile: no daemon, no EPP and no governor under '%s'", fs.root);
	err = -ENOENT;
out:
	scx_sysfs_fini(&fs);
	return err;
}

int scx_power_profile_read(const struct scx_power_profile_opts *opts,
			   enum scx_power_profile_source *source)
{
	enum scx_power_profile_source src = SCX_POWER_PROFILE_SRC_DBUS;
	int ret;

	ret = SCX_OPTS_VALID(opts, scx_power_profile_opts);
	if (ret)
		return scx_errno(ret);
#ifdef HAVE_LIBSYSTEMD
	if (!SCX_OPTS_GET(opts, no_dbus, false)) {
		ret = read_dbus(SCX_OPTS_GET(opts, bus_address, NULL));
		if (ret >= 0)
			goto out;
	}
#endif
	ret = read_sysfs(SCX_OPTS_GET(opts, sysfs_root, NULL),
			 SCX_OPTS_GET(opts, scx_utils_mapping, false), &src);
	if (ret < 0)
		return scx_errno(ret);
#ifdef HAVE_LIBSYSTEMD
out:
#endif
	if (source)
		*source = src;
	return ret;
}
