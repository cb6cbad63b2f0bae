# SPDX-License-Identifier: GPL-2.0
"""Tear two rows of a dump, for make check-postmortem (issue 14).

    drgn -c DUMP -s VMLINUX pm_corrupt.py OUT PID_A PID_D

Copies DUMP (an ELF dump of physical memory, as QEMU's dump-guest-memory
writes it) to OUT with two of its tasks made inconsistent, as a dump taken
mid-update can leave them: task PID_A's own struct pid pointer is pointed
at another task's struct pid (readable, but not the pid its number leads
to), and task PID_D's signal pointer (4.19 and later; before, its
group_leader pointer: what task_tgid() reads) at an address that is not
mapped.
Both tools must then print every other row as before, skip these two and
say so on stderr. PID_A and PID_D should be threads that are nobody's
parent (a parent's tgid is read for its children's ppid).
"""

import os
import shutil
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from nspid_map import map_kernel_image  # noqa: E402

from drgn.helpers.linux.pid import find_task  # noqa: E402


def file_offset(path, phys):
    with open(path, "rb") as f:
        ehdr = f.read(64)
        phoff, = struct.unpack_from("<Q", ehdr, 32)
        phentsize, phnum = struct.unpack_from("<HH", ehdr, 54)
        for i in range(phnum):
            f.seek(phoff + i * phentsize)
            ph = f.read(56)
            ptype, _, off, _, paddr, filesz = struct.unpack_from("<IIQQQQ", ph, 0)
            if ptype == 1 and paddr <= phys < paddr + filesz:
                return off + phys - paddr
    raise SystemExit("pm_corrupt: physical address %#x not in the dump" % phys)


# x86-64's PAGE_OFFSET where no page_offset_base says it (4.8,
# a95ae27c2ee1, KASLR of the direct mapping): 0xffff880000000000 up to 4.19,
# 0xffff888000000000 from 4.20 (d52888aa2753).
PAGE_OFFSETS = (0xFFFF880000000000, 0xFFFF888000000000)


def direct_map_base(prog, dump, vaddrs):
    """The direct mapping's start, checked: at each of vaddrs the dump's
    bytes must be what drgn reads there through the page tables."""
    try:
        bases = [prog["page_offset_base"].value_()]
    except KeyError:
        bases = list(PAGE_OFFSETS)
    with open(dump, "rb") as f:
        for base in bases:
            ok = True
            for v in vaddrs:
                try:
                    f.seek(file_offset(dump, v - base))
                except SystemExit:
                    ok = False
                    break
                if f.read(8) != prog.read(v, 8):
                    ok = False
                    break
            if ok:
                return base
    raise SystemExit("pm_corrupt: the direct mapping is at none of %s"
                     % ", ".join("%#x" % b for b in bases))


def main(prog, out, pid_a, pid_d):
    map_kernel_image(prog)
    dump = None
    for fd in os.listdir("/proc/self/fd"):
        try:
            p = os.readlink("/proc/self/fd/" + fd)
        except OSError:
            continue
        if p.endswith(".elf") and os.path.isfile(p):
            dump = p
    if dump is None:
        raise SystemExit("pm_corrupt: cannot find the dump drgn has open")
    a = find_task(prog, pid_a)
    d = find_task(prog, pid_d)
    other = find_task(prog, 1)
    if not a or not d:
        raise SystemExit("pm_corrupt: no task %d or %d" % (pid_a, pid_d))
    if hasattr(a, "thread_pid"):
        a_field, other_pid = a.thread_pid.address_, other.thread_pid.value_()
    else:
        a_field, other_pid = a.pids[0].pid.address_, other.pids[0].pid.value_()
    # What task_tgid() reads: signal->pids[PIDTYPE_TGID] from 4.19, the
    # group leader's pid before (where the signal pointer is never read).
    d_field = d.signal.address_ if hasattr(d, "thread_pid") else d.group_leader.address_
    writes = [
        (a_field, other_pid),
        (d_field, 0xDEAD4EAD00000000),
    ]
    base = direct_map_base(prog, dump, [v for v, _ in writes])
    shutil.copyfile(dump, out)
    with open(out, "r+b") as f:
        for vaddr, value in writes:
            f.seek(file_offset(dump, vaddr - base))
            f.write(struct.pack("<Q", value))
    print("pm_corrupt: %s: task %d's pid -> init's, task %d's %s -> unmapped"
          % (out, pid_a, pid_d, "signal" if hasattr(d, "thread_pid") else "group_leader"))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.stderr.write(__doc__)
        sys.exit(2)
    main(globals()["prog"], sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
