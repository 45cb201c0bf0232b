// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * CPU-mask operations side by side: libscx, hwloc's bitmap, libnuma's struct bitmask and a
 * plain loop over u64 words, on the same random masks in one process.
 *
 *   bench_cpumask [BITS [REPS]]      (defaults: 8192 bits, 15 repetitions)
 *
 * Each figure is the median over REPS repetitions of the mean time of one operation in a
 * batch of at least BATCH_NS.  Time is the thread's CPU time, so time spent preempted on a
 * busy machine does not count; the implementations take turns inside every repetition, so
 * what load remains (caches, frequency) hits them alike.
 *
 * libnuma has no call for and/or or for walking the set bits; its figures for those use the
 * calls it does have (numa_bitmask_isbitset, _setbit, _clearbit) bit by bit, as a program
 * written against libnuma has to.
 */
#include <hwloc.h>
#include <numa.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <scx/cpumask.h>

#define BATCH_NS 2000000.0
#define MAX_REPS 101

enum impl { LIBSCX, HWLOC, LIBNUMA, U64, NR_IMPLS };
enum op { OP_AND, OP_OR, OP_WEIGHT, OP_ITER, NR_OPS };

static const char *const op_names[NR_OPS] = { "and", "or", "weight", "iter" };

static unsigned int bits, nr_words;

/* The operands and a result, in each representation. */
static struct scx_cpumask *sa, *sb, *sd;
static hwloc_bitmap_t ha, hb, hd;
static struct bitmask *na, *nb, *nd;
static uint64_t *ua, *ub, *ud;

/* Results land here so that no work can be optimised away. */
static volatile uint64_t sink;

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dull;
}

/* Keep the compiler from hoisting or merging work across calls on @p. */
static inline void clobber(const void *p)
{
	__asm__ volatile("" : : "r"(p) : "memory");
}

/* ---------------------------------------------------------------------------------------- */
/* The plain loop: what a program would write by hand on a u64 array. */

__attribute__((noinline)) static void u64_and(uint64_t *d, const uint64_t *a, const uint64_t *b,
					     unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		d[i] = a[i] & b[i];
}

__attribute__((noinline)) static void u64_or(uint64_t *d, const uint64_t *a, const uint64_t *b,
					    unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		d[i] = a[i] | b[i];
}

/* Given POPCNT where the CPU has it, like libscx, so the baseline is the best plain loop. */
#if defined(__x86_64__) || defined(__i386__)
__attribute__((noinline, target("popcnt"))) static unsigned int
u64_weight_popcnt(const uint64_t *a, unsigned int n)
{
	unsigned int c = 0;

	for (unsigned int i = 0; i < n; i++)
		c += (unsigned int)__builtin_popcountll(a[i]);
	return c;
}
#endif

__attribute__((noinline)) static unsigned int u64_weight_plain(const uint64_t *a, unsigned int n)
{
	unsigned int c = 0;

	for (unsigned int i = 0; i < n; i++)
		c += (unsigned int)__builtin_popcountll(a[i]);
	return c;
}

static unsigned int u64_weight(const uint64_t *a, unsigned int n)
{
#if defined(__x86_64__) || defined(__i386__)
	if (__builtin_cpu_supports("popcnt"))
		return u64_weight_popcnt(a, n);
#endif
	return u64_weight_plain(a, n);
}

__attribute__((noinline)) static uint64_t u64_iter(const uint64_t *a, unsigned int n)
{
	uint64_t sum = 0;

	for (unsigned int i = 0; i < n; i++) {
		for (uint64_t w = a[i]; w; w &= w - 1)
			sum += i * 64 + (unsigned int)__builtin_ctzll(w);
	}
	return sum;
}

/* ---------------------------------------------------------------------------------------- */
/* libnuma, through its per-bit calls. */

static void numa_and(struct bitmask *d, struct bitmask *a, struct bitmask *b)
{
	for (unsigned int i = 0; i < bits; i++) {
		if (numa_bitmask_isbitset(a, i) && numa_bitmask_isbitset(b, i))
			numa_bitmask_setbit(d, i);
		else
			numa_bitmask_clearbit(d, i);
	}
}

