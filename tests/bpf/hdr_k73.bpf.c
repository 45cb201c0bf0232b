// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * Header test: the interfaces the kernel 7.3 headers' schedulers use, as libscx provides them.
 * Compile-time values are checked with _Static_assert; the rest is called from struct_ops
 * programs so that the object, its skeleton and its kfunc externs are checked by bpf-check.sh.
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

UEI_DEFINE(uei);

/* Constants and sizes. */
_Static_assert(PAGE_SIZE == 4096, "PAGE_SIZE");
_Static_assert(NR_CPUS >= 1024, "NR_CPUS");
_Static_assert(NUMA_NO_NODE == -1, "NUMA_NO_NODE in common.bpf.h");
_Static_assert(PF_KSWAPD == 0x00020000 && PF_KCOMPACTD == 0x00010000, "task flags");
_Static_assert(struct_size_t(struct scx_cmask, bits, 3) == 16 + 3 * 8, "struct_size_t");
_Static_assert(CMASK_NR_WORDS(64) == 2 && CMASK_NR_WORDS(65) == 3, "CMASK_NR_WORDS");
_Static_assert(BIT_U64(63) == 0x8000000000000000ULL, "BIT_U64");
_Static_assert(GENMASK_U64(7, 4) == 0xf0, "GENMASK_U64");
_Static_assert(scx_div_round_up(9, 4) == 3 && scx_min(2, 3) == 2 && scx_clamp(9, 1, 5) == 5,
	       "scx_ arithmetic macros");
_Static_assert(sizeof(SCX_TOSTRING(NR_CPUS)) > 1, "SCX_TOSTRING expands its argument");
_Static_assert(__builtin_offsetof(struct user_exit_info, exit_cpu) == 4, "exit_cpu");
#if !defined(HAVE_SCX_DSQ_LOCAL) || !defined(HAVE_SCX_OPS_SWITCH_PARTIAL) || \
	!defined(HAVE___SCX_DSQ_ITER_HAS_SLICE)
#error "enum_defs.h's HAVE_* feature macros"
#endif
#ifdef div_round_up
#error "div_round_up is the scheduler's name, not the headers'"
#endif

/* A scheduler's own helpers of names the headers must leave alone. */
static __always_inline u64 div_round_up(u64 n, u64 d)
{
	return (n + d - 1) / d;
}

static __always_inline u64 min(u64 a, u64 b)
{
	return a < b ? a : b;
}

struct lock_val {
	struct bpf_res_spin_lock lock;
	u64 n;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct lock_val);
} locked SEC(".maps");

u64 nr_seen, nr_events, clocks;
s64 delta;

s32 BPF_STRUCT_OPS(k73_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	if (is_migration_disabled(p))
		return prev_cpu;
	if (__COMPAT_HAS_scx_bpf_select_cpu_and)
		return scx_bpf_select_cpu_and(p, prev_cpu, wake_flags, p->cpus_ptr, 0);
	return prev_cpu;
}

void BPF_STRUCT_OPS(k73_enqueue, struct task_struct *p, u64 enq_flags)
{
	struct lock_val *v;
	u32 key = 0;

	v = bpf_map_lookup_elem(&locked, &key);
	if (v && !bpf_res_spin_lock(&v->lock)) {
		v->n = div_round_up(v->n + 1, 2) + min(v->n, 3);
		bpf_res_spin_unlock(&v->lock);
	}
	scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
}

void BPF_STRUCT_OPS(k73_dispatch, s32 cpu, struct task_struct *prev)
{
	if (__COMPAT_has_generic_reenq())
		scx_bpf_dsq_reenq(SCX_DSQ_LOCAL, 0);
	else if (scx_bpf_reenqueue_local_from_anywhere() < 0)
		nr_seen++;
	scx_bpf_dsq_move_to_local(SCX_DSQ_GLOBAL, 0);
}

void BPF_STRUCT_OPS(k73_tick, struct task_struct *p)
{
	struct scx_event_stats events;
	struct cgroup *cgrp;
	int *cpu;

	__COMPAT_scx_bpf_events(&events, sizeof(events));
	nr_events = scx_read_event(&events, SCX_EV_SELECT_CPU_FALLBACK) +
		    scx_read_event(&events, SCX_EV_DISPATCH_KEEP_LAST);
	for_each_online_cpu(cpu)
		nr_seen++;
	clocks = scx_clock_task(bpf_get_smp_processor_id()) +
		 scx_clock_pelt(bpf_get_smp_processor_id()) +
		 scx_clock_virt(bpf_get_smp_processor_id()) +
		 scx_clock_irq(bpf_get_smp_processor_id());
	delta = time_delta(bpf_ktime_get_ns(), clocks);
	nr_seen = __calc_avg(nr_seen, get_prandom_u64() & 0xff, 3) + log2_u64(nr_seen) +
		  __sqrt_u64(nr_seen);
	__sink(nr_seen);
	cgrp = scx_bpf_task_cgroup(p);
	if (cgrp)
		bpf_cgroup_release(cgrp);
}

/* The cid kfuncs whose prototypes 7.3 changed, in the kernel headers' and scx's forms. */
void BPF_STRUCT_OPS(k73_running, struct task_struct *p)
{
	struct scx_cid_topo topo = {};
	s32 cid = __COMPAT_scx_bpf_task_cid(p);

	scx_bpf_cid_topo(cid, &topo, sizeof(topo));
	scx_bpf_cid_topo(cid, &topo);
	if (scx_bpf_cidperf_set(cid, 1024) < 0)
		nr_seen++;
	scx_bpf_kick_cid(cid, 0);
}

void BPF_STRUCT_OPS(k73_dump, struct scx_dump_ctx *dctx)
{
	scx_bpf_dump_header();
	scx_bpf_dump("no arguments");
}

void BPF_STRUCT_OPS(k73_exit, struct scx_exit_info *ei)
{
	UEI_RECORD(uei, ei);
}

SCX_OPS_DEFINE(k73_ops,
	       .select_cpu = (void *)k73_select_cpu,
	       .enqueue = (void *)k73_enqueue,
	       .dispatch = (void *)k73_dispatch,
	       .tick = (void *)k73_tick,
	       .running = (void *)k73_running,
	       .dump = (void *)k73_dump,
	       .exit = (void *)k73_exit,
	       .name = "hdr_k73");
