// SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
/*
 * Uses every macro and wrapper of common.bpf.h, compat.bpf.h, user_exit_info.bpf.h and
 * enums.bpf.h, so a change that breaks one fails to compile here.  Built and opened (never
 * loaded) by tests/bpf/bpf-check.sh.
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

#define NR_SLOTS 16

struct tslot {
	u64 vtime;
	u32 weight;
};

struct node_data {
	u64 key;
	struct bpf_rb_node rb;
};

private(GROUP) struct bpf_spin_lock tree_lock;
private(GROUP) struct bpf_rb_root tree __contains(node_data, rb);
private(MASKS) struct bpf_cpumask __kptr *keep_mask;

const volatile u32 nr_entries = 4;
u64 RESIZABLE_ARRAY(data, entries);
static struct tslot slots[NR_SLOTS];
u64 counters[4];

UEI_DEFINE(uei);

static bool node_less(struct bpf_rb_node *a, const struct bpf_rb_node *b)
{
	struct node_data *na = container_of(a, struct node_data, rb);
	struct node_data *nb = container_of(b, struct node_data, rb);

	return na->key < nb->key;
}

static u64 arith(u64 v)
{
	u64 r = 0;

	r += log2_u32((u32)v) + log2_u64(v) + ctzll(v) + scx_sqrt_u64(v) + __sqrt_u64(v);
	r += scx_min(v, 3ULL) + scx_max(v, 1ULL) + scx_clamp(v, 1ULL, 9ULL) +
	     scx_div_round_up(v, 8ULL);
	if (likely(time_after(v, 5)) || unlikely(time_before(v, 2)))
		r++;
	if (time_after_eq(v, 1) && time_before_eq(v, 100) && time_in_range(v, 1, 100) &&
	    time_in_range_open(v, 1, 100))
		r += time_delta(v, 1);
	SCX_BUILD_BUG_ON(sizeof(struct tslot) != 16);
	return r;
}

s32 BPF_STRUCT_OPS(hdr_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	const struct cpumask *idle;
	s32 cpu;

	cpu = scx_bpf_select_cpu_and(p, prev_cpu, wake_flags, p->cpus_ptr, 0);
	if (cpu >= 0) {
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, SCX_SLICE_DFL, 0);
		return cpu;
	}
	idle = __COMPAT_scx_bpf_get_idle_cpumask_node(__COMPAT_scx_bpf_cpu_node(prev_cpu));
	cpu = __COMPAT_scx_bpf_pick_idle_cpu_node(idle, __COMPAT_scx_bpf_cpu_node(prev_cpu),
						  SCX_PICK_IDLE_CORE);
	scx_bpf_put_idle_cpumask(idle);
	if (cpu < 0)
		cpu = __COMPAT_scx_bpf_pick_any_cpu_node(p->cpus_ptr, 0, 0);
	return cpu >= 0 ? cpu : prev_cpu;
}

void BPF_STRUCT_OPS(hdr_enqueue, struct task_struct *p, u64 enq_flags)
{
	u32 idx = bpf_get_prandom_u32() % NR_SLOTS;
	struct tslot *s = MEMBER_VPTR(slots, [idx]);
	u64 *e = ARRAY_ELEM_PTR(entries, idx, nr_entries);

	if (!s || !e) {
		scx_bpf_error("slot %u out of range", idx);
		return;
	}
	WRITE_ONCE(s->vtime, READ_ONCE(s->vtime) + arith(enq_flags));
	(*e)++;
	if (!__COMPAT_is_enq_cpu_selected(enq_flags))
		counters[0]++;
	if (enq_flags & SCX_ENQ_HEAD)
		scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
	else
		scx_bpf_dsq_insert_vtime(p, 1, SCX_SLICE_DFL, s->vtime, enq_flags);
	scx_bpf_dispatch(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, 0);	/* 6.12 name */
	scx_bpf_kick_cpu(scx_bpf_task_cpu(p), SCX_KICK_IDLE);
}

