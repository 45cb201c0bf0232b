/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * The example schedulers' count of waiting tasks: a task is waiting from its ops.enqueue() to
 * its next ops.running().  They count tasks, not events, because the events do not balance: a
 * change of a queued task's affinity or priority takes it off its DSQ and enqueues it again,
 * and a running task put back the same way runs again without a dispatch.  Once the machine is
 * idle, the tasks that began waiting minus those that stopped is what is left in the queues.
 */
#ifndef SCX_EXAMPLES_WAITING_BPF_H
#define SCX_EXAMPLES_WAITING_BPF_H

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, u8);
} task_waiting SEC(".maps");

/* From ops.enqueue(): true when @p was not waiting already. */
static bool waiting_begin(struct task_struct *p)
{
	u8 *w = bpf_task_storage_get(&task_waiting, p, NULL, BPF_LOCAL_STORAGE_GET_F_CREATE);

	if (!w || *w)
		return false;
	*w = 1;
	return true;
}

/* From ops.running(): true when @p was waiting. */
static bool waiting_end(struct task_struct *p)
{
	u8 *w = bpf_task_storage_get(&task_waiting, p, NULL, 0);

	if (!w || !*w)
		return false;
	*w = 0;
	return true;
}

#endif /* SCX_EXAMPLES_WAITING_BPF_H */
