// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/* Test helper: damaged sysfs trees made from good ones; see damage.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <unistd.h>

#include "damage.h"

static const char *const names[DMG_NR] = {
	[DMG_EMPTY] = "empty",
	[DMG_GARBAGE] = "garbage",
	[DMG_HUGE] = "huge",
	[DMG_BIG_IDS] = "big-ids",
	[DMG_REVERSED] = "reversed",
	[DMG_OVERLAP] = "overlap",
	[DMG_MISSING] = "missing",
	[DMG_MISSING_DIR] = "missing-dir",
	[DMG_LOOP] = "loop",
	[DMG_UNREADABLE] = "unreadable",
	[DMG_HUGE_ID_DIR] = "huge-id-dir",
	[DMG_FIFO] = "fifo",
};

const char *damage_name(enum damage_kind kind)
{
	return kind < DMG_NR ? names[kind] : "?";
}

/* ---- listing ---------------------------------------------------------------------------- */

static struct {
	const char *root;
	const char *const *prefixes;
	char **v;
	size_t n, cap;
	int err;
} walk;

static int walk_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	const char *rel = path + strlen(walk.root);
	size_t i;

	(void)st;
	(void)ftw;
	if (type != FTW_F)
		return 0;
	while (*rel == '/')
		rel++;
	for (i = 0; walk.prefixes[i]; i++)
		if (!strncmp(rel, walk.prefixes[i], strlen(walk.prefixes[i])))
			break;
	if (!walk.prefixes[i])
		return 0;
	if (walk.n == walk.cap) {
		char **nv = realloc(walk.v, (walk.cap ? walk.cap * 2 : 64) * sizeof(*nv));

		if (!nv) {
			walk.err = -ENOMEM;
			return 1;
		}
		walk.v = nv;
		walk.cap = walk.cap ? walk.cap * 2 : 64;
	}
	walk.v[walk.n] = strdup(rel);
	if (!walk.v[walk.n]) {
		walk.err = -ENOMEM;
		return 1;
	}
	walk.n++;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void damage_free_list(char **list, int n)
{
	for (int i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

int damage_list_files(const char *root, const char *const *prefixes, size_t max, char ***out)
{
	size_t i, k;

	memset(&walk, 0, sizeof(walk));
	walk.root = root;
	walk.prefixes = prefixes;
	if (nftw(root, walk_one, 32, FTW_PHYS) < 0 && !walk.err)
		walk.err = -errno;
	if (walk.err) {
		damage_free_list(walk.v, (int)walk.n);
		return walk.err;
	}
	if (walk.n)
		qsort(walk.v, walk.n, sizeof(*walk.v), cmp_str);
	if (max && walk.n > max) {
		/* keep an even spread: every (n / max)-th file */
		for (i = 0, k = 0; i < walk.n; i++) {
			if (k < max && i * max / walk.n == k)
				walk.v[k++] = walk.v[i];
			else
				free(walk.v[i]);
		}
		walk.n = k;
	}
	*out = walk.v;
	return (int)walk.n;
}

/* ---- damage ----------------------------------------------------------------------------- */

static void path_of(char *buf, size_t sz, const char *root, const char *rel)
{
	snprintf(buf, sz, "%s/%s", root, rel);
}

/* The backup of @rel sits outside the tree, in "<root>.orig/", its slashes turned into '%'. */
static void backup_of(char *buf, size_t sz, const char *root, const char *rel)
{
	size_t n;

	n = (size_t)snprintf(buf, sz, "%s.orig/", root);
	for (; *rel && n + 1 < sz; rel++)
		buf[n++] = *rel == '/' ? '%' : *rel;
	buf[n] = '\0';
}

static int backup(const char *root, const char *rel)
{
	char from[4096], to[4096];

	snprintf(to, sizeof(to), "%s.orig", root);
	if (mkdir(to, 0755) && errno != EEXIST)
		return -errno;
	path_of(from, sizeof(from), root, rel);
	backup_of(to, sizeof(to), root, rel);
	return rename(from, to) ? -errno : 0;
}

static int rm_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return (type == FTW_DP ? rmdir(path) : unlink(path)) ? -1 : 0;
}

static int rm_rf(const char *path)
{
	struct stat st;

	if (lstat(path, &st))
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISDIR(st.st_mode))
		return unlink(path) ? -errno : 0;
	return nftw(path, rm_one, 32, FTW_DEPTH | FTW_PHYS) ? -errno : 0;
}

