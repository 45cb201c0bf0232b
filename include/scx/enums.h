/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * sched_ext enum values from the running kernel, for a BPF object before it is loaded.
 *
 * The BPF headers (scx/enums.bpf.h) give an object one read-only u64 variable __SCX_<NAME> per
 * sched_ext enumerator SCX_<NAME> whose value differs between kernels; userspace fills them
 * with the running kernel's values before load (SCX_ENUM_INIT(skel)).
 */
#ifndef SCX_ENUMS_H
#define SCX_ENUMS_H

#include <scx/base.h>

SCX_BEGIN_DECLS

struct bpf_object;
struct btf;

/**
 * scx_enums_import() - set an object's __SCX_* rodata variables to the kernel's values.
 * @obj: an opened, not yet loaded, BPF object.
 *
 * Every 8-byte variable of the object's .rodata whose name is __SCX_<NAME> receives the
 * value of the enumerator SCX_<NAME>, looked up in every enum of the running kernel's BTF.
 * One the kernel lacks keeps its compiled default and is logged at debug level.  A 64-bit
 * value the kernel's BTF cut to 32 bits (pahole < 1.25) is recovered from the compiled
 * default when their low 32 bits agree (see scx_btf_enum_value_expect()).
 *
 * Return: the number of variables set (0 for an object without any); -EINVAL for a NULL
 * @obj; -ERANGE when a truncated value contradicts the compiled default (that variable keeps
 * its default, the others are set); -ENOMEM; an error of scx_btf_vmlinux() when the kernel's
 * BTF cannot be loaded.
 */
SCX_API int scx_enums_import(struct bpf_object *obj);

/**
 * scx_enums_import_btf() - scx_enums_import() with the values of a given kernel BTF.
 * @obj: an opened, not yet loaded, BPF object.
 * @btf: the kernel's BTF (e.g. from scx_btf_load()); NULL for the running kernel's.
 *
 * Return: as scx_enums_import().
 */
SCX_API int scx_enums_import_btf(struct bpf_object *obj, const struct btf *btf);

SCX_END_DECLS

/*
 * SCX_ENUM_INIT(skel) - import the kernel's enum values into a skeleton's object (done by
 * SCX_OPS_OPEN() already); a program that cannot get them logs why and exits (SCX_BUG_ON() of
 * scx/common.h).
 */
#define SCX_ENUM_INIT(__skel)								\
	SCX_BUG_ON(scx_enums_import((__skel)->obj) < 0,					\
		   "cannot import the kernel's sched_ext enum values")

/*
 * SCX_ENUM(name) - the rodata variable that holds enumerator @name's value for the running
 * kernel (__<name>), as the scx project's headers name it: skel->rodata->SCX_ENUM(SCX_SLICE_DFL).
 */
#define SCX_ENUM(name) __##name

/*
 * SCX_ENUM_SET(skel, type, name) - set one rodata variable __<name> to the running kernel's
 * value of enumerator @name of enum @type (both bare words), 0 when the kernel lacks it.
 */
#define SCX_ENUM_SET(__skel, __type, __name)						\
	do {										\
		(__skel)->rodata->__##__name = __COMPAT_ENUM_OR_ZERO(#__type, #__name);	\
	} while (0)

#endif /* SCX_ENUMS_H */
