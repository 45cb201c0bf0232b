/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * cid.bpf.h: CPU ids in topology order (cids) and cid masks (struct scx_cmask).
 *
 * Kernels from 7.2 number CPUs a second way, by topology: cids of one core, then one LLC, then
 * one node are consecutive, so ranges of cids are topology units and a mask over a range is
 * small.  A struct scx_cmask covers the cids [base, base + nr_cids) and lives in a BPF arena.
 * Its words are aligned to absolute cid numbers, as the kernel lays them out (the masks it
 * hands over, e.g. scx_bpf_online_cmask(), and the ones it reads): bit (cid % 64) of
 * bits[cid / 64 - base / 64].  A range that does not start on a multiple of 64 therefore
 * spans one word more than nr_cids / 64 rounded up, which CMASK_NR_WORDS() counts; bits
 * outside the range are kept zero.
 *
 * Two families of helpers:
 *   cmask_*()      the kernel headers' names and semantics (cid first, mask second; "not
 *                  found" is base + nr_cids); cmask_set() and friends are atomic, the
 *                  __cmask_*() forms are not.  Loops are bounded by CMASK_MAX_WORDS words.
 *   scx_cmask_*()  libscx's (mask first; "not found" is -1; scx_cmask_set() and
 *                  scx_cmask_clear() say whether the mask covers the cid).
 *
 * The __COMPAT_ wrappers give the cid view on every kernel: on kernels without cids, cid ==
 * CPU number (a valid, if topology-blind, numbering), so one scheduler can use cids throughout.
 */
#ifndef __SCX_CID_BPF_H
#define __SCX_CID_BPF_H

#include "bpf_arena_common.bpf.h"

/* 7.3: the cid numbering itself, per-cid performance, and sub-schedulers' capability grants. */
void scx_bpf_cid_override___compat(const s32 __arena *cpu_to_cid__arena, u32 cpu_to_cid_cnt,
				   const s32 __arena *shard_start__arena,
				   u32 shard_start_cnt) __ksym __weak;
const void __arena *scx_bpf_online_cmask(void) __ksym __weak;
bool scx_bpf_sub_dispatch___compat(u64 cgroup_id) __ksym __weak;
s32 scx_bpf_sub_caps(u64 cgroup_id, u64 caps, struct scx_cmask __arena *out__arena) __ksym __weak;
s32 scx_bpf_sub_grant(u64 cgroup_id, u64 caps, const struct scx_cmask __arena *cmask__arena,
		      struct scx_cmask __arena *denied_out__arena__nullable) __ksym __weak;
void scx_bpf_sub_revoke(u64 cgroup_id, u64 caps,
			const struct scx_cmask __arena *cmask__arena) __ksym __weak;
s32 scx_bpf_sub_kill_bstr(u64 cgroup_id, char *fmt, unsigned long long *data,
			  u32 data__sz) __ksym __weak;

/*
 * Three cid kfuncs changed their prototype in 7.3 under the same name.  libbpf binds a weak
 * extern only to a kernel function of the same prototype, so each is declared in both forms
 * (___v1 for 7.2, ___v2 for 7.3; libbpf strips the suffix) and the wrapper calls the one that
 * bound.
 */
void scx_bpf_kick_cid___v2(s32 cid, u64 flags) __ksym __weak;
s32 scx_bpf_kick_cid___v1(s32 cid, u64 flags) __ksym __weak;
void scx_bpf_cid_topo___v2(s32 cid, struct scx_cid_topo *out, size_t out__sz) __ksym __weak;
void scx_bpf_cid_topo___v1(s32 cid, struct scx_cid_topo *out) __ksym __weak;
s32 scx_bpf_cidperf_set___v2(s32 cid, u32 perf) __ksym __weak;
void scx_bpf_cidperf_set___v1(s32 cid, u32 perf) __ksym __weak;

