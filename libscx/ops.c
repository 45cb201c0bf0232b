// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * The scheduler lifecycle: open (fit the object to the kernel), load (size the dump, explain
 * failures), attach (once, and never over another scheduler).
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <scx/btf.h>
#include <scx/enums.h>
#include <scx/ops.h>
#include <scx/caps.h>
#include <scx/kstate.h>
#include <scx/user_exit_info_common.h>
#include <scx/version.h>

#include "bpfobj.h"
#include "internal.h"
#include "sysfs.h"

/* A section or variable name made from a UEI name (".data.<name>_dump", "<name>_dump_len"). */
#define UEI_SYM_MAX 256
/* A kfunc name: the kernel's KSYM_NAME_LEN. */
#define KFUNC_NAME_LEN 512
/* The list of unusable kfuncs a scheduler declares, as the load diagnosis prints it. */
#define UNSPLIT_LIST_LEN 1024

/*
 * libbpf >= 1.5 skeletons attach struct_ops maps in __attach() unless told not to; the call
 * does not exist in older libbpf, where nothing attaches them automatically.
 */
extern int bpf_map__set_autoattach(struct bpf_map *map, bool autoattach) __attribute__((weak));

/*
 * libbpf >= 1.7 can associate a loaded program with a struct_ops map, so that kfuncs called
 * from programs that are not struct_ops callbacks (timers, syscall and tracing programs) know
 * which scheduler they act for; without it the kernel falls back to the root scheduler.
 */
struct bpf_prog_assoc_struct_ops_opts;
extern int bpf_program__assoc_struct_ops(struct bpf_program *prog, struct bpf_map *map,
					 struct bpf_prog_assoc_struct_ops_opts *opts)
	__attribute__((weak));

static void assoc_programs(struct bpf_object *obj, struct bpf_map *map)
{
	struct bpf_program *prog;
	int err;

	if (!bpf_program__assoc_struct_ops)
		return;
	bpf_object__for_each_program(prog, obj) {
		if (bpf_program__type(prog) == BPF_PROG_TYPE_STRUCT_OPS || bpf_program__fd(prog) < 0)
			continue;
		err = bpf_program__assoc_struct_ops(prog, map, NULL);
		if (err)
			scx_warn("cannot associate program %s with %s: %s", bpf_program__name(prog),
				 bpf_map__name(map), strerror(-err));
	}
}

static struct bpf_map *ops_map_of(struct bpf_object *obj, const char *name)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, name);

	if (!map || bpf_map__type(map) != BPF_MAP_TYPE_STRUCT_OPS) {
		scx_err("the BPF object has no struct_ops map '%s'", name);
		return NULL;
	}
	return map;
}

/*
 * The name of the struct the object's ops map holds: sched_ext_ops, or another sched_ext_ops*
 * type such as 7.3's sched_ext_ops_cid (SCX_OPS_CID_DEFINE()).
 */
static const char *ops_type_name(struct bpf_object *obj, struct bpf_map *map)
{
	const struct btf *btf = bpf_object__btf(obj);
	const struct btf_type *t;
	const char *name;

	t = btf ? btf__type_by_id(btf, bpf_map__btf_value_type_id(map)) : NULL;
	name = t ? btf__name_by_offset(btf, t->name_off) : NULL;
	if (!name || strncmp(name, "sched_ext_ops", strlen("sched_ext_ops")))
		name = "sched_ext_ops";
	return name;
}

/* The kernel's struct @name, or NULL. */
static const struct btf_type *kernel_ops_type(const struct btf *kbtf, const char *name)
{
	__s32 id = btf__find_by_name_kind(kbtf, name, BTF_KIND_STRUCT);

	return id > 0 ? btf__type_by_id(kbtf, id) : NULL;
}

static bool kernel_has_member(const struct btf *kbtf, const struct btf_type *st, const char *name)
{
	const struct btf_member *m = btf_members(st);
	int i, n = btf_vlen(st);

	for (i = 0; i < n; i++, m++)
		if (!strcmp(btf__name_by_offset(kbtf, m->name_off), name))
			return true;
	return false;
}

static bool all_zero(const void *p, size_t n)
{
	const unsigned char *c = p;

	while (n--)
		if (*c++)
			return false;
	return true;
}

