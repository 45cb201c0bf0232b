/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * Frame timing from gamescope through MangoHud's "mangoapp" System V message queue.
 *
 * gamescope sends one message per presented frame to the queue that MangoHud's mangoapp
 * overlay reads; a scheduler can read the same messages to learn the running game's frame
 * times (and its pid) and favour it.  The layouts below are that interface's: packed, native
 * byte order, fields only ever appended.  Both sides find the queue with
 * msgget(ftok("mangoapp", 65), ...); ftok() is given a relative path, which usually does not
 * exist, so in practice both get the key (key_t)-1 -- scx_mangoapp_default_key() computes it
 * the same way.
 *
 * A message taken from the queue is gone for every other reader, the overlay included.
 */
#ifndef SCX_MANGOAPP_H
#define SCX_MANGOAPP_H

#include <stdint.h>
#include <scx/base.h>

SCX_BEGIN_DECLS

/** ftok() project id of the queue (the character 'A'). */
#define SCX_MANGOAPP_PROJ_ID 65
/** System V message type of frame messages (struct mangoapp_msg_v1). */
#define SCX_MANGOAPP_MSG_TYPE 1
/** System V message type of control messages (struct mangoapp_ctrl_msgid1_v1). */
#define SCX_MANGOAPP_CTRL_MSG_TYPE 2

/*
 * @msg_type: the System V message type (SCX_MANGOAPP_MSG_TYPE), as msgsnd(2) wants it first.
 * @version:  the message layout's version; 1 for struct mangoapp_msg_v1, which grows only by
 *            appended fields.
 */
struct mangoapp_msg_header {
	long msg_type;
	uint32_t version;
} __attribute__((packed));

/*
 * One presented frame (version 1), as gamescope sends it:
 * @pid:                  the process that presented the frame (the game)
 * @visible_frametime_ns: time between this frame becoming visible and the previous one
 * @fsrUpscale:           1 when AMD FidelityFX Super Resolution upscaling is on
 * @fsrSharpness:         the FSR sharpness setting (0 sharpest .. 20)
 * @app_frametime_ns:     time between the application's last two frame submissions
 * @latency_ns:           time from the frame's submission to its presentation
 * @outputWidth, @outputHeight: the output's size in pixels
 * @displayRefresh:       the display's refresh rate in Hz
 * @bAppWantsHDR:         the application asks for HDR output (bit 0 of byte 52)
 * @bSteamFocused:        Steam's own window has the focus (bit 1 of byte 52)
 * @engineName:           the game engine's name as the application reported it (may lack a
 *                        terminating NUL when 40 bytes long)
 */
struct mangoapp_msg_v1 {
	struct mangoapp_msg_header hdr;
	uint32_t pid;
	uint64_t visible_frametime_ns;
	uint8_t fsrUpscale;
	uint8_t fsrSharpness;
	uint64_t app_frametime_ns;
	uint64_t latency_ns;
	uint32_t outputWidth;
	uint32_t outputHeight;
	uint16_t displayRefresh;
	uint8_t bAppWantsHDR : 1;
	uint8_t bSteamFocused : 1;
	char engineName[40];
} __attribute__((packed));

/*
 * Control messages to the overlay (message type SCX_MANGOAPP_CTRL_MSG_TYPE).
 * @ctrl_msg_type: which control message follows (1: struct mangoapp_ctrl_msgid1_v1)
 * @version:       its layout version
 */
struct mangoapp_ctrl_header {
	long msg_type;
	uint32_t ctrl_msg_type;
	uint32_t version;
} __attribute__((packed));

/*
 * Control message 1, version 1; 0 in a field means "no change".
 * @no_display:       1 hide the overlay, 2 show it, 3 toggle
 * @log_session:      1 start logging, 2 stop, 3 toggle
 * @log_session_name: the log's name when starting; ignored when empty
 * @reload_config:    1 reload the configuration
 */
struct mangoapp_ctrl_msgid1_v1 {
	struct mangoapp_ctrl_header hdr;
	uint8_t no_display;
	uint8_t log_session;
	char log_session_name[64];
	uint8_t reload_config;
} __attribute__((packed));