/* Kick the CPU of @cid (7.2+); nothing on kernels without cids. */
static inline void scx_bpf_kick_cid(s32 cid, u64 flags)
{
	if (bpf_ksym_exists(scx_bpf_kick_cid___v2))
		scx_bpf_kick_cid___v2(cid, flags);
	else if (bpf_ksym_exists(scx_bpf_kick_cid___v1))
		scx_bpf_kick_cid___v1(cid, flags);
}

/*
 * The topology of @cid into *@out (7.2+).  @out__sz may be left out (the 7.2 and scx forms):
 * scx_bpf_cid_topo(cid, out[, out__sz]).
 */
static inline void __scx_bpf_cid_topo(s32 cid, struct scx_cid_topo *out, size_t out__sz)
{
	if (bpf_ksym_exists(scx_bpf_cid_topo___v2))
		scx_bpf_cid_topo___v2(cid, out, out__sz);
	else if (bpf_ksym_exists(scx_bpf_cid_topo___v1))
		scx_bpf_cid_topo___v1(cid, out);
}

#define __scx_cid_topo2(cid, out) __scx_bpf_cid_topo((cid), (out), sizeof(*(out)))
#define __scx_cid_topo3(cid, out, sz) __scx_bpf_cid_topo((cid), (out), (sz))
#define __scx_pick4(_1, _2, _3, N, ...) N
#define scx_bpf_cid_topo(args...) __scx_pick4(args, __scx_cid_topo3, __scx_cid_topo2)(args)

/* Set the performance target of @cid (7.2+): 0, or -errno (7.3 may refuse, 7.2 cannot). */
static inline s32 scx_bpf_cidperf_set(s32 cid, u32 perf)
{
	if (bpf_ksym_exists(scx_bpf_cidperf_set___v2))
		return scx_bpf_cidperf_set___v2(cid, perf);
	if (!bpf_ksym_exists(scx_bpf_cidperf_set___v1))
		return -EOPNOTSUPP;
	scx_bpf_cidperf_set___v1(cid, perf);
	return 0;
}

/*
 * Replace the kernel's cpu -> cid numbering and its shards (7.3; from ops.init_cids()).
 * Nothing happens on kernels without it: they keep their own numbering.
 */
static inline void scx_bpf_cid_override(const s32 __arena *cpu_to_cid, u32 cpu_to_cid_cnt,
					const s32 __arena *shard_start, u32 shard_start_cnt)
{
	if (bpf_ksym_exists(scx_bpf_cid_override___compat))
		scx_bpf_cid_override___compat(cpu_to_cid, cpu_to_cid_cnt, shard_start,
					      shard_start_cnt);
}

/* Let the sub-scheduler of cgroup @cgroup_id dispatch (7.1+); false on older kernels. */
static inline bool scx_bpf_sub_dispatch(u64 cgroup_id)
{
	if (bpf_ksym_exists(scx_bpf_sub_dispatch___compat))
		return scx_bpf_sub_dispatch___compat(cgroup_id);
	return false;
}

/*
 * End the sub-scheduler of cgroup @cgroup_id with a printf-style message (7.3).  Evaluates to
 * the kfunc's result, -EOPNOTSUPP on kernels without sub-schedulers.
 */
