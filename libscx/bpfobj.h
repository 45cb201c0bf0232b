/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * Reaching into an opened (not yet loaded) BPF object: global-data sections, their variables
 * and struct_ops map members, located through the object's own BTF.  Not installed.
 */
#ifndef SCX_BPFOBJ_H
#define SCX_BPFOBJ_H

#include <stdbool.h>
#include <stddef.h>

struct bpf_object;
struct bpf_map;
struct btf_type;

/* The global-data map of ELF section @sec (".rodata", ".data.uei_dump"), or NULL. */
struct bpf_map *scx_obj_datasec_map(struct bpf_object *obj, const char *sec);

/*
 * Call @fn for every variable of section @sec, with a pointer to its bytes in the map's initial
 * value.  A non-zero return of @fn stops the walk and is returned.  -ENOENT without the section.
 */
int scx_obj_for_each_var(struct bpf_object *obj, const char *sec,
			 int (*fn)(const char *name, void *data, size_t size, void *ctx), void *ctx);

/* A variable's bytes in the initial value of section @sec, or NULL. */
void *scx_obj_var(struct bpf_object *obj, const char *sec, const char *name, size_t *size);

/*
 * Member @name of the struct_ops map @map of @obj: a pointer into the map's initial value, its size,
 * and its type (modifiers and typedefs skipped).  0, or -ENOENT.
 */
int scx_obj_ops_member(struct bpf_object *obj, struct bpf_map *map, const char *name, void **data,
		       size_t *size, const struct btf_type **type);

/* The capacity libbpf's array of an object's maps has once it holds @nr_maps (libbpf_bugs.c). */
size_t scx_libbpf_map_cap(size_t nr_maps);

/*
 * Whether @obj has an arena map (its name in *@arena, else NULL) followed by enough maps to make
 * libbpf grow its map array after recording the arena map, whatever the libbpf version.
 */
bool scx_obj_arena_map_moves(struct bpf_object *obj, const char **arena);

/* 0, or -ELIBBAD (logged) when the running libbpf would crash loading @obj. */
int scx_obj_check_libbpf(struct bpf_object *obj);

#endif /* SCX_BPFOBJ_H */
