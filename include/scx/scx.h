/* SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause */
/*
 * libscx: the C runtime for Linux sched_ext schedulers.  This umbrella header includes every
 * module's header; a program may include single module headers instead.
 */
#ifndef SCX_SCX_H
#define SCX_SCX_H

#include <scx/base.h>
#include <scx/version.h>
#include <scx/log.h>
#include <scx/cpumask.h>
#include <scx/em.h>
#include <scx/netdev.h>
#include <scx/perf.h>
#include <scx/pm.h>
#include <scx/journal.h>
#include <scx/power_profile.h>
#include <scx/caps.h>
#include <scx/memlock.h>
#include <scx/kstate.h>
#include <scx/btf.h>
#include <scx/enums.h>
#include <scx/ops.h>
#include <scx/uei.h>
#include <scx/topo.h>
#include <scx/mangoapp.h>
#include <scx/lb.h>
#include <scx/ravg.h>
#include <scx/stats.h>
#include <scx/trace.h>

#endif /* SCX_SCX_H */
