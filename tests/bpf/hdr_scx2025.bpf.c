// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * Header test: a scheduler written for the scx project's 2024-2025 headers, which named the
 * DSQ iterator moves __COMPAT_scx_bpf_dsq_move*() (and __COMPAT_scx_bpf_dispatch_*from_dsq*()
 * before the 6.13 rename), called the 6.12 kfunc names, and set SCX_OPS_HAS_CGROUP_WEIGHT,
 * which the shipped 7.3 vmlinux.h no longer has; and the 2024 names (__COMPAT_DSQ_FOR_EACH,
 * the cpuperf and exit wrappers, __COMPAT_scx_bpf_switch_all()); the late-2024 SCX_ENUM() and
 * SCX_ENUM_DEFINE() of enums.bpf.h, and scale_task_fair()/scale_task_inverse_fair().
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

#define SHARED_DSQ 7

_Static_assert(SCX_OPS_HAS_CGROUP_WEIGHT == 1ULL << 16, "the flag's value on 6.12 - 6.17");

u64 nr_moved, last_weight;

/* an enumerator enums.bpf.h has, one it leaves out, and the empty form scx_central used */
SCX_ENUM_DEFINE(SCX_SLICE_INF);
SCX_ENUM_DEFINE(SCX_OPS_NAME_LEN);
SCX_ENUM_DEFINE();
_Static_assert(__builtin_types_compatible_p(typeof(SCX_ENUM(SCX_SLICE_DFL)), const volatile u64),
	       "SCX_ENUM() is the rodata variable of enums.bpf.h");

void BPF_STRUCT_OPS(old_enqueue, struct task_struct *p, u64 enq_flags)
{
	if (p->flags & PF_KTHREAD) {
		scx_bpf_dispatch(p, SCX_ENUM(SCX_DSQ_LOCAL), SCX_ENUM(SCX_SLICE_INF),
				 enq_flags | SCX_ENUM(SCX_ENQ_PREEMPT));
		return;
	}
	scx_bpf_dispatch(p, SHARED_DSQ, scale_task_fair(p, SCX_SLICE_DFL), enq_flags);
}

void BPF_STRUCT_OPS(old_stopping, struct task_struct *p, bool runnable)
{
	p->scx.dsq_vtime += scale_task_inverse_fair(p, SCX_SLICE_DFL - p->scx.slice);
	if (SCX_ENUM(SCX_OPS_NAME_LEN) < 64)
		nr_moved++;
}

void BPF_STRUCT_OPS(old_dispatch, s32 cpu, struct task_struct *prev)
{
	struct task_struct *p;

	bpf_for_each(scx_dsq, p, SHARED_DSQ, 0) {
		__COMPAT_scx_bpf_dsq_move_set_slice(BPF_FOR_EACH_ITER, SCX_SLICE_DFL);
		__COMPAT_scx_bpf_dsq_move_set_vtime(BPF_FOR_EACH_ITER, p->scx.dsq_vtime);
		if (__COMPAT_scx_bpf_dsq_move(BPF_FOR_EACH_ITER, p, SCX_DSQ_LOCAL, 0) ||
		    __COMPAT_scx_bpf_dsq_move_vtime(BPF_FOR_EACH_ITER, p, SHARED_DSQ, 0))
			nr_moved++;
		__COMPAT_scx_bpf_dispatch_from_dsq_set_slice(BPF_FOR_EACH_ITER, SCX_SLICE_DFL);
		__COMPAT_scx_bpf_dispatch_from_dsq_set_vtime(BPF_FOR_EACH_ITER, 0);
		if (__COMPAT_scx_bpf_dispatch_from_dsq(BPF_FOR_EACH_ITER, p, SCX_DSQ_LOCAL, 0) ||
		    __COMPAT_scx_bpf_dispatch_vtime_from_dsq(BPF_FOR_EACH_ITER, p, SHARED_DSQ, 0))
			nr_moved++;
		break;
	}
	if (!scx_bpf_consume(SHARED_DSQ))
		scx_bpf_dsq_move_to_local(SHARED_DSQ);
}

void BPF_STRUCT_OPS(old_tick, struct task_struct *p)
{
	struct task_struct *q;
	s32 cpu = scx_bpf_task_cpu(p);

	__COMPAT_DSQ_FOR_EACH(q, SHARED_DSQ, 0) {
		if (__COMPAT_scx_bpf_consume_task(BPF_FOR_EACH_ITER, q))
			nr_moved++;
		break;
	}
	if (__COMPAT_HAS_CPUMASKS && __COMPAT_scx_bpf_cpuperf_cur(cpu) < 512)
		__COMPAT_scx_bpf_cpuperf_set(cpu, __COMPAT_scx_bpf_cpuperf_cap(cpu));
	if (nr_moved > 1000000)
		__COMPAT_scx_bpf_exit(1, "moved %llu tasks", nr_moved);
	scx_bpf_kick_cpu(cpu, __COMPAT_SCX_KICK_IDLE);
	/* enumerators of older kernels: imported at load, 0 on 7.3 */
	if (SCX_RQ_BYPASSING && SCX_RQ_IN_BALANCE && SCX_RQ_BAL_PENDING && SCX_TASK_NR_STATES)
		nr_moved++;
}

void BPF_STRUCT_OPS(old_cgroup_set_weight, struct cgroup *cgrp, u32 weight)
{
	WRITE_ONCE_ARENA(u64, last_weight, weight);
	nr_moved += READ_ONCE_ARENA(u64, last_weight);
}

s32 BPF_STRUCT_OPS_SLEEPABLE(old_init)
{
	__COMPAT_scx_bpf_switch_all();
	return scx_bpf_create_dsq(SHARED_DSQ, -1);
}

SCX_OPS_DEFINE(old_ops,
	       .enqueue = (void *)old_enqueue,
	       .stopping = (void *)old_stopping,
	       .dispatch = (void *)old_dispatch,
	       .tick = (void *)old_tick,
	       .cgroup_set_weight = (void *)old_cgroup_set_weight,
	       .init = (void *)old_init,
	       .flags = SCX_OPS_HAS_CGROUP_WEIGHT,
	       .name = "hdr_scx2025")
/* no ';': the kernel's and scx's SCX_OPS_DEFINE() end the declaration themselves */
