// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * Power-management knobs and their save/restore; see include/scx/pm.h.
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <scx/pm.h>

#include "internal.h"
#include "journal_internal.h"
#include "sysfs.h"

#define CPU_DIR "sys/devices/system/cpu"
#define UNCORE_DIR CPU_DIR "/intel_uncore_frequency"
#define NO_TURBO CPU_DIR "/intel_pstate/no_turbo"
#define BOOST CPU_DIR "/cpufreq/boost"
#define DMA_LATENCY "dev/cpu_dma_latency"
#define ROOT_CAP "CAP_DAC_OVERRIDE (root)"
#define PATH_LEN 256
/* A file name under an uncore folder ("max_freq_khz", "initial_min_freq_khz"). */
#define UNCORE_FILE_LEN 32
/* A number written to or read from one attribute, as text ("n/a", an int, a kHz value). */
#define NUM_TEXT_LEN 16
#define NUM_ATTR_LEN 64

struct scx_pm {
	struct scx_sysfs fs;
};

struct scx_pm_qos {
	int fd;
};

struct saved_entry {
	char *path;
	char *text;
};

struct scx_pm_snapshot {
	struct saved_entry *e;
	unsigned int nr, cap;
};

struct scx_pm *scx_pm_open(const struct scx_pm_opts *opts)
{
	struct scx_pm *pm;
	int err;

	err = SCX_OPTS_VALID(opts, scx_pm_opts);
	if (err)
		return scx_err_ptr(err);
	pm = calloc(1, sizeof(*pm));
	if (!pm)
		return scx_err_ptr(-ENOMEM);
	err = scx_sysfs_init(&pm->fs, SCX_OPTS_GET(opts, sysfs_root, NULL));
	if (err) {
		free(pm);
		return scx_err_ptr(err);
	}
	scx_sysfs_allow_fake_writes(&pm->fs, SCX_OPTS_GET(opts, allow_fake_root_writes, false));
	/* knobs a scheduler that is gone left changed are put back before anything is read */
	if (!pm->fs.fake || pm->fs.allow_write)
		scx_journal_replay(&pm->fs);
	return pm;
}

void scx_pm_close(struct scx_pm *pm)
{
	if (!pm)
		return;
	scx_sysfs_fini(&pm->fs);
	free(pm);
}

/* The EPP folder of @cpu: its cpufreq link, else the policy of the same number. */
static int epp_dir(struct scx_pm *pm, int cpu, char *out, size_t sz)
{
	if (cpu < 0)
		return -EINVAL;
	snprintf(out, sz, CPU_DIR "/cpu%d/cpufreq", cpu);
	if (scx_sysfs_exists(&pm->fs, "%s/energy_performance_preference", out))
		return 0;
	snprintf(out, sz, CPU_DIR "/cpufreq/policy%d", cpu);
	if (scx_sysfs_exists(&pm->fs, "%s/energy_performance_preference", out))
		return 0;
	return -ENOENT;
}

static bool have_uncore(struct scx_pm *pm)
{
	struct dirent *de;
	bool found = false;
	DIR *d;

	d = scx_sysfs_opendir(&pm->fs, UNCORE_DIR);
	if (!d)
		return false;
	while (!found && (de = readdir(d)))
		found = !strncmp(de->d_name, "package_", 8);
	closedir(d);
	return found;
}

bool scx_pm_supported(const struct scx_pm *cpm, enum scx_pm_feature feature)
{
	struct scx_pm *pm = (struct scx_pm *)cpm;	/* the sysfs layer counts its opens */
	char dir[PATH_LEN];

	if (!pm)
		return false;
	switch (feature) {
	case SCX_PM_QOS_LATENCY:
		return scx_sysfs_exists(&pm->fs, DMA_LATENCY);
	case SCX_PM_RESUME_LATENCY:
		return scx_sysfs_exists(&pm->fs, CPU_DIR "/cpu0/power/pm_qos_resume_latency_us");
	case SCX_PM_UNCORE:
		return have_uncore(pm);
	case SCX_PM_TURBO:
		return scx_sysfs_exists(&pm->fs, NO_TURBO) || scx_sysfs_exists(&pm->fs, BOOST);
	case SCX_PM_EPP:
		return !epp_dir(pm, 0, dir, sizeof(dir));
	case SCX_PM_CPUIDLE:
		return scx_sysfs_exists(&pm->fs, CPU_DIR "/cpu0/cpuidle/state0/disable");
	}
	return false;
}

