// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * scx_simplevt: a global weighted-vtime scheduler.
 *
 * Every task queues on one shared DSQ ordered by virtual time; a task's vtime advances by the
 * time it ran scaled by the inverse of its weight, so heavier tasks get more CPU.  A waking task
 * whose previous CPU (or another) is idle goes straight to that CPU's local DSQ.  Sleepers are
 * limited to one slice of credit so they cannot hoard vtime.
 *
 * Test knobs (rodata, set by the loader): error_after makes the scheduler call scx_bpf_error()
 * after that many enqueues (an ERROR_BPF exit); stall_after makes it stop dispatching after
 * that many enqueues, so the kernel's watchdog ends it (an ERROR_STALL exit).
 */
#include <scx/common.bpf.h>
#include "scx_simplevt.h"
#include "waiting.bpf.h"

char _license[] SEC("license") = "GPL";

#define SHARED_DSQ 0

const volatile u64 slice_ns = 5000000;		/* 5 ms */
const volatile u64 error_after;			/* 0: never */
const volatile u64 stall_after;			/* 0: never */

static u64 vtime_now;
UEI_DEFINE(uei);

/* Per-CPU counters read by userspace, indexed by enum simplevt_stat. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(key_size, sizeof(u32));
	__uint(value_size, sizeof(u64));
	__uint(max_entries, SIMPLEVT_NR_STATS);
} stats SEC(".maps");

static void stat_inc(u32 idx)
{
	u64 *cnt = bpf_map_lookup_elem(&stats, &idx);

	if (cnt)
		(*cnt)++;
}

static u64 nr_enqueued;

s32 BPF_STRUCT_OPS(simplevt_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool is_idle = false;
	s32 cpu;

	cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &is_idle);
	if (is_idle) {
		stat_inc(SIMPLEVT_STAT_LOCAL);
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, slice_ns, 0);
	}
	return cpu;
}

void BPF_STRUCT_OPS(simplevt_enqueue, struct task_struct *p, u64 enq_flags)
{
	u64 vtime = p->scx.dsq_vtime;
	u64 n = __sync_add_and_fetch(&nr_enqueued, 1);

	if (error_after && n == error_after)
		scx_bpf_error("deliberate error after %llu enqueues (pid %d %s)", n, p->pid,
			      p->comm);

	stat_inc(SIMPLEVT_STAT_GLOBAL);
	if (waiting_begin(p))
		stat_inc(SIMPLEVT_STAT_WAIT_BEGIN);
	/* Limit the credit a sleeper can bring back to one slice. */
	if (time_before(vtime, vtime_now - slice_ns))
		vtime = vtime_now - slice_ns;
	scx_bpf_dsq_insert_vtime(p, SHARED_DSQ, slice_ns, vtime, enq_flags);
}

void BPF_STRUCT_OPS(simplevt_dispatch, s32 cpu, struct task_struct *prev)
{
	if (stall_after && READ_ONCE(nr_enqueued) >= stall_after)
		return;		/* deliberately starve everything queued on SHARED_DSQ */
	if (scx_bpf_dsq_move_to_local(SHARED_DSQ))
		stat_inc(SIMPLEVT_STAT_DISPATCHED);
}

void BPF_STRUCT_OPS(simplevt_running, struct task_struct *p)
{
	if (waiting_end(p))
		stat_inc(SIMPLEVT_STAT_WAIT_END);
	/* Global vtime moves forward with the running tasks. */
	if (time_before(vtime_now, p->scx.dsq_vtime))
		vtime_now = p->scx.dsq_vtime;
}

void BPF_STRUCT_OPS(simplevt_stopping, struct task_struct *p, bool runnable)
{
	/* Charge the used part of the slice, inversely to the weight. */
	p->scx.dsq_vtime += scale_by_task_weight_inverse(p, slice_ns - p->scx.slice);
}

void BPF_STRUCT_OPS(simplevt_enable, struct task_struct *p)
{
	p->scx.dsq_vtime = vtime_now;
}

s32 BPF_STRUCT_OPS_SLEEPABLE(simplevt_init)
{
	return scx_bpf_create_dsq(SHARED_DSQ, -1);
}

void BPF_STRUCT_OPS(simplevt_exit, struct scx_exit_info *ei)
{
	UEI_RECORD(uei, ei);
}

SCX_OPS_DEFINE(simplevt_ops,
	       .select_cpu = (void *)simplevt_select_cpu,
	       .enqueue = (void *)simplevt_enqueue,
	       .dispatch = (void *)simplevt_dispatch,
	       .running = (void *)simplevt_running,
	       .stopping = (void *)simplevt_stopping,
	       .enable = (void *)simplevt_enable,
	       .init = (void *)simplevt_init,
	       .exit = (void *)simplevt_exit,
	       .name = "simplevt");
