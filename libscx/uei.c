// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * User exit info: reading, naming and reporting a scheduler's exit.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <scx/uei.h>

#include "internal.h"

#define RULE "================================================================================"

/*
 * Through the log callback the dump goes in pieces of at most this many bytes, each a message
 * of its own (scx_vlog() cuts messages at 4096 bytes; the rule and header fit beside a piece).
 */
#define UEI_LOG_PIECE 3072

bool scx_uei_exited(const struct user_exit_info *uei)
{
	return uei && __atomic_load_n(&uei->kind, __ATOMIC_ACQUIRE) != SCX_EXIT_NONE;
}

static void copy_str(char *dst, const char *src, size_t sz)
{
	memcpy(dst, src, sz);
	dst[sz - 1] = '\0';
}

int scx_uei_read(const struct user_exit_info *uei, struct user_exit_info *copy)
{
	int kind;

	if (!uei || !copy)
		return scx_errno(-EINVAL);
	memset(copy, 0, sizeof(*copy));
	kind = __atomic_load_n(&uei->kind, __ATOMIC_ACQUIRE);
	if (kind == SCX_EXIT_NONE)
		return 0;
	if (kind < 0)
		return scx_errno(-EINVAL);
	copy->kind = kind;
	copy->exit_cpu = uei->exit_cpu;
	copy->exit_code = uei->exit_code;
	copy_str(copy->reason, uei->reason, sizeof(copy->reason));
	copy_str(copy->msg, uei->msg, sizeof(copy->msg));
	return kind;
}

const char *scx_uei_kind_name(int kind)
{
	switch (kind) {
	case SCX_EXIT_NONE: return "SCX_EXIT_NONE";
	case SCX_EXIT_DONE: return "SCX_EXIT_DONE";
	case SCX_EXIT_UNREG: return "SCX_EXIT_UNREG";
	case SCX_EXIT_UNREG_BPF: return "SCX_EXIT_UNREG_BPF";
	case SCX_EXIT_UNREG_KERN: return "SCX_EXIT_UNREG_KERN";
	case SCX_EXIT_SYSRQ: return "SCX_EXIT_SYSRQ";
	case SCX_EXIT_ERROR: return "SCX_EXIT_ERROR";
	case SCX_EXIT_ERROR_BPF: return "SCX_EXIT_ERROR_BPF";
	case SCX_EXIT_ERROR_STALL: return "SCX_EXIT_ERROR_STALL";
	}
	errno = EINVAL;
	return NULL;
}

/*
 * The length of the next piece of a dump with @left bytes at @p: all of it when it fits in @max,
 * else up to the last newline within @max bytes, else @max bytes.
 */
static size_t dump_piece(const char *p, size_t left, size_t max)
{
	const char *nl;

	if (left <= max)
		return left;
	nl = memrchr(p, '\n', max);
	return nl ? (size_t)(nl - p) + 1 : max;
}

/* The dump through the log callback, in pieces that neither the log's limit nor an int cuts. */
static void log_dump(enum scx_log_level level, const char *dump, size_t dlen)
{
	size_t off = 0, n;
	bool last;

	do {
		n = dump_piece(dump + off, dlen - off, UEI_LOG_PIECE);
		last = off + n == dlen;
		scx_log(level, "%s%.*s%s%s", off ? "" : "DEBUG DUMP\n" RULE "\n\n", (int)n,
			dump + off, last && dump[dlen - 1] != '\n' ? "\n" : "", last ? RULE : "");
		off += n;
	} while (!last);
}

/*
 * Where a report to a stream goes.  A stream on a pipe, socket or terminal (stderr read by a
 * journal, a pager, a console) is written with write(2) after the stream is flushed: stdio gives
 * up on a write interrupted by a signal and drops what its buffer held, and a scheduler ends on
 * signals (SIGINT, SIGTERM), often taken without SA_RESTART.  Other streams (regular files,
 * memory, cookies) go through stdio; a regular file's writes are not interrupted.
 */
struct report_out {
	FILE *f;
	int fd;		/* >= 0: write here */
	int err;
};

static void out_put(struct report_out *o, const char *p, size_t len)
{
	if (o->err)
		return;
	if (o->fd < 0) {
		if (fwrite(p, 1, len, o->f) != len)
			o->err = -EIO;
		return;
	}
	while (len) {
		ssize_t n = write(o->fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			o->err = -EIO;
			return;
		}
		p += n;
		len -= (size_t)n;
	}
}

