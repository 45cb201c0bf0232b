// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * Kernel BTF queries through libbpf.
 */
#include "config.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <scx/btf.h>
#include <scx/trace.h>

#include "btf_internal.h"
#include "internal.h"
#include "sysfs.h"

/* The largest vmlinux BTF accepted from a sysfs tree (7.x kernels carry about 6 MiB). */
#define VMLINUX_BTF_MAX (256u << 20)
/* The kernel's KSYM_NAME_LEN: no kfunc name is longer. */
#define KSYM_NAME_LEN 512

static pthread_once_t vmlinux_once = PTHREAD_ONCE_INIT;
static struct btf *vmlinux_btf;
static int vmlinux_err;

/* sys/kernel/btf/vmlinux under @fs's root; NULL with *@err set (-errno) on failure. */
static struct btf *load_from_tree(struct scx_sysfs *fs, int *err)
{
	struct btf *btf;
	char *data;
	int len;

	len = scx_sysfs_read_alloc(fs, &data, VMLINUX_BTF_MAX, "sys/kernel/btf/vmlinux");
	if (len < 0) {
		*err = len;
		scx_dbg("cannot read sys/kernel/btf/vmlinux under '%s': %s", fs->root,
			strerror(-len));
		return NULL;
	}
	btf = btf__new(data, (__u32)len);
	*err = btf ? 0 : (errno ? -errno : -EINVAL);
	free(data);
	if (!btf)
		scx_dbg("sys/kernel/btf/vmlinux under '%s' is not BTF: %s", fs->root,
			strerror(-*err));
	return btf;
}

/*
 * Under a captured tree (SCX_SYSFS_PREFIX naming a root that is not this system's), the
 * kernel's BTF is the tree's sys/kernel/btf/vmlinux and nothing else: libbpf's fallbacks (the
 * running kernel's sysfs, vmlinux images under /boot) would describe another kernel.
 */
static void vmlinux_load(void)
{
	struct scx_sysfs fs;
	bool captured;
	int err;

	err = scx_sysfs_init(&fs, NULL);
	if (err) {
		vmlinux_err = err;
		scx_dbg("no system root for the kernel's BTF: %s", strerror(-err));
		return;
	}
	captured = fs.fake;
	if (captured)
		vmlinux_btf = load_from_tree(&fs, &vmlinux_err);
	scx_sysfs_fini(&fs);
	if (captured)
		return;
	vmlinux_btf = btf__load_vmlinux_btf();
	if (!vmlinux_btf) {
		vmlinux_err = errno ? -errno : -ENOENT;
		scx_dbg("cannot load the kernel's BTF: %s", strerror(-vmlinux_err));
	}
}

const struct btf *scx_btf_vmlinux(void)
{
	pthread_once(&vmlinux_once, vmlinux_load);
	if (!vmlinux_btf)
		return scx_err_ptr(vmlinux_err);
	return vmlinux_btf;
}

/* The BTF a query runs on: the caller's, or the shared vmlinux one. */
static int resolve(const struct btf **btf)
{
	if (*btf)
		return 0;
	*btf = scx_btf_vmlinux();
	return *btf ? 0 : -errno;
}

struct btf *scx_btf_load(const struct scx_btf_opts *opts)
{
	const char *path = SCX_OPTS_GET(opts, path, NULL);
	struct scx_sysfs fs;
	struct btf *btf;
	int err;

	err = SCX_OPTS_VALID(opts, scx_btf_opts);
	if (err)
		return scx_err_ptr(err);
	if (path) {
		btf = btf__parse(path, NULL);
		if (!btf) {
			err = errno ? -errno : -EINVAL;
			scx_dbg("cannot parse BTF from '%s': %s", path, strerror(-err));
			return scx_err_ptr(err);
		}
		return btf;
	}
	err = scx_sysfs_init(&fs, SCX_OPTS_GET(opts, sysfs_root, NULL));
	if (err)
		return scx_err_ptr(err);
	btf = load_from_tree(&fs, &err);
	scx_sysfs_fini(&fs);
	return btf ? btf : scx_err_ptr(err);
}

void scx_btf_free(struct btf *btf)
{
	if (btf && btf != vmlinux_btf)
		btf__free(btf);
}

int scx_btf_enum_lookup(const struct btf *btf, const struct btf_type *t, const char *name,
		       uint64_t *val, bool *truncated)
{
	int i, n = btf_vlen(t);

	if (btf_is_enum(t)) {
		const struct btf_enum *e = btf_enum(t);

		for (i = 0; i < n; i++, e++) {
			if (strcmp(btf__name_by_offset(btf, e->name_off), name))
				continue;
			/* 8-byte plain ENUM: a 64-bit enum whose high bits were lost. */
			*truncated = t->size == 8;
			/* kind_flag marks a signed enum. */
			if (!*truncated && btf_kflag(t))
				*val = (uint64_t)(int64_t)e->val;
			else
				*val = (uint32_t)e->val;
			return 0;
		}
	} else if (btf_is_enum64(t)) {
		const struct btf_enum64 *e = btf_enum64(t);

		for (i = 0; i < n; i++, e++) {
			if (strcmp(btf__name_by_offset(btf, e->name_off), name))
				continue;
			*truncated = false;
			*val = btf_enum64_value(e);
			return 0;
		}
	}
	return -ENOENT;
}

