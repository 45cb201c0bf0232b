/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * Kernel BTF queries: what the running (or a given) kernel offers a sched_ext scheduler — enum
 * values, struct fields, kfuncs — and the diagnosis of BTF that older tools produced.
 *
 * Every query takes a libbpf struct btf; NULL means the running kernel's vmlinux BTF, loaded
 * once on first use (see scx_btf_vmlinux()).
 */
#ifndef SCX_BTF_H
#define SCX_BTF_H

#include <stdbool.h>
#include <stdint.h>
#include <scx/base.h>

SCX_BEGIN_DECLS

struct btf;

/** Options for scx_btf_load(); fill with SCX_OPTS(scx_btf_opts, name, ...). */
struct scx_btf_opts {
	size_t sz;		/**< sizeof(struct scx_btf_opts) */
	const char *path;	/**< a raw BTF file or an ELF file with a .BTF section */
	const char *sysfs_root;	/**< without @path: read <root>/sys/kernel/btf/vmlinux */
	size_t :0;
};

/**
 * scx_btf_vmlinux() - the running kernel's BTF, shared by the whole process.
 *
 * Loaded on the first call (thread-safe) through libbpf, which reads /sys/kernel/btf/vmlinux
 * or a vmlinux image on disk; later calls return the same object, or the same error.  When
 * $SCX_SYSFS_PREFIX names a captured tree (a root other than this system's "/"), it is read
 * from that tree's sys/kernel/btf/vmlinux only, as scx_btf_load() does.  The object belongs
 * to the library: do not free or modify it.
 *
 * Return: the BTF, or NULL with errno set: ENOENT/ESRCH when the kernel (or the captured
 * tree) exposes no BTF (CONFIG_DEBUG_INFO_BTF), EINVAL when the tree's file is not BTF, or
 * libbpf's error.
 */
SCX_API const struct btf *scx_btf_vmlinux(void);

/**
 * scx_btf_load() - load a kernel's BTF from a file or a captured sysfs tree.
 * @opts: @path, or @sysfs_root; with neither, the root from $SCX_SYSFS_PREFIX, else "/".
 *
 * Return: a new BTF to release with scx_btf_free(), or NULL with errno set: EINVAL for bad
 * options or data that is not BTF, ENOENT when the file does not exist, ENOMEM, EFBIG for a
 * file larger than 256 MiB; EACCES, ELOOP, EMFILE, ENAMETOOLONG or ENFILE when a file or folder
 * of the tree cannot be opened (open(2)); other errno from reading.
 */
SCX_API struct btf *scx_btf_load(const struct scx_btf_opts *opts);

/**
 * scx_btf_free() - release a BTF from scx_btf_load().
 * @btf: the BTF; NULL is ignored, and so is the shared vmlinux BTF.
 */
SCX_API void scx_btf_free(struct btf *btf);

/** scx_btf_enum_value() returned a value from a 64-bit enum that the BTF cut to 32 bits. */
#define SCX_BTF_ENUM_TRUNCATED 1

/**
 * scx_btf_enum_value() - the value of an enumerator.
 * @btf: the BTF; NULL for the running kernel's.
 * @type: the enum's name ("scx_exit_kind"), or NULL to search every enum.
 * @name: the enumerator ("SCX_EXIT_ERROR").
 * @val: set to its value (a signed 32-bit value is sign-extended).
 *
 * Both BTF_KIND_ENUM and BTF_KIND_ENUM64 are searched.  BTF made by pahole before 1.25 writes
 * 64-bit enums as 8-byte BTF_KIND_ENUM with the values cut to their low 32 bits; such a value
 * is still returned (zero-extended), and the return value says it is incomplete.
 *
 * Return: 0; SCX_BTF_ENUM_TRUNCATED when only the low 32 bits are known; -EINVAL for NULL
 * @name or @val; -ENOENT when no such enumerator (or enum) exists; an error of
 * scx_btf_vmlinux() when @btf is NULL and the kernel's BTF cannot be loaded.
 */
SCX_API int scx_btf_enum_value(const struct btf *btf, const char *type, const char *name,
			       uint64_t *val);

/**
 * scx_btf_enum_value_expect() - an enumerator's value, recovering a truncated 64-bit value.
 * @btf: the BTF; NULL for the running kernel's.
 * @type: the enum's name, or NULL to search every enum.
 * @name: the enumerator.
 * @expect: the value the caller was built with (e.g. from its vmlinux.h).
 * @val: set to the kernel's value.
 *
 * When the BTF holds the full value, that value is returned whatever @expect is.  When it
 * holds only the low 32 bits of a 64-bit enum, @expect is taken if its low 32 bits are the
 * same; otherwise the kernel's value is unknowable and the call refuses.
 *
 * Return: 0 (full value); SCX_BTF_ENUM_TRUNCATED when @val was recovered from @expect;
 * -ERANGE (with a warning logged) when the truncated value contradicts @expect; the errors of
 * scx_btf_enum_value().
 */
SCX_API int scx_btf_enum_value_expect(const struct btf *btf, const char *type, const char *name,
				      uint64_t expect, uint64_t *val);

