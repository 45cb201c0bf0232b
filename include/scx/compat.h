/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * Userspace compatibility layer of a sched_ext scheduler, source-compatible with the kernel's
 * tools/sched_ext: queries of the running kernel (__COMPAT_*), ops flags read from it, and the
 * lifecycle macros SCX_OPS_OPEN(), SCX_OPS_LOAD(), SCX_OPS_ATTACH().  Everything calls into
 * libscx (scx/btf.h, scx/ops.h); the lifecycle macros exit through SCX_BUG() on failure.
 *
 * Define SCX_SCHED_VERSION (a string) before including this header to have SCX_OPS_OPEN()
 * append it to the ops name.
 */
#ifndef SCX_COMPAT_H
#define SCX_COMPAT_H

#include <stdbool.h>
#include <stdint.h>

#include <scx/btf.h>
#include <scx/common.h>
#include <scx/ops.h>
#include <scx/kstate.h>

/*
 * The running kernel's BTF (libbpf's struct btf, loaded once and kept by libscx: do not free
 * it).  __COMPAT_load_vmlinux_btf() exits through SCX_BUG() when there is none.
 */
#define __COMPAT_vmlinux_btf ((struct btf *)scx_btf_vmlinux())
#define __COMPAT_load_vmlinux_btf()							\
	SCX_BUG_ON(!scx_btf_vmlinux(), "cannot load the kernel's BTF")

/* Whether the running kernel has the function or variable @__ksym (a kfunc, say). */
#define __COMPAT_has_ksym(__ksym) (scx_btf_ksym_exists(NULL, (__ksym)) == 1)

/*
 * Read enumerator @__name of enum @__type from the running kernel into *(u64 *)@__v; true when
 * it exists.  A 64-bit value that the kernel's BTF cut to 32 bits (pahole before 1.25) is
 * recovered from libscx's headers (scx_btf_enum_value_full()); one that contradicts them
 * reads as absent.
 */
#define __COMPAT_read_enum(__type, __name, __v) \
	(scx_btf_enum_value_full(NULL, (__type), (__name), (uint64_t *)(__v)) >= 0)

/* The running kernel's value of an enumerator, or 0 when it has none. */
#define __COMPAT_ENUM_OR_ZERO(__type, __name)						\
	({										\
		uint64_t __scx_val = 0;							\
		if (!__COMPAT_read_enum((__type), (__name), &__scx_val))		\
			__scx_val = 0;							\
		__scx_val;								\
	})

/* Whether struct @__type of the running kernel has member @__field. */
#define __COMPAT_struct_has_field(__type, __field) \
	(scx_btf_struct_has_field(NULL, (__type), (__field)) == 1)

/* An ops flag's value in the running kernel, 0 when it does not know the flag. */
#define SCX_OPS_FLAG(name) __COMPAT_ENUM_OR_ZERO("scx_ops_flags", #name)

#define SCX_OPS_KEEP_BUILTIN_IDLE SCX_OPS_FLAG(SCX_OPS_KEEP_BUILTIN_IDLE)
#define SCX_OPS_ENQ_LAST SCX_OPS_FLAG(SCX_OPS_ENQ_LAST)
#define SCX_OPS_ENQ_EXITING SCX_OPS_FLAG(SCX_OPS_ENQ_EXITING)
#define SCX_OPS_SWITCH_PARTIAL SCX_OPS_FLAG(SCX_OPS_SWITCH_PARTIAL)
#define SCX_OPS_ENQ_MIGRATION_DISABLED SCX_OPS_FLAG(SCX_OPS_ENQ_MIGRATION_DISABLED)
#define SCX_OPS_ALLOW_QUEUED_WAKEUP SCX_OPS_FLAG(SCX_OPS_ALLOW_QUEUED_WAKEUP)
#define SCX_OPS_BUILTIN_IDLE_PER_NODE SCX_OPS_FLAG(SCX_OPS_BUILTIN_IDLE_PER_NODE)
#define SCX_OPS_ALWAYS_ENQ_IMMED SCX_OPS_FLAG(SCX_OPS_ALWAYS_ENQ_IMMED)
#define SCX_OPS_TID_TO_TASK SCX_OPS_FLAG(SCX_OPS_TID_TO_TASK)
#define SCX_OPS_HAS_CGROUP_WEIGHT SCX_OPS_FLAG(SCX_OPS_HAS_CGROUP_WEIGHT)

/* The scx project's 2024 names: the SWITCH_PARTIAL flag, whether the kernel has the kfuncs. */
#define __COMPAT_SCX_OPS_SWITCH_PARTIAL SCX_OPS_SWITCH_PARTIAL
#define __COMPAT_HAS_CPUMASKS __COMPAT_has_ksym("scx_bpf_nr_cpu_ids")
#define __COMPAT_HAS_DSQ_ITER __COMPAT_has_ksym("bpf_iter_scx_dsq_new")

