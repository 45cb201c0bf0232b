/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * common.bpf.h: what the BPF half of a sched_ext scheduler includes first.
 *
 * It pulls in vmlinux.h (the kernel's types; put your own directory first on the include path
 * to use another one), libbpf's BPF headers, the user-exit-info and enum-import contracts with
 * userspace, declarations of every sched_ext and cpumask kfunc (all __ksym __weak, so one object
 * loads on kernels that lack some of them: test with bpf_ksym_exists() or use the wrappers of
 * compat.bpf.h, which this header includes), and the helper macros schedulers use.
 *
 * Kernel range: one object built with these headers loads on every kernel from 6.12 to 7.3;
 * renamed kfuncs are chosen at load time (see compat.bpf.h).
 */
#ifndef __SCX_COMMON_BPF_H
#define __SCX_COMMON_BPF_H

/*
 * vmlinux.h from bpftool >= 7.2 declares the kernel's kfuncs; this header declares them itself
 * (with load-time fallbacks for renamed ones), so vmlinux.h's own prototypes are switched off.
 */
#ifndef BPF_NO_KFUNC_PROTOTYPES
#define BPF_NO_KFUNC_PROTOTYPES
#endif
#include "vmlinux.h"

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <asm-generic/errno.h>

#include "user_exit_info.bpf.h"
#include <scx/enum_defs.h>
#include "enums.bpf.h"

/*
 * The scx project's names of late 2024 for the variables of enums.bpf.h: SCX_ENUM(name) is
 * enumerator @name's value for the running kernel (__<name>, set before load by
 * SCX_OPS_OPEN()), SCX_ENUM_DEFINE(name) declares that variable for an enumerator this header
 * leaves out.  An empty SCX_ENUM_DEFINE() declares an unused __, as it did there.
 */
#define SCX_ENUM(name) __##name
#define SCX_ENUM_DEFINE(name) const volatile u64 SCX_ENUM(name) __weak

/* Task flags (include/linux/sched.h); values stable across the supported kernels. */
#define PF_IDLE			0x00000002
#define PF_EXITING		0x00000004
#define PF_IO_WORKER		0x00000010
#define PF_WQ_WORKER		0x00000020
#define PF_FORKNOEXEC		0x00000040
#define PF_KCOMPACTD		0x00010000
#define PF_KSWAPD		0x00020000
#define PF_KTHREAD		0x00200000
#define PF_NO_SETAFFINITY	0x04000000

#ifndef CLOCK_MONOTONIC
#define CLOCK_MONOTONIC		1
#endif

/* The most CPUs a scheduler sizes its static arrays for (the kernel's default NR_CPUS). */
#ifndef NR_CPUS
#define NR_CPUS 1024
#endif

/* "Any node" for the kfuncs that take a NUMA node (scx_bpf_create_dsq(), arena pages). */
#ifndef NUMA_NO_NODE
#define NUMA_NO_NODE (-1)
#endif

/* The running kernel's configuration, filled by libbpf at load (weak: empty when unknown). */
extern int LINUX_KERNEL_VERSION __kconfig;
extern const char CONFIG_CC_VERSION_TEXT[64] __kconfig __weak;
extern const char CONFIG_LOCALVERSION[64] __kconfig __weak;
extern bool CONFIG_PREEMPT_RCU __kconfig __weak;

/*
 * Define a struct_ops callback.  BPF_STRUCT_OPS(name, args...) declares a program in section
 * struct_ops/<name> whose arguments are unpacked from the context like BPF_PROG();
 * BPF_STRUCT_OPS_SLEEPABLE() does the same for callbacks that may sleep (init, exit, init_task,
 * cgroup_init and the other ops the kernel calls from sleepable context).
 */
