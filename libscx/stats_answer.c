// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * The stats server's protocol half: what it serves (targets and their description) and the
 * reply to one request line.  Requests are {"req": NAME, "args": {KEY: STRING, ...}}, replies
 * {"errno": N, "args": {"resp": VALUE}} as the scx_stats crate writes them; an error's VALUE is
 * its message, which is also put in args.errmsg, where libscx 1.0's client looks for it.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "internal.h"
#include "stats_server_internal.h"

int scx_stats_catalog_init(struct scx_stats_catalog *cat)
{
	memset(cat, 0, sizeof(*cat));
	cat->targets = json_object_new_object();
	cat->meta = json_object_new_object();
	if (!cat->targets || !cat->meta) {
		scx_stats_catalog_fini(cat);
		return -ENOMEM;
	}
	return 0;
}

void scx_stats_catalog_fini(struct scx_stats_catalog *cat)
{
	json_object_put(cat->targets);
	json_object_put(cat->meta);
	free(cat->fns);
	free(cat->ctxs);
	memset(cat, 0, sizeof(*cat));
}

int scx_stats_catalog_add_stats(struct scx_stats_catalog *cat, const char *target,
				scx_stats_server_fn fn, void *ctx)
{
	unsigned int n = cat->nr_targets;
	scx_stats_server_fn *fns;
	void **ctxs;

	if (json_object_object_get_ex(cat->targets, target, NULL))
		return -EEXIST;
	fns = realloc(cat->fns, (n + 1) * sizeof(*fns));
	if (!fns)
		return -ENOMEM;
	cat->fns = fns;
	ctxs = realloc(cat->ctxs, (n + 1) * sizeof(*ctxs));
	if (!ctxs)
		return -ENOMEM;
	cat->ctxs = ctxs;
	if (json_object_object_add(cat->targets, target, json_object_new_int((int)n)))
		return -ENOMEM;
	fns[n] = fn;
	ctxs[n] = ctx;
	cat->nr_targets = n + 1;
	return 0;
}

/* Add @key: a new string @val to @obj; a NULL @val adds nothing. */
static int add_string(json_object *obj, const char *key, const char *val)
{
	json_object *s;

	if (!val)
		return 0;
	s = json_object_new_string(val);
	if (!s || json_object_object_add(obj, key, s)) {
		json_object_put(s);
		return -ENOMEM;
	}
	return 0;
}

int scx_stats_catalog_add_meta(struct scx_stats_catalog *cat, const char *name, const char *desc,
			       unsigned int flags)
{
	json_object *m, *fields;

	if (json_object_object_get_ex(cat->meta, name, NULL))
		return -EEXIST;
	m = json_object_new_object();
	if (!m)
		return -ENOMEM;
	/* the member order of the scx_stats crate's StatsMeta: name, top, desc, fields */
	if (add_string(m, "name", name) ||
	    add_string(m, "top", (flags & SCX_STATS_META_TOP) ? "true" : NULL) ||
	    add_string(m, "desc", desc))
		goto nomem;
	fields = json_object_new_object();
	if (!fields || json_object_object_add(m, "fields", fields)) {
		json_object_put(fields);
		goto nomem;
	}
	if (json_object_object_add(cat->meta, name, m))
		goto nomem;
	return 0;
nomem:
	json_object_put(m);
	return -ENOMEM;
}

/*
 * One element kind of a field's type: a scalar's name ("u64", "i64", "float", "string") or a
 * struct, {"struct": NAME}.  NULL with *err set for text that is neither.
 */
static json_object *parse_kind(const char *text, size_t len, int *err)
{
	static const char *const scalars[] = {"u64", "i64", "float", "string"};
	json_object *obj, *name;
	size_t i;

	*err = -EINVAL;
	if (!len)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(scalars); i++)
		if (strlen(scalars[i]) == len && !memcmp(text, scalars[i], len))
			break;
	for (size_t j = 0; i == ARRAY_SIZE(scalars) && j < len; j++)
		if (!isalnum((unsigned char)text[j]) && text[j] != '_')
			return NULL;
	*err = -ENOMEM;
	if (i < ARRAY_SIZE(scalars))
		return json_object_new_string_len(text, (int)len);
	obj = json_object_new_object();
	name = json_object_new_string_len(text, (int)len);
	if (!obj || !name || json_object_object_add(obj, "struct", name)) {
		json_object_put(obj);
		json_object_put(name);
		return NULL;
	}
	return obj;
}

