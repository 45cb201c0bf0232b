// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * The kernel's energy model from debugfs; see include/scx/em.h.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <scx/em.h>

#include "cpumask_internal.h"
#include "internal.h"
#include "mounts.h"
#include "sysfs.h"

#define EM_PATH_MAX 1024
/* The kernel's capacity scale (SCHED_CAPACITY_SCALE): no performance or capacity is above it. */
#define EM_CAPACITY_SCALE 1024u
/* The highest frequency taken, in kHz (4.3 THz): capacity * frequency then fits in 64 bits. */
#define EM_MAX_FREQ_KHZ UINT32_MAX
#define EM_DEFAULT_DIR "sys/kernel/debug/energy_model"

struct em_domain {
	char *name;
	char *cpus_text;
	struct scx_cpumask *cpus;
	int first_cpu;
	struct scx_em_pstate *ps;
	unsigned int nr_ps;
	int group;
	bool derive_perf;	/* no performance files: derive from frequency */
};

struct scx_em {
	struct em_domain *doms;
	unsigned int nr_doms;
	int *cpu_dom;		/* CPU id -> domain index, -1 for none */
	unsigned int width;
	unsigned int nr_groups;
	uint64_t total_perf;
};

struct em_dir_search {
	struct scx_sysfs *fs;
	char *out;
	size_t sz;
};

static int em_dir_under(const char *mnt, void *ctx)
{
	struct em_dir_search *q = ctx;

	snprintf(q->out, q->sz, "%s%senergy_model", mnt, *mnt ? "/" : "");
	return scx_sysfs_exists(q->fs, "%s", q->out);
}

/* The energy_model folder: under a debugfs mount point of proc/mounts, else the usual place. */
static int find_em_dir(struct scx_sysfs *fs, char *out, size_t sz)
{
	struct em_dir_search q = { fs, out, sz };

	if (scx_mounts_each(fs, "debugfs", em_dir_under, &q) <= 0)
		snprintf(out, sz, "%s", EM_DEFAULT_DIR);
	return scx_sysfs_exists(fs, "%s", out) ? 0 : -ENOENT;
}

static int cmp_pstate(const void *a, const void *b)
{
	const struct scx_em_pstate *x = a, *y = b;

	if (x->performance != y->performance)
		return x->performance < y->performance ? -1 : 1;
	if (x->frequency != y->frequency)
		return x->frequency < y->frequency ? -1 : 1;
	return 0;
}

static int read_pstate(struct scx_sysfs *fs, const char *dir, struct scx_em_pstate *ps,
		       bool *have_perf)
{
	uint64_t ineff = 0;
	int err;

	err = scx_sysfs_read_u64(fs, &ps->frequency, "%s/frequency", dir);
	if (!err)
		err = scx_sysfs_read_u64(fs, &ps->power, "%s/power", dir);
	if (!err)
		err = scx_sysfs_read_u64(fs, &ps->cost, "%s/cost", dir);
	if (err) {
		scx_err("energy model: cannot read %s: %s", dir, strerror(-err));
		return err == -ENOENT ? -EINVAL : err;
	}
	if (ps->frequency > EM_MAX_FREQ_KHZ) {
		err = -EINVAL;
		goto bad;
	}
	err = scx_sysfs_read_u64(fs, &ps->performance, "%s/performance", dir);
	*have_perf = !err;
	if (err && err != -ENOENT)
		goto bad;
	if (!err && ps->performance > EM_CAPACITY_SCALE) {
		err = -EINVAL;
		goto bad;
	}
	err = scx_sysfs_read_u64(fs, &ineff, "%s/inefficient", dir);
	if (err && err != -ENOENT)
		goto bad;
	if (ineff > 1) {
		err = -EINVAL;
		goto bad;
	}
	ps->inefficient = ineff;
	return 0;
bad:
	scx_err("energy model: bad state under %s: %s", dir, strerror(-err));
	return err;
}

static int read_pstates(struct scx_sysfs *fs, const char *dir, struct em_domain *d)
{
	char path[EM_PATH_MAX];
	unsigned int cap = 0;
	bool all_perf = true;
	struct dirent *de;
	int err = 0;
	DIR *dh;

	dh = scx_sysfs_opendir(fs, "%s", dir);
	if (!dh)
		return -errno;
	while ((de = readdir(dh))) {
		bool have_perf;

		if (strncmp(de->d_name, "ps:", 3))
			continue;
		if (d->nr_ps == cap) {
			struct scx_em_pstate *n;

			cap = cap ? cap * 2 : 8;
			n = realloc(d->ps, cap * sizeof(*n));
			if (!n) {
				err = -ENOMEM;
				break;
			}
			d->ps = n;
		}
		if (snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >= (int)sizeof(path)) {
			err = -ENAMETOOLONG;
			break;
		}
		memset(&d->ps[d->nr_ps], 0, sizeof(d->ps[0]));
		err = read_pstate(fs, path, &d->ps[d->nr_ps], &have_perf);
		if (err)
			break;
		all_perf &= have_perf;
		d->nr_ps++;
	}
	closedir(dh);
	if (err)
		return err;
	if (!d->nr_ps) {
		scx_err("energy model: domain %s has no performance states", dir);
		return -EINVAL;
	}
	if (!all_perf)
		return 1;	/* performance to be derived from frequency */
	return 0;
}

