/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * Helpers shared by the power, energy, IRQ and perf modules on top of the sysfs layer: the CPU-id
 * width of a system and writes that name the privilege they lack.  Not installed.
 */
#ifndef SCX_SYSHELP_H
#define SCX_SYSHELP_H

#include "sysfs.h"

/*
 * The CPU-id width (nr_cpu_ids) of the system under @fs: the last id of
 * sys/devices/system/cpu/possible plus one.  Returns it (> 0) or -errno.
 */
int scx_sys_cpu_width(struct scx_sysfs *fs);

/*
 * Write @val to @path under @fs.  Adds to a permission failure (-EACCES/-EPERM) an error
 * message naming the capability the caller lacks (@cap, e.g. "CAP_SYS_ADMIN").
 */
int scx_sys_write_priv(struct scx_sysfs *fs, const char *cap, const char *val, const char *path);

/* Whether writes under @fs are refused because it is a fake root (logs why when so). */
bool scx_sys_write_refused(const struct scx_sysfs *fs, const char *what);

#endif /* SCX_SYSHELP_H */
