// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * scxinfo --doctor: can a sched_ext scheduler be loaded here, and if not, what to do.  One
 * line per check: "ok", "warn" (loading works, but mind this) or "FAIL" (loading is blocked).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <scx/scx.h>

#include "scxinfo.h"

enum verdict { OK, WARN, FAIL };

struct doctor {
	struct scxinfo *info;
	int nr_fail, nr_warn;
};

static void say(struct doctor *d, enum verdict v, const char *check, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void say(struct doctor *d, enum verdict v, const char *check, const char *fmt, ...)
{
	static const char *const tag[] = { "ok  ", "warn", "FAIL" };
	va_list ap;

	fprintf(d->info->out, "[%s] %-12s ", tag[v], check);
	va_start(ap, fmt);
	vfprintf(d->info->out, fmt, ap);
	va_end(ap);
	fputc('\n', d->info->out);
	d->nr_fail += v == FAIL;
	d->nr_warn += v == WARN;
}

/* Read a small text file under the root; NULL when absent. */
static char *read_text(struct doctor *d, const char *path, char *buf, size_t sz)
{
	const char *root = d->info->root;
	char full[4096];
	struct stat st;
	FILE *f;
	size_t n;
	int fd;

	if (!root)
		root = getenv("SCX_SYSFS_PREFIX");	/* as the library's own reads do */
	snprintf(full, sizeof(full), "%s/%s", root ? root : "", path);
	/* never wait on a FIFO or a device put in place of the file: only a regular one is read */
	fd = open(full, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || !(f = fdopen(fd, "re"))) {
		close(fd);
		return NULL;
	}
	n = fread(buf, 1, sz - 1, f);
	fclose(f);
	buf[n] = '\0';
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return buf;
}

static bool check_kernel(struct doctor *d)
{
	SCX_OPTS(scx_kstate_opts, opts, .sysfs_root = d->info->root);
	struct scx_kstate *ks = scx_kstate_load(&opts);
	const char *state;
	bool supported;
	uint64_t seq;

	if (!ks) {
		say(d, FAIL, "sched_ext", "cannot read /sys/kernel/sched_ext under '%s': %s",
		    d->info->root ? d->info->root : "/", strerror(errno));
		return false;
	}
	supported = scx_kstate_supported(ks);
	state = scx_kstate_state(ks);
	if (!supported) {
		say(d, FAIL, "sched_ext", "this kernel has no sched_ext (no /sys/kernel/sched_ext): "
		    "boot Linux 6.12 or later built with CONFIG_SCHED_CLASS_EXT=y");
	} else if (state && strcmp(state, "disabled")) {
		say(d, FAIL, "scheduler", "another sched_ext scheduler is %s%s%s%s: stop it before "
		    "loading one (only one can run)", state, scx_kstate_ops(ks) ? " (\"" : "",
		    scx_kstate_ops(ks) ? scx_kstate_ops(ks) : "", scx_kstate_ops(ks) ? "\")" : "");
	} else {
		say(d, OK, "sched_ext", "in the kernel, no scheduler running (state %s)",
		    state ? state : "unknown");
	}
	if (supported && !scx_kstate_value(ks, SCX_KSTATE_HOTPLUG_SEQ, &seq))
		say(d, OK, "hotplug_seq", "%llu CPU hotplug events so far; one during a load makes "
		    "the kernel refuse it and the loader retry", (unsigned long long)seq);
	scx_kstate_free(ks);
	return supported;
}

static void check_btf(struct doctor *d, bool sched_ext)
{
	SCX_OPTS(scx_btf_opts, opts, .sysfs_root = d->info->root);
	struct btf *btf = scx_btf_load(&opts);
	const char *first;
	int n;

	if (!btf) {
		say(d, FAIL, "btf", "no kernel BTF (/sys/kernel/btf/vmlinux: %s): the kernel needs "
		    "CONFIG_DEBUG_INFO_BTF=y", strerror(errno));
		return;
	}
	if (scx_btf_struct_has_field(btf, "sched_ext_ops", "dump") == 1)
		say(d, OK, "btf", "kernel BTF describes sched_ext (struct sched_ext_ops)");
	else if (sched_ext)
		say(d, FAIL, "btf", "kernel BTF lacks struct sched_ext_ops or its dump(): the "
		    "kernel is too old (Linux 6.12 or later needed)");
	else
		say(d, WARN, "btf", "kernel BTF has no struct sched_ext_ops");
	n = scx_btf_aux_kfuncs(btf, &first);
	if (n > 0)
		say(d, FAIL, "pahole", "%d sched_ext kfuncs (%s first) cannot be called: the "
		    "kernel's resolve_btfids left their hidden 'aux' argument in and made no '_impl' "
		    "form (Linux 7.1 and 7.2 built with pahole 1.30), and the verifier refuses every "
		    "call to them; schedulers using them need a kernel built with pahole >= 1.31, or "
		    "Linux 7.3", n, first);
	else if (n == 0)
		say(d, OK, "pahole", "no kfunc left uncallable by an unsplit 'aux' argument");
	n = scx_btf_truncated_enums(btf, &first);
	if (n > 0)
		say(d, WARN, "enum64", "%d 64-bit enums (%s first) were cut to 32 bits (pahole older "
		    "than 1.25): libscx recovers values whose low bits match the scheduler's, and "
		    "refuses the others; rebuild the kernel's BTF with pahole >= 1.25", n, first);
	else if (n == 0)
		say(d, OK, "enum64", "64-bit enums are whole");
	scx_btf_free(btf);
}

static void check_process(struct doctor *d)
{
	unsigned long long soft = 0;
	unsigned int missing = 0;
	char names[128] = "";
	unsigned int bit;
	int err;

	err = scx_caps_missing(SCX_CAPS_LOAD, &missing);
	for (bit = 1; !err && bit <= SCX_CAPS_SYS_NICE; bit <<= 1)
		if (missing & bit)
			snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
				 names[0] ? ", " : "", scx_caps_name(bit));
	if (err)
		say(d, WARN, "capabilities", "cannot read this process's capabilities: %s",
		    strerror(-err));
	else if (missing)
		say(d, FAIL, "capabilities", "this process lacks %s: run the scheduler as root or "
		    "grant CAP_SYS_ADMIN (or CAP_BPF and CAP_PERFMON)", names);
	else
		say(d, OK, "capabilities", "enough to load a scheduler");

	if (scx_memlock_get(&soft, NULL))
		say(d, WARN, "memlock", "cannot read RLIMIT_MEMLOCK");
	else if (soft == UINT64_MAX)
		say(d, OK, "memlock", "RLIMIT_MEMLOCK is unlimited");
	else
		say(d, OK, "memlock", "RLIMIT_MEMLOCK is %llu bytes: no limit for sched_ext, whose "
		    "kernels (6.12 and later) do not charge BPF maps to it", soft);

	if (libbpf_major_version() < 1 ||
	    (libbpf_major_version() == 1 && libbpf_minor_version() < 4))
		say(d, FAIL, "libbpf", "libbpf %s is too old: sched_ext schedulers need 1.4 or "
		    "later (Debian 12: bookworm-backports)", libbpf_version_string());
	else
		say(d, OK, "libbpf", "libbpf %s", libbpf_version_string());
}