/*
 * Clear the members of the object's struct sched_ext_ops that the kernel's lacks.  libbpf
 * keeps a callback's program pointer in the member, so its program is found that way and
 * not loaded either.
 */
static int clear_missing_members(struct bpf_object *obj, struct bpf_map *map,
				 const struct btf *kbtf, const struct btf_type *kst)
{
	const struct btf *btf = bpf_object__btf(obj);
	const struct btf_type *st, *mt;
	const struct btf_member *m;
	int i, n, cleared = 0;

	st = btf__type_by_id(btf, bpf_map__btf_value_type_id(map));
	if (!st || !btf_is_struct(st))
		return -ENOENT;
	m = btf_members(st);
	n = btf_vlen(st);
	for (i = 0; i < n; i++, m++) {
		const char *name = btf__name_by_offset(btf, m->name_off);
		struct bpf_program *prog, *owner = NULL;
		size_t size;
		void *data;

		if (!*name || kernel_has_member(kbtf, kst, name))
			continue;
		if (scx_obj_ops_member(obj, map, name, &data, &size, &mt) || all_zero(data, size))
			continue;
		if (btf_is_ptr(mt) && size == sizeof(void *)) {
			void *ptr;

			memcpy(&ptr, data, sizeof(ptr));
			bpf_object__for_each_program(prog, obj)
				if ((void *)prog == ptr)
					owner = prog;
		}
		if (owner) {
			bpf_program__set_autoload(owner, false);
			scx_warn("sched_ext_ops.%s(): this kernel does not have the callback; "
				 "program %s will not be used", name, bpf_program__name(owner));
		} else {
			scx_warn("sched_ext_ops.%s: this kernel does not have the field; "
				 "its value is dropped", name);
		}
		memset(data, 0, size);
		cleared++;
	}
	return cleared;
}

static int set_u64_member(struct bpf_object *obj, struct bpf_map *map, const char *name,
			  uint64_t val)
{
	size_t size;
	void *data;

	if (scx_obj_ops_member(obj, map, name, &data, &size, NULL))
		return -ENOENT;
	if (size == sizeof(uint64_t)) {
		memcpy(data, &val, sizeof(val));
	} else if (size == sizeof(uint32_t) && val <= UINT32_MAX) {
		uint32_t v32 = (uint32_t)val;

		memcpy(data, &v32, sizeof(v32));
	} else {
		return -ERANGE;
	}
	return 0;
}

static int get_u32_member(struct bpf_object *obj, struct bpf_map *map, const char *name,
			  uint32_t *val)
{
	size_t size;
	void *data;

	if (scx_obj_ops_member(obj, map, name, &data, &size, NULL) || size != sizeof(*val))
		return -ENOENT;
	memcpy(val, data, sizeof(*val));
	return 0;
}

/*
 * Clear the ops flags the kernel does not know (an older kernel's missing ones, or one a newer
 * kernel removed, such as SCX_OPS_HAS_CGROUP_WEIGHT): it refuses the whole scheduler with
 * EINVAL otherwise.  The kernel's SCX_OPS_ALL_FLAGS says which it takes; a kernel without it
 * is left alone.
 */
static void clear_unknown_flags(struct bpf_object *obj, struct bpf_map *map,
				const struct btf *kbtf)
{
	uint64_t flags, known;
	size_t size;
	void *data;

	if (scx_obj_ops_member(obj, map, "flags", &data, &size, NULL) || size != sizeof(flags))
		return;
	if (scx_btf_enum_value(kbtf, "scx_ops_flags", "SCX_OPS_ALL_FLAGS", &known) < 0)
		return;
	memcpy(&flags, data, sizeof(flags));
	if (!(flags & ~known))
		return;
	scx_warn("sched_ext_ops.flags 0x%llx: this kernel does not have the flags 0x%llx; they "
		 "are cleared", (unsigned long long)flags, (unsigned long long)(flags & ~known));
	flags &= known;
	memcpy(data, &flags, sizeof(flags));
}