#define BPF_STRUCT_OPS(name, args...)						\
	SEC("struct_ops/" #name) BPF_PROG(name, ##args)

#define BPF_STRUCT_OPS_SLEEPABLE(name, args...)					\
	SEC("struct_ops.s/" #name) BPF_PROG(name, ##args)

/*
 * SCX_OPS_DEFINE(name, .op = prog, ...) defines the scheduler's struct sched_ext_ops map,
 * attached through a BPF link (libbpf >= 1.3), and sets its timeout-free defaults.  It ends
 * the declaration, as the kernel headers' macro does; a ";" after it is harmless.
 */
#define SCX_OPS_DEFINE(__name, ...)						\
	SEC(".struct_ops.link")							\
	struct sched_ext_ops __name = {						\
		__VA_ARGS__,							\
	};

/* Mark a global as living in its own data section ".data.<name>" (one map per name). */
#define private(name) SEC(".data." #name) __hidden __attribute__((aligned(8)))

/*
 * RESIZABLE_ARRAY(elfsec, arr) declares arr as a one-element array alone in section
 * ".<elfsec>.<arr>"; userspace grows it before load (bpf_map__set_value_size()), and the BPF
 * side reaches elements through ARRAY_ELEM_PTR() with the runtime length.
 */
#ifndef RESIZABLE_ARRAY
#define RESIZABLE_ARRAY(elfsec, arr) arr[1] SEC("." #elfsec "." #arr)
#endif

/* Turn a struct bpf_cpumask into the const struct cpumask that read-only kfuncs take. */
static __always_inline const struct cpumask *cast_mask(struct bpf_cpumask *mask)
{
	return (const struct cpumask *)mask;
}

/* -------------------------------------------------------------------------------------------
 * sched_ext kfuncs.  All weak: a missing one resolves to NULL at load, which bpf_ksym_exists()
 * tests and the verifier uses to drop dead branches.  Kernel versions name the first release
 * that has the kfunc under this name.
 */

/* Every kernel with sched_ext (6.12+). */
s32 scx_bpf_create_dsq(u64 dsq_id, s32 node) __ksym __weak;
void scx_bpf_destroy_dsq(u64 dsq_id) __ksym __weak;
s32 scx_bpf_dsq_nr_queued(u64 dsq_id) __ksym __weak;
u32 scx_bpf_dispatch_nr_slots(void) __ksym __weak;
void scx_bpf_dispatch_cancel(void) __ksym __weak;
void scx_bpf_kick_cpu(s32 cpu, u64 flags) __ksym __weak;
s32 scx_bpf_select_cpu_dfl(struct task_struct *p, s32 prev_cpu, u64 wake_flags,
			   bool *is_idle) __ksym __weak;
void scx_bpf_exit_bstr(s64 exit_code, char *fmt, unsigned long long *data,
		       u32 data__sz) __ksym __weak;
void scx_bpf_error_bstr(char *fmt, unsigned long long *data, u32 data__sz) __ksym __weak;
void scx_bpf_dump_bstr(char *fmt, unsigned long long *data, u32 data__sz) __ksym __weak;
u32 scx_bpf_cpuperf_cap(s32 cpu) __ksym __weak;
u32 scx_bpf_cpuperf_cur(s32 cpu) __ksym __weak;
void scx_bpf_cpuperf_set(s32 cpu, u32 perf) __ksym __weak;
u32 scx_bpf_nr_cpu_ids(void) __ksym __weak;
const struct cpumask *scx_bpf_get_possible_cpumask(void) __ksym __weak;
const struct cpumask *scx_bpf_get_online_cpumask(void) __ksym __weak;
void scx_bpf_put_cpumask(const struct cpumask *cpumask) __ksym __weak;
const struct cpumask *scx_bpf_get_idle_cpumask(void) __ksym __weak;
const struct cpumask *scx_bpf_get_idle_smtmask(void) __ksym __weak;
void scx_bpf_put_idle_cpumask(const struct cpumask *cpumask) __ksym __weak;
bool scx_bpf_test_and_clear_cpu_idle(s32 cpu) __ksym __weak;
s32 scx_bpf_pick_idle_cpu(const struct cpumask *cpus_allowed, u64 flags) __ksym __weak;
s32 scx_bpf_pick_any_cpu(const struct cpumask *cpus_allowed, u64 flags) __ksym __weak;
bool scx_bpf_task_running(const struct task_struct *p) __ksym __weak;
s32 scx_bpf_task_cpu(const struct task_struct *p) __ksym __weak;
struct rq *scx_bpf_cpu_rq(s32 cpu) __ksym __weak;		/* removed in 7.3: see compat */
struct cgroup *scx_bpf_task_cgroup(struct task_struct *p) __ksym __weak;

/* DSQ iterator (6.12+): bpf_for_each(scx_dsq, p, dsq_id, flags) { ... } */
int bpf_iter_scx_dsq_new(struct bpf_iter_scx_dsq *it, u64 dsq_id, u64 flags) __ksym __weak;
struct task_struct *bpf_iter_scx_dsq_next(struct bpf_iter_scx_dsq *it) __ksym __weak;
void bpf_iter_scx_dsq_destroy(struct bpf_iter_scx_dsq *it) __ksym __weak;

/* 6.13 names of the 6.12 dispatch kfuncs; compat.bpf.h wraps them for older kernels. */
void scx_bpf_dsq_insert___v1(struct task_struct *p, u64 dsq_id, u64 slice,
			     u64 enq_flags) __ksym __weak;
void scx_bpf_dsq_insert_vtime___v1(struct task_struct *p, u64 dsq_id, u64 slice, u64 vtime,
				   u64 enq_flags) __ksym __weak;
bool scx_bpf_dsq_move_to_local___v1(u64 dsq_id) __ksym __weak;
void scx_bpf_dsq_move_set_slice(struct bpf_iter_scx_dsq *it__iter, u64 slice) __ksym __weak;
void scx_bpf_dsq_move_set_vtime(struct bpf_iter_scx_dsq *it__iter, u64 vtime) __ksym __weak;
bool scx_bpf_dsq_move(struct bpf_iter_scx_dsq *it__iter, struct task_struct *p, u64 dsq_id,
		      u64 enq_flags) __ksym __weak;
bool scx_bpf_dsq_move_vtime(struct bpf_iter_scx_dsq *it__iter, struct task_struct *p,
			    u64 dsq_id, u64 enq_flags) __ksym __weak;
u32 scx_bpf_reenqueue_local___v1(void) __ksym __weak;

/* 6.14 */
u64 scx_bpf_now(void) __ksym __weak;

/* 6.15: NUMA-aware idle tracking and event counters */
u32 scx_bpf_nr_node_ids(void) __ksym __weak;
s32 scx_bpf_cpu_node(s32 cpu) __ksym __weak;
const struct cpumask *scx_bpf_get_idle_cpumask_node(s32 node) __ksym __weak;
const struct cpumask *scx_bpf_get_idle_smtmask_node(s32 node) __ksym __weak;
s32 scx_bpf_pick_idle_cpu_node(const struct cpumask *cpus_allowed, s32 node,
			       u64 flags) __ksym __weak;
s32 scx_bpf_pick_any_cpu_node(const struct cpumask *cpus_allowed, s32 node,
			      u64 flags) __ksym __weak;
void scx_bpf_events(struct scx_event_stats *events, size_t events__sz) __ksym __weak;

/* 6.16 / 6.17: select_cpu_and, first with five arguments, then with an argument struct */
s32 scx_bpf_select_cpu_and___v1(struct task_struct *p, s32 prev_cpu, u64 wake_flags,
				const struct cpumask *cpus_allowed, u64 flags) __ksym __weak;
s32 __scx_bpf_select_cpu_and(struct task_struct *p, const struct cpumask *cpus_allowed,
			     struct scx_bpf_select_cpu_and_args *args) __ksym __weak;

/* 6.18+ */
struct task_struct *scx_bpf_cpu_curr(s32 cpu) __ksym __weak;
struct rq *scx_bpf_locked_rq(void) __ksym __weak;

/* 6.19 / 7.x: return values on insert, args-struct vtime insert, DSQ peek, task setters */
bool scx_bpf_dsq_insert___v2___compat(struct task_struct *p, u64 dsq_id, u64 slice,
				      u64 enq_flags) __ksym __weak;
bool __scx_bpf_dsq_insert_vtime(struct task_struct *p,
				struct scx_bpf_dsq_insert_vtime_args *args) __ksym __weak;
bool scx_bpf_dsq_move_to_local___v2___compat(u64 dsq_id, u64 enq_flags) __ksym __weak;
void scx_bpf_reenqueue_local___v2___compat(void) __ksym __weak;
struct task_struct *scx_bpf_dsq_peek(u64 dsq_id) __ksym __weak;
void scx_bpf_dsq_reenq___compat(u64 dsq_id, u64 reenq_flags) __ksym __weak;
bool scx_bpf_task_set_slice(struct task_struct *p, u64 slice) __ksym __weak;
bool scx_bpf_task_set_dsq_vtime(struct task_struct *p, u64 vtime) __ksym __weak;
struct task_struct *scx_bpf_tid_to_task(u64 tid) __ksym __weak;

/*
 * 7.2+: CPU ids in topology order (cids) and arena cpu masks (cmasks); see cid.bpf.h, which
 * also wraps the cid kfuncs whose prototypes 7.3 changed (scx_bpf_kick_cid(),
 * scx_bpf_cid_topo(), scx_bpf_cidperf_set()).
 */
s32 scx_bpf_this_cid(void) __ksym __weak;
s32 scx_bpf_task_cid(const struct task_struct *p) __ksym __weak;
s32 scx_bpf_cpu_to_cid(s32 cpu) __ksym __weak;
s32 scx_bpf_cid_to_cpu(s32 cid) __ksym __weak;
u32 scx_bpf_nr_cids(void) __ksym __weak;
u32 scx_bpf_nr_online_cids(void) __ksym __weak;
struct task_struct *scx_bpf_cid_curr(s32 cid) __ksym __weak;
u32 scx_bpf_cidperf_cap(s32 cid) __ksym __weak;
u32 scx_bpf_cidperf_cur(s32 cid) __ksym __weak;

/* -------------------------------------------------------------------------------------------
 * Other kernel kfuncs schedulers use.
 */

/* struct bpf_cpumask (6.3+; populate 6.15) */
struct bpf_cpumask *bpf_cpumask_create(void) __ksym __weak;
struct bpf_cpumask *bpf_cpumask_acquire(struct bpf_cpumask *cpumask) __ksym __weak;
void bpf_cpumask_release(struct bpf_cpumask *cpumask) __ksym __weak;
u32 bpf_cpumask_first(const struct cpumask *cpumask) __ksym __weak;
u32 bpf_cpumask_first_zero(const struct cpumask *cpumask) __ksym __weak;
u32 bpf_cpumask_first_and(const struct cpumask *src1, const struct cpumask *src2) __ksym __weak;
void bpf_cpumask_set_cpu(u32 cpu, struct bpf_cpumask *cpumask) __ksym __weak;
void bpf_cpumask_clear_cpu(u32 cpu, struct bpf_cpumask *cpumask) __ksym __weak;
bool bpf_cpumask_test_cpu(u32 cpu, const struct cpumask *cpumask) __ksym __weak;
bool bpf_cpumask_test_and_set_cpu(u32 cpu, struct bpf_cpumask *cpumask) __ksym __weak;
bool bpf_cpumask_test_and_clear_cpu(u32 cpu, struct bpf_cpumask *cpumask) __ksym __weak;
void bpf_cpumask_setall(struct bpf_cpumask *cpumask) __ksym __weak;
void bpf_cpumask_clear(struct bpf_cpumask *cpumask) __ksym __weak;
bool bpf_cpumask_and(struct bpf_cpumask *dst, const struct cpumask *src1,
		     const struct cpumask *src2) __ksym __weak;
void bpf_cpumask_or(struct bpf_cpumask *dst, const struct cpumask *src1,
		    const struct cpumask *src2) __ksym __weak;
void bpf_cpumask_xor(struct bpf_cpumask *dst, const struct cpumask *src1,
		     const struct cpumask *src2) __ksym __weak;
bool bpf_cpumask_equal(const struct cpumask *src1, const struct cpumask *src2) __ksym __weak;
bool bpf_cpumask_intersects(const struct cpumask *src1, const struct cpumask *src2) __ksym __weak;
bool bpf_cpumask_subset(const struct cpumask *src1, const struct cpumask *src2) __ksym __weak;
bool bpf_cpumask_empty(const struct cpumask *cpumask) __ksym __weak;
bool bpf_cpumask_full(const struct cpumask *cpumask) __ksym __weak;
void bpf_cpumask_copy(struct bpf_cpumask *dst, const struct cpumask *src) __ksym __weak;
u32 bpf_cpumask_any_distribute(const struct cpumask *cpumask) __ksym __weak;
u32 bpf_cpumask_any_and_distribute(const struct cpumask *src1,
				   const struct cpumask *src2) __ksym __weak;
u32 bpf_cpumask_weight(const struct cpumask *cpumask) __ksym __weak;
int bpf_cpumask_populate(struct bpf_cpumask *cpumask, void *src, size_t src__sz) __ksym __weak;

/* tasks, cgroups, RCU */
struct task_struct *bpf_task_from_pid(s32 pid) __ksym __weak;
struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym __weak;
void bpf_task_release(struct task_struct *p) __ksym __weak;
struct cgroup *bpf_cgroup_acquire(struct cgroup *cgrp) __ksym __weak;
void bpf_cgroup_release(struct cgroup *cgrp) __ksym __weak;
struct cgroup *bpf_cgroup_ancestor(struct cgroup *cgrp, int level) __ksym __weak;
struct cgroup *bpf_cgroup_from_id(u64 cgid) __ksym __weak;
void bpf_rcu_read_lock(void) __ksym __weak;
void bpf_rcu_read_unlock(void) __ksym __weak;

/* css iterator (cgroup walks) */
int bpf_iter_css_new(struct bpf_iter_css *it, struct cgroup_subsys_state *start,
		     unsigned int flags) __ksym __weak;
struct cgroup_subsys_state *bpf_iter_css_next(struct bpf_iter_css *it) __ksym __weak;
void bpf_iter_css_destroy(struct bpf_iter_css *it) __ksym __weak;

/* resilient queued spin locks (6.15+): 0 when taken, -errno (deadlock, timeout) otherwise */
int bpf_res_spin_lock(struct bpf_res_spin_lock *lock) __ksym __weak;
void bpf_res_spin_unlock(struct bpf_res_spin_lock *lock) __ksym __weak;

/* bit iterator over u64 words (6.11+): bpf_for_each(bits, bit, words, nr_words) { ... } */
int bpf_iter_bits_new(struct bpf_iter_bits *it, const u64 *unsafe_ptr__ign,
		      u32 nr_words) __ksym __weak;
int *bpf_iter_bits_next(struct bpf_iter_bits *it) __ksym __weak;
void bpf_iter_bits_destroy(struct bpf_iter_bits *it) __ksym __weak;

/*
 * Iterators over the CPUs of the kernel's cpumask scx_bpf_get_<name>_cpumask():
 * def_iter_struct(name) to def_iter_destroy(name) define bpf_iter_<name> for
 * bpf_for_each(<name>, cpu, NULL, 0), where cpu is an int *.  The possible and online ones are
 * defined here: for_each_possible_cpu(cpu) { ... *cpu ... } and for_each_online_cpu(cpu).
 */
#define def_iter_struct(name)							\
	struct bpf_iter_##name {						\
		struct bpf_iter_bits it;					\
		const struct cpumask *bitmap;					\
	};

#define def_iter_new(name)							\
	static inline int bpf_iter_##name##_new(struct bpf_iter_##name *it,	\
						const u64 *unsafe_ptr__ign, u32 nr_words) \
	{									\
		it->bitmap = scx_bpf_get_##name##_cpumask();			\
		return bpf_iter_bits_new(&it->it, (const u64 *)it->bitmap,	\
					 sizeof(struct cpumask) / sizeof(u64));	\
	}

