/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * Test helper: damage a good sysfs tree the way a broken or hostile machine could show it, one
 * file or folder at a time, and undo the damage afterwards, so one good tree yields many bad
 * ones.  Kinds: an empty file, binary garbage, a file over a megabyte, ids past any limit,
 * reversed and overlapping ranges, a missing file or folder, a symlink loop, an unreadable file
 * (needs the reader to lack CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH), a huge CPU or node id
 * folder next to the real ones, and a FIFO in place of the file (a reader that opens or reads it
 * without O_NONBLOCK blocks for ever).
 */
#ifndef SCX_TEST_DAMAGE_H
#define SCX_TEST_DAMAGE_H

#include <stddef.h>

enum damage_kind {
	DMG_EMPTY,
	DMG_GARBAGE,
	DMG_HUGE,
	DMG_BIG_IDS,
	DMG_REVERSED,
	DMG_OVERLAP,
	DMG_MISSING,
	DMG_MISSING_DIR,
	DMG_LOOP,
	DMG_UNREADABLE,
	DMG_HUGE_ID_DIR,
	DMG_FIFO,
	DMG_NR,
};

/* The kind's name ("empty", "garbage", ...). */
const char *damage_name(enum damage_kind kind);

/* The regular files under @root whose paths (relative to it) start with one of @prefixes
 * (NULL-terminated), sorted; at most @max, spread evenly when there are more.  Returns the count
 * and a malloc'd array of malloc'd paths in *out, or -errno. */
int damage_list_files(const char *root, const char *const *prefixes, size_t max, char ***out);
void damage_free_list(char **list, int n);

/* Damage @rel (a file, relative to @root; for DMG_MISSING_DIR its folder; for DMG_HUGE_ID_DIR
 * a folder holding it is copied under a huge id).  @seed varies the garbage.  Returns 0 (call
 * damage_undo() after) or -errno. */
int damage_apply(const char *root, const char *rel, enum damage_kind kind, unsigned int seed);
/* Put back what damage_apply() changed.  0 or -errno. */
int damage_undo(const char *root, const char *rel, enum damage_kind kind);

/* Remove the backups damage_apply() kept beside @root ("<root>.orig"). */
void damage_cleanup(const char *root);

/* Drop CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH (and every capability not needed) from the
 * calling process: a root reader then honours file modes.  0 or -errno. */
int damage_drop_dac(void);

#endif
