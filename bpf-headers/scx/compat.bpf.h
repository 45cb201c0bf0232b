/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * compat.bpf.h: one BPF object for every kernel from 6.12 to 7.3.
 *
 * sched_ext kfuncs were renamed (6.13), grew return values and argument structs (6.17-7.0) and
 * got NUMA-aware variants (6.15).  Each wrapper here keeps the newest name and signature and
 * picks, at load time, the kfunc the running kernel has (bpf_ksym_exists() on __weak externs;
 * the verifier drops the branches that cannot run).  Externs named foo___suffix resolve to the
 * kernel symbol foo (libbpf strips the last ___suffix), which is how one object can name two
 * versions of the same kfunc.
 *
 * Included by common.bpf.h; not meant to be included alone.
 */
#ifndef __SCX_COMPAT_BPF_H
#define __SCX_COMPAT_BPF_H

/*
 * Value of enumerator @__ent of enum @__type on the running kernel, or 0 when it lacks it (a
 * CO-RE relocation).  For enums that enums.bpf.h does not import, e.g. SCX_OPS_* flags: the
 * imported names are macros and read their values from rodata instead.
 */
#define __COMPAT_ENUM_OR_ZERO(__type, __ent)					\
	({									\
		__type __ret = 0;						\
		if (bpf_core_enum_value_exists(__type, __ent))			\
			__ret = __ent;						\
		__ret;								\
	})

/* 6.12 names, renamed in 6.13. */
void scx_bpf_dispatch___compat(struct task_struct *p, u64 dsq_id, u64 slice,
			       u64 enq_flags) __ksym __weak;
void scx_bpf_dispatch_vtime___compat(struct task_struct *p, u64 dsq_id, u64 slice, u64 vtime,
				     u64 enq_flags) __ksym __weak;
bool scx_bpf_consume___compat(u64 dsq_id) __ksym __weak;
void scx_bpf_dispatch_from_dsq_set_slice___compat(struct bpf_iter_scx_dsq *it__iter,
						  u64 slice) __ksym __weak;
void scx_bpf_dispatch_from_dsq_set_vtime___compat(struct bpf_iter_scx_dsq *it__iter,
						  u64 vtime) __ksym __weak;
bool scx_bpf_dispatch_from_dsq___compat(struct bpf_iter_scx_dsq *it__iter, struct task_struct *p,
					u64 dsq_id, u64 enq_flags) __ksym __weak;
bool scx_bpf_dispatch_vtime_from_dsq___compat(struct bpf_iter_scx_dsq *it__iter,
					      struct task_struct *p, u64 dsq_id,
					      u64 enq_flags) __ksym __weak;

/*
 * scx_bpf_dsq_insert - queue @p on DSQ @dsq_id with time slice @slice.
 * Return: false when the kernel refused the insert (7.x kernels report it; older ones never do).
 */
static inline bool scx_bpf_dsq_insert(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags)
{
	if (bpf_ksym_exists(scx_bpf_dsq_insert___v2___compat))
		return scx_bpf_dsq_insert___v2___compat(p, dsq_id, slice, enq_flags);
	if (bpf_ksym_exists(scx_bpf_dsq_insert___v1))
		scx_bpf_dsq_insert___v1(p, dsq_id, slice, enq_flags);
	else
		scx_bpf_dispatch___compat(p, dsq_id, slice, enq_flags);
	return true;
}

/* scx_bpf_dsq_insert_vtime - queue @p on the priority queue of DSQ @dsq_id, ordered by @vtime. */
static inline bool scx_bpf_dsq_insert_vtime(struct task_struct *p, u64 dsq_id, u64 slice,
					    u64 vtime, u64 enq_flags)
{
	if (bpf_ksym_exists(__scx_bpf_dsq_insert_vtime)) {
		struct scx_bpf_dsq_insert_vtime_args args = {
			.dsq_id = dsq_id,
			.slice = slice,
			.vtime = vtime,
			.enq_flags = enq_flags,
		};

		return __scx_bpf_dsq_insert_vtime(p, &args);
	}
	if (bpf_ksym_exists(scx_bpf_dsq_insert_vtime___v1))
		scx_bpf_dsq_insert_vtime___v1(p, dsq_id, slice, vtime, enq_flags);
	else
		scx_bpf_dispatch_vtime___compat(p, dsq_id, slice, vtime, enq_flags);
	return true;
}

