// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/* Test helper: compile and open a small BPF object. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "bpf_build.h"

const char *bpf_build_cc(void)
{
	/* The release's clang may be any of them: Debian 12 has clang-19 beside its clang-14,
	 * unstable only its newest. */
	static const char *const cands[] = { "clang-22", "clang-21", "clang-20", "clang-19",
					     "clang-18", "clang-17", "clang-16", "clang" };
	const char *env = getenv("SCX_TEST_BPF_CC");
	char cmd[256];
	size_t i;

	if (env && *env)
		return env;
	for (i = 0; i < sizeof(cands) / sizeof(cands[0]); i++) {
		snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", cands[i]);
		if (!system(cmd))
			return cands[i];
	}
	return NULL;
}

struct bpf_object *bpf_build_open(const char *src, const char **why)
{
	char dir[] = "/tmp/scx-bpf-XXXXXX", path[64], obj[64], cmd[512];
	struct bpf_object *o = NULL;
	const char *cc = bpf_build_cc();
	FILE *f;

	if (!cc) {
		*why = "no clang to build BPF objects";
		return NULL;
	}
	if (!mkdtemp(dir)) {
		*why = "cannot create a temporary folder";
		return NULL;
	}
	snprintf(path, sizeof(path), "%s/t.bpf.c", dir);
	snprintf(obj, sizeof(obj), "%s/t.bpf.o", dir);
	f = fopen(path, "w");
	if (!f || fputs(src, f) < 0 || fclose(f)) {
		*why = "cannot write the BPF source";
		goto out;
	}
	snprintf(cmd, sizeof(cmd), "%s -target bpf -g -O2 -Wall -c %s -o %s", cc, path, obj);
	if (system(cmd)) {
		*why = "clang failed to build the BPF test object";
		goto out;
	}
	o = bpf_object__open_file(obj, NULL);
	if (!o)
		*why = "libbpf cannot open the BPF test object";
out:
	unlink(path);
	unlink(obj);
	rmdir(dir);
	return o;
}
