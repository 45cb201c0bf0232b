// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * proc/mounts, one line per mount: "device mount-point type options dump pass".
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "mounts.h"

/* The whole list is small (a few KiB); this bounds a hostile one. */
#define MOUNTS_MAX_BYTES (1u << 20)

/* Turn the octal escapes of a /proc/mounts field ("\040" for a space) back into bytes. */
static void unescape_mount(char *s)
{
	char *out = s;

	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*out++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 4;
		} else {
			*out++ = *s++;
		}
	}
	*out = '\0';
}

int scx_mounts_each(struct scx_sysfs *fs, const char *fstype,
		    int (*fn)(const char *mnt, void *ctx), void *ctx)
{
	char *mounts = NULL, *line, *save = NULL;
	int ret;

	ret = scx_sysfs_read_alloc(fs, &mounts, MOUNTS_MAX_BYTES, "proc/mounts");
	if (ret < 0)
		return ret;
	ret = 0;
	for (line = strtok_r(mounts, "\n", &save); line && !ret;
	     line = strtok_r(NULL, "\n", &save)) {
		char *dev, *mnt, *type, *fsave = NULL;

		dev = strtok_r(line, " \t", &fsave);
		mnt = dev ? strtok_r(NULL, " \t", &fsave) : NULL;
		type = mnt ? strtok_r(NULL, " \t", &fsave) : NULL;
		if (!type || strcmp(type, fstype))
			continue;
		unescape_mount(mnt);
		while (*mnt == '/')
			mnt++;
		ret = fn(mnt, ctx);
	}
	free(mounts);
	return ret;
}