static bool can_be_key(const char *text, size_t len)
{
	return (len == 3 && (!memcmp(text, "u64", 3) || !memcmp(text, "i64", 3))) ||
	       (len == 6 && !memcmp(text, "string", 6));
}

/* The dict "{K:T}"'s {"key": K, "datum": T}. */
static json_object *parse_dict(const char *text, size_t len, int *err)
{
	const char *colon = memchr(text, ':', len);
	json_object *dict, *key = NULL, *datum = NULL;

	*err = -EINVAL;
	if (!colon || !can_be_key(text, (size_t)(colon - text)))
		return NULL;
	dict = json_object_new_object();
	if (!dict) {
		*err = -ENOMEM;
		return NULL;
	}
	key = parse_kind(text, (size_t)(colon - text), err);
	if (key && !json_object_object_add(dict, "key", key)) {
		key = NULL;
		datum = parse_kind(colon + 1, len - (size_t)(colon - text) - 1, err);
		if (datum && !json_object_object_add(dict, "datum", datum))
			return dict;
	}
	json_object_put(key);
	json_object_put(datum);
	json_object_put(dict);
	return NULL;
}

/* A field's description without desc: {"datum": K}, {"array": K} or {"dict": {...}}. */
static json_object *parse_type(const char *type, int *err)
{
	size_t len = strlen(type);
	const char *shape = "datum";
	json_object *field, *data;

	if (len >= 2 && type[0] == '[' && type[len - 1] == ']') {
		shape = "array";
		data = parse_kind(type + 1, len - 2, err);
	} else if (len >= 2 && type[0] == '{' && type[len - 1] == '}') {
		shape = "dict";
		data = parse_dict(type + 1, len - 2, err);
	} else {
		data = parse_kind(type, len, err);
	}
	if (!data)
		return NULL;
	field = json_object_new_object();
	if (!field || json_object_object_add(field, shape, data)) {
		json_object_put(field);
		json_object_put(data);
		*err = -ENOMEM;
		return NULL;
	}
	return field;
}

int scx_stats_catalog_add_field(struct scx_stats_catalog *cat, const char *meta, const char *field,
				const char *type, const char *desc)
{
	json_object *m, *fields, *f;
	int err;

	if (!json_object_object_get_ex(cat->meta, meta, &m))
		return -ENOENT;
	json_object_object_get_ex(m, "fields", &fields);
	if (json_object_object_get_ex(fields, field, NULL))
		return -EEXIST;
	f = parse_type(type, &err);
	if (!f)
		return err;
	if (add_string(f, "desc", desc) || json_object_object_add(fields, field, f)) {
		json_object_put(f);
		return -ENOMEM;
	}
	return 0;
}

int scx_stats_catalog_add_user_attr(struct scx_stats_catalog *cat, const char *meta,
				    const char *field, const char *key, const char *value)
{
	json_object *obj, *fields, *user;

	if (!json_object_object_get_ex(cat->meta, meta, &obj))
		return -ENOENT;
	if (field) {
		json_object_object_get_ex(obj, "fields", &fields);
		if (!json_object_object_get_ex(fields, field, &obj))
			return -ENOENT;
	}
	if (!json_object_object_get_ex(obj, "user", &user)) {
		user = json_object_new_object();
		if (!user || json_object_object_add(obj, "user", user)) {
			json_object_put(user);
			return -ENOMEM;
		}
	}
	if (json_object_object_get_ex(user, key, NULL))
		return -EEXIST;
	/* a valueless attribute is "true", as the crate's derive makes it */
	return add_string(user, key, value ? value : "true");
}

/* {"errno": @err, "args": {"resp": @resp}}, taking @resp; errors also name args.errmsg. */
static char *format_reply(int err, json_object *resp, size_t *reply_len)
{
	json_object *root = json_object_new_object(), *args = json_object_new_object();
	const char *text;
	char *line = NULL;

	if (!root || !args || json_object_object_add(root, "errno", json_object_new_int(err)))
		goto out;
	if (err && json_object_object_add(args, "errmsg", json_object_get(resp)))
		goto out;
	if (json_object_object_add(args, "resp", resp))
		goto out;
	resp = NULL;
	if (json_object_object_add(root, "args", args))
		goto out;
	args = NULL;
	text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN);
	if (!text)
		goto out;
	*reply_len = strlen(text) + 1;
	line = malloc(*reply_len + 1);
	if (line) {
		memcpy(line, text, *reply_len - 1);
		line[*reply_len - 1] = '\n';
		line[*reply_len] = '\0';
	}