static int set_hotplug_seq(struct bpf_object *obj, struct bpf_map *map, const char *root)
{
	SCX_OPTS(scx_kstate_opts, kopts, .sysfs_root = root);
	struct scx_kstate *ks = scx_kstate_load(&kopts);
	uint64_t seq;
	int err;

	if (!ks)
		return -errno;
	err = scx_kstate_value(ks, SCX_KSTATE_HOTPLUG_SEQ, &seq);
	scx_kstate_free(ks);
	if (err) {
		scx_dbg("no /sys/kernel/sched_ext/hotplug_seq; ops.hotplug_seq left alone");
		return 0;
	}
	if (set_u64_member(obj, map, "hotplug_seq", seq))
		scx_dbg("the object's sched_ext_ops has no hotplug_seq");
	return 0;
}

static int set_timeout(struct bpf_object *obj, struct bpf_map *map)
{
	const char *env = getenv("SCX_TIMEOUT_MS");
	uint64_t ms;

	if (!env || !*env)
		return 0;
	if (scx_parse_u64(env, &ms) || ms > UINT32_MAX) {
		scx_err("SCX_TIMEOUT_MS='%s' is not a number of milliseconds", env);
		return -EINVAL;
	}
	if (set_u64_member(obj, map, "timeout_ms", ms)) {
		scx_err("cannot set sched_ext_ops.timeout_ms from SCX_TIMEOUT_MS");
		return -EINVAL;
	}
	scx_info("watchdog timeout %llu ms (SCX_TIMEOUT_MS)", (unsigned long long)ms);
	return 0;
}

static int set_name(struct bpf_object *obj, struct bpf_map *map, const char *version)
{
	char cur[SCX_OPS_NAME_LEN], name[SCX_OPS_NAME_LEN];
	size_t size;
	void *data;
	int ret;

	if (!version || !*version)
		return 0;
	if (scx_obj_ops_member(obj, map, "name", &data, &size, NULL) || size < 2)
		return -ENOENT;
	if (size > sizeof(cur))
		size = sizeof(cur);
	memcpy(cur, data, size);
	cur[size - 1] = '\0';
	if (!cur[0])
		return 0;	/* the kernel will refuse the nameless ops anyway */
	ret = scx_ops_name(cur, version, name, size);
	if (ret < 0 && ret != -ENAMETOOLONG)
		return ret;
	memset(data, 0, size);
	memcpy(data, name, strlen(name));
	return 0;
}

int scx_ops_open_prepare(struct bpf_object *obj, const char *ops_map,
			 const struct scx_ops_opts *opts)
{
	const char *btf_path = SCX_OPTS_GET(opts, btf_path, NULL);
	const struct btf_type *kst;
	const char *tname;
	struct btf *owned = NULL;
	const struct btf *kbtf;
	struct bpf_map *map;
	int err;

	if (!obj || !ops_map)
		return scx_errno(-EINVAL);
	err = SCX_OPTS_VALID(opts, scx_ops_opts);
	if (err)
		return scx_errno(err);
	map = ops_map_of(obj, ops_map);
	if (!map)
		return scx_errno(-ENOENT);
	err = scx_obj_check_libbpf(obj);
	if (err)
		return scx_errno(err);
	if (!btf_path && getenv("SCX_BTF_PATH") && *getenv("SCX_BTF_PATH"))
		btf_path = getenv("SCX_BTF_PATH");
	if (btf_path) {
		SCX_OPTS(scx_btf_opts, bopts, .path = btf_path);

		kbtf = owned = scx_btf_load(&bopts);
	} else {
		kbtf = scx_btf_vmlinux();
	}
	if (!kbtf) {
		err = -errno;
		scx_err("cannot read the kernel's BTF%s%s: %s", btf_path ? " from " : "",
			btf_path ? btf_path : "", strerror(-err));
		return scx_errno(err);
	}
	tname = ops_type_name(obj, map);
	kst = kernel_ops_type(kbtf, tname);
	if (!kst || !kernel_has_member(kbtf, kst, "dump")) {
		scx_err("%s: the kernel has no usable sched_ext (struct %s%s); it needs %s built "
			"with CONFIG_SCHED_CLASS_EXT=y",
			ops_map, tname, kst ? " lacks dump()" : " is missing",
			strcmp(tname, "sched_ext_ops") ? "Linux 7.3 or later" : "Linux 6.12 or later");
		err = -EOPNOTSUPP;
		goto out;
	}
	err = clear_missing_members(obj, map, kbtf, kst);
	if (err < 0)
		goto out;
	clear_unknown_flags(obj, map, kbtf);
	err = set_hotplug_seq(obj, map, SCX_OPTS_GET(opts, sysfs_root, NULL));
	if (!err)
		err = set_timeout(obj, map);
	if (!err)
		err = set_name(obj, map, SCX_OPTS_GET(opts, version, NULL));
	if (!err) {
		err = scx_enums_import_btf(obj, kbtf);
		err = err > 0 ? 0 : err;
	}
out:
	scx_btf_free(owned);
	return scx_errno(err);
}

