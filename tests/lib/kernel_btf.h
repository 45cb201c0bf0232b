/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * Test helper: the BTF of a real Debian sched_ext kernel, fetched (once, into
 * $SCX_KERNEL_CACHE) by tests/fetch-kernel-btf.sh.
 */
#ifndef SCX_TEST_KERNEL_BTF_H
#define SCX_TEST_KERNEL_BTF_H

struct btf;

/*
 * Path of the raw BTF of the newest Debian kernel of @line ("7.3"), or NULL when it cannot be
 * had (no network, no tools); the string is static.
 */
const char *kernel_btf_path(const char *line);
/* That BTF parsed with libbpf (free with btf__free), or NULL. */
struct btf *kernel_btf_load(const char *line);

#endif
