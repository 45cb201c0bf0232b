/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * Test helper: the calling process's capabilities, and the last message libscx logged.  A
 * Criterion test runs in its own process, so dropping capabilities does not leak into others.
 */
#ifndef SCX_TEST_PRIVS_H
#define SCX_TEST_PRIVS_H

#include <stdbool.h>
#include <sys/capability.h>

/* Clear every capability set of the process; false when the kernel refused. */
bool privs_drop_all(void);

/* Whether @cap is in the effective set. */
bool privs_have(cap_value_t cap);

/* Route libscx's log to a recorder and forget what it recorded so far. */
void logrec_start(void);

/* The last message logged since logrec_start(), "" for none, and how many there were. */
const char *logrec_last(void);
int logrec_calls(void);

#endif /* SCX_TEST_PRIVS_H */