#define def_iter_next(name)							\
	static inline int *bpf_iter_##name##_next(struct bpf_iter_##name *it)	\
	{									\
		return bpf_iter_bits_next(&it->it);				\
	}

#define def_iter_destroy(name)							\
	static inline void bpf_iter_##name##_destroy(struct bpf_iter_##name *it) \
	{									\
		scx_bpf_put_cpumask(it->bitmap);				\
		bpf_iter_bits_destroy(&it->it);					\
	}

#define def_for_each_cpu(cpu, name) for_each_##name##_cpu(cpu)

def_iter_struct(possible);
def_iter_new(possible);
def_iter_next(possible);
def_iter_destroy(possible);
#define for_each_possible_cpu(cpu) bpf_for_each(possible, cpu, NULL, 0)

def_iter_struct(online);
def_iter_new(online);
def_iter_next(online);
def_iter_destroy(online);
#define for_each_online_cpu(cpu) bpf_for_each(online, cpu, NULL, 0)

/* allocated objects, linked lists and rbtrees */
void *bpf_obj_new_impl(__u64 local_type_id__k, void *meta__ign) __ksym __weak;
void bpf_obj_drop_impl(void *kptr, void *meta__ign) __ksym __weak;
void *bpf_percpu_obj_new_impl(__u64 local_type_id__k, void *meta__ign) __ksym __weak;
void bpf_percpu_obj_drop_impl(void *kptr, void *meta__ign) __ksym __weak;
void *bpf_refcount_acquire_impl(void *kptr, void *meta__ign) __ksym __weak;
int bpf_list_push_front_impl(struct bpf_list_head *head, struct bpf_list_node *node,
			     void *meta__ign, __u64 off) __ksym __weak;
