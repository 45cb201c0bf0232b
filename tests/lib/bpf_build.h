/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * Test helper: compile a small BPF C source into an object with BTF, with clang (the
 * environment's SCX_TEST_BPF_CC, which make check sets to configure's BPF_CLANG, else the newest
 * of clang-22 ... clang-16 on PATH, else clang).  Tests skip when none works.
 */
#ifndef SCX_TEST_BPF_BUILD_H
#define SCX_TEST_BPF_BUILD_H

struct bpf_object;

/* The clang that compiles BPF test sources, or NULL when there is none. */
const char *bpf_build_cc(void);

/*
 * Write @src to a temporary file, compile it and open the object with libbpf.  Returns the
 * opened object (free with bpf_object__close), or NULL with *why set to the reason.
 */
struct bpf_object *bpf_build_open(const char *src, const char **why);

#endif
