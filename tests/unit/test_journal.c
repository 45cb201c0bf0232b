// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * The restore journal on scratch trees taken as this system: a scheduler process killed with
 * SIGKILL after changing knobs, the restore bringing back every file byte for byte, live
 * owners left alone, knobs changed by someone else left, and bad journals and folders refused.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <scx/journal.h>
#include <scx/log.h>
#include <scx/netdev.h>
#include <scx/pm.h>

#include "../../libscx/journal_internal.h"
#include "../lib/fstree.h"

static struct fstree t;
static char msgs[8192];

#define CPU "sys/devices/system/cpu"
#define LAT0 CPU "/cpu0/power/pm_qos_resume_latency_us"
#define LAT1 CPU "/cpu1/power/pm_qos_resume_latency_us"
#define EPP1 CPU "/cpufreq/policy1/energy_performance_preference"
#define NO_TURBO CPU "/intel_pstate/no_turbo"
#define IRQ "proc/irq/33/smp_affinity"
#define JDIR "run/libscx"

static void keep_msg(enum scx_log_level l, const char *m, void *c)
{
	size_t n = strlen(msgs);

	(void)l;
	(void)c;
	snprintf(msgs + n, sizeof(msgs) - n, "%s\n", m);
}

/* Two CPUs with resume latency and EPP, turbo, and one NIC with one MSI IRQ. */
static void machine(void)
{
	int cpu;

	fstree_write(&t, CPU "/possible", "0-1");
	for (cpu = 0; cpu < 2; cpu++) {
		char p[256];

		snprintf(p, sizeof(p), CPU "/cpu%d/power/pm_qos_resume_latency_us", cpu);
		fstree_write(&t, p, cpu ? "n/a" : "0");
		snprintf(p, sizeof(p), CPU "/cpufreq/policy%d/energy_performance_preference", cpu);
		fstree_write(&t, p, "balance_performance");
		snprintf(p, sizeof(p), CPU "/cpufreq/policy%d/energy_performance_available_preferences",
			 cpu);
		fstree_write(&t, p, "default performance balance_performance balance_power power");
	}
	fstree_write(&t, NO_TURBO, "0");
	fstree_write(&t, "sys/devices/pci0000:00/0000:00:03.0/net/eth0/mtu", "1500");
	fstree_write(&t, "sys/devices/pci0000:00/0000:00:03.0/msi_irqs/33", "msix");
	cr_assert_eq(fstree_symlink(&t, "../../devices/pci0000:00/0000:00:03.0/net/eth0",
				    "sys/class/net/eth0"), 0);
	cr_assert_eq(fstree_symlink(&t, "../../../0000:00:03.0",
				    "sys/devices/pci0000:00/0000:00:03.0/net/eth0/device"), 0);
	fstree_write(&t, IRQ, "3");
}

static void setup(void)
{
	cr_assert_eq(fstree_init(&t), 0);
	msgs[0] = '\0';
	scx_log_fn_set(keep_msg, NULL);
	machine();
}

static void teardown(void)
{
	fstree_fini(&t);
}

TestSuite(journal, .init = setup, .fini = teardown);

static const char *slurp(const char *rel)
{
	const char *s = fstree_read(&t, rel);

	cr_assert_not_null(s, "%s", rel);
	return s;
}

static int restore(void)
{
	SCX_OPTS(scx_journal_opts, o, .sysfs_root = t.root, .allow_fake_root_writes = true);

	return scx_journal_restore(&o);
}

static struct scx_pm *pm_open(void)
{
	SCX_OPTS(scx_pm_opts, o, .sysfs_root = t.root, .allow_fake_root_writes = true);
	struct scx_pm *pm = scx_pm_open(&o);

	cr_assert_not_null(pm);
	return pm;
}

/* The journal files in the tree's folder (names starting with '.' not counted). */
static int nr_journals(char *first, size_t sz)
{
	DIR *d = opendir(fstree_path(&t, JDIR));
	struct dirent *de;
	int n = 0;

	if (!d)
		return 0;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.') {
			if (!n && first)
				snprintf(first, sz, "%s/%s", JDIR, de->d_name);
			n++;
		}
	closedir(d);
	return n;
}

/*
 * A scheduler: in a child process, changes resume latency, EPP, turbo and the IRQ's affinity,
 * reports on @ready, then waits to be killed.  Returns its pid.
 */
