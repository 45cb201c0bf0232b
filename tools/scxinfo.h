/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/* scxinfo's shared state between its sections. */
#ifndef SCXINFO_H
#define SCXINFO_H

#include <stdbool.h>
#include <stdio.h>

struct scxinfo {
	FILE *out;
	const char *root;	/* --sysfs-root, or NULL */
	bool json;
};

/* Print @s as a JSON string literal (null for NULL). */
void scxinfo_json_str(FILE *out, const char *s);

/* The topology section (tools/scxinfo-topo.c); JSON: top-level keys, no braces. */
void scxinfo_print_topo(struct scxinfo *info);

/* The energy-model section (tools/scxinfo-em.c). */
void scxinfo_print_em(struct scxinfo *info);

/* The power section (tools/scxinfo-power.c). */
void scxinfo_print_power(struct scxinfo *info);

/* --doctor (tools/scxinfo-doctor.c): one line per check; returns the exit status. */
int scxinfo_doctor(struct scxinfo *info);

/*
 * --monitor (tools/scxinfo-monitor.c): a scheduler's statistics from the stats socket @path
 * (NULL: the default) every @interval_ms, @count times (0: until interrupted); returns the exit
 * status.
 */
int scxinfo_monitor(struct scxinfo *info, const char *path, unsigned int interval_ms,
		    unsigned int count);

#endif
