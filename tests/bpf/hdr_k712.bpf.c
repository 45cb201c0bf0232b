// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * Header test: the fallbacks for the kfuncs Debian's 7.1 and 7.2 kernels cannot call (left
 * unsplit, see scx_btf_aux_kfuncs(3)).  Each wrapper must reference both the kfunc and the
 * intact path, so that the verifier keeps the branch the running kernel resolved: the object's
 * kfunc externs are checked against the list below.
 *
 * expect-externs: scx_bpf_error_bstr scx_bpf_exit_bstr scx_bpf_dsq_insert___v2___compat
 * expect-externs: scx_bpf_dsq_insert___v1 scx_bpf_pick_idle_cpu scx_bpf_pick_any_cpu
 * expect-externs: scx_bpf_test_and_clear_cpu_idle scx_bpf_get_idle_cpumask
 * expect-externs: bpf_cpumask_any_and_distribute bpf_cpumask_any_distribute
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

UEI_DEFINE(uei);

u64 nr_errors, stop_after;

s32 BPF_STRUCT_OPS(k712_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	s32 cpu = scx_bpf_pick_idle_cpu(p->cpus_ptr, 0);

	if (cpu >= 0)
		return cpu;
	cpu = scx_bpf_pick_any_cpu(p->cpus_ptr, SCX_PICK_IDLE_CORE);
	return cpu >= 0 ? cpu : prev_cpu;
}

void BPF_STRUCT_OPS(k712_enqueue, struct task_struct *p, u64 enq_flags)
{
	if (!scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags))
		nr_errors++;
	if (stop_after && nr_errors > stop_after)
		scx_bpf_exit(2, "stopping after %llu refused inserts", nr_errors);
	if (nr_errors > 1000)
		scx_bpf_error("%llu refused inserts", nr_errors);
}

void BPF_STRUCT_OPS(k712_exit, struct scx_exit_info *ei)
{
	UEI_RECORD(uei, ei);
}

SCX_OPS_DEFINE(k712_ops,
	       .select_cpu = (void *)k712_select_cpu,
	       .enqueue = (void *)k712_enqueue,
	       .exit = (void *)k712_exit,
	       .name = "k712");
