// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * Uses bpf_arena_common.bpf.h, cid.bpf.h and ravg.bpf.h: an arena map, cid masks allocated
 * in it, cid wrappers and running averages.  Built and opened (never loaded) by
 * tests/bpf/bpf-check.sh.
 */
#include <scx/common.bpf.h>
#include <scx/bpf_arena_common.bpf.h>
#include <scx/cid.bpf.h>
#include <scx/ravg.bpf.h>

char _license[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 16);	/* pages */
} arena SEC(".maps");

struct task_load {
	struct ravg_data run;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_load);
} task_loads SEC(".maps");

const volatile u32 half_life_ns = 100000000;

struct scx_cmask __arena *busy;
u64 __arena_global nr_busy_samples;
u64 last_avg;

void BPF_STRUCT_OPS(arena_running, struct task_struct *p)
{
	struct scx_cmask __arena *m = busy;
	s32 cid = __COMPAT_scx_bpf_task_cid(p);

	if (m && scx_cmask_set(m, cid))
		nr_busy_samples += scx_cmask_weight(m);
}

void BPF_STRUCT_OPS(arena_stopping, struct task_struct *p, bool runnable)
{
	struct scx_cmask __arena *m = busy;
	struct task_load *tl;
	u64 now = scx_bpf_now();
	s32 cid;

	tl = bpf_task_storage_get(&task_loads, p, NULL, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (tl) {
		ravg_accumulate(&tl->run, runnable, now, half_life_ns);
		last_avg = ravg_read(&tl->run, now, half_life_ns);
	}
	if (!m)
		return;
	scx_cmask_clear(m, __COMPAT_scx_bpf_cpu_to_cid(scx_bpf_task_cpu(p)));
	if (scx_cmask_test(m, __COMPAT_scx_bpf_this_cid()))
		__COMPAT_scx_bpf_kick_cid(__COMPAT_scx_bpf_this_cid(), SCX_KICK_IDLE);
	scx_cmask_for_each(cid, m)
		if (__COMPAT_scx_bpf_cid_to_cpu(cid) < 0)
			break;
}

s32 BPF_STRUCT_OPS_SLEEPABLE(arena_init)
{
	struct scx_cmask __arena *m;
	u32 nr = __COMPAT_scx_bpf_nr_cids();

	m = bpf_arena_alloc_pages(&arena, NULL, 1, NUMA_NO_NODE, 0);
	if (!m)
		return -ENOMEM;
	m->base = 0;
	m->nr_cids = nr;
	m->alloc_words = (__PAGE_SIZE - sizeof(*m)) / sizeof(u64);
	busy = m;
	return 0;
}

/* 7.3 cid and sub-scheduler kfuncs: compiled and checked against vmlinux.h, never run. */
s32 __arena_global cid_map[8];
u64 nr_sub_calls;

void BPF_STRUCT_OPS(arena_dispatch, s32 cpu, struct task_struct *prev)
{
	struct scx_cmask __arena *m = busy;
	const void __arena *online;
	s32 cid = __COMPAT_scx_bpf_this_cid();

	/* scx_bpf_sub_dispatch() is a wrapper (false on kernels without it); the others are not. */
	if (!m || !bpf_ksym_exists(scx_bpf_sub_caps))
		return;
	online = scx_bpf_online_cmask();
	if (online && scx_bpf_sub_dispatch(1))
		nr_sub_calls++;
	if (scx_bpf_sub_caps(1, SCX_CAP_BASE, m) == 0)
		scx_bpf_sub_revoke(1, SCX_CAP_PREEMPT, m);
	if (scx_bpf_sub_grant(1, SCX_CAP_ENQ, m, NULL) < 0)
		scx_bpf_sub_kill(1, "grant refused for cid %d", cid);
	if (scx_bpf_cidperf_set(cid, scx_bpf_cidperf_cap(cid)) < 0)
		nr_sub_calls++;
}

s32 BPF_STRUCT_OPS_SLEEPABLE(arena_init_cids)
{
	/* A wrapper: nothing happens on kernels without the kfunc. */
	scx_bpf_cid_override(cid_map, 8, cid_map, 1);
	return 0;
}

SCX_OPS_DEFINE(arena_ops,
	       .running = (void *)arena_running,
	       .stopping = (void *)arena_stopping,
	       .dispatch = (void *)arena_dispatch,
	       .init_cids = (void *)arena_init_cids,
	       .init = (void *)arena_init,
	       .name = "hdr_arena");
