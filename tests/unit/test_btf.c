// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/* BTF queries: synthetic BTF for the corner cases, real Debian sched_ext kernels' BTF. */
#include <criterion/criterion.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <scx/btf.h>
#include <scx/log.h>

#include "../lib/bpf_build.h"
#include "../lib/fstree.h"
#include "../lib/kernel_btf.h"

static char last_warning[4096];

static void capture(enum scx_log_level l, const char *m, void *c)
{
	if (l <= SCX_LOG_WARN)
		snprintf(last_warning, sizeof(last_warning), "%s", m);
}

static void setup(void)
{
	last_warning[0] = '\0';
	scx_log_fn_set(capture, NULL);
}

TestSuite(btf, .init = setup);

/* A BTF as pahole < 1.25 writes a 64-bit enum: 8-byte BTF_KIND_ENUM, low 32 bits only. */
static struct btf *truncated_btf(void)
{
	struct btf *b = btf__new_empty();

	cr_assert_not_null(b);
	cr_assert_gt(btf__add_enum(b, "scx_exit_code", 8), 0);
	cr_assert_eq(btf__add_enum_value(b, "SCX_ECODE_RSN_HOTPLUG", 0), 0);	/* 1 << 32 */
	cr_assert_eq(btf__add_enum_value(b, "SCX_ECODE_LOW", 0x1234), 0);	/* 0x5_0000_1234 */
	cr_assert_gt(btf__add_enum(b, "scx_exit_kind", 4), 0);
	cr_assert_eq(btf__add_enum_value(b, "SCX_EXIT_ERROR", 1024), 0);
	cr_assert_eq(btf__add_enum_value(b, "SCX_EXIT_NEG", -2), 0);
	cr_assert_gt(btf__add_enum64(b, "scx_enq_flags", 8, false), 0);
	cr_assert_eq(btf__add_enum64_value(b, "SCX_ENQ_PREEMPT", 1ULL << 32), 0);
	return b;
}

Test(btf, enum_values_plain_and_64)
{
	struct btf *b = truncated_btf();
	uint64_t v = 0;

	cr_assert_eq(scx_btf_enum_value(b, "scx_exit_kind", "SCX_EXIT_ERROR", &v), 0);
	cr_assert_eq(v, 1024);
	cr_assert_eq(scx_btf_enum_value(b, NULL, "SCX_EXIT_NEG", &v), 0);
	cr_assert_eq(v, (uint64_t)-2LL, "a signed enum value is sign-extended (%llx)", (unsigned long long)v);
	cr_assert_eq(scx_btf_enum_value(b, NULL, "SCX_ENQ_PREEMPT", &v), 0);
	cr_assert_eq(v, 1ULL << 32);
	cr_assert_eq(scx_btf_enum_value(b, "scx_exit_kind", "SCX_ENQ_PREEMPT", &v), -ENOENT,
		     "the type filter applies");
	cr_assert_eq(errno, ENOENT);
	cr_assert_eq(scx_btf_enum_value(b, NULL, "SCX_NOPE", &v), -ENOENT);
	cr_assert_eq(scx_btf_enum_value(b, NULL, NULL, &v), -EINVAL);
	cr_assert_eq(scx_btf_enum_value(b, NULL, "SCX_EXIT_ERROR", NULL), -EINVAL);
	btf__free(b);
}

