# SPDX-License-Identifier: GPL-2.0
"""/proc/nspid_map from a crash dump or a live kernel's memory, with drgn.

    drgn -c VMCORE -s VMLINUX nspid_map.py [-L] [PID...]   a dump
    drgn nspid_map.py [-L] [PID...]                        the running kernel
                                                           (root, debuginfo)

Prints the rows of /proc/nspid_map (nspid_map(5), SPEC §1.1 and §4) as root
in the initial pid namespace would read them through a procfs without
hidepid=, byte for byte the module's format (module/show.c), from the
kernel's own structures: the module need not be loaded. Header first; the
output can be read back with `nspid --file`.

  -L    one row per thread (every row, as the file has them); without it,
        one row per thread group (its leader's row)
  PID   only the row of each PID (in the initial namespace); with -L, the
        rows of every thread of PID's thread group

The same walk as the module: the initial namespace's pids in number order
(drgn's for_each_pid(): the idr from 4.15, pid_hash before, where the
pidmap bit must be set too, as next_pidmap() requires), the task of each
(pid_task()), its ids from struct pid's numbers[] by pid_nr_ns()'s rule.
Layouts come from the debuginfo, so one script reads every kernel era.
A row whose structures do not agree (a dump taken while a task was being
created or reaped) is skipped, and the count goes to stderr.
"""

import os
import struct
import sys

from drgn import Architecture, FaultError, sizeof
from drgn.helpers.linux.pid import for_each_pid, pid_task

# MAX_PID_NS_LEVEL (include/linux/pid_namespace.h, 3.7 and later).
MAX_LEVEL = 32

HEADER = b"# pid\ttgid\tppid\tnspid\tnstgid\tpidns\tlevel\tchain\tnschain\tcomm\n"


class Inconsistent(Exception):
    """The structures of one row do not agree."""


def ns_inum(ns):
    """The namespace's inode number, 0 before 3.8 (SPEC §1.1)."""
    if not ns:
        raise Inconsistent()
    if hasattr(ns, "ns"):
        # 3.19, 435d5f4bb2cc: struct ns_common ns
        return ns.ns.inum.value_()
    if hasattr(ns, "proc_inum"):
        # 3.8, 98f842e675f9 (and RHEL 6's backport)
        return ns.proc_inum.value_()
    return 0


def numbers(pid):
    """[(nr, ns)] of numbers[0..level]."""
    level = pid.level.value_()
    if level > MAX_LEVEL:
        raise Inconsistent()
    return [(pid.numbers[i].nr.value_(), pid.numbers[i].ns) for i in range(level + 1)]


def nr_in(pid, ns):
    """pid_nr_ns(pid, ns): 0 when the pid has no number in ns."""
    if not pid:
        return 0
    lvl = ns.level.value_()
    if lvl <= pid.level.value_() and pid.numbers[lvl].ns == ns:
        return pid.numbers[lvl].nr.value_()
    return 0


def task_pid(task):
    if hasattr(task, "thread_pid"):
        return task.thread_pid  # 4.19 and later
    return task.pids[0].pid  # up to 4.18: pids[PIDTYPE_PID].pid


def task_tgid(task):
    if hasattr(task, "thread_pid"):
        # 4.19, 2c4704756cab ("pids: Move the pgrp and session pid pointers
        # from task_struct to signal_struct"): signal->pids[PIDTYPE_TGID]
        sig = task.signal
        if not sig:
            raise Inconsistent()
        return sig.pids[task.prog_["PIDTYPE_TGID"].value_()]
    # up to 4.18: the group leader's pids[PIDTYPE_PID].pid
    leader = task.group_leader
    if not leader:
        raise Inconsistent()
    return leader.pids[0].pid


def escape_comm(raw):
    out = bytearray()
    for c in raw:
        if c < 0x20 or c == 0x7F or c == 0x5C:
            out += b"\\%03o" % c
        else:
            out.append(c)
    return bytes(out)


