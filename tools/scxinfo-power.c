// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * scxinfo's power section: the power profile and the power-management knobs a scheduler may
 * turn.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <scx/scx.h>

#include "scxinfo.h"

static const char *const source_names[] = {
	[SCX_POWER_PROFILE_SRC_DBUS] = "dbus",
	[SCX_POWER_PROFILE_SRC_EPP] = "epp",
	[SCX_POWER_PROFILE_SRC_GOVERNOR] = "governor",
};

static const struct {
	enum scx_pm_feature f;
	const char *name;
} features[] = {
	{ SCX_PM_QOS_LATENCY, "qos_latency" },
	{ SCX_PM_RESUME_LATENCY, "resume_latency" },
	{ SCX_PM_UNCORE, "uncore" },
	{ SCX_PM_TURBO, "turbo" },
	{ SCX_PM_EPP, "epp" },
};

void scxinfo_print_power(struct scxinfo *info)
{
	/* a captured tree is not this system: its power profile is not the bus's */
	SCX_OPTS(scx_power_profile_opts, popts, .sysfs_root = info->root,
		 .no_dbus = info->root != NULL);
	SCX_OPTS(scx_pm_opts, opts, .sysfs_root = info->root);
	enum scx_power_profile_source src = SCX_POWER_PROFILE_SRC_DBUS;
	int profile, turbo = -1;
	char epp[128] = "";
	struct scx_pm *pm;
	size_t i;

	profile = scx_power_profile_read(&popts, &src);
	pm = scx_pm_open(&opts);
	if (pm) {
		turbo = scx_pm_turbo_get(pm);
		if (scx_pm_epp_get(pm, 0, epp, sizeof(epp)) < 0)
			epp[0] = '\0';
	}
	if (info->json) {
		fputs("\"power\": {\"profile\": ", info->out);
		scxinfo_json_str(info->out, profile < 0 ? NULL :
				 scx_power_profile_name((enum scx_power_profile)profile));
		fputs(", \"profile_source\": ", info->out);
		scxinfo_json_str(info->out, profile < 0 ? NULL : source_names[src]);
		fprintf(info->out, ", \"turbo\": %s, \"epp\": ",
			turbo < 0 ? "null" : turbo ? "true" : "false");
		scxinfo_json_str(info->out, epp[0] ? epp : NULL);
		fputs(", \"supported\": {", info->out);
		for (i = 0; i < sizeof(features) / sizeof(features[0]); i++)
			fprintf(info->out, "%s\"%s\": %s", i ? ", " : "", features[i].name,
				scx_pm_supported(pm, features[i].f) ? "true" : "false");
		fputs("}}", info->out);
	} else {
		fputs("power: profile ", info->out);
		if (profile < 0)
			fputs("unknown (no power-profiles-daemon, EPP or governor)", info->out);
		else
			fprintf(info->out, "%s (from %s)",
				scx_power_profile_name((enum scx_power_profile)profile),
				source_names[src]);
		if (turbo >= 0)
			fprintf(info->out, ", turbo %s", turbo ? "on" : "off");
		if (epp[0])
			fprintf(info->out, ", EPP %s", epp);
		fputs("\n  knobs:", info->out);
		for (i = 0; i < sizeof(features) / sizeof(features[0]); i++)
			fprintf(info->out, " %s=%s", features[i].name,
				scx_pm_supported(pm, features[i].f) ? "yes" : "no");
		fputc('\n', info->out);
	}
	scx_pm_close(pm);
}