int scx_ops_load_prepare(struct bpf_object *obj, const char *ops_map, const char *uei_name)
{
	char sec[UEI_SYM_MAX], var[UEI_SYM_MAX];
	struct bpf_map *map, *dump;
	uint32_t len = 0, *len_var;
	size_t size;
	int err;

	if (!obj || !ops_map || !uei_name)
		return scx_errno(-EINVAL);
	map = ops_map_of(obj, ops_map);
	if (!map)
		return scx_errno(-ENOENT);
	if (get_u32_member(obj, map, "exit_dump_len", &len) || !len)
		len = UEI_DUMP_DFL_LEN;
	snprintf(sec, sizeof(sec), ".data.%s_dump", uei_name);
	snprintf(var, sizeof(var), "%s_dump_len", uei_name);
	dump = scx_obj_datasec_map(obj, sec);
	len_var = scx_obj_var(obj, ".rodata", var, &size);
	if (!dump || !len_var || size != sizeof(*len_var)) {
		scx_err("the BPF object lacks the exit info '%s' (section %s, variable %s): "
			"is UEI_DEFINE(%s) in its BPF code?", uei_name, sec, var, uei_name);
		return scx_errno(-ENOENT);
	}
	memcpy(len_var, &len, sizeof(len));
	err = bpf_map__set_value_size(dump, len);
	if (err) {
		scx_err("cannot size the exit dump area to %u bytes: %s", len, strerror(-err));
		return scx_errno(err);
	}
	return (int)len;
}

/* What the user can do about kfuncs that resolve_btfids left unsplit. */
#define UNSPLIT_REMEDY                                                                         \
	"the kernel's resolve_btfids did not split them into foo and foo_impl (Linux 7.1 and "  \
	"7.2 built with pahole 1.30, which tags only some kfuncs), and the verifier refuses "   \
	"any call to them (\"cannot find function foo_impl in BTF\") whatever the loader does: " \
	"use a kernel built with pahole >= 1.31, or Linux 7.3 (Debian's 7.3 packages)"

/* Copy @name without its "___flavour" suffix into @buf. */
static const char *kfunc_base_name(const char *name, char *buf, size_t size)
{
	const char *flavour = strstr(name, "___");
	size_t len = flavour ? (size_t)(flavour - name) : strlen(name);

	if (len >= size)
		len = size - 1;
	memcpy(buf, name, len);
	buf[len] = '\0';
	return buf;
}

/* Whether the comma-separated @list holds @name. */
static bool list_has(const char *list, const char *name)
{
	size_t len = strlen(name);
	const char *p;

	for (p = list; (p = strstr(p, name)); p += len)
		if ((p == list || p[-1] == ' ') && (p[len] == ',' || !p[len]))
			return true;
	return false;
}

