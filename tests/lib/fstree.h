/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * Test helper: build a fake /sys and /proc tree in a temporary folder.
 */
#ifndef SCX_TEST_FSTREE_H
#define SCX_TEST_FSTREE_H

#include <stdarg.h>
#include <stddef.h>

struct fstree {
	char root[256];
};

/* Create an empty tree under $TMPDIR (or /tmp).  Returns 0 or -errno. */
int fstree_init(struct fstree *t);
/* Remove the whole tree. */
void fstree_fini(struct fstree *t);
/* Write a file (creating parent folders); the path is relative to the root.  0 or -errno. */
int fstree_write(struct fstree *t, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Write @len bytes of @data to a file (creating parent folders).  0 or -errno. */
int fstree_write_bytes(struct fstree *t, const char *path, const void *data, size_t len);
/* Create a folder and its parents.  0 or -errno. */
int fstree_mkdir(struct fstree *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Create a symlink @path -> @target.  0 or -errno. */
int fstree_symlink(struct fstree *t, const char *target, const char *path);
/* Absolute path of @rel inside the tree (static buffer, overwritten by the next call). */
const char *fstree_path(struct fstree *t, const char *rel);
/* The whole content of @rel (at most 4095 bytes; static buffer); NULL when it cannot be read. */
const char *fstree_read(struct fstree *t, const char *rel);

/* Directory of the shared real-machine snapshots, or NULL when absent. */
const char *fstree_shared_fixtures(void);

#endif
