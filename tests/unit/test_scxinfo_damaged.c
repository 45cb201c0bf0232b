// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * scxinfo --json and --doctor on damaged trees (tests/lib/damage.c): for every damaged tree
 * each mode runs as its own process with a time limit.  It must end normally (no signal, no
 * hang) with a documented status: --json 0 with one valid JSON object (strict parse, UTF-8) on
 * stdout, or 1 with a message on stderr; --doctor 0, or 1 with a "[FAIL]" line.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/capability.h>

#include "../lib/damage.h"
#include "../lib/fstree.h"
#include "../lib/kernel_btf.h"
#include "../lib/sysgen.h"

#define RUN_SECONDS 20

static const char *const prefixes[] = { "sys/devices/system/cpu/", "sys/devices/system/node/",
					"sys/kernel/", "proc/", NULL };

static char scxinfo[PATH_MAX], libdir[PATH_MAX];
static char outdir[] = "/tmp/scxinfo-damaged-XXXXXX";

struct run {
	int status;	/* the exit status, or 128 + the signal */
	char *out, *err;
	size_t out_len, err_len;
};

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t cap = 0, n = 0, got;

	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	do {
		if (n + 4096 + 1 > cap) {
			cap = (n + 4096 + 1) * 2;
			buf = realloc(buf, cap);
			cr_assert_not_null(buf);
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
	} while (got);
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/*
 * scxinfo @mode on @root in a child whose output goes to files; an alarm ends it after
 * RUN_SECONDS (the alarm survives exec).  @no_dac: without CAP_DAC_OVERRIDE and
 * CAP_DAC_READ_SEARCH, dropped from the bounding set so that exec does not give them back.
 */
static void run_scxinfo(const char *root, const char *mode, bool no_dac, struct run *r)
{
	char out[PATH_MAX], err[PATH_MAX];
	int status, fd;
	pid_t pid;

	snprintf(out, sizeof(out), "%s/out", outdir);
	snprintf(err, sizeof(err), "%s/err", outdir);
	fflush(NULL);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (!pid) {
		fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd < 0 || dup2(fd, 1) < 0)
			_exit(126);
		fd = open(err, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd < 0 || dup2(fd, 2) < 0)
			_exit(126);
		if (no_dac && geteuid() == 0 &&
		    (prctl(PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, 0, 0, 0) ||
		     prctl(PR_CAPBSET_DROP, CAP_DAC_READ_SEARCH, 0, 0, 0)))
			_exit(125);
		if (libdir[0] && setenv("LD_LIBRARY_PATH", libdir, 1))
			_exit(124);
		alarm(RUN_SECONDS);
		execl(scxinfo, scxinfo, mode, "--sysfs-root", root, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		cr_assert_eq(errno, EINTR);
	r->status = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
	r->out = slurp(out, &r->out_len);
	r->err = slurp(err, &r->err_len);
}

static void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

/* One valid JSON object, nothing after it but white space, in 7-bit ASCII. */
static bool valid_json(const char *text, size_t len, char *why, size_t why_sz)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *obj, *schema;
	size_t end;
	bool ok = false;

	cr_assert_not_null(tok);
	/* 7-bit ASCII, which json-c reads under JSON_TOKENER_STRICT: 0.17 and 0.18 refuse raw UTF-8 */
	for (end = 0; end < len; end++) {
		if ((unsigned char)text[end] >= 0x80) {
			snprintf(why, why_sz, "byte %#x past ASCII at %zu", (unsigned char)text[end], end);
			json_tokener_free(tok);
			return false;
		}
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	obj = json_tokener_parse_ex(tok, text, (int)len);
	if (!obj) {
		snprintf(why, why_sz, "%s at byte %zu",
			 json_tokener_error_desc(json_tokener_get_error(tok)),
			 json_tokener_get_parse_end(tok));
		goto out;
	}
	end = json_tokener_get_parse_end(tok);
	while (end < len && strchr(" \t\r\n", text[end]))
		end++;
	if (end != len)
		snprintf(why, why_sz, "text after the JSON value at byte %zu", end);
	else if (!json_object_is_type(obj, json_type_object) ||
		 !json_object_object_get_ex(obj, "schema", &schema) ||
		 json_object_get_int(schema) != 1 ||
		 !json_object_object_get_ex(obj, "sched_ext", NULL))
		snprintf(why, why_sz, "not an object with \"schema\": 1 and \"sched_ext\"");
	else
		ok = true;
	json_object_put(obj);
out:
	json_tokener_free(tok);
	return ok;
}

static int failures;

/* Both modes on @root; @what names the damage.  Expectation failures are counted. */
static void check_tree(const char *root, bool no_dac, const char *what)
{
	char why[256];
	struct run r;

	run_scxinfo(root, "--json", no_dac, &r);
	if (r.status == 0) {
		if (!valid_json(r.out, r.out_len, why, sizeof(why))) {
			cr_log_error("%s: --json: %s:\n%.2000s", what, why, r.out);
			failures++;
		}
	} else if (r.status != 1 || !r.err_len) {
		cr_log_error("%s: --json ended with %d%s (stderr: %.500s)", what, r.status,
			     r.status > 128 ? " (a signal)" : "", r.err);
		failures++;
	}
	run_free(&r);

	run_scxinfo(root, "--doctor", no_dac, &r);
	if (!(r.status == 0 || (r.status == 1 && strstr(r.out, "[FAIL]")))) {
		cr_log_error("%s: --doctor ended with %d%s (stdout: %.1000s, stderr: %.500s)", what,
			     r.status, r.status > 128 ? " (a signal)" : "", r.out, r.err);
		failures++;
	}
	run_free(&r);
}

/* Files damaged per tree: fewer under a wrapper such as valgrind. */
static size_t files_per_tree(size_t normal)
{
	const char *w = getenv("SCX_TEST_WRAPPER");

	return w && *w ? normal / 8 + 1 : normal;
}

/*
 * Printable text with ill-formed UTF-8 in it: a Latin-1 byte, a stray continuation byte, an
 * overlong NUL, a surrogate, a code point past U+10FFFF, and a truncated sequence at the end;
 * between them well-formed two- and four-byte characters (U+00E9, U+1F600).
 */
static void write_not_utf8(const char *root, const char *rel)
{
	static const char text[] = "caf\xe9 \x80 \xc0\x80 \xc3\xa9 \xed\xa0\x80 \xf0\x9f\x98\x80 "
				   "\xf4\x90\x80\x80 ok \xe2\x82\n";
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "we");
	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	cr_assert_eq(fwrite(text, 1, sizeof(text) - 1, f), sizeof(text) - 1);
	cr_assert_eq(fclose(f), 0);
}

/*
 * Every kind of damage, and text that is not UTF-8, on up to @max_files files of @root;
 * returns the number of trees.
 */
static int damage_all(const char *root, size_t max_files, const char *label)
{
	char **files, what[512];
	int n = damage_list_files(root, prefixes, max_files, &files), trees = 0;

	cr_assert_gt(n, 0, "%s: no files to damage", label);
	check_tree(root, false, label);
	cr_assert_eq(failures, 0, "%s: scxinfo fails on the undamaged tree", label);
	for (int i = 0; i < n; i++) {
		for (int k = 0; k < DMG_NR; k++) {
			if (damage_apply(root, files[i], (enum damage_kind)k, (unsigned int)i))
				continue;	/* not applicable to this file */
			snprintf(what, sizeof(what), "%s: %s damaged (%s)", label, files[i],
				 damage_name((enum damage_kind)k));
			check_tree(root, k == DMG_UNREADABLE, what);
			cr_assert_eq(damage_undo(root, files[i], (enum damage_kind)k), 0,
				     "cannot undo %s", what);
			trees++;
		}
		/* text that is not UTF-8 (JSON must be): kept as the empty damage's backup */
		if (!damage_apply(root, files[i], DMG_EMPTY, 0)) {
			snprintf(what, sizeof(what), "%s: %s not UTF-8", label, files[i]);
			write_not_utf8(root, files[i]);
			check_tree(root, false, what);
			cr_assert_eq(damage_undo(root, files[i], DMG_EMPTY), 0, "cannot undo %s", what);
			trees++;
		}
	}
	damage_free_list(files, n);
	damage_cleanup(root);
	return trees;
}

static void put(struct fstree *t, const char *text, const char *path)
{
	cr_assert_eq(fstree_write(t, path, "%s\n", text), 0, "cannot write %s", path);
}

static void setup(void)
{
	const char *b = getenv("top_builddir");

	if (!b || !*b)
		cr_skip_test("top_builddir is not set (run through make check)");
	/*
	 * The program libtool's wrapper script runs, with the library it would point it to:
	 * the wrapper costs a shell per run, and there are some two thousand runs.
	 */
	snprintf(scxinfo, sizeof(scxinfo), "%s/tools/.libs/scxinfo", b);
	snprintf(libdir, sizeof(libdir), "%s/libscx/.libs", b);
	if (access(scxinfo, X_OK)) {
		snprintf(scxinfo, sizeof(scxinfo), "%s/tools/scxinfo", b);
		libdir[0] = '\0';
	}
	if (access(scxinfo, X_OK))
		cr_skip_test("no %s", scxinfo);
	cr_assert_not_null(mkdtemp(outdir));
}

static void teardown(void)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/out", outdir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/err", outdir);
	unlink(path);
	rmdir(outdir);
}

