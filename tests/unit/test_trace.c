// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * The tracing helpers on captured trees (proc/mounts, available_events and proc/kallsyms as
 * the kernel writes them, with the cases a real machine shows: tracefs on its own or only
 * under debugfs, module symbols, hidden addresses, a FIFO in place of a file), and on this
 * machine's own kernel with a compiled BPF object whose optional programs are switched on or
 * off by whether their target exists.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include <scx/log.h>
#include <scx/trace.h>

#include "../lib/bpf_build.h"
#include "../lib/fstree.h"

static struct fstree t;
static char last_msg[1024];

static void record(enum scx_log_level level, const char *msg, void *ctx)
{
	(void)level;
	(void)ctx;
	snprintf(last_msg, sizeof(last_msg), "%s", msg);
}

static void setup(void)
{
	cr_assert_eq(fstree_init(&t), 0);
	last_msg[0] = '\0';
	scx_log_fn_set(record, NULL);
}

static void teardown(void)
{
	fstree_fini(&t);
	unsetenv("SCX_SYSFS_PREFIX");
}

TestSuite(trace, .init = setup, .fini = teardown);

static const char mounts_both[] =
	"sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0\n"
	"proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n"
	"debugfs /sys/kernel/debug debugfs rw,nosuid,nodev,noexec,relatime 0 0\n"
	"tracefs /sys/kernel/tracing tracefs rw,nosuid,nodev,noexec,relatime 0 0\n";

static const char kallsyms[] =
	"ffffffff81000000 T _stext\n"
	"ffffffff810c2a30 t finish_task_switch.isra.0\n"
	"ffffffff810d1f00 T schedule\n"
	"ffffffffc0a01230 t e1000_clean\t[e1000]\n";

static void captured(const char *mounts)
{
	cr_assert_eq(fstree_write(&t, "proc/mounts", "%s", mounts), 0);
	cr_assert_eq(setenv("SCX_SYSFS_PREFIX", t.root, 1), 0);
}

Test(trace, mount_points_from_proc_mounts)
{
	char buf[64];

	captured(mounts_both);
	cr_assert_eq(scx_trace_tracefs_mount(buf, sizeof(buf)), (int)strlen("/sys/kernel/tracing"));
	cr_assert_str_eq(buf, "/sys/kernel/tracing");
	cr_assert_eq(scx_trace_debugfs_mount(buf, sizeof(buf)), (int)strlen("/sys/kernel/debug"));
	cr_assert_str_eq(buf, "/sys/kernel/debug");
	cr_assert_eq(scx_trace_tracefs_mount(buf, 8), -ENAMETOOLONG);
	cr_assert_eq(scx_trace_tracefs_mount(buf, strlen("/sys/kernel/tracing") + 1), 19,
		     "the path and its NUL fit");
	cr_assert_eq(scx_trace_tracefs_mount(NULL, 8), -EINVAL);
	cr_assert_eq(scx_trace_tracefs_mount(buf, 0), -EINVAL);
}

Test(trace, escaped_and_missing_mounts)
{
	char buf[64];

	captured("sysfs /sys sysfs rw 0 0\n"
		 "tracefs /mnt/my\\040trace tracefs rw 0 0\n"
		 "tracefs /sys/kernel/tracing tracefs rw 0 0\n");
	cr_assert_eq(scx_trace_tracefs_mount(buf, sizeof(buf)), (int)strlen("/mnt/my trace"));
	cr_assert_str_eq(buf, "/mnt/my trace", "the first mount, its \\040 a space");
	errno = 0;
	cr_assert_eq(scx_trace_debugfs_mount(buf, sizeof(buf)), -ENOENT);
	cr_assert_eq(errno, ENOENT);
}

Test(trace, tracepoints_from_tracefs)
{
	captured(mounts_both);
	cr_assert_eq(fstree_write(&t, "sys/kernel/tracing/available_events",
				  "sched:sched_switch\nsched:sched_wakeup\nirq:irq_handler_entry\n"),
		     0);
	cr_assert_eq(scx_trace_tracepoint_exists("sched:sched_switch"), 1);
	cr_assert_eq(scx_trace_tracepoint_exists("irq:irq_handler_entry"), 1, "the last line");
	cr_assert_eq(scx_trace_tracepoint_exists("sched:sched_wake"), 0, "a prefix is not a name");
	cr_assert_eq(scx_trace_tracepoint_exists("sched_switch"), -EINVAL, "no category");
	cr_assert_eq(scx_trace_tracepoint_exists("sched:sched switch"), -EINVAL);
	cr_assert_eq(scx_trace_tracepoint_exists(""), -EINVAL);
	cr_assert_eq(scx_trace_tracepoint_exists(NULL), -EINVAL);
}

