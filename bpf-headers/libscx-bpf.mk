# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
#
# libscx-bpf.mk: GNU make rules to build the BPF half of a sched_ext scheduler with libscx.
# Installed as $(datadir)/libscx/libscx-bpf.mk; include it from your Makefile:
#
#	include $(shell pkg-config --variable=pkgdatadir libscx)/libscx-bpf.mk
#	scx_foo: scx_foo.c scx_foo.bpf.skel.h
#		$(CC) $(CFLAGS) $(shell pkg-config --cflags libscx) -o $@ scx_foo.c \
#			$(shell pkg-config --libs libscx)
#
# Rules:
#	X.bpf.o        <- X.bpf.c        clang -target bpf with pkg-config's bpf_cflags, then
#	                                 the host's system include folders as -idirafter
#	X.bpf.skel.h   <- X.bpf.o ...    bpftool gen object (links all prerequisite .bpf.o files
#	                                 into X.bpf.lnk.o), then bpftool gen skeleton name X
# A scheduler made of several BPF files lists the others as extra prerequisites:
#	scx_foo.bpf.skel.h: scx_foo_helpers.bpf.o
#
# Variables (set before or after including; the configure macro LIBSCX_BPF_TOOLS from
# libscx-bpf.m4 finds good values):
#	BPF_CLANG        clang able to build sched_ext BPF (>= 19 preferred); default: first of
#	                 clang-22 ... clang-18, clang on PATH
#	BPFTOOL          bpftool (default: bpftool, also looked for in /usr/sbin)
#	BPF_CFLAGS       default: pkg-config --variable=bpf_cflags libscx
#	BPF_EXTRA_CFLAGS your own flags, e.g. -I. to put your own vmlinux.h first
#	BPF_SYS_INCLUDES the host's system include folders as -idirafter options, searched after
#	                 every other folder; default: read from "$(BPF_CLANG) -v -E" for the host
#	                 target.  clang -target bpf leaves out the multiarch folder
#	                 (/usr/include/x86_64-linux-gnu) that holds <asm/types.h> and friends, so
#	                 a BPF program including a uapi header needs it; -idirafter finds such
#	                 files without letting a host header come before the scheduler's own
#	                 folders, libscx's headers or vmlinux.h.  Set it empty to leave them out.
#	SCX_SKEL_HAS_LINK  yes when libbpf's struct bpf_map_skeleton has a "link" member (libbpf
#	                 >= 1.5); default: probed with $(CC).  When "no", the "map->link = ..."
#	                 lines newer bpftools write are removed so the skeleton compiles.

SCX_PKG_CONFIG ?= pkg-config

ifndef BPF_CLANG
BPF_CLANG := $(firstword $(foreach c,clang-22 clang-21 clang-20 clang-19 clang-18 clang,\
	$(shell command -v $(c) 2>/dev/null)))
endif
ifndef BPFTOOL
BPFTOOL := $(firstword $(shell command -v bpftool 2>/dev/null) \
	$(wildcard /usr/sbin/bpftool /sbin/bpftool /usr/local/sbin/bpftool))
endif
ifndef BPF_CFLAGS
BPF_CFLAGS := $(shell $(SCX_PKG_CONFIG) --variable=bpf_cflags libscx)
endif
# The folders clang searches for <...> when it targets the host, each as -idirafter DIR.
scx_bpf_sys_includes = $(if $(1),$(shell $(1) -v -E - </dev/null 2>&1 | \
	sed -n '/<\.\.\.> search starts here:/,/End of search list\./{ s| \(/.*\)|-idirafter \1|p; }'))
ifeq ($(origin BPF_SYS_INCLUDES),undefined)
# Worked out once, when first used (BPF_CLANG may be set after this file is included).
BPF_SYS_INCLUDES = $(eval BPF_SYS_INCLUDES := $(call scx_bpf_sys_includes,$(BPF_CLANG)))$(BPF_SYS_INCLUDES)
endif
scx_bpf_hash := \#
ifndef SCX_SKEL_HAS_LINK
SCX_SKEL_HAS_LINK := $(shell printf '%s\n' '$(scx_bpf_hash)include <bpf/libbpf.h>' \
	'int scx_probe = sizeof(((struct bpf_map_skeleton *)0)->link);' | \
	$(CC) $(shell $(SCX_PKG_CONFIG) --cflags libbpf 2>/dev/null) -x c -fsyntax-only - \
	>/dev/null 2>&1 && echo yes || echo no)
endif

SCX_BPF_V_CC = $(SCX_BPF_V_CC_$(V))
SCX_BPF_V_CC_ = @echo "  BPF CC  " $@;
SCX_BPF_V_CC_0 = $(SCX_BPF_V_CC_)
SCX_BPF_V_SKEL = $(SCX_BPF_V_SKEL_$(V))
SCX_BPF_V_SKEL_ = @echo "  BPFSKEL " $@;
SCX_BPF_V_SKEL_0 = $(SCX_BPF_V_SKEL_)

%.bpf.o: %.bpf.c
	$(SCX_BPF_V_CC)$(if $(BPF_CLANG),,echo "libscx-bpf.mk: no clang found (set BPF_CLANG)" >&2; exit 1;) \
	$(BPF_CLANG) $(BPF_EXTRA_CFLAGS) $(BPF_CFLAGS) $(BPF_SYS_INCLUDES) -MD -MP -MF $@.d -c $< -o $@

%.bpf.skel.h: %.bpf.o
	$(SCX_BPF_V_SKEL)$(if $(BPFTOOL),,echo "libscx-bpf.mk: no bpftool found (set BPFTOOL)" >&2; exit 1;) \
	$(BPFTOOL) gen object $*.bpf.lnk.o $(filter %.bpf.o,$^) && \
	$(BPFTOOL) gen skeleton $*.bpf.lnk.o name $(notdir $*) > $@.tmp && \
	$(if $(filter yes,$(SCX_SKEL_HAS_LINK)),:,sed -i '/^[[:space:]]*map->link = /d' $@.tmp) && \
	mv $@.tmp $@

.SECONDARY: $(patsubst %.c,%.o,$(wildcard *.bpf.c))

-include $(wildcard *.bpf.o.d)
