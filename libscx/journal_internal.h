/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * The restore journal inside the library; see include/scx/journal.h.  Not installed.
 */
#ifndef SCX_JOURNAL_INTERNAL_H
#define SCX_JOURNAL_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

struct scx_sysfs;

/* Largest journal file read, and most knobs one holds. */
#define SCX_JOURNAL_MAX_BYTES (16u << 20)
#define SCX_JOURNAL_MAX_KNOBS 65536u
/* Longest boot id kept ("8-4-4-4-12" hex is 36). */
#define SCX_JOURNAL_BOOT_LEN 40

struct scx_journal_knob {
	char *path;	/* relative to the root */
	char *orig;	/* the text before the first change */
	char *written;	/* the text after the last change; NULL: not known (a change in flight) */
};

/* One journal as held in memory: whose it is and its knobs, in the order first changed. */
struct scx_journal_doc {
	char boot[SCX_JOURNAL_BOOT_LEN];	/* the boot it was written in; "" unknown */
	uint64_t pid;
	uint64_t start;				/* the process's start time (clock ticks) */
	struct scx_journal_knob *k;
	unsigned int nr, cap;
};

/*
 * Parse a journal's text (@len bytes, not NUL-terminated) into @doc, which the caller frees
 * with scx_journal_doc_fini().  Returns 0, -EINVAL (not a journal: @why says what is wrong),
 * or -ENOMEM.
 */
int scx_journal_parse(const char *text, size_t len, struct scx_journal_doc *doc,
		      const char **why);
/* The text of @doc, malloc'd into *@out (NUL-terminated); returns its length or -ENOMEM. */
int scx_journal_format(const struct scx_journal_doc *doc, char **out);
void scx_journal_doc_fini(struct scx_journal_doc *doc);

/*
 * The hooks of the sysfs layer's knob writer: before the first change of @path, record its
 * original text (a failure refuses the change); after the write (@err its result), record what
 * the knob shows.  Both do nothing on a handle that may not write.
 */
int scx_journal_before(struct scx_sysfs *fs, const char *path);
void scx_journal_after(struct scx_sysfs *fs, const char *path, int err);
/* Release a handle's journal (its file stays while it records a change). */
void scx_journal_release(struct scx_sysfs *fs);
/*
 * Replay the journals of processes that are gone, on @fs's root, as scx_journal_restore()
 * does: for a handle opened on this system before it reads the knobs.  Returns the same.
 */
int scx_journal_replay(struct scx_sysfs *fs);

#endif /* SCX_JOURNAL_INTERNAL_H */