static pid_t scheduler(void)
{
	int p[2];
	pid_t pid;
	char c;

	cr_assert_eq(pipe(p), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (!pid) {
		SCX_OPTS(scx_netdev_opts, no, .sysfs_root = t.root, .allow_fake_root_writes = true);
		struct scx_pm *pm = pm_open();
		struct scx_netdev *nd = scx_netdev_load(&no);
		int ok = nd && !scx_pm_resume_latency_set(pm, 0, 20) &&
			 !scx_pm_resume_latency_set(pm, 0, 10) && !scx_pm_epp_set(pm, 1, "power") &&
			 !scx_pm_turbo_set(pm, false);

		if (ok) {
			scx_cpumask_zero(scx_netdev_irq_mask(nd, 0, 0));
			scx_cpumask_set(scx_netdev_irq_mask(nd, 0, 0), 1);
			ok = scx_netdev_apply(nd) == 1;
		}
		c = ok ? 'y' : 'n';
		if (write(p[1], &c, 1) != 1)
			_exit(2);
		for (;;)
			pause();
	}
	close(p[1]);
	cr_assert_eq(read(p[0], &c, 1), 1);
	close(p[0]);
	cr_assert_eq(c, 'y', "the scheduler's changes failed: %s", msgs);
	return pid;
}

static void kill_wait(pid_t pid)
{
	int st;

	kill(pid, SIGKILL);
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFSIGNALED(st));
}

static void assert_original(void)
{
	cr_assert_str_eq(slurp(LAT0), "0");
	cr_assert_str_eq(slurp(LAT1), "n/a");
	cr_assert_str_eq(slurp(EPP1), "balance_performance");
	cr_assert_str_eq(slurp(NO_TURBO), "0");
	cr_assert_str_eq(slurp(IRQ), "3");
}

Test(journal, sigkill_then_restore_is_byte_for_byte)
{
	char name[512];
	struct stat st;
	pid_t pid = scheduler();

	cr_assert_str_eq(slurp(LAT0), "10");
	cr_assert_str_eq(slurp(EPP1), "power");
	cr_assert_str_eq(slurp(NO_TURBO), "1");
	cr_assert_str_eq(slurp(IRQ), "2");
	/* one journal per handle: the pm one and the netdev one */
	cr_assert_eq(nr_journals(name, sizeof(name)), 2);
	cr_assert_eq(stat(fstree_path(&t, name), &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600);
	cr_assert_eq(stat(fstree_path(&t, JDIR), &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0700);
	/* a live owner's journal is never replayed */
	cr_assert_eq(restore(), 0);
	cr_assert_str_eq(slurp(LAT0), "10");
	cr_assert_eq(nr_journals(NULL, 0), 2);
	kill_wait(pid);
	/* resume latency, EPP, turbo, IRQ: one write each, the original of the first change */
	cr_assert_eq(restore(), 4, "%s", msgs);
	assert_original();
	cr_assert_eq(nr_journals(NULL, 0), 0, "replayed journals are removed");
	cr_assert_eq(restore(), 0);
}

Test(journal, next_start_restores_before_reading)
{
	SCX_OPTS(scx_netdev_opts, no, .sysfs_root = t.root, .allow_fake_root_writes = true);
	struct scx_netdev *nd;
	struct scx_pm *pm;
	int32_t lat;

	kill_wait(scheduler());
	/* the netdev handle of the next start reads the masks after putting them back */
	nd = scx_netdev_load(&no);
	cr_assert_not_null(nd);
	cr_assert_str_eq(slurp(IRQ), "3");
	cr_assert(scx_cpumask_test(scx_netdev_irq_affinity(nd, 0, 0), 0));
	scx_netdev_free(nd);
	pm = pm_open();
	cr_assert_eq(scx_pm_resume_latency_get(pm, 0, &lat), 0);
	cr_assert_eq(lat, 0);
	scx_pm_close(pm);
	assert_original();
	cr_assert_eq(nr_journals(NULL, 0), 0);
}

Test(journal, changed_by_someone_else_is_left)
{
	kill_wait(scheduler());
	fstree_write(&t, LAT0, "55");
	cr_assert_eq(restore(), 3);
	cr_assert_str_eq(slurp(LAT0), "55");
	cr_assert(strstr(msgs, "changed since by someone else"), "%s", msgs);
	cr_assert_str_eq(slurp(EPP1), "balance_performance");
	cr_assert_eq(nr_journals(NULL, 0), 0);
}

Test(journal, restored_in_process_leaves_no_journal)
{
	struct scx_pm *pm = pm_open();
	struct scx_pm_snapshot *s = scx_pm_snapshot_load(pm, SCX_PM_SNAPSHOT_ALL);

	cr_assert_not_null(s);
	cr_assert_eq(scx_pm_resume_latency_set(pm, 1, 5), 0);
	cr_assert_eq(nr_journals(NULL, 0), 1);
	cr_assert_geq(scx_pm_restore(pm, s), 1);
	cr_assert_str_eq(slurp(LAT1), "n/a");
	cr_assert_eq(nr_journals(NULL, 0), 0, "a knob back as found leaves the journal");
	scx_pm_snapshot_free(s);
	scx_pm_close(pm);
}

Test(journal, captured_tree_is_not_touched)
{
	SCX_OPTS(scx_pm_opts, ro, .sysfs_root = t.root);
	SCX_OPTS(scx_journal_opts, jo, .sysfs_root = t.root);
	struct scx_pm *pm = scx_pm_open(&ro);

	cr_assert_eq(scx_pm_resume_latency_set(pm, 0, 3), -EROFS);
	scx_pm_close(pm);
	cr_assert_eq(access(fstree_path(&t, "run"), F_OK), -1);
	cr_assert_eq(scx_journal_restore(&jo), -EROFS);
	cr_assert_eq(errno, EROFS);
}

/* A dead owner's journal of one knob, for the refusal tests. */
static void put_journal(const char *name, const char *text, mode_t mode)
{
	char p[512];
	int fd;

	mkdir(fstree_path(&t, "run"), 0755);
	mkdir(fstree_path(&t, JDIR), 0700);
	snprintf(p, sizeof(p), "%s/%s", fstree_path(&t, JDIR), name);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, mode);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	cr_assert_eq(fchmod(fd, mode), 0);
	close(fd);
}

#define DEAD_HEAD "libscx-journal 1\nboot -\npid 2147483647\nstart 1\n"

Test(journal, dead_owner_by_pid_and_unknown_write)
{
	fstree_write(&t, LAT0, "7");
	fstree_write(&t, LAT1, "8");
	/* a change in flight ("?"): restored whatever the knob shows */
	put_journal("1-1-0.journal",
		    DEAD_HEAD "knob " LAT0 " =0 ?\nknob " LAT1 " =n%2Fa =8\nend\n", 0600);
	cr_assert_eq(restore(), 2, "%s", msgs);
	cr_assert_str_eq(slurp(LAT0), "0");
	cr_assert_str_eq(slurp(LAT1), "n/a");
}

Test(journal, bad_journals_are_refused_and_kept)
{
	static const struct {
		const char *text;
		mode_t mode;
		int err;
		const char *says;
	} bad[] = {
		{ DEAD_HEAD "knob " LAT0 " =0 =7\n", 0600, -EINVAL, "truncated" },
		{ "\x7f" "ELF garbage\n", 0600, -EINVAL, "not a journal" },
		{ DEAD_HEAD "knob sys/../etc/passwd =x =y\nend\n", 0600, -EINVAL, "under sys/ or proc/" },
		{ DEAD_HEAD "knob " LAT0 " =0 =7\nend\n", 0644, -EPERM, "owner or mode" },
	};
	unsigned int i;

	fstree_write(&t, LAT0, "7");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char name[64];

		msgs[0] = '\0';
		snprintf(name, sizeof(name), "%u-1-0.journal", i + 1);
		put_journal(name, bad[i].text, bad[i].mode);
		cr_assert_eq(restore(), bad[i].err, "case %u: %s", i, msgs);
		cr_assert(strstr(msgs, name) && strstr(msgs, bad[i].says), "case %u: %s", i, msgs);
		cr_assert_str_eq(slurp(LAT0), "7", "case %u wrote", i);
		cr_assert_eq(nr_journals(NULL, 0), 1, "case %u: the file stays", i);
		{
			char p[512];

			snprintf(p, sizeof(p), "%s/%s", fstree_path(&t, JDIR), name);
			cr_assert_eq(unlink(p), 0);
		}
	}
}

