// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * System-access layer; see sysfs.h.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "journal_internal.h"
#include "sysfs.h"

#define SCX_PATH_MAX 4096
/* An attribute holding one number; longer text is not a number (-EINVAL). */
#define NUM_ATTR_MAX 128

/* Format a path (relative to a folder: leading '/'s dropped) into @out of SCX_PATH_MAX bytes. */
static int fmt_path(char *out, const char *fmt, va_list ap)
{
	size_t skip = 0;
	int n;

	n = vsnprintf(out, SCX_PATH_MAX, fmt, ap);
	if (n < 0 || n >= SCX_PATH_MAX)
		return -ENAMETOOLONG;
	while (out[skip] == '/')
		skip++;
	if (!out[skip])
		strcpy(out, ".");
	else if (skip)
		memmove(out, out + skip, (size_t)n - skip + 1);
	return 0;
}

static bool is_this_system(const char *root)
{
	struct stat a, b;

	if (stat(root, &a) || stat("/", &b))
		return false;
	return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

int scx_sysfs_init(struct scx_sysfs *fs, const char *root)
{
	const char *env = getenv("SCX_SYSFS_PREFIX");

	memset(fs, 0, sizeof(*fs));
	fs->root_fd = -1;
	if (!root)
		root = (env && *env) ? env : "/";
	fs->root = strdup(root);
	if (!fs->root)
		return -ENOMEM;
	do {
		fs->root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	} while (fs->root_fd < 0 && errno == EINTR);
	if (fs->root_fd < 0) {
		int err = -errno;

		scx_dbg("cannot open system root '%s': %s", root, strerror(errno));
		free(fs->root);
		fs->root = NULL;
		return err;
	}
	fs->fake = !is_this_system(root);
	return 0;
}

void scx_sysfs_fini(struct scx_sysfs *fs)
{
	if (!fs)
		return;
	scx_journal_release(fs);
	if (fs->root_fd >= 0)
		close(fs->root_fd);
	fs->root_fd = -1;
	free(fs->root);
	fs->root = NULL;
}

static int open_at(struct scx_sysfs *fs, int dirfd, const char *path, int flags)
{
	int fd;

	fs->nr_opens++;
	do {
		fd = openat(dirfd, path, flags | O_CLOEXEC);
	} while (fd < 0 && errno == EINTR);
	return fd < 0 ? -errno : fd;
}

int scx_sysfs_open(struct scx_sysfs *fs, const char *path, int flags)
{
	while (*path == '/')
		path++;
	return open_at(fs, fs->root_fd, *path ? path : ".", flags);
}

/*
 * Read to end-of-file or @sz bytes.  With @attr, the file is a sysfs attribute: one line whose
 * only newline is its last byte, so a read() that comes back ending on a newline has reached
 * the end (one read() per file instead of two).  A binary attribute (cpulist, cpumap) is served
 * at most a page per read() and a file may end without a newline: those go on to end-of-file.
 */
static ssize_t read_all(int fd, char *buf, size_t sz, bool attr)
{
	size_t done = 0;

	while (done < sz) {
		ssize_t n = read(fd, buf + done, sz - done);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		done += (size_t)n;
		if (n == 0 || (attr && buf[done - 1] == '\n'))
			break;
	}
	return (ssize_t)done;
}

/*
 * Files are opened for reading with O_NONBLOCK, so a FIFO or a device put in place of an
 * attribute cannot block the open or a read.  A read that then finds nothing (end of file at
 * once, or EAGAIN) asks whether the file is a regular one, as every sysfs attribute and proc
 * file is: what is not is refused.  Only that rare case pays the fstat(2).
 */
#define READ_FLAGS (O_RDONLY | O_NONBLOCK)

static int refuse_unless_regular(int fd, int err)
{
	struct stat st;

	if (fstat(fd, &st))
		return -errno;
	return S_ISREG(st.st_mode) ? err : -EINVAL;
}

static int trim_newlines(char *buf, size_t len)
{
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\0'))
		buf[--len] = '\0';
	return (int)len;
}

/*
 * The one reader of whole files into a caller's buffer: @path relative to @dirfd (the root or
 * a folder opened under it), at most @sz - 1 bytes, text only.
 */
static int read_at(struct scx_sysfs *fs, int dirfd, char *buf, size_t sz, const char *path,
		   bool attr)
{
	ssize_t n;
	int fd;

	fd = open_at(fs, dirfd, path, READ_FLAGS);
	if (fd < 0)
		return fd;
	n = read_all(fd, buf, sz, attr);
	if (n <= 0)
		n = refuse_unless_regular(fd, (int)n);
	close(fd);
	if (n < 0)
		return (int)n;
	if ((size_t)n >= sz) {
		buf[0] = '\0';
		return -EFBIG;
	}
	buf[n] = '\0';
	if (memchr(buf, '\0', (size_t)n) && strlen(buf) + 1 < (size_t)n) {
		/* embedded NUL before the end: not text */
		buf[0] = '\0';
		return -EINVAL;
	}
	return trim_newlines(buf, (size_t)n);
}

static int vread(struct scx_sysfs *fs, char *buf, size_t sz, const char *fmt, va_list ap)
{
	char path[SCX_PATH_MAX];
	int err;

	if (!buf || sz < 2)
		return -EINVAL;
	buf[0] = '\0';
	err = fmt_path(path, fmt, ap);
	if (err)
		return err;
	return read_at(fs, fs->root_fd, buf, sz, path, false);
}

/* The variadic front of a reader into a caller's buffer. */
#define DEFINE_READ(name, handle_type, vfn)                                              \
	int name(handle_type *h, char *buf, size_t sz, const char *fmt, ...)             \
	{                                                                                \
		va_list ap;                                                              \
		int ret;                                                                 \
                                                                                         \
		va_start(ap, fmt);                                                       \
		ret = vfn(h, buf, sz, fmt, ap);                                          \
		va_end(ap);                                                              \
		return ret;                                                              \
	}

DEFINE_READ(scx_sysfs_read, struct scx_sysfs, vread)

int scx_sysfs_read_alloc(struct scx_sysfs *fs, char **out, size_t max, const char *fmt, ...)
{
	char path[SCX_PATH_MAX];
	size_t cap = 4096, len = 0;
	char *buf = NULL;
	va_list ap;
	int fd, err;

	*out = NULL;
	va_start(ap, fmt);
	err = fmt_path(path, fmt, ap);
	va_end(ap);
	if (err)
		return err;
	fd = scx_sysfs_open(fs, path, READ_FLAGS);
	if (fd < 0)
		return fd;
	for (;;) {
		ssize_t n;
		char *nbuf;

		if (len + 1 >= cap || !buf) {
			if (buf)
				cap *= 2;
			nbuf = realloc(buf, cap);
			if (!nbuf) {
				err = -ENOMEM;
				goto fail;
			}
			buf = nbuf;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = refuse_unless_regular(fd, -errno);
			goto fail;
		}
		if (n == 0) {
			err = len ? 0 : refuse_unless_regular(fd, 0);
			if (err)
				goto fail;
			break;
		}
		len += (size_t)n;
		if (len > max) {
			err = -EFBIG;
			goto fail;
		}
	}
	close(fd);
	buf[len] = '\0';
	*out = buf;
	return (int)len;
fail:
	close(fd);
	free(buf);
	return err;
}

int scx_parse_u64(const char *s, uint64_t *val)
{
	unsigned long long v;
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno == ERANGE)
		return -ERANGE;
	while (isspace((unsigned char)*end))
		end++;
	if (*end)
		return -EINVAL;
	*val = v;
	return 0;
}

