/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * bpf_arena_common.bpf.h: BPF arena (BPF_MAP_TYPE_ARENA) helpers for the BPF side.
 *
 * An arena is memory shared by BPF programs and userspace at the same addresses.  BPF code
 * marks arena pointers __arena (address space 1) and arena globals __arena_global; clang >= 18
 * (__BPF_FEATURE_ADDR_SPACE_CAST) inserts the address-space casts itself, so cast_kern() and
 * cast_user() are no-ops here and exist for sources shared with the userspace twin
 * <scx/bpf_arena_common.h>.
 */
#ifndef __SCX_BPF_ARENA_COMMON_BPF_H
#define __SCX_BPF_ARENA_COMMON_BPF_H

#ifndef __BPF_FEATURE_ADDR_SPACE_CAST
#error "BPF arenas need clang >= 18 (__BPF_FEATURE_ADDR_SPACE_CAST)"
#endif

/* The arena page size the kernel uses: PAGE_SIZE; 4 KiB unless the build says otherwise. */
#ifndef __PAGE_SIZE
#define __PAGE_SIZE 4096
#endif
#ifndef PAGE_SIZE
#define PAGE_SIZE __PAGE_SIZE
#endif

#ifndef arena_container_of
#define arena_container_of(ptr, type, member)					\
	({									\
		void __arena *__mptr = (void __arena *)(ptr);			\
		((type *)(__mptr - offsetof(type, member)));			\
	})
#endif

#define __arena __attribute__((address_space(1)))
#define __arena_global __attribute__((address_space(1)))
#define cast_kern(ptr) /* clang inserts the cast */
#define cast_user(ptr) /* clang inserts the cast */

void __arena *bpf_arena_alloc_pages(void *map, void __arena *addr, __u32 page_cnt, int node_id,
				    __u64 flags) __ksym __weak;
void bpf_arena_free_pages(void *map, void __arena *ptr, __u32 page_cnt) __ksym __weak;
/* Keep @page_cnt pages from @ptr out of bpf_arena_alloc_pages()'s reach (6.16+). */
int bpf_arena_reserve_pages(void *map, void __arena *ptr, __u32 page_cnt) __ksym __weak;
/* The number of pages of @p__map userspace has mapped. */
ssize_t bpf_arena_mapping_nr_pages(void *p__map) __ksym __weak;
/* Critical sections without preemption, e.g. around an arena spin lock. */
void bpf_preempt_disable(void) __ksym __weak;
void bpf_preempt_enable(void) __ksym __weak;

/*
 * Loops the verifier cannot bound: can_loop is true until the kernel's per-program loop budget
 * (may_goto, 6.9+) runs out; __cond_break(expr) runs @expr then, e.g. cond_break leaves the
 * enclosing loop and cond_break_label(l) jumps to l.
 */
#ifndef can_loop
#define can_loop								\
	({									\
		__label__ l_stop, l_go;						\
		bool ___ok = true;						\
		asm volatile goto("may_goto %l[l_stop]" :::: l_stop);		\
		goto l_go;							\
	l_stop:									\
		___ok = false;							\
	l_go:									\
		___ok;								\
	})
#endif

#ifndef __cond_break
#define __cond_break(expr)							\
	({									\
		__label__ l_stop, l_go;						\
		asm volatile goto("may_goto %l[l_stop]" :::: l_stop);		\
		goto l_go;							\
	l_stop:									\
		expr;								\
	l_go:;									\
	})
#endif

#ifndef cond_break
#define cond_break __cond_break(break)
#endif
#ifndef cond_break_label
#define cond_break_label(label) __cond_break(goto label)
#endif

#endif /* __SCX_BPF_ARENA_COMMON_BPF_H */
