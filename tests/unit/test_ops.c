// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/* The scheduler lifecycle helpers on a real struct_ops object and real kernel BTF. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <scx/log.h>
#include <scx/ops.h>
#include <scx/user_exit_info_common.h>

#include "../../libscx/bpfobj.h"
#include "../lib/bpf_build.h"
#include "../lib/fstree.h"
#include "../lib/kernel_btf.h"

static char logged[8192];
static struct fstree t;

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
	unsetenv("SCX_TIMEOUT_MS");
	cr_assert_eq(fstree_init(&t), 0);
}

static void teardown(void)
{
	fstree_fini(&t);
}

TestSuite(ops, .init = setup, .fini = teardown);

/*
 * A scheduler object as the BPF headers shape it: its own struct sched_ext_ops with two
 * members no kernel has, a UEI (UEI_DEFINE(uei)) and an enum variable.
 */
static const char sched_src[] =
	"typedef unsigned long long u64; typedef unsigned int u32;\n"
	"struct task_struct;\n"
	"struct sched_ext_ops {\n"
	"	int (*select_cpu)(struct task_struct *p, int prev_cpu, u64 wake_flags);\n"
	"	void (*enqueue)(struct task_struct *p, u64 enq_flags);\n"
	"	void (*no_such_callback)(struct task_struct *p);\n"
	"	u64 flags;\n"
	"	u32 timeout_ms;\n"
	"	u32 exit_dump_len;\n"
	"	u64 hotplug_seq;\n"
	"	u64 no_such_field;\n"
	"	char name[128];\n"
	"};\n"
	"__attribute__((section(\"struct_ops/enqueue\"), used)) int tst_enqueue(u64 *ctx) { return 0; }\n"
	"__attribute__((section(\"struct_ops/x\"), used)) int tst_extra(u64 *ctx) { return 0; }\n"
	"__attribute__((section(\".struct_ops.link\"), used)) struct sched_ext_ops tst_ops = {\n"
	"	.enqueue = (void *)tst_enqueue, .no_such_callback = (void *)tst_extra,\n"
	"	.timeout_ms = 5000, .exit_dump_len = EXIT_DUMP_LEN, .no_such_field = 7,\n"
	"	.flags = (1ULL << 16) | 8, /* SCX_OPS_HAS_CGROUP_WEIGHT, gone in 7.3 */\n"
	"	.name = \"tst\" };\n"
	"char uei_dump[1] __attribute__((section(\".data.uei_dump\")));\n"
	"const volatile u32 uei_dump_len;\n"
	"struct user_exit_info { int kind; long long exit_code; char reason[128]; char msg[1024]; };\n"
	"struct user_exit_info uei __attribute__((section(\".data\")));\n"
	"const volatile u64 __SCX_DSQ_LOCAL_ON __attribute__((weak));\n"
	"char LICENSE[] __attribute__((section(\"license\"), used)) = \"GPL\";\n";

static struct bpf_object *open_sched(unsigned int exit_dump_len)
{
	char src[sizeof(sched_src) + 64];
	const char *why = NULL;
	struct bpf_object *o;

	snprintf(src, sizeof(src), "#define EXIT_DUMP_LEN %u\n%s", exit_dump_len, sched_src);
	o = bpf_build_open(src, &why);
	if (!o)
		cr_skip_test("%s", why);
	return o;
}

/* A member of the object's tst_ops, found through its own BTF (independent of the library). */
static void *member(struct bpf_object *o, const char *name)
{
	const struct btf *btf = bpf_object__btf(o);
	struct bpf_map *map = bpf_object__find_map_by_name(o, "tst_ops");
	const struct btf_type *st = btf__type_by_id(btf, bpf_map__btf_value_type_id(map));
	const struct btf_member *m = btf_members(st);
	size_t sz;
	char *data = bpf_map__initial_value(map, &sz);
	int i;

	for (i = 0; i < btf_vlen(st); i++, m++)
		if (!strcmp(btf__name_by_offset(btf, m->name_off), name))
			return data + m->offset / 8;
	cr_assert_fail("no member %s", name);
	return NULL;
}

