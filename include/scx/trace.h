/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * libscx trace: where tracefs and debugfs are mounted, whether a tracepoint or a kernel symbol
 * exists on the running kernel, and BPF programs on them that are loaded and attached only
 * when their target exists, so that a scheduler's optional probes do not fail it on a kernel
 * that lacks them.
 *
 * Everything is read through the library's system root: "/" or, when the environment variable
 * SCX_SYSFS_PREFIX is set, a captured tree there (its proc/mounts, proc/kallsyms and tracefs
 * files).
 */
#ifndef SCX_TRACE_H
#define SCX_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include <scx/base.h>

SCX_BEGIN_DECLS

struct bpf_program;
struct bpf_link;

/**
 * scx_trace_tracefs_mount() - where tracefs is mounted ("/sys/kernel/tracing").
 * @buf: where to write the mount point, the first tracefs mount of proc/mounts.
 * @size: the size of @buf.
 *
 * Return: the length written; -EINVAL for a NULL @buf or a zero @size; -ENOENT when no tracefs
 * is mounted; -ENAMETOOLONG when it does not fit (nothing written); -errno when proc/mounts
 * cannot be read.
 */
SCX_API int scx_trace_tracefs_mount(char *buf, size_t size);

/**
 * scx_trace_debugfs_mount() - where debugfs is mounted ("/sys/kernel/debug").
 * @buf: where to write the mount point, the first debugfs mount of proc/mounts.
 * @size: the size of @buf.
 *
 * Return: as scx_trace_tracefs_mount(), -ENOENT when no debugfs is mounted.
 */
SCX_API int scx_trace_debugfs_mount(char *buf, size_t size);

/**
 * scx_trace_tracepoint_exists() - whether the kernel has a tracepoint.
 * @tp: its name as "category:event" ("sched:sched_switch"), as available_events lists it.
 *
 * Reads available_events of tracefs, or of debugfs's tracing folder when tracefs is not
 * mounted on its own.
 *
 * Return: 1 when it exists, 0 when not; -EINVAL for a NULL @tp or one without a ':' or with
 * white space; -ENOENT when neither tracefs nor debugfs's tracing folder is there; -EACCES when
 * available_events may not be read (it needs root); other -errno.
 */
SCX_API int scx_trace_tracepoint_exists(const char *tp);

/**
 * scx_trace_kallsyms_lookup() - whether the running kernel has a symbol, and where.
 * @sym: the symbol's name ("finish_task_switch.isra.0" as kallsyms lists it; a module's symbol
 *       by its name alone).
 * @addr: set to its address when found, 0 when kptr_restrict hides addresses; may be NULL.
 *
 * Return: 1 when proc/kallsyms lists @sym, 0 when not; -EINVAL for a NULL or empty @sym or one
 * with white space; -ENOENT when there is no proc/kallsyms; other -errno.
 */
SCX_API int scx_trace_kallsyms_lookup(const char *sym, uint64_t *addr);

/**
 * scx_trace_kprobe_enable() - load a kprobe program only when its symbol exists.
 * @prog: a program of an opened, not yet loaded object (declare it SEC("?kprobe/...") or set
 *        it up here: its autoload is set either way).
 * @sym: the kernel function it probes.
 *
 * Sets @prog's autoload to whether proc/kallsyms lists @sym; when it does not, logs a warning
 * naming @sym, and the object loads without the program.
 *
 * Return: 1 when @prog will be loaded, 0 when not; -EINVAL for a NULL argument, a bad @sym or
 * an object already loaded (libbpf refuses the change then); the errors of
 * scx_trace_kallsyms_lookup().
 */
SCX_API int scx_trace_kprobe_enable(struct bpf_program *prog, const char *sym);

/**
 * scx_trace_tracepoint_enable() - load a tracepoint program only when its tracepoint exists.
 * @prog: a program of an opened, not yet loaded object.
 * @tp: the tracepoint, "category:event".
 *
 * As scx_trace_kprobe_enable(), with scx_trace_tracepoint_exists().
 *
 * Return: 1 when @prog will be loaded, 0 when not; -EINVAL for a NULL argument, a bad @tp or
 * an object already loaded; the errors of scx_trace_tracepoint_exists().
 */
SCX_API int scx_trace_tracepoint_enable(struct bpf_program *prog, const char *tp);

/**
 * scx_trace_attach() - attach a program of a loaded object if it was loaded.
 * @prog: the program.
 * @link: set to the link (destroy with bpf_link__destroy()), or to NULL when @prog was not
 *        loaded (its autoload was off).
 *
 * Return: 1 when attached, 0 when @prog was not loaded and nothing was attached; -EINVAL for a
 * NULL argument; -errno from libbpf's bpf_program__attach().
 */
SCX_API int scx_trace_attach(struct bpf_program *prog, struct bpf_link **link);

SCX_END_DECLS

#endif /* SCX_TRACE_H */
