/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * For harnesses of the tree readers: turn a fuzz input into a small file tree in a temporary
 * folder.  The input is lines; "PATH=TEXT" writes TEXT and a newline to the file PATH, "PATH>T"
 * makes PATH a symlink to T (relative: loops and dangling links welcome), "PATH/" makes a folder.
 * Backslash escapes "\n" and "\\" put newlines into TEXT.  Paths with ".." or a leading '/' are
 * skipped, so nothing is written outside the tree.
 */
#ifndef SCX_FUZZ_TREE_H
#define SCX_FUZZ_TREE_H

/* Include "config.h" (for _GNU_SOURCE: nftw) before this header. */

#include <fcntl.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

#define FUZZ_TREE_MAX_ENTRIES 256

static inline bool fuzz_tree_path_ok(const char *p)
{
	size_t n = strlen(p);

	if (!n || n > 400 || p[0] == '/' || strstr(p, ".."))
		return false;
	return true;
}

/* mkdir -p of @path's parents (and @path itself when @self) under @root. */
static inline void fuzz_tree_mkparents(const char *root, const char *path, bool self)
{
	char buf[1024];
	char *s;

	snprintf(buf, sizeof(buf), "%s/%s", root, path);
	for (s = buf + strlen(root) + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		mkdir(buf, 0755);
		*s = '/';
	}
	if (self)
		mkdir(buf, 0755);
}

static inline void fuzz_tree_unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] == 'n') {
			*o++ = '\n';
			s++;
		} else if (s[0] == '\\' && s[1] == '\\') {
			*o++ = '\\';
			s++;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

static inline void fuzz_tree_entry(const char *root, char *line)
{
	char *eq = strchr(line, '='), *gt = strchr(line, '>');
	char path[1024];
	size_t n = strlen(line);
	int fd;

	if (eq && (!gt || eq < gt)) {
		*eq = '\0';
		if (!fuzz_tree_path_ok(line))
			return;
		fuzz_tree_unescape(eq + 1);
		fuzz_tree_mkparents(root, line, false);
		snprintf(path, sizeof(path), "%s/%s", root, line);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
		if (fd >= 0) {
			size_t len = strlen(eq + 1);

			if (write(fd, eq + 1, len) != (ssize_t)len || write(fd, "\n", 1) != 1)
				FUZZ_CHECK(0);
			close(fd);
		}
	} else if (gt) {
		*gt = '\0';
		if (!fuzz_tree_path_ok(line) || !fuzz_tree_path_ok(gt + 1))
			return;
		fuzz_tree_mkparents(root, line, false);
		snprintf(path, sizeof(path), "%s/%s", root, line);
		if (symlink(gt + 1, path))
			return;
	} else if (n > 1 && line[n - 1] == '/') {
		line[n - 1] = '\0';
		if (fuzz_tree_path_ok(line))
			fuzz_tree_mkparents(root, line, true);
	}
}

/*
 * Where trees are built: $TMPDIR when set, else /dev/shm when it is a writable folder (tmpfs:
 * no disk, so an input's tree costs system calls only, about ten times fewer microseconds
 * than on /tmp), else /tmp.
 */
static inline const char *fuzz_tree_tmpdir(void)
{
	const char *tmp = getenv("TMPDIR");
	struct stat st;

	if (tmp && *tmp)
		return tmp;
	if (!stat("/dev/shm", &st) && S_ISDIR(st.st_mode) && !access("/dev/shm", W_OK | X_OK))
		return "/dev/shm";
	return "/tmp";
}

/* Build the tree of @data in a new temporary folder, written to @root.  0 or -1. */
static inline int fuzz_tree_build(const uint8_t *data, size_t size, char *root, size_t rootsz)
{
	char *text, *line, *save = NULL;
	int entries = 0;

	snprintf(root, rootsz, "%s/scx-fuzz-XXXXXX", fuzz_tree_tmpdir());
	if (!mkdtemp(root))
		return -1;
	text = fuzz_strdup(data, size);
	if (!text)
		return 0;
	for (line = strtok_r(text, "\n", &save); line && entries < FUZZ_TREE_MAX_ENTRIES;
	     line = strtok_r(NULL, "\n", &save), entries++)
		fuzz_tree_entry(root, line);
	free(text);
	return 0;
}

static inline int fuzz_tree_rm_one(const char *path, const struct stat *st, int type,
				   struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

static inline void fuzz_tree_remove(const char *root)
{
	nftw(root, fuzz_tree_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

#endif