/*
 * Kernels before 6.5 list no performance: capacity scaled by frequency, as the kernel does.
 * Both factors are bounded (capacity by the scale, frequency when read), so the product fits.
 */
static int derive_performance(struct scx_sysfs *fs, struct em_domain *d)
{
	uint64_t cap = EM_CAPACITY_SCALE, fmax = 0;
	unsigned int i;
	int err;

	err = scx_sysfs_read_u64(fs, &cap, "sys/devices/system/cpu/cpu%d/cpu_capacity",
				 d->first_cpu);
	if (err == -ENOENT || (!err && !cap))
		cap = EM_CAPACITY_SCALE;
	else if (err || cap > EM_CAPACITY_SCALE) {
		scx_err("energy model: cpu%d's cpu_capacity is not a capacity (0 .. %u)",
			d->first_cpu, EM_CAPACITY_SCALE);
		return -EINVAL;
	}
	for (i = 0; i < d->nr_ps; i++)
		if (d->ps[i].frequency > fmax)
			fmax = d->ps[i].frequency;
	for (i = 0; i < d->nr_ps; i++)
		d->ps[i].performance = fmax ? cap * d->ps[i].frequency / fmax : 0;
	return 0;
}

static void free_domains(struct scx_em *em)
{
	unsigned int i;

	for (i = 0; i < em->nr_doms; i++) {
		free(em->doms[i].name);
		free(em->doms[i].cpus_text);
		scx_cpumask_free(em->doms[i].cpus);
		free(em->doms[i].ps);
	}
	free(em->doms);
	em->doms = NULL;
	em->nr_doms = 0;
}

void scx_em_free(struct scx_em *em)
{
	if (!em)
		return;
	free_domains(em);
	free(em->cpu_dom);
	free(em);
}

/* Read every domain folder holding a "cpus" file: names, CPU text and states. */
static int read_domains(struct scx_sysfs *fs, const char *emdir, struct scx_em *em)
{
	char path[EM_PATH_MAX], cpus[SCX_SYSFS_MAX_ATTR];
	unsigned int cap = 0;
	struct dirent *de;
	int err = 0;
	DIR *dh;

	dh = scx_sysfs_opendir(fs, "%s", emdir);
	if (!dh)
		return -errno;
	while ((de = readdir(dh))) {
		struct em_domain *d;
		int ret;

		if (de->d_name[0] == '.')
			continue;
		ret = scx_sysfs_read(fs, cpus, sizeof(cpus), "%s/%s/cpus", emdir, de->d_name);
		if (ret == -ENOENT || ret == -ENOTDIR)
			continue;	/* not a CPU domain */
		if (ret < 0) {
			err = ret;
			break;
		}
		if (em->nr_doms == cap) {
			struct em_domain *n;

			cap = cap ? cap * 2 : 8;
			n = realloc(em->doms, cap * sizeof(*n));
			if (!n) {
				err = -ENOMEM;
				break;
			}
			em->doms = n;
		}
		d = &em->doms[em->nr_doms++];
		memset(d, 0, sizeof(*d));
		d->name = strdup(de->d_name);
		d->cpus_text = strdup(cpus);
		if (!d->name || !d->cpus_text) {
			err = -ENOMEM;
			break;
		}
		if (snprintf(path, sizeof(path), "%s/%s", emdir, de->d_name) >= (int)sizeof(path)) {
			err = -ENAMETOOLONG;
			break;
		}
		ret = read_pstates(fs, path, d);
		if (ret < 0) {
			err = ret;
			break;
		}
		d->derive_perf = ret > 0;
		if (em->nr_doms >= 1u << 20) {
			err = -E2BIG;
			break;
		}
	}
	closedir(dh);
	return err;
}

static int cmp_domain(const void *a, const void *b)
{
	const struct em_domain *x = a, *y = b;

	return (x->first_cpu > y->first_cpu) - (x->first_cpu < y->first_cpu);
}

static uint64_t hash_table(const struct em_domain *d)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */
	unsigned int i;