Test(journal, huge_symlink_and_fifo_journals_are_refused)
{
	char p[512];
	int fd;

	put_journal("1-1-0.journal", DEAD_HEAD "end\n", 0600);
	snprintf(p, sizeof(p), "%s/1-1-0.journal", fstree_path(&t, JDIR));
	fd = open(p, O_WRONLY);
	cr_assert_eq(ftruncate(fd, SCX_JOURNAL_MAX_BYTES + 1), 0);
	close(fd);
	cr_assert_eq(restore(), -EFBIG);
	cr_assert(strstr(msgs, "larger than"), "%s", msgs);
	cr_assert_eq(unlink(p), 0);

	cr_assert_eq(symlink("/etc/passwd", p), 0);
	cr_assert_eq(restore(), -ELOOP);
	cr_assert(strstr(msgs, "symbolic link"), "%s", msgs);
	cr_assert_eq(unlink(p), 0);

	cr_assert_eq(mkfifo(p, 0600), 0);
	cr_assert_eq(restore(), -EINVAL, "a FIFO neither blocks nor passes");
	cr_assert_eq(unlink(p), 0);
}

Test(journal, unsafe_folder_refuses_changes)
{
	struct scx_pm *pm;

	mkdir(fstree_path(&t, "run"), 0755);
	mkdir(fstree_path(&t, JDIR), 0700);
	cr_assert_eq(chmod(fstree_path(&t, JDIR), 0777), 0);
	pm = pm_open();
	cr_assert_eq(scx_pm_resume_latency_set(pm, 0, 3), -EPERM);
	cr_assert_str_eq(slurp(LAT0), "0", "a change the journal cannot record is not made");
	cr_assert(strstr(msgs, "writable by it alone"), "%s", msgs);
	cr_assert_eq(restore(), -EPERM);
	scx_pm_close(pm);

	cr_assert_eq(rmdir(fstree_path(&t, JDIR)), 0);
	cr_assert_eq(mkdir(fstree_path(&t, "elsewhere"), 0700), 0);
	cr_assert_eq(symlink("../elsewhere", fstree_path(&t, JDIR)), 0);
	pm = pm_open();
	cr_assert_eq(scx_pm_resume_latency_set(pm, 0, 3), -ELOOP);
	cr_assert_str_eq(slurp(LAT0), "0");
	cr_assert_eq(restore(), -ELOOP);
	scx_pm_close(pm);
}

