// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * Perf event names, per-CPU counters and BPF perf-event arrays; see include/scx/perf.h.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <scx/perf.h>

#include "cpumask_internal.h"
#include "internal.h"
#include "sysfs.h"

#define MAX_EVENTS 64

struct named {
	const char *name;
	uint64_t config;
};

static const struct named hw_events[] = {
	{ "cycles", PERF_COUNT_HW_CPU_CYCLES },
	{ "cpu-cycles", PERF_COUNT_HW_CPU_CYCLES },
	{ "instructions", PERF_COUNT_HW_INSTRUCTIONS },
	{ "cache-references", PERF_COUNT_HW_CACHE_REFERENCES },
	{ "cache-misses", PERF_COUNT_HW_CACHE_MISSES },
	{ "branches", PERF_COUNT_HW_BRANCH_INSTRUCTIONS },
	{ "branch-instructions", PERF_COUNT_HW_BRANCH_INSTRUCTIONS },
	{ "branch-misses", PERF_COUNT_HW_BRANCH_MISSES },
	{ "bus-cycles", PERF_COUNT_HW_BUS_CYCLES },
	{ "stalled-cycles-frontend", PERF_COUNT_HW_STALLED_CYCLES_FRONTEND },
	{ "idle-cycles-frontend", PERF_COUNT_HW_STALLED_CYCLES_FRONTEND },
	{ "stalled-cycles-backend", PERF_COUNT_HW_STALLED_CYCLES_BACKEND },
	{ "idle-cycles-backend", PERF_COUNT_HW_STALLED_CYCLES_BACKEND },
	{ "ref-cycles", PERF_COUNT_HW_REF_CPU_CYCLES },
};

static const struct named sw_events[] = {
	{ "cpu-clock", PERF_COUNT_SW_CPU_CLOCK },
	{ "task-clock", PERF_COUNT_SW_TASK_CLOCK },
	{ "page-faults", PERF_COUNT_SW_PAGE_FAULTS },
	{ "faults", PERF_COUNT_SW_PAGE_FAULTS },
	{ "context-switches", PERF_COUNT_SW_CONTEXT_SWITCHES },
	{ "cs", PERF_COUNT_SW_CONTEXT_SWITCHES },
	{ "cpu-migrations", PERF_COUNT_SW_CPU_MIGRATIONS },
	{ "migrations", PERF_COUNT_SW_CPU_MIGRATIONS },
	{ "minor-faults", PERF_COUNT_SW_PAGE_FAULTS_MIN },
	{ "major-faults", PERF_COUNT_SW_PAGE_FAULTS_MAJ },
	{ "alignment-faults", PERF_COUNT_SW_ALIGNMENT_FAULTS },
	{ "emulation-faults", PERF_COUNT_SW_EMULATION_FAULTS },
	{ "dummy", PERF_COUNT_SW_DUMMY },
	{ "bpf-output", PERF_COUNT_SW_BPF_OUTPUT },
	{ "cgroup-switches", 11 /* PERF_COUNT_SW_CGROUP_SWITCHES, Linux 5.13 */ },
};

static const struct named hw_caches[] = {
	{ "L1-dcache", PERF_COUNT_HW_CACHE_L1D },
	{ "L1-icache", PERF_COUNT_HW_CACHE_L1I },
	{ "LLC", PERF_COUNT_HW_CACHE_LL },
	{ "dTLB", PERF_COUNT_HW_CACHE_DTLB },
	{ "iTLB", PERF_COUNT_HW_CACHE_ITLB },
	{ "branch", PERF_COUNT_HW_CACHE_BPU },
	{ "node", PERF_COUNT_HW_CACHE_NODE },
};