Test(ops, open_prepare_fits_the_object_to_a_real_kernel)
{
	const char *kpath = kernel_btf_path("7.3");
	struct bpf_object *o;
	uint64_t v64;
	uint32_t v32;
	void *ptr;

	if (!kpath)
		cr_skip_test("no Debian 7.3 kernel BTF (tests/fetch-kernel-btf.sh could not fetch it)");
	o = open_sched(0);
	fstree_write(&t, "sys/kernel/sched_ext/state", "disabled\n");
	fstree_write(&t, "sys/kernel/sched_ext/hotplug_seq", "12\n");
	setenv("SCX_TIMEOUT_MS", "3000", 1);
	SCX_OPTS(scx_ops_opts, opts, .version = "1.2.3-g1234", .btf_path = kpath,
		 .sysfs_root = t.root);
	cr_assert_eq(scx_ops_open_prepare(o, "tst_ops", &opts), 0, "%s", logged);

	cr_assert_str_eq((char *)member(o, "name"), "tst_1.2.3_g1234");
	memcpy(&v32, member(o, "timeout_ms"), 4);
	cr_assert_eq(v32, 3000);
	memcpy(&v64, member(o, "hotplug_seq"), 8);
	cr_assert_eq(v64, 12);
	memcpy(&v64, member(o, "no_such_field"), 8);
	cr_assert_eq(v64, 0, "a field the kernel lacks is cleared");
	memcpy(&v64, member(o, "flags"), 8);
	cr_assert_eq(v64, 8, "a flag the kernel lacks is cleared, SCX_OPS_SWITCH_PARTIAL stays");
	cr_assert(strstr(logged, "does not have the flags 0x10000"), "%s", logged);
	memcpy(&ptr, member(o, "no_such_callback"), sizeof(ptr));
	cr_assert_null(ptr, "a callback the kernel lacks is cleared");
	cr_assert_not(bpf_program__autoload(bpf_object__find_program_by_name(o, "tst_extra")));
	cr_assert(bpf_program__autoload(bpf_object__find_program_by_name(o, "tst_enqueue")));
	memcpy(&ptr, member(o, "enqueue"), sizeof(ptr));
	cr_assert_not_null(ptr, "a callback the kernel has stays");
	cr_assert(strstr(logged, "sched_ext_ops.no_such_callback()"), "%s", logged);
	cr_assert(strstr(logged, "sched_ext_ops.no_such_field"), "%s", logged);
	bpf_object__close(o);
}

Test(ops, open_prepare_refuses_a_kernel_without_sched_ext)
{
	struct btf *b = btf__new_empty();
	struct bpf_object *o = open_sched(0);
	const void *raw;
	__u32 sz;
	FILE *f;

	cr_assert_gt(btf__add_int(b, "int", 4, BTF_INT_SIGNED), 0);
	raw = btf__raw_data(b, &sz);
	f = fopen(fstree_path(&t, "nosched.btf"), "w");
	cr_assert_eq(fwrite(raw, 1, sz, f), sz);
	fclose(f);
	SCX_OPTS(scx_ops_opts, opts, .btf_path = fstree_path(&t, "nosched.btf"));
	cr_assert_eq(scx_ops_open_prepare(o, "tst_ops", &opts), -EOPNOTSUPP);
	cr_assert_eq(errno, EOPNOTSUPP);
	cr_assert(strstr(logged, "CONFIG_SCHED_CLASS_EXT"), "%s", logged);
	cr_assert_eq(scx_ops_open_prepare(o, "no_such_map", &opts), -ENOENT);
	cr_assert_eq(scx_ops_open_prepare(NULL, "tst_ops", &opts), -EINVAL);
	bpf_object__close(o);
	btf__free(b);
}

/*
 * The scheduler object with @nr_maps more maps in SEC(".maps") ahead of its global data and
 * struct_ops maps, the first an arena when @arena; NULL (test skipped) without clang.
 */
static struct bpf_object *open_sched_with_maps(int nr_maps, bool arena)
{
	static char src[sizeof(sched_src) + 8192];
	const char *why = NULL;
	struct bpf_object *o;
	size_t len;
	int i;

	len = snprintf(src, sizeof(src), "#define EXIT_DUMP_LEN 0\n%s", sched_src);
	for (i = 0; i < nr_maps; i++)
		len += snprintf(src + len, sizeof(src) - len,
				"struct { int (*type)[%d]; int (*max_entries)[1]; int (*map_flags)[%d];"
				" int (*key_size)[%d]; int (*value_size)[%d]; } m%d"
				" __attribute__((section(\".maps\"), used));\n",
				i == 0 && arena ? 33 : 2, i == 0 && arena ? 1024 : 0,
				i == 0 && arena ? 0 : 4, i == 0 && arena ? 0 : 4, i);
	cr_assert_lt(len, sizeof(src));
	o = bpf_build_open(src, &why);
	if (!o)
		cr_skip_test("%s", why);
	return o;
}

