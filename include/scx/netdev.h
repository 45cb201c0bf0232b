/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * Network devices and their MSI interrupts: which NICs the system has, the NUMA node of each,
 * and the CPU affinity of each of their IRQs, with changes applied in one go and the original
 * masks restored exactly.
 *
 * Devices are the interfaces of sys/class/net that have a "device" link (virtual interfaces
 * such as lo, bridges and veth have none) and MSI IRQs (device/msi_irqs/).  Devices are ordered
 * by name, the IRQs of a device by number.
 *
 * A handle is mutable (its wanted masks): callers serialise changes to one handle.  On a captured
 * tree (a sysfs root other than "/") writes are refused with -EROFS unless the options allow
 * them (for tests).
 *
 * Every mask written on this system is first recorded in a restore journal (<scx/journal.h>),
 * so the original is put back even when the scheduler is killed; scx_netdev_load() on this
 * system first replays the journals of schedulers that are gone, then reads the masks.
 */
#ifndef SCX_NETDEV_H
#define SCX_NETDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <scx/base.h>
#include <scx/cpumask.h>

SCX_BEGIN_DECLS

/** The NICs of a system and their IRQs, read by scx_netdev_load(). */
struct scx_netdev;

/** Options for scx_netdev_load(); fill with SCX_OPTS(scx_netdev_opts, name, ...). */
struct scx_netdev_opts {
	size_t sz;			/**< sizeof(struct scx_netdev_opts) */
	const char *sysfs_root;		/**< root of a captured tree; NULL: $SCX_SYSFS_PREFIX, else / */
	bool allow_fake_root_writes;	/**< for tests: let apply/restore write under a captured tree */
	size_t :0;
};

/**
 * scx_netdev_load() - read the NICs, their IRQs and each IRQ's affinity and hint.
 * @opts: options, or NULL for the defaults.
 *
 * Each IRQ's affinity comes from proc/irq/N/smp_affinity and its hint from
 * proc/irq/N/affinity_hint (both the kernel's comma-grouped hex).  Masks are as wide as
 * sys/devices/system/cpu/possible says (or, without it, as the affinity text).  An MSI IRQ
 * without a proc/irq folder is left out.
 *
 * Return: the handle, to release with scx_netdev_free(), or NULL with errno set: EINVAL (bad
 * options, or unreadable text such as a malformed mask or NUMA node), ENOENT/ENOTDIR (the root
 * does not exist), ENOMEM; EACCES, ELOOP, EMFILE, ENAMETOOLONG or ENFILE when a file or folder
 * of the tree cannot be opened (open(2)).  A system without NICs is not an error (count 0).
 */
SCX_API struct scx_netdev *scx_netdev_load(const struct scx_netdev_opts *opts);

/**
 * scx_netdev_free() - release a handle.  Masks applied stay applied: call scx_netdev_restore()
 * first to put the original ones back.
 * @nd: the handle; NULL is ignored.
 */
SCX_API void scx_netdev_free(struct scx_netdev *nd);

/**
 * scx_netdev_count() - the number of NICs.
 * @nd: a handle.
 * Return: the number (>= 0), or -EINVAL for NULL.
 */
SCX_API int scx_netdev_count(const struct scx_netdev *nd);

/**
 * scx_netdev_name() - a NIC's interface name.
 * @nd: a handle.
 * @dev: the NIC index.
 * Return: the name, or NULL (errno EINVAL).
 */
SCX_API const char *scx_netdev_name(const struct scx_netdev *nd, unsigned int dev);

/**
 * scx_netdev_numa_node() - a NIC's NUMA node (device/numa_node).
 * @nd: a handle.
 * @dev: the NIC index.
 * Return: the node (>= 0), -1 when the device has none (or the file is absent), or -EINVAL
 * (which is below -1) for a bad argument.
 */
SCX_API int scx_netdev_numa_node(const struct scx_netdev *nd, unsigned int dev);

/**
 * scx_netdev_nr_irqs() - the number of MSI IRQs of a NIC.
 * @nd: a handle.
 * @dev: the NIC index.
 * Return: the number (>= 1), or -EINVAL.
 */
SCX_API int scx_netdev_nr_irqs(const struct scx_netdev *nd, unsigned int dev);

/**
 * scx_netdev_irq() - the IRQ number of one of a NIC's IRQs.
 * @nd: a handle.
 * @dev: the NIC index.
 * @idx: the IRQ index, 0 .. scx_netdev_nr_irqs() - 1.
 * Return: the IRQ number, or -EINVAL.
 */
SCX_API int scx_netdev_irq(const struct scx_netdev *nd, unsigned int dev, unsigned int idx);

/**
 * scx_netdev_irq_affinity() - the IRQ's affinity as it was when loaded.
 * @nd: a handle.
 * @dev: the NIC index.
 * @idx: the IRQ index.
 * Return: the mask, owned by @nd, or NULL (errno EINVAL).
 */
SCX_API const struct scx_cpumask *scx_netdev_irq_affinity(const struct scx_netdev *nd,
							  unsigned int dev, unsigned int idx);

/**
 * scx_netdev_irq_hint() - the driver's affinity hint for the IRQ.
 * @nd: a handle.
 * @dev: the NIC index.
 * @idx: the IRQ index.
 * Return: the mask, owned by @nd, or NULL with errno ENOENT when the driver gives no hint (no
 * file, or an empty mask) or EINVAL for a bad argument.
 */
SCX_API const struct scx_cpumask *scx_netdev_irq_hint(const struct scx_netdev *nd,
						      unsigned int dev, unsigned int idx);

/**
 * scx_netdev_irq_mask() - the affinity wanted for the IRQ, to change before scx_netdev_apply().
 * @nd: a handle.
 * @dev: the NIC index.
 * @idx: the IRQ index.
 *
 * It starts equal to the loaded affinity; change it with the cpumask functions.
 *
 * Return: the mask, owned by @nd, or NULL (errno EINVAL).
 */
SCX_API struct scx_cpumask *scx_netdev_irq_mask(struct scx_netdev *nd, unsigned int dev,
						unsigned int idx);

/**
 * scx_netdev_apply() - write every wanted mask that differs from the IRQ's current affinity.
 * @nd: a handle.
 *
 * Every wanted mask is checked first: an empty one fails the call before anything is written.
 * Then each IRQ is written in turn; a failure does not stop the others.
 *
 * Return: the number of IRQs written (>= 0) when all succeeded; otherwise the first failure:
 * -EINVAL (NULL, an empty mask, or the kernel refused the mask), -EROFS (a captured tree),
 * -EACCES/-EPERM (needs CAP_DAC_OVERRIDE: root), -EIO (the kernel manages that IRQ's affinity).
 */
SCX_API int scx_netdev_apply(struct scx_netdev *nd);

/**
 * scx_netdev_restore() - write back, as the exact text read at load, the affinity of every IRQ
 * that scx_netdev_apply() changed, and reset the wanted masks to the loaded ones.
 * @nd: a handle.
 * Return: the number of IRQs written, or the first failure's -errno as scx_netdev_apply().
 */
SCX_API int scx_netdev_restore(struct scx_netdev *nd);

SCX_END_DECLS

#endif /* SCX_NETDEV_H */
