// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * scx_topovt: a topology-aware weighted-vtime scheduler.
 *
 * One vtime-ordered DSQ per last-level cache (DSQ id = LLC index): a task queues on the DSQ of
 * the LLC its CPU belongs to, and a CPU serves its own LLC's DSQ first, then steals from the
 * others.  A waking task looks for an idle CPU in its previous CPU's LLC, preferring, when SMT
 * is on, its previous CPU if that whole core is idle, then any fully idle core.
 *
 * Userspace fills the maps from libscx's topology before load: cpu_llc (CPU -> LLC index) and
 * llc_cpus (the CPUs of each LLC as u64 words, from libscx cpumasks); ops.init() turns the
 * words into one struct bpf_cpumask per LLC.
 *
 * error_after / stall_after: as in scx_simplevt, for tests of ERROR_BPF and ERROR_STALL exits.
 */
#include <scx/common.bpf.h>
#include "scx_topovt.h"
#include "waiting.bpf.h"

char _license[] SEC("license") = "GPL";

const volatile u32 nr_llcs = 1;
const volatile u32 nr_cpu_ids = 1;
const volatile bool smt_enabled;
const volatile u64 slice_ns = 5000000;
const volatile u64 error_after;
const volatile u64 stall_after;

UEI_DEFINE(uei);

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, u32);
	__type(value, u32);
	__uint(max_entries, TOPOVT_MAX_CPUS);
} cpu_llc SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, u32);
	__type(value, struct topovt_llc_cpus);
	__uint(max_entries, TOPOVT_MAX_LLCS);
} llc_cpus SEC(".maps");

struct llc_ctx {
	struct bpf_cpumask __kptr *cpus;
	u64 vtime_now;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, u32);
	__type(value, struct llc_ctx);
	__uint(max_entries, TOPOVT_MAX_LLCS);
} llc_ctxs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, u32);
	__type(value, u64);
	__uint(max_entries, TOPOVT_NR_STATS);
} stats SEC(".maps");

static u64 nr_enqueued;

static void stat_inc(u32 idx)
{
	u64 *cnt = bpf_map_lookup_elem(&stats, &idx);

	if (cnt)
		(*cnt)++;
}

static u32 llc_of(s32 cpu)
{
	u32 key = cpu;
	u32 *llc = bpf_map_lookup_elem(&cpu_llc, &key);

	return llc && *llc < nr_llcs ? *llc : 0;
}

static struct llc_ctx *llc_ctx_of(u32 llc)
{
	return bpf_map_lookup_elem(&llc_ctxs, &llc);
}

/* An idle CPU for @p in @prev_cpu's LLC, claimed; or -1. */
static s32 pick_in_llc(struct task_struct *p, s32 prev_cpu)
{
	struct llc_ctx *lctx = llc_ctx_of(llc_of(prev_cpu));
	const struct cpumask *smt;
	struct bpf_cpumask *mask;
	s32 cpu = -1;

	if (!lctx)
		return -1;
	bpf_rcu_read_lock();
	mask = lctx->cpus;
	if (!mask)
		goto out;
	if (smt_enabled) {
		bool core_idle;

		smt = scx_bpf_get_idle_smtmask();
		core_idle = bpf_cpumask_test_cpu(prev_cpu, smt);
		scx_bpf_put_idle_cpumask(smt);
		if (core_idle && scx_bpf_test_and_clear_cpu_idle(prev_cpu)) {
			stat_inc(TOPOVT_STAT_PREV_CORE);
			cpu = prev_cpu;
			goto out;
		}
		cpu = scx_bpf_pick_idle_cpu(cast_mask(mask), SCX_PICK_IDLE_CORE);
		if (cpu >= 0) {
			stat_inc(TOPOVT_STAT_IDLE_CORE);
			goto out;
		}
	}
	if (scx_bpf_test_and_clear_cpu_idle(prev_cpu)) {
		cpu = prev_cpu;
	} else {
		cpu = scx_bpf_pick_idle_cpu(cast_mask(mask), 0);
	}
	if (cpu >= 0)
		stat_inc(TOPOVT_STAT_IDLE_CPU);
out:
	bpf_rcu_read_unlock();
	return cpu;
}

s32 BPF_STRUCT_OPS(topovt_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool is_idle = false;
	s32 cpu;

	/* The LLC masks ignore affinity: use them only for tasks that may run anywhere. */
	if (p->nr_cpus_allowed >= nr_cpu_ids) {
		cpu = pick_in_llc(p, prev_cpu);
		if (cpu >= 0) {
			scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, slice_ns, 0);
			return cpu;
		}
	}
	cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &is_idle);
	if (is_idle) {
		stat_inc(TOPOVT_STAT_IDLE_CPU);
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, slice_ns, 0);
	}
	return cpu;
}