Test(trace, tracepoints_under_debugfs_without_tracefs)
{
	captured("debugfs /sys/kernel/debug debugfs rw 0 0\n");
	cr_assert_eq(fstree_write(&t, "sys/kernel/debug/tracing/available_events",
				  "sched:sched_switch\n"),
		     0);
	cr_assert_eq(scx_trace_tracepoint_exists("sched:sched_switch"), 1);
	cr_assert_eq(scx_trace_tracepoint_exists("sched:sched_wakeup"), 0);
}

Test(trace, no_tracing_at_all_is_enoent)
{
	captured("sysfs /sys sysfs rw 0 0\n");
	cr_assert_eq(scx_trace_tracepoint_exists("sched:sched_switch"), -ENOENT);
}

Test(trace, kallsyms_names_addresses_and_modules)
{
	uint64_t addr = 1;

	captured(mounts_both);
	cr_assert_eq(fstree_write(&t, "proc/kallsyms", "%s", kallsyms), 0);
	cr_assert_eq(scx_trace_kallsyms_lookup("schedule", &addr), 1);
	cr_assert_eq(addr, UINT64_C(0xffffffff810d1f00));
	cr_assert_eq(scx_trace_kallsyms_lookup("finish_task_switch.isra.0", NULL), 1);
	cr_assert_eq(scx_trace_kallsyms_lookup("e1000_clean", &addr), 1, "a module's symbol");
	cr_assert_eq(addr, UINT64_C(0xffffffffc0a01230));
	cr_assert_eq(scx_trace_kallsyms_lookup("finish_task_switch", NULL), 0);
	cr_assert_eq(scx_trace_kallsyms_lookup("[e1000]", NULL), 0, "a module name is no symbol");
	cr_assert_eq(scx_trace_kallsyms_lookup("T", NULL), 0, "a type letter is no symbol");
	cr_assert_eq(scx_trace_kallsyms_lookup("", NULL), -EINVAL);
	cr_assert_eq(scx_trace_kallsyms_lookup("a b", NULL), -EINVAL);
	/* kptr_restrict: every address shown as zeros */
	cr_assert_eq(fstree_write(&t, "proc/kallsyms", "0000000000000000 T schedule\n"), 0);
	cr_assert_eq(scx_trace_kallsyms_lookup("schedule", &addr), 1);
	cr_assert_eq(addr, 0);
	cr_assert_eq(unlink(fstree_path(&t, "proc/kallsyms")), 0);
	cr_assert_eq(scx_trace_kallsyms_lookup("schedule", NULL), -ENOENT);
}

Test(trace, fifo_in_place_of_a_file_does_not_block, .timeout = 10)
{
	captured(mounts_both);
	cr_assert_eq(fstree_mkdir(&t, "sys/kernel/tracing"), 0);
	cr_assert_eq(mkfifo(fstree_path(&t, "sys/kernel/tracing/available_events"), 0600), 0);
	cr_assert_eq(mkfifo(fstree_path(&t, "proc/kallsyms"), 0600), 0);
	cr_assert_eq(scx_trace_tracepoint_exists("sched:sched_switch"), -EINVAL);
	cr_assert_eq(scx_trace_kallsyms_lookup("schedule", NULL), -EINVAL);
}

Test(trace, long_kallsyms_is_read_to_its_end)
{
	FILE *f;
	int i;

	captured(mounts_both);
	cr_assert_eq(fstree_write(&t, "proc/kallsyms", "%s", ""), 0);
	f = fopen(fstree_path(&t, "proc/kallsyms"), "w");
	cr_assert_not_null(f);
	/* about 12 MB, as a distribution kernel with modules lists */
	for (i = 0; i < 300000; i++)
		fprintf(f, "ffffffff8%07x t some_static_function_number_%d\n", i, i);
	fprintf(f, "ffffffffc1234560 T the_last_one\t[mymod]\n");
	fclose(f);
	cr_assert_eq(scx_trace_kallsyms_lookup("the_last_one", NULL), 1);
	cr_assert_eq(scx_trace_kallsyms_lookup("some_static_function_number_299999", NULL), 1);
	cr_assert_eq(scx_trace_kallsyms_lookup("some_static_function_number_300000", NULL), 0);
}

/* ---- on this machine's kernel ---- */

static const char probes_src[] =
	"char LICENSE[] __attribute__((section(\"license\"), used)) = \"GPL\";\n"
	"int hits;\n"
	"__attribute__((section(\"?kprobe/vfs_read\"), used)) int on_read(void *ctx)\n"
	"{ __sync_fetch_and_add(&hits, 1); return 0; }\n"
	"__attribute__((section(\"?kprobe/scx_no_such_function_here\"), used))\n"
	"int on_nothing(void *ctx) { return 0; }\n"
	"__attribute__((section(\"?tracepoint/sched/sched_switch\"), used))\n"
	"int on_switch(void *ctx) { __sync_fetch_and_add(&hits, 1); return 0; }\n"
	"__attribute__((section(\"?tracepoint/scx_none/scx_no_such_event\"), used))\n"
	"int on_no_event(void *ctx) { return 0; }\n";