out:
	json_object_put(resp);
	json_object_put(args);
	json_object_put(root);
	return line;
}

char *scx_stats_answer_error(int err, const char *msg, size_t *reply_len)
{
	json_object *m = json_object_new_string(msg);

	return m ? format_reply(err, m, reply_len) : NULL;
}

/* The request's "req" and "args", checked as the scx_stats crate reads them. */
static int parse_request(json_object *root, const char **req, json_object **args, const char **why)
{
	json_object *jreq;

	*why = "a request is a JSON object";
	if (!json_object_is_type(root, json_type_object))
		return -EINVAL;
	*why = "the request has no string \"req\"";
	if (!json_object_object_get_ex(root, "req", &jreq) ||
	    !json_object_is_type(jreq, json_type_string))
		return -EINVAL;
	*req = json_object_get_string(jreq);
	*args = NULL;
	if (!json_object_object_get_ex(root, "args", args))
		return 0;
	*why = "the request's \"args\" is not an object of strings";
	if (!json_object_is_type(*args, json_type_object))
		return -EINVAL;
	json_object_object_foreach(*args, key, val)
	{
		(void)key;
		if (!json_object_is_type(val, json_type_string))
			return -EINVAL;
	}
	return 0;
}

static char *answer_stats(const struct scx_stats_catalog *cat, json_object *args, size_t *reply_len)
{
	json_object *jtarget, *jidx, *resp, *no_args;
	const char *target = "top";
	char msg[256];
	int idx, err;

	if (args && json_object_object_get_ex(args, "target", &jtarget))
		target = json_object_get_string(jtarget);
	if (!json_object_object_get_ex(cat->targets, target, &jidx)) {
		snprintf(msg, sizeof(msg), "unknown stat target \"%.200s\"", target);
		return scx_stats_answer_error(EINVAL, msg, reply_len);
	}
	resp = json_object_new_object();
	no_args = args ? NULL : json_object_new_object();
	if (!resp || (!args && !no_args)) {
		json_object_put(resp);
		return NULL;
	}
	idx = json_object_get_int(jidx);
	err = cat->fns[idx](resp, args ? args : no_args, cat->ctxs[idx]);
	json_object_put(no_args);
	if (err < 0) {
		json_object_put(resp);
		snprintf(msg, sizeof(msg), "stat target \"%.200s\": %s", target, strerror(-err));
		return scx_stats_answer_error(-err, msg, reply_len);
	}
	return format_reply(0, resp, reply_len);
}

/* Parse @line as exactly one JSON value, white space around it allowed. */
static json_object *parse_line(const char *line, size_t len)
{
	json_tokener *tok = json_tokener_new();
	json_object *root = NULL;
	size_t end;

	if (!tok || len > (size_t)INT32_MAX)
		goto out;
	root = json_tokener_parse_ex(tok, line, (int)len);
	if (json_tokener_get_error(tok) != json_tokener_success) {
		json_object_put(root);
		root = NULL;
		goto out;
	}
	for (end = json_tokener_get_parse_end(tok); end < len; end++)
		if (!isspace((unsigned char)line[end])) {
			json_object_put(root);
			root = NULL;
			break;
		}
out:
	json_tokener_free(tok);
	return root;
}

char *scx_stats_answer(const struct scx_stats_catalog *cat, const char *line, size_t len,
		       size_t *reply_len)
{
	json_object *root = parse_line(line, len), *args;
	const char *req, *why;
	char msg[256], *reply;

	if (!root)
		return scx_stats_answer_error(EINVAL, "the request is not one JSON value",
					      reply_len);
	if (parse_request(root, &req, &args, &why)) {
		reply = scx_stats_answer_error(EINVAL, why, reply_len);
	} else if (!strcmp(req, "stats")) {
		reply = answer_stats(cat, args, reply_len);
	} else if (!strcmp(req, "stats_meta")) {
		reply = format_reply(0, json_object_get(cat->meta), reply_len);
	} else {
		snprintf(msg, sizeof(msg), "unknown command \"%.200s\"", req);
		reply = scx_stats_answer_error(EINVAL, msg, reply_len);
	}
	json_object_put(root);
	return reply;
}