int bpf_list_push_back_impl(struct bpf_list_head *head, struct bpf_list_node *node,
			    void *meta__ign, __u64 off) __ksym __weak;
struct bpf_list_node *bpf_list_pop_front(struct bpf_list_head *head) __ksym __weak;
struct bpf_list_node *bpf_list_pop_back(struct bpf_list_head *head) __ksym __weak;
struct bpf_rb_node *bpf_rbtree_remove(struct bpf_rb_root *root,
				      struct bpf_rb_node *node) __ksym __weak;
int bpf_rbtree_add_impl(struct bpf_rb_root *root, struct bpf_rb_node *node,
			bool (*less)(struct bpf_rb_node *a, const struct bpf_rb_node *b),
			void *meta__ign, __u64 off) __ksym __weak;
struct bpf_rb_node *bpf_rbtree_first(struct bpf_rb_root *root) __ksym __weak;

void *bpf_cast_to_kern_ctx(void *obj) __ksym __weak;
void *bpf_rdonly_cast(const void *obj__ign, __u32 btf_id__k) __ksym __weak;

#define bpf_obj_new(type) ((type *)bpf_obj_new_impl(bpf_core_type_id_local(type), NULL))
#define bpf_obj_drop(kptr) bpf_obj_drop_impl(kptr, NULL)
#define bpf_percpu_obj_new(type)						\
	((type __percpu_kptr *)bpf_percpu_obj_new_impl(bpf_core_type_id_local(type), NULL))