/* Name the kfuncs @obj declares that @kbtf leaves uncallable. */
static void explain_unsplit_in(const struct bpf_object *obj, const struct btf *kbtf)
{
	const struct btf *ob = bpf_object__btf(obj);
	char list[UNSPLIT_LIST_LEN] = "", name[KFUNC_NAME_LEN];
	unsigned int count = 0;
	__u32 id, nr;

	nr = ob ? btf__type_cnt(ob) : 0;
	for (id = 1; id < nr; id++) {
		const struct btf_type *t = btf__type_by_id(ob, id);
		size_t len = strlen(list);

		/*
		 * Every FUNC is looked up: libbpf gives the extern ones global linkage when it
		 * opens the object, and no program of the object has a kfunc's name.
		 */
		if (!btf_is_func(t))
			continue;
		kfunc_base_name(btf__name_by_offset(ob, t->name_off), name, sizeof(name));
		if (scx_btf_kfunc_unsplit(kbtf, name) != 1 || list_has(list, name))
			continue;
		count++;
		snprintf(list + len, sizeof(list) - len, "%s%s", len ? ", " : "", name);
	}
	if (count)
		scx_err("this scheduler declares %u kfunc%s that this kernel leaves uncallable (%s): "
			"%s; a __weak declaration guarded by bpf_ksym_exists() is fine", count,
			count > 1 ? "s" : "", list, UNSPLIT_REMEDY);
}

static void explain_unsplit(const struct bpf_object *obj, const struct btf *kbtf)
{
	const char *first = NULL;
	int n;

	if (obj) {
		explain_unsplit_in(obj, kbtf);
		return;
	}
	n = scx_btf_aux_kfuncs(kbtf, &first);
	if (n > 0)
		scx_err("the kernel's BTF shows %d sched_ext kfuncs (%s first) with their hidden "
			"trailing 'aux' argument and no '_impl' form; %s", n, first, UNSPLIT_REMEDY);
}

int scx_ops_load_diagnose(const struct bpf_object *obj, int err)
{
	const char *first = NULL, *path = getenv("SCX_BTF_PATH");
	unsigned int missing = 0;
	struct btf *owned = NULL;
	const struct btf *kbtf;
	int n;

	if (err >= 0)
		err = -EINVAL;
	scx_err("loading the BPF scheduler failed: %s", strerror(-err));
	if (path && *path) {
		SCX_OPTS(scx_btf_opts, bopts, .path = path);

		kbtf = owned = scx_btf_load(&bopts);
	} else {
		kbtf = scx_btf_vmlinux();
	}
	if (!kbtf) {
		scx_err("the kernel exposes no BTF (%s): it needs CONFIG_DEBUG_INFO_BTF=y",
			path && *path ? path : "/sys/kernel/btf/vmlinux");
		return scx_errno(err);
	}
	if (scx_btf_struct_has_field(kbtf, "sched_ext_ops", "dump") != 1)
		scx_err("the kernel has no sched_ext: it needs Linux 6.12 or later built with "
			"CONFIG_SCHED_CLASS_EXT=y");
	explain_unsplit(obj, kbtf);
	n = scx_btf_truncated_enums(kbtf, &first);
	if (n > 0)
		scx_err("the kernel's BTF has %d 64-bit enums cut to 32 bits (%s first; pahole before "
			"1.25)", n, first);
	if (!scx_caps_missing(SCX_CAPS_LOAD, &missing) && missing)
		scx_err("missing capabilities to load a scheduler: run as root or grant "
			"CAP_SYS_ADMIN (or CAP_BPF and CAP_PERFMON)");
	if (libbpf_major_version() < 1 ||
	    (libbpf_major_version() == 1 && libbpf_minor_version() < 4))
		scx_err("libbpf %s is too old: sched_ext schedulers need libbpf 1.4 or later",
			libbpf_version_string());
	if (err == -EACCES || err == -EINVAL)
		scx_err("the verifier's log above says which instruction it refused");
	scx_btf_free(owned);
	return scx_errno(err);
}

int scx_ops_load_error(int err)
{
	return scx_ops_load_diagnose(NULL, err);
}