/* singular and plural of each operation */
static const struct named cache_ops[] = {
	{ "load", PERF_COUNT_HW_CACHE_OP_READ },
	{ "loads", PERF_COUNT_HW_CACHE_OP_READ },
	{ "store", PERF_COUNT_HW_CACHE_OP_WRITE },
	{ "stores", PERF_COUNT_HW_CACHE_OP_WRITE },
	{ "prefetch", PERF_COUNT_HW_CACHE_OP_PREFETCH },
	{ "prefetches", PERF_COUNT_HW_CACHE_OP_PREFETCH },
};

static const struct named cache_results[] = {
	{ "access", PERF_COUNT_HW_CACHE_RESULT_ACCESS },
	{ "accesses", PERF_COUNT_HW_CACHE_RESULT_ACCESS },
	{ "miss", PERF_COUNT_HW_CACHE_RESULT_MISS },
	{ "misses", PERF_COUNT_HW_CACHE_RESULT_MISS },
};

/*
 * The parser works on the caller's string in place, each part given as a pointer and a length,
 * so a name of any length is parsed without a copy and without a limit.
 */
static const struct named *find(const struct named *t, size_t n, const char *s, size_t len,
				bool nocase)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strlen(t[i].name) != len)
			continue;
		if (nocase ? !strncasecmp(t[i].name, s, len) : !strncmp(t[i].name, s, len))
			return &t[i];
	}
	return NULL;
}

/* "<cache>-<op>s", "<cache>-<op>-<result>" */
static int parse_cache(const char *name, size_t len, uint64_t *config)
{
	const struct named *cache = NULL, *op, *res = NULL;
	const char *rest, *dash;
	size_t i, clen = 0, rlen;

	for (i = 0; i < ARRAY_SIZE(hw_caches); i++) {
		clen = strlen(hw_caches[i].name);
		if (clen < len && !strncasecmp(name, hw_caches[i].name, clen) && name[clen] == '-') {
			cache = &hw_caches[i];
			break;
		}
	}
	if (!cache)
		return -EINVAL;
	rest = name + clen + 1;
	rlen = len - clen - 1;
	dash = memchr(rest, '-', rlen);
	if (dash) {
		res = find(cache_results, ARRAY_SIZE(cache_results), dash + 1,
			   rlen - (size_t)(dash + 1 - rest), true);
		if (!res)
			return -EINVAL;
		/* the singular operation goes with an explicit result: "load-misses" */
		op = find(cache_ops, ARRAY_SIZE(cache_ops), rest, (size_t)(dash - rest), true);
		if (!op || (op - cache_ops) % 2)
			return -EINVAL;
	} else {
		/* alone, the plural: "loads" counts accesses */
		op = find(cache_ops, ARRAY_SIZE(cache_ops), rest, rlen, true);
		if (!op || !((op - cache_ops) % 2))
			return -EINVAL;
	}
	*config = cache->config | (op->config << 8) |
		  ((res ? res->config : PERF_COUNT_HW_CACHE_RESULT_ACCESS) << 16);
	return 0;
}

/* @len hex digits at @hex, however many leading zeros; the value must fit in 64 bits */
static int parse_raw(const char *hex, size_t len, uint64_t *config)
{
	uint64_t v = 0;
	size_t i;
	int d;

	if (!len)
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (!isxdigit((unsigned char)hex[i]))
			return -EINVAL;
	for (i = 0; i < len; i++) {
		d = isdigit((unsigned char)hex[i]) ? hex[i] - '0' :
						     tolower((unsigned char)hex[i]) - 'a' + 10;
		if (v >> 60)
			return -ERANGE;
		v = v << 4 | (uint64_t)d;
	}
	*config = v;
	return 0;
}

static int parse_modifiers(const char *mods, struct perf_event_attr *attr)
{
	bool u = false, k = false, h = false;

	if (!*mods)
		return -EINVAL;
	for (; *mods; mods++) {
		switch (*mods) {
		case 'u': u = true; break;
		case 'k': k = true; break;
		case 'h': h = true; break;
		default: return -EINVAL;
		}
	}
	attr->exclude_user = !u;
	attr->exclude_kernel = !k;
	attr->exclude_hv = !h;
	return 0;
}

