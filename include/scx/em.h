/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * The kernel's energy model as debugfs shows it (<debugfs>/energy_model): CPU performance
 * domains, each with its CPUs and its table of performance states, and the queries an
 * energy-aware scheduler makes of them.
 *
 * A loaded model is immutable and may be read from many threads.  Domains are numbered
 * 0 .. scx_em_nr_domains() - 1 in increasing order of their first CPU; the performance states
 * of a domain are numbered from the slowest (0) to the fastest.
 */
#ifndef SCX_EM_H
#define SCX_EM_H

#include <stdbool.h>
#include <stdint.h>
#include <scx/base.h>
#include <scx/cpumask.h>

SCX_BEGIN_DECLS

/** An energy model loaded by scx_em_load(). */
struct scx_em;

/** Options for scx_em_load(); fill with SCX_OPTS(scx_em_opts, name, ...). */
struct scx_em_opts {
	size_t sz;		/**< sizeof(struct scx_em_opts) */
	const char *sysfs_root;	/**< root of a captured tree; NULL: $SCX_SYSFS_PREFIX, else / */
	const char *em_dir;	/**< the energy_model folder, relative to the root; NULL: find
				     debugfs through proc/mounts, else sys/kernel/debug */
	size_t :0;
};

/**
 * struct scx_em_pstate - one performance state of a domain, as the kernel lists it under
 * energy_model/<domain>/ps:<frequency>/.  The layout is fixed.
 */
struct scx_em_pstate {
	uint64_t frequency;	/**< kHz */
	uint64_t power;		/**< power at this state (µW, or the platform's abstract scale) */
	uint64_t cost;		/**< the kernel's precomputed energy cost coefficient */
	uint64_t performance;	/**< capacity at this state (0 .. 1024 scale) */
	bool inefficient;	/**< a faster state costs no more energy */
};

/**
 * scx_em_load() - read the energy model.
 * @opts: options, or NULL for the defaults.
 *
 * The folder is opts->em_dir when set; else the debugfs mount point listed in proc/mounts plus
 * "/energy_model"; else sys/kernel/debug/energy_model.  Each subfolder holding a "cpus" file is a
 * CPU performance domain; others (devices such as GPUs) are ignored.  A state without a
 * "performance" file (kernels before 6.5) gets cpu_capacity * frequency / highest frequency,
 * cpu_capacity being the domain's first CPU's sys/devices/system/cpu/cpuN/cpu_capacity (1024 when
 * absent).  A performance or cpu_capacity above the kernel's capacity scale (1024), or a
 * frequency above UINT32_MAX kHz, is malformed.
 *
 * Return: the model, to release with scx_em_free(), or NULL with errno set: EINVAL for bad
 * options or a malformed model (unreadable or out-of-scale numbers, a domain without states, a
 * CPU in two domains); ENOENT when there is no energy_model folder (the kernel has no energy model, or
 * debugfs is not mounted) or the root does not exist; ENODATA when the folder holds no CPU
 * domain; EACCES when debugfs may not be read (it needs root); ENOMEM; EACCES, ELOOP, EMFILE,
 * ENAMETOOLONG or ENFILE when a file or folder of the tree cannot be opened (open(2)).
 */
SCX_API struct scx_em *scx_em_load(const struct scx_em_opts *opts);

/**
 * scx_em_free() - release a model.
 * @em: the model; NULL is ignored.
 */
SCX_API void scx_em_free(struct scx_em *em);

/**
 * scx_em_nr_domains() - the number of CPU performance domains.
 * @em: a model.
 * Return: the number (>= 1), or -EINVAL for NULL.
 */
SCX_API int scx_em_nr_domains(const struct scx_em *em);

/**
 * scx_em_domain_name() - a domain's folder name in debugfs ("cpu0", "pd1", ...).
 * @em: a model.
 * @dom: the domain index.
 * Return: the name, or NULL (errno EINVAL) for a bad argument.
 */
SCX_API const char *scx_em_domain_name(const struct scx_em *em, unsigned int dom);

/**
 * scx_em_domain_cpus() - a domain's CPUs.
 * @em: a model.
 * @dom: the domain index.
 * Return: the mask, owned by @em (its width is the system's nr_cpu_ids), or NULL (errno EINVAL).
 */
SCX_API const struct scx_cpumask *scx_em_domain_cpus(const struct scx_em *em, unsigned int dom);

/**
 * scx_em_domain_of_cpu() - the domain that holds a CPU.
 * @em: a model.
 * @cpu: the CPU id.
 * Return: the domain index, -ENOENT when no domain holds @cpu, -EINVAL for NULL @em or a
 * negative @cpu.
 */
SCX_API int scx_em_domain_of_cpu(const struct scx_em *em, int cpu);

/**
 * scx_em_domain_nr_pstates() - the number of performance states of a domain.
 * @em: a model.
 * @dom: the domain index.
 * Return: the number (>= 1), or -EINVAL.
 */
SCX_API int scx_em_domain_nr_pstates(const struct scx_em *em, unsigned int dom);

/**
 * scx_em_domain_pstate() - one performance state.
 * @em: a model.
 * @dom: the domain index.
 * @idx: the state, 0 (slowest) .. scx_em_domain_nr_pstates() - 1.
 * @out: filled with the state.
 * Return: 0, or -EINVAL for a bad argument (@out unchanged).
 */
SCX_API int scx_em_domain_pstate(const struct scx_em *em, unsigned int dom, unsigned int idx,
				 struct scx_em_pstate *out);

/**
 * scx_em_pstate_for_util() - the slowest state able to hold a utilisation.
 * @em: a model.
 * @dom: the domain index.
 * @util: the utilisation, on the performance scale (0 .. 1024).
 *
 * The lowest state whose performance is at least @util; the fastest state when none is.
 *
 * Return: the state index, or -EINVAL for a bad argument.
 */
SCX_API int scx_em_pstate_for_util(const struct scx_em *em, unsigned int dom, uint64_t util);

/**
 * scx_em_total_performance() - the machine's performance at full speed: the sum over domains of
 * the fastest state's performance times the number of CPUs in the domain.
 * @em: a model.
 * Return: the sum, or 0 for NULL.
 */
SCX_API uint64_t scx_em_total_performance(const struct scx_em *em);

/**
 * scx_em_nr_groups() - the number of groups of domains with identical state tables.
 * @em: a model.
 *
 * Machines that expose one domain per CPU (hybrid x86) have many domains but few distinct
 * tables; a group gathers the domains whose tables match state for state (frequency, power,
 * cost, performance and inefficiency).  Groups are numbered in order of their first domain.
 * Grouping takes time linear in the size of the model.
 *
 * Return: the number of groups (>= 1), or -EINVAL for NULL.
 */
SCX_API int scx_em_nr_groups(const struct scx_em *em);

/**
 * scx_em_domain_group() - the group of a domain.
 * @em: a model.
 * @dom: the domain index.
 * Return: the group index, or -EINVAL.
 */
SCX_API int scx_em_domain_group(const struct scx_em *em, unsigned int dom);

SCX_END_DECLS

#endif /* SCX_EM_H */