Test(btf, truncated_enum64_recovery)
{
	struct btf *b = truncated_btf();
	const char *first = NULL;
	uint64_t v = 0;

	cr_assert_eq(scx_btf_enum_value(b, NULL, "SCX_ECODE_RSN_HOTPLUG", &v),
		     SCX_BTF_ENUM_TRUNCATED);
	cr_assert_eq(v, 0);
	/* The low bits agree: the compiled-in value is taken. */
	cr_assert_eq(scx_btf_enum_value_expect(b, NULL, "SCX_ECODE_RSN_HOTPLUG", 1ULL << 32, &v),
		     SCX_BTF_ENUM_TRUNCATED);
	cr_assert_eq(v, 1ULL << 32);
	cr_assert_eq(scx_btf_enum_value_expect(b, "scx_exit_code", "SCX_ECODE_LOW",
					       0x500001234ULL, &v), SCX_BTF_ENUM_TRUNCATED);
	cr_assert_eq(v, 0x500001234ULL);
	/* They disagree: refuse, leave @val alone, say why. */
	v = 42;
	cr_assert_eq(scx_btf_enum_value_expect(b, NULL, "SCX_ECODE_LOW", 0x500001235ULL, &v),
		     -ERANGE);
	cr_assert_eq(errno, ERANGE);
	cr_assert_eq(v, 42);
	cr_assert(strstr(last_warning, "SCX_ECODE_LOW") && strstr(last_warning, "pahole"),
		  "warning: %s", last_warning);
	/* A full value wins over whatever the caller expected. */
	cr_assert_eq(scx_btf_enum_value_expect(b, NULL, "SCX_ENQ_PREEMPT", 7, &v), 0);
	cr_assert_eq(v, 1ULL << 32);
	cr_assert_eq(scx_btf_truncated_enums(b, &first), 1);
	cr_assert_str_eq(first, "scx_exit_code");
	btf__free(b);
}

/* Without a caller's expected value: libscx's own 64-bit sched_ext values fill the gap. */
Test(btf, truncated_enum64_recovery_from_libscx_headers)
{
	struct btf *b = truncated_btf();
	uint64_t v = 0;

	cr_assert_eq(scx_btf_enum_value_full(b, NULL, "SCX_ECODE_RSN_HOTPLUG", &v),
		     SCX_BTF_ENUM_TRUNCATED);
	cr_assert_eq(v, 1ULL << 32);
	/* not a value libscx knows wider than 32 bits: the low bits are all there is */
	cr_assert_eq(scx_btf_enum_value_full(b, "scx_exit_code", "SCX_ECODE_LOW", &v),
		     SCX_BTF_ENUM_TRUNCATED);
	cr_assert_eq(v, 0x1234);
	cr_assert_eq(scx_btf_enum_value_full(b, NULL, "SCX_ENQ_PREEMPT", &v), 0);
	cr_assert_eq(v, 1ULL << 32);
	cr_assert_eq(scx_btf_enum_value_full(b, NULL, "SCX_EXIT_NEG", &v), 0);
	cr_assert_eq(v, (uint64_t)-2LL);
	/* low bits that contradict libscx's value: refused, @val kept, the warning says why */
	cr_assert_gt(btf__add_enum(b, "scx_dsq_id_flags", 8), 0);
	cr_assert_eq(btf__add_enum_value(b, "SCX_DSQ_LOCAL", 3), 0);	/* 0x8000...02 */
	v = 42;
	cr_assert_eq(scx_btf_enum_value_full(b, NULL, "SCX_DSQ_LOCAL", &v), -ERANGE);
	cr_assert_eq(errno, ERANGE);
	cr_assert_eq(v, 42);
	cr_assert(strstr(last_warning, "SCX_DSQ_LOCAL"), "warning: %s", last_warning);
	cr_assert_eq(scx_btf_enum_value_full(b, NULL, "SCX_NOPE", &v), -ENOENT);
	cr_assert_eq(scx_btf_enum_value_full(b, NULL, NULL, &v), -EINVAL);
	cr_assert_eq(scx_btf_enum_value_full(b, NULL, "SCX_EXIT_NEG", NULL), -EINVAL);
	cr_assert_eq(errno, EINVAL);
	btf__free(b);
}

/* A kfunc of @b named @name: split (foo without aux, foo_impl with it), unsplit, or plain. */
enum aux_form { AUX_SPLIT, AUX_UNSPLIT, AUX_NONE };