#define scx_bpf_sub_kill(cgroup_id, fmt, args...)				\
	({									\
		scx_bpf_bstr_preamble(fmt, args)				\
		__scx_bstr_check(fmt, ##args);					\
		bpf_ksym_exists(scx_bpf_sub_kill_bstr) ?			\
			scx_bpf_sub_kill_bstr((cgroup_id), ___fmt, ___param,	\
					      sizeof(___param)) :		\
			-EOPNOTSUPP;						\
	})

#define __COMPAT_scx_bpf_nr_cids()						\
	(bpf_ksym_exists(scx_bpf_nr_cids) ? scx_bpf_nr_cids() : scx_bpf_nr_cpu_ids())

#define __COMPAT_scx_bpf_this_cid()						\
	(bpf_ksym_exists(scx_bpf_this_cid) ? scx_bpf_this_cid() :		\
	 (s32)bpf_get_smp_processor_id())

#define __COMPAT_scx_bpf_task_cid(p)						\
	(bpf_ksym_exists(scx_bpf_task_cid) ? scx_bpf_task_cid(p) : scx_bpf_task_cpu(p))

#define __COMPAT_scx_bpf_cpu_to_cid(cpu)					\
	(bpf_ksym_exists(scx_bpf_cpu_to_cid) ? scx_bpf_cpu_to_cid(cpu) : (s32)(cpu))

#define __COMPAT_scx_bpf_cid_to_cpu(cid)					\
	(bpf_ksym_exists(scx_bpf_cid_to_cpu) ? scx_bpf_cid_to_cpu(cid) : (s32)(cid))

/* One branch per ksym (the verifier refuses an OR of two ksym addresses). */
#define __COMPAT_scx_bpf_kick_cid(cid, flags)					\
	(bpf_ksym_exists(scx_bpf_kick_cid___v2) ? scx_bpf_kick_cid___v2(cid, flags) :	\
	 bpf_ksym_exists(scx_bpf_kick_cid___v1) ? (void)scx_bpf_kick_cid___v1(cid, flags) :	\
	 scx_bpf_kick_cpu((s32)(cid), flags))

/* -------------------------------------------------------------------------------------------
 * Sizes and bit masks.
 */
#ifndef BIT_U64
#define BIT_U64(nr) (1ULL << (nr))
#endif
/* Bits @l to @h (inclusive) of a u64. */
#ifndef GENMASK_U64
#define GENMASK_U64(h, l) ((~0ULL << (l)) & (~0ULL >> (63 - (h))))
#endif

/* The most words a loop over bits[] visits: NR_CPUS 8192, plus the word of misalignment. */
#ifndef CMASK_MAX_WORDS
#define CMASK_MAX_WORDS 129
#endif

/*
 * Words of storage for @nr_cids cids at any base (the kernel's SCX_CMASK_NR_WORDS).  Computed
 * in 64 bits so that a huge @nr_cids gives a huge count, which a bound check then refuses,
 * rather than wrapping to a small one.
 */
#define CMASK_NR_WORDS(nr_cids) ((u32)(((u64)(nr_cids) + 63) / 64 + 1))

/* Compare-and-swap attempts on one word before the scheduler is failed (seconds of spinning). */
#define CMASK_CAS_TRIES (1U << 23)

/*
 * cmask_op() operations.  Prefixed because the kernel's own CMASK_OP_* enumerators come with
 * vmlinux.h.
 */
enum {
	BPF_CMASK_OP_AND,
	BPF_CMASK_OP_OR,
	BPF_CMASK_OP_COPY,
	BPF_CMASK_OP_ANDNOT,
};

/* -------------------------------------------------------------------------------------------
 * Single cids.
 */

/* Whether @cid lies in the range @m covers. */
static __always_inline bool __cmask_contains(u32 cid, const struct scx_cmask __arena *m)
{
	return cid >= m->base && cid - m->base < m->nr_cids;
}

/* The word holding @cid (which @m must contain). */
static __always_inline u64 __arena *__cmask_word(u32 cid, const struct scx_cmask __arena *m)
{
	return (u64 __arena *)&m->bits[cid / 64 - m->base / 64];
}

static __always_inline bool cmask_test(u32 cid, const struct scx_cmask __arena *m)
{
	return __cmask_contains(cid, m) && (*__cmask_word(cid, m) & BIT_U64(cid % 64));
}

/*
 * Set (@set) or clear @cid atomically; returns the bit's previous value (false when @m does
 * not contain @cid).  A compare-and-swap loop: the x86 JIT has no fetching OR/AND on arena
 * memory, only cmpxchg, xchg and add.
 */
static __always_inline bool __scx_cmask_update(u32 cid, struct scx_cmask __arena *m, bool set)
{
	u64 __arena *w;
	u64 bit, old;
	u32 i;

	if (!__cmask_contains(cid, m))
		return false;
	w = __cmask_word(cid, m);
	bit = BIT_U64(cid % 64);
	bpf_for(i, 0, CMASK_CAS_TRIES) {
		old = *w;
		if (!!(old & bit) == set)
			return set;
		if (__sync_val_compare_and_swap(w, old, set ? old | bit : old & ~bit) == old)
			return !set;
	}
	scx_bpf_error("cmask: %u compare-and-swap attempts failed at cid %u", CMASK_CAS_TRIES, cid);
	return false;
}

/* The same without atomicity, for masks no one else changes meanwhile. */
static __always_inline bool __scx_cmask_update_plain(u32 cid, struct scx_cmask __arena *m, bool set)
{
	u64 __arena *w;
	u64 bit;
	bool was;

	if (!__cmask_contains(cid, m))
		return false;
	w = __cmask_word(cid, m);
	bit = BIT_U64(cid % 64);
	was = *w & bit;
	*w = set ? *w | bit : *w & ~bit;
	return was;
}

/*
 * <pfx>set(cid, m), <pfx>clear(cid, m), <pfx>test_and_set(cid, m), <pfx>test_and_clear(cid, m)
 * over @update: cmask_*() atomic, __cmask_*() plain.
 */
#define __scx_cmask_bit_ops(pfx, update)					\
	static __always_inline void pfx##set(u32 cid, struct scx_cmask __arena *m) \
	{									\
		update(cid, m, true);						\
	}									\
	static __always_inline void pfx##clear(u32 cid, struct scx_cmask __arena *m) \
	{									\
		update(cid, m, false);						\
	}									\
	static __always_inline bool pfx##test_and_set(u32 cid, struct scx_cmask __arena *m) \
	{									\
		return update(cid, m, true);					\
	}									\
	static __always_inline bool pfx##test_and_clear(u32 cid, struct scx_cmask __arena *m) \
	{									\
		return update(cid, m, false);					\
	}

__scx_cmask_bit_ops(cmask_, __scx_cmask_update)
__scx_cmask_bit_ops(__cmask_, __scx_cmask_update_plain)

/* -------------------------------------------------------------------------------------------
 * Whole masks.  Every helper below works word by word on absolute word numbers (cid / 64).
 */

/* The bits of absolute word @w that fall in the cid range [@lo, @hi) (@lo < @hi). */
static __always_inline u64 __scx_cmask_span(u32 lo, u32 hi, u32 w)
{
	u64 mask = ~0ULL;

	if (w < lo / 64 || w > (hi - 1) / 64)
		return 0;
	if (w == lo / 64)
		mask &= GENMASK_U64(63, lo % 64);
	if (w == (hi - 1) / 64)
		mask &= GENMASK_U64((hi - 1) % 64, 0);
	return mask;
}

/* @m's bits of absolute word @w, only those in its range: 0 for a word outside it. */
static __always_inline u64 __scx_cmask_bits(const struct scx_cmask __arena *m, u32 w)
{
	u64 mask;

	if (!m->nr_cids)
		return 0;
	mask = __scx_cmask_span(m->base, m->base + m->nr_cids, w);
	return mask ? m->bits[w - m->base / 64] & mask : 0;
}

/* Set up @m for [@base, @base + @nr_cids) on storage for @alloc_cids cids; all zero. */
static __always_inline void __cmask_init(struct scx_cmask __arena *m, u32 base, u32 nr_cids,
					 u32 alloc_cids)
{
	u32 i, words;

	if (unlikely(nr_cids > alloc_cids)) {
		scx_bpf_error("cmask: %u cids do not fit storage for %u", nr_cids, alloc_cids);
		return;
	}
	words = CMASK_NR_WORDS(alloc_cids);
	m->base = base;
	m->nr_cids = nr_cids;
	m->alloc_words = words;
	bpf_for(i, 0, CMASK_MAX_WORDS) {
		if (i >= words)
			break;
		m->bits[i] = 0;
	}
}

/* Set up @m for [@base, @base + @nr_cids) on storage of just that size; all zero. */
static __always_inline void cmask_init(struct scx_cmask __arena *m, u32 base, u32 nr_cids)
{
	__cmask_init(m, base, nr_cids, nr_cids);
}

/*
 * Move @m's range to [@base, @base + @nr_cids) within its storage.  Only the first and last
 * word are cleared (to keep the bits outside the range zero); the others keep whatever they
 * held: clear or fill the mask afterwards.
 */
static __always_inline void cmask_reframe(struct scx_cmask __arena *m, u32 base, u32 nr_cids)
{
	if (CMASK_NR_WORDS(nr_cids) > m->alloc_words) {
		scx_bpf_error("cmask: %u cids do not fit %u words", nr_cids, m->alloc_words);
		return;
	}
	if (nr_cids) {
		m->bits[0] = 0;
		m->bits[(base % 64 + nr_cids - 1) / 64] = 0;
	}
	m->base = base;
	m->nr_cids = nr_cids;
}

/* Clear every cid of @m. */
static __always_inline void cmask_zero(struct scx_cmask __arena *m)
{
	u32 i, words = CMASK_NR_WORDS(m->nr_cids);

	bpf_for(i, 0, CMASK_MAX_WORDS) {
		if (i >= words || i >= m->alloc_words)
			break;
		m->bits[i] = 0;
	}
}

/*
 * @dst = @dst op @src over the cids both ranges cover; @dst's other bits keep their values
 * (so cmask_copy() leaves the part of @dst outside @src's range alone).
 */
static __always_inline void cmask_op(struct scx_cmask __arena *dst,
				     const struct scx_cmask __arena *src, int op)
{
	u32 lo = dst->base > src->base ? dst->base : src->base;
	u32 dend = dst->base + dst->nr_cids, send = src->base + src->nr_cids;
	u32 hi = dend < send ? dend : send;
	u32 i, w;

	if (lo >= hi)
		return;
	bpf_for(i, 0, CMASK_MAX_WORDS) {
		u64 __arena *dw;
		u64 mask, s, r;

		w = lo / 64 + i;
		if (w > (hi - 1) / 64)
			break;
		mask = __scx_cmask_span(lo, hi, w);
		dw = &dst->bits[w - dst->base / 64];
		s = src->bits[w - src->base / 64];
		switch (op) {
		case BPF_CMASK_OP_AND:
			r = *dw & s;
			break;
		case BPF_CMASK_OP_OR:
			r = *dw | s;
			break;
		case BPF_CMASK_OP_ANDNOT:
			r = *dw & ~s;
			break;
		default:
			r = s;
			break;
		}
		*dw = (*dw & ~mask) | (r & mask);
	}
}

/* cmask_and(dst, src), cmask_or(), cmask_copy(), cmask_andnot(): cmask_op() with that op. */
#define __scx_cmask_set_op(name, op)						\
	static __always_inline void cmask_##name(struct scx_cmask __arena *dst,	\
						 const struct scx_cmask __arena *src) \
	{									\
		cmask_op(dst, src, op);						\
	}