/*
 * scx_bpf_dsq_move_to_local - move the first task of @dsq_id to the local DSQ (from dispatch).
 * @enq_flags is honoured by 7.x kernels and ignored by older ones.
 */
static inline bool __scx_bpf_dsq_move_to_local(u64 dsq_id, u64 enq_flags)
{
	if (bpf_ksym_exists(scx_bpf_dsq_move_to_local___v2___compat))
		return scx_bpf_dsq_move_to_local___v2___compat(dsq_id, enq_flags);
	if (bpf_ksym_exists(scx_bpf_dsq_move_to_local___v1))
		return scx_bpf_dsq_move_to_local___v1(dsq_id);
	return scx_bpf_consume___compat(dsq_id);
}

/* One or two arguments: scx_bpf_dsq_move_to_local(dsq_id[, enq_flags]). */
#define __scx_move_to_local1(dsq_id) __scx_bpf_dsq_move_to_local(dsq_id, 0)
#define __scx_move_to_local2(dsq_id, flags) __scx_bpf_dsq_move_to_local(dsq_id, flags)
#define __scx_pick3(_1, _2, N, ...) N
#define scx_bpf_dsq_move_to_local(args...)					\
	__scx_pick3(args, __scx_move_to_local2, __scx_move_to_local1)(args)

/*
 * DSQ iterator moves: macros of the kfuncs' own names, so the call inside is the kfunc.  A
 * kernel from before the moves (added during 6.12) has neither kfunc: the setters then do
 * nothing and the moves fail (false), as the scx project's __COMPAT_ forms do.
 */
#define scx_bpf_dsq_move_set_slice(it__iter, slice)				\
	(bpf_ksym_exists(scx_bpf_dsq_move_set_slice) ?				\
	 scx_bpf_dsq_move_set_slice((it__iter), (slice)) :			\
	 bpf_ksym_exists(scx_bpf_dispatch_from_dsq_set_slice___compat) ?	\
	 scx_bpf_dispatch_from_dsq_set_slice___compat((it__iter), (slice)) :	\
	 (void)0)

#define scx_bpf_dsq_move_set_vtime(it__iter, vtime)				\
	(bpf_ksym_exists(scx_bpf_dsq_move_set_vtime) ?				\
	 scx_bpf_dsq_move_set_vtime((it__iter), (vtime)) :			\
	 bpf_ksym_exists(scx_bpf_dispatch_from_dsq_set_vtime___compat) ?	\
	 scx_bpf_dispatch_from_dsq_set_vtime___compat((it__iter), (vtime)) :	\
	 (void)0)

#define scx_bpf_dsq_move(it__iter, p, dsq_id, enq_flags)			\
	(bpf_ksym_exists(scx_bpf_dsq_move) ?					\
	 scx_bpf_dsq_move((it__iter), (p), (dsq_id), (enq_flags)) :		\
	 bpf_ksym_exists(scx_bpf_dispatch_from_dsq___compat) ?			\
	 scx_bpf_dispatch_from_dsq___compat((it__iter), (p), (dsq_id), (enq_flags)) : \
	 false)

#define scx_bpf_dsq_move_vtime(it__iter, p, dsq_id, enq_flags)			\
	(bpf_ksym_exists(scx_bpf_dsq_move_vtime) ?				\
	 scx_bpf_dsq_move_vtime((it__iter), (p), (dsq_id), (enq_flags)) :	\
	 bpf_ksym_exists(scx_bpf_dispatch_vtime_from_dsq___compat) ?		\
	 scx_bpf_dispatch_vtime_from_dsq___compat((it__iter), (p), (dsq_id), (enq_flags)) : \
	 false)

