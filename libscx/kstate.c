// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * Snapshot of /sys/kernel/sched_ext.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <scx/kstate.h>

#include "internal.h"
#include "sysfs.h"

#define NR_FIELDS 4
/* sys/kernel/sched_ext/state: "enabled", "disabled", "enabling", "disabling". */
#define STATE_TEXT_MAX 32
/* root/ops: the running scheduler's name, at most the kernel's SCX_OPS_NAME_LEN with its NUL. */
#define OPS_NAME_MAX 128

struct scx_kstate {
	bool supported;
	char state[STATE_TEXT_MAX];
	char ops[OPS_NAME_MAX];
	uint64_t values[NR_FIELDS];
	bool have[NR_FIELDS];
};

static const char *const field_files[NR_FIELDS] = {
	[SCX_KSTATE_SWITCH_ALL] = "switch_all",
	[SCX_KSTATE_NR_REJECTED] = "nr_rejected",
	[SCX_KSTATE_HOTPLUG_SEQ] = "hotplug_seq",
	[SCX_KSTATE_ENABLE_SEQ] = "enable_seq",
};

struct scx_kstate *scx_kstate_load(const struct scx_kstate_opts *opts)
{
	struct scx_kstate *ks;
	struct scx_sysfs fs;
	int err, i;

	err = SCX_OPTS_VALID(opts, scx_kstate_opts);
	if (err)
		return scx_err_ptr(err);
	err = scx_sysfs_init(&fs, SCX_OPTS_GET(opts, sysfs_root, NULL));
	if (err)
		return scx_err_ptr(err);
	ks = calloc(1, sizeof(*ks));
	if (!ks) {
		scx_sysfs_fini(&fs);
		return scx_err_ptr(-ENOMEM);
	}
	ks->supported = scx_sysfs_exists(&fs, "sys/kernel/sched_ext");
	if (ks->supported) {
		if (scx_sysfs_read(&fs, ks->state, sizeof(ks->state), "sys/kernel/sched_ext/state") < 0)
			ks->state[0] = '\0';
		if (scx_sysfs_read(&fs, ks->ops, sizeof(ks->ops), "sys/kernel/sched_ext/root/ops") < 0)
			ks->ops[0] = '\0';
		for (i = 0; i < NR_FIELDS; i++)
			ks->have[i] = !scx_sysfs_read_u64(&fs, &ks->values[i],
							  "sys/kernel/sched_ext/%s", field_files[i]);
	}
	scx_sysfs_fini(&fs);
	return ks;
}

void scx_kstate_free(struct scx_kstate *ks)
{
	free(ks);
}

bool scx_kstate_supported(const struct scx_kstate *ks)
{
	return ks && ks->supported;
}

const char *scx_kstate_state(const struct scx_kstate *ks)
{
	return ks && ks->state[0] ? ks->state : NULL;
}

bool scx_kstate_enabled(const struct scx_kstate *ks)
{
	return ks && !strcmp(ks->state, "enabled");
}

const char *scx_kstate_ops(const struct scx_kstate *ks)
{
	return ks && ks->ops[0] ? ks->ops : NULL;
}

int scx_kstate_value(const struct scx_kstate *ks, enum scx_kstate_field field, uint64_t *val)
{
	if (!ks || !val || (unsigned int)field >= NR_FIELDS)
		return scx_errno(-EINVAL);
	if (!ks->have[field])
		return scx_errno(-ENOENT);
	*val = ks->values[field];
	return 0;
}
