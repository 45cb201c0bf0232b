// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/* The second file of the hdr_multi scheduler: a global subprogram and a counter. */
#include <scx/common.bpf.h>

u64 lib_nr_calls;

__weak u64 lib_pick_slice(const struct task_struct *p)
{
	__sync_fetch_and_add(&lib_nr_calls, 1);
	return SCX_SLICE_DFL / 2;
}
