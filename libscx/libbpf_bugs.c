// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * Bugs of the libbpf the library runs with that a scheduler would otherwise meet as a crash.
 *
 * libbpf up to 1.6.0 records the object's arena map as a pointer into its array of maps
 * (obj->arena_map), taken once the maps of SEC(".maps") are in.  The global-data, kconfig and
 * struct_ops maps are added after it; when one of them makes the array grow, realloc() may
 * move it and the pointer dangles.  The map index of every relocation against an __arena
 * variable is computed from that pointer while the object is opened, and bpf_object__load()
 * then uses the garbage index (7.3's scx_qmap: a segfault in bpf_object__relocate_data()).
 * Fixed in 1.6.1 by "libbpf: Fix handling of BPF arena relocations", which keeps an index.
 *
 * By the time the library sees the object the bad index is stored in a private relocation
 * table, so nothing can repair it: the object is refused instead.
 */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "bpfobj.h"
#include "internal.h"

#ifndef BPF_MAP_TYPE_ARENA
#define BPF_MAP_TYPE_ARENA 33
#endif

/*
 * The capacity of libbpf's map array once @nr_maps maps are in: bpf_object__add_map() adds one
 * at a time and libbpf_add_mem() grows a full array by a quarter, to at least 16.
 */
size_t scx_libbpf_map_cap(size_t nr_maps)
{
	size_t cap = 0;

	while (cap < nr_maps) {
		cap += cap / 4;
		if (cap < 16)
			cap = 16;
	}
	return cap;
}

/*
 * The patch level of the running libbpf, from the file name its shared object resolves to
 * ("libbpf.so.1.6.1"): libbpf_version_string() says only "v1.6".  -1 when it cannot be told
 * (a static libbpf, a renamed file).
 */
static int libbpf_patch_level(void)
{
	char path[PATH_MAX];
	unsigned int major, minor, patch;
	const char *base;
	Dl_info info;

	if (!dladdr((void *)libbpf_version_string, &info) || !info.dli_fname ||
	    !realpath(info.dli_fname, path))
		return -1;
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	if (sscanf(base, "libbpf.so.%u.%u.%u", &major, &minor, &patch) != 3 ||
	    major != libbpf_major_version() || minor != libbpf_minor_version())
		return -1;
	return (int)patch;
}

/* Whether the running libbpf keeps the arena map as a pointer (every release before 1.6.1). */
static bool libbpf_has_arena_pointer(void)
{
	__u32 major = libbpf_major_version(), minor = libbpf_minor_version();

	if (major != 1)
		return major < 1;
	if (minor != 6)
		return minor < 6;
	/* 1.6: only 1.6.0 has it; a patch level that cannot be read counts as 1.6.0. */
	return libbpf_patch_level() < 1;
}

bool scx_obj_arena_map_moves(struct bpf_object *obj, const char **arena)
{
	size_t nr_user = 0, nr = 0;
	bool in_user = true;
	struct bpf_map *map;

	*arena = NULL;
	bpf_object__for_each_map(map, obj) {
		nr++;
		if (bpf_map__is_internal(map) || bpf_map__type(map) == BPF_MAP_TYPE_STRUCT_OPS)
			in_user = false;
		if (in_user)
			nr_user++;
		if (bpf_map__type(map) == BPF_MAP_TYPE_ARENA)
			*arena = bpf_map__name(map);
	}
	return *arena && nr > scx_libbpf_map_cap(nr_user);
}

int scx_obj_check_libbpf(struct bpf_object *obj)
{
	const char *arena;

	if (!scx_obj_arena_map_moves(obj, &arena) || !libbpf_has_arena_pointer())
		return 0;
	scx_err("libbpf %s would crash loading this object: its arena map '%s' is followed by "
		"more maps than libbpf's first map array holds, and libbpf before 1.6.1 then "
		"relocates arena accesses against a stale pointer; it needs libbpf 1.6.1 or later "
		"(\"libbpf: Fix handling of BPF arena relocations\")",
		libbpf_version_string(), arena);
	return -ELIBBAD;
}