static void check_cpus(struct doctor *d)
{
	char online[256], possible[256], smt[64], active[16];

	if (read_text(d, "sys/devices/system/cpu/online", online, sizeof(online)) &&
	    read_text(d, "sys/devices/system/cpu/possible", possible, sizeof(possible))) {
		if (strcmp(online, possible))
			say(d, WARN, "cpus", "CPUs %s of %s online: bringing CPUs on or off line "
			    "while a scheduler runs makes it exit and restart", online, possible);
		else
			say(d, OK, "cpus", "all CPUs online (%s)", online);
	}
	if (read_text(d, "sys/devices/system/cpu/smt/control", smt, sizeof(smt))) {
		if (!read_text(d, "sys/devices/system/cpu/smt/active", active, sizeof(active)))
			snprintf(active, sizeof(active), "?");
		say(d, OK, "smt", "SMT control %s, active %s%s", smt, active,
		    !strcmp(smt, "on") ? "; switching it off or on is CPU hotplug" : "");
	}
}

int scxinfo_doctor(struct scxinfo *info)
{
	struct doctor d = { .info = info };
	bool sched_ext;

	sched_ext = check_kernel(&d);
	check_btf(&d, sched_ext);
	check_process(&d);
	check_cpus(&d);
	fprintf(info->out, "%s: %d blocking, %d warning%s\n",
		d.nr_fail ? "a sched_ext scheduler cannot be loaded here" :
			    "a sched_ext scheduler can be loaded here",
		d.nr_fail, d.nr_warn, d.nr_warn == 1 ? "" : "s");
	return d.nr_fail ? 1 : 0;
}