static void out_str(struct report_out *o, const char *s)
{
	out_put(o, s, strlen(s));
}

static int report_to(FILE *f, const char *dump, size_t dlen, const char *line)
{
	struct report_out o = { .f = f, .fd = -1 };
	struct stat st;
	int fd;

	flockfile(f);
	fd = fileno(f);
	if (fd >= 0 && !fstat(fd, &st) &&
	    (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) || S_ISCHR(st.st_mode))) {
		/* what the caller wrote before goes first */
		if (fflush(f))
			o.err = -EIO;
		o.fd = fd;
	}
	if (dlen) {
		out_str(&o, "DEBUG DUMP\n" RULE "\n\n");
		out_put(&o, dump, dlen);	/* a size_t length: dumps past INT_MAX bytes */
		out_str(&o, dump[dlen - 1] == '\n' ? RULE "\n" : "\n" RULE "\n");
	}
	out_str(&o, line);
	out_str(&o, "\n");
	if (o.fd < 0 && fflush(f))
		o.err = -EIO;
	if (ferror(f))
		o.err = -EIO;
	funlockfile(f);
	return o.err;
}

/*
 * "EXIT: reason (message) on CPU n", the kernel tools' form that scripts match; the parts in
 * parentheses and the CPU only when known.
 */
static char *exit_line(const struct user_exit_info *ei)
{
	char cpu[32] = "";
	char *line;
	int n;

	if (ei->exit_cpu >= 0)
		snprintf(cpu, sizeof(cpu), " on CPU %d", ei->exit_cpu);
	n = snprintf(NULL, 0, "EXIT: %s%s%s%s%s", ei->reason, ei->msg[0] ? " (" : "", ei->msg,
		     ei->msg[0] ? ")" : "", cpu);
	line = malloc((size_t)n + 1);
	if (line)
		snprintf(line, (size_t)n + 1, "EXIT: %s%s%s%s%s", ei->reason,
			 ei->msg[0] ? " (" : "", ei->msg, ei->msg[0] ? ")" : "", cpu);
	return line;
}

int scx_uei_report(const struct user_exit_info *uei, const char *dump, size_t dump_len, FILE *out)
{
	struct user_exit_info ei;
	enum scx_log_level level;
	size_t dlen = 0;
	char *line;
	int kind;

	if (!uei)
		return scx_errno(-EINVAL);
	kind = scx_uei_read(uei, &ei);
	if (kind < 0)
		return kind;	/* not exit info: scx_uei_exited() saw it, so it is no "not yet" */
	if (kind == 0)
		return scx_errno(-EAGAIN);
	if (dump && dump_len)
		dlen = strnlen(dump, dump_len);
	line = exit_line(&ei);
	if (!line)
		return scx_errno(-ENOMEM);
	if (out) {
		int err = report_to(out, dump, dlen, line);

		free(line);
		return scx_errno(err);
	}
	level = kind >= SCX_EXIT_ERROR ? SCX_LOG_ERROR : SCX_LOG_WARN;
	if (dlen)
		log_dump(level, dump, dlen);
	scx_log(level, "%s", line);
	scx_dbg("exit kind %s (%d), exit code 0x%llx", scx_uei_kind_name(kind) ?: "unknown", kind,
		(unsigned long long)ei.exit_code);
	free(line);
	return 0;
}

uint64_t scx_uei_ecode_user(int64_t ecode)
{
	return (uint64_t)ecode & UEI_ECODE_USER_MASK;
}

uint64_t scx_uei_ecode_sys_rsn(int64_t ecode)
{
	return (uint64_t)ecode & UEI_ECODE_SYS_RSN_MASK;
}

uint64_t scx_uei_ecode_sys_act(int64_t ecode)
{
	return (uint64_t)ecode & UEI_ECODE_SYS_ACT_MASK;
}

bool scx_uei_ecode_restart(int64_t ecode)
{
	return scx_uei_ecode_sys_act(ecode) == SCX_ECODE_ACT_RESTART;
}

bool scx_uei_ecode_hotplug(int64_t ecode)
{
	return scx_uei_ecode_sys_rsn(ecode) & SCX_ECODE_RSN_HOTPLUG;
}
