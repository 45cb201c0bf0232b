// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * NICs, their MSI IRQs and IRQ affinity; see include/scx/netdev.h.
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <scx/netdev.h>

#include "cpumask_internal.h"
#include "internal.h"
#include "journal_internal.h"
#include "sysfs.h"

#define NET_DIR "sys/class/net"
#define ROOT_CAP "CAP_DAC_OVERRIDE (root)"
/* "proc/irq/<int>/smp_affinity" */
#define IRQ_PATH_MAX 64

struct nd_irq {
	int irq;
	char *orig_text;		/* smp_affinity as read, for an exact restore */
	struct scx_cpumask *orig;	/* that text parsed */
	struct scx_cpumask *cur;	/* what the IRQ has now, as far as we know */
	struct scx_cpumask *want;	/* what the caller wants */
	struct scx_cpumask *hint;	/* NULL: no hint */
	bool changed;			/* written by apply since load/restore */
};

struct nd_dev {
	char *name;
	int numa_node;
	struct nd_irq *irqs;
	unsigned int nr_irqs;
};

struct scx_netdev {
	struct scx_sysfs fs;
	struct nd_dev *devs;
	unsigned int nr_devs;
	unsigned int width;
};

static void free_irq(struct nd_irq *q)
{
	free(q->orig_text);
	scx_cpumask_free(q->orig);
	scx_cpumask_free(q->cur);
	scx_cpumask_free(q->want);
	scx_cpumask_free(q->hint);
}

static void free_dev(struct nd_dev *d)
{
	unsigned int j;

	for (j = 0; j < d->nr_irqs; j++)
		free_irq(&d->irqs[j]);
	free(d->irqs);
	free(d->name);
}

