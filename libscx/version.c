// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * Run-time version queries.
 */
#include "config.h"

#include <scx/version.h>

const char *scx_version(void)
{
	return LIBSCX_VERSION_STRING;
}

unsigned int scx_version_major(void)
{
	return LIBSCX_VERSION_MAJOR;
}

unsigned int scx_version_minor(void)
{
	return LIBSCX_VERSION_MINOR;
}

unsigned int scx_version_patch(void)
{
	return LIBSCX_VERSION_PATCH;
}
