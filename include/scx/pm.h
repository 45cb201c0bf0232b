/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * Power management knobs a scheduler may turn: the global PM QoS CPU latency request
 * (/dev/cpu_dma_latency), per-CPU resume latency, Intel uncore frequency limits, turbo, the
 * energy-performance preference (EPP) of each CPU and its idle states (cpuidle), each with a
 * "supported?" query, and save/restore so a scheduler can put everything back when it exits.
 *
 * A handle on a captured tree (a sysfs root other than "/") refuses every change with -EROFS,
 * unless its options allow writes there (for tests).  A change refused for privilege fails with
 * -EACCES or -EPERM and logs the capability it needs.
 *
 * Every change of a knob on this system is first recorded in a restore journal
 * (<scx/journal.h>), so that the knob is put back even when the scheduler is killed; a change
 * the journal cannot record is not made (-EPERM for a journal folder others can write, -ELOOP
 * for a symbolic link in its place).  scx_pm_open() on this system first replays the journals
 * of schedulers that are gone.
 */
#ifndef SCX_PM_H
#define SCX_PM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <scx/base.h>

SCX_BEGIN_DECLS

/** A handle on one system's power-management files, made by scx_pm_open(). */
struct scx_pm;

/** Options for scx_pm_open(); fill with SCX_OPTS(scx_pm_opts, name, ...). */
struct scx_pm_opts {
	size_t sz;			/**< sizeof(struct scx_pm_opts) */
	const char *sysfs_root;		/**< root of a captured tree; NULL: $SCX_SYSFS_PREFIX, else / */
	bool allow_fake_root_writes;	/**< for tests: let changes write under a captured tree */
	size_t :0;
};

/** What scx_pm_supported() and scx_pm_snapshot_load() know of. */
enum scx_pm_feature {
	SCX_PM_QOS_LATENCY = 0,		/**< global CPU latency request: dev/cpu_dma_latency */
	SCX_PM_RESUME_LATENCY = 1,	/**< cpuN/power/pm_qos_resume_latency_us */
	SCX_PM_UNCORE = 2,		/**< intel_uncore_frequency/package_XX_die_YY */
	SCX_PM_TURBO = 3,		/**< intel_pstate/no_turbo or cpufreq/boost */
	SCX_PM_EPP = 4,			/**< cpufreq policy energy_performance_preference */
	SCX_PM_CPUIDLE = 5,		/**< cpuN/cpuidle/stateM/disable (since 1.1) */
};

/** Bit of a feature in the mask scx_pm_snapshot_load() takes. */
#define SCX_PM_BIT(feature) (1u << (feature))
/** Every feature scx_pm_snapshot_load() can save. */
#define SCX_PM_SNAPSHOT_ALL                                                                      \
	(SCX_PM_BIT(SCX_PM_RESUME_LATENCY) | SCX_PM_BIT(SCX_PM_UNCORE) |                      \
	 SCX_PM_BIT(SCX_PM_TURBO) | SCX_PM_BIT(SCX_PM_EPP) | SCX_PM_BIT(SCX_PM_CPUIDLE))

/** Resume latency "n/a": the CPU must not take any resume latency (shallowest idle only). */
#define SCX_PM_RESUME_LATENCY_NONE (-1)

/**
 * scx_pm_open() - a handle on the power-management files of a system.
 * @opts: options, or NULL for the defaults.
 * Return: the handle, to release with scx_pm_close(), or NULL with errno set: EINVAL for bad
 * options, ENOENT/ENOTDIR for a root that does not exist, ENOMEM; EACCES, ELOOP, EMFILE,
 * ENAMETOOLONG or ENFILE when a file or folder of the tree cannot be opened (open(2)).
 */
SCX_API struct scx_pm *scx_pm_open(const struct scx_pm_opts *opts);

/**
 * scx_pm_close() - release a handle (requests made through it stay until released).
 * @pm: the handle; NULL is ignored.
 */
SCX_API void scx_pm_close(struct scx_pm *pm);

/**
 * scx_pm_supported() - whether the system has a feature.
 * @pm: a handle.
 * @feature: the feature; per-CPU features are checked on CPU 0.
 * Return: true when its files exist; false otherwise or for a bad argument.
 */
SCX_API bool scx_pm_supported(const struct scx_pm *pm, enum scx_pm_feature feature);

/** A global CPU latency request, alive while its handle is. */
struct scx_pm_qos;

/**
 * scx_pm_qos_open() - ask that no CPU take more than @latency_us to wake (PM QoS).
 * @pm: a handle.
 * @latency_us: the latency limit in microseconds (0: stay out of idle states that need waking).
 *
 * Opens dev/cpu_dma_latency and writes the limit; the kernel honours the request while the file
 * stays open, so it lasts until scx_pm_qos_close() (or the process's exit).
 *
 * Return: the request, or NULL with errno set: EINVAL (NULL @pm or negative @latency_us), EROFS
 * (a captured tree), ENOENT (no dev/cpu_dma_latency), EACCES (needs CAP_DAC_OVERRIDE: root),
 * ENOMEM.
 */
