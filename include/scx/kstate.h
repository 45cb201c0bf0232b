/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * The kernel's sched_ext state as /sys/kernel/sched_ext shows it: whether sched_ext is built
 * in, whether a scheduler is running and which, and the kernel's counters.
 */
#ifndef SCX_KSTATE_H
#define SCX_KSTATE_H

#include <stdbool.h>
#include <stdint.h>
#include <scx/base.h>

SCX_BEGIN_DECLS

/** A snapshot of /sys/kernel/sched_ext, taken by scx_kstate_load(). */
struct scx_kstate;

/** Options for scx_kstate_load(); fill with SCX_OPTS(scx_kstate_opts, name, ...). */
struct scx_kstate_opts {
	size_t sz;		/**< sizeof(struct scx_kstate_opts) */
	const char *sysfs_root;	/**< root of a captured tree; NULL: $SCX_SYSFS_PREFIX, else / */
	size_t :0;
};

/**
 * scx_kstate_load() - take a snapshot of the kernel's sched_ext state.
 * @opts: options, or NULL for the defaults.
 *
 * A kernel without sched_ext is not an error: the snapshot then reports
 * scx_kstate_supported() false.
 *
 * Return: a new snapshot to release with scx_kstate_free(), or NULL with errno set: EINVAL for
 * bad options, ENOENT/ENOTDIR for a sysfs root that does not exist, ENOMEM; EACCES, ELOOP,
 * EMFILE, ENAMETOOLONG or ENFILE when a file or folder of the tree cannot be opened (open(2)).
 */
SCX_API struct scx_kstate *scx_kstate_load(const struct scx_kstate_opts *opts);

/**
 * scx_kstate_free() - release a snapshot.
 * @ks: the snapshot; NULL is ignored.
 */
SCX_API void scx_kstate_free(struct scx_kstate *ks);

/**
 * scx_kstate_supported() - whether the kernel has sched_ext (/sys/kernel/sched_ext exists).
 * @ks: a snapshot.
 * Return: true or false; false for NULL.
 */
SCX_API bool scx_kstate_supported(const struct scx_kstate *ks);

/**
 * scx_kstate_state() - the kernel's state word: "disabled", "enabling", "enabled", "disabling".
 * @ks: a snapshot.
 * Return: the text of /sys/kernel/sched_ext/state, or NULL when sched_ext is absent or the file
 * could not be read.
 */
SCX_API const char *scx_kstate_state(const struct scx_kstate *ks);

/**
 * scx_kstate_enabled() - whether a BPF scheduler is loaded (state "enabled").
 * @ks: a snapshot.
 * Return: true or false.
 */
SCX_API bool scx_kstate_enabled(const struct scx_kstate *ks);

/**
 * scx_kstate_ops() - the running scheduler's ops name (/sys/kernel/sched_ext/root/ops).
 * @ks: a snapshot.
 * Return: the name, or NULL when no scheduler is loaded.
 */
SCX_API const char *scx_kstate_ops(const struct scx_kstate *ks);

/** Counters and flags of /sys/kernel/sched_ext, for scx_kstate_value(). */
enum scx_kstate_field {
	SCX_KSTATE_SWITCH_ALL = 0,	/**< switch_all: 1 when every task runs on the BPF scheduler */
	SCX_KSTATE_NR_REJECTED = 1,	/**< nr_rejected: tasks the scheduler refused */
	SCX_KSTATE_HOTPLUG_SEQ = 2,	/**< hotplug_seq: CPU hotplug events so far */
	SCX_KSTATE_ENABLE_SEQ = 3,	/**< enable_seq: schedulers enabled since boot */
};

/**
 * scx_kstate_value() - one counter of the snapshot.
 * @ks: a snapshot.
 * @field: which counter.
 * @val: set to its value.
 * Return: 0; -EINVAL for a NULL argument or unknown field; -ENOENT when the kernel does not
 * have that file (or no sched_ext at all).
 */
SCX_API int scx_kstate_value(const struct scx_kstate *ks, enum scx_kstate_field field,
			     uint64_t *val);

SCX_END_DECLS

#endif /* SCX_KSTATE_H */