/*
 * The scx project's names of the same wrappers: __COMPAT_scx_bpf_dsq_move*() (2024-2025),
 * and __COMPAT_scx_bpf_dispatch_*from_dsq*() from before the 6.13 rename.
 */
#define __COMPAT_scx_bpf_dsq_move_set_slice(it__iter, slice)			\
	scx_bpf_dsq_move_set_slice((it__iter), (slice))
#define __COMPAT_scx_bpf_dsq_move_set_vtime(it__iter, vtime)			\
	scx_bpf_dsq_move_set_vtime((it__iter), (vtime))
#define __COMPAT_scx_bpf_dsq_move(it__iter, p, dsq_id, enq_flags)		\
	scx_bpf_dsq_move((it__iter), (p), (dsq_id), (enq_flags))
#define __COMPAT_scx_bpf_dsq_move_vtime(it__iter, p, dsq_id, enq_flags)	\
	scx_bpf_dsq_move_vtime((it__iter), (p), (dsq_id), (enq_flags))
#define __COMPAT_scx_bpf_dispatch_from_dsq_set_slice(it__iter, slice)		\
	scx_bpf_dsq_move_set_slice((it__iter), (slice))
#define __COMPAT_scx_bpf_dispatch_from_dsq_set_vtime(it__iter, vtime)		\
	scx_bpf_dsq_move_set_vtime((it__iter), (vtime))
#define __COMPAT_scx_bpf_dispatch_from_dsq(it__iter, p, dsq_id, enq_flags)	\
	scx_bpf_dsq_move((it__iter), (p), (dsq_id), (enq_flags))
#define __COMPAT_scx_bpf_dispatch_vtime_from_dsq(it__iter, p, dsq_id, enq_flags) \
	scx_bpf_dsq_move_vtime((it__iter), (p), (dsq_id), (enq_flags))

/*
 * The scx project's names of 2024, from when sched_ext kernels outside mainline lacked some
 * of these kfuncs: on every kernel libscx supports they do what their names say.
 */
#define __COMPAT_SCX_KICK_IDLE SCX_KICK_IDLE	/* imported: 0 on a kernel without it */
#define __COMPAT_HAS_CPUMASKS bpf_ksym_exists(scx_bpf_nr_cpu_ids)

/* scx_bpf_switch_all() predates 6.12; there SCX_OPS_SWITCH_PARTIAL unset switches all. */
static inline void __COMPAT_scx_bpf_switch_all(void)
{
}

/* scx_bpf_exit(), which is scx_bpf_error() on a kernel without scx_bpf_exit_bstr(). */
#define __COMPAT_scx_bpf_exit(code, fmt, args...) scx_bpf_exit((code), fmt, ##args)

/* CPU performance (6.10+): full capacity (1024) and no-op on kernels without it. */
static inline u32 __COMPAT_scx_bpf_cpuperf_cap(s32 cpu)
{
	return bpf_ksym_exists(scx_bpf_cpuperf_cap) ? scx_bpf_cpuperf_cap(cpu) : 1024;
}

static inline u32 __COMPAT_scx_bpf_cpuperf_cur(s32 cpu)
{
	return bpf_ksym_exists(scx_bpf_cpuperf_cur) ? scx_bpf_cpuperf_cur(cpu) : 1024;
}

static inline void __COMPAT_scx_bpf_cpuperf_set(s32 cpu, u32 perf)
{
	if (bpf_ksym_exists(scx_bpf_cpuperf_set))
		scx_bpf_cpuperf_set(cpu, perf);
}

/* __COMPAT_DSQ_FOR_EACH(p, dsq_id, flags) { ... }: bpf_for_each(scx_dsq, ...) when it exists. */
#define __COMPAT_DSQ_FOR_EACH(p, dsq_id, flags)					\
	if (bpf_ksym_exists(bpf_iter_scx_dsq_new))				\
		bpf_for_each(scx_dsq, (p), (dsq_id), (flags))

