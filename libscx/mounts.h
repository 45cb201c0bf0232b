/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * The mounts the kernel lists in proc/mounts, read through the sysfs layer (so a captured
 * root's own list is used).
 */
#ifndef SCX_MOUNTS_H
#define SCX_MOUNTS_H

#include <stddef.h>

#include "sysfs.h"

/*
 * Call @fn for each mount of file system type @fstype, in the order listed, with its mount
 * point relative to the root ("sys/kernel/tracing"; "" for the root itself) and its octal
 * escapes ("\040") undone.  @fn returns 0 to go on, anything else to stop; that value is
 * returned.  Returns 0 when the list was read to its end, or -errno when proc/mounts cannot be
 * read.
 */
int scx_mounts_each(struct scx_sysfs *fs, const char *fstype,
		    int (*fn)(const char *mnt, void *ctx), void *ctx);

#endif /* SCX_MOUNTS_H */
