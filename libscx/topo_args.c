// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * Command-line topology arguments in the form of scx_utils' TopologyArgs, so that a C scheduler
 * takes the same options as the Rust ones: "--virt-llc" alone (the default range of cores per
 * virtual LLC) or "--virt-llc=MIN-MAX".  Only the option's text is parsed here; the caller keeps
 * its own argument loop.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <scx/topo.h>

#include "cpumask_internal.h"
#include "internal.h"

#define VIRT_LLC "--virt-llc"

/* A decimal count of cores, 1 .. UINT_MAX, that is the whole of [s, end).  0 or -EINVAL. */
static int parse_cores(const char *s, const char *end, unsigned int *out)
{
	return scx_parse_count(&s, end, UINT_MAX, out) || s != end ? -EINVAL : 0;
}

/* "MIN-MAX" with 1 <= MIN <= MAX. */
static int parse_range(const char *s, unsigned int *min, unsigned int *max)
{
	const char *dash = strchr(s, '-');

	if (!dash || parse_cores(s, dash, min) || parse_cores(dash + 1, dash + strlen(dash), max))
		return -EINVAL;
	return *min <= *max ? 0 : -EINVAL;
}

int scx_topo_opts_parse_arg(struct scx_topo_opts *opts, const char *arg)
{
	unsigned int min = SCX_TOPO_VLLC_DEFAULT_MIN, max = SCX_TOPO_VLLC_DEFAULT_MAX;
	size_t n = strlen(VIRT_LLC);

	if (!opts || !arg || !SCX_OPTS_HAS(opts, vllc_max_cores))
		return scx_errno(-EINVAL);
	if (strncmp(arg, VIRT_LLC, n) || (arg[n] && arg[n] != '='))
		return 0;
	if (arg[n] == '=' && parse_range(arg + n + 1, &min, &max))
		return scx_errno(-EINVAL);
	opts->vllc_min_cores = min;
	opts->vllc_max_cores = max;
	/* scx_utils cuts the LLCs of such a scheduler by its own rule */
	if (SCX_OPTS_HAS(opts, vllc_rule))
		opts->vllc_rule = SCX_TOPO_VLLC_EVEN;
	return 1;
}
