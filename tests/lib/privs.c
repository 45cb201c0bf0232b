// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * Test helper: capabilities of the calling process and a recorder for libscx's log.
 */
#include <stdio.h>

#include <scx/log.h>

#include "privs.h"

static char last_msg[4096];
static int nr_msgs;

bool privs_drop_all(void)
{
	cap_t none = cap_init();
	bool ok;

	if (!none)
		return false;
	ok = cap_set_proc(none) == 0;
	cap_free(none);
	return ok;
}

bool privs_have(cap_value_t cap)
{
	cap_flag_value_t v = CAP_CLEAR;
	cap_t cur = cap_get_proc();

	if (!cur)
		return false;
	cap_get_flag(cur, cap, CAP_EFFECTIVE, &v);
	cap_free(cur);
	return v == CAP_SET;
}

static void record(enum scx_log_level level, const char *msg, void *ctx)
{
	(void)level;
	(void)ctx;
	snprintf(last_msg, sizeof(last_msg), "%s", msg);
	nr_msgs++;
}

void logrec_start(void)
{
	nr_msgs = 0;
	last_msg[0] = '\0';
	scx_log_fn_set(record, NULL);
}

const char *logrec_last(void)
{
	return last_msg;
}

int logrec_calls(void)
{
	return nr_msgs;
}