#define bpf_percpu_obj_drop(kptr) bpf_percpu_obj_drop_impl(kptr, NULL)
#define bpf_refcount_acquire(kptr) bpf_refcount_acquire_impl(kptr, NULL)
#define bpf_list_push_front(head, node) bpf_list_push_front_impl(head, node, NULL, 0)
#define bpf_list_push_back(head, node) bpf_list_push_back_impl(head, node, NULL, 0)
#define bpf_rbtree_add(head, node, less) bpf_rbtree_add_impl(head, node, less, NULL, 0)

/* Annotations the verifier reads from BTF. */
#ifndef __kptr
#define __kptr __attribute__((btf_type_tag("kptr")))
#endif
#ifndef __kptr_untrusted
#define __kptr_untrusted __attribute__((btf_type_tag("kptr_untrusted")))
#endif
#ifndef __percpu_kptr
#define __percpu_kptr __attribute__((btf_type_tag("percpu_kptr")))
#endif
#define __contains(name, node) __attribute__((btf_decl_tag("contains:" #name ":" #node)))

/*
 * is_migration_disabled(p): whether @p may not move to another CPU now (migrate_disable()).
 * For non-sleepable programs only.
 *
 * p->migration_disabled counts the task's migrate_disable() calls, but the trampoline that
 * enters a non-sleepable BPF program may have made one of them for the current task: always
 * before 6.18, and from 6.18 only with CONFIG_PREEMPT_RCU.  A count of 1 on the current task
 * is then the program's own and does not count.  (Sleepable programs always disable migration
 * on entry, so there the current task's count is off by one either way.)
 */
static inline bool is_migration_disabled(const struct task_struct *p)
{
	bool entry_disables;

	if (!bpf_core_field_exists(p->migration_disabled))
		return false;
	if (p->migration_disabled != 1)
		return p->migration_disabled;
	entry_disables = CONFIG_PREEMPT_RCU || LINUX_KERNEL_VERSION < KERNEL_VERSION(6, 18, 0);
	return !entry_disables || bpf_get_current_task_btf() != p;
}

/*
 * Inside bpf_for_each(scx_dsq, p, dsq_id, flags) { ... }: the iterator, for the
 * scx_bpf_dsq_move*() kfuncs that move the current task.
 */
#define BPF_FOR_EACH_ITER (&___it)

/* -------------------------------------------------------------------------------------------
 * Exit, error and dump with printf-style formats.  The kernel formats them (bstr: a format
 * string plus an array of u64 arguments, at most 12); the never-called format checker lets
 * the compiler check the format against the arguments.
 */
#define SCX_STRINGIFY(x) #x
#define SCX_TOSTRING(x) SCX_STRINGIFY(x)

/*
 * scx_bpf_bstr_preamble(fmt, args...) declares what a *_bstr kfunc takes: the format in a
 * static char ___fmt[] and the arguments in unsigned long long ___param[], which has one
 * element even without arguments (the verifier refuses a zero-sized buffer).
 */
#define scx_bpf_bstr_preamble(fmt, args...)					\
	static char ___fmt[] = fmt;						\
	unsigned long long ___param[___bpf_narg(args) ?: 1] = {};		\
	_Pragma("GCC diagnostic push")						\
	_Pragma("GCC diagnostic ignored \"-Wint-conversion\"")			\
	___bpf_fill(___param, args);						\
	_Pragma("GCC diagnostic pop")

static inline __attribute__((format(printf, 1, 2))) void __scx_bstr_format(const char *fmt, ...)
{
}

#define __scx_bstr_check(fmt, args...) __scx_bstr_format(fmt, ##args)

