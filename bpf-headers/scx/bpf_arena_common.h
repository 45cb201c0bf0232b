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

#ifndef __PAGE_SIZE
#define __PAGE_SIZE 4096
#endif

#ifndef arena_container_of
#define arena_container_of(ptr, type, member)					\
	((type *)((char *)(ptr) - offsetof(type, member)))
#endif

#define __arena
#define __arena_global
#define cast_kern(ptr)
#define cast_user(ptr)

#endif /* __SCX_BPF_ARENA_COMMON_H */