static bool libbpf_before_1_6(void)
{
	return libbpf_major_version() == 1 && libbpf_minor_version() < 6;
}

Test(ops, libbpf_map_array_grows_as_libbpf_grows_it)
{
	cr_assert_eq(scx_libbpf_map_cap(1), 16);
	cr_assert_eq(scx_libbpf_map_cap(16), 16);
	cr_assert_eq(scx_libbpf_map_cap(17), 20);
	cr_assert_eq(scx_libbpf_map_cap(21), 25);
	cr_assert_eq(scx_libbpf_map_cap(26), 31);
}

/* 16 maps of SEC(".maps") fill libbpf's first array; .data, .rodata and the ops map grow it. */
Test(ops, open_prepare_refuses_an_arena_object_old_libbpf_would_crash_on)
{
	struct bpf_object *o = open_sched_with_maps(16, true);
	const char *arena;

	cr_assert(scx_obj_arena_map_moves(o, &arena));
	cr_assert_str_eq(arena, "m0");
	if (!libbpf_before_1_6()) {
		bpf_object__close(o);
		cr_skip_test("libbpf %s has the arena fix", libbpf_version_string());
	}
	cr_assert_eq(scx_ops_open_prepare(o, "tst_ops", NULL), -ELIBBAD);
	cr_assert_eq(errno, ELIBBAD);
	cr_assert(strstr(logged, "libbpf 1.6.1") &&
		  strstr(logged, "Fix handling of BPF arena relocations") && strstr(logged, "'m0'"),
		  "%s", logged);
	bpf_object__close(o);
}

Test(ops, open_prepare_takes_objects_old_libbpf_loads)
{
	static const struct {
		int nr_maps;
		bool arena;
	} cases[] = { { 16, false }, { 30, false }, { 3, true } };
	const char *arena;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct bpf_object *o = open_sched_with_maps(cases[i].nr_maps, cases[i].arena);

		cr_assert_not(scx_obj_arena_map_moves(o, &arena), "case %zu", i);
		cr_assert_eq(scx_obj_check_libbpf(o), 0, "case %zu", i);
		bpf_object__close(o);
	}
	cr_assert_null(strstr(logged, "arena"), "%s", logged);
}

Test(ops, bad_timeout_env)
{
	const char *kpath = kernel_btf_path("7.3");
	struct bpf_object *o;

	if (!kpath)
		cr_skip_test("no Debian 7.3 kernel BTF (tests/fetch-kernel-btf.sh could not fetch it)");
	o = open_sched(0);
	setenv("SCX_TIMEOUT_MS", "soon", 1);
	SCX_OPTS(scx_ops_opts, opts, .btf_path = kpath, .sysfs_root = t.root);
	cr_assert_eq(scx_ops_open_prepare(o, "tst_ops", &opts), -EINVAL);
	cr_assert(strstr(logged, "SCX_TIMEOUT_MS"), "%s", logged);
	bpf_object__close(o);
}

static uint32_t dump_len_var(struct bpf_object *o, size_t *dump_size)
{
	struct bpf_map *map;
	uint32_t v = 0;

	bpf_object__for_each_map(map, o) {
		size_t sz;
		char *data = bpf_map__initial_value(map, &sz);

		if (strstr(bpf_map__name(map), ".data.uei_dump"))
			*dump_size = bpf_map__value_size(map);
		else if (strstr(bpf_map__name(map), ".rodata"))
			memcpy(&v, data, sizeof(v));	/* uei_dump_len is its only u32 */
	}
	return v;
}

Test(ops, load_prepare_sizes_the_dump)
{
	struct bpf_object *o = open_sched(0);
	size_t dump = 0;

	cr_assert_eq(scx_ops_load_prepare(o, "tst_ops", "uei"), UEI_DUMP_DFL_LEN);
	cr_assert_eq(dump_len_var(o, &dump), UEI_DUMP_DFL_LEN);
	cr_assert_eq(dump, UEI_DUMP_DFL_LEN);
	bpf_object__close(o);

	o = open_sched(4096);
	cr_assert_eq(scx_ops_load_prepare(o, "tst_ops", "uei"), 4096);
	cr_assert_eq(dump_len_var(o, &dump), 4096);
	cr_assert_eq(dump, 4096);
	cr_assert_eq(scx_ops_load_prepare(o, "tst_ops", "nouei"), -ENOENT);
	cr_assert(strstr(logged, "UEI_DEFINE(nouei)"), "%s", logged);
	cr_assert_eq(scx_ops_load_prepare(o, NULL, "uei"), -EINVAL);
	bpf_object__close(o);
}

