/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * Performance counters for schedulers: perf event names parsed into perf_event_attr, one
 * counter per CPU and event opened with perf_event_open(2), and the file descriptors installed
 * into a BPF_MAP_TYPE_PERF_EVENT_ARRAY map, where BPF programs read them with
 * bpf_perf_event_read_value().
 *
 * Map layout: the counter of event @idx (0 .. nr_events - 1, in the order the names were given)
 * on CPU @cpu sits at key cpu * nr_events + idx.  With one event, the key is the CPU id; the BPF
 * side reads it with BPF_F_CURRENT_CPU or with the CPU id.  The map needs at least
 * nr_cpu_ids * nr_events entries.
 *
 * The other layout, chosen with the map_stride option, is the one of scx's lib/pmu.bpf.c and of
 * scx_utils' perf::setup_perf_events(): key cpu + idx * map_stride, every event in a block of
 * its own (SCX_PERF_PMU_STRIDE, 4096, is the stride that library reads with).  The map then
 * needs (nr_events - 1) * map_stride + nr_cpu_ids entries.
 */
#ifndef SCX_PERF_H
#define SCX_PERF_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/perf_event.h>
#include <scx/base.h>
#include <scx/cpumask.h>

SCX_BEGIN_DECLS

/**
 * scx_perf_parse() - turn an event name into a perf_event_attr.
 * @name: the event, as perf(1) spells it:
 *        hardware: cycles (cpu-cycles), instructions, cache-references, cache-misses, branches
 *        (branch-instructions), branch-misses, bus-cycles, stalled-cycles-frontend
 *        (idle-cycles-frontend), stalled-cycles-backend (idle-cycles-backend), ref-cycles;
 *        software: cpu-clock, task-clock, page-faults (faults), context-switches (cs),
 *        cpu-migrations (migrations), minor-faults, major-faults, alignment-faults,
 *        emulation-faults, dummy, bpf-output, cgroup-switches;
 *        hardware cache: <cache>-<op>s or <cache>-<op>-<result>, cache one of L1-dcache,
 *        L1-icache, LLC, dTLB, iTLB, branch, node (any case), op load, store or prefetch, result
 *        accesses or misses ("LLC-load-misses", "L1-dcache-loads");
 *        raw: "r" or "0x" followed by hex digits ("r1a2", "0x1a2"), any number of them
 *        (leading zeros included) while the value fits in 64 bits.
 *        A ":" suffix of the letters u, k, h counts only user, kernel, hypervisor ("cycles:u").
 *        Names have no length limit: @name is read in place, nothing is copied.
 * @attr: its first PERF_ATTR_SIZE_VER0 (64) bytes zeroed and filled: size (64), type, config
 *        and the exclude_* bits; nothing past them is written, so a caller built with older
 *        kernel headers than the library's (a smaller struct) is safe.  A caller that sets
 *        members past the first 64 bytes zeroes the struct before and sets size after.
 *
 * "cycles" is PERF_TYPE_HARDWARE with config 0, a real event like any other.
 *
 * Return: 0; -EINVAL for NULL or a name that is none of these; -ERANGE for a raw config that
 * does not fit in 64 bits.
 */
SCX_API int scx_perf_parse(const char *name, struct perf_event_attr *attr);

/** The map_stride of scx's lib/pmu.bpf.c (its SCX_PMU_STRIDE; scx_utils' PERF_MAP_STRIDE). */
#define SCX_PERF_PMU_STRIDE 4096u

/** Counters opened by scx_perf_open(). */
struct scx_perf;

/** Options for scx_perf_open(); fill with SCX_OPTS(scx_perf_opts, name, ...). */
struct scx_perf_opts {
	size_t sz;			/**< sizeof(struct scx_perf_opts) */
	const char *sysfs_root;		/**< where to read the online and possible CPUs; NULL: default */
	const struct scx_cpumask *cpus;	/**< CPUs to count on (not empty); NULL: every online CPU */
	bool start_disabled;		/**< open the counters disabled (enable with ioctl) */
	/**
	 * Key layout of scx_perf_install(): 0 for cpu * nr_events + idx; else cpu + idx *
	 * map_stride (SCX_PERF_PMU_STRIDE for lib/pmu.bpf.c), at least nr_cpu_ids.  Since 1.1.
	 */
	unsigned int map_stride;
	size_t :0;
};

/**
 * scx_perf_open() - open one counter per CPU and event (pid -1: every task on that CPU).
 * @names: the events' names (see scx_perf_parse()).
 * @nr_events: how many (1 .. 64).
 * @opts: options, or NULL.
 *
 * All counters open or none: on a failure those already open are closed.
 *
 * Return: the counters, to release with scx_perf_close(), or NULL with errno set: EINVAL (bad
 * arguments or names, an empty @opts->cpus, a map_stride below the CPU-id width or whose keys
 * pass 32 bits), ERANGE, ENOENT (the kernel or hardware lacks the event, as in most
 * virtual machines for hardware events), EACCES/EPERM (needs CAP_PERFMON, or
 * kernel.perf_event_paranoid <= 0; the log callback says so), ENODEV (a CPU is offline),
 * EMFILE, ENOMEM; without a cpus option, ENOENT/ENOTDIR for a root that does not exist, and
 * EACCES, ELOOP, EMFILE, ENAMETOOLONG or ENFILE when a file or folder of the tree cannot be
 * opened (open(2)).
 */
SCX_API struct scx_perf *scx_perf_open(const char *const *names, unsigned int nr_events,
					      const struct scx_perf_opts *opts);

/**
 * scx_perf_close() - close every counter and release the handle.
 * @ev: the counters; NULL is ignored.
 */
SCX_API void scx_perf_close(struct scx_perf *ev);

/**
 * scx_perf_nr_events() - the number of events per CPU.
 * @ev: the counters.
 * Return: the number, or -EINVAL for NULL.
 */
SCX_API int scx_perf_nr_events(const struct scx_perf *ev);

/**
 * scx_perf_fd() - the file descriptor of one counter (owned by @ev).
 * @ev: the counters.
 * @cpu: the CPU id.
 * @idx: the event index.
 * Return: the fd; -ENOENT when no counter was opened on @cpu; -EINVAL for a bad argument.
 */
SCX_API int scx_perf_fd(const struct scx_perf *ev, int cpu, unsigned int idx);

/**
 * scx_perf_install() - store every counter in a BPF perf-event array at key
 * cpu * nr_events + idx, or cpu + idx * map_stride when @ev was opened with that option.
 * @ev: the counters.
 * @map_fd: a BPF_MAP_TYPE_PERF_EVENT_ARRAY map with 4-byte keys and values.
 *
 * The map holds file references of its own: @ev may be closed afterwards while the map lives.
 *
 * Return: the number of counters installed; -EINVAL (bad argument, or not a perf-event array),
 * -E2BIG (the map has fewer entries than the layout's highest key needs: nr_cpu_ids * nr_events,
 * or (nr_events - 1) * map_stride + nr_cpu_ids), -EBADF/-EBADFD (@map_fd is not open), or the
 * bpf(2) update's -errno
 * (EPERM/EACCES without CAP_BPF or CAP_SYS_ADMIN).
 */
SCX_API int scx_perf_install(const struct scx_perf *ev, int map_fd);

SCX_END_DECLS

#endif /* SCX_PERF_H */