static void add_kfunc(struct btf *b, const char *name, enum aux_form form)
{
	int u64_id = btf__find_by_name_kind(b, "unsigned long long", BTF_KIND_INT);
	int s32_id = btf__find_by_name_kind(b, "int", BTF_KIND_INT);
	int ptr_id = btf__add_ptr(b, btf__find_by_name_kind(b, "bpf_prog_aux", BTF_KIND_STRUCT));
	int proto = btf__add_func_proto(b, s32_id), proto_aux;
	char impl[128];

	cr_assert_eq(btf__add_func_param(b, "dsq_id", u64_id), 0);
	proto_aux = btf__add_func_proto(b, s32_id);
	cr_assert_eq(btf__add_func_param(b, "dsq_id", u64_id), 0);
	cr_assert_eq(btf__add_func_param(b, "aux", ptr_id), 0);
	cr_assert_gt(btf__add_func(b, name, BTF_FUNC_GLOBAL, form == AUX_UNSPLIT ? proto_aux : proto),
		     0);
	snprintf(impl, sizeof(impl), "%s_impl", name);
	if (form == AUX_SPLIT)
		cr_assert_gt(btf__add_func(b, impl, BTF_FUNC_GLOBAL, proto_aux), 0);
}

/*
 * BTF as Debian's 7.2 kernel has it: struct bpf_prog_aux and kfuncs that resolve_btfids split,
 * did not split, or that have no aux argument at all.
 */
static struct btf *aux_btf(bool broken)
{
	struct btf *b = btf__new_empty();
	int u64_id;

	cr_assert_not_null(b);
	u64_id = btf__add_int(b, "unsigned long long", 8, 0);
	cr_assert_gt(btf__add_int(b, "int", 4, BTF_INT_SIGNED), 0);
	cr_assert_gt(btf__add_struct(b, "bpf_prog_aux", 8), 0);
	cr_assert_eq(btf__add_field(b, "id", u64_id, 0, 0), 0);
	add_kfunc(b, "scx_bpf_dsq_insert", AUX_SPLIT);
	add_kfunc(b, "scx_bpf_create_dsq", broken ? AUX_UNSPLIT : AUX_SPLIT);
	add_kfunc(b, "scx_bpf_kick_cpu", AUX_NONE);
	add_kfunc(b, "bpf_iter_scx_dsq_new", broken ? AUX_UNSPLIT : AUX_SPLIT);
	add_kfunc(b, "bpf_iter_scx_dsq_next", AUX_SPLIT);
	/* Outside sched_ext: not counted, though unsplit. */
	add_kfunc(b, "bpf_other_kfunc", AUX_UNSPLIT);
	return b;
}

Test(btf, split_kfunc_is_callable)
{
	struct btf *b = aux_btf(false);
	const char *first = "x";

	cr_assert_eq(scx_btf_aux_kfuncs(b, &first), 0);
	cr_assert_null(first);
	cr_assert_eq(scx_btf_aux_kfuncs(b, NULL), 0);
	cr_assert_eq(scx_btf_kfunc_unsplit(b, "scx_bpf_dsq_insert"), 0);
	cr_assert_eq(scx_btf_kfunc_unsplit(b, "scx_bpf_dsq_insert_impl"), 0,
		     "the _impl form itself is not a kfunc to call");
	cr_assert_eq(scx_btf_kfunc_unsplit(b, "scx_bpf_kick_cpu"), 0);
	cr_assert_eq(scx_btf_kfunc_unsplit(b, "scx_bpf_no_such_kfunc"), 0);
	cr_assert_eq(scx_btf_ksym_exists(b, "scx_bpf_create_dsq_impl"), 1);
	cr_assert_eq(scx_btf_kfunc_unsplit(b, NULL), -EINVAL);
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(scx_btf_kfunc_unsplit(b, ""), -EINVAL);
	btf__free(b);
}

Test(btf, unsplit_kfunc_is_broken)
{
	struct btf *b = aux_btf(true);
	const char *first = NULL;

	cr_assert_eq(scx_btf_aux_kfuncs(b, &first), 2);
	cr_assert_str_eq(first, "scx_bpf_create_dsq");
	cr_assert_eq(scx_btf_kfunc_unsplit(b, "scx_bpf_create_dsq"), 1);
	cr_assert_eq(scx_btf_kfunc_unsplit(b, "bpf_other_kfunc"), 1, "any name may be asked");
	cr_assert_eq(scx_btf_kfunc_unsplit(b, "scx_bpf_dsq_insert"), 0);
	btf__free(b);
}

