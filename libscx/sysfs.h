/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * The system-access layer: every read of /sys, /proc and debugfs goes through a struct
 * scx_sysfs holding a directory fd of the root, so a whole library instance can run on a
 * captured tree.  A handle on a root other than "/" is "not this system" and refuses writes
 * unless a test explicitly allows them.  Not installed.
 */
#ifndef SCX_SYSFS_H
#define SCX_SYSFS_H

#include <dirent.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <scx/base.h>

/* Largest file the fixed-buffer readers accept; sysfs attributes are at most a page. */
#define SCX_SYSFS_MAX_ATTR 4096

struct scx_sysfs {
	int root_fd;		/* O_PATH directory fd of the root */
	bool fake;		/* the root is not this system's "/" */
	bool allow_write;	/* tests only: permit writes under a fake root (set through
				 * scx_sysfs_allow_fake_writes(), never directly) */
	char *root;		/* the root as given (for messages) */
	unsigned long nr_opens;	/* files and folders opened through this handle */
	struct scx_journal *journal;	/* the restore journal of its knob writes, once made */
};

/*
 * Open the root: @root when non-NULL, else the environment variable SCX_SYSFS_PREFIX when set
 * and non-empty, else "/".  Returns 0 or -errno (-ENOENT/-ENOTDIR for a bad root).
 */
int scx_sysfs_init(struct scx_sysfs *fs, const char *root);
void scx_sysfs_fini(struct scx_sysfs *fs);

/* Open @path (relative to the root; a leading '/' is ignored) with O_CLOEXEC added. */
int scx_sysfs_open(struct scx_sysfs *fs, const char *path, int flags);

/*
 * Read a whole attribute into @buf (NUL-terminated, trailing newlines removed).  Returns its
 * length, -EFBIG when it does not fit in @sz - 1 bytes, or -errno.  Handles EINTR.
 */
int scx_sysfs_read(struct scx_sysfs *fs, char *buf, size_t sz, const char *fmt, ...)
	SCX_PRINTF(4, 5);
/* Read a file of any size up to @max bytes into a malloc'd string (caller frees). */
int scx_sysfs_read_alloc(struct scx_sysfs *fs, char **out, size_t max, const char *fmt, ...)
	SCX_PRINTF(4, 5);
/* Read one unsigned integer (decimal, or 0x hex). -EINVAL when the text is not one. */
int scx_sysfs_read_u64(struct scx_sysfs *fs, uint64_t *val, const char *fmt, ...)
	SCX_PRINTF(3, 4);
/* Read one signed integer. */
int scx_sysfs_read_s64(struct scx_sysfs *fs, int64_t *val, const char *fmt, ...)
	SCX_PRINTF(3, 4);
/* 1 when @path exists (lstat-free: follows links), 0 when not. */
int scx_sysfs_exists(struct scx_sysfs *fs, const char *fmt, ...) SCX_PRINTF(2, 3);
/* opendir() relative to the root; NULL with errno set on failure. */
DIR *scx_sysfs_opendir(struct scx_sysfs *fs, const char *fmt, ...) SCX_PRINTF(2, 3);
/*
 * Write @val to an attribute.  Refuses with -EROFS (and an error message) under a fake root
 * unless scx_sysfs_allow_fake_writes() allowed it.  A short write is -EIO.
 */
int scx_sysfs_write(struct scx_sysfs *fs, const char *val, const char *fmt, ...)
	SCX_PRINTF(3, 4);
/*
 * Change the knob @path: scx_sysfs_write() recorded in the handle's restore journal (its
 * original text first, what it shows after), adding to a permission failure (-EACCES/-EPERM)
 * an error message naming the capability the caller lacks (@cap, e.g. "CAP_SYS_ADMIN").  A
 * change the journal cannot record is not made (its -errno).
 */
int scx_sysfs_write_priv(struct scx_sysfs *fs, const char *cap, const char *val,
			 const char *path);
/*
 * Let writes through under a fake root (@allow) or refuse them (the default).  For tests that
 * write into a captured tree; it has no effect on a handle on this system's root.
 */
void scx_sysfs_allow_fake_writes(struct scx_sysfs *fs, bool allow);
/*
 * Whether a change of @what under @fs is refused because @fs is a fake root; logs the one
 * refusal message when so.  For changes made of several writes, checked before the first.
 */
bool scx_sysfs_write_refused(const struct scx_sysfs *fs, const char *what);

/*
 * A folder under the root, opened once, whose files are read relative to it: the kernel then
 * looks up only the components below the folder (3 per file of a CPU under
 * sys/devices/system/cpu instead of 7), which is most of an open's cost on a tree of thousands
 * of CPUs.  Reads go through the reader of scx_sysfs_read(), with its checks (size limit,
 * embedded NUL refused, the handle's root honoured), and take every file to be a sysfs
 * attribute: one line, whose only newline ends it.
 */
struct scx_sysfs_dir {
	struct scx_sysfs *fs;
	int fd;			/* O_PATH descriptor of the folder, or -1 */
	int err;		/* when fd is -1: why (-errno), returned by every read */
	bool own;		/* fd is the folder's own, not the root's */
};

/*
 * Open the folder @path under @fs's root (NULL: the root itself, with no open).  Returns 0 or
 * -errno; on failure the handle is still usable and every read through it returns that error.
 * @fs must outlive the handle.
 */
int scx_sysfs_dir_open(struct scx_sysfs_dir *dir, struct scx_sysfs *fs, const char *path);
void scx_sysfs_dir_close(struct scx_sysfs_dir *dir);
/* scx_sysfs_read() of a file relative to @dir. */
int scx_sysfs_dir_read(struct scx_sysfs_dir *dir, char *buf, size_t sz, const char *fmt, ...)
	SCX_PRINTF(4, 5);
int scx_sysfs_dir_vread(struct scx_sysfs_dir *dir, char *buf, size_t sz, const char *fmt,
			va_list ap) SCX_PRINTF(4, 0);
/* scx_sysfs_opendir() of a folder relative to @dir ("." for @dir itself). */
DIR *scx_sysfs_dir_opendir(struct scx_sysfs_dir *dir, const char *fmt, ...) SCX_PRINTF(2, 3);

/* Text parsers shared by the modules; each rejects empty text and trailing garbage. */
int scx_parse_u64(const char *s, uint64_t *val);
int scx_parse_s64(const char *s, int64_t *val);
int scx_parse_size(const char *s, uint64_t *val);

#endif /* SCX_SYSFS_H */
