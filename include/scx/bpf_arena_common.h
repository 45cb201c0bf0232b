/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * bpf_arena_common.h: the userspace twin of <scx/bpf_arena_common.bpf.h>.
 *
 * Userspace sees an arena at the same addresses as the BPF side, so arena data structures can
 * be shared in one header compiled both ways: here the address-space markers vanish and the
 * casts do nothing.
 */
#ifndef __SCX_BPF_ARENA_COMMON_H
#define __SCX_BPF_ARENA_COMMON_H

#include <stddef.h>

#ifndef NUMA_NO_NODE
#define NUMA_NO_NODE (-1)
#endif

#ifndef arena_container_of
#define arena_container_of(ptr, type, member)					\
	((type *)((char *)(ptr) - offsetof(type, member)))
#endif

#define __arena
#define __arena_global

/* The arena page size, as the BPF side has it (4 KiB unless the build says otherwise). */
#ifndef __PAGE_SIZE
#define __PAGE_SIZE 4096
#endif
#ifndef PAGE_SIZE
#define PAGE_SIZE __PAGE_SIZE
#endif
#ifndef __arg_arena
#define __arg_arena
#endif
#define cast_kern(ptr)
#define cast_user(ptr)

/*
 * The BPF side's page allocator, for code shared by both sides: userspace cannot allocate
 * arena pages (it sees the pages the BPF side allocated), so these do nothing.
 */
static inline void __arena *bpf_arena_alloc_pages(void *map, void *addr, unsigned int page_cnt,
						  int node_id, unsigned long long flags)
{
	(void)map;
	(void)addr;
	(void)page_cnt;
	(void)node_id;
	(void)flags;
	return NULL;
}

static inline void bpf_arena_free_pages(void *map, void __arena *ptr, unsigned int page_cnt)
{
	(void)map;
	(void)ptr;
	(void)page_cnt;
}

#endif /* __SCX_BPF_ARENA_COMMON_H */