static int parse(const char *name, struct perf_event_attr *attr)
{
	const char *colon = strchr(name, ':');
	size_t len = colon ? (size_t)(colon - name) : strlen(name);
	const struct named *n;
	uint64_t config = 0;
	int err;

	if (colon) {
		err = parse_modifiers(colon + 1, attr);
		if (err)
			return err;
	}
	if ((n = find(hw_events, ARRAY_SIZE(hw_events), name, len, false))) {
		attr->type = PERF_TYPE_HARDWARE;
		attr->config = n->config;
		return 0;
	}
	if ((n = find(sw_events, ARRAY_SIZE(sw_events), name, len, false))) {
		attr->type = PERF_TYPE_SOFTWARE;
		attr->config = n->config;
		return 0;
	}
	/*
	 * The helpers write a local uint64_t, copied into attr->config after: config is a __u64
	 * (unsigned long long) and uint64_t is unsigned long on LP64, so a store through a
	 * uint64_t * cast of &attr->config breaks strict aliasing, and gcc 14 at -O2 drops it.
	 */
	if (len >= 1 && name[0] == 'r') {
		attr->type = PERF_TYPE_RAW;
		err = parse_raw(name + 1, len - 1, &config);
	} else if (len >= 2 && name[0] == '0' && (name[1] == 'x' || name[1] == 'X')) {
		attr->type = PERF_TYPE_RAW;
		err = parse_raw(name + 2, len - 2, &config);
	} else {
		attr->type = PERF_TYPE_HW_CACHE;
		err = parse_cache(name, len, &config);
	}
	if (!err)
		attr->config = config;
	return err;
}

int scx_perf_parse(const char *name, struct perf_event_attr *attr)
{
	struct perf_event_attr a;
	int err;

	if (!name || !attr)
		return scx_errno(-EINVAL);
	memset(&a, 0, sizeof(a));
	err = parse(name, &a);
	if (err)
		return scx_errno(err);
	/*
	 * The caller's struct perf_event_attr comes from the kernel headers it was built with,
	 * which may be older and smaller than the library's (136 bytes in Debian 12's, 144 in
	 * unstable's): sizeof(a) could write past its end.  Every member set here lies in the
	 * first version of the struct, so only those 64 bytes are written, and size says so.
	 */
	a.size = PERF_ATTR_SIZE_VER0;
	memcpy(attr, &a, PERF_ATTR_SIZE_VER0);
	return 0;
}

/* ---- counters --------------------------------------------------------------------------- */

struct scx_perf {
	unsigned int nr_events;
	unsigned int width;	/* CPU ids */
	unsigned int stride;	/* map keys: 0 for cpu * nr_events + idx, else cpu + idx * stride */
	int *fds;		/* [cpu * nr_events + idx], -1 where not opened */
};

void scx_perf_close(struct scx_perf *ev)
{
	size_t i;

	if (!ev)
		return;
	for (i = 0; i < (size_t)ev->width * ev->nr_events; i++)
		if (ev->fds[i] >= 0)
			close(ev->fds[i]);
	free(ev->fds);
	free(ev);
}

