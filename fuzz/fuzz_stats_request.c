// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * The stats server's answer to one request line, whatever a client sends: always one line, a
 * JSON object with an integer errno and an args.resp, and errno 0 only for the requests it
 * serves.
 */
#include "config.h"

#include <errno.h>

#include <json-c/json.h>

#include "../libscx/stats_server_internal.h"
#include "fuzz.h"

static int fill(struct json_object *resp, struct json_object *args, void *ctx)
{
	struct json_object *v;

	(void)ctx;
	FUZZ_CHECK(json_object_is_type(args, json_type_object));
	if (json_object_object_get_ex(args, "fail", &v))
		return -EAGAIN;
	return json_object_object_add(resp, "nr", json_object_new_int(1)) ? -ENOMEM : 0;
}

static void check_reply(const char *reply, size_t len)
{
	struct json_object *root, *jerr, *args, *resp;

	FUZZ_CHECK(len > 0 && reply[len - 1] == '\n');
	FUZZ_CHECK(!memchr(reply, '\n', len - 1));
	root = json_tokener_parse(reply);
	FUZZ_CHECK(root && json_object_is_type(root, json_type_object));
	FUZZ_CHECK(json_object_object_get_ex(root, "errno", &jerr) &&
		   json_object_is_type(jerr, json_type_int));
	FUZZ_CHECK(json_object_object_get_ex(root, "args", &args) &&
		   json_object_object_get_ex(args, "resp", &resp));
	FUZZ_CHECK(json_object_get_int(jerr) == 0 || json_object_is_type(resp, json_type_string));
	json_object_put(root);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scx_stats_catalog cat;
	size_t reply_len = 0;
	char *reply;

	if (scx_stats_catalog_init(&cat))
		return 0;
	if (scx_stats_catalog_add_stats(&cat, "top", fill, NULL) ||
	    scx_stats_catalog_add_meta(&cat, "Top", "the top", 1) ||
	    scx_stats_catalog_add_field(&cat, "Top", "nr", "u64", "a number"))
		goto out;
	/* the server hands over a line without its newline */
	if (memchr(data, '\n', size))
		size = (size_t)((const uint8_t *)memchr(data, '\n', size) - data);
	reply = scx_stats_answer(&cat, (const char *)data, size, &reply_len);
	if (reply) {
		check_reply(reply, reply_len);
		free(reply);
	}
out:
	scx_stats_catalog_fini(&cat);
	return 0;
}