__scx_cmask_set_op(and, BPF_CMASK_OP_AND)
__scx_cmask_set_op(or, BPF_CMASK_OP_OR)
__scx_cmask_set_op(copy, BPF_CMASK_OP_COPY)
__scx_cmask_set_op(andnot, BPF_CMASK_OP_ANDNOT)

/* Number of cids set in @m. */
static __always_inline u32 cmask_weight(const struct scx_cmask __arena *m)
{
	u32 i, n = 0;

	if (!m->nr_cids)
		return 0;
	bpf_for(i, 0, CMASK_MAX_WORDS) {
		u32 w = m->base / 64 + i;

		if (w > (m->base + m->nr_cids - 1) / 64)
			break;
		n += __builtin_popcountll(__scx_cmask_bits(m, w));
	}
	return n;
}

/*
 * Whether every word of @a's range agrees with @b's: has no cid that @b lacks (@subset), or
 * the same cids (!@subset).
 */
static __always_inline bool __scx_cmask_words_agree(const struct scx_cmask __arena *a,
						    const struct scx_cmask __arena *b, bool subset)
{
	u32 i;
	u64 x, y;

	if (!a->nr_cids)
		return true;
	bpf_for(i, 0, CMASK_MAX_WORDS) {
		u32 w = a->base / 64 + i;

		if (w > (a->base + a->nr_cids - 1) / 64)
			break;
		x = __scx_cmask_bits(a, w);
		y = __scx_cmask_bits(b, w);
		if (subset ? x & ~y : x != y)
			return false;
	}
	return true;
}

