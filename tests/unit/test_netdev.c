// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/* NICs, their MSI IRQs and affinity apply/restore on generated trees. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <scx/log.h>
#include <scx/netdev.h>

#include "../lib/fstree.h"

static struct fstree t;
static char last_msg[512];

static void keep_msg(enum scx_log_level l, const char *m, void *c)
{
	snprintf(last_msg, sizeof(last_msg), "%s", m);
}

static void setup(void)
{
	cr_assert_eq(fstree_init(&t), 0);
	scx_log_fn_set(keep_msg, NULL);
}

static void teardown(void)
{
	fstree_fini(&t);
}

TestSuite(netdev, .init = setup, .fini = teardown);

static char *slurp(const char *rel)
{
	static char buf[4096];
	FILE *f = fopen(fstree_path(&t, rel), "r");
	size_t n;

	cr_assert_not_null(f, "%s", rel);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

/* A PCI NIC as sysfs lays it out: class/net/<if>/device -> the PCI device folder. */
static void nic(const char *ifname, const char *pci, const char *node, const int *irqs, int n)
{
	char p[512], target[512];
	int i;

	snprintf(p, sizeof(p), "sys/devices/pci0000:00/%s/net/%s/mtu", pci, ifname);
	fstree_write(&t, p, "1500\n");
	if (node) {
		snprintf(p, sizeof(p), "sys/devices/pci0000:00/%s/numa_node", pci);
		fstree_write(&t, p, "%s\n", node);
	}
	for (i = 0; i < n; i++) {
		snprintf(p, sizeof(p), "sys/devices/pci0000:00/%s/msi_irqs/%d", pci, irqs[i]);
		fstree_write(&t, p, "msix\n");
	}
	snprintf(p, sizeof(p), "sys/class/net/%s", ifname);
	snprintf(target, sizeof(target), "../../devices/pci0000:00/%s/net/%s", pci, ifname);
	cr_assert_eq(fstree_symlink(&t, target, p), 0);
	snprintf(p, sizeof(p), "sys/devices/pci0000:00/%s/net/%s/device", pci, ifname);
	snprintf(target, sizeof(target), "../../../%s", pci);
	cr_assert_eq(fstree_symlink(&t, target, p), 0);
}

static void irq(int n, const char *aff, const char *hint)
{
	char p[128];

	snprintf(p, sizeof(p), "proc/irq/%d/smp_affinity", n);
	fstree_write(&t, p, "%s\n", aff);
	if (hint) {
		snprintf(p, sizeof(p), "proc/irq/%d/affinity_hint", n);
		fstree_write(&t, p, "%s\n", hint);
	}
}

/* 40 CPUs, so masks take two comma-separated 32-bit groups as the kernel prints them. */
static void machine(void)
{
	static const int eth1_irqs[] = { 131, 42, 130 };
	static const int eth0_irqs[] = { 60 };
	static const int intx[] = { 0 };

	fstree_write(&t, "sys/devices/system/cpu/possible", "0-39\n");
	nic("eth1", "0000:00:04.0", "1", eth1_irqs, 3);
	nic("eth0", "0000:00:03.0", "-1", eth0_irqs, 1);
	nic("eth2", "0000:00:05.0", NULL, intx, 0);	/* legacy INTx only: no msi_irqs */
	/* virtual interfaces: no device link */
	fstree_write(&t, "sys/devices/virtual/net/lo/mtu", "65536\n");
	cr_assert_eq(fstree_symlink(&t, "../../devices/virtual/net/lo", "sys/class/net/lo"), 0);
	fstree_write(&t, "sys/devices/virtual/net/br0/mtu", "1500\n");
	cr_assert_eq(fstree_symlink(&t, "../../devices/virtual/net/br0", "sys/class/net/br0"), 0);
	irq(42, "00,00000f00", "00,00000300");
	irq(130, "ff,ffffffff", "00,00000000");
	irq(131, "ff,ffffffff", NULL);
	irq(60, "00,00000001", "00,00000001");
}

static struct scx_netdev *load(bool writes)
{
	SCX_OPTS(scx_netdev_opts, opts, .sysfs_root = t.root, .allow_fake_root_writes = writes);
	struct scx_netdev *nd = scx_netdev_load(&opts);

	cr_assert_not_null(nd, "scx_netdev_load: %s", strerror(errno));
	return nd;
}

static char *list(const struct scx_cpumask *m)
{
	static char buf[256];

	cr_assert_not_null(m);
	scx_cpumask_format_list(m, buf, sizeof(buf));
	return buf;
}

Test(netdev, nics_irqs_nodes_affinity_and_hints)
{
	struct scx_netdev *nd;

	machine();
	nd = load(false);
	cr_assert_eq(scx_netdev_count(nd), 2, "lo, br0 (virtual) and eth2 (no MSI) are left out");
	cr_assert_str_eq(scx_netdev_name(nd, 0), "eth0");
	cr_assert_str_eq(scx_netdev_name(nd, 1), "eth1");
	cr_assert_eq(scx_netdev_numa_node(nd, 0), -1);
	cr_assert_eq(scx_netdev_numa_node(nd, 1), 1);
	cr_assert_eq(scx_netdev_nr_irqs(nd, 0), 1);
	cr_assert_eq(scx_netdev_nr_irqs(nd, 1), 3);
	cr_assert_eq(scx_netdev_irq(nd, 1, 0), 42);
	cr_assert_eq(scx_netdev_irq(nd, 1, 1), 130);
	cr_assert_eq(scx_netdev_irq(nd, 1, 2), 131);
	cr_assert_eq(scx_netdev_irq(nd, 1, 3), -EINVAL);
	cr_assert_eq(scx_cpumask_width(scx_netdev_irq_affinity(nd, 1, 0)), 40);
	cr_assert_str_eq(list(scx_netdev_irq_affinity(nd, 1, 0)), "8-11");
	cr_assert_str_eq(list(scx_netdev_irq_affinity(nd, 1, 1)), "0-39");
	cr_assert_str_eq(list(scx_netdev_irq_hint(nd, 1, 0)), "8-9");
	cr_assert_null(scx_netdev_irq_hint(nd, 1, 1), "an all-zero hint is no hint");
	cr_assert_eq(errno, ENOENT);
	cr_assert_null(scx_netdev_irq_hint(nd, 1, 2));
	cr_assert_eq(errno, ENOENT);
	cr_assert_str_eq(list(scx_netdev_irq_mask(nd, 1, 0)), "8-11", "wanted starts as loaded");
	cr_assert_null(scx_netdev_name(nd, 2));
	cr_assert_eq(errno, EINVAL);
	scx_netdev_free(nd);
}

static const char *const aff_files[] = {
	"proc/irq/42/smp_affinity", "proc/irq/130/smp_affinity", "proc/irq/131/smp_affinity",
	"proc/irq/60/smp_affinity",
};

Test(netdev, apply_then_restore_puts_back_exactly_what_was_there)
{
	char before[4][64];
	struct scx_netdev *nd;
	unsigned int i;

	machine();
	for (i = 0; i < 4; i++)
		snprintf(before[i], sizeof(before[i]), "%s", slurp(aff_files[i]));
	nd = load(true);
	/* spread eth1's queues on CPUs 32, 33 and 34; leave eth0's alone */
	for (i = 0; i < 3; i++) {
		struct scx_cpumask *m = scx_netdev_irq_mask(nd, 1, i);

		cr_assert_eq(scx_cpumask_zero(m), 0);
		cr_assert_eq(scx_cpumask_set(m, 32 + i), 0);
	}
	cr_assert_eq(scx_netdev_apply(nd), 3);
	cr_assert_str_eq(slurp("proc/irq/42/smp_affinity"), "01,00000000");
	cr_assert_str_eq(slurp("proc/irq/130/smp_affinity"), "02,00000000");
	cr_assert_str_eq(slurp("proc/irq/131/smp_affinity"), "04,00000000");
	cr_assert_str_eq(slurp("proc/irq/60/smp_affinity"), before[3], "unchanged IRQ untouched");
	cr_assert_eq(scx_netdev_apply(nd), 0, "nothing left to write");
	/* a second change of one IRQ, then restore */
	cr_assert_eq(scx_cpumask_set(scx_netdev_irq_mask(nd, 1, 0), 39), 0);
	cr_assert_eq(scx_netdev_apply(nd), 1);
	cr_assert_str_eq(slurp("proc/irq/42/smp_affinity"), "81,00000000");
	cr_assert_eq(scx_netdev_restore(nd), 3);
	for (i = 0; i < 4; i++) {
		char want[64];

		snprintf(want, sizeof(want), "%.*s", (int)strcspn(before[i], "\n"), before[i]);
		if (i == 3)	/* never written */
			cr_assert_str_eq(slurp(aff_files[i]), before[i]);
		else
			cr_assert_str_eq(slurp(aff_files[i]), want, "%s", aff_files[i]);
	}
	cr_assert_str_eq(list(scx_netdev_irq_mask(nd, 1, 0)), "8-11", "wanted reset to loaded");
	cr_assert_eq(scx_netdev_restore(nd), 0, "nothing left to restore");
	scx_netdev_free(nd);
}

Test(netdev, empty_mask_writes_nothing)
{
	struct scx_netdev *nd;

	machine();
	nd = load(true);
	cr_assert_eq(scx_cpumask_zero(scx_netdev_irq_mask(nd, 1, 0)), 0);
	cr_assert_eq(scx_cpumask_zero(scx_netdev_irq_mask(nd, 1, 2)), 0);
	cr_assert_eq(scx_cpumask_set(scx_netdev_irq_mask(nd, 1, 2), 5), 0);
	cr_assert_eq(scx_netdev_apply(nd), -EINVAL);
	cr_assert_eq(errno, EINVAL);
	cr_assert_str_eq(slurp("proc/irq/131/smp_affinity"), "ff,ffffffff\n");
	scx_netdev_free(nd);
}

Test(netdev, captured_tree_refuses_writes)
{
	struct scx_netdev *nd;

	machine();
	nd = load(false);
	cr_assert_eq(scx_cpumask_clear(scx_netdev_irq_mask(nd, 1, 1), 0), 0);
	cr_assert_eq(scx_netdev_apply(nd), -EROFS);
	cr_assert(strstr(last_msg, "not this system"), "%s", last_msg);
	cr_assert_str_eq(slurp("proc/irq/130/smp_affinity"), "ff,ffffffff\n");
	scx_netdev_free(nd);
}

Test(netdev, width_from_the_mask_without_possible)
{
	static const int irqs[] = { 7 };
	struct scx_netdev *nd;

	nic("enp1s0", "0000:01:00.0", "0", irqs, 1);
	irq(7, "0000000f", NULL);
	nd = load(false);
	cr_assert_eq(scx_netdev_count(nd), 1);
	cr_assert_eq(scx_cpumask_width(scx_netdev_irq_affinity(nd, 0, 0)), 32);
	cr_assert_str_eq(list(scx_netdev_irq_affinity(nd, 0, 0)), "0-3");
	scx_netdev_free(nd);
}

Test(netdev, msi_irq_without_proc_folder_is_left_out)
{
	static const int irqs[] = { 7, 8 };
	struct scx_netdev *nd;

	fstree_write(&t, "sys/devices/system/cpu/possible", "0-3\n");
	nic("eth0", "0000:01:00.0", "0", irqs, 2);
	irq(8, "3", NULL);
	nd = load(false);
	cr_assert_eq(scx_netdev_nr_irqs(nd, 0), 1);
	cr_assert_eq(scx_netdev_irq(nd, 0, 0), 8);
	scx_netdev_free(nd);
}

Test(netdev, no_nics_is_not_an_error)
{
	struct scx_netdev *nd;

	fstree_mkdir(&t, "sys/class");
	nd = load(false);
	cr_assert_eq(scx_netdev_count(nd), 0);
	cr_assert_eq(scx_netdev_apply(nd), -EROFS);
	scx_netdev_free(nd);
}

Test(netdev, malformed_files_are_einval)
{
	SCX_OPTS(scx_netdev_opts, opts, .sysfs_root = t.root);

	machine();
	irq(42, "zz,00000f00", NULL);
	cr_assert_null(scx_netdev_load(&opts));
	cr_assert_eq(errno, EINVAL);
	irq(42, "00,00000f00", "not hex");
	cr_assert_null(scx_netdev_load(&opts));
	cr_assert_eq(errno, EINVAL);
	irq(42, "00,00000f00", "00,00000300");
	irq(60, "100,00000001", NULL);	/* CPU 40 of a 40-CPU machine */
	cr_assert_null(scx_netdev_load(&opts));
	cr_assert_eq(errno, EINVAL);
	irq(60, "00,00000001", NULL);
	fstree_write(&t, "sys/devices/pci0000:00/0000:00:04.0/numa_node", "north\n");
	cr_assert_null(scx_netdev_load(&opts));
	cr_assert_eq(errno, EINVAL);
}

Test(netdev, unprivileged_apply_names_the_capability)
{
	int status;
	pid_t pid;

	machine();
	cr_assert_eq(chmod(t.root, 0755), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		struct scx_netdev *nd;

		if (setuid(65534))
			_exit(100);
		nd = load(true);
		scx_cpumask_clear(scx_netdev_irq_mask(nd, 1, 1), 3);
		if (scx_netdev_apply(nd) != -EACCES)
			_exit(101);
		_exit(strstr(last_msg, "CAP_DAC_OVERRIDE") ? 0 : 102);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status));
	if (WEXITSTATUS(status) == 100)
		cr_skip_test("cannot drop to an unprivileged uid");
	cr_assert_eq(WEXITSTATUS(status), 0, "child step %d", WEXITSTATUS(status));
	cr_assert_str_eq(slurp("proc/irq/130/smp_affinity"), "ff,ffffffff\n");
}