Test(btf, unsplit_iterator_kfunc_is_broken)
{
	struct btf *b = aux_btf(true);

	cr_assert_eq(scx_btf_kfunc_unsplit(b, "bpf_iter_scx_dsq_new"), 1);
	cr_assert_eq(scx_btf_kfunc_unsplit(b, "bpf_iter_scx_dsq_next"), 0);
	btf__free(b);
}

Test(btf, struct_fields_and_types)
{
	struct btf *b = btf__new_empty();
	const char *const names[] = { "sched_ext_ops_v0", "sched_ext_ops", "task_struct" };
	const char *const none[] = { "nope", "nope2" };
	int u32_id, inner, ops_fwd;

	u32_id = btf__add_int(b, "unsigned int", 4, 0);
	ops_fwd = btf__add_fwd(b, "sched_ext_ops", BTF_FWD_STRUCT);
	cr_assert_gt(ops_fwd, 0);
	inner = btf__add_union(b, NULL, 4);
	cr_assert_eq(btf__add_field(b, "hidden_a", u32_id, 0, 0), 0);
	cr_assert_gt(btf__add_struct(b, "sched_ext_ops", 8), 0);
	cr_assert_eq(btf__add_field(b, "flags", u32_id, 0, 0), 0);
	cr_assert_eq(btf__add_field(b, NULL, inner, 32, 0), 0);
	cr_assert_eq(scx_btf_struct_has_field(b, "sched_ext_ops", "flags"), 1);
	cr_assert_eq(scx_btf_struct_has_field(b, "sched_ext_ops", "hidden_a"), 1,
		     "members of anonymous unions count");
	cr_assert_eq(scx_btf_struct_has_field(b, "sched_ext_ops", "dump"), 0);
	cr_assert_eq(scx_btf_struct_has_field(b, "missing_ops", "flags"), -ENOENT);
	cr_assert_eq(scx_btf_struct_has_field(b, NULL, "flags"), -EINVAL);
	cr_assert_eq(scx_btf_find_any_type(b, names, 3), 1);
	cr_assert_eq(scx_btf_find_any_type(b, none, 2), -ENOENT);
	cr_assert_eq(scx_btf_find_any_type(b, names, 0), -EINVAL);
	btf__free(b);
}

/* Write @b as the tree's sys/kernel/btf/vmlinux. */
static void write_vmlinux(struct fstree *t, const struct btf *b)
{
	const void *raw;
	__u32 sz;

	raw = btf__raw_data(b, &sz);
	cr_assert_not_null(raw);
	cr_assert_eq(fstree_write_bytes(t, "sys/kernel/btf/vmlinux", raw, sz), 0);
}

Test(btf, load_from_file_and_sysfs_tree)
{
	struct btf *b = truncated_btf(), *l;
	struct fstree t;
	uint64_t v;

	cr_assert_eq(fstree_init(&t), 0);
	write_vmlinux(&t, b);

	SCX_OPTS(scx_btf_opts, o1, .sysfs_root = t.root);
	l = scx_btf_load(&o1);
	cr_assert_not_null(l);
	cr_assert_eq(scx_btf_enum_value(l, NULL, "SCX_EXIT_ERROR", &v), 0);
	cr_assert_eq(v, 1024);
	scx_btf_free(l);

	SCX_OPTS(scx_btf_opts, o2, .path = fstree_path(&t, "sys/kernel/btf/vmlinux"));
	l = scx_btf_load(&o2);
	cr_assert_not_null(l);
	cr_assert_eq(scx_btf_enum_value(l, NULL, "SCX_ENQ_PREEMPT", &v), 0);
	cr_assert_eq(v, 1ULL << 32);
	scx_btf_free(l);

	fstree_write(&t, "garbage", "not btf at all\n");
	SCX_OPTS(scx_btf_opts, o3, .path = fstree_path(&t, "garbage"));
	cr_assert_null(scx_btf_load(&o3));
	cr_assert_neq(errno, 0);
	SCX_OPTS(scx_btf_opts, o4, .path = fstree_path(&t, "absent"));
	cr_assert_null(scx_btf_load(&o4));
	cr_assert_eq(errno, ENOENT);
	fstree_fini(&t);
	btf__free(b);
}