int scx_ops_attach_prepare(struct bpf_object *obj, const char *ops_map,
			   const struct scx_ops_opts *opts)
{
	struct scx_kstate *ks;
	struct bpf_map *map;
	int err;

	if (!obj || !ops_map)
		return scx_errno(-EINVAL);
	err = SCX_OPTS_VALID(opts, scx_ops_opts);
	if (err)
		return scx_errno(err);
	map = ops_map_of(obj, ops_map);
	if (!map)
		return scx_errno(-ENOENT);
	{
		SCX_OPTS(scx_kstate_opts, kopts,
			 .sysfs_root = SCX_OPTS_GET(opts, sysfs_root, NULL));

		ks = scx_kstate_load(&kopts);
	}
	if (!ks)
		return scx_errno(-errno);
	if (!scx_kstate_supported(ks)) {
		scx_err("the kernel has no sched_ext (no /sys/kernel/sched_ext)");
		err = -EOPNOTSUPP;
	} else if (scx_kstate_state(ks) && strcmp(scx_kstate_state(ks), "disabled")) {
		scx_err("another sched_ext scheduler is %s%s%s%s: stop it before starting %s",
			scx_kstate_state(ks), scx_kstate_ops(ks) ? " (\"" : "",
			scx_kstate_ops(ks) ? scx_kstate_ops(ks) : "", scx_kstate_ops(ks) ? "\")" : "",
			ops_map);
		err = -EBUSY;
	}
	scx_kstate_free(ks);
	if (err)
		return scx_errno(err);
	if (bpf_map__set_autoattach)
		bpf_map__set_autoattach(map, false);
	assoc_programs(obj, map);
	return 0;
}

struct bpf_link *scx_ops_attach(struct bpf_object *obj, const char *ops_map)
{
	struct bpf_link *link;
	struct bpf_map *map;
	int err;

	if (!obj || !ops_map)
		return scx_err_ptr(-EINVAL);
	map = ops_map_of(obj, ops_map);
	if (!map)
		return scx_err_ptr(-ENOENT);
	link = bpf_map__attach_struct_ops(map);
	if (!link) {
		err = errno ? -errno : -EINVAL;
		if (err == -EBUSY || err == -EEXIST)
			scx_err("cannot attach %s: another sched_ext scheduler is running", ops_map);
		else
			scx_err("cannot attach %s: %s (the kernel log may say why)", ops_map,
				strerror(-err));
		return scx_err_ptr(err);
	}
	return link;
}

int scx_ops_name(const char *name, const char *version, char *buf, size_t sz)
{
	char full[2 * SCX_OPS_NAME_LEN + 2];
	size_t i, len, lim;

	if (!name || !*name || !buf || !sz)
		return scx_errno(-EINVAL);
	snprintf(full, sizeof(full), "%s%s%s", name, version && *version ? "_" : "",
		 version ? version : "");
	for (i = 0; full[i]; i++)
		if (!isalnum((unsigned char)full[i]) && full[i] != '_' && full[i] != '.')
			full[i] = '_';
	len = strlen(full);
	lim = sz < SCX_OPS_NAME_LEN ? sz : SCX_OPS_NAME_LEN;
	if (len >= lim) {
		memcpy(buf, full, lim - 1);
		buf[lim - 1] = '\0';
		return scx_errno(-ENAMETOOLONG);
	}
	memcpy(buf, full, len + 1);
	return (int)len;
}

int scx_ops_fill_libbpf_opts(const struct scx_ops_libbpf_opts *in, struct bpf_object_open_opts *out)
{
	const char *btf_path;
	int err;

	if (!out || out->sz < offsetof(struct bpf_object_open_opts, bpf_token_path) +
				  sizeof(out->bpf_token_path))
		return scx_errno(-EINVAL);
	err = SCX_OPTS_VALID(in, scx_ops_libbpf_opts);
	if (err)
		return scx_errno(err);
	if (SCX_OPTS_GET(in, pin_root_path, NULL))
		out->pin_root_path = in->pin_root_path;
	if (SCX_OPTS_GET(in, kconfig, NULL))
		out->kconfig = in->kconfig;
	btf_path = SCX_OPTS_GET(in, btf_custom_path, NULL);
	if (!btf_path)
		btf_path = getenv("SCX_BTF_PATH");
	if (btf_path && *btf_path)
		out->btf_custom_path = btf_path;
	if (SCX_OPTS_GET(in, bpf_token_path, NULL))
		out->bpf_token_path = in->bpf_token_path;
	if (SCX_OPTS_GET(in, kernel_log_level, 0u) & ~7u) {
		scx_err("struct scx_ops_libbpf_opts: kernel_log_level %u is not a mask of 1, 2 and 4",
			in->kernel_log_level);
		return scx_errno(-EINVAL);
	}
	if (SCX_OPTS_GET(in, kernel_log_level, 0u))
		out->kernel_log_level = in->kernel_log_level;
	return 0;
}
