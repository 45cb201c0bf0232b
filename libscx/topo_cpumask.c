// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * A cpumask seen through a topology: how many cores it touches, and the one-character-per-core
 * grid scx_utils' schedulers log their masks with.  Built on the public accessors only, so it
 * works on a loaded topology and a synthetic one alike and never reads the details parts.
 *
 * The grid walks nodes, then each node's LLCs, then each LLC's cores, by scanning the index
 * ranges instead of building per-node lists: that costs no allocation (so no -ENOMEM), and even
 * a machine of 8192 CPUs has few enough LLCs and cores for the scans to stay cheap.
 */
#include "config.h"


#include <scx/topo.h>

#include "internal.h"
#include "textout.h"

/* The core glyphs, in UTF-8: light shade, upper half, lower half and full block. */
#define GLYPH_NONE "\xe2\x96\x91"
#define GLYPH_FIRST "\xe2\x96\x80"
#define GLYPH_SECOND "\xe2\x96\x84"
#define GLYPH_ALL "\xe2\x96\x88"

/* Most cores in one blank-separated group of an LLC. */
#define GRID_GROUP_MAX 8u

static bool mask_fits(const struct scx_topo *topo, const struct scx_cpumask *mask)
{
	return topo && mask && scx_cpumask_width(mask) == (unsigned int)scx_topo_nr_cpu_ids(topo);
}

int scx_topo_cpumask_nr_cores(const struct scx_topo *topo, const struct scx_cpumask *mask)
{
	int core, nr, count = 0;

	if (!mask_fits(topo, mask))
		return scx_errno(-EINVAL);
	nr = scx_topo_nr_cores(topo);
	for (core = 0; core < nr; core++)
		count += scx_cpumask_intersects(scx_topo_core_span(topo, core), mask);
	return count;
}

/* Characters (not bytes) of UTF-8 text: every byte but the continuation bytes. */
static unsigned int utf8_width(const char *s)
{
	unsigned int n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/*
 * Which of the core's threads @mask holds.  Two threads tell first from second; with more, a
 * partial core shows as the lower half, as scx_utils draws it.
 */
static const char *core_glyph(const struct scx_cpumask *span, const struct scx_cpumask *mask)
{
	unsigned int nr = 0, nr_set = 0;
	bool first = false, second = false;
	int cpu;

	scx_cpumask_for_each(cpu, span) {
		bool set = scx_cpumask_test(mask, cpu);

		if (nr == 0)
			first = set;
		else if (nr == 1)
			second = set;
		nr++;
		nr_set += set;
	}
	if (nr == 2 && first != second)
		return first ? GLYPH_FIRST : GLYPH_SECOND;
	if (!nr_set)
		return GLYPH_NONE;
	return nr_set == nr ? GLYPH_ALL : GLYPH_SECOND;
}

static unsigned int llc_nr_cores(const struct scx_topo *topo, int llc)
{
	int core, nr = scx_topo_nr_cores(topo);
	unsigned int n = 0;

	for (core = 0; core < nr; core++)
		n += scx_topo_core_llc(topo, core) == llc;
	return n;
}

/* Characters of an LLC of @n cores: the cores and the blanks between their groups. */
static unsigned int llc_width(unsigned int n)
{
	return n + (n + GRID_GROUP_MAX - 1) / GRID_GROUP_MAX - 1;
}

/*
 * The LLC's cores in index order, split into ceil(n / 8) groups whose sizes differ by at most
 * one, the larger ones first.
 */
static void out_llc(struct scx_out *o, const struct scx_topo *topo, int llc, unsigned int n,
		    const struct scx_cpumask *mask)
{
	unsigned int groups = (n + GRID_GROUP_MAX - 1) / GRID_GROUP_MAX;
	unsigned int base = n / groups, rem = n % groups;
	unsigned int i = 0, group = 0, next_break = base + (rem > 0);
	int core, nr = scx_topo_nr_cores(topo);

	for (core = 0; core < nr; core++) {
		if (scx_topo_core_llc(topo, core) != llc)
			continue;
		if (i && i == next_break) {
			scx_out_char(o, ' ');
			group++;
			next_break += base + (group < rem);
		}
		scx_out_str(o, core_glyph(scx_topo_core_span(topo, core), mask));
		i++;
	}
}

/* "N<id> L<llc>: " with the LLC index in at least two digits; returns its width. */
static unsigned int out_prefix(struct scx_out *o, int node_id, int llc)
{
	size_t start = o->len;

	scx_out_char(o, 'N');
	scx_out_uint(o, (unsigned int)node_id);
	scx_out_str(o, llc < 10 ? " L0" : " L");
	scx_out_uint(o, (unsigned int)llc);
	scx_out_str(o, ": ");
	return (unsigned int)(o->len - start);
}

static void out_node(struct scx_out *o, const struct scx_topo *topo, int node,
		     const struct scx_cpumask *mask, const char *indent, unsigned int max_width)
{
	unsigned int col = 0, prefix = 0, n, w;
	int llc, nr = scx_topo_nr_llcs(topo);
	bool first = true;

	for (llc = 0; llc < nr; llc++) {
		if (scx_topo_llc_node(topo, llc) != node || !(n = llc_nr_cores(topo, llc)))
			continue;
		w = llc_width(n);
		if (first) {
			scx_out_str(o, indent);
			prefix = out_prefix(o, scx_topo_node_id(topo, node), llc);
			col = utf8_width(indent) + prefix;
		} else if (col + 1 + w > max_width) {
			/* wrap at the LLC boundary, under the first LLC */
			scx_out_char(o, '\n');
			scx_out_str(o, indent);
			for (col = 0; col < prefix; col++)
				scx_out_char(o, ' ');
			col = utf8_width(indent) + prefix;
		} else {
			scx_out_char(o, '|');
			col++;
		}
		out_llc(o, topo, llc, n, mask);
		col += w;
		first = false;
	}
	if (!first)
		scx_out_char(o, '\n');
}

int scx_topo_format_cpumask_grid(const struct scx_topo *topo, const struct scx_cpumask *mask,
				 const char *indent, unsigned int max_width, char *buf,
				 size_t size)
{
	struct scx_out o = { buf, size, 0 };
	int node, nr;

	if (!mask_fits(topo, mask) || (!buf && size))
		return scx_errno(-EINVAL);
	if (!indent)
		indent = "";
	nr = scx_topo_nr_nodes(topo);
	for (node = 0; node < nr; node++)
		out_node(&o, topo, node, mask, indent, max_width);
	return scx_out_finish(&o);
}