void BPF_STRUCT_OPS(topovt_enqueue, struct task_struct *p, u64 enq_flags)
{
	u32 llc = llc_of(scx_bpf_task_cpu(p));
	struct llc_ctx *lctx = llc_ctx_of(llc);
	u64 vtime = p->scx.dsq_vtime;
	u64 n = __sync_add_and_fetch(&nr_enqueued, 1);

	if (error_after && n == error_after)
		scx_bpf_error("deliberate error after %llu enqueues (pid %d %s)", n, p->pid,
			      p->comm);
	/* A sleeper brings back at most one slice of credit against its LLC's clock. */
	if (lctx && time_before(vtime, lctx->vtime_now - slice_ns))
		vtime = lctx->vtime_now - slice_ns;
	stat_inc(TOPOVT_STAT_QUEUED);
	if (waiting_begin(p))
		stat_inc(TOPOVT_STAT_WAIT_BEGIN);
	scx_bpf_dsq_insert_vtime(p, llc, slice_ns, vtime, enq_flags);
}

void BPF_STRUCT_OPS(topovt_dispatch, s32 cpu, struct task_struct *prev)
{
	u32 llc = llc_of(cpu);
	u32 i;

	if (stall_after && READ_ONCE(nr_enqueued) >= stall_after)
		return;		/* deliberately starve the queued tasks */
	if (scx_bpf_dsq_move_to_local(llc)) {
		stat_inc(TOPOVT_STAT_LOCAL_LLC);
		return;
	}
	bpf_for(i, 1, nr_llcs) {
		if (scx_bpf_dsq_move_to_local((llc + i) % nr_llcs)) {
			stat_inc(TOPOVT_STAT_STOLEN);
			return;
		}
	}
}

void BPF_STRUCT_OPS(topovt_running, struct task_struct *p)
{
	struct llc_ctx *lctx = llc_ctx_of(llc_of(scx_bpf_task_cpu(p)));

	if (waiting_end(p))
		stat_inc(TOPOVT_STAT_WAIT_END);
	if (lctx && time_before(lctx->vtime_now, p->scx.dsq_vtime))
		lctx->vtime_now = p->scx.dsq_vtime;
}

void BPF_STRUCT_OPS(topovt_stopping, struct task_struct *p, bool runnable)
{
	p->scx.dsq_vtime += scale_by_task_weight_inverse(p, slice_ns - p->scx.slice);
}

void BPF_STRUCT_OPS(topovt_enable, struct task_struct *p)
{
	struct llc_ctx *lctx = llc_ctx_of(llc_of(scx_bpf_task_cpu(p)));

	p->scx.dsq_vtime = lctx ? lctx->vtime_now : 0;
}

/* Build LLC @llc's struct bpf_cpumask from its words in llc_cpus. */
static s32 init_llc(u32 llc)
{
	struct topovt_llc_cpus *words = bpf_map_lookup_elem(&llc_cpus, &llc);
	struct llc_ctx *lctx = llc_ctx_of(llc);
	struct bpf_cpumask *mask;
	u32 cpu;

	if (!words || !lctx)
		return -ENOENT;
	mask = bpf_cpumask_create();
	if (!mask)
		return -ENOMEM;
	bpf_for(cpu, 0, nr_cpu_ids) {
		u64 *w = MEMBER_VPTR(words->words, [(cpu / 64) & (TOPOVT_MASK_WORDS - 1)]);

		if (w && (*w & (1ULL << (cpu % 64))))
			bpf_cpumask_set_cpu(cpu, mask);
	}
	mask = bpf_kptr_xchg(&lctx->cpus, mask);
	if (mask)
		bpf_cpumask_release(mask);
	return 0;
}

s32 BPF_STRUCT_OPS_SLEEPABLE(topovt_init)
{
	u32 llc;
	s32 ret;

	if (nr_llcs > TOPOVT_MAX_LLCS || nr_cpu_ids > TOPOVT_MAX_CPUS) {
		scx_bpf_error("topology too large: %u LLCs, %u CPU ids", nr_llcs, nr_cpu_ids);
		return -E2BIG;
	}
	bpf_for(llc, 0, nr_llcs) {
		ret = scx_bpf_create_dsq(llc, -1);
		if (ret)
			return ret;
		ret = init_llc(llc);
		if (ret)
			return ret;
	}
	return 0;
}

void BPF_STRUCT_OPS(topovt_exit, struct scx_exit_info *ei)
{
	UEI_RECORD(uei, ei);
}

SCX_OPS_DEFINE(topovt_ops,
	       .select_cpu = (void *)topovt_select_cpu,
	       .enqueue = (void *)topovt_enqueue,
	       .dispatch = (void *)topovt_dispatch,
	       .running = (void *)topovt_running,
	       .stopping = (void *)topovt_stopping,
	       .enable = (void *)topovt_enable,
	       .init = (void *)topovt_init,
	       .exit = (void *)topovt_exit,
	       .name = "topovt");
