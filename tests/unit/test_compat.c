// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * The source-compatible userspace macros (scx/common.h) on a hand-made skeleton shaped like
 * bpftool's, around a clang-built scheduler object.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define SCX_SCHED_VERSION "2.0.1"
#include <scx/common.h>
#include <bpf/btf.h>

#include "../lib/bpf_build.h"
#include "../lib/fstree.h"
#include "../lib/kernel_btf.h"

static char logged[16384];

static void capture(enum scx_log_level l, const char *m, void *c)
{
	size_t len = strlen(logged);

	if (l <= SCX_LOG_WARN)
		snprintf(logged + len, sizeof(logged) - len, "%s|", m);
}

static int quiet_libbpf(enum libbpf_print_level l, const char *f, va_list ap)
{
	return 0;
}

static void setup(void)
{
	logged[0] = '\0';
	scx_log_fn_set(capture, NULL);
	libbpf_set_print(quiet_libbpf);
}

TestSuite(compat, .init = setup);

static const char sched_src[] =
	"typedef unsigned long long u64; typedef unsigned int u32;\n"
	"struct task_struct;\n"
	"struct sched_ext_ops {\n"
	"	void (*enqueue)(struct task_struct *p, u64 enq_flags);\n"
	"	u64 flags; u32 timeout_ms; u32 exit_dump_len; u64 hotplug_seq; char name[128];\n"
	"};\n"
	"__attribute__((section(\"struct_ops/enqueue\"), used)) int c_enqueue(u64 *ctx) { return 0; }\n"
	"__attribute__((section(\".struct_ops.link\"), used)) struct sched_ext_ops c_ops = {\n"
	"	.enqueue = (void *)c_enqueue, .exit_dump_len = 2048, .name = \"compat\" };\n"
	"char uei_dump[1] __attribute__((section(\".data.uei_dump\")));\n"
	"const volatile u32 uei_dump_len;\n"
	"struct user_exit_info { int kind; long long exit_code; char reason[128]; char msg[1024]; };\n"
	"struct user_exit_info uei __attribute__((section(\".data\")));\n"
	"char LICENSE[] __attribute__((section(\"license\"), used)) = \"GPL\";\n";

/* What bpftool gen skeleton gives a loader, reduced to what the macros touch. */
struct csk {
	struct bpf_object *obj;
	struct {
		struct bpf_map *c_ops;
		struct bpf_map *data_uei_dump;
	} maps;
	struct csk__data {
		struct user_exit_info uei;
	} *data;
	struct csk__data_uei_dump {
		char uei_dump[1];
	} *data_uei_dump;
	struct csk__rodata {
		u32 uei_dump_len;
	} *rodata;
};

static int load_result;
/* Kept reachable in the tests that end in SCX_BUG()'s exit, so leak checkers stay quiet. */
struct csk *compat_exiting;

static struct csk *csk__open(void)
{
	const char *why = NULL;
	struct csk *s = calloc(1, sizeof(*s));
	struct bpf_map *m;
	size_t sz;

	s->obj = bpf_build_open(sched_src, &why);
	if (!s->obj) {
		free(s);
		cr_skip_test("%s", why);
	}
	bpf_object__for_each_map(m, s->obj) {
		void *data = bpf_map__initial_value(m, &sz);

		if (!strcmp(bpf_map__name(m), "c_ops"))
			s->maps.c_ops = m;
		else if (strstr(bpf_map__name(m), ".data.uei_dump"))
			s->maps.data_uei_dump = m, s->data_uei_dump = data;
		else if (strstr(bpf_map__name(m), ".rodata"))
			s->rodata = data;
		else if (strstr(bpf_map__name(m), ".data"))
			s->data = data;
	}
	return s;
}

static int csk__load(struct csk *s)
{
	return load_result;
}

static int csk__attach(struct csk *s)
{
	return 0;
}

static void csk__destroy(struct csk *s)
{
	bpf_object__close(s->obj);
	free(s);
}

static const char *ops_name(struct csk *s)
{
	size_t sz;
	const struct btf *btf = bpf_object__btf(s->obj);
	const struct btf_type *st = btf__type_by_id(btf, bpf_map__btf_value_type_id(s->maps.c_ops));
	const struct btf_member *m = btf_members(st) + btf_vlen(st) - 1;	/* name is last */

	return (char *)bpf_map__initial_value(s->maps.c_ops, &sz) + m->offset / 8;
}

