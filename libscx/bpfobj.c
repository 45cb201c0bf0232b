// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * Reaching into an opened BPF object through its BTF.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "bpfobj.h"

static const struct btf_type *skip_mods(const struct btf *btf, const struct btf_type *t)
{
	while (t && (btf_is_mod(t) || btf_is_typedef(t)))
		t = btf__type_by_id(btf, t->type);
	return t;
}

/* The DATASEC type describing @map's value, or NULL. */
static const struct btf_type *map_datasec(const struct bpf_map *map, const struct btf *btf)
{
	const struct btf_type *t;
	__u32 id;

	if (!btf || !bpf_map__is_internal(map))
		return NULL;
	id = bpf_map__btf_value_type_id(map);
	t = id ? btf__type_by_id(btf, id) : NULL;
	return t && btf_is_datasec(t) ? t : NULL;
}

struct bpf_map *scx_obj_datasec_map(struct bpf_object *obj, const char *sec)
{
	const struct btf *btf = bpf_object__btf(obj);
	struct bpf_map *map;

	bpf_object__for_each_map(map, obj) {
		const struct btf_type *t = map_datasec(map, btf);

		if (t && !strcmp(btf__name_by_offset(btf, t->name_off), sec))
			return map;
	}
	return NULL;
}

int scx_obj_for_each_var(struct bpf_object *obj, const char *sec,
			 int (*fn)(const char *name, void *data, size_t size, void *ctx), void *ctx)
{
	const struct btf *btf = bpf_object__btf(obj);
	struct bpf_map *map = scx_obj_datasec_map(obj, sec);
	const struct btf_var_secinfo *vi;
	const struct btf_type *ds;
	size_t total = 0;
	char *data;
	int i, n, ret;

	if (!map)
		return -ENOENT;
	ds = map_datasec(map, btf);
	data = bpf_map__initial_value(map, &total);
	if (!ds || !data)
		return -ENOENT;
	vi = btf_var_secinfos(ds);
	n = btf_vlen(ds);
	for (i = 0; i < n; i++, vi++) {
		const struct btf_type *var = btf__type_by_id(btf, vi->type);

		if (!var || !btf_is_var(var) || (size_t)vi->offset + vi->size > total)
			continue;
		ret = fn(btf__name_by_offset(btf, var->name_off), data + vi->offset, vi->size, ctx);
		if (ret)
			return ret;
	}
	return 0;
}

struct find_var {
	const char *name;
	void *data;
	size_t size;
};

static int match_var(const char *name, void *data, size_t size, void *ctx)
{
	struct find_var *f = ctx;

	if (strcmp(name, f->name))
		return 0;
	f->data = data;
	f->size = size;
	return 1;
}

void *scx_obj_var(struct bpf_object *obj, const char *sec, const char *name, size_t *size)
{
	struct find_var f = { .name = name };

	if (scx_obj_for_each_var(obj, sec, match_var, &f) != 1)
		return NULL;
	if (size)
		*size = f.size;
	return f.data;
}

int scx_obj_ops_member(struct bpf_object *obj, struct bpf_map *map, const char *name, void **data,
		       size_t *size, const struct btf_type **type)
{
	const struct btf *btf = bpf_object__btf(obj);
	const struct btf_type *st, *mt;
	const struct btf_member *m;
	size_t total = 0;
	char *base;
	int i, n;

	if (!btf || bpf_map__type(map) != BPF_MAP_TYPE_STRUCT_OPS)
		return -ENOENT;
	st = skip_mods(btf, btf__type_by_id(btf, bpf_map__btf_value_type_id(map)));
	base = bpf_map__initial_value(map, &total);
	if (!st || !btf_is_struct(st) || !base)
		return -ENOENT;
	m = btf_members(st);
	n = btf_vlen(st);
	for (i = 0; i < n; i++, m++) {
		__s64 sz;
		__u32 off;

		if (strcmp(btf__name_by_offset(btf, m->name_off), name))
			continue;
		mt = skip_mods(btf, btf__type_by_id(btf, m->type));
		sz = btf__resolve_size(btf, m->type);
		off = btf_member_bit_offset(st, i) / 8;
		if (!mt || sz <= 0 || btf_member_bitfield_size(st, i) || off + (size_t)sz > total)
			return -ENOENT;
		*data = base + off;
		*size = (size_t)sz;
		if (type)
			*type = mt;
		return 0;
	}
	return -ENOENT;
}