void BPF_STRUCT_OPS(hdr_dispatch, s32 cpu, struct task_struct *prev)
{
	struct task_struct *p;
	int i;

	if (__COMPAT_scx_bpf_dsq_peek(1) && scx_bpf_dsq_move_to_local(1))
		return;
	if (scx_bpf_dsq_move_to_local(1, 0) || scx_bpf_consume(1))
		return;
	bpf_for_each(scx_dsq, p, 1, 0) {
		scx_bpf_dsq_move_set_slice(BPF_FOR_EACH_ITER, SCX_SLICE_DFL);
		scx_bpf_dsq_move_set_vtime(BPF_FOR_EACH_ITER, 0);
		if (scx_bpf_dsq_move(BPF_FOR_EACH_ITER, p, SCX_DSQ_LOCAL, 0))
			break;
		if (scx_bpf_dsq_move_vtime(BPF_FOR_EACH_ITER, p, 1, 0))
			break;
	}
	bpf_for(i, 0, 4)
		counters[i & 3] += scx_bpf_dsq_nr_queued(1);
	bpf_repeat(2)
		counters[1]++;
	if (scx_bpf_reenqueue_local())
		counters[2]++;
}

void BPF_STRUCT_OPS(hdr_running, struct task_struct *p)
{
	struct task_struct *curr = __COMPAT_scx_bpf_cpu_curr(scx_bpf_task_cpu(p));

	if (curr && curr->pid == p->pid)
		scx_bpf_task_set_slice(p, SCX_SLICE_DFL);
	scx_bpf_task_set_dsq_vtime(p, scx_bpf_now());
	__sink(curr);
}

void BPF_STRUCT_OPS(hdr_tick, struct task_struct *p)
{
	struct bpf_cpumask *mask;
	struct node_data *n;
	struct scx_event_stats ev;
	struct cgroup *cg;

	__COMPAT_scx_bpf_events(&ev, sizeof(ev));
	counters[3] = __COMPAT_scx_bpf_nr_node_ids() + ev.SCX_EV_SELECT_CPU_FALLBACK;

	cg = __COMPAT_scx_bpf_task_cgroup(p);
	if (cg)
		bpf_cgroup_release(cg);

	mask = bpf_cpumask_create();
	if (mask) {
		bpf_cpumask_set_cpu(0, mask);
		if (bpf_cpumask_test_cpu(0, cast_mask(mask)))
			counters[0] += bpf_cpumask_weight(cast_mask(mask));
		mask = bpf_kptr_xchg(&keep_mask, mask);
		if (mask)
			bpf_cpumask_release(mask);
	}

	n = bpf_obj_new(struct node_data);
	if (!n)
		return;
	n->key = bpf_ktime_get_ns();
	bpf_spin_lock(&tree_lock);
	bpf_rbtree_add(&tree, &n->rb, node_less);
	bpf_spin_unlock(&tree_lock);
}

void BPF_STRUCT_OPS(hdr_dump, struct scx_dump_ctx *dctx)
{
	scx_bpf_dump("counters %llu %llu", counters[0], counters[1]);
}

s32 BPF_STRUCT_OPS_SLEEPABLE(hdr_init)
{
	if (scx_bpf_create_dsq(1, -1))
		scx_bpf_exit(1, "cannot create DSQ %d", 1);
	return 0;
}

void BPF_STRUCT_OPS(hdr_exit, struct scx_exit_info *ei)
{
	UEI_RECORD(uei, ei);
}

SCX_OPS_DEFINE(hdr_ops,
	       .select_cpu = (void *)hdr_select_cpu,
	       .enqueue = (void *)hdr_enqueue,
	       .dispatch = (void *)hdr_dispatch,
	       .running = (void *)hdr_running,
	       .tick = (void *)hdr_tick,
	       .dump = (void *)hdr_dump,
	       .init = (void *)hdr_init,
	       .exit = (void *)hdr_exit,
	       .flags = SCX_OPS_ENQ_LAST,
	       .timeout_ms = 5000,
	       .name = "hdr_common");
