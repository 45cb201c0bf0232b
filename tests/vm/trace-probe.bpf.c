// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * Optional tracing programs for tests/vm/trace-probe.c: one kprobe and one tracepoint whose
 * targets every kernel has, and one of each whose target no kernel has.
 */
char LICENSE[] __attribute__((section("license"), used)) = "GPL";
int hits;

__attribute__((section("?kprobe/vfs_read"), used)) int on_read(void *ctx)
{
	__sync_fetch_and_add(&hits, 1);
	return 0;
}

__attribute__((section("?kprobe/scx_no_such_function_here"), used)) int on_nothing(void *ctx)
{
	return 0;
}

__attribute__((section("?tracepoint/sched/sched_switch"), used)) int on_switch(void *ctx)
{
	__sync_fetch_and_add(&hits, 1);
	return 0;
}

__attribute__((section("?tracepoint/scx_none/scx_no_such_event"), used)) int on_no_event(void *ctx)
{
	return 0;
}