/*
 * Move @p, met in the DSQ iteration @it, to the local DSQ: the meaning the never-merged
 * scx_bpf_consume_task() had, which scx_bpf_dsq_move() gives (the scx stub only failed).
 */
static inline bool __COMPAT_scx_bpf_consume_task(struct bpf_iter_scx_dsq *it,
						 struct task_struct *p)
{
	return scx_bpf_dsq_move(it, p, SCX_DSQ_LOCAL, 0);
}

/*
 * Ops flags that the shipped vmlinux.h no longer has but older sources set in SCX_OPS_DEFINE(),
 * with the value the kernels that had them gave them.  A kernel without the flag would refuse
 * it: SCX_OPS_OPEN() clears it there, with a warning.
 */
#ifndef HAVE_SCX_OPS_HAS_CGROUP_WEIGHT
#define SCX_OPS_HAS_CGROUP_WEIGHT (1ULL << 16)	/* deprecated, gone since 6.18 */
#endif

/* The 6.12 names, for sources written against them. */
#define scx_bpf_dispatch(p, dsq_id, slice, enq_flags)				\
	scx_bpf_dsq_insert((p), (dsq_id), (slice), (enq_flags))
#define scx_bpf_dispatch_vtime(p, dsq_id, slice, vtime, enq_flags)		\
	scx_bpf_dsq_insert_vtime((p), (dsq_id), (slice), (vtime), (enq_flags))
#define scx_bpf_consume(dsq_id) __scx_bpf_dsq_move_to_local((dsq_id), 0)
#define scx_bpf_dispatch_from_dsq_set_slice(it__iter, slice)			\
	scx_bpf_dsq_move_set_slice((it__iter), (slice))
#define scx_bpf_dispatch_from_dsq_set_vtime(it__iter, vtime)			\
	scx_bpf_dsq_move_set_vtime((it__iter), (vtime))
#define scx_bpf_dispatch_from_dsq(it__iter, p, dsq_id, enq_flags)		\
	scx_bpf_dsq_move((it__iter), (p), (dsq_id), (enq_flags))
#define scx_bpf_dispatch_vtime_from_dsq(it__iter, p, dsq_id, enq_flags)		\
	scx_bpf_dsq_move_vtime((it__iter), (p), (dsq_id), (enq_flags))

/*
 * Re-enqueueing.  7.1 has scx_bpf_dsq_reenq() for any DSQ; 6.19 re-enqueues the local DSQ
 * from any callback; before, only ops.cpu_release() may, and the kfunc counts the tasks.
 */

/* Whether the kernel has scx_bpf_dsq_reenq() (7.1+). */
static inline bool __COMPAT_has_generic_reenq(void)
{
	return bpf_ksym_exists(scx_bpf_dsq_reenq___compat);
}

/* Whether the local DSQ may be re-enqueued from any callback (6.19+). */
static inline bool __COMPAT_scx_bpf_reenqueue_local_from_anywhere(void)
{
	return bpf_ksym_exists(scx_bpf_reenqueue_local___v2___compat);
}

/* Re-enqueue the local DSQ's tasks from any callback: 0, or -EOPNOTSUPP before 6.19. */
static inline int scx_bpf_reenqueue_local_from_anywhere(void)
{
	/* One branch per ksym: "a || b" of two ksyms is an OR of addresses the verifier refuses. */
	if (__COMPAT_has_generic_reenq()) {
		scx_bpf_dsq_reenq___compat(SCX_DSQ_LOCAL, 0);
		return 0;
	}
	if (__COMPAT_scx_bpf_reenqueue_local_from_anywhere()) {
		scx_bpf_reenqueue_local___v2___compat();
		return 0;
	}
	return -EOPNOTSUPP;
}