def row(prog, init_ns, nr, pid):
    """(tgid, bytes) of the row of pid's task, None when it has no task."""
    task = pid_task(pid, 0)  # PIDTYPE_PID is 0 in every era
    if not task:
        return None
    if task_pid(task) != pid:
        raise Inconsistent()
    chain = numbers(pid)
    if chain[0][1] != init_ns or chain[0][0] != nr:
        raise Inconsistent()
    level = len(chain) - 1
    own = chain[level][1]
    if not own or own.level.value_() != level:
        raise Inconsistent()
    tgpid = task_tgid(task)
    tgid = nr_in(tgpid, init_ns)
    nstgid = nr_in(tgpid, own)
    # The module's SEQ_SKIP: never a row with a 0 id.
    if not tgid or not nstgid or any(n <= 0 for n, _ in chain):
        raise Inconsistent()
    # As PPid: in /proc/PID/status: 0 when the parent is not in the ns.
    parent = task.real_parent
    if not parent:
        raise Inconsistent()
    ppid = nr_in(task_tgid(parent), init_ns)
    size = sizeof(task.comm)
    comm = prog.read(task.comm.address_, size)[: size - 1].split(b"\0", 1)[0]
    fields = [nr, tgid, ppid, chain[level][0], nstgid, ns_inum(own), level]
    text = b"\t".join(b"%d" % v for v in fields)
    text += b"\t" + b":".join(b"%d" % n for n, _ in chain)
    text += b"\t" + b":".join(b"%d" % ns_inum(ns) for _, ns in chain)
    text += b"\t" + escape_comm(comm) + b"\n"
    return tgid, text


