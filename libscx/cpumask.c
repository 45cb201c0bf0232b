// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * CPU masks: a width and ceil(width / 64) u64 words in one allocation.  Bits at or beyond the
 * width are always clear, so whole-word operations never need to look at the width again.
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <scx/cpumask.h>

#include "cpumask_internal.h"
#include "internal.h"
#include "sysfs.h"
#include "textout.h"

struct scx_cpumask {
	unsigned int width;
	unsigned int nr_words;
	uint64_t words[];
};

#define WORD_BITS 64u

/* Parsers build their result here first; small masks stay on the stack. */
#define SCRATCH_STACK_WORDS 128u

static inline unsigned int words_for(unsigned int width)
{
	return (width + WORD_BITS - 1) / WORD_BITS;
}

/* The bits of the last word that are below the width. */
static inline uint64_t tail_mask(unsigned int width)
{
	unsigned int rem = width % WORD_BITS;

	return rem ? (UINT64_C(1) << rem) - 1 : ~UINT64_C(0);
}

static struct scx_cpumask *mask_alloc(unsigned int width)
{
	unsigned int nr = words_for(width);
	struct scx_cpumask *mask;

	mask = calloc(1, sizeof(*mask) + (size_t)nr * sizeof(uint64_t));
	if (!mask)
		return NULL;
	mask->width = width;
	mask->nr_words = nr;
	return mask;
}

struct scx_cpumask *scx_cpumask_new(unsigned int width)
{
	struct scx_cpumask *mask;

	if (!width || width > SCX_CPUMASK_MAX_WIDTH)
		return scx_err_ptr(-EINVAL);
	mask = mask_alloc(width);
	return mask ? mask : scx_err_ptr(-ENOMEM);
}

struct scx_cpumask *scx_cpumask_new_copy(const struct scx_cpumask *src)
{
	struct scx_cpumask *mask;

	if (!src)
		return scx_err_ptr(-EINVAL);
	mask = mask_alloc(src->width);
	if (!mask)
		return scx_err_ptr(-ENOMEM);
	memcpy(mask->words, src->words, (size_t)src->nr_words * sizeof(uint64_t));
	return mask;
}

void scx_cpumask_free(struct scx_cpumask *mask)
{
	free(mask);
}

unsigned int scx_cpumask_width(const struct scx_cpumask *mask)
{
	return mask ? mask->width : 0;
}

static inline bool same_width(const struct scx_cpumask *a, const struct scx_cpumask *b)
{
	return a && b && a->width == b->width;
}

