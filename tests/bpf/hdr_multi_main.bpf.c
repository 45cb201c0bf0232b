// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * A scheduler in two BPF files (this one and hdr_multi_lib.bpf.c), linked into one object by
 * libscx-bpf.mk's "bpftool gen object" step; both include the headers, so their weak enum
 * variables and kfunc externs must merge.
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

extern u64 lib_pick_slice(const struct task_struct *p);
extern u64 lib_nr_calls;

UEI_DEFINE(uei);

void BPF_STRUCT_OPS(multi_enqueue, struct task_struct *p, u64 enq_flags)
{
	scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, lib_pick_slice(p), enq_flags);
}

void BPF_STRUCT_OPS(multi_exit, struct scx_exit_info *ei)
{
	if (lib_nr_calls)
		UEI_RECORD(uei, ei);
}

SCX_OPS_DEFINE(multi_ops,
	       .enqueue = (void *)multi_enqueue,
	       .exit = (void *)multi_exit,
	       .name = "hdr_multi");