static void numa_or(struct bitmask *d, struct bitmask *a, struct bitmask *b)
{
	for (unsigned int i = 0; i < bits; i++) {
		if (numa_bitmask_isbitset(a, i) || numa_bitmask_isbitset(b, i))
			numa_bitmask_setbit(d, i);
		else
			numa_bitmask_clearbit(d, i);
	}
}

static uint64_t numa_iter(struct bitmask *a)
{
	uint64_t sum = 0;

	for (unsigned int i = 0; i < bits; i++)
		if (numa_bitmask_isbitset(a, i))
			sum += i;
	return sum;
}

/* ---------------------------------------------------------------------------------------- */

static void run_once(enum impl impl, enum op op)
{
	uint64_t sum = 0;
	int cpu;

	switch (impl) {
	case LIBSCX:
		switch (op) {
		case OP_AND:
			scx_cpumask_and(sd, sa, sb);
			break;
		case OP_OR:
			scx_cpumask_or(sd, sa, sb);
			break;
		case OP_WEIGHT:
			sum = scx_cpumask_weight(sa);
			break;
		default:
			scx_cpumask_for_each(cpu, sa)
				sum += (unsigned int)cpu;
			break;
		}
		break;
	case HWLOC:
		switch (op) {
		case OP_AND:
			hwloc_bitmap_and(hd, ha, hb);
			break;
		case OP_OR:
			hwloc_bitmap_or(hd, ha, hb);
			break;
		case OP_WEIGHT:
			sum = (uint64_t)hwloc_bitmap_weight(ha);
			break;
		default:
			hwloc_bitmap_foreach_begin(cpu, ha)
				sum += (unsigned int)cpu;
			hwloc_bitmap_foreach_end();
			break;
		}
		break;
	case LIBNUMA:
		switch (op) {
		case OP_AND:
			numa_and(nd, na, nb);
			break;
		case OP_OR:
			numa_or(nd, na, nb);
			break;
		case OP_WEIGHT:
			sum = numa_bitmask_weight(na);
			break;
		default:
			sum = numa_iter(na);
			break;
		}
		break;
	default:
		switch (op) {
		case OP_AND:
			u64_and(ud, ua, ub, nr_words);
			break;
		case OP_OR:
			u64_or(ud, ua, ub, nr_words);
			break;
		case OP_WEIGHT:
			sum = u64_weight(ua, nr_words);
			break;
		default:
			sum = u64_iter(ua, nr_words);
			break;
		}
		break;
	}
	sink += sum;
	clobber(ud);
}

