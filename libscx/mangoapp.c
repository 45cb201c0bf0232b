// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * Reader of the mangoapp frame-timing System V message queue.
 */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>

#include <scx/mangoapp.h>

#include "internal.h"

struct scx_mangoapp {
	int msqid;
};

/* What msgrcv(2) fills: the type, then up to the v1 payload. */
#define V1_PAYLOAD (sizeof(struct mangoapp_msg_v1) - sizeof(long))
/* The shortest message accepted: the header's version and the pid. */
#define MIN_PAYLOAD (offsetof(struct mangoapp_msg_v1, pid) + sizeof(uint32_t) - sizeof(long))

int scx_mangoapp_default_key(void)
{
	return (int)ftok("mangoapp", SCX_MANGOAPP_PROJ_ID);
}

struct scx_mangoapp *scx_mangoapp_open(const struct scx_mangoapp_opts *opts)
{
	struct scx_mangoapp *m;
	key_t key;
	int err, id;

	err = SCX_OPTS_VALID(opts, scx_mangoapp_opts);
	if (err)
		return scx_err_ptr(err);
	key = SCX_OPTS_GET(opts, use_key, 0) ? (key_t)SCX_OPTS_GET(opts, key, 0)
					      : (key_t)scx_mangoapp_default_key();
	id = msgget(key, SCX_OPTS_GET(opts, create, 0) ? IPC_CREAT | 0666 : 0);
	if (id < 0) {
		err = -errno;
		scx_dbg("mangoapp: no queue for key %#x: %s", (unsigned int)key, strerror(-err));
		return scx_err_ptr(err);
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		return scx_err_ptr(-ENOMEM);
	m->msqid = id;
	return m;
}

void scx_mangoapp_close(struct scx_mangoapp *m)
{
	free(m);
}

int scx_mangoapp_id(const struct scx_mangoapp *m)
{
	if (!m)
		return scx_errno(-EINVAL);
	return m->msqid;
}

int scx_mangoapp_read(struct scx_mangoapp *m, struct mangoapp_msg_v1 *msg)
{
	struct mangoapp_msg_v1 in;
	ssize_t n;

	if (!m || !msg)
		return scx_errno(-EINVAL);
	memset(&in, 0, sizeof(in));
	do {
		/* MSG_NOERROR: a newer, longer message is truncated to the fields known here */
		n = msgrcv(m->msqid, &in, V1_PAYLOAD, SCX_MANGOAPP_MSG_TYPE, IPC_NOWAIT | MSG_NOERROR);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return scx_errno(errno == ENOMSG ? 0 : -errno);
	if ((size_t)n < MIN_PAYLOAD)
		return scx_errno(-EBADMSG);
	memcpy(msg, &in, sizeof(in));
	return in.hdr.version == 1 ? 1 : scx_errno(-EPROTO);
}

int scx_mangoapp_read_latest(struct scx_mangoapp *m, struct mangoapp_msg_v1 *msg)
{
	struct mangoapp_msg_v1 cur;
	int nr = 0, ret;

	if (!m || !msg)
		return scx_errno(-EINVAL);
	for (;;) {
		ret = scx_mangoapp_read(m, &cur);
		if (ret == 0)
			return nr;
		if (ret == 1)
			memcpy(msg, &cur, sizeof(cur));
		else if (ret != -EPROTO && ret != -EBADMSG)
			return ret;	/* errno set */
		if (nr == INT32_MAX)
			return nr;
		nr++;
	}
}
