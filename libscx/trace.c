// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * Tracing helpers: tracefs and debugfs mounts from proc/mounts, available_events and
 * proc/kallsyms read line by line (both can be megabytes), and programs whose target may be
 * missing switched off before the object loads.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include <scx/trace.h>

#include "internal.h"
#include "mounts.h"
#include "sysfs.h"

/* Room for a mount point relative to the root and a file below it. */
#define TRACE_PATH_MAX 4096

struct first_mount {
	char *out;
	size_t sz;
	int len;
};

static int take_first(const char *mnt, void *ctx)
{
	struct first_mount *f = ctx;

	f->len = snprintf(f->out, f->sz, "%s", mnt);
	return 1;
}

/* The first mount of @fstype, relative to the root; -ENOENT when there is none. */
static int find_mount(struct scx_sysfs *fs, const char *fstype, char *out, size_t sz)
{
	struct first_mount f = { out, sz, -1 };
	int ret = scx_mounts_each(fs, fstype, take_first, &f);

	if (ret < 0)
		return ret;
	if (!ret)
		return -ENOENT;
	return f.len < (int)sz ? f.len : -ENAMETOOLONG;
}

/* The mount point as the system names it: "/" and the path relative to the root. */
static int mount_of(const char *fstype, char *buf, size_t size)
{
	char rel[TRACE_PATH_MAX];
	struct scx_sysfs fs;
	int len;

	if (!buf || !size)
		return -EINVAL;
	len = scx_sysfs_init(&fs, NULL);
	if (len)
		return len;
	len = find_mount(&fs, fstype, rel, sizeof(rel));
	scx_sysfs_fini(&fs);
	if (len < 0)
		return len;
	if ((size_t)len + 1 >= size)
		return -ENAMETOOLONG;
	buf[0] = '/';
	memcpy(buf + 1, rel, (size_t)len + 1);
	return len + 1;
}

int scx_trace_tracefs_mount(char *buf, size_t size)
{
	return scx_errno(mount_of("tracefs", buf, size));
}

int scx_trace_debugfs_mount(char *buf, size_t size)
{
	return scx_errno(mount_of("debugfs", buf, size));
}

/* A name as the kernel lists it: not empty, no white space. */
static bool one_word(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			return false;
	return true;
}

/*
 * Open @path of the root for reading line by line.  Only a regular file is read: a FIFO or a
 * device put in its place must not block the caller.
 */
static FILE *open_lines(struct scx_sysfs *fs, const char *path, int *err)
{
	struct stat st;
	FILE *f;
	int fd;

	fd = scx_sysfs_open(fs, path, O_RDONLY | O_NONBLOCK);
	if (fd < 0) {
		*err = fd;
		return NULL;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		*err = -EINVAL;
		close(fd);
		return NULL;
	}
	f = fdopen(fd, "re");
	if (!f) {
		*err = -errno;
		close(fd);
	}
	return f;
}

/*
 * Call @match on each line of @path (newline removed) until it returns non-zero; that value is
 * returned, 0 at the end of the file, or -errno.
 */
static int each_line(struct scx_sysfs *fs, const char *path,
		     int (*match)(char *line, void *ctx), void *ctx)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int ret = 0, err = 0;
	FILE *f = open_lines(fs, path, &err);

	if (!f)
		return err;
	errno = 0;
	while (!ret && (n = getline(&line, &cap, f)) >= 0) {
		if (n && line[n - 1] == '\n')
			line[n - 1] = '\0';
		ret = match(line, ctx);
	}
	if (!ret && ferror(f))
		ret = -(errno ? errno : EIO);
	free(line);
	fclose(f);
	return ret;
}

static int is_event(char *line, void *ctx)
{
	return !strcmp(line, (const char *)ctx);
}