/* Mean ns of one operation over a batch of @n. */
static double time_batch(enum impl impl, enum op op, unsigned long n)
{
	double t0 = now_ns();

	for (unsigned long i = 0; i < n; i++)
		run_once(impl, op);
	return (now_ns() - t0) / (double)n;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Every implementation must compute the same answer, or the timings mean nothing. */
static int check_agreement(void)
{
	unsigned long w = scx_cpumask_weight(sa);
	uint64_t s_iter = 0;
	int cpu;

	scx_cpumask_for_each(cpu, sa)
		s_iter += (unsigned int)cpu;
	if (w != (unsigned long)hwloc_bitmap_weight(ha) || w != numa_bitmask_weight(na) ||
	    w != u64_weight(ua, nr_words) || s_iter != u64_iter(ua, nr_words) ||
	    s_iter != numa_iter(na))
		return -1;
	for (enum op op = OP_AND; op <= OP_OR; op++) {
		for (enum impl impl = LIBSCX; impl < NR_IMPLS; impl++)
			run_once(impl, op);
		for (unsigned int i = 0; i < bits; i++) {
			int want = (int)((ud[i / 64] >> (i % 64)) & 1);

			if (scx_cpumask_test(sd, i) != want || hwloc_bitmap_isset(hd, i) != want ||
			    numa_bitmask_isbitset(nd, i) != want)
				return -1;
		}
	}
	return 0;
}

static int setup(void)
{
	sa = scx_cpumask_new(bits);
	sb = scx_cpumask_new(bits);
	sd = scx_cpumask_new(bits);
	ha = hwloc_bitmap_alloc();
	hb = hwloc_bitmap_alloc();
	hd = hwloc_bitmap_alloc();
	na = numa_bitmask_alloc(bits);
	nb = numa_bitmask_alloc(bits);
	nd = numa_bitmask_alloc(bits);
	ua = calloc(nr_words, sizeof(*ua));
	ub = calloc(nr_words, sizeof(*ub));
	ud = calloc(nr_words, sizeof(*ud));
	if (!sa || !sb || !sd || !ha || !hb || !hd || !na || !nb || !nd || !ua || !ub || !ud)
		return -1;
	/* Half the ids set, at random. */
	for (unsigned int w = 0; w < nr_words; w++) {
		ua[w] = rnd();
		ub[w] = rnd();
	}
	if (bits % 64) {
		ua[nr_words - 1] &= (UINT64_C(1) << (bits % 64)) - 1;
		ub[nr_words - 1] &= (UINT64_C(1) << (bits % 64)) - 1;
	}
	if (scx_cpumask_from_u64s(sa, ua, nr_words) || scx_cpumask_from_u64s(sb, ub, nr_words))
		return -1;
	/* hwloc sizes its bitmaps to the highest id it has seen: give it all of them. */
	hwloc_bitmap_set_range(hd, 0, (int)bits - 1);
	for (unsigned int i = 0; i < bits; i++) {
		if ((ua[i / 64] >> (i % 64)) & 1) {
			hwloc_bitmap_set(ha, i);
			numa_bitmask_setbit(na, i);
		}
		if ((ub[i / 64] >> (i % 64)) & 1) {
			hwloc_bitmap_set(hb, i);
			numa_bitmask_setbit(nb, i);
		}
	}
	return check_agreement();
}

int main(int argc, char **argv)
{
	static const char *const impl_names[NR_IMPLS] = { "libscx", "hwloc", "libnuma",
							  "u64-loop" };
	double samples[NR_OPS][NR_IMPLS][MAX_REPS];
	unsigned long batch[NR_OPS][NR_IMPLS];
	unsigned int reps = 15;

	bits = argc > 1 ? (unsigned int)strtoul(argv[1], NULL, 0) : 8192;
	if (argc > 2)
		reps = (unsigned int)strtoul(argv[2], NULL, 0);
	if (!bits || bits > SCX_CPUMASK_MAX_WIDTH || !reps || reps > MAX_REPS) {
		fprintf(stderr, "usage: %s [BITS (1..%u) [REPS (1..%d)]]\n", argv[0],
			SCX_CPUMASK_MAX_WIDTH, MAX_REPS);
		return 2;
	}
	nr_words = (bits + 63) / 64;
	if (setup()) {
		fprintf(stderr, "%s: setup failed or the implementations disagree\n", argv[0]);
		return 1;
	}

	/* Batch sizes: double until one batch takes BATCH_NS (also the warm-up). */
	for (enum op op = 0; op < NR_OPS; op++) {
		for (enum impl impl = 0; impl < NR_IMPLS; impl++) {
			unsigned long n = 1;

			while (n < (1ul << 30) && time_batch(impl, op, n) * (double)n < BATCH_NS)
				n *= 2;
			batch[op][impl] = n;
		}
	}
	for (unsigned int r = 0; r < reps; r++)
		for (enum op op = 0; op < NR_OPS; op++)
			for (enum impl impl = 0; impl < NR_IMPLS; impl++)
				samples[op][impl][r] = time_batch(impl, op, batch[op][impl]);

	for (enum op op = 0; op < NR_OPS; op++) {
		printf("cpumask-%s %u:", op_names[op], bits);
		for (enum impl impl = 0; impl < NR_IMPLS; impl++) {
			qsort(samples[op][impl], reps, sizeof(double), cmp_double);
			printf("%s %s %.1f ns", impl ? "," : "", impl_names[impl],
			       samples[op][impl][reps / 2]);
		}
		printf("\n");
	}

	scx_cpumask_free(sa);
	scx_cpumask_free(sb);
	scx_cpumask_free(sd);
	hwloc_bitmap_free(ha);
	hwloc_bitmap_free(hb);
	hwloc_bitmap_free(hd);
	numa_bitmask_free(na);
	numa_bitmask_free(nb);
	numa_bitmask_free(nd);
	free(ua);
	free(ub);
	free(ud);
	return 0;
}
