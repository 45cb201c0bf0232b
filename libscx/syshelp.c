// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * CPU-id width and privilege-aware writes; see syshelp.h.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cpumask_internal.h"
#include "internal.h"
#include "syshelp.h"

int scx_sys_cpu_width(struct scx_sysfs *fs)
{
	char buf[SCX_SYSFS_MAX_ATTR];	/* a list with holes can be long: take a whole attribute */
	int ret;

	ret = scx_sysfs_read(fs, buf, sizeof(buf), "sys/devices/system/cpu/possible");
	if (ret < 0)
		return ret;
	ret = scx_cpulist_max(buf);
	return ret < 0 ? ret : ret + 1;
}

bool scx_sys_write_refused(const struct scx_sysfs *fs, const char *what)
{
	if (!fs->fake || fs->allow_write)
		return false;
	scx_err("refusing to change %s under '%s': not this system's root", what, fs->root);
	return true;
}

int scx_sys_write_priv(struct scx_sysfs *fs, const char *cap, const char *val, const char *path)
{
	int err = scx_sysfs_write(fs, val, "%s", path);

	if (err == -EACCES || err == -EPERM)
		scx_err("cannot write '%s' to %s: %s (needs %s)", val, path, strerror(-err), cap);
	else if (err && err != -EROFS)
		scx_dbg("cannot write '%s' to %s: %s", val, path, strerror(-err));
	return err;
}
