/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * libscx cpumask: a set of CPU ids with a fixed width (nr_cpu_ids), its text forms (cpulist
 * "0-3,8", kernel hex "ff,ffffffff", "0x..." hex), set algebra, iteration, and raw u64 words
 * for BPF maps.
 *
 * A mask is mutable: callers serialise changes to one mask themselves.  Operations between two
 * masks require equal widths (else -EINVAL).  Text or ids beyond the width are -EINVAL and leave
 * the mask unchanged.
 */
#ifndef SCX_CPUMASK_H
#define SCX_CPUMASK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <scx/base.h>

SCX_BEGIN_DECLS

/** An opaque CPU set. */
struct scx_cpumask;

/** Largest width a mask may have (ids 0 .. SCX_CPUMASK_MAX_WIDTH - 1). */
#define SCX_CPUMASK_MAX_WIDTH (1u << 20)

/**
 * scx_cpumask_new() - a new, empty mask.
 * @width: number of CPU ids it holds (1 .. SCX_CPUMASK_MAX_WIDTH), normally nr_cpu_ids.
 * Return: the mask, or NULL with errno EINVAL (bad width) or ENOMEM.
 */
SCX_API struct scx_cpumask *scx_cpumask_new(unsigned int width);

/**
 * scx_cpumask_new_copy() - a new mask equal to @src.
 * @src: the mask to copy.
 * Return: the copy, or NULL with errno EINVAL (NULL @src) or ENOMEM.
 */
SCX_API struct scx_cpumask *scx_cpumask_new_copy(const struct scx_cpumask *src);

/**
 * scx_cpumask_free() - release a mask.
 * @mask: the mask; NULL is ignored.
 */
SCX_API void scx_cpumask_free(struct scx_cpumask *mask);

/**
 * scx_cpumask_width() - the number of ids the mask holds.
 * @mask: a mask.
 * Return: its width, or 0 for NULL.
 */
SCX_API unsigned int scx_cpumask_width(const struct scx_cpumask *mask);

/**
 * scx_cpumask_assign() - make @dst equal to @src (same width).
 * @dst: the mask to change.
 * @src: the mask to copy from.
 * Return: 0, or -EINVAL for NULL or different widths.
 */
SCX_API int scx_cpumask_assign(struct scx_cpumask *dst, const struct scx_cpumask *src);

/**
 * scx_cpumask_set() - add one CPU.
 * @mask: the mask.
 * @cpu: the id.
 * Return: 0, or -EINVAL when @cpu is negative or >= width, or @mask is NULL.
 */
SCX_API int scx_cpumask_set(struct scx_cpumask *mask, int cpu);

/**
 * scx_cpumask_clear() - remove one CPU.
 * @mask: the mask.
 * @cpu: the id.
 * Return: 0, or -EINVAL when @cpu is negative or >= width, or @mask is NULL.
 */
SCX_API int scx_cpumask_clear(struct scx_cpumask *mask, int cpu);

/**
 * scx_cpumask_test() - whether a CPU is in the mask.
 * @mask: the mask.
 * @cpu: the id.
 * Return: true when set; false when clear, negative, beyond the width, or @mask is NULL.
 */
SCX_API bool scx_cpumask_test(const struct scx_cpumask *mask, int cpu);

/**
 * scx_cpumask_set_range() - add CPUs @first .. @last inclusive.
 * @mask: the mask.
 * @first: first id (>= 0).
 * @last: last id (>= @first, < width).
 * Return: 0, or -EINVAL (nothing changed).
 */
SCX_API int scx_cpumask_set_range(struct scx_cpumask *mask, int first, int last);

/**
 * scx_cpumask_clear_range() - remove CPUs @first .. @last inclusive.
 * @mask: the mask.
 * @first: first id (>= 0).
 * @last: last id (>= @first, < width).
 * Return: 0, or -EINVAL (nothing changed).
 */
SCX_API int scx_cpumask_clear_range(struct scx_cpumask *mask, int first, int last);

/**
 * scx_cpumask_fill() - set every id below the width.
 * @mask: the mask.
 * Return: 0, or -EINVAL for NULL.
 */
SCX_API int scx_cpumask_fill(struct scx_cpumask *mask);

/**
 * scx_cpumask_zero() - clear every id.
 * @mask: the mask.
 * Return: 0, or -EINVAL for NULL.
 */