/*
 * Re-enqueue the tasks of the local DSQ; returns how many before 6.19 (where only
 * ops.cpu_release() may call it), 0 after (the kernel does not count them).
 */
static inline u32 scx_bpf_reenqueue_local(void)
{
	if (!scx_bpf_reenqueue_local_from_anywhere())
		return 0;
	return scx_bpf_reenqueue_local___v1();
}

/*
 * Re-enqueue the tasks of DSQ @dsq_id (7.1+).  Older kernels can only do the local DSQ without
 * flags; anything else fails the scheduler with an error saying so.
 */
static inline void scx_bpf_dsq_reenq(u64 dsq_id, u64 reenq_flags)
{
	if (__COMPAT_has_generic_reenq())
		scx_bpf_dsq_reenq___compat(dsq_id, reenq_flags);
	else if (dsq_id == SCX_DSQ_LOCAL && !reenq_flags)
		scx_bpf_reenqueue_local();
	else
		scx_bpf_error("this kernel cannot re-enqueue DSQ 0x%llx (needs Linux 7.1)", dsq_id);
}

/* scx_bpf_now - the rq clock (6.14+), or bpf_ktime_get_ns() on older kernels. */
#define scx_bpf_now()								\
	(bpf_ksym_exists(scx_bpf_now) ? scx_bpf_now() : bpf_ktime_get_ns())

/* NUMA-aware idle tracking (6.15); older kernels have one node. */
#define __COMPAT_scx_bpf_nr_node_ids()						\
	(bpf_ksym_exists(scx_bpf_nr_node_ids) ? scx_bpf_nr_node_ids() : 1U)

#define __COMPAT_scx_bpf_cpu_node(cpu)						\
	(bpf_ksym_exists(scx_bpf_cpu_node) ? scx_bpf_cpu_node(cpu) : 0)

#define __COMPAT_scx_bpf_get_idle_cpumask_node(node)				\
	(bpf_ksym_exists(scx_bpf_get_idle_cpumask_node) ?			\
	 scx_bpf_get_idle_cpumask_node(node) : scx_bpf_get_idle_cpumask())

#define __COMPAT_scx_bpf_get_idle_smtmask_node(node)				\
	(bpf_ksym_exists(scx_bpf_get_idle_smtmask_node) ?			\
	 scx_bpf_get_idle_smtmask_node(node) : scx_bpf_get_idle_smtmask())

#define __COMPAT_scx_bpf_pick_idle_cpu_node(cpus_allowed, node, flags)		\
	(bpf_ksym_exists(scx_bpf_pick_idle_cpu_node) ?				\
	 scx_bpf_pick_idle_cpu_node(cpus_allowed, node, flags) :		\
	 scx_bpf_pick_idle_cpu(cpus_allowed, flags))

#define __COMPAT_scx_bpf_pick_any_cpu_node(cpus_allowed, node, flags)		\
	(bpf_ksym_exists(scx_bpf_pick_any_cpu_node) ?				\
	 scx_bpf_pick_any_cpu_node(cpus_allowed, node, flags) :			\
	 scx_bpf_pick_any_cpu(cpus_allowed, flags))

/*
 * Idle CPU picking where the kfuncs cannot be called: Debian's 7.2 left scx_bpf_pick_idle_cpu()
 * and scx_bpf_pick_any_cpu() unsplit (scx_btf_aux_kfuncs(3)), their __weak externs stay
 * unresolved, and these do their work with kfuncs it has intact: claim a CPU of the idle mask
 * with scx_bpf_test_and_clear_cpu_idle().  A whole idle core (SCX_PICK_IDLE_CORE) cannot be
 * told there (scx_bpf_get_idle_smtmask() is unsplit too): none is found, as when all cores
 * are busy.  Macros of the kfuncs' own names, so the call inside is the kfunc.
 */
#define __SCX_PICK_IDLE_TRIES 8

