/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/* scx_simplevt: what its BPF and userspace halves share. */
#ifndef SCX_SIMPLEVT_H
#define SCX_SIMPLEVT_H

/* Indices of the per-CPU "stats" array. */
enum simplevt_stat {
	SIMPLEVT_STAT_LOCAL,		/* woken onto an idle CPU's local DSQ in select_cpu */
	SIMPLEVT_STAT_GLOBAL,		/* queued on the shared vtime DSQ */
	SIMPLEVT_STAT_DISPATCHED,	/* moved from the shared DSQ to a CPU */
	SIMPLEVT_STAT_WAIT_BEGIN,	/* a task that was not waiting was queued */
	SIMPLEVT_STAT_WAIT_END,		/* a queued task started running */
	SIMPLEVT_NR_STATS,
};

#endif /* SCX_SIMPLEVT_H */
