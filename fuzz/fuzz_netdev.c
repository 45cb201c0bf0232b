// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * The NIC IRQ reader on a tree built from the input (see fuzz_tree.h): sys/class/net/IF/device/
 * msi_irqs/N, device/numa_node, proc/irq/N/smp_affinity and affinity_hint, and
 * sys/devices/system/cpu/possible.  A handle that loads must answer every accessor
 * consistently, and apply + restore inside the temporary tree must put every IRQ's original
 * text back.
 */
#include "config.h"

#include <errno.h>

#include <scx/log.h>
#include <scx/netdev.h>

#include "fuzz_tree.h"

static void quiet(enum scx_log_level level, const char *msg, void *ctx)
{
	(void)level;
	(void)msg;
	(void)ctx;
}

static char *slurp(const char *root, int irq)
{
	char path[1024], *buf = calloc(1, 8192);
	int fd;

	snprintf(path, sizeof(path), "%s/proc/irq/%d/smp_affinity", root, irq);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (buf && fd >= 0 && read(fd, buf, 8191) < 0)
		buf[0] = '\0';
	if (fd >= 0)
		close(fd);
	/* the readers drop trailing newlines, so restore writes the text without them */
	for (size_t n = buf ? strlen(buf) : 0; n && buf[n - 1] == '\n'; n--)
		buf[n - 1] = '\0';
	return buf;
}

#define MAX_SAVED 64

static void check_handle(struct scx_netdev *nd, const char *root)
{
	int nr = scx_netdev_count(nd), irqs[MAX_SAVED];
	char *saved[MAX_SAVED];
	unsigned int nsaved = 0;

	FUZZ_CHECK(nr >= 0);
	for (unsigned int d = 0; d < (unsigned int)nr; d++) {
		int nq = scx_netdev_nr_irqs(nd, d), node = scx_netdev_numa_node(nd, d);

		FUZZ_CHECK(scx_netdev_name(nd, d) != NULL);
		FUZZ_CHECK(nq >= 1 && node >= -1);
		for (unsigned int i = 0; i < (unsigned int)nq; i++) {
			const struct scx_cpumask *aff = scx_netdev_irq_affinity(nd, d, i);
			struct scx_cpumask *want = scx_netdev_irq_mask(nd, d, i);

			FUZZ_CHECK(scx_netdev_irq(nd, d, i) >= 0);
			if (nsaved < MAX_SAVED) {
				irqs[nsaved] = scx_netdev_irq(nd, d, i);
				saved[nsaved] = slurp(root, irqs[nsaved]);
				nsaved++;
			}
			FUZZ_CHECK(aff && want);
			(void)scx_netdev_irq_hint(nd, d, i);
			/* move every IRQ to its first CPU, or CPU 0 */
			scx_cpumask_zero(want);
			scx_cpumask_set(want, scx_cpumask_empty(aff) ? 0
								     : (unsigned int)scx_cpumask_first(aff));
		}
		FUZZ_CHECK(scx_netdev_irq(nd, d, (unsigned int)nq) < 0);
		FUZZ_CHECK(scx_netdev_irq_affinity(nd, d, (unsigned int)nq) == NULL);
	}
	FUZZ_CHECK(scx_netdev_name(nd, (unsigned int)nr) == NULL);
	(void)scx_netdev_apply(nd);
	if (scx_netdev_restore(nd) >= 0) {
		/* restore puts back exactly the text that was there */
		for (unsigned int k = 0; k < nsaved; k++) {
			char *now = slurp(root, irqs[k]);

			if (now && saved[k])
				FUZZ_CHECK(strcmp(now, saved[k]) == 0);
			free(now);
		}
	}
	for (unsigned int k = 0; k < nsaved; k++)
		free(saved[k]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char root[512];
	struct scx_netdev *nd;

	scx_log_fn_set(quiet, NULL);
	if (fuzz_tree_build(data, size, root, sizeof(root)))
		return 0;
	{
		SCX_OPTS(scx_netdev_opts, opts, .sysfs_root = root, .allow_fake_root_writes = true);

		nd = scx_netdev_load(&opts);
	}
	if (nd) {
		check_handle(nd, root);
		scx_netdev_free(nd);
	} else {
		/* only the documented reasons */
		FUZZ_CHECK(errno == EINVAL || errno == ENOENT || errno == ENOTDIR ||
			   errno == EACCES || errno == ENOMEM);
	}
	fuzz_tree_remove(root);
	return 0;
}
