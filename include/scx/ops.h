/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * The scheduler lifecycle behind SCX_OPS_OPEN(), SCX_OPS_LOAD() and SCX_OPS_ATTACH()
 * (scx/compat.h): checks and adjustments of an opened BPF object for the running kernel, a
 * load failure explained, and an attach that refuses to fight another scheduler.  Plus the
 * options a loader hands libbpf, and version strings.
 */
#ifndef SCX_OPS_H
#define SCX_OPS_H

#include <stdbool.h>
#include <scx/base.h>

SCX_BEGIN_DECLS

struct bpf_object;
struct bpf_link;
struct bpf_object_open_opts;

/** Size of struct sched_ext_ops' name, with its NUL. */
#define SCX_OPS_NAME_LEN 128

/** Options for the scx_ops_* functions; fill with SCX_OPTS(scx_ops_opts, name, ...). */
struct scx_ops_opts {
	size_t sz;		/**< sizeof(struct scx_ops_opts) */
	const char *version;	/**< the scheduler's version, appended to the ops name; or NULL */
	const char *btf_path;	/**< kernel BTF to fit; NULL: $SCX_BTF_PATH, else the running one */
	const char *sysfs_root;	/**< root of /sys for sched_ext state; NULL: $SCX_SYSFS_PREFIX, / */
	size_t :0;
};

/**
 * scx_ops_open_prepare() - make an opened scheduler object fit the running kernel.
 * @obj: the opened, not yet loaded, object.
 * @ops_map: the name of its struct sched_ext_ops map (the variable SCX_OPS_DEFINE() made).
 * @opts: options, or NULL.
 *
 * In order: refuses an object that the running libbpf would crash on (an arena map followed by
 * enough maps to make libbpf before 1.6.1 grow its map array after taking a pointer to the
 * arena map; fixed by "libbpf: Fix handling of BPF arena relocations" in 1.6.1); refuses a
 * kernel without sched_ext or one older than the ops.dump() callback
 * (Linux 6.12); clears, with a warning each, the members of the object's struct
 * sched_ext_ops that the kernel's lacks (a callback's program is then not loaded); sets
 * hotplug_seq from /sys/kernel/sched_ext/hotplug_seq, so a CPU hotplug between now and attach
 * makes the kernel refuse (and the loader restart); sets timeout_ms from the environment
 * variable SCX_TIMEOUT_MS when set; appends "_<version>" to the ops name (characters the kernel
 * does not allow in a name become '_'); imports the kernel's enum values (scx_enums_import()).
 *
 * Return: 0; -EINVAL for a NULL @obj or @ops_map, bad options or a bad SCX_TIMEOUT_MS;
 * -ENOENT when @obj has no struct_ops map @ops_map; -ELIBBAD when the running libbpf would
 * crash loading @obj; -EOPNOTSUPP when the kernel has no usable sched_ext; -ERANGE from the
 * enum import; other -errno from reading the kernel's BTF.
 */
SCX_API int scx_ops_open_prepare(struct bpf_object *obj, const char *ops_map,
				 const struct scx_ops_opts *opts);

/**
 * scx_ops_load_prepare() - size the exit-info dump area before load.
 * @obj: the opened, not yet loaded, object.
 * @ops_map: the name of its struct sched_ext_ops map.
 * @uei_name: the name given to UEI_DEFINE() in the BPF code ("uei").
 *
 * The dump buffer (section .data.<uei_name>_dump) is resized to the ops' exit_dump_len, or
 * UEI_DUMP_DFL_LEN when that is 0, and <uei_name>_dump_len in .rodata is set to the same size.
 *
 * Return: the dump size; -EINVAL for NULL arguments; -ENOENT when the map, the dump section or
 * the length variable is missing; other -errno from libbpf.
 */
SCX_API int scx_ops_load_prepare(struct bpf_object *obj, const char *ops_map,
				 const char *uei_name);

/**
 * scx_ops_load_error() - explain a failed load.
 * @err: the negative error the load returned.
 *
 * Logs what failed and what to do: a kernel without sched_ext, sched_ext kfuncs the kernel
 * leaves uncallable (Linux 7.1 and 7.2 built with pahole 1.30, see scx_btf_aux_kfuncs()),
 * truncated 64-bit enums (pahole before 1.25), missing capabilities, a libbpf older than the
 * scheduler needs, or the verifier's refusal (with libbpf's log above it).  The kernel's BTF
 * is the running kernel's, or the file $SCX_BTF_PATH names.  scx_ops_load_diagnose() also
 * names the uncallable kfuncs the scheduler itself declares.
 *
 * Return: @err, unchanged (errno set from it); -EINVAL when @err is not negative.
 */