int scx_parse_s64(const char *s, int64_t *val)
{
	long long v;
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	if (!isdigit((unsigned char)*s) && !((*s == '-' || *s == '+') && isdigit((unsigned char)s[1])))
		return -EINVAL;
	errno = 0;
	v = strtoll(s, &end, 0);
	if (errno == ERANGE)
		return -ERANGE;
	while (isspace((unsigned char)*end))
		end++;
	if (*end)
		return -EINVAL;
	*val = v;
	return 0;
}

int scx_parse_size(const char *s, uint64_t *val)
{
	unsigned long long v;
	unsigned int shift = 0;
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	switch (*end) {
	case 'K': case 'k': shift = 10; end++; break;
	case 'M': case 'm': shift = 20; end++; break;
	case 'G': case 'g': shift = 30; end++; break;
	case 'T': case 't': shift = 40; end++; break;
	default: break;
	}
	if (shift && (*end == 'B' || *end == 'b'))
		end++;
	while (isspace((unsigned char)*end))
		end++;
	if (*end)
		return -EINVAL;
	if (shift && v > (UINT64_MAX >> shift))
		return -ERANGE;
	*val = (uint64_t)v << shift;
	return 0;
}

#define DEFINE_READ_NUM(name, type, parser)                                              \
	int name(struct scx_sysfs *fs, type *val, const char *fmt, ...)                  \
	{                                                                                \
		char buf[NUM_ATTR_MAX];                                                  \
		va_list ap;                                                              \
		int ret;                                                                 \
                                                                                         \
		va_start(ap, fmt);                                                       \
		ret = vread(fs, buf, sizeof(buf), fmt, ap);                              \
		va_end(ap);                                                              \
		if (ret < 0)                                                             \
			return ret == -EFBIG ? -EINVAL : ret;                            \
		return parser(buf, val);                                                 \
	}

DEFINE_READ_NUM(scx_sysfs_read_u64, uint64_t, scx_parse_u64)
DEFINE_READ_NUM(scx_sysfs_read_s64, int64_t, scx_parse_s64)

