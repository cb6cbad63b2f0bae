# SPDX-License-Identifier: GPL-2.0
# nspid: the kernel module nspid_map.ko and the reader nspid.
#
#   make              build module and reader
#   make check        install what is missing, build, static checks, VM tests
#   make demo         the module working in a VM (no module loaded on the host)
#   make static       a static (musl) nspid for legacy hosts
#   make compat-check KDIRS="dir..."   compile the module against other kernels
#   make bench        nspid against every other way (bench/results.md)
#   make profile      where a pass over the map goes, stage by stage (bench/profile.md)
#   make callgrind    the reader's instructions per command on a 30,000-row map (no VM)
#   make check-debug  the suite and a stress run on a KASAN/lockdep kernel
#   make postmortem   the crash extension postmortem/nspid.so (SPEC §4)
#   make check-postmortem  crash and drgn read the map out of VM dumps

VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)

# The kernel build dir: the running kernel's, else the newest one installed.
ifeq ($(origin KDIR),undefined)
KDIR := $(wildcard /lib/modules/$(shell uname -r)/build)
ifeq ($(KDIR),)
KDIR := $(lastword $(shell ls -d /lib/modules/*/build 2>/dev/null | sort -V))
KDIR_NOTE := (running kernel has no build dir; using the newest installed)
endif
endif

.PHONY: all module userspace static clean check check-debug demo bench profile callgrind compat-check \
	postmortem check-postmortem

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

# /proc/nspid_map from a crash dump: the crash extension (postmortem/).
postmortem:
	$(MAKE) -C postmortem

# Compile the module against each prepared kernel tree in KDIRS.
compat-check:
	./scripts/compat-check.sh $(KDIRS)

clean:
	-[ -n "$(KDIR)" ] && $(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C userspace clean
	-$(MAKE) -C selftests clean
	-$(MAKE) -C postmortem clean

check:
	./scripts/check.sh

check-debug:
	./scripts/check-debug.sh

check-postmortem:
	./scripts/check-postmortem.sh

demo:
	./selftests/vm/demo.sh

bench:
	./bench/run.sh

profile:
	./bench/profile.sh

callgrind:
	./bench/callgrind.sh

# --- installing and packaging (SPEC §3) --------------------------------------
#
#   make install [PREFIX=/usr/local] [DESTDIR=]   the reader and its man pages;
#                                  the post-mortem tools: postmortem/nspid.so
#                                  to /usr/lib/crash/extensions (built where
#                                  crash's defs.h is installed), nspid_map.py
#                                  to PREFIX/share/nspid, nspid-postmortem(7)
#                                  (POSTMORTEM=0: not them; the packages
#                                  put them in nspid-postmortem)
#   make uninstall                                 the same, removed
#   make install-autoload / uninstall-autoload     load nspid_map at every boot
#                                                  (only when asked for)
#   make dkms-install [KVER=...]   module source to /usr/src/nspid-VERSION,
#                                  then dkms add, build and install for KVER
#                                  (default: the running kernel) and every
#                                  later kernel (AUTOINSTALL)
#   make dkms-remove               dkms remove --all and the /usr/src copy
#   make dist                      out/nspid-VERSION.tar.gz of HEAD (git archive),
#                                  the Source0 of nspid.spec
#   make install-dkms-src DESTDIR=...   the module source tree alone (used by
#                                  dkms-install, debian/rules and nspid.spec)

PREFIX ?= /usr/local
POSTMORTEM ?= 1
DKMS_NAME := nspid
DKMS_SRC := /usr/src/$(DKMS_NAME)-$(VERSION)
UAPI_H := include/uapi/nspid/nspid_map.h
DKMS_FILES_C := $(filter-out module/compat-probes.h,$(wildcard module/*.c module/*.h))
DKMS_KVER := $(if $(KVER),-k $(KVER))
DKMS := dkms

.PHONY: install uninstall install-autoload uninstall-autoload install-dkms-src \
	dkms-install dkms-remove dist

install:
	$(MAKE) -C userspace install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)
	$(if $(filter 1,$(POSTMORTEM)),$(MAKE) -C postmortem install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR))

uninstall:
	$(MAKE) -C userspace uninstall PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)
	$(if $(filter 1,$(POSTMORTEM)),$(MAKE) -C postmortem uninstall PREFIX=$(PREFIX) DESTDIR=$(DESTDIR))

# systemd (and kmod's boot job) read /etc/modules-load.d; RHEL/CentOS 6
# runs /etc/sysconfig/modules/*.modules instead.
install-autoload:
	install -D -m 0644 autoload/nspid.conf $(DESTDIR)/etc/modules-load.d/nspid.conf
	if [ -d $(DESTDIR)/etc/sysconfig/modules ]; then \
		install -m 0755 autoload/nspid.modules \
			$(DESTDIR)/etc/sysconfig/modules/nspid.modules; fi

uninstall-autoload:
	rm -f $(DESTDIR)/etc/modules-load.d/nspid.conf \
		$(DESTDIR)/etc/sysconfig/modules/nspid.modules

install-dkms-src:
	@[ -n "$(VERSION)" ] || { echo "nspid: no PACKAGE_VERSION in dkms.conf" >&2; exit 1; }
	rm -rf $(DESTDIR)$(DKMS_SRC)
	install -d $(DESTDIR)$(DKMS_SRC)/module
	install -m 0644 Kbuild dkms.conf $(DESTDIR)$(DKMS_SRC)/
	install -m 0644 $(DKMS_FILES_C) $(DESTDIR)$(DKMS_SRC)/module/
	install -m 0755 module/probe.sh $(DESTDIR)$(DKMS_SRC)/module/
	install -D -m 0644 $(UAPI_H) $(DESTDIR)$(DKMS_SRC)/$(UAPI_H)

# A tree that a package installed belongs to the package manager: refuse it.
define nspid_not_packaged
	@if { command -v dpkg >/dev/null && dpkg -S $(DKMS_SRC)/dkms.conf; } >/dev/null 2>&1 || \
	    { command -v rpm >/dev/null && rpm -qf $(DKMS_SRC)/dkms.conf; } >/dev/null 2>&1; then \
		echo "nspid: $(DKMS_SRC) belongs to a package; remove it with the package manager" >&2; \
		exit 1; fi
endef

dkms-install:
	$(nspid_not_packaged)
	if [ -n "$$($(DKMS) status -m $(DKMS_NAME) -v $(VERSION))" ]; then \
		$(DKMS) remove -m $(DKMS_NAME) -v $(VERSION) --all; fi
	$(MAKE) --no-print-directory install-dkms-src DESTDIR=
	$(DKMS) add -m $(DKMS_NAME) -v $(VERSION)
	$(DKMS) build -m $(DKMS_NAME) -v $(VERSION) $(DKMS_KVER)
	$(DKMS) install -m $(DKMS_NAME) -v $(VERSION) $(DKMS_KVER)
	@echo "nspid: installed; load it now with: modprobe nspid_map"

dkms-remove:
	$(nspid_not_packaged)
	if [ -n "$$($(DKMS) status -m $(DKMS_NAME) -v $(VERSION))" ]; then \
		$(DKMS) remove -m $(DKMS_NAME) -v $(VERSION) --all; fi
	rm -rf $(DKMS_SRC)

dist:
	mkdir -p out
	git archive --format=tar --prefix=nspid-$(VERSION)/ HEAD | \
		gzip -9n >out/nspid-$(VERSION).tar.gz
	@echo "nspid: out/nspid-$(VERSION).tar.gz"