static int event_open(struct perf_event_attr *attr, int cpu)
{
	long fd;

	do {
		fd = syscall(__NR_perf_event_open, attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
	} while (fd < 0 && errno == EINTR);
	return fd < 0 ? -errno : (int)fd;
}

/* The CPUs to count on: the caller's, or the online ones; and the width of CPU ids. */
static struct scx_cpumask *target_cpus(const struct scx_perf_opts *opts, unsigned int *width)
{
	const struct scx_cpumask *given = SCX_OPTS_GET(opts, cpus, NULL);
	char buf[SCX_SYSFS_MAX_ATTR];
	struct scx_cpumask *m;
	struct scx_sysfs fs;
	int w, err;

	if (given) {
		if (scx_cpumask_empty(given)) {
			scx_warn("perf: the CPU mask to count on is empty");
			return scx_err_ptr(-EINVAL);
		}
		*width = scx_cpumask_width(given);
		return scx_cpumask_new_copy(given);
	}
	err = scx_sysfs_init(&fs, SCX_OPTS_GET(opts, sysfs_root, NULL));
	if (err)
		return scx_err_ptr(err);
	w = scx_cpu_width(&fs);
	err = scx_sysfs_read(&fs, buf, sizeof(buf), "sys/devices/system/cpu/online");
	scx_sysfs_fini(&fs);
	if (w < 0 || err < 0) {
		scx_err("cannot read the possible and online CPUs: %s",
			strerror(w < 0 ? -w : -err));
		return scx_err_ptr(w < 0 ? w : err);
	}
	m = scx_cpumask_new((unsigned int)w);
	if (!m)
		return NULL;
	if (scx_cpumask_parse_list(m, buf)) {
		scx_cpumask_free(m);
		return scx_err_ptr(-EINVAL);
	}
	*width = (unsigned int)w;
	return m;
}

static void explain_open_error(const char *name, int cpu, int err)
{
	if (err == -EACCES || err == -EPERM)
		scx_err("perf event %s on CPU %d: %s (needs CAP_PERFMON or "
			"kernel.perf_event_paranoid <= 0)", name, cpu, strerror(-err));
	else if (err == -ENOENT || err == -EOPNOTSUPP)
		scx_err("perf event %s on CPU %d: the kernel or the CPU does not have it (%s)",
			name, cpu, strerror(-err));
	else
		scx_err("perf event %s on CPU %d: %s", name, cpu, strerror(-err));
}

/*
 * A map stride must keep the blocks of the events apart (no CPU id reaches the next block) and
 * every key within the 32 bits of a map key.
 */
static int stride_check(unsigned int stride, unsigned int width, unsigned int nr_events)
{
	if (!stride)
		return 0;
	if (stride < width) {
		scx_err("perf map stride %u is below the %u CPU ids: events would share keys", stride,
			width);
		return -EINVAL;
	}
	if ((uint64_t)(nr_events - 1) * stride + width > UINT32_MAX) {
		scx_err("perf map stride %u x %u events passes 32-bit map keys", stride, nr_events);
		return -EINVAL;
	}
	return 0;
}

struct scx_perf *scx_perf_open(const char *const *names, unsigned int nr_events,
				      const struct scx_perf_opts *opts)
{
	struct perf_event_attr attrs[MAX_EVENTS];
	struct scx_perf *ev;
	struct scx_cpumask *cpus;
	unsigned int width = 0, i;
	int err, cpu;

	err = SCX_OPTS_VALID(opts, scx_perf_opts);
	if (err)
		return scx_err_ptr(err);
	if (!names || !nr_events || nr_events > MAX_EVENTS)
		return scx_err_ptr(-EINVAL);
	memset(attrs, 0, sizeof(attrs));
	for (i = 0; i < nr_events; i++) {
		err = scx_perf_parse(names[i], &attrs[i]);
		if (err) {
			scx_err("unknown perf event '%s'", names[i] ? names[i] : "(null)");
			return scx_err_ptr(err);
		}
		attrs[i].disabled = SCX_OPTS_GET(opts, start_disabled, false);
	}
	cpus = target_cpus(opts, &width);
	if (!cpus)
		return NULL;
	err = stride_check(SCX_OPTS_GET(opts, map_stride, 0), width, nr_events);
	if (err) {
		scx_cpumask_free(cpus);
		return scx_err_ptr(err);
	}
	ev = calloc(1, sizeof(*ev));
	if (ev)
		ev->fds = malloc((size_t)width * nr_events * sizeof(*ev->fds));
	if (!ev || !ev->fds) {
		free(ev);
		scx_cpumask_free(cpus);
		return scx_err_ptr(-ENOMEM);
	}
	ev->nr_events = nr_events;
	ev->width = width;
	ev->stride = SCX_OPTS_GET(opts, map_stride, 0);
	for (i = 0; i < width * nr_events; i++)
		ev->fds[i] = -1;
	scx_cpumask_for_each(cpu, cpus) {
		for (i = 0; i < nr_events; i++) {
			int fd = event_open(&attrs[i], cpu);

			if (fd < 0) {
				explain_open_error(names[i], cpu, fd);
				scx_cpumask_free(cpus);
				scx_perf_close(ev);
				return scx_err_ptr(fd);
			}
			ev->fds[(size_t)cpu * nr_events + i] = fd;
		}
	}
	scx_cpumask_free(cpus);
	return ev;
}

int scx_perf_nr_events(const struct scx_perf *ev)
{
	return ev ? (int)ev->nr_events : scx_errno(-EINVAL);
}

int scx_perf_fd(const struct scx_perf *ev, int cpu, unsigned int idx)
{
	int fd;

	if (!ev || cpu < 0 || idx >= ev->nr_events)
		return scx_errno(-EINVAL);
	if ((unsigned int)cpu >= ev->width)
		return scx_errno(-ENOENT);
	fd = ev->fds[(size_t)cpu * ev->nr_events + idx];
	return fd >= 0 ? fd : scx_errno(-ENOENT);
}

/* The map key of fds[@i] (the counter of event i % nr_events on CPU i / nr_events). */
static __u32 key_of(const struct scx_perf *ev, size_t i)
{
	if (!ev->stride)
		return (__u32)i;
	return (__u32)(i / ev->nr_events + (i % ev->nr_events) * ev->stride);
}

/* One more than the highest key of the layout (stride_check() kept it within 32 bits). */
static uint64_t keys_needed(const struct scx_perf *ev)
{
	if (!ev->stride)
		return (uint64_t)ev->width * ev->nr_events;
	return (uint64_t)(ev->nr_events - 1) * ev->stride + ev->width;
}

int scx_perf_install(const struct scx_perf *ev, int map_fd)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);
	int err, installed = 0;
	size_t i;

	if (!ev || map_fd < 0)
		return scx_errno(-EINVAL);
	memset(&info, 0, sizeof(info));
	err = bpf_map_get_info_by_fd(map_fd, &info, &len);
	if (err) {
		err = -errno;
		scx_err("cannot inspect BPF map fd %d: %s", map_fd, strerror(-err));
		return scx_errno(err);
	}
	if (info.type != BPF_MAP_TYPE_PERF_EVENT_ARRAY || info.key_size != 4 ||
	    info.value_size != 4) {
		scx_err("BPF map '%s' is not a perf-event array with 4-byte keys and values",
			info.name);
		return scx_errno(-EINVAL);
	}
	if ((uint64_t)info.max_entries < keys_needed(ev)) {
		scx_err("BPF map '%s' has %u entries; %u CPU ids x %u events need %llu", info.name,
			info.max_entries, ev->width, ev->nr_events,
			(unsigned long long)keys_needed(ev));
		return scx_errno(-E2BIG);
	}
	for (i = 0; i < (size_t)ev->width * ev->nr_events; i++) {
		__u32 key = key_of(ev, i);
		int fd = ev->fds[i];

		if (fd < 0)
			continue;
		if (bpf_map_update_elem(map_fd, &key, &fd, BPF_ANY)) {
			err = -errno;
			if (err == -EPERM || err == -EACCES)
				scx_err("cannot update BPF map '%s': %s (needs CAP_BPF or "
					"CAP_SYS_ADMIN)", info.name, strerror(-err));
			else
				scx_err("cannot install perf fd at key %u of BPF map '%s': %s", key,
					info.name, strerror(-err));
			return scx_errno(err);
		}
		installed++;
	}
	return installed;
}