Test(ops, attach_prepare_refuses_a_running_scheduler)
{
	struct bpf_object *o = open_sched(0);

	fstree_write(&t, "sys/kernel/sched_ext/state", "enabled\n");
	fstree_write(&t, "sys/kernel/sched_ext/root/ops", "rusty_1.0.4\n");
	SCX_OPTS(scx_ops_opts, opts, .sysfs_root = t.root);
	cr_assert_eq(scx_ops_attach_prepare(o, "tst_ops", &opts), -EBUSY);
	cr_assert(strstr(logged, "\"rusty_1.0.4\""), "%s", logged);
	fstree_write(&t, "sys/kernel/sched_ext/state", "disabled\n");
	cr_assert_eq(scx_ops_attach_prepare(o, "tst_ops", &opts), 0);
	bpf_object__close(o);

	o = open_sched(0);
	SCX_OPTS(scx_ops_opts, none, .sysfs_root = fstree_path(&t, "sys/kernel/sched_ext/root"));
	cr_assert_eq(scx_ops_attach_prepare(o, "tst_ops", &none), -EOPNOTSUPP);
	cr_assert_null(scx_ops_attach(o, "no_such_map"));
	cr_assert_eq(errno, ENOENT);
	bpf_object__close(o);
}

Test(ops, names_and_versions)
{
	char buf[SCX_OPS_NAME_LEN], small[8], longname[300];

	cr_assert_eq(scx_ops_name("simple", "1.0.0-g1234+dirty", buf, sizeof(buf)), 24);
	cr_assert_str_eq(buf, "simple_1.0.0_g1234_dirty");
	cr_assert_eq(scx_ops_name("simple", NULL, buf, sizeof(buf)), 6);
	cr_assert_str_eq(buf, "simple");
	cr_assert_eq(scx_ops_name("simple", "1.0", small, sizeof(small)), -ENAMETOOLONG);
	cr_assert_str_eq(small, "simple_");
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	cr_assert_eq(scx_ops_name(longname, "1", buf, sizeof(buf)), -ENAMETOOLONG);
	cr_assert_eq(strlen(buf), SCX_OPS_NAME_LEN - 1);
	cr_assert_eq(scx_ops_name("", "1", buf, sizeof(buf)), -EINVAL);
	cr_assert_eq(scx_ops_name("x", "1", NULL, 4), -EINVAL);

}

Test(ops, libbpf_open_opts)
{
	LIBBPF_OPTS(bpf_object_open_opts, lo);
	SCX_OPTS(scx_ops_libbpf_opts, in, .pin_root_path = "/sys/fs/bpf/x", .kconfig = "CONFIG_X=y",
		 .bpf_token_path = "/sys/fs/bpf", .kernel_log_level = 2);

	setenv("SCX_BTF_PATH", "/tmp/vmlinux.btf", 1);
	cr_assert_eq(scx_ops_fill_libbpf_opts(&in, &lo), 0);
	cr_assert_str_eq(lo.pin_root_path, "/sys/fs/bpf/x");
	cr_assert_str_eq(lo.kconfig, "CONFIG_X=y");
	cr_assert_str_eq(lo.btf_custom_path, "/tmp/vmlinux.btf");
	cr_assert_str_eq(lo.bpf_token_path, "/sys/fs/bpf");
	cr_assert_eq(lo.kernel_log_level, 2);
	in.btf_custom_path = "/boot/btf";
	cr_assert_eq(scx_ops_fill_libbpf_opts(&in, &lo), 0);
	cr_assert_str_eq(lo.btf_custom_path, "/boot/btf");
	unsetenv("SCX_BTF_PATH");
	in.kernel_log_level = 8;
	cr_assert_eq(scx_ops_fill_libbpf_opts(&in, &lo), -EINVAL);
	lo.sz = 8;
	cr_assert_eq(scx_ops_fill_libbpf_opts(&in, &lo), -EINVAL);
	cr_assert_eq(scx_ops_fill_libbpf_opts(NULL, NULL), -EINVAL);
}

Test(ops, load_error_explains)
{
	cr_assert_eq(scx_ops_load_error(-EINVAL), -EINVAL);
	cr_assert_eq(errno, EINVAL);
	cr_assert(strstr(logged, "loading the BPF scheduler failed"), "%s", logged);
}

