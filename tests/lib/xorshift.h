/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/* xorshift64*: reproducible pseudo-random numbers for tests, so a failure reproduces. */
#ifndef SCX_TEST_XORSHIFT_H
#define SCX_TEST_XORSHIFT_H

#include <stdint.h>

/* The next number of the sequence whose state is *@state (any non-zero start). */
static inline uint64_t xorshift64s(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 0x2545f4914f6cdd1dULL;
}

#endif /* SCX_TEST_XORSHIFT_H */
