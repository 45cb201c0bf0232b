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
#include "enums.bpf.h"

/* Task flags (include/linux/sched.h); values stable across the supported kernels. */
#define PF_IDLE			0x00000002
#define PF_EXITING		0x00000004
#define PF_IO_WORKER		0x00000010
#define PF_WQ_WORKER		0x00000020
#define PF_FORKNOEXEC		0x00000040
#define PF_KTHREAD		0x00200000
#define PF_NO_SETAFFINITY	0x04000000

#ifndef CLOCK_MONOTONIC
#define CLOCK_MONOTONIC		1
#endif

extern int LINUX_KERNEL_VERSION __kconfig;

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
 * attached through a BPF link (libbpf >= 1.3), and sets its timeout-free defaults.
 */
#define SCX_OPS_DEFINE(__name, ...)						\
	SEC(".struct_ops.link")							\
	struct sched_ext_ops __name = {						\
		__VA_ARGS__,							\
	}

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
void scx_bpf_dsq_reenq(u64 dsq_id, u64 reenq_flags) __ksym __weak;
bool scx_bpf_task_set_slice(struct task_struct *p, u64 slice) __ksym __weak;
bool scx_bpf_task_set_dsq_vtime(struct task_struct *p, u64 vtime) __ksym __weak;
struct task_struct *scx_bpf_tid_to_task(u64 tid) __ksym __weak;

/* 7.2+: CPU ids in topology order (cids) and arena cpu masks (cmasks); see cid.bpf.h */
s32 scx_bpf_this_cid(void) __ksym __weak;
s32 scx_bpf_task_cid(const struct task_struct *p) __ksym __weak;
s32 scx_bpf_cpu_to_cid(s32 cpu) __ksym __weak;
s32 scx_bpf_cid_to_cpu(s32 cid) __ksym __weak;
u32 scx_bpf_nr_cids(void) __ksym __weak;
u32 scx_bpf_nr_online_cids(void) __ksym __weak;
void scx_bpf_cid_topo(s32 cid, struct scx_cid_topo *out, size_t out__sz) __ksym __weak;
struct task_struct *scx_bpf_cid_curr(s32 cid) __ksym __weak;
void scx_bpf_kick_cid(s32 cid, u64 flags) __ksym __weak;
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
 * Inside bpf_for_each(scx_dsq, p, dsq_id, flags) { ... }: the iterator, for the
 * scx_bpf_dsq_move*() kfuncs that move the current task.
 */
#define BPF_FOR_EACH_ITER (&___it)

/* -------------------------------------------------------------------------------------------
 * Exit, error and dump with printf-style formats.  The kernel formats them (bstr: a format
 * string plus an array of u64 arguments, at most 12); the never-taken bpf_printk() call lets
 * the compiler check the format against the arguments.
 */
#define __scx_bstr_prepare(fmt, args...)					\
	static char ___scx_fmt[] = fmt;						\
	unsigned long long ___scx_data[___bpf_narg(args)];			\
	_Pragma("GCC diagnostic push")						\
	_Pragma("GCC diagnostic ignored \"-Wint-conversion\"")			\
	___bpf_fill(___scx_data, args);						\
	_Pragma("GCC diagnostic pop")

#define __scx_bstr_check(fmt, args...)						\
	({									\
		if (0)								\
			bpf_printk(fmt, ##args);				\
	})

/* End the scheduler on purpose: SCX_EXIT_UNREG_BPF with @code and a message. */
#define scx_bpf_exit(code, fmt, args...)					\
	({									\
		__scx_bstr_prepare(fmt, ##args)					\
		scx_bpf_exit_bstr(code, ___scx_fmt, ___scx_data, sizeof(___scx_data)); \
		__scx_bstr_check(fmt, ##args);					\
	})

/* Abort the scheduler: SCX_EXIT_ERROR_BPF with a message naming the source line. */
#define scx_bpf_error(fmt, args...)						\
	({									\
		__scx_bstr_prepare(___SCX_FILE ":" ___scx_stringify(__LINE__) ": " fmt, ##args) \
		scx_bpf_error_bstr(___scx_fmt, ___scx_data, sizeof(___scx_data));	\
		__scx_bstr_check(fmt, ##args);					\
	})

/* Print into the debug dump; only meaningful from ops.dump*() callbacks. */
#define scx_bpf_dump(fmt, args...)						\
	({									\
		__scx_bstr_prepare(fmt, ##args)					\
		scx_bpf_dump_bstr(___scx_fmt, ___scx_data, sizeof(___scx_data));	\
		__scx_bstr_check(fmt, ##args);					\
	})

/* The source file's name without its directories when the compiler knows it. */
#ifdef __FILE_NAME__
#define ___SCX_FILE __FILE_NAME__
#else
#define ___SCX_FILE __FILE__
#endif
#define ___scx_stringify2(x) #x
#define ___scx_stringify(x) ___scx_stringify2(x)

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

#define READ_ONCE(x) (*(const volatile typeof(x) *)&(x))
#define WRITE_ONCE(x, val) ((*(volatile typeof(x) *)&(x)) = (val))

/* Stop the compiler from proving things about @x that the verifier cannot follow. */
#ifndef barrier_var
#define barrier_var(x) asm volatile("" : "+r"(x))
#endif

#define BUILD_BUG_ON(cond) _Static_assert(!(cond), "BUILD_BUG_ON(" #cond ")")

/* A value the optimizer must keep but nothing reads. */
#define __sink(expr) asm volatile("" : : "g"(expr))

#ifndef min
#define min(a, b) ((a) < (b) ? (a) : (b))
#endif
#ifndef max
#define max(a, b) ((a) > (b) ? (a) : (b))
#endif
#define clamp(v, lo, hi) min(max(v, lo), hi)
#define div_round_up(n, d) (((n) + (d) - 1) / (d))

/* -------------------------------------------------------------------------------------------
 * Time (u64 nanoseconds) with wrap-around-safe comparisons.
 */
static __always_inline u64 time_delta(u64 after, u64 before)
{
	return after > before ? after - before : 0;
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

static __always_inline u32 log2_u64(u64 v)
{
	u32 hi = v >> 32;

	return hi ? log2_u32(hi) + 32 : log2_u32((u32)v);
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
static __always_inline u64 sqrt_u64(u64 v)
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

#include "compat.bpf.h"

#endif /* __SCX_COMMON_BPF_H */