int scx_btf_enum_value(const struct btf *btf, const char *type, const char *name, uint64_t *val)
{
	bool truncated = false;
	__u32 id, nr;
	int err;

	if (!name || !val)
		return scx_errno(-EINVAL);
	err = resolve(&btf);
	if (err)
		return scx_errno(err);
	nr = btf__type_cnt(btf);
	for (id = 1; id < nr; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);

		if (!btf_is_any_enum(t))
			continue;
		if (type && strcmp(btf__name_by_offset(btf, t->name_off), type))
			continue;
		if (!scx_btf_enum_lookup(btf, t, name, val, &truncated))
			return truncated ? SCX_BTF_ENUM_TRUNCATED : 0;
	}
	return scx_errno(-ENOENT);
}

int scx_btf_enum_recover(const char *name, uint64_t *v, bool truncated, uint64_t expect)
{
	if (!truncated)
		return 0;
	if ((uint32_t)*v != (uint32_t)expect) {
		scx_warn("%s: the kernel's BTF keeps only the low 32 bits (0x%08llx) and they differ "
			 "from the expected 0x%016llx; rebuild the kernel's BTF with pahole 1.25 or "
			 "later", name, (unsigned long long)*v, (unsigned long long)expect);
		return -ERANGE;
	}
	*v = expect;
	return SCX_BTF_ENUM_TRUNCATED;
}

int scx_btf_enum_value_expect(const struct btf *btf, const char *type, const char *name,
			      uint64_t expect, uint64_t *val)
{
	uint64_t v;
	int ret;

	if (!val)
		return scx_errno(-EINVAL);
	ret = scx_btf_enum_value(btf, type, name, &v);
	if (ret < 0)
		return ret;
	ret = scx_btf_enum_recover(name, &v, ret == SCX_BTF_ENUM_TRUNCATED, expect);
	if (ret < 0)
		return scx_errno(ret);
	*val = v;
	return ret;
}

/* The sched_ext values wider than 32 bits of the vmlinux.h libscx ships. */
static const struct {
	const char *name;
	uint64_t val;
} enum64_known[] = {
#include "enum64_table.h"
};

int scx_btf_enum_value_full(const struct btf *btf, const char *type, const char *name,
			    uint64_t *val)
{
	size_t i;
	uint64_t v;
	int ret;

	if (!name || !val)
		return scx_errno(-EINVAL);
	ret = scx_btf_enum_value(btf, type, name, &v);
	if (ret < 0)
		return ret;
	for (i = 0; ret == SCX_BTF_ENUM_TRUNCATED && i < ARRAY_SIZE(enum64_known); i++) {
		if (strcmp(enum64_known[i].name, name))
			continue;
		ret = scx_btf_enum_recover(name, &v, true, enum64_known[i].val);
		if (ret < 0)
			return scx_errno(ret);
		break;
	}
	*val = v;
	return ret;
}

int scx_btf_find_any_type(const struct btf *btf, const char *const *names, int nr)
{
	int i, err;

	if (!names || nr < 1)
		return scx_errno(-EINVAL);
	err = resolve(&btf);
	if (err)
		return scx_errno(err);
	for (i = 0; i < nr; i++)
		if (names[i] && btf__find_by_name(btf, names[i]) > 0)
			return i;
	return scx_errno(-ENOENT);
}

/* Search a composite's members, descending into anonymous inner structs and unions. */
static bool has_member(const struct btf *btf, const struct btf_type *t, const char *field,
		       int depth)
{
	const struct btf_member *m = btf_members(t);
	int i, n = btf_vlen(t);

	if (depth > 8)
		return false;
	for (i = 0; i < n; i++, m++) {
		const char *mname = btf__name_by_offset(btf, m->name_off);

		if (mname && *mname) {
			if (!strcmp(mname, field))
				return true;
			continue;
		}
		t = btf__type_by_id(btf, m->type);
		while (t && (btf_is_mod(t) || btf_is_typedef(t)))
			t = btf__type_by_id(btf, t->type);
		if (t && btf_is_composite(t) && has_member(btf, t, field, depth + 1))
			return true;
	}
	return false;
}

int scx_btf_struct_has_field(const struct btf *btf, const char *type, const char *field)
{
	bool found = false;
	__u32 id, nr;
	int err;

	if (!type || !field)
		return scx_errno(-EINVAL);
	err = resolve(&btf);
	if (err)
		return scx_errno(err);
	nr = btf__type_cnt(btf);
	for (id = 1; id < nr; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);

		if (!btf_is_composite(t) || strcmp(btf__name_by_offset(btf, t->name_off), type))
			continue;
		/* A forward declaration has vlen 0: keep looking for the definition. */
		found = true;
		if (has_member(btf, t, field, 0))
			return 1;
	}
	return found ? 0 : scx_errno(-ENOENT);
}

