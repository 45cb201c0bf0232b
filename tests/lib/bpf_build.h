/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * Test helper: compile a small BPF C source into an object with BTF, with clang (the
 * environment's SCX_TEST_BPF_CC, else clang-19, else clang).  Tests skip when none works.
 */
#ifndef SCX_TEST_BPF_BUILD_H
#define SCX_TEST_BPF_BUILD_H

struct bpf_object;

/*
 * Write @src to a temporary file, compile it and open the object with libbpf.  Returns the
 * opened object (free with bpf_object__close), or NULL with *why set to the reason.
 */
struct bpf_object *bpf_build_open(const char *src, const char **why);

#endif
