// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * mangoapp messages: the byte layout (offsets worked out from the field list), and the reader
 * against a real System V message queue that the test creates and removes.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <unistd.h>

#include <scx/log.h>
#include <scx/mangoapp.h>

/*
 * Offsets in the packed v1 message on LP64 (long is 8 bytes):
 * msg_type 0..7, version 8..11, pid 12..15, visible_frametime_ns 16..23, fsrUpscale 24,
 * fsrSharpness 25, app_frametime_ns 26..33, latency_ns 34..41, outputWidth 42..45,
 * outputHeight 46..49, displayRefresh 50..51, flag bits 52, engineName 53..92: 93 bytes.
 */
Test(mangoapp, layout)
{
	struct mangoapp_msg_v1 m;
	unsigned char *b = (unsigned char *)&m;

	cr_assert_eq(sizeof(long), 8, "the worked offsets assume LP64");
	cr_assert_eq(offsetof(struct mangoapp_msg_v1, hdr.version), 8);
	cr_assert_eq(offsetof(struct mangoapp_msg_v1, pid), 12);
	cr_assert_eq(offsetof(struct mangoapp_msg_v1, visible_frametime_ns), 16);
	cr_assert_eq(offsetof(struct mangoapp_msg_v1, fsrUpscale), 24);
	cr_assert_eq(offsetof(struct mangoapp_msg_v1, fsrSharpness), 25);
	cr_assert_eq(offsetof(struct mangoapp_msg_v1, app_frametime_ns), 26);
	cr_assert_eq(offsetof(struct mangoapp_msg_v1, latency_ns), 34);
	cr_assert_eq(offsetof(struct mangoapp_msg_v1, outputWidth), 42);
	cr_assert_eq(offsetof(struct mangoapp_msg_v1, outputHeight), 46);
	cr_assert_eq(offsetof(struct mangoapp_msg_v1, displayRefresh), 50);
	cr_assert_eq(offsetof(struct mangoapp_msg_v1, engineName), 53);
	cr_assert_eq(sizeof(struct mangoapp_msg_v1), 93);

	/* the two flags share byte 52: bAppWantsHDR is bit 0, bSteamFocused bit 1 */
	memset(&m, 0, sizeof(m));
	m.bAppWantsHDR = 1;
	cr_assert_eq(b[52], 0x01);
	m.bAppWantsHDR = 0;
	m.bSteamFocused = 1;
	cr_assert_eq(b[52], 0x02);

	/*
	 * Control message: msg_type 0..7, ctrl_msg_type 8..11, version 12..15, no_display 16,
	 * log_session 17, log_session_name 18..81, reload_config 82: 83 bytes.
	 */
	cr_assert_eq(offsetof(struct mangoapp_ctrl_msgid1_v1, hdr.ctrl_msg_type), 8);
	cr_assert_eq(offsetof(struct mangoapp_ctrl_msgid1_v1, hdr.version), 12);
	cr_assert_eq(offsetof(struct mangoapp_ctrl_msgid1_v1, no_display), 16);
	cr_assert_eq(offsetof(struct mangoapp_ctrl_msgid1_v1, log_session_name), 18);
	cr_assert_eq(offsetof(struct mangoapp_ctrl_msgid1_v1, reload_config), 82);
	cr_assert_eq(sizeof(struct mangoapp_ctrl_msgid1_v1), 83);
}

/* ---- a real queue ---- */

static int qid = -1;
static key_t qkey;

static void quiet(enum scx_log_level l, const char *m, void *c)
{
}

static void setup(void)
{
	unsigned int i;

	scx_log_fn_set(quiet, NULL);
	/* a fresh private key: try keys derived from the pid until one is free */
	for (i = 0; i < 1000; i++) {
		qkey = (key_t)(0x5c800000u ^ ((unsigned int)getpid() << 8) ^ i);
		qid = msgget(qkey, IPC_CREAT | IPC_EXCL | 0600);
		if (qid >= 0 || errno != EEXIST)
			break;
	}
	cr_assert_geq(qid, 0, "msgget: %s", strerror(errno));
}

static void teardown(void)
{
	if (qid >= 0)
		msgctl(qid, IPC_RMID, NULL);
}

TestSuite(mangoapp_queue, .init = setup, .fini = teardown);