Test(journal, format_round_trip_escapes)
{
	char p0[] = "sys/a b/c%d", o0[] = "line one\nline\ttwo", w0[] = "";
	char p1[] = "proc/irq/1/smp_affinity", o1[] = "ff,ffffffff";
	struct scx_journal_knob k[2] = {
		{ .path = p0, .orig = o0, .written = w0 },
		{ .path = p1, .orig = o1, .written = NULL },
	};
	struct scx_journal_doc doc = { .boot = "abc-123", .pid = 42, .start = 99, .k = k, .nr = 2 };
	struct scx_journal_doc back;
	const char *why;
	char *text;
	int len = scx_journal_format(&doc, &text);

	cr_assert_gt(len, 0);
	cr_assert(strstr(text, "knob sys/a%20b/c%25d =line%20one%0Aline%09two =\n"), "%s", text);
	cr_assert(strstr(text, "knob proc/irq/1/smp_affinity =ff,ffffffff ?\n"), "%s", text);
	cr_assert_eq(scx_journal_parse(text, (size_t)len, &back, &why), 0);
	cr_assert_eq(back.nr, 2);
	cr_assert_str_eq(back.k[0].path, k[0].path);
	cr_assert_str_eq(back.k[0].orig, k[0].orig);
	cr_assert_str_eq(back.k[0].written, "");
	cr_assert_null(back.k[1].written);
	cr_assert_str_eq(back.boot, "abc-123");
	cr_assert_eq(back.pid, 42);
	cr_assert_eq(back.start, 99);
	scx_journal_doc_fini(&back);
	free(text);
}

Test(journal, parser_refuses_each_defect)
{
	static const char *const bad[] = {
		"",
		"libscx-journal 2\nboot -\npid 1\nstart 1\nend\n",
		"libscx-journal 1\nboot XYZ\npid 1\nstart 1\nend\n",
		"libscx-journal 1\nboot -\npid 0\nstart 1\nend\n",
		"libscx-journal 1\nboot -\npid 1\nstart 99999999999999999999999\nend\n",
		"libscx-journal 1\nboot -\npid 1\nstart 1\nknob sys/a =%00 =b\nend\n",
		"libscx-journal 1\nboot -\npid 1\nstart 1\nknob sys/a =%4 =b\nend\n",
		"libscx-journal 1\nboot -\npid 1\nstart 1\nknob sys/a =x y =b\nend\n",
		"libscx-journal 1\nboot -\npid 1\nstart 1\nknob etc/shadow =a =b\nend\n",
		"libscx-journal 1\nboot -\npid 1\nstart 1\nknob sys/a/ =a =b\nend\n",
		"libscx-journal 1\nboot -\npid 1\nstart 1\nknob sys/./a =a =b\nend\n",
		"libscx-journal 1\nboot -\npid 1\nstart 1\nknob sys/a =a =b\nknob sys/a =c =d\nend\n",
		"libscx-journal 1\nboot -\npid 1\nstart 1\nend\nknob sys/a =a =b\n",
		"libscx-journal 1\nboot -\npid 1\nstart 1\nend",
		"libscx-journal 1\nboot -\npid 1\nstart 1\nknob sys/a =a ?x\nend\n",
	};
	struct scx_journal_doc doc;
	const char *why;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		cr_assert_eq(scx_journal_parse(bad[i], strlen(bad[i]), &doc, &why), -EINVAL,
			     "case %u accepted", i);
		cr_assert(why && *why, "case %u: no reason", i);
	}
	cr_assert_eq(scx_journal_parse(bad[1] + 0, 0, &doc, &why), -EINVAL);
	{
		static const char ok[] = "libscx-journal 1\nboot -\npid 1\nstart 1\nend\n";

		cr_assert_eq(scx_journal_parse(ok, strlen(ok), &doc, &why), 0);
	}
	cr_assert_eq(doc.nr, 0);
	scx_journal_doc_fini(&doc);
}