/* ---- global PM QoS ---------------------------------------------------------------------- */

static int qos_write(int fd, int32_t latency_us)
{
	ssize_t n;

	/* a captured tree's stand-in is a regular file: keep it at one value */
	if (lseek(fd, 0, SEEK_SET) < 0 && errno != ESPIPE)
		return -errno;
	do {
		n = write(fd, &latency_us, sizeof(latency_us));
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return n == sizeof(latency_us) ? 0 : -EIO;
}

struct scx_pm_qos *scx_pm_qos_open(struct scx_pm *pm, int32_t latency_us)
{
	struct scx_pm_qos *q;
	int fd, err;

	if (!pm || latency_us < 0)
		return scx_err_ptr(-EINVAL);
	if (scx_sysfs_write_refused(&pm->fs, "the CPU latency request"))
		return scx_err_ptr(-EROFS);
	fd = scx_sysfs_open(&pm->fs, DMA_LATENCY, O_RDWR);
	if (fd < 0) {
		if (fd == -EACCES || fd == -EPERM)
			scx_err("cannot open /" DMA_LATENCY ": %s (needs " ROOT_CAP ")",
				strerror(-fd));
		return scx_err_ptr(fd);
	}
	err = qos_write(fd, latency_us);
	if (err) {
		scx_err("cannot request a CPU latency of %d us: %s", latency_us, strerror(-err));
		close(fd);
		return scx_err_ptr(err);
	}
	q = malloc(sizeof(*q));
	if (!q) {
		close(fd);
		return scx_err_ptr(-ENOMEM);
	}
	q->fd = fd;
	return q;
}

int scx_pm_qos_update(struct scx_pm_qos *q, int32_t latency_us)
{
	if (!q || latency_us < 0)
		return scx_errno(-EINVAL);
	return scx_errno(qos_write(q->fd, latency_us));
}

void scx_pm_qos_close(struct scx_pm_qos *q)
{
	if (!q)
		return;
	close(q->fd);
	free(q);
}

/* ---- per-CPU resume latency ------------------------------------------------------------- */

int scx_pm_resume_latency_get(struct scx_pm *pm, int cpu, int32_t *latency_us)
{
	char buf[NUM_ATTR_LEN];
	uint64_t v;
	int ret;

	if (!pm || cpu < 0 || !latency_us)
		return scx_errno(-EINVAL);
	ret = scx_sysfs_read(&pm->fs, buf, sizeof(buf),
			     CPU_DIR "/cpu%d/power/pm_qos_resume_latency_us", cpu);
	if (ret < 0)
		return scx_errno(ret == -EFBIG ? -EINVAL : ret);
	if (!strcmp(buf, "n/a")) {
		*latency_us = SCX_PM_RESUME_LATENCY_NONE;
		return 0;
	}
	if (scx_parse_u64(buf, &v) || v > INT32_MAX)
		return scx_errno(-EINVAL);
	*latency_us = (int32_t)v;
	return 0;
}

static int write_attr(struct scx_pm *pm, const char *path, const char *val)
{
	if (scx_sysfs_write_refused(&pm->fs, path))
		return -EROFS;
	if (!scx_sysfs_exists(&pm->fs, "%s", path))
		return -ENOENT;
	return scx_sysfs_write_priv(&pm->fs, ROOT_CAP, val, path);
}

int scx_pm_resume_latency_set(struct scx_pm *pm, int cpu, int32_t latency_us)
{
	char path[PATH_LEN], val[NUM_TEXT_LEN];

	if (!pm || cpu < 0 || latency_us < SCX_PM_RESUME_LATENCY_NONE)
		return scx_errno(-EINVAL);
	snprintf(path, sizeof(path), CPU_DIR "/cpu%d/power/pm_qos_resume_latency_us", cpu);
	if (latency_us == SCX_PM_RESUME_LATENCY_NONE)
		snprintf(val, sizeof(val), "n/a");
	else
		snprintf(val, sizeof(val), "%d", latency_us);
	return scx_errno(write_attr(pm, path, val));
}

/* ---- Intel uncore ----------------------------------------------------------------------- */

static int uncore_dir(unsigned int package, unsigned int die, char *out, size_t sz)
{
	int n = snprintf(out, sz, UNCORE_DIR "/package_%02u_die_%02u", package, die);

	return n < 0 || (size_t)n >= sz ? -EINVAL : 0;
}

static int read_u32(struct scx_pm *pm, uint32_t *out, const char *dir, const char *name)
{
	uint64_t v;
	int err = scx_sysfs_read_u64(&pm->fs, &v, "%s/%s", dir, name);

	if (err)
		return err;
	if (v > UINT32_MAX)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

int scx_pm_uncore_get(struct scx_pm *pm, unsigned int package, unsigned int die,
		      struct scx_pm_uncore *out)
{
	struct scx_pm_uncore u = { 0 };
	char dir[PATH_LEN];
	int err;

	if (!pm || !out || uncore_dir(package, die, dir, sizeof(dir)))
		return scx_errno(-EINVAL);
	if (!scx_sysfs_exists(&pm->fs, "%s", dir))
		return scx_errno(-ENOENT);
	err = read_u32(pm, &u.min_khz, dir, "min_freq_khz");
	if (!err)
		err = read_u32(pm, &u.max_khz, dir, "max_freq_khz");
	if (err)
		return scx_errno(err == -ENOENT ? -EINVAL : err);
	if (read_u32(pm, &u.initial_min_khz, dir, "initial_min_freq_khz"))
		u.initial_min_khz = 0;
	if (read_u32(pm, &u.initial_max_khz, dir, "initial_max_freq_khz"))
		u.initial_max_khz = 0;
	*out = u;
	return 0;
}

int scx_pm_uncore_set(struct scx_pm *pm, unsigned int package, unsigned int die,
		      uint32_t min_khz, uint32_t max_khz)
{
	char dir[PATH_LEN], path[PATH_LEN + UNCORE_FILE_LEN], val[NUM_TEXT_LEN];
	struct scx_pm_uncore cur;
	int err;

	if (!pm || (min_khz && max_khz && min_khz > max_khz))
		return scx_errno(-EINVAL);
	err = scx_pm_uncore_get(pm, package, die, &cur);
	if (err)
		return err;
	if (scx_sysfs_write_refused(&pm->fs, "uncore frequency limits"))
		return scx_errno(-EROFS);
	uncore_dir(package, die, dir, sizeof(dir));
	if (!max_khz && min_khz > cur.max_khz)
		return scx_errno(-EINVAL);
	if (!min_khz && max_khz && max_khz < cur.min_khz)
		return scx_errno(-EINVAL);
	/* the kernel keeps min <= max at every step: raise max first when min goes above it */
	if (max_khz && min_khz > cur.max_khz) {
		snprintf(path, sizeof(path), "%s/max_freq_khz", dir);
		snprintf(val, sizeof(val), "%u", max_khz);
		err = write_attr(pm, path, val);
		max_khz = 0;
	}
	if (!err && min_khz) {
		snprintf(path, sizeof(path), "%s/min_freq_khz", dir);
		snprintf(val, sizeof(val), "%u", min_khz);
		err = write_attr(pm, path, val);
	}
	if (!err && max_khz) {
		snprintf(path, sizeof(path), "%s/max_freq_khz", dir);
		snprintf(val, sizeof(val), "%u", max_khz);
		err = write_attr(pm, path, val);
	}
	return scx_errno(err);
}

/* ---- turbo ------------------------------------------------------------------------------ */

int scx_pm_turbo_get(struct scx_pm *pm)
{
	uint64_t v;
	int err;

	if (!pm)
		return scx_errno(-EINVAL);
	err = scx_sysfs_read_u64(&pm->fs, &v, NO_TURBO);
	if (!err)
		return v > 1 ? scx_errno(-EINVAL) : (int)!v;
	if (err != -ENOENT)
		return scx_errno(err);
	err = scx_sysfs_read_u64(&pm->fs, &v, BOOST);
	if (!err)
		return v > 1 ? scx_errno(-EINVAL) : (int)v;
	return scx_errno(err == -ENOENT ? -EOPNOTSUPP : err);
}

int scx_pm_turbo_set(struct scx_pm *pm, bool on)
{
	if (!pm)
		return scx_errno(-EINVAL);
	if (scx_sysfs_exists(&pm->fs, NO_TURBO))
		return scx_errno(write_attr(pm, NO_TURBO, on ? "0" : "1"));
	if (scx_sysfs_exists(&pm->fs, BOOST))
		return scx_errno(write_attr(pm, BOOST, on ? "1" : "0"));
	return scx_errno(-EOPNOTSUPP);
}

/* ---- EPP -------------------------------------------------------------------------------- */

static int epp_read(struct scx_pm *pm, int cpu, const char *file, char *buf,
		    size_t size)
{
	char dir[PATH_LEN], text[SCX_SYSFS_MAX_ATTR];
	int err, len;

	if (!pm || !buf || size < 2)
		return scx_errno(-EINVAL);
	err = epp_dir(pm, cpu, dir, sizeof(dir));
	if (err)
		return scx_errno(err);
	/* read whole, then hand over the text: its newline needs no room in @buf */
	len = scx_sysfs_read(&pm->fs, text, sizeof(text), "%s/%s", dir, file);
	if (len < 0)
		return scx_errno(len);
	if ((size_t)len >= size)
		return scx_errno(-EFBIG);
	memcpy(buf, text, (size_t)len + 1);
	return len;
}

int scx_pm_epp_get(struct scx_pm *pm, int cpu, char *buf, size_t size)
{
	return epp_read(pm, cpu, "energy_performance_preference", buf, size);
}

int scx_pm_epp_available(struct scx_pm *pm, int cpu, char *buf, size_t size)
{
	return epp_read(pm, cpu, "energy_performance_available_preferences", buf, size);
}

static bool epp_number(const char *s)
{
	uint64_t v;

	return isdigit((unsigned char)*s) && !scx_parse_u64(s, &v) && v <= 255;
}

static bool has_space(const char *s)
{
	for (; *s; s++)
		if (isspace((unsigned char)*s))
			return true;
	return false;
}

static bool word_in(const char *list, const char *word)
{
	size_t len = strlen(word);
	const char *p = list;

	while (*p) {
		while (isspace((unsigned char)*p))
			p++;
		if (!strncmp(p, word, len) && (!p[len] || isspace((unsigned char)p[len])))
			return true;
		while (*p && !isspace((unsigned char)*p))
			p++;
	}
	return false;
}

int scx_pm_epp_set(struct scx_pm *pm, int cpu, const char *pref)
{
	char dir[PATH_LEN], path[PATH_LEN + 64], avail[SCX_SYSFS_MAX_ATTR];
	int err;

	if (!pm || !pref || !*pref || has_space(pref))
		return scx_errno(-EINVAL);
	err = epp_dir(pm, cpu, dir, sizeof(dir));
	if (err)
		return scx_errno(err);
	if (!epp_number(pref)) {
		err = scx_sysfs_read(&pm->fs, avail, sizeof(avail),
				     "%s/energy_performance_available_preferences", dir);
		if (err < 0 || !word_in(avail, pref)) {
			scx_err("EPP '%s' is not one CPU %u accepts", pref, cpu);
			return scx_errno(-EINVAL);
		}
	}
	snprintf(path, sizeof(path), "%s/energy_performance_preference", dir);
	return scx_errno(write_attr(pm, path, pref));
}

/* ---- idle states ------------------------------------------------------------------------ */

static bool numbered(const char *name, const char *prefix, unsigned int *n)
{
	size_t len = strlen(prefix);
	unsigned long v;
	char *end;

	if (strncmp(name, prefix, len) || !isdigit((unsigned char)name[len]))
		return false;
	v = strtoul(name + len, &end, 10);
	*n = (unsigned int)v;
	return !*end && v < (1ul << 20);
}

/*
 * Call @fn for each idle state's disable file, CPU by CPU (@cpu < 0: every CPU folder, else
 * that CPU only); stops at the first negative return of @fn and returns it, else the number
 * of files seen.  -ENOENT when @cpu >= 0 has no cpuidle folder.
 */
static int each_cpuidle(struct scx_pm *pm, int cpu,
			int (*fn)(struct scx_pm *pm, const char *path, void *ctx), void *ctx)
{
	char dir[PATH_LEN], path[PATH_LEN * 2];
	struct dirent *de, *se;
	int seen = 0, ret = 0;
	unsigned int n;
	DIR *cpus = NULL, *states;

	if (cpu < 0) {
		cpus = scx_sysfs_opendir(&pm->fs, CPU_DIR);
		if (!cpus)
			return errno == ENOENT ? 0 : -errno;
	}
	while (ret >= 0) {
		if (cpus) {
			de = readdir(cpus);
			if (!de)
				break;
			if (!numbered(de->d_name, "cpu", &n) ||
			    snprintf(dir, sizeof(dir), CPU_DIR "/%s/cpuidle", de->d_name) >=
				    (int)sizeof(dir))
				continue;
		} else {
			snprintf(dir, sizeof(dir), CPU_DIR "/cpu%d/cpuidle", cpu);
		}
		states = scx_sysfs_opendir(&pm->fs, "%s", dir);
		if (!states && !cpus)
			ret = -errno;	/* the one CPU asked for has no cpuidle */
		if (!states && !cpus)
			break;
		if (!states)
			continue;	/* a CPU without cpuidle among others */
		while (ret >= 0 && (se = readdir(states))) {
			if (!numbered(se->d_name, "state", &n) ||
			    snprintf(path, sizeof(path), "%s/%s/disable", dir, se->d_name) >=
				    (int)sizeof(path))
				continue;
			ret = fn ? fn(pm, path, ctx) : 0;
			seen++;
		}
		closedir(states);
		if (!cpus)
			break;
	}
	if (cpus)
		closedir(cpus);
	return ret < 0 ? ret : seen;
}

static int cpuidle_dir(int cpu, int state, char *out, size_t sz)
{
	int n;

	if (cpu < 0 || state < 0)
		return -EINVAL;
	n = snprintf(out, sz, CPU_DIR "/cpu%d/cpuidle/state%d/disable", cpu, state);
	return n < 0 || (size_t)n >= sz ? -EINVAL : 0;
}

/* A disable flag's value: 0 or 1. */
static int read_flag(struct scx_pm *pm, const char *path)
{
	uint64_t v;
	int err = scx_sysfs_read_u64(&pm->fs, &v, "%s", path);

	if (err)
		return err;
	return v > 1 ? -EINVAL : (int)v;
}

int scx_pm_cpuidle_nr_states(struct scx_pm *pm, int cpu)
{
	if (!pm || cpu < 0)
		return scx_errno(-EINVAL);
	return scx_errno(each_cpuidle(pm, cpu, NULL, NULL));
}

int scx_pm_cpuidle_state_get(struct scx_pm *pm, int cpu, int state)
{
	char path[PATH_LEN];

	if (!pm || cpuidle_dir(cpu, state, path, sizeof(path)))
		return scx_errno(-EINVAL);
	return scx_errno(read_flag(pm, path));
}

int scx_pm_cpuidle_state_set(struct scx_pm *pm, int cpu, int state, bool disable)
{
	char path[PATH_LEN];

	if (!pm || cpuidle_dir(cpu, state, path, sizeof(path)))
		return scx_errno(-EINVAL);
	return scx_errno(write_attr(pm, path, disable ? "1" : "0"));
}

struct enable_all {
	int written, first_err;
};

static int enable_one(struct scx_pm *pm, const char *path, void *ctx)
{
	struct enable_all *ea = ctx;
	int v = read_flag(pm, path);

	if (v == 1)
		v = write_attr(pm, path, "0");
	else if (v == 0)
		return 0;
	if (!v)
		ea->written++;
	else if (!ea->first_err)
		ea->first_err = v;
	return 0;
}

int scx_pm_cpuidle_enable_all(struct scx_pm *pm)
{
	struct enable_all ea = { 0, 0 };
	int ret;

	if (!pm)
		return scx_errno(-EINVAL);
	ret = each_cpuidle(pm, -1, enable_one, &ea);
	if (ret < 0)
		return scx_errno(ret);
	return ea.first_err ? scx_errno(ea.first_err) : ea.written;
}

static int check_enabled(struct scx_pm *pm, const char *path, void *ctx)
{
	int v = read_flag(pm, path);

	(void)ctx;
	if (v < 0)
		return v;
	return v ? -ENOTEMPTY : 0;	/* one disabled: stop */
}

int scx_pm_cpuidle_all_enabled(struct scx_pm *pm)
{
	int ret;

	if (!pm)
		return scx_errno(-EINVAL);
	ret = each_cpuidle(pm, -1, check_enabled, NULL);
	if (ret == -ENOTEMPTY)
		return 0;
	return ret < 0 ? scx_errno(ret) : 1;
}

/* ---- save and restore ------------------------------------------------------------------- */

static int save_one(struct scx_pm *pm, struct scx_pm_snapshot *s, const char *path)
{
	char buf[SCX_SYSFS_MAX_ATTR];
	struct saved_entry *e;
	int ret;

	ret = scx_sysfs_read(&pm->fs, buf, sizeof(buf), "%s", path);
	if (ret == -ENOENT)
		return 0;
	if (ret < 0) {
		scx_err("cannot save %s: %s", path, strerror(-ret));
		return ret;
	}
	if (s->nr == s->cap) {
		unsigned int cap = s->cap ? s->cap * 2 : 16;

		e = realloc(s->e, cap * sizeof(*e));
		if (!e)
			return -ENOMEM;
		s->e = e;
		s->cap = cap;
	}
	e = &s->e[s->nr];
	e->path = strdup(path);
	e->text = strdup(buf);
	if (!e->path || !e->text) {
		free(e->path);
		free(e->text);
		return -ENOMEM;
	}
	s->nr++;
	return 0;
}

/* Save one file in each subfolder of @dir whose name starts with @prefix. */
static int save_each(struct scx_pm *pm, struct scx_pm_snapshot *s, const char *dir,
		     const char *prefix, const char *file)
{
	char path[PATH_LEN * 2];
	struct dirent *de;
	int err = 0;
	DIR *d;

	d = scx_sysfs_opendir(&pm->fs, "%s", dir);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while (!err && (de = readdir(d))) {
		unsigned int cpu;

		if (strncmp(de->d_name, prefix, strlen(prefix)))
			continue;
		if (!strcmp(prefix, "cpu") && !numbered(de->d_name, "cpu", &cpu))
			continue;
		if (snprintf(path, sizeof(path), "%s/%s/%s", dir, de->d_name, file) >=
		    (int)sizeof(path))
			continue;
		err = save_one(pm, s, path);
	}
	closedir(d);
	return err;
}

static int save_cpuidle(struct scx_pm *pm, const char *path, void *ctx)
{
	return save_one(pm, ctx, path);
}

struct scx_pm_snapshot *scx_pm_snapshot_load(struct scx_pm *pm, unsigned int features)
{
	struct scx_pm_snapshot *s;
	int err = 0;

	if (!pm || (features & ~(SCX_PM_SNAPSHOT_ALL | SCX_PM_BIT(SCX_PM_QOS_LATENCY))))
		return scx_err_ptr(-EINVAL);
	s = calloc(1, sizeof(*s));
	if (!s)
		return scx_err_ptr(-ENOMEM);
	if (features & SCX_PM_BIT(SCX_PM_RESUME_LATENCY))
		err = save_each(pm, s, CPU_DIR, "cpu", "power/pm_qos_resume_latency_us");
	/* uncore: max before min (see scx_pm_restore()) */
	if (!err && (features & SCX_PM_BIT(SCX_PM_UNCORE)))
		err = save_each(pm, s, UNCORE_DIR, "package_", "max_freq_khz");
	if (!err && (features & SCX_PM_BIT(SCX_PM_UNCORE)))
		err = save_each(pm, s, UNCORE_DIR, "package_", "min_freq_khz");
	if (!err && (features & SCX_PM_BIT(SCX_PM_TURBO))) {
		err = save_one(pm, s, NO_TURBO);
		if (!err)
			err = save_one(pm, s, BOOST);
	}
	if (!err && (features & SCX_PM_BIT(SCX_PM_EPP)))
		err = save_each(pm, s, CPU_DIR "/cpufreq", "policy",
				"energy_performance_preference");
	if (!err && (features & SCX_PM_BIT(SCX_PM_CPUIDLE))) {
		err = each_cpuidle(pm, -1, save_cpuidle, s);
		err = err < 0 ? err : 0;
	}
	if (err) {
		scx_pm_snapshot_free(s);
		return scx_err_ptr(err);
	}
	return s;
}

static bool is_uncore_max(const char *path)
{
	static const char file[] = "/max_freq_khz";
	size_t lp = strlen(path), lf = strlen(file);

	return !strncmp(path, UNCORE_DIR "/", strlen(UNCORE_DIR) + 1) && lp > lf &&
	       !strcmp(path + lp - lf, file);
}

int scx_pm_restore(struct scx_pm *pm, const struct scx_pm_snapshot *s)
{
	int first_err = 0, written = 0, *err;
	unsigned int i;

	if (!pm || !s)
		return scx_errno(-EINVAL);
	if (s->nr && scx_sysfs_write_refused(&pm->fs, "saved power settings"))
		return scx_errno(-EROFS);
	err = calloc(s->nr ? s->nr : 1, sizeof(*err));
	if (!err)
		return scx_errno(-ENOMEM);
	for (i = 0; i < s->nr; i++)
		err[i] = scx_sysfs_write_priv(&pm->fs, ROOT_CAP, s->e[i].text, s->e[i].path);
	/*
	 * Uncore max limits are saved before min limits, so raising both works in order; lowering
	 * a max below the current min fails until that min is back: write such a max again.
	 */
	for (i = 0; i < s->nr; i++)
		if (err[i] == -EINVAL && is_uncore_max(s->e[i].path))
			err[i] = scx_sysfs_write_priv(&pm->fs, ROOT_CAP, s->e[i].text, s->e[i].path);
	for (i = 0; i < s->nr; i++) {
		if (!err[i])
			written++;
		else if (!first_err)
			first_err = err[i];
	}
	free(err);
	return first_err ? scx_errno(first_err) : written;
}

void scx_pm_snapshot_free(struct scx_pm_snapshot *s)
{
	unsigned int i;

	if (!s)
		return;
	for (i = 0; i < s->nr; i++) {
		free(s->e[i].path);
		free(s->e[i].text);
	}
	free(s->e);
	free(s);
}