static void put_le(unsigned char *p, uint64_t v, size_t bytes)
{
	size_t i;

	for (i = 0; i < bytes; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* A frame message built byte by byte at the offsets above (x86-64 and arm64 are LE). */
static size_t build_frame(unsigned char *buf, long type, uint32_t version, uint32_t pid,
			  uint64_t visible_ns, uint64_t app_ns, const char *engine)
{
	memset(buf, 0, 128);
	memcpy(buf, &type, sizeof(type));
	put_le(buf + 8, version, 4);
	put_le(buf + 12, pid, 4);
	put_le(buf + 16, visible_ns, 8);
	buf[24] = 1;		/* fsrUpscale */
	buf[25] = 5;		/* fsrSharpness */
	put_le(buf + 26, app_ns, 8);
	put_le(buf + 34, 4200000, 8);	/* latency_ns */
	put_le(buf + 42, 1280, 4);
	put_le(buf + 46, 800, 4);
	put_le(buf + 50, 90, 2);
	buf[52] = 0x02;		/* Steam focused, no HDR */
	strncpy((char *)buf + 53, engine, 40);
	return 93;
}

static void send_bytes(const unsigned char *buf, size_t len)
{
	cr_assert_eq(msgsnd(qid, buf, len - sizeof(long), IPC_NOWAIT), 0, "msgsnd: %s",
		     strerror(errno));
}

static struct scx_mangoapp *open_test_queue(void)
{
	SCX_OPTS(scx_mangoapp_opts, opts, .use_key = 1, .key = (int)qkey);
	struct scx_mangoapp *m = scx_mangoapp_open(&opts);

	cr_assert_not_null(m, "open: %s", strerror(errno));
	cr_assert_eq(scx_mangoapp_id(m), qid);
	return m;
}

Test(mangoapp_queue, reads_frames_in_order)
{
	unsigned char buf[128];
	struct mangoapp_msg_v1 msg;
	struct scx_mangoapp *m = open_test_queue();

	cr_assert_eq(scx_mangoapp_read(m, &msg), 0, "empty queue");
	send_bytes(buf, build_frame(buf, 1, 1, 4242, 16666667, 16000000, "UnrealEngine"));
	send_bytes(buf, build_frame(buf, 1, 1, 4242, 11111111, 10000000, "Source2"));

	cr_assert_eq(scx_mangoapp_read(m, &msg), 1);
	cr_assert_eq(msg.hdr.msg_type, 1);
	cr_assert_eq(msg.hdr.version, 1);
	cr_assert_eq(msg.pid, 4242);
	cr_assert_eq(msg.visible_frametime_ns, 16666667);
	cr_assert_eq(msg.app_frametime_ns, 16000000);
	cr_assert_eq(msg.latency_ns, 4200000);
	cr_assert_eq(msg.fsrUpscale, 1);
	cr_assert_eq(msg.fsrSharpness, 5);
	cr_assert_eq(msg.outputWidth, 1280);
	cr_assert_eq(msg.outputHeight, 800);
	cr_assert_eq(msg.displayRefresh, 90);
	cr_assert_eq(msg.bAppWantsHDR, 0);
	cr_assert_eq(msg.bSteamFocused, 1);
	cr_assert_str_eq(msg.engineName, "UnrealEngine");

	cr_assert_eq(scx_mangoapp_read(m, &msg), 1);
	cr_assert_eq(msg.visible_frametime_ns, 11111111);
	cr_assert_str_eq(msg.engineName, "Source2");
	cr_assert_eq(scx_mangoapp_read(m, &msg), 0);
	scx_mangoapp_close(m);
}

Test(mangoapp_queue, shorter_longer_and_other_messages)
{
	unsigned char buf[128];
	struct mangoapp_msg_v1 msg;
	struct msqid_ds ds;
	struct scx_mangoapp *m = open_test_queue();

	/* an older sender that stops after latency_ns (42 bytes): the rest reads as zero */
	build_frame(buf, 1, 1, 7, 33333333, 30000000, "Old");
	send_bytes(buf, 42);
	memset(&msg, 0xff, sizeof(msg));
	cr_assert_eq(scx_mangoapp_read(m, &msg), 1);
	cr_assert_eq(msg.pid, 7);
	cr_assert_eq(msg.latency_ns, 4200000);
	cr_assert_eq(msg.outputWidth, 0);
	cr_assert_eq(msg.displayRefresh, 0);
	cr_assert_eq(msg.engineName[0], '\0');

	/* a newer sender with 16 more bytes: truncated to v1 */
	build_frame(buf, 1, 1, 8, 1, 2, "New");
	memset(buf + 93, 0xab, 16);
	send_bytes(buf, 93 + 16);
	cr_assert_eq(scx_mangoapp_read(m, &msg), 1);
	cr_assert_eq(msg.pid, 8);
	cr_assert_str_eq(msg.engineName, "New");

	/* another version: consumed, reported */
	send_bytes(buf, build_frame(buf, 1, 2, 9, 1, 2, "V2"));
	cr_assert_eq(scx_mangoapp_read(m, &msg), -EPROTO);
	cr_assert_eq(errno, EPROTO);
	cr_assert_eq(msg.hdr.version, 2);

	/* too short for a pid */
	build_frame(buf, 1, 1, 10, 1, 2, "");
	send_bytes(buf, 14);
	cr_assert_eq(scx_mangoapp_read(m, &msg), -EBADMSG);

	/* a control message (type 2) is not a frame: it stays for the overlay */
	send_bytes(buf, build_frame(buf, 2, 1, 11, 1, 2, "ctrl"));
	cr_assert_eq(scx_mangoapp_read(m, &msg), 0);
	cr_assert_eq(msgctl(qid, IPC_STAT, &ds), 0);
	cr_assert_eq(ds.msg_qnum, 1);
	scx_mangoapp_close(m);
}

Test(mangoapp_queue, read_latest)
{
	unsigned char buf[128];
	struct mangoapp_msg_v1 msg;
	struct scx_mangoapp *m = open_test_queue();
	unsigned int i;

	memset(&msg, 0, sizeof(msg));
	cr_assert_eq(scx_mangoapp_read_latest(m, &msg), 0);
	cr_assert_eq(msg.pid, 0, "unchanged when nothing was read");
	for (i = 1; i <= 5; i++)
		send_bytes(buf, build_frame(buf, 1, 1, 100 + i, i * 1000, i * 900, "E"));
	send_bytes(buf, build_frame(buf, 1, 3, 999, 1, 1, "future"));
	cr_assert_eq(scx_mangoapp_read_latest(m, &msg), 6);
	cr_assert_eq(msg.pid, 105, "the newest version-1 frame");
	cr_assert_eq(msg.visible_frametime_ns, 5000);
	cr_assert_eq(scx_mangoapp_read(m, &msg), 0);
	scx_mangoapp_close(m);
}

Test(mangoapp_queue, removed_queue_and_bad_arguments)
{
	SCX_OPTS(scx_mangoapp_opts, absent, .use_key = 1, .key = (int)(qkey ^ 0x00a50000));
	struct mangoapp_msg_v1 msg;
	struct scx_mangoapp *m = open_test_queue();
	int r;

	cr_assert_eq(scx_mangoapp_read(NULL, &msg), -EINVAL);
	cr_assert_eq(scx_mangoapp_read(m, NULL), -EINVAL);
	cr_assert_eq(scx_mangoapp_read_latest(NULL, &msg), -EINVAL);
	cr_assert_eq(scx_mangoapp_id(NULL), -EINVAL);
	scx_mangoapp_close(NULL);

	cr_assert_eq(msgctl(qid, IPC_RMID, NULL), 0);
	qid = -1;
	r = scx_mangoapp_read(m, &msg);
	cr_assert(r == -EIDRM || r == -EINVAL, "read from a removed queue: %d", r);
	cr_assert_eq(scx_mangoapp_read_latest(m, &msg), r);
	scx_mangoapp_close(m);

	/* a key with no queue: ENOENT, unless asked to create it */
	errno = 0;
	if (msgget(absent.key, 0) < 0) {
		cr_assert_null(scx_mangoapp_open(&absent));
		cr_assert_eq(errno, ENOENT);
		absent.create = 1;
		m = scx_mangoapp_open(&absent);
		cr_assert_not_null(m);
		cr_assert_eq(msgget(absent.key, 0), scx_mangoapp_id(m));
		msgctl(scx_mangoapp_id(m), IPC_RMID, NULL);
		scx_mangoapp_close(m);
	}
}

Test(mangoapp, default_key_is_ftoks)
{
	/* whatever the current directory holds, the key is ftok("mangoapp", 65)'s */
	cr_assert_eq(scx_mangoapp_default_key(), (int)ftok("mangoapp", 65));
	/* in a directory without a "mangoapp" file that is (key_t)-1 */
	cr_assert_eq(chdir("/"), 0);
	if (access("mangoapp", F_OK))
		cr_assert_eq(scx_mangoapp_default_key(), -1);
}