/* An scx_bpf_pick_idle_cpu() flag's value in the running kernel, 0 when it lacks the flag. */
#define SCX_PICK_IDLE_FLAG(name) __COMPAT_ENUM_OR_ZERO("scx_pick_idle_cpu_flags", #name)

#define SCX_PICK_IDLE_CORE SCX_PICK_IDLE_FLAG(SCX_PICK_IDLE_CORE)
#define SCX_PICK_IDLE_IN_NODE SCX_PICK_IDLE_FLAG(SCX_PICK_IDLE_IN_NODE)

/*
 * The number of CPU hotplug events so far (/sys/kernel/sched_ext/hotplug_seq, under
 * $SCX_SYSFS_PREFIX when set), or -errno when it cannot be read.  SCX_OPS_OPEN() already
 * copies it into the ops.
 */
static inline long scx_hotplug_seq(void)
{
	struct scx_kstate *ks = scx_kstate_load(NULL);
	uint64_t seq = 0;
	int err;

	if (!ks)
		return -errno;
	err = scx_kstate_value(ks, SCX_KSTATE_HOTPLUG_SEQ, &seq);
	scx_kstate_free(ks);
	return err ? err : (long)seq;
}

#ifdef SCX_SCHED_VERSION
#define __SCX_OPS_VERSION SCX_SCHED_VERSION
#else
#define __SCX_OPS_VERSION NULL
#endif

/*
 * Open skeleton @__scx_name and fit it to the running kernel (scx_ops_open_prepare()).
 * Evaluates to the skeleton.
 */
#define SCX_OPS_OPEN(__ops_name, __scx_name)						\
	({										\
		struct __scx_name *__skel;						\
		SCX_OPTS(scx_ops_opts, __scx_opts, .version = __SCX_OPS_VERSION);	\
		__skel = __scx_name##__open();						\
		SCX_BUG_ON(!__skel, "could not open " #__scx_name);			\
		SCX_BUG_ON(scx_ops_open_prepare(__skel->obj, #__ops_name, &__scx_opts) < 0, \
			   "cannot prepare " #__ops_name " for this kernel");		\
		__skel;									\
	})

/*
 * SCX_OPS_OPEN() for a scheduler written in cids (SCX_OPS_CID_DEFINE(), struct
 * sched_ext_ops_cid of Linux 7.3): scx_ops_open_prepare() fits the map to the kernel's type
 * of the same name, so the one macro serves both.
 */
#define SCX_OPS_CID_OPEN(__ops_name, __scx_name) SCX_OPS_OPEN(__ops_name, __scx_name)

/* Size the exit dump of @__uei_name, then load, explaining a failure before exiting. */
#define SCX_OPS_LOAD(__skel, __ops_name, __scx_name, __uei_name)			\
	({										\
		int __scx_err;								\
		SCX_BUG_ON(scx_ops_load_prepare((__skel)->obj, #__ops_name,		\
						#__uei_name) < 0,			\
			   "cannot size the exit info of " #__ops_name);		\
		__scx_err = __scx_name##__load((__skel));				\
		if (__scx_err) {							\
			scx_ops_load_diagnose((__skel)->obj, __scx_err);		\
			SCX_BUG("failed to load " #__scx_name);				\
		}									\
	})

/*
 * Attach the skeleton's programs, then the struct_ops map once; refuse when another
 * scheduler runs.  Evaluates to the struct_ops link.  SCX_OPS_ATTACH(skel, ops_name), the
 * scx project's 2024 form, attaches the struct_ops map only.
 */
#define __SCX_OPS_ATTACH(__skel, __ops_name, __attach_skel)				\
	({										\
		struct bpf_link *__link;						\
		SCX_BUG_ON(scx_ops_attach_prepare((__skel)->obj, #__ops_name, NULL) < 0, \
			   "cannot attach " #__ops_name);				\
		__attach_skel;								\
		__link = scx_ops_attach((__skel)->obj, #__ops_name);			\
		SCX_BUG_ON(!__link, "failed to attach struct_ops " #__ops_name);	\
		__link;									\
	})
#define __SCX_OPS_ATTACH3(__skel, __ops_name, __scx_name)				\
	__SCX_OPS_ATTACH(__skel, __ops_name,						\
			 SCX_BUG_ON(__scx_name##__attach((__skel)), "failed to attach skel"))
#define __SCX_OPS_ATTACH2(__skel, __ops_name) __SCX_OPS_ATTACH(__skel, __ops_name, (void)0)
#define __SCX_PICK3(_1, _2, _3, N, ...) N
#define SCX_OPS_ATTACH(args...) __SCX_PICK3(args, __SCX_OPS_ATTACH3, __SCX_OPS_ATTACH2)(args)

#endif /* SCX_COMPAT_H */