SCX_API struct scx_pm_qos *scx_pm_qos_open(struct scx_pm *pm, int32_t latency_us);

/**
 * scx_pm_qos_update() - change a request's limit.
 * @qos: the request.
 * @latency_us: the new limit in microseconds.
 * Return: 0, or -EINVAL (NULL or negative), or the write's -errno.
 */
SCX_API int scx_pm_qos_update(struct scx_pm_qos *qos, int32_t latency_us);

/**
 * scx_pm_qos_close() - drop a request (closes its file).
 * @qos: the request; NULL is ignored.
 */
SCX_API void scx_pm_qos_close(struct scx_pm_qos *qos);

/**
 * scx_pm_resume_latency_get() - a CPU's resume latency limit.
 * @pm: a handle.
 * @cpu: the CPU.
 * @latency_us: set to the limit in microseconds; 0 means no limit (the kernel's meaning), and
 *              SCX_PM_RESUME_LATENCY_NONE means "n/a" (no latency accepted).
 * Return: 0; -EINVAL for a bad argument or unreadable text; -ENOENT when the CPU has no such file.
 */
SCX_API int scx_pm_resume_latency_get(struct scx_pm *pm, int cpu, int32_t *latency_us);

/**
 * scx_pm_resume_latency_set() - set a CPU's resume latency limit.
 * @pm: a handle.
 * @cpu: the CPU.
 * @latency_us: microseconds (0: no limit), or SCX_PM_RESUME_LATENCY_NONE.
 * Return: 0; -EINVAL for a bad argument; -ENOENT; -EROFS on a captured tree; -EACCES/-EPERM
 * without the privilege (CAP_DAC_OVERRIDE: root).
 */
SCX_API int scx_pm_resume_latency_set(struct scx_pm *pm, int cpu, int32_t latency_us);

/** struct scx_pm_uncore - one package/die's uncore frequency limits, in kHz.  Fixed layout. */
struct scx_pm_uncore {
	uint32_t min_khz;		/**< current lower limit */
	uint32_t max_khz;		/**< current upper limit */
	uint32_t initial_min_khz;	/**< the limit at boot (the hardware's floor) */
	uint32_t initial_max_khz;	/**< the limit at boot (the hardware's ceiling) */
};

/**
 * scx_pm_uncore_get() - a package/die's uncore limits.
 * @pm: a handle.
 * @package: the package id (XX of package_XX_die_YY).
 * @die: the die id (YY).
 * @out: filled in; an initial value the kernel does not show is 0.
 * Return: 0; -ENOENT when there is no such package/die; -EINVAL.
 */
SCX_API int scx_pm_uncore_get(struct scx_pm *pm, unsigned int package, unsigned int die,
			      struct scx_pm_uncore *out);

/**
 * scx_pm_uncore_set() - set a package/die's uncore limits.
 * @pm: a handle.
 * @package: the package id.
 * @die: the die id.
 * @min_khz: the new lower limit; 0 leaves it.
 * @max_khz: the new upper limit; 0 leaves it.
 *
 * The limits are written in the order the kernel accepts (the upper first when the new lower
 * limit is above the current upper one).
 *
 * Return: 0; -EINVAL (bad argument, or @min_khz > @max_khz); -ENOENT; -EROFS; -EACCES/-EPERM.
 */
SCX_API int scx_pm_uncore_set(struct scx_pm *pm, unsigned int package, unsigned int die,
			      uint32_t min_khz, uint32_t max_khz);

/**
 * scx_pm_turbo_get() - whether turbo (boost) frequencies are allowed.
 * @pm: a handle.
 * Return: 1 allowed, 0 not; -EOPNOTSUPP when the system has neither intel_pstate/no_turbo nor
 * cpufreq/boost; -EINVAL.
 */
SCX_API int scx_pm_turbo_get(struct scx_pm *pm);

/**
 * scx_pm_turbo_set() - allow or forbid turbo frequencies.
 * @pm: a handle.
 * @on: allow them.
 * Return: 0; -EOPNOTSUPP; -EROFS; -EACCES/-EPERM; -EINVAL.
 */
SCX_API int scx_pm_turbo_set(struct scx_pm *pm, bool on);

/**
 * scx_pm_epp_get() - a CPU's energy-performance preference ("performance", "balance_power", ...
 * or a number 0-255 on intel_pstate).
 * @pm: a handle.
 * @cpu: the CPU.
 * @buf: receives the text.
 * @size: its size.
 * Return: the length; -ENOENT (no EPP for this CPU); -EFBIG (@buf too small); -EINVAL.
 */
SCX_API int scx_pm_epp_get(struct scx_pm *pm, int cpu, char *buf, size_t size);

