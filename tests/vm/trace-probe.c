// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * The tracing helpers (<scx/trace.h>) on the guest's real tracefs and kallsyms: run by
 * guest-init.sh as "trace-probe OBJECT" with tests/vm/trace-probe.bpf.o, it prints one
 * "key=value" line per result for run-vm.sh to judge.  Exit 0 when it could run at all.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/libbpf.h>
#include <scx/trace.h>

static struct bpf_program *prog(struct bpf_object *o, const char *name)
{
	struct bpf_program *p = bpf_object__find_program_by_name(o, name);

	if (!p)
		printf("missing_program=%s\n", name);
	return p;
}

int main(int argc, char **argv)
{
	struct bpf_program *rd, *none, *sw, *noev;
	struct bpf_link *link = NULL;
	struct bpf_object *o;
	uint64_t addr = 0;
	char buf[256];
	int ret;

	if (argc != 2) {
		fprintf(stderr, "usage: trace-probe OBJECT\n");
		return 2;
	}
	ret = scx_trace_tracefs_mount(buf, sizeof(buf));
	printf("tracefs=%s\n", ret > 0 ? buf : strerror(-ret));
	printf("tp_switch=%d\n", scx_trace_tracepoint_exists("sched:sched_switch"));
	printf("tp_none=%d\n", scx_trace_tracepoint_exists("scx_none:scx_no_such_event"));
	ret = scx_trace_kallsyms_lookup("schedule", &addr);
	printf("kallsyms_schedule=%d\nkallsyms_schedule_addr=%s\n", ret, addr ? "nonzero" : "zero");
	printf("kallsyms_none=%d\n", scx_trace_kallsyms_lookup("scx_no_such_function_here", NULL));

	o = bpf_object__open_file(argv[1], NULL);
	if (!o) {
		printf("open=%d\n", -errno);
		return 1;
	}
	rd = prog(o, "on_read");
	none = prog(o, "on_nothing");
	sw = prog(o, "on_switch");
	noev = prog(o, "on_no_event");
	if (!rd || !none || !sw || !noev)
		return 1;
	printf("kprobe_enable_read=%d\n", scx_trace_kprobe_enable(rd, "vfs_read"));
	printf("kprobe_enable_none=%d\n", scx_trace_kprobe_enable(none, "scx_no_such_function_here"));
	printf("tp_enable_switch=%d\n", scx_trace_tracepoint_enable(sw, "sched:sched_switch"));
	printf("tp_enable_none=%d\n", scx_trace_tracepoint_enable(noev, "scx_none:scx_no_such_event"));
	printf("load=%d\n", bpf_object__load(o) ? -errno : 0);
	ret = scx_trace_attach(rd, &link);
	printf("attach_read=%d\n", ret);
	bpf_link__destroy(link);
	link = (struct bpf_link *)1;
	printf("attach_none=%d\n", scx_trace_attach(none, &link));
	printf("attach_none_link=%s\n", link ? "set" : "null");
	ret = scx_trace_attach(sw, &link);
	printf("attach_switch=%d\n", ret);
	usleep(200000);	/* a few context switches and reads */
	bpf_link__destroy(link);
	bpf_object__close(o);
	return 0;
}
