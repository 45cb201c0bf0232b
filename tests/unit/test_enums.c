// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/* Importing sched_ext enum values into a BPF object's rodata. */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <scx/btf.h>
#include <scx/enums.h>
#include <scx/log.h>

#include "../lib/bpf_build.h"
#include "../lib/kernel_btf.h"

static char warned[4096];

static void capture(enum scx_log_level l, const char *m, void *c)
{
	if (l <= SCX_LOG_WARN)
		snprintf(warned, sizeof(warned), "%s", m);
}

static int quiet_libbpf(enum libbpf_print_level l, const char *f, va_list ap)
{
	return 0;
}

static void setup(void)
{
	warned[0] = '\0';
	scx_log_fn_set(capture, NULL);
	libbpf_set_print(quiet_libbpf);
}

TestSuite(enums, .init = setup);

/* The shape enums.bpf.h gives an object: weak const volatile u64 __SCX_<NAME>. */
static const char obj_src[] =
	"typedef unsigned long long u64;\n"
	"#define E(n) const volatile u64 __##n __attribute__((weak))\n"
	"E(SCX_DSQ_LOCAL_ON);\n"
	"E(SCX_SLICE_DFL);\n"
	"E(SCX_ECODE_ACT_RESTART) = 1ULL << 48;\n"
	"E(SCX_ECODE_RSN_HOTPLUG) = 0x100000001ULL;\n"
	"E(SCX_NO_SUCH_ENUMERATOR_X) = 77;\n"
	"const volatile unsigned int __SCX_DSQ_GLOBAL = 9;\n"
	"const volatile u64 not_an_enum = 5;\n"
	"char LICENSE[] __attribute__((section(\"license\"), used)) = \"GPL\";\n";

static struct bpf_object *open_obj(void)
{
	const char *why = NULL;
	struct bpf_object *o = bpf_build_open(obj_src, &why);

	if (!o)
		cr_skip_test("%s", why);
	return o;
}

static uint64_t rodata(struct bpf_object *o, const char *name)
{
	const struct btf *btf = bpf_object__btf(o);
	struct bpf_map *map;
	const struct btf_type *ds;
	const struct btf_var_secinfo *vi;
	size_t sz = 0;
	char *data;
	uint64_t v = 0;
	int i;

	bpf_object__for_each_map(map, o) {
		if (!bpf_map__is_internal(map) || !strstr(bpf_map__name(map), ".rodata"))
			continue;
		data = bpf_map__initial_value(map, &sz);
		ds = btf__type_by_id(btf, bpf_map__btf_value_type_id(map));
		vi = btf_var_secinfos(ds);
		for (i = 0; i < btf_vlen(ds); i++, vi++) {
			const struct btf_type *var = btf__type_by_id(btf, vi->type);

			if (!strcmp(btf__name_by_offset(btf, var->name_off), name)) {
				memcpy(&v, data + vi->offset, vi->size < 8 ? vi->size : 8);
				return v;
			}
		}
	}
	cr_assert_fail("no rodata variable %s", name);
	return 0;
}

Test(enums, import_from_a_real_kernel)
{
	struct btf *k = kernel_btf_load("7.3");
	struct bpf_object *o;
	uint64_t want;

	if (!k)
		cr_skip_test("no Debian 7.3 kernel BTF (tests/fetch-kernel-btf.sh could not fetch it)");
	o = open_obj();
	cr_assert_eq(scx_enums_import_btf(o, k), 4);
	cr_assert_eq(scx_btf_enum_value(k, NULL, "SCX_DSQ_LOCAL_ON", &want), 0);
	cr_assert_eq(rodata(o, "__SCX_DSQ_LOCAL_ON"), want);
	cr_assert_neq(want, 0);
	cr_assert_eq(scx_btf_enum_value(k, NULL, "SCX_SLICE_DFL", &want), 0);
	cr_assert_eq(rodata(o, "__SCX_SLICE_DFL"), want);
	cr_assert_eq(rodata(o, "__SCX_ECODE_ACT_RESTART"), 1ULL << 48);
	cr_assert_eq(rodata(o, "__SCX_ECODE_RSN_HOTPLUG"), 1ULL << 32,
		     "the kernel's value replaces the compiled default");
	cr_assert_eq(rodata(o, "__SCX_NO_SUCH_ENUMERATOR_X"), 77, "unknown: default kept");
	cr_assert_eq(rodata(o, "__SCX_DSQ_GLOBAL"), 9, "only u64 variables are imported");
	cr_assert_eq(rodata(o, "not_an_enum"), 5);
	bpf_object__close(o);
	btf__free(k);
}

/* A kernel BTF whose 64-bit enum lost its high bits. */
Test(enums, truncated_kernel_enums)
{
	struct btf *k = btf__new_empty();
	struct bpf_object *o;

	cr_assert_gt(btf__add_enum(k, "scx_exit_code", 8), 0);
	cr_assert_eq(btf__add_enum_value(k, "SCX_ECODE_ACT_RESTART", 0), 0);
	cr_assert_eq(btf__add_enum_value(k, "SCX_ECODE_RSN_HOTPLUG", 0), 0);
	cr_assert_gt(btf__add_enum(k, "scx_dsq_id_flags", 4), 0);
	cr_assert_eq(btf__add_enum_value(k, "SCX_DSQ_LOCAL_ON", 0x4000), 0);
	o = open_obj();
	/* RESTART: low bits agree, recovered; HOTPLUG: compiled 0x1_0000_0001 disagrees. */
	cr_assert_eq(scx_enums_import_btf(o, k), -ERANGE);
	cr_assert_eq(rodata(o, "__SCX_ECODE_ACT_RESTART"), 1ULL << 48);
	cr_assert_eq(rodata(o, "__SCX_ECODE_RSN_HOTPLUG"), 0x100000001ULL, "refused: default kept");
	cr_assert_eq(rodata(o, "__SCX_DSQ_LOCAL_ON"), 0x4000, "the others are still set");
	cr_assert(strstr(warned, "SCX_ECODE_RSN_HOTPLUG"), "%s", warned);
	bpf_object__close(o);
	btf__free(k);
}

Test(enums, bad_input)
{
	struct btf *k = btf__new_empty();
	const char *why;
	struct bpf_object *o;

	cr_assert_eq(scx_enums_import_btf(NULL, k), -EINVAL);
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(scx_enums_import(NULL), -EINVAL);
	o = bpf_build_open("char LICENSE[] __attribute__((section(\"license\"), used)) = \"GPL\";\n",
			   &why);
	if (!o)
		cr_skip_test("%s", why);
	cr_assert_eq(scx_enums_import_btf(o, k), 0, "an object without rodata imports nothing");
	bpf_object__close(o);
	btf__free(k);
}