SCX_API int scx_cpumask_zero(struct scx_cpumask *mask);

/**
 * scx_cpumask_and() - @dst = @a & @b.  @dst may be @a or @b (in-place form).
 * @dst: result.
 * @a: first operand.
 * @b: second operand.
 * Return: 0, or -EINVAL for NULL or different widths.
 */
SCX_API int scx_cpumask_and(struct scx_cpumask *dst, const struct scx_cpumask *a,
			    const struct scx_cpumask *b);
/**
 * scx_cpumask_or() - @dst = @a | @b.  @dst may be @a or @b.
 * @dst: result.
 * @a: first operand.
 * @b: second operand.
 * Return: 0, or -EINVAL for NULL or different widths.
 */
SCX_API int scx_cpumask_or(struct scx_cpumask *dst, const struct scx_cpumask *a,
			   const struct scx_cpumask *b);
/**
 * scx_cpumask_xor() - @dst = @a ^ @b.  @dst may be @a or @b.
 * @dst: result.
 * @a: first operand.
 * @b: second operand.
 * Return: 0, or -EINVAL for NULL or different widths.
 */
SCX_API int scx_cpumask_xor(struct scx_cpumask *dst, const struct scx_cpumask *a,
			    const struct scx_cpumask *b);
/**
 * scx_cpumask_andnot() - @dst = @a & ~@b.  @dst may be @a or @b.
 * @dst: result.
 * @a: first operand.
 * @b: second operand.
 * Return: 0, or -EINVAL for NULL or different widths.
 */
SCX_API int scx_cpumask_andnot(struct scx_cpumask *dst, const struct scx_cpumask *a,
			       const struct scx_cpumask *b);
/**
 * scx_cpumask_not() - @dst = ~@src within the width.  @dst may be @src.
 * @dst: result.
 * @src: operand.
 * Return: 0, or -EINVAL for NULL or different widths.
 */
SCX_API int scx_cpumask_not(struct scx_cpumask *dst, const struct scx_cpumask *src);

/**
 * scx_cpumask_new_and() - a new mask @a & @b (new form; likewise _or, _xor, _andnot, _not).
 * @a: first operand.
 * @b: second operand.
 * Return: the new mask, or NULL with errno EINVAL or ENOMEM.
 */
SCX_API struct scx_cpumask *scx_cpumask_new_and(const struct scx_cpumask *a,
						const struct scx_cpumask *b);
/** scx_cpumask_new_or() - a new mask @a | @b.  Return: as scx_cpumask_new_and(). */
SCX_API struct scx_cpumask *scx_cpumask_new_or(const struct scx_cpumask *a,
					       const struct scx_cpumask *b);
/** scx_cpumask_new_xor() - a new mask @a ^ @b.  Return: as scx_cpumask_new_and(). */
SCX_API struct scx_cpumask *scx_cpumask_new_xor(const struct scx_cpumask *a,
						const struct scx_cpumask *b);
/** scx_cpumask_new_andnot() - a new mask @a & ~@b.  Return: as scx_cpumask_new_and(). */
SCX_API struct scx_cpumask *scx_cpumask_new_andnot(const struct scx_cpumask *a,
						   const struct scx_cpumask *b);
/** scx_cpumask_new_not() - a new mask ~@src.  Return: as scx_cpumask_new_and(). */
SCX_API struct scx_cpumask *scx_cpumask_new_not(const struct scx_cpumask *src);

/**
 * scx_cpumask_equal() - whether two masks hold the same ids.
 * @a: a mask.
 * @b: a mask.
 * Return: true when equal (widths must match too); false otherwise or for NULL.
 */
SCX_API bool scx_cpumask_equal(const struct scx_cpumask *a, const struct scx_cpumask *b);
/**
 * scx_cpumask_subset() - whether every id of @a is in @b.
 * @a: candidate subset.
 * @b: superset.
 * Return: true or false (false for NULL or different widths).
 */
SCX_API bool scx_cpumask_subset(const struct scx_cpumask *a, const struct scx_cpumask *b);
/**
 * scx_cpumask_intersects() - whether @a and @b share an id.
 * @a: a mask.
 * @b: a mask.
 * Return: true or false (false for NULL or different widths).
 */