/* Whether @a and @b have the same range and the same cids set (different ranges: false). */
static __always_inline bool cmask_equal(const struct scx_cmask __arena *a,
					const struct scx_cmask __arena *b)
{
	return a->base == b->base && a->nr_cids == b->nr_cids &&
	       __scx_cmask_words_agree(a, b, false);
}

/*
 * Whether every cid set in @a is set in @b.  The ranges need not nest: a cid of @a outside
 * @b's range makes it false.
 */
static __always_inline bool cmask_subset(const struct scx_cmask __arena *a,
					 const struct scx_cmask __arena *b)
{
	return __scx_cmask_words_agree(a, b, true);
}

/*
 * The first cid at or after @start set in all of @a, @b and @c (and so inside all three
 * ranges), or a->base + a->nr_cids when there is none.
 */
static __always_inline u32 cmask_next_and2_set(const struct scx_cmask __arena *a,
					       const struct scx_cmask __arena *b,
					       const struct scx_cmask __arena *c, u32 start)
{
	u32 aend = a->base + a->nr_cids, bend = b->base + b->nr_cids;
	u32 cend = c->base + c->nr_cids;
	u32 lo = a->base, hi = aend, i;

	lo = b->base > lo ? b->base : lo;
	lo = c->base > lo ? c->base : lo;
	hi = bend < hi ? bend : hi;
	hi = cend < hi ? cend : hi;
	if (start < lo)
		start = lo;
	if (start >= hi)
		return aend;
	bpf_for(i, 0, CMASK_MAX_WORDS) {
		u32 w = start / 64 + i;
		u64 bits;

		if (w > (hi - 1) / 64)
			break;
		bits = __scx_cmask_bits(a, w) & __scx_cmask_bits(b, w) & __scx_cmask_bits(c, w);
		if (!i)
			bits &= GENMASK_U64(63, start % 64);
		if (bits)
			return w * 64 + ctzll(bits);
	}
	return aend;
}

