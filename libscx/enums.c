// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * Import sched_ext enum values into a BPF object's rodata.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <scx/btf.h>
#include <scx/enums.h>

#include "btf_internal.h"
#include "bpfobj.h"
#include "internal.h"

#define VAR_PREFIX "__SCX_"

struct enum_var {
	const char *name;	/* "SCX_<NAME>": the variable's name without its "__" */
	uint64_t *slot;		/* the variable in the rodata initial value */
	bool found;
};

struct var_list {
	struct enum_var *v;
	size_t nr, cap;
};

static int collect(const char *name, void *data, size_t size, void *ctx)
{
	struct var_list *l = ctx;

	if (strncmp(name, VAR_PREFIX, strlen(VAR_PREFIX)) || size != sizeof(uint64_t))
		return 0;
	if (l->nr == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct enum_var *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->nr++] = (struct enum_var){ .name = name + 2, .slot = data };
	return 0;
}

static struct enum_var *wanted(struct var_list *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		if (!l->v[i].found && !strcmp(l->v[i].name, name))
			return &l->v[i];
	return NULL;
}

/* One pass over the kernel's enums, setting every wanted variable found there. */
static int import(const struct btf *kbtf, struct var_list *l)
{
	__u32 id, nr = btf__type_cnt(kbtf);
	int count = 0, err = 0, i, n;

	for (id = 1; id < nr; id++) {
		const struct btf_type *t = btf__type_by_id(kbtf, id);

		if (!btf_is_any_enum(t))
			continue;
		n = btf_vlen(t);
		for (i = 0; i < n; i++) {
			__u32 name_off = btf_is_enum(t) ? btf_enum(t)[i].name_off
							: btf_enum64(t)[i].name_off;
			const char *name = btf__name_by_offset(kbtf, name_off);
			struct enum_var *v;
			bool truncated;
			uint64_t val, dflt;
			int ret;

			if (strncmp(name, "SCX_", 4) || !(v = wanted(l, name)))
				continue;
			v->found = true;
			if (scx_btf_enum_lookup(kbtf, t, name, &val, &truncated))
				continue;
			memcpy(&dflt, v->slot, sizeof(dflt));
			ret = scx_btf_enum_recover(name, &val, truncated, dflt);
			if (ret < 0) {
				err = ret;
				continue;
			}
			memcpy(v->slot, &val, sizeof(val));
			count++;
		}
	}
	return err ? err : count;
}

int scx_enums_import_btf(struct bpf_object *obj, const struct btf *btf)
{
	struct var_list l = { 0 };
	size_t i;
	int ret;

	if (!obj)
		return scx_errno(-EINVAL);
	if (!btf) {
		btf = scx_btf_vmlinux();
		if (!btf)
			return scx_errno(-errno);
	}
	ret = scx_obj_for_each_var(obj, ".rodata", collect, &l);
	if (ret == -ENOENT)
		ret = 0;	/* no .rodata: nothing to import */
	if (!ret && l.nr)
		ret = import(btf, &l);
	for (i = 0; ret >= 0 && i < l.nr; i++)
		if (!l.v[i].found)
			scx_dbg("%s: not in this kernel, keeping the compiled default", l.v[i].name);
	free(l.v);
	return scx_errno(ret);
}

int scx_enums_import(struct bpf_object *obj)
{
	return scx_enums_import_btf(obj, NULL);
}