Test(btf, vmlinux_is_shared)
{
	const struct btf *a = scx_btf_vmlinux(), *b = scx_btf_vmlinux();

	cr_assert_eq(a, b);
	if (!a)
		cr_skip_test("this machine exposes no kernel BTF");
	/* Every Linux BTF has task_struct; no kernel has this enumerator. */
	cr_assert_eq(scx_btf_struct_has_field(NULL, "task_struct", "pid"), 1);
	cr_assert_eq(scx_btf_enum_value(NULL, NULL, "SCX_NO_SUCH_VALUE_X", &(uint64_t){ 0 }),
		     -ENOENT);
	scx_btf_free((struct btf *)a);	/* ignored: still usable */
	cr_assert_eq(scx_btf_vmlinux(), a);
	cr_assert_eq(scx_btf_struct_has_field(NULL, "task_struct", "pid"), 1);
}

/*
 * Under a captured root the shared BTF is the tree's, never this machine's (whether or not it
 * has one).  Criterion runs each test in its own process, so the once-loaded BTF starts
 * unloaded here.
 */
Test(btf, vmlinux_of_a_captured_tree_without_btf_is_enoent)
{
	struct fstree t;

	cr_assert_eq(fstree_init(&t), 0);
	cr_assert_eq(fstree_mkdir(&t, "sys/kernel"), 0);
	setenv("SCX_SYSFS_PREFIX", t.root, 1);
	cr_assert_null(scx_btf_vmlinux());
	cr_assert_eq(errno, ENOENT);
	cr_assert_eq(scx_btf_struct_has_field(NULL, "task_struct", "pid"), -ENOENT);
	unsetenv("SCX_SYSFS_PREFIX");
	fstree_fini(&t);
}

Test(btf, vmlinux_of_a_captured_tree_is_the_trees)
{
	struct btf *b = truncated_btf();
	const struct btf *v;
	struct fstree t;
	uint64_t val;

	cr_assert_eq(fstree_init(&t), 0);
	write_vmlinux(&t, b);
	setenv("SCX_SYSFS_PREFIX", t.root, 1);
	v = scx_btf_vmlinux();
	cr_assert_not_null(v, "errno %d", errno);
	cr_assert_eq(scx_btf_enum_value(NULL, NULL, "SCX_EXIT_ERROR", &val), 0);
	cr_assert_eq(val, 1024);
	cr_assert_eq(scx_btf_struct_has_field(NULL, "task_struct", "pid"), -ENOENT,
		     "this machine's BTF, not the tree's");
	scx_btf_free((struct btf *)v);	/* ignored: still the shared one */
	cr_assert_eq(scx_btf_vmlinux(), v);
	unsetenv("SCX_SYSFS_PREFIX");
	fstree_fini(&t);
	btf__free(b);
}

static void *vmlinux_thread(void *arg)
{
	return (void *)scx_btf_vmlinux();
}

/* The first calls race from several threads; all get the one object (or all fail alike). */
Test(btf, vmlinux_lazy_init_is_thread_safe)
{
	pthread_t th[8];
	void *got[8];
	int i;

	for (i = 0; i < 8; i++)
		cr_assert_eq(pthread_create(&th[i], NULL, vmlinux_thread, NULL), 0);
	for (i = 0; i < 8; i++)
		cr_assert_eq(pthread_join(th[i], &got[i]), 0);
	for (i = 1; i < 8; i++)
		cr_assert_eq(got[i], got[0]);
	cr_assert_eq((void *)scx_btf_vmlinux(), got[0]);
}