/**
 * scx_btf_enum_value_full() - an enumerator's value, a truncated 64-bit value recovered from
 * libscx's own copy of the kernel's headers.  Since 1.1.
 * @btf: the BTF; NULL for the running kernel's.
 * @type: the enum's name, or NULL to search every enum.
 * @name: the enumerator.
 * @val: set to its value.
 *
 * scx_btf_enum_value_expect() with, for @expect, the value the vmlinux.h libscx ships gives a
 * sched_ext enumerator whose value needs more than 32 bits (SCX_ENQ_PREEMPT, SCX_DSQ_LOCAL_ON,
 * SCX_SLICE_INF, ...): what scx_enums_import() does for a BPF object's variables, for a caller
 * that has no compiled default of its own (the __COMPAT_* macros of scx/compat.h).  An
 * enumerator those headers give a 32-bit value, or do not have, keeps the low 32 bits the BTF
 * holds.
 *
 * Return: 0 (the BTF holds the full value); SCX_BTF_ENUM_TRUNCATED when the BTF held only the
 * low 32 bits and @val is recovered (or, for an enumerator libscx knows no wider value of, is
 * those bits); -ERANGE (with a warning logged) when the low bits contradict the value libscx
 * knows; the errors of scx_btf_enum_value().
 */
SCX_API int scx_btf_enum_value_full(const struct btf *btf, const char *type, const char *name,
				    uint64_t *val);

/**
 * scx_btf_find_any_type() - which of several types exists.
 * @btf: the BTF; NULL for the running kernel's.
 * @names: type names (struct, union, enum, typedef, ...), tried in order.
 * @nr: how many.
 *
 * Return: the index in @names of the first that exists; -ENOENT when none does; -EINVAL for a
 * NULL @names or an @nr below 1; an error of scx_btf_vmlinux().
 */
SCX_API int scx_btf_find_any_type(const struct btf *btf, const char *const *names, int nr);

/**
 * scx_btf_struct_has_field() - whether a struct or union has a member.
 * @btf: the BTF; NULL for the running kernel's.
 * @type: the struct or union's name ("sched_ext_ops").
 * @field: the member's name ("dump"); members of anonymous inner structs and unions count.
 *
 * Return: 1 when it has; 0 when not; -ENOENT when the struct does not exist; -EINVAL for NULL
 * arguments; an error of scx_btf_vmlinux().
 */
SCX_API int scx_btf_struct_has_field(const struct btf *btf, const char *type, const char *field);

/**
 * scx_btf_ksym_exists() - whether the kernel has a function or variable.
 * @btf: the BTF; NULL for the running kernel's.
 * @name: the symbol ("scx_bpf_dsq_move_to_local").
 *
 * A BTF function or variable of that name counts; when the BTF has none, /proc/kallsyms of the
 * running system (or of $SCX_SYSFS_PREFIX) is searched, which sees symbols only when
 * kernel.kptr_restrict and the caller's privileges allow it.
 *
 * Return: 1 when it exists; 0 when not; -EINVAL for a NULL @name; an error of
 * scx_btf_vmlinux() when @btf is NULL and no BTF can be loaded.
 */
SCX_API int scx_btf_ksym_exists(const struct btf *btf, const char *name);

/**
 * scx_btf_aux_kfuncs() - count the sched_ext kfuncs no program can call on this kernel.
 * @btf: the BTF; NULL for the running kernel's.
 * @first: when not NULL, set to the first such kfunc's name (owned by @btf), or NULL.
 *
 * A kfunc with a hidden last argument "struct bpf_prog_aux *aux" (registered with
 * KF_IMPLICIT_ARGS, from Linux 6.19) is split at kernel build time by resolve_btfids into a
 * FUNC "foo" without the argument and a FUNC "foo_impl" with it.  The resolve_btfids of Linux
 * 7.1 and 7.2 finds kfuncs only through the bpf_kfunc tags pahole writes, and pahole 1.30
 * tags only some of them; the others keep the argument in "foo" and get no "foo_impl", and
 * the verifier, which looks up "foo_impl" for every call, refuses any program calling them
 * ("cannot find function foo_impl in BTF") whatever the loader does.  Debian's 7.1.13 has 19
 * such kfuncs, its 7.2.12 22; kernels built with pahole 1.31 or later, and 7.3, have none.
 *
 * Return: the number of scx_bpf_* and bpf_iter_scx_dsq_* functions (not ending in _impl)
 * whose last parameter is a pointer to struct bpf_prog_aux and that have no "<name>_impl";
 * -EINVAL/-ENOENT/... as scx_btf_vmlinux() for a NULL @btf.
 */
SCX_API int scx_btf_aux_kfuncs(const struct btf *btf, const char **first);

/**
 * scx_btf_kfunc_unsplit() - whether a kfunc is left uncallable by an unsplit aux argument.
 * @btf: the BTF; NULL for the running kernel's.
 * @name: the kfunc ("scx_bpf_create_dsq"), without a "___flavour" suffix.
 *
 * The test of scx_btf_aux_kfuncs() for one function of any name: its FUNC's last parameter
 * is a pointer to struct bpf_prog_aux and @btf has no FUNC "<name>_impl".
 *
 * Return: 1 when so; 0 when not, or when @btf has no FUNC @name; -EINVAL for a NULL or empty
 * @name; an error of scx_btf_vmlinux() when @btf is NULL and no BTF can be loaded.
 */
SCX_API int scx_btf_kfunc_unsplit(const struct btf *btf, const char *name);

/**
 * scx_btf_truncated_enums() - count 64-bit enums whose BTF lost their high bits.
 * @btf: the BTF; NULL for the running kernel's.
 * @first: when not NULL, set to the first such enum's name (owned by @btf), or NULL.
 *
 * Return: the number of 8-byte BTF_KIND_ENUM types (a pahole older than 1.25 writes 64-bit
 * enums that way); errors as scx_btf_aux_kfuncs().
 */
SCX_API int scx_btf_truncated_enums(const struct btf *btf, const char **first);

SCX_END_DECLS

#endif /* SCX_BTF_H */