static inline s32 __scx_pick_idle_cpu_fallback(const struct cpumask *cpus_allowed, u64 flags)
{
	const struct cpumask *idle;
	s32 cpu = -EBUSY;
	u32 c;
	int i;

	if ((flags & SCX_PICK_IDLE_CORE) || !bpf_ksym_exists(scx_bpf_test_and_clear_cpu_idle))
		return -EBUSY;
	idle = scx_bpf_get_idle_cpumask();
	bpf_for(i, 0, __SCX_PICK_IDLE_TRIES) {
		c = bpf_cpumask_any_and_distribute(cpus_allowed, idle);
		if (c >= scx_bpf_nr_cpu_ids())
			break;
		if (scx_bpf_test_and_clear_cpu_idle(c)) {
			cpu = c;
			break;
		}
	}
	scx_bpf_put_idle_cpumask(idle);
	return cpu;
}

#define scx_bpf_pick_idle_cpu(cpus_allowed, flags)				\
	(bpf_ksym_exists(scx_bpf_pick_idle_cpu) ?				\
	 scx_bpf_pick_idle_cpu((cpus_allowed), (flags)) :			\
	 __scx_pick_idle_cpu_fallback((cpus_allowed), (flags)))

static inline s32 __scx_pick_any_cpu_fallback(const struct cpumask *cpus_allowed, u64 flags)
{
	s32 cpu = scx_bpf_pick_idle_cpu(cpus_allowed, flags);
	u32 c;

	if (cpu >= 0)
		return cpu;
	c = bpf_cpumask_any_distribute(cpus_allowed);
	return c < scx_bpf_nr_cpu_ids() ? (s32)c : -EBUSY;
}

#define scx_bpf_pick_any_cpu(cpus_allowed, flags)				\
	(bpf_ksym_exists(scx_bpf_pick_any_cpu) ?				\
	 scx_bpf_pick_any_cpu((cpus_allowed), (flags)) :			\
	 __scx_pick_any_cpu_fallback((cpus_allowed), (flags)))

/* Event counters (6.15); zeroed on older kernels. */
#define __COMPAT_scx_bpf_events(events, size)					\
	({									\
		if (bpf_ksym_exists(scx_bpf_events))				\
			scx_bpf_events(events, size);				\
		else								\
			__builtin_memset(events, 0, size);			\
	})

/*
 * scx_bpf_select_cpu_and - pick an idle CPU for @p among @cpus_allowed, like the built-in
 * policy.  Return: the CPU (already claimed idle), or -EBUSY when none is idle.  Kernels before
 * 6.16 can only search p->cpus_ptr: there @cpus_allowed is ignored.
 */
static inline s32 scx_bpf_select_cpu_and(struct task_struct *p, s32 prev_cpu, u64 wake_flags,
					 const struct cpumask *cpus_allowed, u64 flags)
{
	bool is_idle = false;
	s32 cpu;

	if (bpf_ksym_exists(__scx_bpf_select_cpu_and)) {
		struct scx_bpf_select_cpu_and_args args = {
			.prev_cpu = prev_cpu,
			.wake_flags = wake_flags,
			.flags = flags,
		};

		return __scx_bpf_select_cpu_and(p, cpus_allowed, &args);
	}
	if (bpf_ksym_exists(scx_bpf_select_cpu_and___v1))
		return scx_bpf_select_cpu_and___v1(p, prev_cpu, wake_flags, cpus_allowed, flags);
	cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &is_idle);
	return is_idle ? cpu : -EBUSY;
}

/*
 * Whether scx_bpf_select_cpu_and() does what it says (6.16+): it is an inline wrapper, so
 * bpf_ksym_exists() cannot ask.
 */
#define __COMPAT_HAS_scx_bpf_select_cpu_and					\
	(bpf_ksym_exists(__scx_bpf_select_cpu_and) ||				\
	 bpf_ksym_exists(scx_bpf_select_cpu_and___v1))

