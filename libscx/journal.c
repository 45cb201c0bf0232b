// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * The restore journal; see include/scx/journal.h.
 *
 * The format is text, one record per line, every field separated by one space:
 *
 *	libscx-journal 1
 *	boot <the kernel's boot id, or ->
 *	pid <decimal>
 *	start <decimal: field 22 of /proc/PID/stat>
 *	knob <path> =<original> =<written>	(or "?" for a written text not known)
 *	...
 *	end
 *
 * Paths and texts are escaped: every byte that is not printable ASCII, and space and '%',
 * is %XX (two upper-case hex digits).  A file without its "end" line is truncated, and refused.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <scx/journal.h>

#include "internal.h"
#include "journal_internal.h"
#include "sysfs.h"

#define JOURNAL_DIR "run/libscx"
#define JOURNAL_SUFFIX ".journal"
#define TEMP_SUFFIX ".tmp"
#define MAGIC "libscx-journal 1"
#define NAME_LEN 96

/* A handle's journal: its document and where it lives. */
struct scx_journal {
	struct scx_journal_doc doc;
	int dirfd;			/* run/libscx under the root */
	char name[NAME_LEN];		/* <pid>-<start>-<seq>.journal */
	char temp[NAME_LEN];		/* .<pid>-<start>-<seq>.tmp */
	bool on_disk;
	/* the written text of the knob in flight before its change (restored if it fails) */
	char *prev_written;
	bool in_flight_new;
};

static atomic_uint journal_seq;

/* ---- the document --------------------------------------------------------------------- */

void scx_journal_doc_fini(struct scx_journal_doc *doc)
{
	unsigned int i;

	if (!doc)
		return;
	for (i = 0; i < doc->nr; i++) {
		free(doc->k[i].path);
		free(doc->k[i].orig);
		free(doc->k[i].written);
	}
	free(doc->k);
	doc->k = NULL;
	doc->nr = doc->cap = 0;
}

static bool plain_byte(unsigned char c)
{
	return c > ' ' && c < 0x7f && c != '%';
}

/* Append @s escaped to the buffer; returns the new length (the caller sized the buffer). */
static size_t put_escaped(char *out, size_t len, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (plain_byte(c)) {
			out[len++] = (char)c;
		} else {
			out[len++] = '%';
			out[len++] = hex[c >> 4];
			out[len++] = hex[c & 15];
		}
	}
	return len;
}