/* This machine's NICs: every IRQ read has an affinity of the system's width. */
Test(netdev, this_machine)
{
	struct scx_netdev *nd;
	int dev, idx;

	if (getenv("SCX_SYSFS_PREFIX"))
		cr_skip_test("SCX_SYSFS_PREFIX points elsewhere");
	nd = scx_netdev_load(NULL);
	cr_assert_not_null(nd, "%s", strerror(errno));
	for (dev = 0; dev < scx_netdev_count(nd); dev++) {
		cr_assert_gt(scx_netdev_nr_irqs(nd, (unsigned int)dev), 0);
		for (idx = 0; idx < scx_netdev_nr_irqs(nd, (unsigned int)dev); idx++)
			cr_assert_not_null(scx_netdev_irq_affinity(nd, (unsigned int)dev,
								   (unsigned int)idx));
	}
	cr_assert_eq(scx_netdev_apply(nd), 0, "nothing wanted changed: nothing written");
	scx_netdev_free(nd);
}

Test(netdev, bad_arguments)
{
	struct scx_netdev_opts o = { .sz = 1 };

	cr_assert_null(scx_netdev_load(&o));
	cr_assert_eq(errno, EINVAL);
	SCX_OPTS(scx_netdev_opts, bad, .sysfs_root = "/nonexistent/root");
	cr_assert_null(scx_netdev_load(&bad));
	cr_assert_eq(errno, ENOENT);
	cr_assert_eq(scx_netdev_count(NULL), -EINVAL);
	cr_assert_eq(scx_netdev_numa_node(NULL, 0), -EINVAL);
	cr_assert_eq(scx_netdev_nr_irqs(NULL, 0), -EINVAL);
	cr_assert_eq(scx_netdev_irq(NULL, 0, 0), -EINVAL);
	cr_assert_null(scx_netdev_irq_affinity(NULL, 0, 0));
	cr_assert_null(scx_netdev_irq_hint(NULL, 0, 0));
	cr_assert_eq(errno, EINVAL);
	cr_assert_null(scx_netdev_irq_mask(NULL, 0, 0));
	cr_assert_eq(scx_netdev_apply(NULL), -EINVAL);
	cr_assert_eq(scx_netdev_restore(NULL), -EINVAL);
	scx_netdev_free(NULL);
}
