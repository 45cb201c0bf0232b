// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * The UEI record readers: the input fills a struct user_exit_info byte for byte (strings need
 * not be terminated, the kind may be anything), the rest is the BPF side's debug dump (not
 * terminated either).  scx_uei_read() must terminate the strings; scx_uei_report() must print
 * "EXIT: <reason>" to a stream and through the log callback without reading past any buffer.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>

#include <scx/log.h>
#include <scx/uei.h>

#include "fuzz.h"

static size_t logged;

static void count_log(enum scx_log_level level, const char *msg, void *ctx)
{
	(void)level;
	(void)ctx;
	logged += strlen(msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct user_exit_info *uei = calloc(1, sizeof(*uei)), copy;
	size_t head = size < sizeof(*uei) ? size : sizeof(*uei);
	size_t dump_len = size - head;
	char *dump = NULL, *text = NULL, want[UEI_REASON_LEN + 8];
	size_t text_len = 0;
	FILE *out;
	int kind, ret;

	if (!uei)
		return 0;
	scx_log_fn_set(count_log, NULL);
	memcpy(uei, data, head);
	if (dump_len) {
		/* an exact-size copy, so ASan sees a read past the end */
		dump = malloc(dump_len);
		if (dump)
			memcpy(dump, data + head, dump_len);
	}
	kind = scx_uei_read(uei, &copy);
	FUZZ_CHECK(kind == uei->kind || (uei->kind < 0 && kind == -EINVAL));
	if (kind >= 0) {
		FUZZ_CHECK(memchr(copy.reason, '\0', sizeof(copy.reason)) != NULL);
		FUZZ_CHECK(memchr(copy.msg, '\0', sizeof(copy.msg)) != NULL);
		/* not exited: the empty exit info, whatever the other fields hold */
		FUZZ_CHECK(kind ? copy.exit_code == uei->exit_code
				: copy.exit_code == 0 && !copy.reason[0] && !copy.msg[0]);
	}
	FUZZ_CHECK(scx_uei_exited(uei) == (uei->kind != 0));
	(void)scx_uei_kind_name(uei->kind);

	out = open_memstream(&text, &text_len);
	if (out) {
		ret = scx_uei_report(uei, dump, dump_len, out);
		fclose(out);
		if (kind > 0) {
			FUZZ_CHECK(ret == 0);
			snprintf(want, sizeof(want), "EXIT: %s", copy.reason);
			FUZZ_CHECK(text && strstr(text, want));
		} else {
			/* not exited yet, or a negative kind: no exit info at all */
			FUZZ_CHECK(ret == (kind == 0 ? -EAGAIN : -EINVAL));
		}
		free(text);
	}
	logged = 0;
	ret = scx_uei_report(uei, dump, dump_len, NULL);
	FUZZ_CHECK(kind > 0 ? ret == 0 && logged > 0 : ret == (kind == 0 ? -EAGAIN : -EINVAL));
	(void)scx_uei_ecode_user(uei->exit_code);
	(void)scx_uei_ecode_restart(uei->exit_code);
	free(dump);
	free(uei);
	return 0;
}