/* available_events of tracefs, else of debugfs's tracing folder, relative to the root. */
static int events_file(struct scx_sysfs *fs, char *out, size_t sz)
{
	char mnt[TRACE_PATH_MAX];
	int len;

	len = find_mount(fs, "tracefs", mnt, sizeof(mnt));
	if (len >= 0) {
		snprintf(out, sz, "%s%savailable_events", mnt, *mnt ? "/" : "");
		if (scx_sysfs_exists(fs, "%s", out))
			return 0;
	}
	len = find_mount(fs, "debugfs", mnt, sizeof(mnt));
	if (len >= 0) {
		snprintf(out, sz, "%s%stracing/available_events", mnt, *mnt ? "/" : "");
		if (scx_sysfs_exists(fs, "%s", out))
			return 0;
	}
	return len == -ENOENT || len >= 0 ? -ENOENT : len;
}

int scx_trace_tracepoint_exists(const char *tp)
{
	char path[TRACE_PATH_MAX + 64];
	struct scx_sysfs fs;
	int err;

	if (!one_word(tp) || !strchr(tp, ':'))
		return scx_errno(-EINVAL);
	err = scx_sysfs_init(&fs, NULL);
	if (err)
		return scx_errno(err);
	err = events_file(&fs, path, sizeof(path));
	if (!err)
		err = each_line(&fs, path, is_event, (void *)tp);
	scx_sysfs_fini(&fs);
	return scx_errno(err);
}

struct ksym_query {
	const char *sym;
	uint64_t addr;
};

/* "ffffffff81000000 T _stext" or "... t name\t[module]": the third field is the name. */
static int is_ksym(char *line, void *ctx)
{
	struct ksym_query *q = ctx;
	char *addr, *type, *name, *save = NULL;

	addr = strtok_r(line, " \t", &save);
	type = addr ? strtok_r(NULL, " \t", &save) : NULL;
	name = type ? strtok_r(NULL, " \t", &save) : NULL;
	if (!name || strcmp(name, q->sym))
		return 0;
	q->addr = strtoull(addr, NULL, 16);
	return 1;
}

int scx_trace_kallsyms_lookup(const char *sym, uint64_t *addr)
{
	struct ksym_query q = { sym, 0 };
	struct scx_sysfs fs;
	int ret;

	if (!one_word(sym))
		return scx_errno(-EINVAL);
	ret = scx_sysfs_init(&fs, NULL);
	if (ret)
		return scx_errno(ret);
	ret = each_line(&fs, "proc/kallsyms", is_ksym, &q);
	scx_sysfs_fini(&fs);
	if (ret == 1 && addr)
		*addr = q.addr;
	return scx_errno(ret);
}

/* Autoload @prog when @exists says its target is there; warn otherwise. */
static int enable_if(struct bpf_program *prog, int exists, const char *what, const char *name)
{
	int err;

	if (exists < 0)
		return exists;
	err = bpf_program__set_autoload(prog, exists > 0);
	if (err)
		return err < 0 ? err : -EINVAL;
	if (!exists)
		scx_warn("%s %s is missing on this kernel: program %s is not loaded", what, name,
			 bpf_program__name(prog));
	return exists;
}

int scx_trace_kprobe_enable(struct bpf_program *prog, const char *sym)
{
	if (!prog || !one_word(sym))
		return scx_errno(-EINVAL);
	return scx_errno(enable_if(prog, scx_trace_kallsyms_lookup(sym, NULL), "symbol", sym));
}

int scx_trace_tracepoint_enable(struct bpf_program *prog, const char *tp)
{
	if (!prog || !one_word(tp) || !strchr(tp, ':'))
		return scx_errno(-EINVAL);
	return scx_errno(enable_if(prog, scx_trace_tracepoint_exists(tp), "tracepoint", tp));
}

int scx_trace_attach(struct bpf_program *prog, struct bpf_link **link)
{
	struct bpf_link *l;

	if (!prog || !link)
		return scx_errno(-EINVAL);
	*link = NULL;
	if (!bpf_program__autoload(prog))
		return 0;
	l = bpf_program__attach(prog);
	if (!l)
		return scx_errno(-errno);
	*link = l;
	return 1;
}