static int put_back(const char *root, const char *rel)
{
	char from[4096], to[4096];
	int err;

	path_of(to, sizeof(to), root, rel);
	backup_of(from, sizeof(from), root, rel);
	err = rm_rf(to);
	if (err)
		return err;
	return rename(from, to) ? -errno : 0;
}

static int write_file(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int err = 0;

	if (fd < 0)
		return -errno;
	while (len) {
		ssize_t n = write(fd, data, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		data += n;
		len -= (size_t)n;
	}
	close(fd);
	return err;
}

static int replace_with(const char *root, const char *rel, const char *data, size_t len)
{
	char path[4096];
	int err = backup(root, rel);

	if (err)
		return err;
	path_of(path, sizeof(path), root, rel);
	return write_file(path, data, len);
}

static int write_garbage(const char *root, const char *rel, unsigned int seed)
{
	char buf[97];
	unsigned int x = seed * 2654435761u + 1;

	for (size_t i = 0; i < sizeof(buf); i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (char)(x >> 16);
	}
	return replace_with(root, rel, buf, sizeof(buf));
}

/* More than a megabyte: one endless number, or an endless list of CPU ids. */
static int write_huge(const char *root, const char *rel, unsigned int seed)
{
	size_t len = (1u << 20) + 4099, i;
	char *buf = malloc(len);
	int err;

	if (!buf)
		return -ENOMEM;
	for (i = 0; i < len; i++)
		buf[i] = seed & 1 ? "1,"[i & 1] : '9';
	err = replace_with(root, rel, buf, len);
	free(buf);
	return err;
}

static const char *const big_ids[] = { "99999999", "0-4294967295", "18446744073709551616",
				       "-1", "0x7fffffffffffffff", "4294967296-4294967299" };
static const char *const reversed[] = { "7-0", "3-1,9-5", "1-0\n", "ffffffff-0" };
static const char *const overlaps[] = { "0-3,2-5,1,0-1", "0,0,0,0", "1-2,1-2,0-7,3" };

#define PICK(arr, seed) (arr[(seed) % (sizeof(arr) / sizeof(arr[0]))])

/* @rel with each "/cpuN/" or "/nodeN/" component given a huge id; the new top folder in @top. */
static int huge_id_path(const char *rel, char *out, size_t sz, char *top, size_t topsz)
{
	const char *p = rel, *c;
	size_t n = 0;

	top[0] = '\0';
	while ((c = strchr(p, '/'))) {
		const char *comp = p;
		size_t clen = (size_t)(c - p), plen = 0;

		if (clen > 3 && !strncmp(comp, "cpu", 3) && comp[3] >= '0' && comp[3] <= '9')
			plen = 3;
		else if (clen > 4 && !strncmp(comp, "node", 4) && comp[4] >= '0' && comp[4] <= '9')
			plen = 4;
		if (plen && !top[0]) {
			n += (size_t)snprintf(out + n, sz - n, "%.*s%s/", (int)plen, comp,
					      plen == 3 ? "99999999" : "2147483647");
			snprintf(top, topsz, "%.*s", (int)n - 1, out);
		} else {
			n += (size_t)snprintf(out + n, sz - n, "%.*s/", (int)clen, comp);
		}
		if (n >= sz)
			return -ENAMETOOLONG;
		p = c + 1;
	}
	if (!top[0])
		return -ENOENT;
	snprintf(out + n, sz - n, "%s", p);
	return 0;
}

static int mkdir_parents(char *path)
{
	for (char *s = path + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(path, 0755) && errno != EEXIST) {
			*s = '/';
			return -errno;
		}
		*s = '/';
	}
	return 0;
}

