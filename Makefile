# SPDX-License-Identifier: GPL-2.0
# nspid: the kernel module nspid_map.ko and the reader nspid.
#
#   make              build module and reader
#   make check        install what is missing, build, static checks, VM tests
#   make demo         the module working in a VM (no module loaded on the host)
#   make static       a static (musl) nspid for legacy hosts
#   make compat-check KDIRS="dir..."   compile the module against other kernels

VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)

# The kernel build dir: the running kernel's, else the newest one installed.
ifeq ($(origin KDIR),undefined)
KDIR := $(wildcard /lib/modules/$(shell uname -r)/build)
ifeq ($(KDIR),)
KDIR := $(lastword $(shell ls -d /lib/modules/*/build 2>/dev/null | sort -V))
KDIR_NOTE := (running kernel has no build dir; using the newest installed)
endif
endif

.PHONY: all module userspace static clean check demo compat-check

all: module userspace

module:
	@if [ -z "$(KDIR)" ] || [ ! -d "$(KDIR)" ]; then \
		echo "nspid: no kernel build dir; install linux-headers or pass KDIR=" >&2; \
		exit 1; fi
	@echo "nspid: building nspid_map.ko against $(KDIR) $(KDIR_NOTE)"
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

userspace:
	$(MAKE) -C userspace

# A musl-linked static nspid that runs on every kernel from 2.6.32 on.
static:
	$(MAKE) -C userspace static

# Compile the module against each prepared kernel tree in KDIRS.
compat-check:
	./scripts/compat-check.sh $(KDIRS)

clean:
	-[ -n "$(KDIR)" ] && $(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C userspace clean
	-$(MAKE) -C selftests clean

check:
	./scripts/check.sh

demo:
	./selftests/vm/demo.sh