int scx_cpumask_assign(struct scx_cpumask *dst, const struct scx_cpumask *src)
{
	if (!same_width(dst, src))
		return scx_errno(-EINVAL);
	if (dst != src)
		memcpy(dst->words, src->words, (size_t)src->nr_words * sizeof(uint64_t));
	return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Single ids and ranges. */

/* A CPU id is an int, as in the kernel and libbpf; a negative one is never in a mask. */
static inline bool cpu_in_width(const struct scx_cpumask *mask, int cpu)
{
	return cpu >= 0 && (unsigned int)cpu < mask->width;
}

int scx_cpumask_set(struct scx_cpumask *mask, int cpu)
{
	if (!mask || !cpu_in_width(mask, cpu))
		return scx_errno(-EINVAL);
	mask->words[cpu / WORD_BITS] |= UINT64_C(1) << (cpu % WORD_BITS);
	return 0;
}

int scx_cpumask_clear(struct scx_cpumask *mask, int cpu)
{
	if (!mask || !cpu_in_width(mask, cpu))
		return scx_errno(-EINVAL);
	mask->words[cpu / WORD_BITS] &= ~(UINT64_C(1) << (cpu % WORD_BITS));
	return 0;
}

bool scx_cpumask_test(const struct scx_cpumask *mask, int cpu)
{
	if (!mask || !cpu_in_width(mask, cpu))
		return false;
	return (mask->words[cpu / WORD_BITS] >> (cpu % WORD_BITS)) & 1;
}

/* Bits @lo .. @hi (inclusive) of one word. */
static inline uint64_t word_range(unsigned int lo, unsigned int hi)
{
	uint64_t up = hi == WORD_BITS - 1 ? ~UINT64_C(0) : (UINT64_C(1) << (hi + 1)) - 1;

	return up & ~((UINT64_C(1) << lo) - 1);
}

static void words_set_range(uint64_t *w, unsigned int first, unsigned int last)
{
	unsigned int fw = first / WORD_BITS, lw = last / WORD_BITS, i;

	if (fw == lw) {
		w[fw] |= word_range(first % WORD_BITS, last % WORD_BITS);
		return;
	}
	w[fw] |= word_range(first % WORD_BITS, WORD_BITS - 1);
	for (i = fw + 1; i < lw; i++)
		w[i] = ~UINT64_C(0);
	w[lw] |= word_range(0, last % WORD_BITS);
}

static void words_clear_range(uint64_t *w, unsigned int first, unsigned int last)
{
	unsigned int fw = first / WORD_BITS, lw = last / WORD_BITS, i;

	if (fw == lw) {
		w[fw] &= ~word_range(first % WORD_BITS, last % WORD_BITS);
		return;
	}
	w[fw] &= ~word_range(first % WORD_BITS, WORD_BITS - 1);
	for (i = fw + 1; i < lw; i++)
		w[i] = 0;
	w[lw] &= ~word_range(0, last % WORD_BITS);
}

int scx_cpumask_set_range(struct scx_cpumask *mask, int first, int last)
{
	if (!mask || first < 0 || first > last || !cpu_in_width(mask, last))
		return scx_errno(-EINVAL);
	words_set_range(mask->words, (unsigned int)first, (unsigned int)last);
	return 0;
}

int scx_cpumask_clear_range(struct scx_cpumask *mask, int first, int last)
{
	if (!mask || first < 0 || first > last || !cpu_in_width(mask, last))
		return scx_errno(-EINVAL);
	words_clear_range(mask->words, (unsigned int)first, (unsigned int)last);
	return 0;
}

int scx_cpumask_fill(struct scx_cpumask *mask)
{
	if (!mask)
		return scx_errno(-EINVAL);
	memset(mask->words, 0xff, (size_t)mask->nr_words * sizeof(uint64_t));
	mask->words[mask->nr_words - 1] &= tail_mask(mask->width);
	return 0;
}

int scx_cpumask_zero(struct scx_cpumask *mask)
{
	if (!mask)
		return scx_errno(-EINVAL);
	memset(mask->words, 0, (size_t)mask->nr_words * sizeof(uint64_t));
	return 0;
}

/* ---------------------------------------------------------------------------------------- */
/*
 * Set algebra, two words at a time through GCC/Clang vector types (SSE2 on x86-64, NEON on
 * arm64, plain words elsewhere).  memcpy() loads and stores, because the words are only 8-byte
 * aligned; @dst may be @a or @b, never a partial overlap, since every mask is its own allocation.
 */
typedef uint64_t vec2 __attribute__((vector_size(16)));

enum setop { OP_AND, OP_OR, OP_XOR, OP_ANDNOT };

#define DEFINE_BINOP(name, expr)                                                             \
	static void name(uint64_t *dst, const uint64_t *a, const uint64_t *b, unsigned int n)  \
	{                                                                                    \
		unsigned int i = 0;                                                          \
                                                                                             \
		for (; i + 2 <= n; i += 2) {                                                 \
			vec2 x, y, r;                                                        \
                                                                                             \
			memcpy(&x, a + i, sizeof(x));                                        \
			memcpy(&y, b + i, sizeof(y));                                        \
			r = expr;                                                            \
			memcpy(dst + i, &r, sizeof(r));                                      \
		}                                                                            \
		for (; i < n; i++) {                                                         \
			uint64_t x = a[i], y = b[i];                                         \
                                                                                             \
			dst[i] = expr;                                                       \
		}                                                                            \
	}

DEFINE_BINOP(words_and, x & y)
DEFINE_BINOP(words_or, x | y)
DEFINE_BINOP(words_xor, x ^ y)
DEFINE_BINOP(words_andnot, x & ~y)

static void apply(enum setop op, struct scx_cpumask *dst, const struct scx_cpumask *a,
		  const struct scx_cpumask *b)
{
	switch (op) {
	case OP_AND:
		words_and(dst->words, a->words, b->words, dst->nr_words);
		break;
	case OP_OR:
		words_or(dst->words, a->words, b->words, dst->nr_words);
		break;
	case OP_XOR:
		words_xor(dst->words, a->words, b->words, dst->nr_words);
		break;
	case OP_ANDNOT:
		words_andnot(dst->words, a->words, b->words, dst->nr_words);
		break;
	}
}

static void words_not(uint64_t *dst, const uint64_t *src, unsigned int n, unsigned int width)
{
	unsigned int i = 0;

	for (; i + 2 <= n; i += 2) {
		vec2 x;

		memcpy(&x, src + i, sizeof(x));
		x = ~x;
		memcpy(dst + i, &x, sizeof(x));
	}
	for (; i < n; i++)
		dst[i] = ~src[i];
	dst[n - 1] &= tail_mask(width);
}

static int binop(enum setop op, struct scx_cpumask *dst, const struct scx_cpumask *a,
		 const struct scx_cpumask *b)
{
	if (!same_width(a, b) || !same_width(dst, a))
		return scx_errno(-EINVAL);
	apply(op, dst, a, b);
	return 0;
}

int scx_cpumask_and(struct scx_cpumask *dst, const struct scx_cpumask *a,
		    const struct scx_cpumask *b)
{
	return binop(OP_AND, dst, a, b);
}

int scx_cpumask_or(struct scx_cpumask *dst, const struct scx_cpumask *a,
		   const struct scx_cpumask *b)
{
	return binop(OP_OR, dst, a, b);
}

int scx_cpumask_xor(struct scx_cpumask *dst, const struct scx_cpumask *a,
		    const struct scx_cpumask *b)
{
	return binop(OP_XOR, dst, a, b);
}

int scx_cpumask_andnot(struct scx_cpumask *dst, const struct scx_cpumask *a,
		       const struct scx_cpumask *b)
{
	return binop(OP_ANDNOT, dst, a, b);
}

int scx_cpumask_not(struct scx_cpumask *dst, const struct scx_cpumask *src)
{
	if (!same_width(dst, src))
		return scx_errno(-EINVAL);
	words_not(dst->words, src->words, dst->nr_words, dst->width);
	return 0;
}

static struct scx_cpumask *new_binop(enum setop op, const struct scx_cpumask *a,
				     const struct scx_cpumask *b)
{
	struct scx_cpumask *dst;

	if (!same_width(a, b))
		return scx_err_ptr(-EINVAL);
	dst = mask_alloc(a->width);
	if (!dst)
		return scx_err_ptr(-ENOMEM);
	apply(op, dst, a, b);
	return dst;
}

struct scx_cpumask *scx_cpumask_new_and(const struct scx_cpumask *a, const struct scx_cpumask *b)
{
	return new_binop(OP_AND, a, b);
}

struct scx_cpumask *scx_cpumask_new_or(const struct scx_cpumask *a, const struct scx_cpumask *b)
{
	return new_binop(OP_OR, a, b);
}

struct scx_cpumask *scx_cpumask_new_xor(const struct scx_cpumask *a, const struct scx_cpumask *b)
{
	return new_binop(OP_XOR, a, b);
}

struct scx_cpumask *scx_cpumask_new_andnot(const struct scx_cpumask *a,
					   const struct scx_cpumask *b)
{
	return new_binop(OP_ANDNOT, a, b);
}

struct scx_cpumask *scx_cpumask_new_not(const struct scx_cpumask *src)
{
	struct scx_cpumask *dst;

	if (!src)
		return scx_err_ptr(-EINVAL);
	dst = mask_alloc(src->width);
	if (!dst)
		return scx_err_ptr(-ENOMEM);
	words_not(dst->words, src->words, dst->nr_words, dst->width);
	return dst;
}

/* ---------------------------------------------------------------------------------------- */
/* Predicates and counting. */

bool scx_cpumask_equal(const struct scx_cpumask *a, const struct scx_cpumask *b)
{
	if (!same_width(a, b))
		return false;
	return !memcmp(a->words, b->words, (size_t)a->nr_words * sizeof(uint64_t));
}

bool scx_cpumask_subset(const struct scx_cpumask *a, const struct scx_cpumask *b)
{
	unsigned int i;

	if (!same_width(a, b))
		return false;
	for (i = 0; i < a->nr_words; i++)
		if (a->words[i] & ~b->words[i])
			return false;
	return true;
}

bool scx_cpumask_intersects(const struct scx_cpumask *a, const struct scx_cpumask *b)
{
	unsigned int i;

	if (!same_width(a, b))
		return false;
	for (i = 0; i < a->nr_words; i++)
		if (a->words[i] & b->words[i])
			return true;
	return false;
}

bool scx_cpumask_empty(const struct scx_cpumask *mask)
{
	unsigned int i;

	if (!mask)
		return true;
	for (i = 0; i < mask->nr_words; i++)
		if (mask->words[i])
			return false;
	return true;
}

bool scx_cpumask_full(const struct scx_cpumask *mask)
{
	unsigned int i, last;

	if (!mask)
		return false;
	last = mask->nr_words - 1;
	for (i = 0; i < last; i++)
		if (mask->words[i] != ~UINT64_C(0))
			return false;
	return mask->words[last] == tail_mask(mask->width);
}

#define DEFINE_WEIGHT(name, attr)                                                            \
	attr static unsigned int name(const uint64_t *w, unsigned int n)                     \
	{                                                                                    \
		unsigned int i = 0, c0 = 0, c1 = 0;                                          \
                                                                                             \
		for (; i + 2 <= n; i += 2) {                                                 \
			c0 += __builtin_popcountll(w[i]);                                    \
			c1 += __builtin_popcountll(w[i + 1]);                                \
		}                                                                            \
		if (i < n)                                                                   \
			c0 += __builtin_popcountll(w[i]);                                    \
		return c0 + c1;                                                              \
	}

DEFINE_WEIGHT(weight_generic, )

#if defined(__x86_64__) || defined(__i386__)
/*
 * The baseline x86-64 ABI has no POPCNT instruction, so the generic loop calls libgcc's
 * bit-twiddling fallback.  Every x86 CPU of the last fifteen years has POPCNT; use it then.
 */
DEFINE_WEIGHT(weight_popcnt, __attribute__((target("popcnt"))))

static unsigned int words_weight(const uint64_t *w, unsigned int n)
{
	if (__builtin_cpu_supports("popcnt"))
		return weight_popcnt(w, n);
	return weight_generic(w, n);
}
#else
#define words_weight weight_generic
#endif

unsigned int scx_cpumask_weight(const struct scx_cpumask *mask)
{
	return mask ? words_weight(mask->words, mask->nr_words) : 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Iteration. */

/* The lowest set id >= @from, or -ENOENT. */
static int find_from(const struct scx_cpumask *mask, unsigned int from)
{
	unsigned int i = from / WORD_BITS;
	uint64_t w;

	if (from >= mask->width)
		return -ENOENT;
	w = mask->words[i] & (~UINT64_C(0) << (from % WORD_BITS));
	while (!w) {
		if (++i >= mask->nr_words)
			return -ENOENT;
		w = mask->words[i];
	}
	return (int)(i * WORD_BITS + (unsigned int)__builtin_ctzll(w));
}

int scx_cpumask_first(const struct scx_cpumask *mask)
{
	if (!mask)
		return scx_errno(-EINVAL);
	return scx_errno(find_from(mask, 0));
}

int scx_cpumask_next(const struct scx_cpumask *mask, int prev)
{
	if (!mask)
		return scx_errno(-EINVAL);
	if (prev < 0)
		return scx_errno(find_from(mask, 0));
	return scx_errno(find_from(mask, (unsigned int)prev + 1));
}

int scx_cpumask_last(const struct scx_cpumask *mask)
{
	unsigned int i;

	if (!mask)
		return scx_errno(-EINVAL);
	for (i = mask->nr_words; i-- > 0;)
		if (mask->words[i])
			return (int)(i * WORD_BITS + WORD_BITS - 1 -
				     (unsigned int)__builtin_clzll(mask->words[i]));
	return scx_errno(-ENOENT);
}

struct scx_cpumask_iter scx_cpumask_iter_start(const struct scx_cpumask *mask)
{
	struct scx_cpumask_iter it = { 0 };

	if (mask) {
		it.words = mask->words;
		it.nr_words = mask->nr_words;
		it.cur = mask->words[0];
	}
	return it;
}

/* ---------------------------------------------------------------------------------------- */
/* Raw words. */

int scx_cpumask_to_u64s(const struct scx_cpumask *mask, uint64_t *words, size_t nr_words)
{
	size_t i, copy;

	if (!mask || (!words && nr_words))
		return scx_errno(-EINVAL);
	if (!words)
		return (int)mask->nr_words;
	copy = nr_words < mask->nr_words ? nr_words : mask->nr_words;
	for (i = copy; i < mask->nr_words; i++)
		if (mask->words[i])
			return scx_errno(-ERANGE);
	if (copy)
		memcpy(words, mask->words, copy * sizeof(uint64_t));
	for (i = copy; i < nr_words; i++)
		words[i] = 0;
	return (int)mask->nr_words;
}

int scx_cpumask_from_u64s(struct scx_cpumask *mask, const uint64_t *words, size_t nr_words)
{
	size_t i, copy;

	if (!mask || (!words && nr_words))
		return scx_errno(-EINVAL);
	copy = nr_words < mask->nr_words ? nr_words : mask->nr_words;
	for (i = copy; i < nr_words; i++)
		if (words[i])
			return scx_errno(-EINVAL);
	if (copy == mask->nr_words && (words[copy - 1] & ~tail_mask(mask->width)))
		return scx_errno(-EINVAL);
	if (copy)
		memcpy(mask->words, words, copy * sizeof(uint64_t));
	memset(mask->words + copy, 0, (mask->nr_words - copy) * sizeof(uint64_t));
	return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Parsing.  Everything lands in a scratch array that replaces the mask only on success. */

struct scratch {
	uint64_t *w;
	uint64_t stack[SCRATCH_STACK_WORDS];
};

static int scratch_init(struct scratch *s, unsigned int nr_words)
{
	if (nr_words <= SCRATCH_STACK_WORDS) {
		s->w = s->stack;
		memset(s->w, 0, nr_words * sizeof(uint64_t));
		return 0;
	}
	s->w = calloc(nr_words, sizeof(uint64_t));
	return s->w ? 0 : -ENOMEM;
}

static int scratch_commit(struct scratch *s, struct scx_cpumask *mask, int err)
{
	if (!err)
		memcpy(mask->words, s->w, (size_t)mask->nr_words * sizeof(uint64_t));
	if (s->w != s->stack)
		free(s->w);
	return scx_errno(err);
}

static inline bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static inline bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Trim surrounding whitespace: [*start, *end). */
static void trim(const char *text, const char **start, const char **end)
{
	const char *s = text, *e = text + strlen(text);

	while (s < e && is_space(*s))
		s++;
	while (e > s && is_space(e[-1]))
		e--;
	*start = s;
	*end = e;
}

/*
 * A decimal id below @width at *@p, or "N" for the last id when @flags allow it.  Advances *@p.
 * A value >= @width is -EINVAL, found digit by digit, so no length of digits can overflow.
 */
static int parse_id(const char **p, const char *end, unsigned int width, unsigned int flags,
		    unsigned int *out)
{
	const char *s = *p;
	unsigned long v = 0;

	if (s < end && *s == 'N' && !(flags & SCX_CPULIST_KERNEL)) {
		*out = width - 1;
		*p = s + 1;
		return 0;
	}
	if (s >= end || !is_digit(*s))
		return -EINVAL;
	for (; s < end && is_digit(*s); s++) {
		v = v * 10 + (unsigned long)(*s - '0');
		if (v >= width)
			return -EINVAL;
	}
	*out = (unsigned int)v;
	*p = s;
	return 0;
}

/* A positive decimal count (the stride's used/group sizes), at most @limit. */
int scx_parse_count(const char **p, const char *end, unsigned int limit, unsigned int *out)
{
	const char *s = *p;
	unsigned long v = 0;

	if (s >= end || !is_digit(*s))
		return -EINVAL;
	for (; s < end && is_digit(*s); s++) {
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > limit)
			return -EINVAL;
	}
	if (!v)
		return -EINVAL;
	*out = (unsigned int)v;
	*p = s;
	return 0;
}

/* A region of a cpulist: from @first to @last, the first @used ids of every @group. */
struct region {
	unsigned int first, last, used, group;
};

/* One element: "a", "a-b" or "a-b:used/group". */
static int parse_region(const char **p, const char *end, unsigned int width, unsigned int flags,
			struct region *r)
{
	int err;

	err = parse_id(p, end, width, flags, &r->first);
	if (err)
		return err;
	r->last = r->first;
	if (*p < end && **p == '-') {
		(*p)++;
		err = parse_id(p, end, width, flags, &r->last);
		if (err)
			return err;
		if (r->last < r->first)
			return -EINVAL;
	}
	r->used = r->group = 1;
	if (*p < end && **p == ':') {
		(*p)++;
		err = scx_parse_count(p, end, width, &r->used);
		if (err)
			return err;
		if (*p >= end || **p != '/')
			return -EINVAL;
		(*p)++;
		err = scx_parse_count(p, end, width, &r->group);
		if (err)
			return err;
		if (r->used > r->group)
			return -EINVAL;
	}
	return 0;
}

/* Hand the runs of @r to @fn: one run, or one per group of the stride. */
static int region_runs(const struct region *r, scx_cpurun_fn fn, void *arg)
{
	unsigned int start;
	int err;

	if (r->used == r->group)
		return fn(r->first, r->last, arg);
	for (start = r->first; start <= r->last; start += r->group) {
		unsigned int stop = r->last - start < r->used - 1 ? r->last : start + r->used - 1;

		err = fn(start, stop, arg);
		if (err)
			return err;
		if (r->last - start < r->group)
			break;
	}
	return 0;
}

/* Skip one separator (a comma) or, for kernel text, any run of commas and blanks. */
static int skip_separator(const char **p, const char *end, unsigned int flags)
{
	if (flags & SCX_CPULIST_KERNEL) {
		if (!is_space(**p) && **p != ',')
			return -EINVAL;
		while (*p < end && (is_space(**p) || **p == ','))
			(*p)++;
		return 0;
	}
	if (**p != ',')
		return -EINVAL;
	(*p)++;
	return *p < end ? 0 : -EINVAL;
}

int scx_cpulist_for_each(const char *text, unsigned int width, unsigned int flags,
			 scx_cpurun_fn fn, void *arg)
{
	const char *p, *end;
	struct region r;
	int err;

	if (!width)
		return -EINVAL;
	trim(text, &p, &end);
	while (p < end) {
		err = parse_region(&p, end, width, flags, &r);
		if (err)
			return err;
		err = region_runs(&r, fn, arg);
		if (err)
			return err;
		if (p < end) {
			err = skip_separator(&p, end, flags);
			if (err)
				return err;
		}
	}
	return 0;
}

static int max_run(unsigned int first, unsigned int last, void *arg)
{
	long *max = arg;

	if ((long)last > *max)
		*max = last;
	return 0;
}

int scx_cpulist_max(const char *text)
{
	long max = -1;
	int err;

	err = scx_cpulist_for_each(text, SCX_CPUMASK_MAX_WIDTH, SCX_CPULIST_KERNEL, max_run, &max);
	if (err)
		return err;
	return max < 0 ? -EINVAL : (int)max;
}

int scx_cpu_width(struct scx_sysfs *fs)
{
	char buf[SCX_SYSFS_MAX_ATTR];	/* a list with holes can be long: take a whole attribute */
	int ret;

	ret = scx_sysfs_read(fs, buf, sizeof(buf), "sys/devices/system/cpu/possible");
	if (ret < 0)
		return ret;
	ret = scx_cpulist_max(buf);
	return ret < 0 ? ret : ret + 1;
}

static int set_run(unsigned int first, unsigned int last, void *arg)
{
	words_set_range(arg, first, last);
	return 0;
}

int scx_cpumask_parse_list(struct scx_cpumask *mask, const char *text)
{
	struct scratch s;
	int err;

	if (!mask || !text)
		return scx_errno(-EINVAL);
	err = scratch_init(&s, mask->nr_words);
	if (err)
		return scx_errno(err);
	return scratch_commit(&s, mask, scx_cpulist_for_each(text, mask->width, 0, set_run, s.w));
}

static inline int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The 4-bit @v at bit @pos, as runs; a set bit at or beyond @width is -EINVAL. */
static int nibble_runs(unsigned long pos, unsigned int v, unsigned int width, scx_cpurun_fn fn,
		       void *arg)
{
	unsigned int i = 0;
	int err;

	if (!v)
		return 0;
	if (pos >= width || (width - pos < 4 && v >> (width - pos)))
		return -EINVAL;
	while (i < 4) {
		unsigned int j;

		if (!(v >> i & 1)) {
			i++;
			continue;
		}
		for (j = i; j + 1 < 4 && (v >> (j + 1) & 1); j++)
			;
		err = fn((unsigned int)pos + i, (unsigned int)pos + j, arg);
		if (err)
			return err;
		i = j + 1;
	}
	return 0;
}

/*
 * Hex digits in [@s, @e), least significant last.  With @grouped, commas split 32-bit groups of
 * 1 to 8 digits each (a short group is zero-extended); otherwise only digits, any number.
 */
static int hex_words_for_each(const char *s, const char *e, bool grouped, unsigned int width,
			      scx_cpurun_fn fn, void *arg)
{
	unsigned long group_base = 0, pos = 0;
	unsigned int in_group = 0;
	const char *p;
	int v, err;

	if (s == e)
		return -EINVAL;
	for (p = e; p-- > s;) {
		if (grouped && *p == ',') {
			if (!in_group)
				return -EINVAL;
			group_base += 32;
			pos = group_base;
			in_group = 0;
			continue;
		}
		v = hex_value(*p);
		if (v < 0 || (grouped && in_group == 8))
			return -EINVAL;
		err = nibble_runs(pos, (unsigned int)v, width, fn, arg);
		if (err)
			return err;
		in_group++;
		pos += 4;
	}
	return in_group ? 0 : -EINVAL;
}

int scx_cpuhex_for_each(const char *text, unsigned int width, scx_cpurun_fn fn, void *arg)
{
	const char *s, *e;

	trim(text, &s, &e);
	if (e - s >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return hex_words_for_each(s + 2, e, false, width, fn, arg);
	return hex_words_for_each(s, e, memchr(s, ',', (size_t)(e - s)) != NULL, width, fn, arg);
}

int scx_cpumask_parse_hex(struct scx_cpumask *mask, const char *text)
{
	struct scratch s;
	int err;

	if (!mask || !text)
		return scx_errno(-EINVAL);
	err = scratch_init(&s, mask->nr_words);
	if (err)
		return scx_errno(err);
	return scratch_commit(&s, mask, scx_cpuhex_for_each(text, mask->width, set_run, s.w));
}

int scx_cpumask_parse(struct scx_cpumask *mask, const char *text)
{
	const char *s, *e;

	if (!mask || !text)
		return scx_errno(-EINVAL);
	trim(text, &s, &e);
	/* The words scx_utils' Cpumask::from_str() takes besides hex. */
	if (e - s == 3 && !memcmp(s, "all", 3))
		return scx_cpumask_fill(mask);
	if (e - s == 4 && !memcmp(s, "none", 4))
		return scx_cpumask_zero(mask);
	if (e - s >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return scx_cpumask_parse_hex(mask, text);
	return scx_cpumask_parse_list(mask, text);
}

/* ---------------------------------------------------------------------------------------- */
/* Formatting, with snprintf's contract: the full length is returned, the text is cut to fit. */

/* The lowest clear id >= @from, or the width. */
static unsigned int find_zero_from(const struct scx_cpumask *mask, unsigned int from)
{
	unsigned int i = from / WORD_BITS, r;
	uint64_t w;

	if (from >= mask->width)
		return mask->width;
	w = ~mask->words[i] & (~UINT64_C(0) << (from % WORD_BITS));
	while (!w) {
		if (++i >= mask->nr_words)
			return mask->width;
		w = ~mask->words[i];
	}
	r = i * WORD_BITS + (unsigned int)__builtin_ctzll(w);
	return r < mask->width ? r : mask->width;
}

int scx_cpumask_format_list(const struct scx_cpumask *mask, char *buf, size_t size)
{
	struct scx_out o = { buf, size, 0 };
	int first;

	if (!mask || (!buf && size))
		return scx_errno(-EINVAL);
	for (first = find_from(mask, 0); first >= 0;) {
		unsigned int end = find_zero_from(mask, (unsigned int)first);

		if (o.len)
			scx_out_char(&o, ',');
		scx_out_uint(&o, (unsigned int)first);
		if (end - 1 > (unsigned int)first) {
			scx_out_char(&o, '-');
			scx_out_uint(&o, end - 1);
		}
		first = find_from(mask, end);
	}
	return scx_out_finish(&o);
}

int scx_cpumask_format_hex(const struct scx_cpumask *mask, char *buf, size_t size)
{
	static const char digits[] = "0123456789abcdef";
	struct scx_out o = { buf, size, 0 };
	unsigned int nr_groups, g, ndig, d;

	if (!mask || (!buf && size))
		return scx_errno(-EINVAL);
	nr_groups = (mask->width + 31) / 32;
	/* The top group shows only the digits the width reaches, as the kernel prints it. */
	ndig = ((mask->width - 1) % 32) / 4 + 1;
	for (g = nr_groups; g-- > 0;) {
		uint32_t v = (uint32_t)(mask->words[g / 2] >> (32 * (g % 2)));

		for (d = ndig; d-- > 0;)
			scx_out_char(&o, digits[(v >> (4 * d)) & 0xf]);
		if (g)
			scx_out_char(&o, ',');
		ndig = 8;
	}
	return scx_out_finish(&o);
}