/* On Debian's 7.2, the explanation says the kernel leaves sched_ext kfuncs uncallable. */
Test(ops, load_error_names_unsplit_kfuncs)
{
	const char *kpath = kernel_btf_path("7.2");

	if (!kpath)
		cr_skip_test("no Debian 7.2 kernel BTF (tests/fetch-kernel-btf.sh could not fetch it)");
	setenv("SCX_BTF_PATH", kpath, 1);
	cr_assert_eq(scx_ops_load_error(-EINVAL), -EINVAL);
	unsetenv("SCX_BTF_PATH");
	cr_assert(strstr(logged, "no '_impl' form") && strstr(logged, "pahole >= 1.31") &&
			  strstr(logged, "Linux 7.3"),
		  "%s", logged);
	cr_assert_null(strstr(logged, "has no sched_ext"), "%s", logged);
}

/* Write a kernel BTF with scx_bpf_create_dsq unsplit and scx_bpf_kick_cpu fine; its path. */
static const char *write_unsplit_btf(void)
{
	struct btf *b = btf__new_empty();
	int u64_id, s32_id, aux_id, proto, proto_aux;
	const void *raw;
	__u32 sz;
	FILE *f;

	u64_id = btf__add_int(b, "unsigned long long", 8, 0);
	s32_id = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	aux_id = btf__add_struct(b, "bpf_prog_aux", 0);
	aux_id = btf__add_ptr(b, aux_id);
	proto = btf__add_func_proto(b, 0);
	cr_assert_eq(btf__add_func_param(b, "cpu", s32_id), 0);
	cr_assert_eq(btf__add_func_param(b, "flags", u64_id), 0);
	cr_assert_gt(btf__add_func(b, "scx_bpf_kick_cpu", BTF_FUNC_GLOBAL, proto), 0);
	proto_aux = btf__add_func_proto(b, s32_id);
	cr_assert_eq(btf__add_func_param(b, "dsq_id", u64_id), 0);
	cr_assert_eq(btf__add_func_param(b, "node", s32_id), 0);
	cr_assert_eq(btf__add_func_param(b, "aux", aux_id), 0);
	cr_assert_gt(btf__add_func(b, "scx_bpf_create_dsq", BTF_FUNC_GLOBAL, proto_aux), 0);
	cr_assert_gt(btf__add_func(b, "scx_bpf_dsq_move_to_local", BTF_FUNC_GLOBAL, proto_aux), 0);
	raw = btf__raw_data(b, &sz);
	f = fopen(fstree_path(&t, "unsplit.btf"), "w");
	cr_assert_eq(fwrite(raw, 1, sz, f), sz);
	fclose(f);
	btf__free(b);
	return fstree_path(&t, "unsplit.btf");
}

/*
 * The object declares scx_bpf_kick_cpu (fine) and scx_bpf_create_dsq (unsplit, through a
 * flavour), not scx_bpf_dsq_move_to_local (unsplit too): only create_dsq is named.
 */
Test(ops, load_diagnose_names_the_unsplit_kfuncs_the_object_declares)
{
	static const char src[] =
		"extern void scx_bpf_kick_cpu(int cpu, unsigned long long flags)"
		" __attribute__((section(\".ksyms\")));\n"
		"extern int scx_bpf_create_dsq___v2(unsigned long long dsq_id, int node)"
		" __attribute__((section(\".ksyms\"), weak));\n"
		"__attribute__((section(\"syscall\"), used)) int prog(void *ctx)\n"
		"{ scx_bpf_kick_cpu(0, 0); return scx_bpf_create_dsq___v2(1, -1); }\n"
		"char LICENSE[] __attribute__((section(\"license\"), used)) = \"GPL\";\n";
	const char *why = NULL;
	struct bpf_object *o = bpf_build_open(src, &why);

	if (!o)
		cr_skip_test("%s", why);
	setenv("SCX_BTF_PATH", write_unsplit_btf(), 1);
	cr_assert_eq(scx_ops_load_diagnose(o, -EINVAL), -EINVAL);
	unsetenv("SCX_BTF_PATH");
	cr_assert(strstr(logged, "declares 1 kfunc that this kernel leaves uncallable "
				 "(scx_bpf_create_dsq)"),
		  "%s", logged);
	cr_assert(strstr(logged, "pahole >= 1.31"), "%s", logged);
	cr_assert_null(strstr(logged, "scx_bpf_kick_cpu"), "%s", logged);
	cr_assert_null(strstr(logged, "move_to_local"), "%s", logged);
	bpf_object__close(o);
}