int damage_apply(const char *root, const char *rel, enum damage_kind kind, unsigned int seed)
{
	char path[4096], rel2[2048], top[2048], *buf;
	const char *slash;
	int err;

	switch (kind) {
	case DMG_EMPTY:
		return replace_with(root, rel, "", 0);
	case DMG_GARBAGE:
		return write_garbage(root, rel, seed);
	case DMG_HUGE:
		return write_huge(root, rel, seed);
	case DMG_BIG_IDS:
		return replace_with(root, rel, PICK(big_ids, seed), strlen(PICK(big_ids, seed)));
	case DMG_REVERSED:
		return replace_with(root, rel, PICK(reversed, seed), strlen(PICK(reversed, seed)));
	case DMG_OVERLAP:
		return replace_with(root, rel, PICK(overlaps, seed), strlen(PICK(overlaps, seed)));
	case DMG_MISSING:
		return backup(root, rel);
	case DMG_MISSING_DIR:
		slash = strrchr(rel, '/');
		if (!slash)
			return -ENOENT;
		snprintf(rel2, sizeof(rel2), "%.*s", (int)(slash - rel), rel);
		return backup(root, rel2);
	case DMG_LOOP:
		err = backup(root, rel);
		if (err)
			return err;
		path_of(path, sizeof(path), root, rel);
		slash = strrchr(rel, '/');
		return symlink(slash ? slash + 1 : rel, path) ? -errno : 0;
	case DMG_UNREADABLE:
		path_of(path, sizeof(path), root, rel);
		return chmod(path, 0) ? -errno : 0;
	case DMG_FIFO:
		err = backup(root, rel);
		if (err)
			return err;
		path_of(path, sizeof(path), root, rel);
		return mkfifo(path, 0600) ? -errno : 0;
	case DMG_HUGE_ID_DIR:
		err = huge_id_path(rel, rel2, sizeof(rel2), top, sizeof(top));
		if (err)
			return err;
		path_of(path, sizeof(path), root, rel2);
		err = mkdir_parents(path);
		if (err)
			return err;
		buf = malloc(8192);
		if (!buf)
			return -ENOMEM;
		{
			char orig[4096];
			int fd;
			ssize_t n;

			path_of(orig, sizeof(orig), root, rel);
			fd = open(orig, O_RDONLY | O_CLOEXEC);
			n = fd >= 0 ? read(fd, buf, 8192) : -1;
			if (fd >= 0)
				close(fd);
			err = write_file(path, buf, n > 0 ? (size_t)n : 0);
		}
		free(buf);
		return err;
	default:
		return -EINVAL;
	}
}

int damage_undo(const char *root, const char *rel, enum damage_kind kind)
{
	char path[4096], rel2[2048], top[2048];
	const char *slash;

	switch (kind) {
	case DMG_UNREADABLE:
		path_of(path, sizeof(path), root, rel);
		return chmod(path, 0644) ? -errno : 0;
	case DMG_MISSING_DIR:
		slash = strrchr(rel, '/');
		if (!slash)
			return -ENOENT;
		snprintf(rel2, sizeof(rel2), "%.*s", (int)(slash - rel), rel);
		return put_back(root, rel2);
	case DMG_HUGE_ID_DIR:
		if (huge_id_path(rel, rel2, sizeof(rel2), top, sizeof(top)))
			return 0;
		path_of(path, sizeof(path), root, top);
		return rm_rf(path);
	default:
		return put_back(root, rel);
	}
}

void damage_cleanup(const char *root)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s.orig", root);
	rm_rf(path);
}

int damage_drop_dac(void)
{
	cap_value_t dac[] = { CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH };
	cap_t caps = cap_get_proc();
	int err = 0;

	if (!caps)
		return -errno;
	if (cap_set_flag(caps, CAP_EFFECTIVE, 2, dac, CAP_CLEAR) ||
	    cap_set_flag(caps, CAP_PERMITTED, 2, dac, CAP_CLEAR) ||
	    cap_set_flag(caps, CAP_INHERITABLE, 2, dac, CAP_CLEAR) || cap_set_proc(caps))
		err = -errno;
	cap_free(caps);
	return err;
}