SCX_API int scx_ops_load_error(int err);

/**
 * scx_ops_load_diagnose() - explain a failed load of a given object.
 * @obj: the object whose load failed; NULL explains as scx_ops_load_error().
 * @err: the negative error the load returned.
 *
 * As scx_ops_load_error(), but instead of counting the kernel's uncallable kfuncs it names
 * those @obj declares (the extern functions of its BTF, "___flavour" suffixes stripped, that
 * scx_btf_kfunc_unsplit() accepts), and what to do: a kernel built with pahole >= 1.31, or
 * Linux 7.3.  SCX_OPS_LOAD() calls it.
 *
 * Return: @err, unchanged (errno set from it); -EINVAL when @err is not negative.
 */
SCX_API int scx_ops_load_diagnose(const struct bpf_object *obj, int err);

/**
 * scx_ops_attach_prepare() - check that the scheduler may attach.
 * @obj: the loaded object.
 * @ops_map: the name of its struct sched_ext_ops map.
 * @opts: options (@sysfs_root is used), or NULL.
 *
 * Refuses when another sched_ext scheduler is running (naming it), and turns off libbpf's
 * automatic attach of the struct_ops map (libbpf >= 1.5 skeletons do it in __attach()), so
 * that scx_ops_attach() attaches it once.  With libbpf >= 1.7 it also associates the object's
 * loaded programs that are not struct_ops callbacks with the map
 * (bpf_program__assoc_struct_ops()), warning about any the kernel refuses.
 *
 * Return: 0; -EINVAL for NULL arguments or bad options; -ENOENT when @obj has no struct_ops
 * map @ops_map; -EOPNOTSUPP when the kernel has no sched_ext; -EBUSY when a scheduler is
 * running.
 */
SCX_API int scx_ops_attach_prepare(struct bpf_object *obj, const char *ops_map,
				   const struct scx_ops_opts *opts);

/**
 * scx_ops_attach() - attach the scheduler's struct_ops map.
 * @obj: the loaded object.
 * @ops_map: the name of its struct sched_ext_ops map.
 *
 * Return: the link (destroy it with bpf_link__destroy() to detach), or NULL with errno set:
 * EINVAL for NULL arguments, ENOENT when there is no such map, EBUSY/EEXIST when another
 * scheduler got in first, or libbpf's error.
 */
SCX_API struct bpf_link *scx_ops_attach(struct bpf_object *obj, const char *ops_map);

/**
 * scx_ops_name() - build an ops name with a version suffix: "<name>_<version>".
 * @name: the scheduler's name.
 * @version: its version, or NULL for none.
 * @buf: where to write it.
 * @sz: the size of @buf; SCX_OPS_NAME_LEN is enough.
 *
 * Characters the kernel refuses in an ops name (anything but letters, digits, '_' and '.')
 * become '_'.  The result is cut to SCX_OPS_NAME_LEN - 1 characters.
 *
 * Return: the length written; -EINVAL for NULL or empty @name, NULL @buf or a zero @sz;
 * -ENAMETOOLONG when it did not fit in @buf (the cut name is still written).
 */
SCX_API int scx_ops_name(const char *name, const char *version, char *buf, size_t sz);

/** Options a loader passes to libbpf when it opens a skeleton; see scx_ops_fill_libbpf_opts(). */
struct scx_ops_libbpf_opts {
	size_t sz;			/**< sizeof(struct scx_ops_libbpf_opts) */
	const char *pin_root_path;	/**< where maps marked for pinning go */
	const char *kconfig;		/**< extra CONFIG_xxx=val lines for __kconfig externs */
	const char *btf_custom_path;	/**< kernel BTF for CO-RE instead of the running one's */
	const char *bpf_token_path;	/**< a BPF FS mount to take a BPF token from */
	unsigned int kernel_log_level;	/**< verifier log: 0 only on failure, 1, 2 (all), 4 (stats) */
	size_t :0;
};

/**
 * scx_ops_fill_libbpf_opts() - fill libbpf's open options from a libscx one.
 * @in: the options; NULL fields keep libbpf's defaults.  Without @btf_custom_path the
 *      environment variable SCX_BTF_PATH is used when set.
 * @out: libbpf's struct bpf_object_open_opts, declared with LIBBPF_OPTS().
 *
 * Return: 0; -EINVAL for a NULL @out, an @out smaller than libbpf 1.4's or bad options.
 */
SCX_API int scx_ops_fill_libbpf_opts(const struct scx_ops_libbpf_opts *in,
				 struct bpf_object_open_opts *out);

SCX_END_DECLS

#endif /* SCX_OPS_H */
