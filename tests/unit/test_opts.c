// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * Options structs as a caller built against a newer libscx passes them: sz covers more than
 * this library knows.  A non-zero byte right after the last known field (which can fall in
 * today's tail padding) must be refused with EINVAL by every function that takes options;
 * the same struct with that byte zero must get past the check (each case then fails for
 * another, known reason or succeeds).
 */
#include <criterion/criterion.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <scx/scx.h>

#include "../lib/bpf_build.h"

#define END_OF(TYPE, FIELD) (offsetof(struct TYPE, FIELD) + sizeof(((struct TYPE *)0)->FIELD))

/* Room for a newer struct: this library's plus 64 bytes, aligned as any struct. */
union newer {
	max_align_t align;
	unsigned char bytes[512];
};

static const char *missing_root = "/nonexistent/libscx-opts-test";

/*
 * A struct of @type's size plus 64 bytes, @root in the sysfs_root-like member at @root_off
 * (when not (size_t)-1), and @poke at @end, where the last known field ends.
 */
static void *newer(union newer *n, size_t size, size_t end, unsigned char poke, size_t root_off,
		   const void *root)
{
	size_t sz = size + 64;

	cr_assert_lt(sz, sizeof(n->bytes));
	memset(n, 0, sizeof(*n));
	memcpy(n->bytes, &sz, sizeof(sz));
	if (root_off != (size_t)-1)
		memcpy(n->bytes + root_off, &root, sizeof(root));
	n->bytes[end] = poke;
	return n->bytes;
}

#define NEWER(n, TYPE, LAST, poke, ROOTFIELD, root)                                       \
	((const struct TYPE *)newer((n), sizeof(struct TYPE), END_OF(TYPE, LAST), (poke), \
				    offsetof(struct TYPE, ROOTFIELD), (root)))
#define NEWER_NOROOT(n, TYPE, LAST, poke)                                                 \
	((const struct TYPE *)newer((n), sizeof(struct TYPE), END_OF(TYPE, LAST), (poke), \
				    (size_t)-1, NULL))

/* The poked struct is refused; the zeroed one fails too, but for another reason. */
#define REFUSED_THEN_PAST(poked_call, zeroed_call) \
	do {                                       \
		cr_assert_null(poked_call);        \
		cr_assert_eq(errno, EINVAL);       \
		cr_assert_null(zeroed_call);       \
		cr_assert_neq(errno, EINVAL);      \
	} while (0)

static void silence(enum scx_log_level level, const char *msg, void *ctx)
{
	(void)level;
	(void)msg;
	(void)ctx;
}

static void setup(void)
{
	scx_log_fn_set(silence, NULL);
}

TestSuite(opts, .init = setup);

/* Tail padding exists where the old sizeof() check looked past it: name the cases it missed. */
Test(opts, last_field_is_where_the_check_starts)
{
	cr_assert_lt(END_OF(scx_topo_opts, flatten_llc), sizeof(struct scx_topo_opts));
	cr_assert_lt(END_OF(scx_topo_opts, flatten_nodes), sizeof(struct scx_topo_opts));
	cr_assert_lt(END_OF(scx_perf_opts, start_disabled), sizeof(struct scx_perf_opts));
	cr_assert_lt(END_OF(scx_pm_opts, allow_fake_root_writes), sizeof(struct scx_pm_opts));
	cr_assert_lt(END_OF(scx_netdev_opts, allow_fake_root_writes),
		     sizeof(struct scx_netdev_opts));
	cr_assert_lt(END_OF(scx_power_profile_opts, no_dbus),
		     sizeof(struct scx_power_profile_opts));
	cr_assert_lt(END_OF(scx_ops_libbpf_opts, kernel_log_level), sizeof(struct scx_ops_libbpf_opts));
	cr_assert_lt(END_OF(scx_mangoapp_opts, create), sizeof(struct scx_mangoapp_opts));
}

Test(opts, topo_load)
{
	union newer n;

	REFUSED_THEN_PAST(
		scx_topo_load(NEWER(&n, scx_topo_opts, flatten_nodes, 1, sysfs_root, missing_root)),
		scx_topo_load(NEWER(&n, scx_topo_opts, flatten_nodes, 0, sysfs_root, missing_root)));
}

Test(opts, topo_builder_build)
{
	struct scx_topo_builder *b = scx_topo_builder_new();
	struct scx_topo *t;
	union newer n;

	cr_assert_not_null(b);
	cr_assert_eq(scx_topo_builder_add_llc(b, 0, 2, 2, 3000000), 0);
	cr_assert_null(scx_topo_builder_build(b, NEWER_NOROOT(&n, scx_topo_opts, flatten_nodes, 1)));
	cr_assert_eq(errno, EINVAL);
	t = scx_topo_builder_build(b, NEWER_NOROOT(&n, scx_topo_opts, flatten_nodes, 0));
	cr_assert_not_null(t);
	scx_topo_free(t);
	scx_topo_builder_free(b);
}

Test(opts, em_load)
{
	union newer n;

	REFUSED_THEN_PAST(scx_em_load(NEWER(&n, scx_em_opts, em_dir, 1, sysfs_root, missing_root)),
			  scx_em_load(NEWER(&n, scx_em_opts, em_dir, 0, sysfs_root, missing_root)));
}

Test(opts, netdev_load)
{
	union newer n;

	REFUSED_THEN_PAST(scx_netdev_load(NEWER(&n, scx_netdev_opts, allow_fake_root_writes, 1,
						sysfs_root, missing_root)),
			  scx_netdev_load(NEWER(&n, scx_netdev_opts, allow_fake_root_writes, 0,
						sysfs_root, missing_root)));
}

Test(opts, pm_open)
{
	union newer n;

	REFUSED_THEN_PAST(scx_pm_open(NEWER(&n, scx_pm_opts, allow_fake_root_writes, 1, sysfs_root,
					    missing_root)),
			  scx_pm_open(NEWER(&n, scx_pm_opts, allow_fake_root_writes, 0, sysfs_root,
					    missing_root)));
}

Test(opts, perf_open)
{
	const char *names[] = {"cpu-clock"};
	union newer n;

	REFUSED_THEN_PAST(scx_perf_open(names, 1,
					NEWER(&n, scx_perf_opts, map_stride, 1, sysfs_root,
					      missing_root)),
			  scx_perf_open(names, 1,
					NEWER(&n, scx_perf_opts, map_stride, 0, sysfs_root,
					      missing_root)));
}

Test(opts, power_profile_read)
{
	union newer n;
	const struct scx_power_profile_opts *o;

	o = NEWER(&n, scx_power_profile_opts, scx_utils_mapping, 1, sysfs_root, missing_root);
	cr_assert_eq(scx_power_profile_read(o, NULL), -EINVAL);
	/* the poked byte is the last field's neighbour; no_dbus is set, so no bus is asked */
	n.bytes[offsetof(struct scx_power_profile_opts, no_dbus)] = 1;
	n.bytes[END_OF(scx_power_profile_opts, scx_utils_mapping)] = 0;
	cr_assert_lt(scx_power_profile_read(o, NULL), 0);
	cr_assert_neq(errno, EINVAL);
}

Test(opts, kstate_read)
{
	union newer n;

	REFUSED_THEN_PAST(scx_kstate_load(NEWER(&n, scx_kstate_opts, sysfs_root, 1, sysfs_root,
						missing_root)),
			  scx_kstate_load(NEWER(&n, scx_kstate_opts, sysfs_root, 0, sysfs_root,
						missing_root)));
}

Test(opts, btf_load)
{
	union newer n;

	REFUSED_THEN_PAST(scx_btf_load(NEWER(&n, scx_btf_opts, sysfs_root, 1, path, missing_root)),
			  scx_btf_load(NEWER(&n, scx_btf_opts, sysfs_root, 0, path, missing_root)));
}

Test(opts, mangoapp_open)
{
	union newer n;
	struct scx_mangoapp_opts *o;

	o = (struct scx_mangoapp_opts *)NEWER_NOROOT(&n, scx_mangoapp_opts, create, 1);
	o->use_key = 1;
	o->key = 0x5c7f0a11; /* a key no queue has: without create, ENOENT */
	cr_assert_null(scx_mangoapp_open(o));
	cr_assert_eq(errno, EINVAL);
	n.bytes[END_OF(scx_mangoapp_opts, create)] = 0;
	cr_assert_null(scx_mangoapp_open(o));
	cr_assert_eq(errno, ENOENT);
}

Test(opts, stats_client_new)
{
	struct scx_stats_client *c;
	union newer n;

	cr_assert_null(scx_stats_client_new(
		NEWER(&n, scx_stats_client_opts, max_line, 1, path, missing_root)));
	cr_assert_eq(errno, EINVAL);
	c = scx_stats_client_new(NEWER(&n, scx_stats_client_opts, max_line, 0, path, missing_root));
	cr_assert_not_null(c, "a client is made without connecting");
	scx_stats_client_free(c);
}

Test(opts, stats_server_open)
{
	/* a path under a file: refused without creating anything */
	static const char *under_a_file = "/dev/null/stats";
	union newer n;

	REFUSED_THEN_PAST(
		scx_stats_server_open(NEWER(&n, scx_stats_server_opts, thread, 1, path, under_a_file)),
		scx_stats_server_open(NEWER(&n, scx_stats_server_opts, thread, 0, path, under_a_file)));
}

Test(opts, libbpf_open_opts)
{
	LIBBPF_OPTS(bpf_object_open_opts, out);
	union newer n;

	cr_assert_eq(
		scx_ops_fill_libbpf_opts(NEWER_NOROOT(&n, scx_ops_libbpf_opts, kernel_log_level, 1), &out),
		-EINVAL);
	cr_assert_eq(
		scx_ops_fill_libbpf_opts(NEWER_NOROOT(&n, scx_ops_libbpf_opts, kernel_log_level, 0), &out),
		0);
}

static const char prog_src[] =
	"__attribute__((section(\"tc\"), used)) int noop(void *ctx) { return 0; }\n"
	"char LICENSE[] __attribute__((section(\"license\"), used)) = \"GPL\";\n";

static struct bpf_object *any_object(void)
{
	const char *why = NULL;
	struct bpf_object *o = bpf_build_open(prog_src, &why);

	if (!o)
		cr_skip_test("no BPF object could be built: %s", why ? why : "?");
	return o;
}

Test(opts, ops_open_prepare)
{
	struct bpf_object *o = any_object();
	union newer n;

	/* the object has no struct_ops map: past the options check, that is ENOENT */
	cr_assert_eq(
		scx_ops_open_prepare(
			o, "ops", NEWER(&n, scx_ops_opts, sysfs_root, 1, sysfs_root, missing_root)),
		-EINVAL);
	cr_assert_eq(
		scx_ops_open_prepare(
			o, "ops", NEWER(&n, scx_ops_opts, sysfs_root, 0, sysfs_root, missing_root)),
		-ENOENT);
	bpf_object__close(o);
}

Test(opts, ops_attach_prepare)
{
	struct bpf_object *o = any_object();
	union newer n;

	cr_assert_eq(
		scx_ops_attach_prepare(
			o, "ops", NEWER(&n, scx_ops_opts, sysfs_root, 1, sysfs_root, missing_root)),
		-EINVAL);
	cr_assert_eq(
		scx_ops_attach_prepare(
			o, "ops", NEWER(&n, scx_ops_opts, sysfs_root, 0, sysfs_root, missing_root)),
		-ENOENT);
	bpf_object__close(o);
}