void scx_netdev_free(struct scx_netdev *nd)
{
	unsigned int i;

	if (!nd)
		return;
	for (i = 0; i < nd->nr_devs; i++)
		free_dev(&nd->devs[i]);
	free(nd->devs);
	scx_sysfs_fini(&nd->fs);
	free(nd);
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* The IRQ numbers under device/msi_irqs, sorted; 0 of them when the folder is absent. */
static int list_msi_irqs(struct scx_sysfs *fs, const char *ifname, int **out, unsigned int *nr)
{
	unsigned int cap = 0;
	struct dirent *de;
	int *v = NULL;
	DIR *d;

	*out = NULL;
	*nr = 0;
	d = scx_sysfs_opendir(fs, NET_DIR "/%s/device/msi_irqs", ifname);
	if (!d)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
	while ((de = readdir(d))) {
		uint64_t irq;

		if (!all_digits(de->d_name) || scx_parse_u64(de->d_name, &irq) || irq > INT32_MAX)
			continue;
		if (*nr == cap) {
			int *n;

			cap = cap ? cap * 2 : 16;
			n = realloc(v, cap * sizeof(*n));
			if (!n) {
				closedir(d);
				free(v);
				return -ENOMEM;
			}
			v = n;
		}
		v[(*nr)++] = (int)irq;
	}
	closedir(d);
	if (*nr)
		qsort(v, *nr, sizeof(*v), cmp_int);
	*out = v;
	return 0;
}

/* The mask width: possible CPUs, else four bits per hex digit of an affinity text. */
static unsigned int width_from_hex(const char *text)
{
	unsigned int digits = 0;

	for (; *text; text++)
		digits += isxdigit((unsigned char)*text) != 0;
	return digits ? digits * 4 : 1;
}

static int parse_hex_mask(struct scx_netdev *nd, const char *text, struct scx_cpumask **out)
{
	struct scx_cpumask *m;

	if (!nd->width)
		nd->width = width_from_hex(text);
	m = scx_cpumask_new(nd->width);
	if (!m)
		return -errno;
	if (scx_cpumask_parse_hex(m, text)) {
		scx_cpumask_free(m);
		return -EINVAL;
	}
	*out = m;
	return 0;
}

static int read_irq(struct scx_netdev *nd, int irq, struct nd_irq *q)
{
	char buf[SCX_SYSFS_MAX_ATTR];
	int ret;

	memset(q, 0, sizeof(*q));
	q->irq = irq;
	ret = scx_sysfs_read(&nd->fs, buf, sizeof(buf), "proc/irq/%d/smp_affinity", irq);
	if (ret < 0)
		return ret;
	q->orig_text = strdup(buf);
	if (!q->orig_text)
		return -ENOMEM;
	ret = parse_hex_mask(nd, buf, &q->orig);
	if (ret) {
		scx_err("IRQ %d: bad smp_affinity '%s'", irq, buf);
		return ret;
	}
	q->cur = scx_cpumask_new_copy(q->orig);
	q->want = scx_cpumask_new_copy(q->orig);
	if (!q->cur || !q->want)
		return -ENOMEM;
	ret = scx_sysfs_read(&nd->fs, buf, sizeof(buf), "proc/irq/%d/affinity_hint", irq);
	if (ret == -ENOENT)
		return 0;
	if (ret < 0)
		return ret;
	ret = parse_hex_mask(nd, buf, &q->hint);
	if (ret) {
		scx_err("IRQ %d: bad affinity_hint '%s'", irq, buf);
		return ret;
	}
	if (scx_cpumask_empty(q->hint)) {
		scx_cpumask_free(q->hint);
		q->hint = NULL;
	}
	return 0;
}

static int read_dev(struct scx_netdev *nd, const char *ifname, struct nd_dev *dev)
{
	unsigned int nr, i;
	int64_t node;
	int *irqs, err;

	err = list_msi_irqs(&nd->fs, ifname, &irqs, &nr);
	if (err || !nr)
		return err;
	err = scx_sysfs_read_s64(&nd->fs, &node, NET_DIR "/%s/device/numa_node", ifname);
	if (err == -ENOENT) {
		node = -1;
	} else if (err || node < -1 || node > INT32_MAX) {
		scx_err("%s: bad device/numa_node", ifname);
		free(irqs);
		return err ? err : -EINVAL;
	}
	dev->numa_node = (int)node;
	dev->name = strdup(ifname);
	dev->irqs = calloc(nr, sizeof(*dev->irqs));
	if (!dev->name || !dev->irqs) {
		free(irqs);
		return -ENOMEM;
	}
	for (i = 0; i < nr; i++) {
		err = read_irq(nd, irqs[i], &dev->irqs[dev->nr_irqs]);
		if (err == -ENOENT) {
			err = 0;
			free_irq(&dev->irqs[dev->nr_irqs]);
			scx_dbg("%s: IRQ %d has no proc/irq folder", ifname, irqs[i]);
			continue;
		}
		dev->nr_irqs++;
		if (err)
			break;
	}
	free(irqs);
	return err;
}

static int cmp_dev(const void *a, const void *b)
{
	return strcmp(((const struct nd_dev *)a)->name, ((const struct nd_dev *)b)->name);
}

static int load(struct scx_netdev *nd)
{
	unsigned int cap = 0;
	struct dirent *de;
	int width, err = 0;
	DIR *d;

	width = scx_cpu_width(&nd->fs);
	nd->width = width > 0 ? (unsigned int)width : 0;
	d = scx_sysfs_opendir(&nd->fs, NET_DIR);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while (!err && (de = readdir(d))) {
		struct nd_dev dev = { 0 };

		if (de->d_name[0] == '.')
			continue;
		/* virtual interfaces have no device link */
		if (!scx_sysfs_exists(&nd->fs, NET_DIR "/%s/device", de->d_name))
			continue;
		err = read_dev(nd, de->d_name, &dev);
		if (err || !dev.nr_irqs) {
			free_dev(&dev);
			continue;
		}
		if (nd->nr_devs == cap) {
			struct nd_dev *n;

			cap = cap ? cap * 2 : 8;
			n = realloc(nd->devs, cap * sizeof(*n));
			if (!n) {
				free_dev(&dev);
				err = -ENOMEM;
				break;
			}
			nd->devs = n;
		}
		nd->devs[nd->nr_devs++] = dev;
	}
	closedir(d);
	if (!err && nd->nr_devs)
		qsort(nd->devs, nd->nr_devs, sizeof(*nd->devs), cmp_dev);
	return err;
}

struct scx_netdev *scx_netdev_load(const struct scx_netdev_opts *opts)
{
	struct scx_netdev *nd;
	int err;

	err = SCX_OPTS_VALID(opts, scx_netdev_opts);
	if (err)
		return scx_err_ptr(err);
	nd = calloc(1, sizeof(*nd));
	if (!nd)
		return scx_err_ptr(-ENOMEM);
	err = scx_sysfs_init(&nd->fs, SCX_OPTS_GET(opts, sysfs_root, NULL));
	if (err) {
		free(nd);
		return scx_err_ptr(err);
	}
	scx_sysfs_allow_fake_writes(&nd->fs, SCX_OPTS_GET(opts, allow_fake_root_writes, false));
	/* masks a scheduler that is gone left changed are put back before they are read */
	if (!nd->fs.fake || nd->fs.allow_write)
		scx_journal_replay(&nd->fs);
	err = load(nd);
	if (err) {
		scx_netdev_free(nd);
		/* a number out of range, a symlink loop, an oversized file: unreadable text */
		if (err != -ENOENT && err != -ENOTDIR && err != -EACCES && err != -ENOMEM) {
			scx_err("NIC IRQs: %s", strerror(-err));
			err = -EINVAL;
		}
		return scx_err_ptr(err);
	}
	return nd;
}

int scx_netdev_count(const struct scx_netdev *nd)
{
	return nd ? (int)nd->nr_devs : scx_errno(-EINVAL);
}

static struct nd_dev *get_dev(const struct scx_netdev *nd, unsigned int dev)
{
	if (!nd || dev >= nd->nr_devs) {
		errno = EINVAL;
		return NULL;
	}
	return &nd->devs[dev];
}

static struct nd_irq *get_irq(const struct scx_netdev *nd, unsigned int dev, unsigned int idx)
{
	struct nd_dev *d = get_dev(nd, dev);

	if (!d || idx >= d->nr_irqs) {
		errno = EINVAL;
		return NULL;
	}
	return &d->irqs[idx];
}

const char *scx_netdev_name(const struct scx_netdev *nd, unsigned int dev)
{
	struct nd_dev *d = get_dev(nd, dev);

	return d ? d->name : NULL;
}

int scx_netdev_numa_node(const struct scx_netdev *nd, unsigned int dev)
{
	struct nd_dev *d = get_dev(nd, dev);

	return d ? d->numa_node : scx_errno(-EINVAL);
}

int scx_netdev_nr_irqs(const struct scx_netdev *nd, unsigned int dev)
{
	struct nd_dev *d = get_dev(nd, dev);

	return d ? (int)d->nr_irqs : scx_errno(-EINVAL);
}

int scx_netdev_irq(const struct scx_netdev *nd, unsigned int dev, unsigned int idx)
{
	struct nd_irq *q = get_irq(nd, dev, idx);

	return q ? q->irq : scx_errno(-EINVAL);
}

const struct scx_cpumask *scx_netdev_irq_affinity(const struct scx_netdev *nd, unsigned int dev,
						  unsigned int idx)
{
	struct nd_irq *q = get_irq(nd, dev, idx);

	return q ? q->orig : NULL;
}

const struct scx_cpumask *scx_netdev_irq_hint(const struct scx_netdev *nd, unsigned int dev,
					      unsigned int idx)
{
	struct nd_irq *q = get_irq(nd, dev, idx);

	if (q && !q->hint)
		errno = ENOENT;
	return q ? q->hint : NULL;
}

struct scx_cpumask *scx_netdev_irq_mask(struct scx_netdev *nd, unsigned int dev,
					unsigned int idx)
{
	struct nd_irq *q = get_irq(nd, dev, idx);

	return q ? q->want : NULL;
}

static int write_affinity(struct scx_netdev *nd, struct nd_irq *q, const char *text)
{
	char path[IRQ_PATH_MAX];
	int err;

	snprintf(path, sizeof(path), "proc/irq/%d/smp_affinity", q->irq);
	err = scx_sysfs_write_priv(&nd->fs, ROOT_CAP, text, path);
	if (err == -EIO)
		scx_err("IRQ %d: the kernel manages its affinity (%s)", q->irq, strerror(EIO));
	else if (err == -EINVAL)
		scx_err("IRQ %d: the kernel refused mask %s", q->irq, text);
	return err;
}

int scx_netdev_apply(struct scx_netdev *nd)
{
	int first_err = 0, written = 0;
	unsigned int i, j;
	char *text;
	size_t sz;

	if (!nd)
		return scx_errno(-EINVAL);
	for (i = 0; i < nd->nr_devs; i++) {
		for (j = 0; j < nd->devs[i].nr_irqs; j++) {
			if (scx_cpumask_empty(nd->devs[i].irqs[j].want)) {
				scx_err("%s: IRQ %d: an empty affinity mask", nd->devs[i].name,
					nd->devs[i].irqs[j].irq);
				return scx_errno(-EINVAL);
			}
		}
	}
	if (scx_sysfs_write_refused(&nd->fs, "IRQ affinity"))
		return scx_errno(-EROFS);
	sz = nd->width / 4 + nd->width / 32 + 16;
	text = malloc(sz);
	if (!text)
		return scx_errno(-ENOMEM);
	for (i = 0; i < nd->nr_devs; i++) {
		for (j = 0; j < nd->devs[i].nr_irqs; j++) {
			struct nd_irq *q = &nd->devs[i].irqs[j];
			int err;

			if (scx_cpumask_equal(q->want, q->cur))
				continue;
			scx_cpumask_format_hex(q->want, text, sz);
			err = write_affinity(nd, q, text);
			if (err) {
				if (!first_err)
					first_err = err;
				continue;
			}
			scx_cpumask_assign(q->cur, q->want);
			q->changed = true;
			written++;
		}
	}
	free(text);
	return first_err ? scx_errno(first_err) : written;
}

int scx_netdev_restore(struct scx_netdev *nd)
{
	int first_err = 0, written = 0;
	unsigned int i, j;

	if (!nd)
		return scx_errno(-EINVAL);
	for (i = 0; i < nd->nr_devs; i++) {
		for (j = 0; j < nd->devs[i].nr_irqs; j++) {
			struct nd_irq *q = &nd->devs[i].irqs[j];
			int err;

			scx_cpumask_assign(q->want, q->orig);
			if (!q->changed)
				continue;
			if (scx_sysfs_write_refused(&nd->fs, "IRQ affinity"))
				return scx_errno(-EROFS);
			err = write_affinity(nd, q, q->orig_text);
			if (err) {
				if (!first_err)
					first_err = err;
				continue;
			}
			scx_cpumask_assign(q->cur, q->orig);
			q->changed = false;
			written++;
		}
	}
	return first_err ? scx_errno(first_err) : written;
}