/* Fill a bpf_cpumask from raw bits (6.15+); -EOPNOTSUPP before. */
#define __COMPAT_bpf_cpumask_populate(cpumask, src, size__sz)			\
	(bpf_ksym_exists(bpf_cpumask_populate) ?				\
	 bpf_cpumask_populate((cpumask), (src), (size__sz)) : -EOPNOTSUPP)

/* The task running on @cpu: scx_bpf_cpu_curr() (6.18+) or the rq's curr on older kernels. */
#define __COMPAT_scx_bpf_cpu_curr(cpu)						\
	(bpf_ksym_exists(scx_bpf_cpu_curr) ? scx_bpf_cpu_curr(cpu) :		\
	 (bpf_ksym_exists(scx_bpf_cpu_rq) ? scx_bpf_cpu_rq(cpu)->curr : NULL))

/*
 * First task of a DSQ without removing it: scx_bpf_dsq_peek(), else an iterator.  The kfunc
 * came in 6.19 but could miss the head of a FIFO DSQ until 7.1, so it is used from 7.1 on.
 */
static inline struct task_struct *__COMPAT_scx_bpf_dsq_peek(u64 dsq_id)
{
	struct task_struct *p = NULL;

	if (bpf_ksym_exists(scx_bpf_dsq_peek) &&
	    LINUX_KERNEL_VERSION >= KERNEL_VERSION(7, 1, 0))
		return scx_bpf_dsq_peek(dsq_id);
	bpf_for_each(scx_dsq, p, dsq_id, 0)
		break;
	return p;
}

/* Set a queued task's slice / vtime: kfuncs on 7.x, direct writes (allowed before) otherwise. */
#define scx_bpf_task_set_slice(__p, __slice)					\
	(bpf_ksym_exists(scx_bpf_task_set_slice) ?				\
	 scx_bpf_task_set_slice((__p), (__slice)) : ((__p)->scx.slice = (__slice), true))

#define scx_bpf_task_set_dsq_vtime(__p, __vtime)				\
	(bpf_ksym_exists(scx_bpf_task_set_dsq_vtime) ?				\
	 scx_bpf_task_set_dsq_vtime((__p), (__vtime)) :				\
	 ((__p)->scx.dsq_vtime = (__vtime), true))

/*
 * Whether ops.select_cpu() ran for this enqueue.  SCX_ENQ_CPU_SELECTED is imported at load
 * (enums.bpf.h); a kernel without the flag does not say, so assume it did.
 */
static inline bool __COMPAT_is_enq_cpu_selected(u64 enq_flags)
{
	if (!__SCX_ENQ_CPU_SELECTED)
		return true;
	return enq_flags & __SCX_ENQ_CPU_SELECTED;
}

/* Whether the running kernel has ops flag @flag (userspace tests this before setting it). */
#define __COMPAT_HAS_OPS_FLAG(flag)						\
	bpf_core_enum_value_exists(enum scx_ops_flags, flag)

/*
 * Task cgroup on every kernel: the kfunc needs CONFIG_CGROUP_SCHED; NULL without it.  Under
 * the kfunc's own name too, as the kernel's headers have it.
 */
#define scx_bpf_task_cgroup(p)							\
	(bpf_ksym_exists(scx_bpf_task_cgroup) ? scx_bpf_task_cgroup(p) : NULL)
#define __COMPAT_scx_bpf_task_cgroup(p) scx_bpf_task_cgroup(p)

/*
 * SCX_OPS_CID_DEFINE(name, .op = prog, ...): the struct_ops map of a scheduler written in cids
 * (7.3's struct sched_ext_ops_cid: select_cid, set_cmask, cid_online, ... callbacks, and the
 * cid kfuncs only).  Open it with SCX_OPS_CID_OPEN() of <scx/compat.h>.
 */
#define SCX_OPS_CID_DEFINE(__name, ...)						\
	SEC(".struct_ops.link")							\
	struct sched_ext_ops_cid __name = {					\
		__VA_ARGS__,							\
	};

#endif /* __SCX_COMPAT_BPF_H */