/*
 * Debian's 7.1 kernel cannot call scx_bpf_exit_bstr() and its 7.2 scx_bpf_error_bstr(): their
 * builds left the kfunc unsplit (scx_btf_aux_kfuncs(3)), so the __weak extern stays unresolved
 * and bpf_ksym_exists() is false.  Each of the two then goes through the other, which those
 * kernels have intact; the verifier drops the branch that cannot run.
 */

/* The exit code scx_bpf_error() ends the scheduler with where only scx_bpf_exit_bstr() works. */
#define __SCX_ERROR_EXIT_CODE 1

#define __scx_exit_bstr(code, fmt, data, size)					\
	({									\
		if (bpf_ksym_exists(scx_bpf_exit_bstr))				\
			scx_bpf_exit_bstr((code), (fmt), (data), (size));	\
		else								\
			scx_bpf_error_bstr((fmt), (data), (size));		\
	})

#define __scx_error_bstr(fmt, data, size)					\
	({									\
		if (bpf_ksym_exists(scx_bpf_error_bstr))			\
			scx_bpf_error_bstr((fmt), (data), (size));		\
		else								\
			scx_bpf_exit_bstr(__SCX_ERROR_EXIT_CODE, (fmt), (data), (size)); \
	})

/*
 * End the scheduler on purpose: SCX_EXIT_UNREG_BPF with @code and a message (SCX_EXIT_ERROR_BPF
 * with the message on a kernel that cannot call scx_bpf_exit_bstr()).
 */