int scx_journal_format(const struct scx_journal_doc *doc, char **out)
{
	size_t need = 128 + SCX_JOURNAL_BOOT_LEN, len;
	unsigned int i;
	char *buf;

	for (i = 0; i < doc->nr; i++) {
		need += 16 + 3 * strlen(doc->k[i].path) + 3 * strlen(doc->k[i].orig);
		need += doc->k[i].written ? 3 * strlen(doc->k[i].written) : 1;
	}
	buf = malloc(need);
	if (!buf)
		return -ENOMEM;
	len = (size_t)snprintf(buf, need, MAGIC "\nboot %s\npid %" PRIu64 "\nstart %" PRIu64 "\n",
			       doc->boot[0] ? doc->boot : "-", doc->pid, doc->start);
	for (i = 0; i < doc->nr; i++) {
		memcpy(buf + len, "knob ", 5);
		len = put_escaped(buf, len + 5, doc->k[i].path);
		memcpy(buf + len, " =", 2);
		len = put_escaped(buf, len + 2, doc->k[i].orig);
		if (doc->k[i].written) {
			memcpy(buf + len, " =", 2);
			len = put_escaped(buf, len + 2, doc->k[i].written);
		} else {
			memcpy(buf + len, " ?", 2);
			len += 2;
		}
		buf[len++] = '\n';
	}
	memcpy(buf + len, "end\n", 5);
	*out = buf;
	return (int)(len + 4);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Unescape the field [s, e) into a new string; NULL with *err set when it is not escaped text. */
static char *unescape(const char *s, const char *e, int *err)
{
	char *out = malloc((size_t)(e - s) + 1), *o = out;

	if (!out) {
		*err = -ENOMEM;
		return NULL;
	}
	while (s < e) {
		unsigned char c = (unsigned char)*s;

		if (plain_byte(c)) {
			*o++ = (char)c;
			s++;
			continue;
		}
		/* %00 would end the text early: no attribute holds a NUL */
		if (c != '%' || e - s < 3 || hexval(s[1]) < 0 || hexval(s[2]) < 0 ||
		    (hexval(s[1]) | hexval(s[2])) == 0) {
			free(out);
			*err = -EINVAL;
			return NULL;
		}
		*o++ = (char)(hexval(s[1]) << 4 | hexval(s[2]));
		s += 3;
	}
	*o = '\0';
	return out;
}

/* A knob path: relative, under sys/ or proc/, no empty, "." or ".." component. */
static bool knob_path_ok(const char *p)
{
	const char *c;

	if (strncmp(p, "sys/", 4) && strncmp(p, "proc/", 5))
		return false;
	if (strlen(p) >= SCX_SYSFS_MAX_ATTR)
		return false;
	for (c = p; *c;) {
		const char *end = strchr(c, '/');
		size_t n = end ? (size_t)(end - c) : strlen(c);

		if (!n || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
			return false;
		c += n;
		if (*c)
			c++;
		if (end && !*c)
			return false;	/* a trailing '/' */
	}
	return true;
}

static int parse_u64_field(const char *s, const char *e, uint64_t *v)
{
	uint64_t x = 0;

	if (s == e || e - s > 20)
		return -EINVAL;
	for (; s < e; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		if (x > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return -EINVAL;
		x = x * 10 + (uint64_t)(*s - '0');
	}
	*v = x;
	return 0;
}

static int add_knob(struct scx_journal_doc *doc, char *path, char *orig, char *written)
{
	if (doc->nr == doc->cap) {
		unsigned int cap = doc->cap ? doc->cap * 2 : 8;
		struct scx_journal_knob *k = realloc(doc->k, cap * sizeof(*k));

		if (!k)
			return -ENOMEM;
		doc->k = k;
		doc->cap = cap;
	}
	doc->k[doc->nr].path = path;
	doc->k[doc->nr].orig = orig;
	doc->k[doc->nr].written = written;
	doc->nr++;
	return 0;
}

/* Parse one "knob" line's fields (after "knob "): [s, e). */
static int parse_knob(struct scx_journal_doc *doc, const char *s, const char *e,
		      const char **why)
{
	const char *sp1 = memchr(s, ' ', (size_t)(e - s)), *sp2;
	char *path = NULL, *orig = NULL, *written = NULL;
	unsigned int i;
	int err = 0;

	*why = "a knob line is not \"knob PATH =TEXT =TEXT\"";
	if (!sp1)
		return -EINVAL;
	sp2 = memchr(sp1 + 1, ' ', (size_t)(e - sp1 - 1));
	if (!sp2 || sp1[1] != '=' || memchr(sp2 + 1, ' ', (size_t)(e - sp2 - 1)))
		return -EINVAL;
	if (!(sp2 + 1 < e && ((sp2[1] == '=') || (sp2[1] == '?' && sp2 + 2 == e))))
		return -EINVAL;
	path = unescape(s, sp1, &err);
	if (path)
		orig = unescape(sp1 + 2, sp2, &err);
	if (orig && sp2[1] == '=')
		written = unescape(sp2 + 2, e, &err);
	if (!path || !orig || (sp2[1] == '=' && !written))
		goto fail;
	err = -EINVAL;
	if (!knob_path_ok(path)) {
		*why = "a knob's path is not a file under sys/ or proc/";
		goto fail;
	}
	if (strlen(orig) >= SCX_SYSFS_MAX_ATTR || (written && strlen(written) >= SCX_SYSFS_MAX_ATTR)) {
		*why = "a knob's text is longer than an attribute";
		goto fail;
	}
	for (i = 0; i < doc->nr; i++)
		if (!strcmp(doc->k[i].path, path)) {
			*why = "a knob is recorded twice";
			goto fail;
		}
	if (doc->nr >= SCX_JOURNAL_MAX_KNOBS) {
		*why = "too many knobs";
		goto fail;
	}
	err = add_knob(doc, path, orig, written);
	if (!err)
		return 0;
fail:
	free(path);
	free(orig);
	free(written);
	return err;
}

/* The value of a "KEY VALUE" header line [s, e) into [*vs, e), or -EINVAL. */
static int header(const char *s, const char *e, const char *key, const char **vs)
{
	size_t n = strlen(key);

	if ((size_t)(e - s) <= n + 1 || memcmp(s, key, n) || s[n] != ' ')
		return -EINVAL;
	*vs = s + n + 1;
	return 0;
}

int scx_journal_parse(const char *text, size_t len, struct scx_journal_doc *doc,
		      const char **why)
{
	const char *p = text, *end = text + len, *v;
	unsigned int line = 0;
	bool ended = false;
	int err = 0;

	memset(doc, 0, sizeof(*doc));
	*why = "not a journal";
	if (len > SCX_JOURNAL_MAX_BYTES || memchr(text, '\0', len))
		return -EINVAL;
	while (p < end && !err) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		if (!nl) {
			*why = "truncated (the last line has no end)";
			err = -EINVAL;
			break;
		}
		if (ended) {
			*why = "text after the end line";
			err = -EINVAL;
			break;
		}
		switch (line++) {
		case 0:
			if ((size_t)(nl - p) != strlen(MAGIC) || memcmp(p, MAGIC, strlen(MAGIC)))
				err = -EINVAL;
			break;
		case 1:
			err = header(p, nl, "boot", &v);
			if (!err && !(nl - v == 1 && *v == '-')) {
				size_t n = (size_t)(nl - v), i;

				if (n >= SCX_JOURNAL_BOOT_LEN)
					err = -EINVAL;
				for (i = 0; !err && i < n; i++)
					if (!((v[i] >= '0' && v[i] <= '9') || (v[i] >= 'a' && v[i] <= 'f') ||
					      v[i] == '-'))
						err = -EINVAL;
				if (!err) {
					memcpy(doc->boot, v, n);
					doc->boot[n] = '\0';
				}
			}
			if (err)
				*why = "bad boot line";
			break;
		case 2:
			err = header(p, nl, "pid", &v);
			if (!err)
				err = parse_u64_field(v, nl, &doc->pid);
			if (!err && (!doc->pid || doc->pid > INT32_MAX))
				err = -EINVAL;
			if (err)
				*why = "bad pid line";
			break;
		case 3:
			err = header(p, nl, "start", &v);
			if (!err)
				err = parse_u64_field(v, nl, &doc->start);
			if (err)
				*why = "bad start line";
			break;
		default:
			if (nl - p == 3 && !memcmp(p, "end", 3)) {
				ended = true;
			} else if (!header(p, nl, "knob", &v)) {
				err = parse_knob(doc, v, nl, why);
			} else {
				*why = "a line that is neither a knob nor the end";
				err = -EINVAL;
			}
		}
		p = nl + 1;
	}
	if (!err && !ended) {
		*why = "truncated (no end line)";
		err = -EINVAL;
	}
	if (err)
		scx_journal_doc_fini(doc);
	return err;
}

/* ---- processes ------------------------------------------------------------------------ */

/* This boot's id into @out (SCX_JOURNAL_BOOT_LEN); "" when the kernel does not say. */
static void boot_id(struct scx_sysfs *proc, char *out)
{
	char buf[64];
	size_t i, n;

	out[0] = '\0';
	if (scx_sysfs_read(proc, buf, sizeof(buf), "proc/sys/kernel/random/boot_id") <= 0)
		return;
	n = strlen(buf);
	if (n >= SCX_JOURNAL_BOOT_LEN)
		return;
	for (i = 0; i < n; i++)
		if (!((buf[i] >= '0' && buf[i] <= '9') || (buf[i] >= 'a' && buf[i] <= 'f') ||
		      buf[i] == '-'))
			return;
	memcpy(out, buf, n + 1);
}

/* A process's start time (field 22 of proc/PID/stat); -ENOENT when there is no such process. */
static int start_time(struct scx_sysfs *proc, uint64_t pid, uint64_t *start)
{
	char buf[1024], *p;
	int field, ret;

	ret = scx_sysfs_read(proc, buf, sizeof(buf), "proc/%" PRIu64 "/stat", pid);
	if (ret < 0)
		return ret == -ENOENT || ret == -ESRCH ? -ENOENT : ret;
	p = strrchr(buf, ')');
	if (!p)
		return -EINVAL;
	/* after "pid (comm)" the state is field 3 */
	for (field = 2; field < 22 && p; field++)
		p = strchr(p + 1, ' ');
	if (!p)
		return -EINVAL;
	*start = strtoull(p + 1, NULL, 10);
	return 0;
}

/* Whether the process that wrote @doc still runs. */
static bool owner_alive(struct scx_sysfs *proc, const struct scx_journal_doc *doc)
{
	char boot[SCX_JOURNAL_BOOT_LEN];
	uint64_t start;

	boot_id(proc, boot);
	if (boot[0] && doc->boot[0] && strcmp(boot, doc->boot))
		return false;
	return !start_time(proc, doc->pid, &start) && start == doc->start;
}

/* ---- the folder ----------------------------------------------------------------------- */

/* Refuse a folder that is not ours alone (also refuses what is not a folder). */
static int dir_safe(int fd, const struct scx_sysfs *fs)
{
	struct stat st;

	if (fstat(fd, &st))
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	if (st.st_uid != geteuid() || (st.st_mode & 022)) {
		scx_err("%s%s" JOURNAL_DIR ": owned by uid %u with mode %03o, not by uid %u and "
			"writable by it alone: refused", fs->fake ? fs->root : "/",
			fs->fake ? "/" : "", (unsigned int)st.st_uid,
			(unsigned int)(st.st_mode & 0777), (unsigned int)geteuid());
		return -EPERM;
	}
	return 0;
}

/* Open one folder level under @at, making it (0700 for the last) when @create. */
static int open_level(int at, const char *name, bool create, bool last)
{
	int fd;

	do {
		fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	} while (fd < 0 && errno == EINTR);
	if (fd < 0 && errno == ENOENT && create) {
		if (mkdirat(at, name, last ? 0700 : 0755) && errno != EEXIST)
			return -errno;
		return open_level(at, name, false, last);
	}
	if (fd < 0)
		return errno == ENOTDIR ? -ELOOP : -errno;
	return fd;
}

/* The journal folder under @fs's root; -ENOENT when it does not exist and !@create. */
static int open_dir(struct scx_sysfs *fs, bool create)
{
	int run, dir, err;

	run = open_level(fs->root_fd, "run", create && fs->fake, false);
	if (run < 0)
		return run;
	dir = open_level(run, "libscx", create, true);
	close(run);
	if (dir < 0) {
		if (dir == -ELOOP)
			scx_err("%s%s" JOURNAL_DIR ": not a folder (a symbolic link?): refused",
				fs->fake ? fs->root : "/", fs->fake ? "/" : "");
		return dir;
	}
	err = dir_safe(dir, fs);
	if (err) {
		close(dir);
		return err;
	}
	return dir;
}

/* ---- a handle's journal --------------------------------------------------------------- */

static bool journaled(const struct scx_sysfs *fs)
{
	return !fs->fake || fs->allow_write;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Put the journal's document on disk (temp, fsync, rename), or remove it when empty. */
static int commit(struct scx_journal *j)
{
	char *text;
	int fd, len, err;

	if (!j->doc.nr) {
		if (j->on_disk && unlinkat(j->dirfd, j->name, 0) && errno != ENOENT)
			return -errno;
		j->on_disk = false;
		return 0;
	}
	len = scx_journal_format(&j->doc, &text);
	if (len < 0)
		return len;
	unlinkat(j->dirfd, j->temp, 0);
	do {
		fd = openat(j->dirfd, j->temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			    0600);
	} while (fd < 0 && errno == EINTR);
	if (fd < 0) {
		free(text);
		return -errno;
	}
	err = write_all(fd, text, (size_t)len);
	free(text);
	if (!err && fsync(fd))
		err = -errno;
	if (close(fd) && !err && errno != EINTR)
		err = -errno;
	if (!err && renameat(j->dirfd, j->temp, j->dirfd, j->name))
		err = -errno;
	if (err) {
		unlinkat(j->dirfd, j->temp, 0);
		return err;
	}
	fsync(j->dirfd);
	j->on_disk = true;
	return 0;
}

static int journal_new(struct scx_sysfs *fs, struct scx_journal **out)
{
	struct scx_sysfs proc;
	struct scx_journal *j;
	unsigned int seq;
	int err;

	j = calloc(1, sizeof(*j));
	if (!j)
		return -ENOMEM;
	err = scx_sysfs_init(&proc, "/");
	if (err) {
		free(j);
		return err;
	}
	j->doc.pid = (uint64_t)getpid();
	boot_id(&proc, j->doc.boot);
	err = start_time(&proc, j->doc.pid, &j->doc.start);
	scx_sysfs_fini(&proc);
	if (err) {
		free(j);
		return err;
	}
	j->dirfd = open_dir(fs, true);
	if (j->dirfd < 0) {
		err = j->dirfd;
		free(j);
		return err;
	}
	seq = atomic_fetch_add(&journal_seq, 1);
	snprintf(j->name, sizeof(j->name), "%" PRIu64 "-%" PRIu64 "-%u" JOURNAL_SUFFIX,
		 j->doc.pid, j->doc.start, seq);
	snprintf(j->temp, sizeof(j->temp), ".%" PRIu64 "-%" PRIu64 "-%u" TEMP_SUFFIX, j->doc.pid,
		 j->doc.start, seq);
	*out = j;
	return 0;
}

static struct scx_journal_knob *find_knob(struct scx_journal *j, const char *path)
{
	unsigned int i;

	for (i = 0; i < j->doc.nr; i++)
		if (!strcmp(j->doc.k[i].path, path))
			return &j->doc.k[i];
	return NULL;
}

static void drop_knob(struct scx_journal *j, struct scx_journal_knob *k)
{
	unsigned int i = (unsigned int)(k - j->doc.k);

	free(k->path);
	free(k->orig);
	free(k->written);
	memmove(&j->doc.k[i], &j->doc.k[i + 1], (j->doc.nr - i - 1) * sizeof(*k));
	j->doc.nr--;
}

int scx_journal_before(struct scx_sysfs *fs, const char *path)
{
	char buf[SCX_SYSFS_MAX_ATTR], *p = NULL, *o = NULL;
	struct scx_journal_knob *k;
	struct scx_journal *j;
	int err;

	if (!journaled(fs))
		return 0;
	while (*path == '/')
		path++;
	if (!knob_path_ok(path))
		return -EINVAL;
	if (!fs->journal) {
		err = journal_new(fs, &fs->journal);
		if (err) {
			scx_err("cannot keep the restore journal in %s%s" JOURNAL_DIR
				" (%s): %s left unchanged", fs->fake ? fs->root : "/",
				fs->fake ? "/" : "", strerror(-err), path);
			return err;
		}
	}
	j = fs->journal;
	free(j->prev_written);
	j->prev_written = NULL;
	k = find_knob(j, path);
	j->in_flight_new = !k;
	if (k) {
		if (!k->written)
			return 0;
		j->prev_written = k->written;
		k->written = NULL;
	} else {
		err = scx_sysfs_read(fs, buf, sizeof(buf), "%s", path);
		if (err < 0)
			return err;
		p = strdup(path);
		o = strdup(buf);
		err = p && o ? add_knob(&j->doc, p, o, NULL) : -ENOMEM;
		if (err) {
			free(p);
			free(o);
			return err;
		}
	}
	err = commit(j);
	if (err) {
		scx_err("cannot write the restore journal %s (%s): %s left unchanged", j->name,
			strerror(-err), path);
		k = find_knob(j, path);
		if (j->in_flight_new)
			drop_knob(j, k);
		else
			k->written = j->prev_written;
		j->prev_written = NULL;
	}
	return err;
}

void scx_journal_after(struct scx_sysfs *fs, const char *path, int werr)
{
	char buf[SCX_SYSFS_MAX_ATTR];
	struct scx_journal *j = fs->journal;
	struct scx_journal_knob *k;
	int err;

	if (!journaled(fs) || !j)
		return;
	while (*path == '/')
		path++;
	k = find_knob(j, path);
	if (!k)
		return;
	if (werr) {
		/* nothing changed: the knob is as before the attempt */
		if (j->in_flight_new) {
			drop_knob(j, k);
		} else if (j->prev_written) {
			free(k->written);
			k->written = j->prev_written;
			j->prev_written = NULL;
		}
	} else if (scx_sysfs_read(fs, buf, sizeof(buf), "%s", path) >= 0) {
		if (!strcmp(buf, k->orig)) {
			drop_knob(j, k);	/* back as it was found */
		} else {
			char *w = strdup(buf);

			if (w) {
				free(k->written);
				k->written = w;
			}
		}
	}
	free(j->prev_written);
	j->prev_written = NULL;
	err = commit(j);
	if (err)
		scx_warn("cannot update the restore journal %s: %s", j->name, strerror(-err));
}

void scx_journal_release(struct scx_sysfs *fs)
{
	struct scx_journal *j = fs->journal;

	if (!j)
		return;
	scx_journal_doc_fini(&j->doc);
	free(j->prev_written);
	close(j->dirfd);
	free(j);
	fs->journal = NULL;
}

/* ---- replay --------------------------------------------------------------------------- */

static int read_journal(int fd, char **out, size_t *len)
{
	struct stat st;
	ssize_t n;
	char *buf;
	size_t done = 0;

	if (fstat(fd, &st))
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	if (st.st_uid != geteuid() || (st.st_mode & 077))
		return -EPERM;
	if (st.st_size > (off_t)SCX_JOURNAL_MAX_BYTES)
		return -EFBIG;
	buf = malloc((size_t)st.st_size + 1);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		n = read(fd, buf + done, (size_t)st.st_size + 1 - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			return -errno;
		}
		if (n == 0)
			break;
		done += (size_t)n;
		if (done > (size_t)st.st_size) {
			free(buf);
			return -EFBIG;	/* grew while read */
		}
	}
	*out = buf;
	*len = done;
	return 0;
}

/* Write @k's original back; 1 written, 0 left as it is, or -errno. */
static int replay_knob(struct scx_sysfs *fs, const char *name, const struct scx_journal_knob *k)
{
	char buf[SCX_SYSFS_MAX_ATTR];
	int err;

	err = scx_sysfs_read(fs, buf, sizeof(buf), "%s", k->path);
	if (err == -ENOENT)
		return 0;	/* gone with its device or CPU: nothing to put back */
	if (err < 0)
		return err;
	if (!strcmp(buf, k->orig))
		return 0;
	if (k->written && strcmp(buf, k->written)) {
		scx_warn("%s: %s was changed since by someone else ('%s', not '%s'): left as it is",
			 name, k->path, buf, k->written);
		return 0;
	}
	err = scx_sysfs_write(fs, k->orig, "%s", k->path);
	if (!err)
		scx_info("%s: %s restored to '%s'", name, k->path, k->orig);
	return err ? err : 1;
}

static const char *why_refused(int err)
{
	switch (err) {
	case -EPERM:
		return "not owned by this user alone (owner or mode)";
	case -ELOOP:
		return "a symbolic link";
	case -EFBIG:
		return "larger than a journal can be";
	case -EINVAL:
		return "not a regular file";
	default:
		return strerror(-err);
	}
}

/* Replay one journal file; returns the knobs written or -errno. */
static int replay_file(struct scx_sysfs *fs, struct scx_sysfs *proc, int dirfd, const char *name)
{
	struct scx_journal_doc doc;
	int fd, err, written = 0, *res;
	const char *why;
	unsigned int i;
	size_t len = 0;
	char *text = NULL;

	do {
		fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	} while (fd < 0 && errno == EINTR);
	if (fd < 0) {
		err = errno == ELOOP || errno == EMLINK ? -ELOOP : -errno;
		scx_err("restore journal %s: %s: refused", name, why_refused(err));
		return err;
	}
	err = read_journal(fd, &text, &len);
	if (err) {
		scx_err("restore journal %s: %s: refused", name, why_refused(err));
		close(fd);
		return err;
	}
	/* a second replay of the same journal (another restore at the same moment) waits its turn */
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		free(text);
		close(fd);
		return 0;
	}
	err = scx_journal_parse(text, len, &doc, &why);
	free(text);
	if (err) {
		if (err == -EINVAL)
			scx_err("restore journal %s: %s: refused", name, why);
		close(fd);
		return err;
	}
	if (owner_alive(proc, &doc)) {
		scx_dbg("restore journal %s: process %" PRIu64 " still runs", name, doc.pid);
		scx_journal_doc_fini(&doc);
		close(fd);
		return 0;
	}
	res = calloc(doc.nr ? doc.nr : 1, sizeof(*res));
	if (!res) {
		scx_journal_doc_fini(&doc);
		close(fd);
		return -ENOMEM;
	}
	/* last change first; what the kernel refuses in that order (limits that must stay
	 * ordered, such as uncore min <= max) is tried once more after the rest */
	for (i = doc.nr; i-- > 0;)
		res[i] = replay_knob(fs, name, &doc.k[i]);
	for (i = doc.nr; i-- > 0;)
		if (res[i] == -EINVAL)
			res[i] = replay_knob(fs, name, &doc.k[i]);
	err = 0;
	for (i = 0; i < doc.nr; i++) {
		if (res[i] > 0)
			written++;
		else if (res[i] < 0 && !err)
			err = res[i];
		if (res[i] < 0)
			scx_err("restore journal %s: cannot write '%s' back to %s: %s", name,
				doc.k[i].orig, doc.k[i].path, strerror(-res[i]));
	}
	free(res);
	if (!err && unlinkat(dirfd, name, 0) && errno != ENOENT)
		err = -errno;
	scx_journal_doc_fini(&doc);
	close(fd);
	return err ? err : written;
}

/* A temporary file of a process that is gone (it died between a write and its rename). */
static void drop_stale_temp(struct scx_sysfs *proc, int dirfd, const char *name)
{
	uint64_t pid, start, now;
	unsigned int seq;
	char tail[8];

	if (sscanf(name, ".%" SCNu64 "-%" SCNu64 "-%u%7s", &pid, &start, &seq, tail) != 4 ||
	    strcmp(tail, TEMP_SUFFIX))
		return;
	if (!start_time(proc, pid, &now) && now == start)
		return;
	unlinkat(dirfd, name, 0);
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n > m && !strcmp(s + n - m, suffix);
}

int scx_journal_replay(struct scx_sysfs *fs)
{
	int dirfd, dupfd, err = 0, total = 0, ret;
	struct scx_sysfs proc;
	struct dirent *de;
	DIR *d;

	if (!journaled(fs))
		return -EROFS;
	dirfd = open_dir(fs, false);
	if (dirfd == -ENOENT)
		return 0;
	if (dirfd < 0)
		return dirfd;
	ret = scx_sysfs_init(&proc, "/");
	if (ret) {
		close(dirfd);
		return ret;
	}
	dupfd = fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
	d = dupfd < 0 ? NULL : fdopendir(dupfd);
	if (!d) {
		err = -errno;
		if (dupfd >= 0)
			close(dupfd);
		goto out;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.') {
			drop_stale_temp(&proc, dirfd, de->d_name);
			continue;
		}
		if (!has_suffix(de->d_name, JOURNAL_SUFFIX))
			continue;
		ret = replay_file(fs, &proc, dirfd, de->d_name);
		if (ret < 0 && !err)
			err = ret;
		else if (ret > 0)
			total += ret;
	}
	closedir(d);
out:
	scx_sysfs_fini(&proc);
	close(dirfd);
	return err ? err : total;
}

int scx_journal_restore(const struct scx_journal_opts *opts)
{
	struct scx_sysfs fs;
	int err;

	err = SCX_OPTS_VALID(opts, scx_journal_opts);
	if (err)
		return scx_errno(err);
	err = scx_sysfs_init(&fs, SCX_OPTS_GET(opts, sysfs_root, NULL));
	if (err)
		return scx_errno(err);
	scx_sysfs_allow_fake_writes(&fs, SCX_OPTS_GET(opts, allow_fake_root_writes, false));
	if (scx_sysfs_write_refused(&fs, "a journal's knobs"))
		err = -EROFS;
	else
		err = scx_journal_replay(&fs);
	scx_sysfs_fini(&fs);
	return scx_errno(err);
}
