// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/* Test helper: real Debian kernel BTF through tests/fetch-kernel-btf.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>

#include "kernel_btf.h"

const char *kernel_btf_path(const char *line)
{
	static char path[4096];
	const char *top = getenv("top_srcdir");
	char cmd[4096 + 64];
	FILE *p;
	size_t len;
	int rc;

	if (!top)
		top = ".";
	snprintf(cmd, sizeof(cmd), "'%s/tests/fetch-kernel-btf.sh' '%s' 2>/dev/null", top, line);
	p = popen(cmd, "r");
	if (!p)
		return NULL;
	if (!fgets(path, sizeof(path), p))
		path[0] = '\0';
	rc = pclose(p);
	len = strlen(path);
	if (len && path[len - 1] == '\n')
		path[--len] = '\0';
	return rc == 0 && len ? path : NULL;
}

struct btf *kernel_btf_load(const char *line)
{
	const char *path = kernel_btf_path(line);

	return path ? btf__parse(path, NULL) : NULL;
}