SCX_API bool scx_cpumask_intersects(const struct scx_cpumask *a, const struct scx_cpumask *b);
/**
 * scx_cpumask_empty() - whether no id is set.
 * @mask: a mask.
 * Return: true when empty or NULL.
 */
SCX_API bool scx_cpumask_empty(const struct scx_cpumask *mask);
/**
 * scx_cpumask_full() - whether every id below the width is set.
 * @mask: a mask.
 * Return: true or false (false for NULL).
 */
SCX_API bool scx_cpumask_full(const struct scx_cpumask *mask);
/**
 * scx_cpumask_weight() - how many ids are set.
 * @mask: a mask.
 * Return: the count (0 for NULL).
 */
SCX_API unsigned int scx_cpumask_weight(const struct scx_cpumask *mask);

/**
 * scx_cpumask_first() - the lowest set id.
 * @mask: a mask.
 * Return: the id, or -ENOENT when empty (-EINVAL for NULL).
 */
SCX_API int scx_cpumask_first(const struct scx_cpumask *mask);
/**
 * scx_cpumask_next() - the lowest set id greater than @prev.
 * @mask: a mask.
 * @prev: the previous id; -1 (any negative value) starts from the beginning.
 * Return: the id, or -ENOENT when none is left (-EINVAL for NULL).
 */
SCX_API int scx_cpumask_next(const struct scx_cpumask *mask, int prev);
/**
 * scx_cpumask_last() - the highest set id.
 * @mask: a mask.
 * Return: the id, or -ENOENT when empty (-EINVAL for NULL).
 */
SCX_API int scx_cpumask_last(const struct scx_cpumask *mask);

/**
 * struct scx_cpumask_iter - the state of one scx_cpumask_for_each() loop.
 *
 * Filled by scx_cpumask_iter_start() and advanced by the inline scx_cpumask_iter_next(), so a
 * loop costs one library call in all, not one per id.  Treat the fields as private; the layout
 * is part of the ABI only so that the inline step can read it.
 */
struct scx_cpumask_iter {
	const uint64_t *words;	/* the mask's words (bit n of word w is id 64 * w + n) */
	unsigned int nr_words;	/* how many */
	unsigned int idx;	/* the word @cur came from */
	uint64_t cur;		/* ids of word @idx not visited yet */
};

/**
 * scx_cpumask_iter_start() - begin iterating over the set ids of @mask.
 * @mask: the mask; NULL iterates over nothing.
 *
 * The iterator reads @mask in place: while it runs, @mask must stay allocated and must not
 * change, except that clearing the id just returned is allowed.
 *
 * Return: the iterator state, to step with scx_cpumask_iter_next().
 */
SCX_API struct scx_cpumask_iter scx_cpumask_iter_start(const struct scx_cpumask *mask);

/**
 * scx_cpumask_iter_next() - the next set id of an iteration.
 * @it: state from scx_cpumask_iter_start().
 * Return: the id (increasing from call to call), or -1 when none is left.
 */
static inline int scx_cpumask_iter_next(struct scx_cpumask_iter *it)
{
	int cpu;

	while (!it->cur) {
		if (it->idx + 1 >= it->nr_words) {
			it->idx = it->nr_words;
			return -1;
		}
		it->cur = it->words[++it->idx];
	}
	cpu = (int)(it->idx * 64 + (unsigned int)__builtin_ctzll(it->cur));
	it->cur &= it->cur - 1;
	return cpu;
}

#define __SCX_CPUMASK_CAT2(a, b) a##b
#define __SCX_CPUMASK_CAT(a, b) __SCX_CPUMASK_CAT2(a, b)
#define __scx_cpumask_for_each(cpu, mask, it)                                                \
	for (struct scx_cpumask_iter it = scx_cpumask_iter_start(mask);                      \
	     (int)((cpu) = scx_cpumask_iter_next(&it)) >= 0;)

/**
 * scx_cpumask_for_each() - iterate @cpu (an integer lvalue, normally int) over the set ids of
 * @mask in increasing order.  @mask must not change inside the loop, except that clearing @cpu itself is allowed;
 * "break" and "continue" work as in any for loop, and loops nest.
 */
#define scx_cpumask_for_each(cpu, mask)                                                      \
	__scx_cpumask_for_each(cpu, mask, __SCX_CPUMASK_CAT(__scx_cpumask_it_, __COUNTER__))