int scx_sysfs_exists(struct scx_sysfs *fs, const char *fmt, ...)
{
	char path[SCX_PATH_MAX];
	va_list ap;
	int err;

	va_start(ap, fmt);
	err = fmt_path(path, fmt, ap);
	va_end(ap);
	if (err)
		return 0;
	return faccessat(fs->root_fd, path, F_OK, 0) == 0;
}

static DIR *opendir_at(struct scx_sysfs *fs, int dirfd, const char *fmt, va_list ap)
{
	char path[SCX_PATH_MAX];
	DIR *dir;
	int err, fd;

	err = fmt_path(path, fmt, ap);
	if (err)
		return scx_err_ptr(err);
	fd = open_at(fs, dirfd, path, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return scx_err_ptr(fd);
	dir = fdopendir(fd);
	if (!dir) {
		err = errno;
		close(fd);
		errno = err;
	}
	return dir;
}

DIR *scx_sysfs_opendir(struct scx_sysfs *fs, const char *fmt, ...)
{
	va_list ap;
	DIR *dir;

	va_start(ap, fmt);
	dir = opendir_at(fs, fs->root_fd, fmt, ap);
	va_end(ap);
	return dir;
}

int scx_sysfs_write(struct scx_sysfs *fs, const char *val, const char *fmt, ...)
{
	char path[SCX_PATH_MAX];
	size_t len = strlen(val);
	va_list ap;
	ssize_t n;
	int err, fd;

	va_start(ap, fmt);
	err = fmt_path(path, fmt, ap);
	va_end(ap);
	if (err)
		return err;
	if (scx_sysfs_write_refused(fs, path))
		return -EROFS;
	fd = scx_sysfs_open(fs, path, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return fd;
	do {
		n = write(fd, val, len);
	} while (n < 0 && errno == EINTR);
	err = n < 0 ? -errno : ((size_t)n != len ? -EIO : 0);
	/*
	 * Linux releases the descriptor even when close() reports EINTR, so it is neither retried
	 * nor a failure of the write; other errors (a deferred write error) are.
	 */
	if (close(fd) && errno != EINTR && !err)
		err = -errno;
	return err;
}

int scx_sysfs_write_priv(struct scx_sysfs *fs, const char *cap, const char *val, const char *path)
{
	int err;

	if (scx_sysfs_write_refused(fs, path))
		return -EROFS;
	err = scx_journal_before(fs, path);
	if (!err) {
		err = scx_sysfs_write(fs, val, "%s", path);
		scx_journal_after(fs, path, err);
	} else if (err != -EACCES) {
		return err;
	}
	if (err == -EACCES || err == -EPERM)
		scx_err("cannot write '%s' to %s: %s (needs %s)", val, path, strerror(-err), cap);
	else if (err && err != -EROFS)
		scx_dbg("cannot write '%s' to %s: %s", val, path, strerror(-err));
	return err;
}

void scx_sysfs_allow_fake_writes(struct scx_sysfs *fs, bool allow)
{
	fs->allow_write = allow;
}

bool scx_sysfs_write_refused(const struct scx_sysfs *fs, const char *what)
{
	if (!fs->fake || fs->allow_write)
		return false;
	scx_err("refusing to change %s under '%s': not this system's root", what, fs->root);
	return true;
}

int scx_sysfs_dir_open(struct scx_sysfs_dir *dir, struct scx_sysfs *fs, const char *path)
{
	dir->fs = fs;
	dir->own = path != NULL;
	dir->fd = path ? scx_sysfs_open(fs, path, O_PATH | O_DIRECTORY) : fs->root_fd;
	dir->err = dir->fd < 0 ? dir->fd : 0;
	return dir->err;
}

void scx_sysfs_dir_close(struct scx_sysfs_dir *dir)
{
	if (dir->own && dir->fd >= 0)
		close(dir->fd);
	dir->fd = -1;
	dir->err = -EBADF;
}

int scx_sysfs_dir_vread(struct scx_sysfs_dir *dir, char *buf, size_t sz, const char *fmt,
			va_list ap)
{
	char path[SCX_PATH_MAX];
	int err;

	if (!buf || sz < 2)
		return -EINVAL;
	buf[0] = '\0';
	if (dir->fd < 0)
		return dir->err;
	err = fmt_path(path, fmt, ap);
	if (err)
		return err;
	return read_at(dir->fs, dir->fd, buf, sz, path, true);
}

DEFINE_READ(scx_sysfs_dir_read, struct scx_sysfs_dir, scx_sysfs_dir_vread)

DIR *scx_sysfs_dir_opendir(struct scx_sysfs_dir *dir, const char *fmt, ...)
{
	va_list ap;
	DIR *d;

	if (dir->fd < 0)
		return scx_err_ptr(dir->err);
	va_start(ap, fmt);
	d = opendir_at(dir->fs, dir->fd, fmt, ap);
	va_end(ap);
	return d;
}