/* The first cid at or after @start set in both @a and @b, or a->base + a->nr_cids. */
static __always_inline u32 cmask_next_and_set(const struct scx_cmask __arena *a,
					      const struct scx_cmask __arena *b, u32 start)
{
	return cmask_next_and2_set(a, b, b, start);
}

/* The first cid set in @m at or after @cid, or m->base + m->nr_cids. */
static __always_inline u32 cmask_next_set(const struct scx_cmask __arena *m, u32 cid)
{
	return cmask_next_and2_set(m, m, m, cid);
}

static __always_inline u32 cmask_first_set(const struct scx_cmask __arena *m)
{
	return cmask_next_set(m, m->base);
}

/* Whether @a and @b have a cid in common. */
static __always_inline bool cmask_intersects(const struct scx_cmask __arena *a,
					     const struct scx_cmask __arena *b)
{
	return cmask_next_and_set(a, b, 0) < a->base + a->nr_cids;
}

/*
 * Round-robin searches: as the cmask_next_*() above, but when nothing is found from @start
 * to the end of @a's range, search again from its start up to @start.
 */
static __always_inline u32 cmask_next_and2_set_wrap(const struct scx_cmask __arena *a,
						    const struct scx_cmask __arena *b,
						    const struct scx_cmask __arena *c, u32 start)
{
	u32 end = a->base + a->nr_cids, cid;

	cid = cmask_next_and2_set(a, b, c, start);
	if (cid < end || start <= a->base)
		return cid;
	cid = cmask_next_and2_set(a, b, c, a->base);
	return cid < start ? cid : end;
}