TestSuite(scxinfo_damaged, .init = setup, .fini = teardown);

/*
 * A two-node SMT machine with sched_ext, an energy model, PM QoS and EPP files, and the kernel
 * BTF of a real sched_ext kernel when one can be had (else the doctor's BTF check fails, which
 * is a documented exit 1).
 */
Test(scxinfo_damaged, generated_tree, .timeout = 1200)
{
	struct sysgen sg = { .nodes = 2, .llcs_per_node = 1, .cores_per_llc = 2, .threads = 2,
			     .pmqos = true };
	const char *em = "sys/kernel/debug/energy_model", *btf = kernel_btf_path("7.3");
	char path[PATH_MAX], cmd[2 * PATH_MAX];
	struct fstree t;
	int trees;

	cr_assert_eq(fstree_init(&t), 0);
	cr_assert_eq(sysgen_write(&t, &sg), 0);
	put(&t, "debugfs /sys/kernel/debug debugfs rw 0 0", "proc/mounts");
	put(&t, "disabled", "sys/kernel/sched_ext/state");
	put(&t, "", "sys/kernel/sched_ext/root/ops");
	put(&t, "0", "sys/kernel/sched_ext/nr_rejected");
	put(&t, "3", "sys/kernel/sched_ext/enable_seq");
	put(&t, "1", "sys/kernel/sched_ext/hotplug_seq");
	put(&t, "1", "sys/kernel/sched_ext/switch_all");
	put(&t, "on", "sys/devices/system/cpu/smt/control");
	put(&t, "1", "sys/devices/system/cpu/smt/active");
	for (int d = 0; d < 8; d += 4) {
		snprintf(path, sizeof(path), "%s/cpu%d/cpus", em, d);
		put(&t, d ? "4-7" : "0-3", path);
		for (int s = 1; s <= 2; s++) {
			static const char *const files[] = { "frequency", "power", "cost",
							     "performance" };
			const int values[] = { s * 100000, 100 * s, 150 * s, 512 * s };

			for (int f = 0; f < 4; f++) {
				snprintf(path, sizeof(path), "%s/cpu%d/ps:%d00000/%s", em, d, s,
					 files[f]);
				cr_assert_eq(fstree_write(&t, path, "%d\n", values[f]), 0);
			}
		}
	}
	put(&t, "0", "sys/devices/system/cpu/intel_pstate/no_turbo");
	for (int c = 0; c < 8; c++) {
		snprintf(path, sizeof(path),
			 "sys/devices/system/cpu/cpufreq/policy%d/energy_performance_preference", c);
		put(&t, "balance_performance", path);
	}
	if (btf) {
		snprintf(path, sizeof(path), "%s/sys/kernel/btf", t.root);
		cr_assert_eq(mkdir(path, 0755) && errno != EEXIST, 0);
		snprintf(cmd, sizeof(cmd), "cp '%s' '%s/vmlinux'", btf, path);
		cr_assert_eq(system(cmd), 0, "%s", cmd);
	}
	trees = damage_all(t.root, files_per_tree(90), "generated");
	cr_log_info("damaged trees run through scxinfo --json and --doctor: %d", trees);
	fprintf(stderr, "# damaged trees run through scxinfo --json and --doctor: %d%s\n", trees,
		btf ? " (with kernel BTF)" : " (without kernel BTF)");
	cr_expect_eq(failures, 0, "%d runs of scxinfo ended badly (see the log)", failures);
	cr_expect_gt(trees, (int)files_per_tree(90) * 4);
	sysgen_fini(&sg);
	fstree_fini(&t);
}
