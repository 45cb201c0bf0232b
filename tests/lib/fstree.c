// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fstree.h"

/*
 * A generated machine's tree is thousands of small files: on a tmpfs it is written in seconds,
 * on a disk other builds share in minutes (test_eintr's 2048-CPU tree: 7 s against more than
 * its 120 s timeout).  TMPDIR decides; else /dev/shm where it can be written; else /tmp.
 */
static const char *tree_parent(void)
{
	const char *tmp = getenv("TMPDIR");

	if (tmp && *tmp)
		return tmp;
	if (!access("/dev/shm", W_OK | X_OK))
		return "/dev/shm";
	return "/tmp";
}

int fstree_init(struct fstree *t)
{
	snprintf(t->root, sizeof(t->root), "%s/scx-test-XXXXXX", tree_parent());
	return mkdtemp(t->root) ? 0 : -errno;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	if (flag == FTW_DP)
		chmod(path, 0700);
	return remove(path);
}

void fstree_fini(struct fstree *t)
{
	if (t->root[0])
		nftw(t->root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	t->root[0] = '\0';
}

static int mkdirs(char *path)
{
	char *p;

	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) && errno != EEXIST) {
			*p = '/';
			return -errno;
		}
		*p = '/';
	}
	if (mkdir(path, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

int fstree_mkdir(struct fstree *t, const char *fmt, ...)
{
	char rel[1024], full[1400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rel, sizeof(rel), fmt, ap);
	va_end(ap);
	snprintf(full, sizeof(full), "%s/%s", t->root, rel);
	return mkdirs(full);
}

/* Create @path of the tree for writing, its parent folders first; NULL with errno set. */
static FILE *create(struct fstree *t, const char *path)
{
	char full[1400], *slash;
	int err;

	snprintf(full, sizeof(full), "%s/%s", t->root, path);
	slash = strrchr(full, '/');
	*slash = '\0';
	err = mkdirs(full);
	*slash = '/';
	if (err) {
		errno = -err;
		return NULL;
	}
	return fopen(full, "w");
}

int fstree_write(struct fstree *t, const char *path, const char *fmt, ...)
{
	va_list ap;
	FILE *f = create(t, path);

	if (!f)
		return -errno;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	return fclose(f) ? -errno : 0;
}

int fstree_write_bytes(struct fstree *t, const char *path, const void *data, size_t len)
{
	FILE *f = create(t, path);
	size_t n;

	if (!f)
		return -errno;
	n = fwrite(data, 1, len, f);
	if (fclose(f) || n != len)
		return errno ? -errno : -EIO;
	return 0;
}

int fstree_symlink(struct fstree *t, const char *target, const char *path)
{
	char full[1400], *slash;
	int err;

	snprintf(full, sizeof(full), "%s/%s", t->root, path);
	slash = strrchr(full, '/');
	*slash = '\0';
	err = mkdirs(full);
	*slash = '/';
	if (err)
		return err;
	return symlink(target, full) ? -errno : 0;
}

const char *fstree_path(struct fstree *t, const char *rel)
{
	static char buf[1400];

	snprintf(buf, sizeof(buf), "%s/%s", t->root, rel);
	return buf;
}

const char *fstree_read(struct fstree *t, const char *rel)
{
	static char buf[4096];
	FILE *f = fopen(fstree_path(t, rel), "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

const char *fstree_shared_fixtures(void)
{
	static char buf[1024];
	const char *src = getenv("SCX_SHARED_DIR");
	struct stat st;

	if (src && *src)
		snprintf(buf, sizeof(buf), "%s/fixtures/sysfs", src);
	else if ((src = getenv("top_srcdir")) && *src)
		snprintf(buf, sizeof(buf), "%s/../shared/fixtures/sysfs", src);
	else
		snprintf(buf, sizeof(buf), "../shared/fixtures/sysfs");
	if (stat(buf, &st) || !S_ISDIR(st.st_mode))
		return NULL;
	return buf;
}