static __always_inline u32 cmask_next_and_set_wrap(const struct scx_cmask __arena *a,
						   const struct scx_cmask __arena *b, u32 start)
{
	return cmask_next_and2_set_wrap(a, b, b, start);
}

static __always_inline u32 cmask_next_set_wrap(const struct scx_cmask __arena *m, u32 start)
{
	return cmask_next_and2_set_wrap(m, m, m, start);
}

/* for each cid set in @m, in increasing order: cmask_for_each(cid, m) { ... } */
#define cmask_for_each(cid, m)							\
	for ((cid) = cmask_first_set(m); (cid) < (m)->base + (m)->nr_cids;	\
	     (cid) = cmask_next_set((m), (cid) + 1))

/*
 * Make @m the cid form of the CPU mask @cpumask: cleared, then the cid of every CPU in
 * @cpumask that falls in @m's range set.  @cpumask must not change meanwhile (hold RCU for
 * a task's cpus_ptr).
 */
static __always_inline void cmask_from_cpumask(struct scx_cmask __arena *m,
					       const struct cpumask *cpumask)
{
	u32 nr = scx_bpf_nr_cpu_ids();
	s32 cpu, cid;

	cmask_zero(m);
	bpf_for(cpu, 0, nr) {
		if (!bpf_cpumask_test_cpu(cpu, cpumask))
			continue;
		cid = __COMPAT_scx_bpf_cpu_to_cid(cpu);
		if (cid >= 0)
			__cmask_set(cid, m);
	}
}

/* -------------------------------------------------------------------------------------------
 * libscx's forms: mask first, signed cids, -1 for "none".
 */

/* Whether @m's range and storage cover @cid. */
static __always_inline bool scx_cmask_covers(const struct scx_cmask __arena *m, s32 cid)
{
	return cid >= 0 && __cmask_contains(cid, m) &&
	       (u32)cid / 64 - m->base / 64 < m->alloc_words;
}

static __always_inline bool scx_cmask_test(const struct scx_cmask __arena *m, s32 cid)
{
	return scx_cmask_covers(m, cid) && cmask_test(cid, m);
}

/* Set / clear @cid (not atomically); false when @m does not cover it. */
static __always_inline bool scx_cmask_set(struct scx_cmask __arena *m, s32 cid)
{
	if (!scx_cmask_covers(m, cid))
		return false;
	__cmask_set(cid, m);
	return true;
}

static __always_inline bool scx_cmask_clear(struct scx_cmask __arena *m, s32 cid)
{
	if (!scx_cmask_covers(m, cid))
		return false;
	__cmask_clear(cid, m);
	return true;
}

/* Number of cids set. */
static __always_inline u32 scx_cmask_weight(const struct scx_cmask __arena *m)
{
	return cmask_weight(m);
}

/* First cid set at or after @from, or -1. */
static __always_inline s32 scx_cmask_next(const struct scx_cmask __arena *m, s32 from)
{
	u32 cid = cmask_next_set(m, from < 0 ? 0 : from);

	return cid < m->base + m->nr_cids ? (s32)cid : -1;
}

/* for each cid set in @m: scx_cmask_for_each(cid, m) { ... } */
#define scx_cmask_for_each(cid, m)						\
	for ((cid) = scx_cmask_next((m), 0); (cid) >= 0;			\
	     (cid) = scx_cmask_next((m), (cid) + 1))

#endif /* __SCX_CID_BPF_H */