/* A BTF inside an ELF file: the .BTF section of a clang-built BPF object. */
Test(btf, load_from_an_elf_file)
{
	char dir[] = "/tmp/scx-btf-XXXXXX", src[64], obj[64], cmd[256];
	const char *cc = bpf_build_cc();
	struct btf *b;
	uint64_t v;
	FILE *f;

	if (!cc)
		cr_skip_test("no clang to build an ELF file with BTF");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(src, sizeof(src), "%s/e.c", dir);
	snprintf(obj, sizeof(obj), "%s/e.o", dir);
	f = fopen(src, "w");
	cr_assert_not_null(f);
	fputs("enum scx_probe { SCX_PROBE_A = 5, SCX_PROBE_B = 0x7fffffff };\n"
	      "struct probe_ops { int x; long dump; };\n"
	      "enum scx_probe probe_e; struct probe_ops probe_s;\n", f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "%s -target bpf -g -c %s -o %s", cc, src, obj);
	cr_assert_eq(system(cmd), 0);
	SCX_OPTS(scx_btf_opts, opts, .path = obj);
	b = scx_btf_load(&opts);
	cr_assert_not_null(b, "%s", strerror(errno));
	cr_assert_eq(scx_btf_enum_value(b, "scx_probe", "SCX_PROBE_B", &v), 0);
	cr_assert_eq(v, 0x7fffffff);
	cr_assert_eq(scx_btf_struct_has_field(b, "probe_ops", "dump"), 1);
	scx_btf_free(b);
	unlink(obj);
	unlink(src);
	rmdir(dir);
}

/* The real BTF of Debian's newest sched_ext kernel. */
Test(btf, debian_kernel_sched_ext)
{
	struct btf *b = kernel_btf_load("7.3");
	const char *first = NULL;
	uint64_t v;

	if (!b)
		cr_skip_test("no Debian 7.3 kernel BTF (tests/fetch-kernel-btf.sh could not fetch it)");
	cr_assert_eq(scx_btf_enum_value(b, "scx_exit_kind", "SCX_EXIT_ERROR_BPF", &v), 0);
	cr_assert_eq(v, 1025);
	cr_assert_eq(scx_btf_enum_value(b, NULL, "SCX_ECODE_ACT_RESTART", &v), 0);
	cr_assert_eq(v, 1ULL << 48, "a 64-bit enumerator comes back whole");
	cr_assert_eq(scx_btf_struct_has_field(b, "sched_ext_ops", "dump"), 1);
	cr_assert_eq(scx_btf_struct_has_field(b, "sched_ext_ops", "hotplug_seq"), 1);
	cr_assert_eq(scx_btf_struct_has_field(b, "sched_ext_ops", "no_such_callback"), 0);
	cr_assert_eq(scx_btf_ksym_exists(b, "scx_bpf_dsq_move_to_local"), 1);
	cr_assert_eq(scx_btf_ksym_exists(b, "scx_bpf_no_such_kfunc_x"), 0);
	cr_assert_eq(scx_btf_aux_kfuncs(b, &first), 0, "7.3 BTF was made by a new pahole (%s)",
		     first ? first : "");
	cr_assert_eq(scx_btf_truncated_enums(b, NULL), 0);
	btf__free(b);
}

/*
 * Debian's 7.1 and 7.2 kernels, built with pahole 1.30, leave some kfuncs unsplit, not the
 * same ones (7.1.13: 19 of them, 7.2.12: 22, counted as the verifier sees them).
 */
Test(btf, debian_kernel_unsplit_kfuncs)
{
	struct btf *b = kernel_btf_load("7.2");
	const char *first = NULL;
	int n;

	if (!b)
		cr_skip_test("no Debian 7.2 kernel BTF (tests/fetch-kernel-btf.sh could not fetch it)");
	n = scx_btf_aux_kfuncs(b, &first);
	cr_assert_gt(n, 0);
	cr_assert_not_null(first);
	cr_assert_eq(scx_btf_kfunc_unsplit(b, first), 1);
	cr_assert_eq(scx_btf_kfunc_unsplit(b, "scx_bpf_create_dsq"), 1);
	cr_assert_eq(scx_btf_kfunc_unsplit(b, "scx_bpf_error_bstr"), 1);
	cr_assert_eq(scx_btf_kfunc_unsplit(b, "scx_bpf_exit_bstr"), 0);
	cr_assert_eq(scx_btf_kfunc_unsplit(b, "bpf_iter_scx_dsq_new"), 1);
	cr_log_info("Debian 7.2: %d unsplit sched_ext kfuncs, %s first", n, first);
	btf__free(b);
}