Test(compat, ops_open_and_load_prepare_a_real_kernels_object)
{
	const char *kpath = kernel_btf_path("7.3");
	struct fstree t;
	struct csk *s;

	if (!kpath)
		cr_skip_test("no Debian 7.3 kernel BTF (tests/fetch-kernel-btf.sh could not fetch it)");
	cr_assert_eq(fstree_init(&t), 0);
	fstree_write(&t, "sys/kernel/sched_ext/hotplug_seq", "3\n");
	/* the captured tree is that kernel's: SCX_ENUM_INIT() reads its BTF from there */
	cr_assert_eq(fstree_mkdir(&t, "sys/kernel/btf"), 0);
	cr_assert_eq(fstree_symlink(&t, kpath, "sys/kernel/btf/vmlinux"), 0);
	setenv("SCX_BTF_PATH", kpath, 1);
	setenv("SCX_SYSFS_PREFIX", t.root, 1);
	s = SCX_OPS_OPEN(c_ops, csk);
	cr_assert_str_eq(ops_name(s), "compat_2.0.1");
	cr_assert_eq(scx_hotplug_seq(), 3);
	SCX_OPS_LOAD(s, c_ops, csk, uei);
	cr_assert_eq(s->rodata->uei_dump_len, 2048);
	cr_assert_eq(bpf_map__value_size(s->maps.data_uei_dump), 2048);
	RESIZE_ARRAY(s, data, uei_dump, 4096);
	cr_assert_eq(bpf_map__value_size(s->maps.data_uei_dump), 4096);
	cr_assert_not_null(s->data_uei_dump);
	SCX_ENUM_INIT(s);
	csk__destroy(s);
	unsetenv("SCX_BTF_PATH");
	unsetenv("SCX_SYSFS_PREFIX");
	fstree_fini(&t);
}

/* A failed load is explained, then SCX_BUG() ends the program. */
Test(compat, ops_load_failure_exits, .exit_code = EXIT_FAILURE)
{
	struct csk *s = compat_exiting = csk__open();

	load_result = -EPERM;
	SCX_OPS_LOAD(s, c_ops, csk, uei);
	cr_assert_fail("SCX_OPS_LOAD returned after a failed load");
}

/* An opened skeleton on a system where another scheduler runs. */
static struct csk *open_beside_a_running_scheduler(void)
{
	static struct fstree t;

	cr_assert_eq(fstree_init(&t), 0);
	fstree_write(&t, "sys/kernel/sched_ext/state", "enabled\n");
	setenv("SCX_SYSFS_PREFIX", t.root, 1);
	return compat_exiting = csk__open();
}

/* SCX_OPS_ATTACH() refuses to fight a running scheduler. */
Test(compat, ops_attach_refuses_a_running_scheduler, .exit_code = EXIT_FAILURE)
{
	struct csk *s = open_beside_a_running_scheduler();

	SCX_OPS_ATTACH(s, c_ops, csk);
	cr_assert_fail("SCX_OPS_ATTACH returned while another scheduler runs");
}

/* The scx project's 2024 two-argument form refuses the same way. */
Test(compat, ops_attach_two_argument_form, .exit_code = EXIT_FAILURE)
{
	struct csk *s = open_beside_a_running_scheduler();

	SCX_OPS_ATTACH(s, c_ops);
	cr_assert_fail("SCX_OPS_ATTACH returned while another scheduler runs");
}

/* The scx project's 2024 three-argument form resizes the skeleton named skel in scope. */
Test(compat, resize_array_three_argument_form_uses_skel)
{
	struct csk *skel = csk__open();

	RESIZE_ARRAY(data, uei_dump, 512);
	cr_assert_eq(bpf_map__value_size(skel->maps.data_uei_dump), 512);
	cr_assert_not_null(skel->data_uei_dump);
	RESIZE_ARRAY(skel, data, uei_dump, 1024);
	cr_assert_eq(bpf_map__value_size(skel->maps.data_uei_dump), 1024);
	csk__destroy(skel);
}

#define STR2(x) #x
#define STR(x) STR2(x)

/* SCX_ENUM() names the rodata variable enums.bpf.h gives an enumerator. */
Test(compat, scx_enum_names_the_rodata_variable)
{
	cr_assert_str_eq(STR(SCX_ENUM(SCX_SLICE_DFL)), "__SCX_SLICE_DFL");
}

Test(compat, uei_macros)
{
	struct csk *s = csk__open();
	s64 ecode;

	cr_assert_not(UEI_EXITED(s, uei));
	strcpy(s->data->uei.reason, "scx_bpf_error");
	strcpy(s->data->uei.msg, "oops");
	strcpy(s->data_uei_dump->uei_dump, "");
	s->data->uei.exit_code = (long long)(SCX_ECODE_ACT_RESTART | 5);
	s->data->uei.kind = 1025;
	cr_assert(UEI_EXITED(s, uei));
	ecode = UEI_REPORT(s, uei);
	cr_assert_eq(ecode, (s64)(SCX_ECODE_ACT_RESTART | 5));
	cr_assert(strstr(logged, "EXIT: scx_bpf_error (oops)"), "%s", logged);
	cr_assert(UEI_ECODE_RESTART(ecode));
	cr_assert_eq(UEI_ECODE_USER(ecode), 5);
	cr_assert_eq(UEI_ECODE_SYS_ACT(ecode), SCX_ECODE_ACT_RESTART);
	cr_assert_eq(UEI_ECODE_SYS_RSN(ecode), 0);
	csk__destroy(s);
}