#define MIX(v)                                                                                     \
	do {                                                                                       \
		h ^= (uint64_t)(v);                                                                \
		h *= 1099511628211ULL;                                                             \
	} while (0)
	MIX(d->nr_ps);
	for (i = 0; i < d->nr_ps; i++) {
		MIX(d->ps[i].frequency);
		MIX(d->ps[i].power);
		MIX(d->ps[i].cost);
		MIX(d->ps[i].performance);
		MIX(d->ps[i].inefficient);
	}
#undef MIX
	return h;
}

static bool same_table(const struct em_domain *a, const struct em_domain *b)
{
	unsigned int i;

	if (a->nr_ps != b->nr_ps)
		return false;
	for (i = 0; i < a->nr_ps; i++) {
		const struct scx_em_pstate *x = &a->ps[i], *y = &b->ps[i];

		if (x->frequency != y->frequency || x->power != y->power || x->cost != y->cost ||
		    x->performance != y->performance || x->inefficient != y->inefficient)
			return false;
	}
	return true;
}

/* Group domains with identical tables: one hash-table pass, linear in the model's size. */
static int group_domains(struct scx_em *em)
{
	size_t nslots = 16, i;
	int *slot;	/* domain index of each group's first domain, -1 for empty */
	uint64_t *hash;

	while (nslots < 2 * (size_t)em->nr_doms)
		nslots *= 2;
	slot = malloc(nslots * sizeof(*slot));
	hash = malloc(nslots * sizeof(*hash));
	if (!slot || !hash) {
		free(slot);
		free(hash);
		return -ENOMEM;
	}
	for (i = 0; i < nslots; i++)
		slot[i] = -1;
	em->nr_groups = 0;
	for (i = 0; i < em->nr_doms; i++) {
		struct em_domain *d = &em->doms[i];
		uint64_t h = hash_table(d);
		size_t s = h & (nslots - 1);

		while (slot[s] >= 0 && !(hash[s] == h && same_table(&em->doms[slot[s]], d)))
			s = (s + 1) & (nslots - 1);
		if (slot[s] < 0) {
			slot[s] = (int)i;
			hash[s] = h;
			d->group = (int)em->nr_groups++;
		} else {
			d->group = em->doms[slot[s]].group;
		}
	}
	free(slot);
	free(hash);
	return 0;
}

/* Parse each domain's CPUs at the system's width and map CPUs to domains. */
static int build_cpus(struct scx_sysfs *fs, struct scx_em *em)
{
	int width = scx_cpu_width(fs), cpu;
	unsigned int i;

	for (i = 0; i < em->nr_doms; i++) {
		int max = scx_cpulist_max(em->doms[i].cpus_text);

		if (max < 0) {
			scx_err("energy model: domain %s: bad cpus '%s'", em->doms[i].name,
				em->doms[i].cpus_text);
			return -EINVAL;
		}
		if (width <= max)
			width = max + 1;
	}
	em->width = (unsigned int)width;
	em->cpu_dom = malloc(em->width * sizeof(*em->cpu_dom));
	if (!em->cpu_dom)
		return -ENOMEM;
	for (cpu = 0; cpu < width; cpu++)
		em->cpu_dom[cpu] = -1;
	for (i = 0; i < em->nr_doms; i++) {
		struct em_domain *d = &em->doms[i];

		d->cpus = scx_cpumask_new(em->width);
		if (!d->cpus)
			return -errno;
		if (scx_cpumask_parse_list(d->cpus, d->cpus_text) || scx_cpumask_empty(d->cpus)) {
			scx_err("energy model: domain %s: bad cpus '%s'", d->name, d->cpus_text);
			return -EINVAL;
		}
		d->first_cpu = scx_cpumask_first(d->cpus);
	}
	qsort(em->doms, em->nr_doms, sizeof(*em->doms), cmp_domain);
	for (i = 0; i < em->nr_doms; i++) {
		scx_cpumask_for_each(cpu, em->doms[i].cpus) {
			if (em->cpu_dom[cpu] >= 0) {
				scx_err("energy model: CPU %d is in domains %s and %s", cpu,
					em->doms[em->cpu_dom[cpu]].name, em->doms[i].name);
				return -EINVAL;
			}
			em->cpu_dom[cpu] = (int)i;
		}
	}
	return 0;
}

static int load(struct scx_sysfs *fs, const char *emdir, struct scx_em *em)
{
	unsigned int i;
	int err;

	err = read_domains(fs, emdir, em);
	if (!err && !em->nr_doms) {
		scx_err("energy model: %s holds no CPU performance domain", emdir);
		err = -ENODATA;
	}
	if (!err)
		err = build_cpus(fs, em);
	if (err)
		return err;
	for (i = 0; i < em->nr_doms; i++) {
		struct em_domain *d = &em->doms[i];

		if (d->derive_perf) {
			err = derive_performance(fs, d);
			if (err)
				return err;
		}
		qsort(d->ps, d->nr_ps, sizeof(*d->ps), cmp_pstate);
		em->total_perf += d->ps[d->nr_ps - 1].performance * scx_cpumask_weight(d->cpus);
	}
	return group_domains(em);
}

