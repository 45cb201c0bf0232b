/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * cid.bpf.h: CPU ids in topology order (cids) and cid masks (struct scx_cmask).
 *
 * Kernels from 7.2 number CPUs a second way, by topology: cids of one core, then one LLC, then
 * one node are consecutive, so ranges of cids are topology units and a mask over a range is
 * small.  A struct scx_cmask covers cids [base, base + nr_cids): bit (cid - base) of bits[],
 * alloc_words 64-bit words long, lives in a BPF arena.
 *
 * The __COMPAT_ wrappers give the cid view on every kernel: on kernels without cids, cid ==
 * CPU number (a valid, if topology-blind, numbering), so one scheduler can use cids throughout.
 */
#ifndef __SCX_CID_BPF_H
#define __SCX_CID_BPF_H

#include "bpf_arena_common.bpf.h"

/* 7.3: the cid numbering itself, per-cid performance, and sub-schedulers' capability grants. */
void scx_bpf_cid_override(const s32 __arena *cpu_to_cid__arena, u32 cpu_to_cid_cnt,
			  const s32 __arena *shard_start__arena, u32 shard_start_cnt) __ksym __weak;
s32 scx_bpf_cidperf_set(s32 cid, u32 perf) __ksym __weak;
const void __arena *scx_bpf_online_cmask(void) __ksym __weak;
bool scx_bpf_sub_dispatch(u64 cgroup_id) __ksym __weak;
s32 scx_bpf_sub_caps(u64 cgroup_id, u64 caps, struct scx_cmask __arena *out__arena) __ksym __weak;
s32 scx_bpf_sub_grant(u64 cgroup_id, u64 caps, const struct scx_cmask __arena *cmask__arena,
		      struct scx_cmask __arena *denied_out__arena__nullable) __ksym __weak;
void scx_bpf_sub_revoke(u64 cgroup_id, u64 caps,
			const struct scx_cmask __arena *cmask__arena) __ksym __weak;
s32 scx_bpf_sub_kill_bstr(u64 cgroup_id, char *fmt, unsigned long long *data,
			  u32 data__sz) __ksym __weak;

/* End the sub-scheduler of cgroup @cgroup_id with a printf-style message (7.3). */
#define scx_bpf_sub_kill(cgroup_id, fmt, args...)				\
	({									\
		__scx_bstr_prepare(fmt, ##args)					\
		scx_bpf_sub_kill_bstr(cgroup_id, ___scx_fmt, ___scx_data,	\
				      sizeof(___scx_data));			\
	})

#define __COMPAT_scx_bpf_nr_cids()						\
	(bpf_ksym_exists(scx_bpf_nr_cids) ? scx_bpf_nr_cids() : scx_bpf_nr_cpu_ids())

#define __COMPAT_scx_bpf_this_cid()						\
	(bpf_ksym_exists(scx_bpf_this_cid) ? scx_bpf_this_cid() :		\
	 (s32)bpf_get_smp_processor_id())

#define __COMPAT_scx_bpf_task_cid(p)						\
	(bpf_ksym_exists(scx_bpf_task_cid) ? scx_bpf_task_cid(p) : scx_bpf_task_cpu(p))

#define __COMPAT_scx_bpf_cpu_to_cid(cpu)					\
	(bpf_ksym_exists(scx_bpf_cpu_to_cid) ? scx_bpf_cpu_to_cid(cpu) : (s32)(cpu))

#define __COMPAT_scx_bpf_cid_to_cpu(cid)					\
	(bpf_ksym_exists(scx_bpf_cid_to_cpu) ? scx_bpf_cid_to_cpu(cid) : (s32)(cid))

#define __COMPAT_scx_bpf_kick_cid(cid, flags)					\
	(bpf_ksym_exists(scx_bpf_kick_cid) ? scx_bpf_kick_cid(cid, flags) :	\
	 scx_bpf_kick_cpu((s32)(cid), flags))

/* Whether @cid lies in the range @m covers. */
static __always_inline bool scx_cmask_covers(const struct scx_cmask __arena *m, s32 cid)
{
	return cid >= (s32)m->base && cid < (s32)(m->base + m->nr_cids) &&
	       (u32)(cid - m->base) / 64 < m->alloc_words;
}

static __always_inline bool scx_cmask_test(const struct scx_cmask __arena *m, s32 cid)
{
	u32 bit;

	if (!scx_cmask_covers(m, cid))
		return false;
	bit = cid - m->base;
	return m->bits[bit / 64] & (1ULL << (bit % 64));
}

/* Set / clear @cid; false when @m does not cover it. */
static __always_inline bool scx_cmask_set(struct scx_cmask __arena *m, s32 cid)
{
	u32 bit;

	if (!scx_cmask_covers(m, cid))
		return false;
	bit = cid - m->base;
	m->bits[bit / 64] |= 1ULL << (bit % 64);
	return true;
}

static __always_inline bool scx_cmask_clear(struct scx_cmask __arena *m, s32 cid)
{
	u32 bit;

	if (!scx_cmask_covers(m, cid))
		return false;
	bit = cid - m->base;
	m->bits[bit / 64] &= ~(1ULL << (bit % 64));
	return true;
}

/* Number of cids set. */
static __always_inline u32 scx_cmask_weight(const struct scx_cmask __arena *m)
{
	u32 i, n = 0, words = (m->nr_cids + 63) / 64;

	if (words > m->alloc_words)
		words = m->alloc_words;
	for (i = 0; i < words && can_loop; i++)
		n += __builtin_popcountll(m->bits[i]);
	return n;
}

/* First cid set at or after @from, or -1. */
static __always_inline s32 scx_cmask_next(const struct scx_cmask __arena *m, s32 from)
{
	s32 end = m->base + m->nr_cids;
	s32 cid = from < (s32)m->base ? (s32)m->base : from;

	for (; cid < end && can_loop; cid++)
		if (scx_cmask_test(m, cid))
			return cid;
	return -1;
}

/* for each cid set in @m: scx_cmask_for_each(cid, m) { ... } */
#define scx_cmask_for_each(cid, m)						\
	for ((cid) = scx_cmask_next((m), 0); (cid) >= 0;			\
	     (cid) = scx_cmask_next((m), (cid) + 1))

#endif /* __SCX_CID_BPF_H */
