/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * Shared by the fuzz harnesses: each defines LLVMFuzzerTestOneInput; libFuzzer drives it under
 * clang (make fuzz), and fuzz/replay.c replays the stored corpus under any compiler (make check).
 */
#ifndef SCX_FUZZ_H
#define SCX_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A harness-detected bug: crash so both libFuzzer and the replay driver report it. */
#define FUZZ_CHECK(cond)                                                                     \
	do {                                                                                 \
		if (!(cond))                                                                 \
			__builtin_trap();                                                    \
	} while (0)

/* The input as a NUL-terminated string (caller frees); NULL when allocation fails. */
static inline char *fuzz_strdup(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s) {
		memcpy(s, data, size);
		s[size] = '\0';
	}
	return s;
}

#endif