static struct bpf_object *open_probes(void)
{
	const char *why = NULL;
	struct bpf_object *o;

	if (getenv("SCX_SYSFS_PREFIX"))
		cr_skip_test("SCX_SYSFS_PREFIX points elsewhere");
	if (access("/proc/kallsyms", R_OK))
		cr_skip_test("no /proc/kallsyms");
	o = bpf_build_open(probes_src, &why);
	if (!o)
		cr_skip_test("%s", why);
	return o;
}

Test(trace, optional_programs_follow_the_running_kernel)
{
	struct bpf_object *o = open_probes();
	struct bpf_program *rd = bpf_object__find_program_by_name(o, "on_read");
	struct bpf_program *none = bpf_object__find_program_by_name(o, "on_nothing");
	struct bpf_program *sw = bpf_object__find_program_by_name(o, "on_switch");
	struct bpf_program *noev = bpf_object__find_program_by_name(o, "on_no_event");
	struct bpf_link *link = (struct bpf_link *)1;
	int tp, ret;

	cr_assert(rd && none && sw && noev);
	cr_assert_eq(scx_trace_kprobe_enable(rd, "vfs_read"), 1);
	cr_assert(bpf_program__autoload(rd));
	cr_assert_eq(scx_trace_kprobe_enable(none, "scx_no_such_function_here"), 0);
	cr_assert_not(bpf_program__autoload(none));
	cr_assert(strstr(last_msg, "scx_no_such_function_here") && strstr(last_msg, "on_nothing"),
		  "the warning names the symbol and the program: %s", last_msg);
	tp = scx_trace_tracepoint_enable(sw, "sched:sched_switch");
	if (tp == -ENOENT || tp == -EACCES) {
		bpf_object__close(o);
		cr_skip_test("no readable tracefs here: %s", strerror(-tp));
	}
	cr_assert_eq(tp, 1);
	cr_assert_eq(scx_trace_tracepoint_enable(noev, "scx_none:scx_no_such_event"), 0);
	cr_assert_not(bpf_program__autoload(noev));
	cr_assert_eq(scx_trace_kprobe_enable(NULL, "schedule"), -EINVAL);
	cr_assert_eq(scx_trace_tracepoint_enable(sw, "no-colon"), -EINVAL);

	if (bpf_object__load(o)) {
		int err = -errno;

		bpf_object__close(o);
		cr_skip_test("this kernel does not load the probes: %s", strerror(-err));
	}
	cr_assert_eq(scx_trace_kprobe_enable(rd, "vfs_read"), -EINVAL, "too late once loaded");
	cr_assert_eq(scx_trace_attach(none, &link), 0, "not loaded: nothing attached");
	cr_assert_null(link);
	ret = scx_trace_attach(sw, &link);
	cr_assert_eq(ret, 1, "tracepoint attach: %s", strerror(-ret));
	cr_assert_not_null(link);
	bpf_link__destroy(link);
	cr_assert_eq(scx_trace_attach(NULL, &link), -EINVAL);
	cr_assert_eq(scx_trace_attach(sw, NULL), -EINVAL);
	ret = scx_trace_attach(rd, &link);
	if (access("/sys/bus/event_source/devices/kprobe", F_OK) &&
	    access("/sys/kernel/tracing/kprobe_events", F_OK)) {
		/* a kernel without kprobe support (some container hosts): libbpf's error passes */
		cr_assert_eq(ret, -ENOENT, "no kprobe PMU nor kprobe_events: %d", ret);
		cr_assert_null(link);
	} else {
		cr_assert_eq(ret, 1, "kprobe attach: %s", strerror(-ret));
		cr_assert_not_null(link);
		bpf_link__destroy(link);
	}
	bpf_object__close(o);
}

Test(trace, this_machine_agrees_with_its_own_files)
{
	char buf[256];
	int ret;

	if (getenv("SCX_SYSFS_PREFIX"))
		cr_skip_test("SCX_SYSFS_PREFIX points elsewhere");
	ret = scx_trace_tracefs_mount(buf, sizeof(buf));
	if (ret == -ENOENT)
		cr_skip_test("tracefs is not mounted here");
	cr_assert_gt(ret, 0, "%s", strerror(-ret));
	cr_assert_eq(access(buf, F_OK), 0, "%s exists", buf);
	ret = scx_trace_kallsyms_lookup("schedule", NULL);
	cr_assert_eq(ret, 1, "every kernel has schedule: %d", ret);
}
