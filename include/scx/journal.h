/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * The restore journal: a scheduler that dies (SIGKILL, an OOM kill, a crash) cannot put back
 * the knobs it changed, so the library writes down each knob's original value before its first
 * change, and the knobs are put back later from that record.
 *
 * Every change a handle of <scx/pm.h> or <scx/netdev.h> makes on this system (resume latency,
 * uncore limits, turbo, EPP, NIC IRQ affinity) is recorded first in a journal file under
 * /run/libscx/, one per handle of each process, named after the process id and its start time
 * so that two schedulers, or a restarted one, never share one.  A file holds, per knob, the
 * original text and the text the knob showed after the scheduler's last change; it is rewritten
 * whole at each change (a temporary file, fsync(2), rename(2)), mode 0600.  A knob changed back
 * to its original leaves the journal, and an empty journal is removed.  The PM QoS latency
 * request of scx_pm_qos_open() needs no record: the kernel drops it with the process.
 *
 * scx_journal_restore() replays the journals of processes that are gone; scx_pm_open() and
 * scx_netdev_load() on this system do the same before they read anything, so a scheduler
 * started again after a kill first finds the machine as it was.  `scxinfo --restore` runs it
 * from the command line (for a unit's ExecStopPost=).
 */
#ifndef SCX_JOURNAL_H
#define SCX_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <scx/base.h>

SCX_BEGIN_DECLS

/** Options for scx_journal_restore(); fill with SCX_OPTS(scx_journal_opts, name, ...). */
struct scx_journal_opts {
	size_t sz;			/**< sizeof(struct scx_journal_opts) */
	const char *sysfs_root;		/**< root of a tree; NULL: $SCX_SYSFS_PREFIX, else / */
	bool allow_fake_root_writes;	/**< for tests: a tree other than / taken as this system */
	size_t :0;
};

/**
 * scx_journal_restore() - put back the knobs that schedulers no longer running left changed.
 * @opts: options, or NULL for the defaults.
 *
 * Reads every journal in run/libscx under the root.  A journal whose process still runs (the
 * same process id with the same start time, in this boot) is left alone.  Of any other, each
 * knob that still shows what its scheduler last wrote gets its original text back; a knob that
 * shows something else was changed since by someone else and is left as it is, with a warning.
 * A journal fully replayed is removed.  The folder must be a real folder owned by the caller's
 * user and writable by no one else, and each journal a regular file owned by that user with
 * no access for others, at most 16 MiB, in the journal's format: anything else is refused with
 * an error message naming the file and left in place.  Every journal is attempted even when
 * one fails.
 *
 * Return: the number of knobs written back (>= 0) when every journal was replayed or skipped as
 * alive; otherwise the first failure's -errno: EINVAL (bad options, or a journal that is not in
 * the format: truncated, garbage, a path outside sys/ and proc/), EPERM (a folder or journal
 * with the wrong owner or mode), ELOOP (a symbolic link in place of the folder or a journal),
 * EFBIG (a journal too large), EROFS (a tree other than / without @allow_fake_root_writes),
 * ENOENT/ENOTDIR (the root does not exist), EACCES (the folder or a knob cannot be opened),
 * ENOMEM, or a knob write's -errno.
 */
SCX_API int scx_journal_restore(const struct scx_journal_opts *opts);

SCX_END_DECLS

#endif /* SCX_JOURNAL_H */