struct scx_em *scx_em_load(const struct scx_em_opts *opts)
{
	const char *given;
	char emdir[EM_PATH_MAX];
	struct scx_sysfs fs;
	struct scx_em *em;
	int err;

	err = SCX_OPTS_VALID(opts, scx_em_opts);
	if (err)
		return scx_err_ptr(err);
	err = scx_sysfs_init(&fs, SCX_OPTS_GET(opts, sysfs_root, NULL));
	if (err)
		return scx_err_ptr(err);
	given = SCX_OPTS_GET(opts, em_dir, NULL);
	if (given) {
		snprintf(emdir, sizeof(emdir), "%s", given);
		err = scx_sysfs_exists(&fs, "%s", emdir) ? 0 : -ENOENT;
	} else {
		err = find_em_dir(&fs, emdir, sizeof(emdir));
	}
	if (err) {
		scx_dbg("no energy model under '%s' (%s)", fs.root, emdir);
		scx_sysfs_fini(&fs);
		return scx_err_ptr(err);
	}
	em = calloc(1, sizeof(*em));
	if (!em) {
		scx_sysfs_fini(&fs);
		return scx_err_ptr(-ENOMEM);
	}
	err = load(&fs, emdir, em);
	scx_sysfs_fini(&fs);
	if (err) {
		scx_em_free(em);
		/* a number out of range, a symlink loop, an oversized file: a malformed model */
		if (err != -ENOENT && err != -ENODATA && err != -EACCES && err != -ENOMEM) {
			scx_err("energy model under '%s': %s", emdir, strerror(-err));
			err = -EINVAL;
		}
		return scx_err_ptr(err);
	}
	return em;
}

int scx_em_nr_domains(const struct scx_em *em)
{
	return em ? (int)em->nr_doms : scx_errno(-EINVAL);
}

static const struct em_domain *domain(const struct scx_em *em, unsigned int dom)
{
	if (!em || dom >= em->nr_doms) {
		errno = EINVAL;
		return NULL;
	}
	return &em->doms[dom];
}

const char *scx_em_domain_name(const struct scx_em *em, unsigned int dom)
{
	const struct em_domain *d = domain(em, dom);

	return d ? d->name : NULL;
}

const struct scx_cpumask *scx_em_domain_cpus(const struct scx_em *em, unsigned int dom)
{
	const struct em_domain *d = domain(em, dom);

	return d ? d->cpus : NULL;
}

int scx_em_domain_of_cpu(const struct scx_em *em, int cpu)
{
	if (!em || cpu < 0)
		return scx_errno(-EINVAL);
	if ((unsigned int)cpu >= em->width || em->cpu_dom[cpu] < 0)
		return scx_errno(-ENOENT);
	return em->cpu_dom[cpu];
}

int scx_em_domain_nr_pstates(const struct scx_em *em, unsigned int dom)
{
	const struct em_domain *d = domain(em, dom);

	return d ? (int)d->nr_ps : scx_errno(-EINVAL);
}

int scx_em_domain_pstate(const struct scx_em *em, unsigned int dom, unsigned int idx,
			 struct scx_em_pstate *out)
{
	const struct em_domain *d = domain(em, dom);

	if (!d || !out || idx >= d->nr_ps)
		return scx_errno(-EINVAL);
	*out = d->ps[idx];
	return 0;
}

int scx_em_pstate_for_util(const struct scx_em *em, unsigned int dom, uint64_t util)
{
	const struct em_domain *d = domain(em, dom);
	unsigned int lo = 0, hi;

	if (!d)
		return scx_errno(-EINVAL);
	/* states are sorted by performance: binary search for the first one >= util */
	hi = d->nr_ps - 1;
	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (d->ps[mid].performance >= util)
			hi = mid;
		else
			lo = mid + 1;
	}
	return (int)lo;
}

uint64_t scx_em_total_performance(const struct scx_em *em)
{
	return em ? em->total_perf : 0;
}

int scx_em_nr_groups(const struct scx_em *em)
{
	return em ? (int)em->nr_groups : scx_errno(-EINVAL);
}

int scx_em_domain_group(const struct scx_em *em, unsigned int dom)
{
	const struct em_domain *d = domain(em, dom);

	return d ? d->group : scx_errno(-EINVAL);
}