#ifdef __cplusplus
static_assert(sizeof(struct mangoapp_msg_v1) == sizeof(long) + 85, "mangoapp v1 layout");
static_assert(sizeof(struct mangoapp_ctrl_msgid1_v1) == sizeof(long) + 75, "mangoapp ctrl layout");
#else
_Static_assert(sizeof(struct mangoapp_msg_v1) == sizeof(long) + 85, "mangoapp v1 layout");
_Static_assert(sizeof(struct mangoapp_ctrl_msgid1_v1) == sizeof(long) + 75,
	       "mangoapp ctrl layout");
#endif

/** A reader of the frame queue, made by scx_mangoapp_open(). */
struct scx_mangoapp;

/** Options for scx_mangoapp_open(); fill with SCX_OPTS(scx_mangoapp_opts, name, ...). */
struct scx_mangoapp_opts {
	size_t sz;		/**< sizeof(struct scx_mangoapp_opts) */
	int use_key;		/**< non-zero: use @key instead of scx_mangoapp_default_key() */
	int key;		/**< the System V IPC key (a key_t) when @use_key is set */
	int create;		/**< non-zero: create the queue (mode 0666, as gamescope does) when it
				     does not exist yet, rather than fail with ENOENT */
	size_t :0;
};

/**
 * scx_mangoapp_default_key() - the key gamescope and mangoapp use: ftok("mangoapp", 65).
 *
 * The path is relative to the current directory; when it does not exist (the usual case),
 * ftok() fails and the key is (key_t)-1, as it is for gamescope and MangoHud.
 *
 * Return: the key.
 */
SCX_API int scx_mangoapp_default_key(void);

/**
 * scx_mangoapp_open() - open the frame queue for reading.
 * @opts: options, or NULL for the defaults.
 * Return: a reader to release with scx_mangoapp_close(), or NULL with errno set: EINVAL for bad
 * options, ENOENT when the queue does not exist (gamescope has not created it; retry later or
 * set @create), EACCES, ENOSPC (creating past the system's limit), ENOMEM.
 */
SCX_API struct scx_mangoapp *scx_mangoapp_open(const struct scx_mangoapp_opts *opts);

/**
 * scx_mangoapp_close() - release a reader; the queue itself stays.
 * @m: the reader; NULL is ignored.
 */
SCX_API void scx_mangoapp_close(struct scx_mangoapp *m);

/**
 * scx_mangoapp_id() - the System V message queue id of the reader's queue.
 * @m: the reader.
 * Return: the id; -EINVAL for NULL.
 */
SCX_API int scx_mangoapp_id(const struct scx_mangoapp *m);

/**
 * scx_mangoapp_read() - take the oldest frame message, without waiting.
 * @m: the reader.
 * @msg: filled with the message; fields a shorter (older) sender did not send are zero, fields
 *	 a newer sender appended are dropped.
 * Return: 1 when a message was read; 0 when the queue holds none; -EINVAL for a NULL argument;
 * -EPROTO for a message whose version is not 1 (it is consumed; @msg holds its bytes);
 * -EBADMSG for a message too short to hold a header and pid (consumed); -EINVAL or -EIDRM
 * when the queue was removed; -EACCES.
 */
SCX_API int scx_mangoapp_read(struct scx_mangoapp *m, struct mangoapp_msg_v1 *msg);

/**
 * scx_mangoapp_read_latest() - take every queued frame message and keep the newest valid one.
 * @m: the reader.
 * @msg: filled with the newest version-1 message; unchanged when none was read.
 * Return: the number of messages taken (0 when the queue was empty), messages of other versions
 * included; -EINVAL for a NULL argument; -EINVAL, -EIDRM or -EACCES as scx_mangoapp_read().
 */
SCX_API int scx_mangoapp_read_latest(struct scx_mangoapp *m, struct mangoapp_msg_v1 *msg);

SCX_END_DECLS

#endif /* SCX_MANGOAPP_H */