/* A symbol of /proc/kallsyms (a module's too); no answer counts as no symbol. */
static int kallsyms_has(const char *name)
{
	int saved = errno, ret = scx_trace_kallsyms_lookup(name, NULL);

	errno = saved;
	return ret == 1;
}

/* resolve() for a query about the symbol @name, which must not be empty. */
static int resolve_for(const struct btf **btf, const char *name)
{
	return !name || !*name ? -EINVAL : resolve(btf);
}

int scx_btf_ksym_exists(const struct btf *btf, const char *name)
{
	int err = resolve_for(&btf, name);
	__s32 id;

	if (err)
		return scx_errno(err);
	id = btf__find_by_name_kind(btf, name, BTF_KIND_FUNC);
	if (id <= 0)
		id = btf__find_by_name_kind(btf, name, BTF_KIND_VAR);
	if (id > 0)
		return 1;
	return kallsyms_has(name);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && !strcmp(s + ls - lx, suffix);
}

/* A FUNC whose prototype's last parameter is a pointer to struct bpf_prog_aux. */
static bool has_trailing_aux(const struct btf *btf, const struct btf_type *fn)
{
	const struct btf_type *proto = btf__type_by_id(btf, fn->type), *t;
	const struct btf_param *p;
	int n;

	if (!proto || !btf_is_func_proto(proto) || !(n = btf_vlen(proto)))
		return false;
	p = btf_params(proto) + n - 1;
	t = btf__type_by_id(btf, p->type);
	if (!t || !btf_is_ptr(t))
		return false;
	t = btf__type_by_id(btf, t->type);
	while (t && (btf_is_mod(t) || btf_is_typedef(t)))
		t = btf__type_by_id(btf, t->type);
	return t && btf_is_struct(t) && !strcmp(btf__name_by_offset(btf, t->name_off),
						 "bpf_prog_aux");
}

/* Count the types @pred accepts; *@first (when given) gets the first one's name. */
static int count_types(const struct btf *btf,
		       bool (*pred)(const struct btf *btf, const struct btf_type *t), const char **first)
{
	__u32 id, nr;
	int err, count = 0;

	if (first)
		*first = NULL;
	err = resolve(&btf);
	if (err)
		return scx_errno(err);
	nr = btf__type_cnt(btf);
	for (id = 1; id < nr; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);

		if (!pred(btf, t))
			continue;
		if (!count++ && first)
			*first = btf__name_by_offset(btf, t->name_off);
	}
	return count;
}

/* Whether @btf has a FUNC "<name>_impl", the form resolve_btfids adds when it splits a kfunc. */
static bool has_impl_twin(const struct btf *btf, const char *name)
{
	char impl[KSYM_NAME_LEN + sizeof("_impl")];

	if (snprintf(impl, sizeof(impl), "%s_impl", name) >= (int)sizeof(impl))
		return false;
	return btf__find_by_name_kind(btf, impl, BTF_KIND_FUNC) > 0;
}

/*
 * A kfunc registered with KF_IMPLICIT_ARGS that resolve_btfids did not split: its public FUNC
 * keeps the trailing aux argument and no "<name>_impl" exists, so the verifier, which looks up
 * the _impl form for every call, refuses any program calling it.
 */
static bool is_unsplit_kfunc(const struct btf *btf, const struct btf_type *t)
{
	const char *name;

	if (!btf_is_func(t))
		return false;
	name = btf__name_by_offset(btf, t->name_off);
	if (ends_with(name, "_impl") || !has_trailing_aux(btf, t))
		return false;
	return !has_impl_twin(btf, name);
}

static bool is_aux_kfunc(const struct btf *btf, const struct btf_type *t)
{
	const char *name;

	if (!btf_is_func(t))
		return false;
	name = btf__name_by_offset(btf, t->name_off);
	if (strncmp(name, "scx_bpf_", 8) && strncmp(name, "bpf_iter_scx_dsq_", 17))
		return false;
	return is_unsplit_kfunc(btf, t);
}

static bool is_truncated_enum(const struct btf *btf, const struct btf_type *t)
{
	return btf_is_enum(t) && t->size == 8;
}

int scx_btf_aux_kfuncs(const struct btf *btf, const char **first)
{
	return count_types(btf, is_aux_kfunc, first);
}

int scx_btf_kfunc_unsplit(const struct btf *btf, const char *name)
{
	int err = resolve_for(&btf, name);
	__s32 id;

	if (err)
		return scx_errno(err);
	id = btf__find_by_name_kind(btf, name, BTF_KIND_FUNC);
	return id > 0 && is_unsplit_kfunc(btf, btf__type_by_id(btf, id));
}

int scx_btf_truncated_enums(const struct btf *btf, const char **first)
{
	return count_types(btf, is_truncated_enum, first);
}
