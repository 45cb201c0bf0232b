/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/* scx_topovt: what its BPF and userspace halves share. */
#ifndef SCX_TOPOVT_H
#define SCX_TOPOVT_H

enum topovt_consts {
	TOPOVT_MAX_CPUS = 1024,			/* CPU ids the maps can hold */
	TOPOVT_MASK_WORDS = TOPOVT_MAX_CPUS / 64,
	TOPOVT_MAX_LLCS = 256,
};

/* Value of the llc_cpus map: the CPUs of one LLC, bit n of word w is CPU 64 * w + n. */
struct topovt_llc_cpus {
	unsigned long long words[TOPOVT_MASK_WORDS];
};

/* Indices of the per-CPU "stats" array. */
enum topovt_stat {
	TOPOVT_STAT_PREV_CORE,		/* woke on its previous CPU, whose whole core was idle */
	TOPOVT_STAT_IDLE_CORE,		/* woke on a CPU of a fully idle core in its LLC */
	TOPOVT_STAT_IDLE_CPU,		/* woke on another idle CPU of its LLC (or its previous) */
	TOPOVT_STAT_QUEUED,		/* queued on its LLC's vtime DSQ */
	TOPOVT_STAT_LOCAL_LLC,		/* a CPU took work from its own LLC's DSQ */
	TOPOVT_STAT_STOLEN,		/* a CPU took work from another LLC's DSQ */
	TOPOVT_STAT_WAIT_BEGIN,		/* a task that was not waiting was queued */
	TOPOVT_STAT_WAIT_END,		/* a queued task started running */
	TOPOVT_NR_STATS,
};

#endif /* SCX_TOPOVT_H */