/* The __COMPAT_* queries answer what the library's BTF functions answer. */
Test(compat, kernel_queries)
{
	uint64_t v = 0, direct = 0;
	bool has;

	if (!scx_btf_vmlinux())
		cr_skip_test("this machine exposes no kernel BTF");
	cr_assert(__COMPAT_struct_has_field("task_struct", "pid"));
	cr_assert_not(__COMPAT_struct_has_field("task_struct", "no_such_field_x"));
	cr_assert_not(__COMPAT_has_ksym("no_such_kernel_symbol_x"));
	cr_assert_eq(__COMPAT_has_ksym("schedule"), scx_btf_ksym_exists(NULL, "schedule") == 1);
	has = __COMPAT_read_enum("scx_ops_flags", "SCX_OPS_SWITCH_PARTIAL", &v);
	cr_assert_eq(has, scx_btf_enum_value(NULL, "scx_ops_flags", "SCX_OPS_SWITCH_PARTIAL",
					     &direct) >= 0);
	cr_assert_eq(SCX_OPS_SWITCH_PARTIAL, has ? direct : 0);
	cr_assert_eq(__COMPAT_SCX_OPS_SWITCH_PARTIAL, SCX_OPS_SWITCH_PARTIAL);
	cr_assert_eq(__COMPAT_HAS_CPUMASKS, __COMPAT_has_ksym("scx_bpf_nr_cpu_ids"));
	cr_assert_eq(__COMPAT_HAS_DSQ_ITER, __COMPAT_has_ksym("bpf_iter_scx_dsq_new"));
	cr_assert_eq(__COMPAT_vmlinux_btf, scx_btf_vmlinux());
	cr_assert_eq(__COMPAT_ENUM_OR_ZERO("no_such_enum_x", "NO_SUCH_X"), 0);
}

/*
 * A kernel whose BTF (pahole before 1.25) cut its 64-bit enums to their low 32 bits: the
 * __COMPAT_* enum macros give the full values, as scx_enums_import() gives them to BPF.
 */
Test(compat, enum_macros_recover_truncated_64bit_values)
{
	struct btf *b = btf__new_empty();
	const void *raw;
	struct fstree t;
	uint64_t v = 0;
	__u32 sz;

	cr_assert_gt(btf__add_enum(b, "scx_enq_flags", 8), 0);
	cr_assert_eq(btf__add_enum_value(b, "SCX_ENQ_WAKEUP", 1), 0);
	cr_assert_eq(btf__add_enum_value(b, "SCX_ENQ_PREEMPT", 0), 0);	/* 1 << 32 */
	cr_assert_gt(btf__add_enum(b, "scx_dsq_id_flags", 8), 0);
	cr_assert_eq(btf__add_enum_value(b, "SCX_DSQ_LOCAL_ON", 0), 0);	/* 0xc000... */
	cr_assert_eq(btf__add_enum_value(b, "SCX_DSQ_GLOBAL", 5), 0);	/* 0x8000...01: not 5 */
	cr_assert_gt(btf__add_enum(b, "scx_ops_flags", 8), 0);
	cr_assert_eq(btf__add_enum_value(b, "SCX_OPS_SWITCH_PARTIAL", 8), 0);
	raw = btf__raw_data(b, &sz);
	cr_assert_not_null(raw);
	cr_assert_eq(fstree_init(&t), 0);
	cr_assert_eq(fstree_write_bytes(&t, "sys/kernel/btf/vmlinux", raw, sz), 0);
	setenv("SCX_SYSFS_PREFIX", t.root, 1);
	cr_assert_eq(__COMPAT_ENUM_OR_ZERO("scx_enq_flags", "SCX_ENQ_PREEMPT"), 1ULL << 32);
	cr_assert(__COMPAT_read_enum("scx_dsq_id_flags", "SCX_DSQ_LOCAL_ON", &v));
	cr_assert_eq(v, 0xc000000000000000ULL, "%llx", (unsigned long long)v);
	/* values that fit in 32 bits were never cut */
	cr_assert_eq(__COMPAT_ENUM_OR_ZERO("scx_enq_flags", "SCX_ENQ_WAKEUP"), 1);
	cr_assert_eq(SCX_OPS_SWITCH_PARTIAL, 8);
	/* low bits that contradict the value libscx knows: the kernel's cannot be told */
	v = 42;
	cr_assert_not(__COMPAT_read_enum("scx_dsq_id_flags", "SCX_DSQ_GLOBAL", &v));
	cr_assert_eq(v, 42);
	cr_assert_eq(__COMPAT_ENUM_OR_ZERO("scx_dsq_id_flags", "SCX_DSQ_GLOBAL"), 0);
	cr_assert(strstr(logged, "SCX_DSQ_GLOBAL"), "%s", logged);
	unsetenv("SCX_SYSFS_PREFIX");
	fstree_fini(&t);
	btf__free(b);
}

Test(compat, bug_on_exits, .exit_code = EXIT_FAILURE)
{
	errno = ENOENT;
	SCX_BUG_ON(1 + 1 == 2, "deliberate: %d", 42);
	cr_assert_fail("SCX_BUG_ON returned");
}

Test(compat, bug_on_false_continues)
{
	SCX_BUG_ON(0, "never");
	cr_assert_eq(logged[0], '\0');
}