#define scx_bpf_exit(code, fmt, args...)					\
	({									\
		scx_bpf_bstr_preamble(fmt, args)				\
		__scx_exit_bstr(code, ___fmt, ___param, sizeof(___param));	\
		__scx_bstr_check(fmt, ##args);					\
	})

/*
 * Abort the scheduler: SCX_EXIT_ERROR_BPF with a message naming the source line
 * (SCX_EXIT_UNREG_BPF with exit code 1 on a kernel that cannot call scx_bpf_error_bstr()).
 */
#define scx_bpf_error(fmt, args...)						\
	({									\
		scx_bpf_bstr_preamble(__SCX_FILE ":" SCX_TOSTRING(__LINE__) ": " fmt, args) \
		__scx_error_bstr(___fmt, ___param, sizeof(___param));		\
		__scx_bstr_check(fmt, ##args);					\
	})

/* Print into the debug dump; only meaningful from ops.dump*() callbacks. */
#define scx_bpf_dump(fmt, args...)						\
	({									\
		scx_bpf_bstr_preamble(fmt, args)				\
		scx_bpf_dump_bstr(___fmt, ___param, sizeof(___param));		\
		__scx_bstr_check(fmt, ##args);					\
	})

/* A first dump line naming the kernel release and the compiler that built it. */
#define scx_bpf_dump_header()							\
	scx_bpf_dump("kernel: %d.%d.%d %s\ncc: %s\n", LINUX_KERNEL_VERSION >> 16,	\
		     (LINUX_KERNEL_VERSION >> 8) & 0xff, LINUX_KERNEL_VERSION & 0xff,	\
		     CONFIG_LOCALVERSION, CONFIG_CC_VERSION_TEXT)

/* The source file's name without its directories when the compiler knows it. */
#ifdef __FILE_NAME__
#define __SCX_FILE __FILE_NAME__
#else
#define __SCX_FILE __FILE__
#endif

/*
 * scx_read_event(events, SCX_EV_NAME): counter SCX_EV_NAME of a struct scx_event_stats that
 * scx_bpf_events() filled, or 0 on a kernel that does not count that event.
 */
#define scx_read_event(e, name)							\
	(bpf_core_field_exists((e)->name) ? (e)->name : 0)

/* -------------------------------------------------------------------------------------------
 * Bounds-checked pointers the verifier accepts.
 */

/*
 * MEMBER_VPTR(base, member): pointer to (base)member, e.g. MEMBER_VPTR(cpu_ctxs, [cpu].load),
 * or NULL when the index puts it outside @base (an object, not a pointer).  The bound check is
 * written in assembly so the compiler cannot fold it away before the verifier sees it.
 */
#define MEMBER_VPTR(base, member) (typeof((base) member) *)			\
	({									\
		u64 ___vbase = (u64)&(base);					\
		u64 ___voff = (u64)&((base) member) - ___vbase;			\
		_Static_assert(sizeof(base) >= sizeof((base) member),		\
			       "MEMBER_VPTR: base smaller than member (a pointer?)"); \
		asm volatile("if %0 <= %[max] goto +2\n"			\
			     "%0 = 0\n"						\
			     "goto +1\n"					\
			     "%0 += %1\n"					\
			     : "+r"(___voff)					\
			     : "r"(___vbase),					\
			       [max] "i"(sizeof(base) - sizeof((base) member)));	\
		___voff;							\
	})

/*
 * ARRAY_ELEM_PTR(arr, i, n): pointer to arr[i] when i < n, else NULL; for arrays whose length
 * n is only known at run time (RESIZABLE_ARRAY).
 */
#define ARRAY_ELEM_PTR(arr, i, n) (typeof(arr[i]) *)				\
	({									\
		u64 ___abase = (u64)(arr);					\
		u64 ___aoff = (u64)&(arr[i]) - ___abase;			\
		asm volatile("if %0 <= %[max] goto +2\n"			\
			     "%0 = 0\n"						\
			     "goto +1\n"					\
			     "%0 += %1\n"					\
			     : "+r"(___aoff)					\
			     : "r"(___abase),					\
			       [max] "r"(sizeof(arr[0]) * ((n) - 1)));		\
		___aoff;							\
	})

/* -------------------------------------------------------------------------------------------
 * Compiler helpers.
 */
#ifndef likely
#define likely(x) __builtin_expect(!!(x), 1)
#endif
#ifndef unlikely
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif
#ifndef __maybe_unused
#define __maybe_unused __attribute__((__unused__))
#endif

#define READ_ONCE(x) (*(const volatile typeof(x) *)&(x))
#define WRITE_ONCE(x, val) ((*(volatile typeof(x) *)&(x)) = (val))
/* The same for arena memory, with the value's @type given (the scx project's forms). */
#define READ_ONCE_ARENA(type, x) (*(const volatile type *)(void *)&(x))
#define WRITE_ONCE_ARENA(type, x, val) ((*(volatile type *)(void *)&(x)) = (val))

/* Stop the compiler from proving things about @x that the verifier cannot follow. */
#ifndef barrier_var
#define barrier_var(x) asm volatile("" : "+r"(x))
#endif

#define SCX_BUILD_BUG_ON(cond) _Static_assert(!(cond), "SCX_BUILD_BUG_ON(" #cond ")")

/*
 * __sink(var): the compiler must keep @var (an lvalue) and both it and the verifier forget
 * what they knew of its value: a counter in a loop then stops multiplying the verifier's
 * states, and a reference held only for later stays alive.  No code at run time.
 */
#define __sink(var) asm volatile("" : "+g"(var))

/*
 * Minimum, maximum, clamp and rounded-up division.  Prefixed: a scheduler's own min() or
 * div_round_up() must not collide with the headers'.  The arguments may be evaluated twice.
 */
#define scx_min(a, b) ((a) < (b) ? (a) : (b))
#define scx_max(a, b) ((a) > (b) ? (a) : (b))
#define scx_clamp(v, lo, hi) scx_min(scx_max(v, lo), hi)
#define scx_div_round_up(n, d) (((n) + (d) - 1) / (d))

/* The size of a struct with a flexible array @member of @count elements (linux/overflow.h). */
#define flex_array_size(p, member, count) ((count) * sizeof(*(p)->member))
#define struct_size(p, member, count)						\
	(offsetof(typeof(*(p)), member) + flex_array_size(p, member, count))
#define struct_size_t(type, member, count) struct_size((type *)NULL, member, count)

/*
 * Exponentially weighted moving average: the new average of @old with the sample @new, which
 * weighs 1 / 2^@decay.  Values below 2^@decay average with weight 1/2 instead (a small value
 * would otherwise never move), and an average of 1 meeting a sample of 0 becomes 0.
 */
#define __calc_avg(old, new, decay)						\
	({									\
		typeof(decay) ___thr = 1 << (decay);				\
		typeof(old) ___avg;						\
		if ((old) < ___thr || (new) < ___thr)				\
			___avg = (old) == 1 && (new) == 0 ?			\
					 0 :					\
					 (old) - ((old) >> 1) + ((new) >> 1);	\
		else								\
			___avg = (old) - ((old) >> (decay)) + ((new) >> (decay)); \
		___avg;								\
	})

/* 64 random bits from the kernel's pseudo-random generator. */
static inline u64 get_prandom_u64(void)
{
	return ((u64)bpf_get_prandom_u32() << 32) | bpf_get_prandom_u32();
}

/* -------------------------------------------------------------------------------------------
 * Time (u64 nanoseconds) with wrap-around-safe comparisons.
 */

/* @after - @before when @after is later (across a wrap too), else 0. */
static __always_inline s64 time_delta(u64 after, u64 before)
{
	s64 d = (s64)(after - before);

	return d > 0 ? d : 0;
}

static __always_inline bool time_after(u64 a, u64 b)
{
	return (s64)(b - a) < 0;
}

static __always_inline bool time_after_eq(u64 a, u64 b)
{
	return (s64)(a - b) >= 0;
}

static __always_inline bool time_before(u64 a, u64 b)
{
	return time_after(b, a);
}

static __always_inline bool time_before_eq(u64 a, u64 b)
{
	return time_after_eq(b, a);
}

/* a in [b, c] */
static __always_inline bool time_in_range(u64 a, u64 b, u64 c)
{
	return time_after_eq(a, b) && time_before_eq(a, c);
}

/* a in [b, c) */
static __always_inline bool time_in_range_open(u64 a, u64 b, u64 c)
{
	return time_after_eq(a, b) && time_before(a, c);
}

/* -------------------------------------------------------------------------------------------
 * Integer arithmetic the BPF instruction set lacks.
 */

/* floor(log2(v)) for v > 0; 0 for v == 0. */
static __always_inline u32 log2_u32(u32 v)
{
	u32 r = 0, s;

	s = (v > 0xffff) << 4; v >>= s; r |= s;
	s = (v > 0xff) << 3; v >>= s; r |= s;
	s = (v > 0xf) << 2; v >>= s; r |= s;
	s = (v > 0x3) << 1; v >>= s; r |= s;
	return r | (v >> 1);
}

/*
 * One more than floor(log2(v)): the number of significant bits of @v, 1 for v == 0 (the
 * meaning the kernel's and scx's headers give log2_u64()).
 */
static __always_inline u32 log2_u64(u64 v)
{
	u32 hi = v >> 32;

	return (hi ? log2_u32(hi) + 32 : log2_u32((u32)v)) + 1;
}

/* Number of trailing zero bits; 64 for v == 0. */
static __always_inline int ctzll(u64 v)
{
	int n = 0;

	if (!v)
		return 64;
	if (!(v & 0xffffffffULL)) { n += 32; v >>= 32; }
	if (!(v & 0xffffULL)) { n += 16; v >>= 16; }
	if (!(v & 0xffULL)) { n += 8; v >>= 8; }
	if (!(v & 0xfULL)) { n += 4; v >>= 4; }
	if (!(v & 0x3ULL)) { n += 2; v >>= 2; }
	if (!(v & 0x1ULL)) n += 1;
	return n;
}

/* floor(sqrt(v)), by the bit-by-bit method (32 bounded steps). */
static __always_inline u64 scx_sqrt_u64(u64 v)
{
	u64 res = 0, bit = 1ULL << 62;
	int i;

	for (i = 0; i < 32; i++) {
		if (v >= res + bit) {
			v -= res + bit;
			res = (res >> 1) + bit;
		} else {
			res >>= 1;
		}
		bit >>= 2;
	}
	return res;
}

/* The integer square root, under the kernel headers' name. */
static __always_inline u64 __sqrt_u64(u64 v)
{
	return scx_sqrt_u64(v);
}

/* The kernel's scheduler weight of a task (100 is nice 0), read through CO-RE. */
static __always_inline u64 scx_task_weight(const struct task_struct *p)
{
	return p->scx.weight;
}

/* Scale @v by the task's weight relative to nice 0: @v * 100 / weight. */
static __always_inline u64 scale_by_task_weight_inverse(const struct task_struct *p, u64 v)
{
	return v * 100 / p->scx.weight;
}

static __always_inline u64 scale_by_task_weight(const struct task_struct *p, u64 v)
{
	return v * p->scx.weight / 100;
}

/* The scx project's names of 2024-2025 for the two above. */
static __always_inline u64 scale_task_fair(const struct task_struct *p, u64 v)
{
	return scale_by_task_weight(p, v);
}

static __always_inline u64 scale_task_inverse_fair(const struct task_struct *p, u64 v)
{
	return scale_by_task_weight_inverse(p, v);
}

/* -------------------------------------------------------------------------------------------
 * Per-CPU clocks of the run queue, for callbacks that hold the CPU's rq lock (running,
 * stopping, enqueue, dequeue, dispatch, ...): nothing checks that the lock is held.
 *
 * The ___local structs name the fields read (CO-RE matches them to the kernel's struct rq
 * and struct irqtime), so they work whatever the configuration vmlinux.h came from; a field
 * the running kernel lacks reads as 0.
 */
struct rq___local {
	u64 clock_task;			/* rq clock minus IRQ and steal time */
	u64 clock_pelt;			/* clock_task scaled by capacity and frequency */
	unsigned long lost_idle_time;	/* what clock_pelt jumped by at idle exits */
	u64 prev_steal_time_rq;		/* steal time accounted (CONFIG_PARAVIRT_TIME_ACCOUNTING) */
} __attribute__((preserve_access_index));

struct irqtime___local {
	u64 total;			/* IRQ time of the CPU (CONFIG_IRQ_TIME_ACCOUNTING) */
} __attribute__((preserve_access_index));

extern struct rq runqueues __ksym;
extern struct irqtime___local cpu_irqtime __ksym __weak;

/* CPU @cpu's run queue (the caller holds its lock: see above). */
static inline struct rq___local *get_current_rq(u32 cpu)
{
	return (struct rq___local *)bpf_per_cpu_ptr(&runqueues, cpu);
}

/* rq_clock_task(): time the CPU spent running tasks (idle included), without IRQs and steal. */
static inline u64 scx_clock_task(u32 cpu)
{
	struct rq___local *rq = get_current_rq(cpu);

	return rq ? rq->clock_task : 0;
}

/* rq_clock_pelt(): the task clock scaled by the CPU's capacity, continuous across idle. */
static inline u64 scx_clock_pelt(u32 cpu)
{
	struct rq___local *rq = get_current_rq(cpu);

	return rq ? rq->clock_pelt - rq->lost_idle_time : 0;
}

/* Hypervisor steal time accounted on @cpu so far; 0 without CONFIG_PARAVIRT_TIME_ACCOUNTING. */
static inline u64 scx_clock_virt(u32 cpu)
{
	struct rq___local *rq;

	if (!bpf_core_field_exists(((struct rq___local *)0)->prev_steal_time_rq))
		return 0;
	rq = get_current_rq(cpu);
	return rq ? BPF_CORE_READ(rq, prev_steal_time_rq) : 0;
}

/* IRQ time of @cpu so far (irq_time_read()); 0 without CONFIG_IRQ_TIME_ACCOUNTING. */
static inline u64 scx_clock_irq(u32 cpu)
{
	struct irqtime___local *it;

	if (!bpf_core_type_exists(struct irqtime___local))
		return 0;
	it = bpf_per_cpu_ptr(&cpu_irqtime, cpu);
	return it ? BPF_CORE_READ(it, total) : 0;
}

#include "compat.bpf.h"

/* cids and cid masks live in arenas, which need clang's address spaces (clang >= 18). */
#ifdef __BPF_FEATURE_ADDR_SPACE_CAST
#include "cid.bpf.h"
#endif

#endif /* __SCX_COMMON_BPF_H */