/**
 * scx_pm_epp_available() - the preferences a CPU accepts, space-separated.
 * @pm: a handle.
 * @cpu: the CPU.
 * @buf: receives the text.
 * @size: its size.
 * Return: the length; -ENOENT; -EFBIG; -EINVAL.
 */
SCX_API int scx_pm_epp_available(struct scx_pm *pm, int cpu, char *buf, size_t size);

/**
 * scx_pm_epp_set() - set a CPU's energy-performance preference (for its whole cpufreq policy).
 * @pm: a handle.
 * @cpu: the CPU.
 * @pref: one of the available preferences, or a number 0-255.
 * Return: 0; -EINVAL (NULL, or @pref is neither available nor a number 0-255); -ENOENT; -EROFS;
 * -EACCES/-EPERM; -EBUSY (the kernel refuses while the governor is "performance").
 */
SCX_API int scx_pm_epp_set(struct scx_pm *pm, int cpu, const char *pref);

/**
 * scx_pm_cpuidle_nr_states() - how many idle states (cpuidle/stateN) a CPU has.
 * @pm: a handle.
 * @cpu: the CPU.
 * Return: the number (>= 0); -ENOENT when the CPU has no cpuidle folder; -EINVAL.
 */
SCX_API int scx_pm_cpuidle_nr_states(struct scx_pm *pm, int cpu);

/**
 * scx_pm_cpuidle_state_get() - whether one idle state of a CPU is disabled.
 * @pm: a handle.
 * @cpu: the CPU.
 * @state: the state's number (N of cpuidle/stateN).
 * Return: 1 disabled, 0 enabled; -ENOENT (no such state); -EINVAL (bad argument, or text other
 * than 0 or 1).
 */
SCX_API int scx_pm_cpuidle_state_get(struct scx_pm *pm, int cpu, int state);

/**
 * scx_pm_cpuidle_state_set() - disable or enable one idle state of a CPU (its disable file).
 * @pm: a handle.
 * @cpu: the CPU.
 * @state: the state's number.
 * @disable: true to keep the CPU out of that state.
 *
 * The kernel then picks only the states left enabled; a deeper state stays usable unless it
 * is disabled too.
 *
 * Return: 0; -EINVAL; -ENOENT; -EROFS on a captured tree; -EACCES/-EPERM without the privilege.
 */
SCX_API int scx_pm_cpuidle_state_set(struct scx_pm *pm, int cpu, int state, bool disable);

/**
 * scx_pm_cpuidle_enable_all() - enable every idle state of every CPU.
 * @pm: a handle.
 *
 * Writes 0 to each disable file that is not 0 already; every file is attempted even when one
 * fails.
 *
 * Return: the number of states enabled (>= 0) when all succeeded, otherwise the first
 * failure's -errno (-EROFS, -EACCES/-EPERM, -EINVAL for unreadable text); a system without
 * cpuidle gives 0.
 */
SCX_API int scx_pm_cpuidle_enable_all(struct scx_pm *pm);

/**
 * scx_pm_cpuidle_all_enabled() - whether no idle state of any CPU is disabled.
 * @pm: a handle.
 * Return: 1 when none is (also on a system without cpuidle), 0 when one is; -EINVAL (NULL, or
 * unreadable text); -EACCES when a file cannot be read.
 */
SCX_API int scx_pm_cpuidle_all_enabled(struct scx_pm *pm);

/** Saved power-management settings, made by scx_pm_snapshot_load(). */
struct scx_pm_snapshot;

/**
 * scx_pm_snapshot_load() - remember the current settings of some features.
 * @pm: a handle.
 * @features: SCX_PM_BIT() of each feature to save, or SCX_PM_SNAPSHOT_ALL (SCX_PM_QOS_LATENCY is a
 *            request, not a setting, and is ignored).
 *
 * Saves, as text, every CPU's resume latency, every package/die's uncore limits, the turbo
 * switch, every cpufreq policy's EPP and every CPU's idle-state disable flags that exist.
 *
 * Return: the saved settings, to release with scx_pm_snapshot_free(), or NULL with errno set:
 * EINVAL, EACCES (a file could not be read), ENOMEM.
 */
SCX_API struct scx_pm_snapshot *scx_pm_snapshot_load(struct scx_pm *pm, unsigned int features);

/**
 * scx_pm_restore() - write saved settings back, exactly as they were read.
 * @pm: a handle on the same system.
 * @saved: the settings.
 *
 * Every setting is attempted even when one fails.
 *
 * Return: the number of settings written (>= 0) when all succeeded; otherwise the first
 * failure's -errno (-EROFS on a captured tree, -EACCES/-EPERM without privilege, -EINVAL).
 */
SCX_API int scx_pm_restore(struct scx_pm *pm, const struct scx_pm_snapshot *saved);

/**
 * scx_pm_snapshot_free() - release saved settings.
 * @saved: the settings; NULL is ignored.
 */
SCX_API void scx_pm_snapshot_free(struct scx_pm_snapshot *saved);

SCX_END_DECLS

#endif /* SCX_PM_H */