/**
 * scx_cpumask_parse_list() - set @mask from cpulist text ("0-3,8,10-11", "" for empty, the
 * kernel's stride form "0-15:2/4" (the first 2 of every 4 ids), and "N" for the last id).
 * @mask: the mask to overwrite.
 * @text: the text; surrounding whitespace and a trailing newline are accepted, whitespace
 *        inside the list is not.
 * Return: 0, or -EINVAL for NULL, bad text, a reversed range or an id beyond the width, or
 * -ENOMEM (widths above 8192 parse into a heap buffer); @mask is unchanged on error.
 */
SCX_API int scx_cpumask_parse_list(struct scx_cpumask *mask, const char *text);

/**
 * scx_cpumask_parse_hex() - set @mask from hex text: the kernel's comma-grouped 32-bit form
 * ("ff,ffffffff", as /proc/irq/N/smp_affinity shows) or "0x..." / plain hex digits.
 * @mask: the mask to overwrite.
 * @text: the text.  Leading zero digits beyond the width are accepted; a set bit beyond it is
 *        not.  Comma groups hold 1 to 8 digits; surrounding whitespace is accepted.
 * Return: 0, or -EINVAL (NULL, bad text, a set bit beyond the width) or -ENOMEM; @mask is
 * unchanged on error.
 */
SCX_API int scx_cpumask_parse_hex(struct scx_cpumask *mask, const char *text);

/**
 * scx_cpumask_parse() - set @mask from text that starts with "0x" (hex) or is a cpulist, or
 * from the words "all" (every id below the width) and "none" (empty), as scx_utils' masks
 * read them.  Kernel comma-grouped hex cannot be told from a cpulist ("10,11"), so use
 * scx_cpumask_parse_hex() for it.
 * @mask: the mask to overwrite.
 * @text: the text.
 * Return: as scx_cpumask_parse_hex() or scx_cpumask_parse_list().
 */
SCX_API int scx_cpumask_parse(struct scx_cpumask *mask, const char *text);

/**
 * scx_cpumask_format_list() - write the cpulist form ("0-3,8"; "" when empty).
 * @mask: the mask.
 * @buf: output buffer, always NUL-terminated when @size > 0; may be NULL when @size is 0.
 * @size: its size.
 * Return: the length of the full text (like snprintf: >= @size means it was cut), or -EINVAL
 * (NULL @mask, or NULL @buf with @size > 0).
 */
SCX_API int scx_cpumask_format_list(const struct scx_cpumask *mask, char *buf, size_t size);

/**
 * scx_cpumask_format_hex() - write the kernel's comma-grouped 32-bit hex form, as
 * /proc/irq/N/smp_affinity takes it ("ff,ffffffff"; the number of groups follows the width).
 * @mask: the mask.
 * @buf: output buffer (as for scx_cpumask_format_list()).
 * @size: its size.
 * Return: as scx_cpumask_format_list().
 */
SCX_API int scx_cpumask_format_hex(const struct scx_cpumask *mask, char *buf, size_t size);

/**
 * scx_cpumask_to_u64s() - export the mask as u64 words (bit n of word w is CPU 64 * w + n),
 * the layout BPF maps and kernel cpumasks use on 64-bit hosts.
 * @mask: the mask.
 * @words: destination; NULL with @nr_words 0 only asks for the size.
 * @nr_words: its length; ids beyond 64 * @nr_words must be clear, extra words are zeroed.
 * Return: the number of words the mask needs (ceil(width / 64)), or -EINVAL (NULL @mask, or
 * NULL @words with @nr_words > 0) or -ERANGE (a set id does not fit; @words is then left
 * unchanged).
 */
SCX_API int scx_cpumask_to_u64s(const struct scx_cpumask *mask, uint64_t *words, size_t nr_words);

/**
 * scx_cpumask_from_u64s() - set the mask from u64 words.
 * @mask: the mask to overwrite.
 * @words: source words (bit n of word w is CPU 64 * w + n); NULL when @nr_words is 0.
 * @nr_words: their number; ids past them are cleared.
 * Return: 0, or -EINVAL for NULL or a set bit at or beyond the width (@mask unchanged).
 */
SCX_API int scx_cpumask_from_u64s(struct scx_cpumask *mask, const uint64_t *words,
				  size_t nr_words);

SCX_END_DECLS

#endif /* SCX_CPUMASK_H */