def pidmap_has(prog, ns, nr):
    """Up to 4.14, whether nr's bit is set in the namespace's pidmap."""
    bits = prog["PAGE_SIZE"].value_() * 8
    idx = nr // bits
    if idx >= len(ns.pidmap):
        return False
    page = ns.pidmap[idx].page.value_()
    if not page:
        return False
    off = nr % bits
    byte = prog.read(page + off // 8, 1)[0]
    return bool(byte & (1 << (off % 8)))


def candidates(prog, init_ns, counts):
    """(nr, struct pid *) of the initial namespace, ascending."""
    out = []
    try:
        for pid in for_each_pid(prog):
            try:
                nr = pid.numbers[0].nr.value_()
            except FaultError:
                counts["skipped"] += 1
                continue
            out.append((nr, pid))
    except FaultError:
        # A torn idr node or hash chain: what was gathered still counts.
        counts["skipped"] += 1
    if not hasattr(init_ns, "idr"):
        # pid_hash is unordered; and a number counts only with its bit set
        out.sort(key=lambda c: c[0])
        kept = []
        for nr, pid in out:
            try:
                if pidmap_has(prog, init_ns, nr):
                    kept.append((nr, pid))
            except FaultError:
                counts["skipped"] += 1
        out = kept
    return out


def dump_vmcoreinfo():
    """The VMCOREINFO note of the ELF core drgn has open ("" if none).

    drgn 0.0.22 does not hand the note to scripts; the core is the ELF
    ET_CORE file among this process's open files.
    """
    fds = "/proc/self/fd"
    for fd in sorted(os.listdir(fds), key=int):
        try:
            path = os.readlink(os.path.join(fds, fd))
            if not path.startswith("/") or not os.path.isfile(path):
                continue
            with open(path, "rb") as f:
                ehdr = f.read(64)
                if ehdr[:5] != b"\x7fELF\x02" or struct.unpack_from("<H", ehdr, 16)[0] != 4:
                    continue
                phoff, = struct.unpack_from("<Q", ehdr, 32)
                phentsize, phnum = struct.unpack_from("<HH", ehdr, 54)
                for i in range(phnum):
                    f.seek(phoff + i * phentsize)
                    ph = f.read(56)
                    if struct.unpack_from("<I", ph, 0)[0] != 4:  # PT_NOTE
                        continue
                    off, = struct.unpack_from("<Q", ph, 8)
                    size, = struct.unpack_from("<Q", ph, 32)
                    f.seek(off)
                    notes = f.read(size)
                    pos = 0
                    while pos + 12 <= len(notes):
                        namesz, descsz, _ = struct.unpack_from("<III", notes, pos)
                        name = notes[pos + 12:pos + 12 + namesz].rstrip(b"\0")
                        dpos = pos + 12 + ((namesz + 3) & ~3)
                        if name == b"VMCOREINFO":
                            return notes[dpos:dpos + descsz].decode("latin-1")
                        pos = dpos + ((descsz + 3) & ~3)
        except (OSError, ValueError, struct.error):
            continue
    return ""


# x86-64's __START_KERNEL_map, and the size of the kernel image mapping
# (KERNEL_IMAGE_SIZE: 512 MiB, 1 GiB with KASLR).
START_KERNEL_MAP = 0xFFFFFFFF80000000
KERNEL_IMAGE_SIZE = 1 << 30


def map_kernel_image(prog):
    """Make the kernel image readable in a dump that has only physical memory.

    QEMU's dump-guest-memory without -p (and virsh dump --memory-only)
    writes physical memory only. drgn then translates virtual addresses
    through the page tables, but swapper_pg_dir itself lies in the kernel
    image mapping, which no segment covers: "recursive address translation".
    On x86-64 that mapping is linear (__pa_symbol(): x - __START_KERNEL_map
    + phys_base, phys_base from VMCOREINFO, KASLR included), so it is added
    as a segment reading physical memory.
    """
    try:
        prog["init_pid_ns"].level.value_()
        return
    except FaultError:
        if prog.platform is None or prog.platform.arch != Architecture.X86_64:
            raise
    phys_base = None
    for line in dump_vmcoreinfo().splitlines():
        if line.startswith("NUMBER(phys_base)="):
            phys_base = int(line.split("=", 1)[1], 0)
    if phys_base is None:
        raise FaultError("kernel image not mapped and no phys_base in VMCOREINFO",
                         START_KERNEL_MAP)

    def read(address, count, offset, physical):
        return prog.read((phys_base + offset) & (2**64 - 1), count, True)

    prog.add_memory_segment(START_KERNEL_MAP, KERNEL_IMAGE_SIZE, read)
    prog["init_pid_ns"].level.value_()


def main(prog, argv):
    threads = False
    want = []
    for arg in argv:
        if arg in ("-L", "--threads"):
            threads = True
        elif arg in ("-h", "--help"):
            sys.stdout.write(__doc__)
            return 0
        else:
            try:
                want.append(int(arg, 10))
            except ValueError:
                sys.stderr.write("nspid_map.py: not a pid: %s\n" % arg)
                return 2
            if want[-1] <= 0:
                sys.stderr.write("nspid_map.py: not a pid: %s\n" % arg)
                return 2

    map_kernel_image(prog)
    init_ns = prog["init_pid_ns"].address_of_()
    counts = {"skipped": 0}
    rows = []
    last = 0
    for nr, pid in candidates(prog, init_ns, counts):
        if nr <= last:
            counts["skipped"] += 1  # a torn tree could repeat a number
            continue
        last = nr
        try:
            r = row(prog, init_ns, nr, pid)
        except (Inconsistent, FaultError, ValueError, OverflowError):
            counts["skipped"] += 1
            continue
        if r is not None:
            rows.append((nr, r[0], r[1]))

    groups = {}
    rc = 0
    for w in want:
        g = [tgid for nr, tgid, _ in rows if nr == w]
        if g:
            groups[w] = g[0]
        else:
            sys.stderr.write("nspid_map.py: pid %d: no such task\n" % w)
            rc = 1
    out = sys.stdout.buffer
    out.write(HEADER)
    for nr, tgid, text in rows:
        if not want:
            show = threads or nr == tgid
        elif threads:
            show = tgid in groups.values()
        else:
            show = nr in groups
        if show:
            out.write(text)
    out.flush()
    if counts["skipped"]:
        n = counts["skipped"]
        sys.stderr.write(
            "nspid_map.py: skipped %d inconsistent row%s "
            "(structures changing when the memory was read)\n" % (n, "" if n == 1 else "s")
        )
    return rc


if __name__ == "__main__":
    # drgn runs the script with `prog` in its globals and the script's
    # arguments in sys.argv[1:].
    sys.exit(main(globals()["prog"], sys.argv[1:]))
