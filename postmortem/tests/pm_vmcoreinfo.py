#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Give a QEMU ELF dump of an x86-64 kernel before 4.17 a VMCOREINFO note.

    pm_vmcoreinfo.py [--hand] [--print] [--if-missing] VMLINUX DUMP.elf OUT.elf

QEMU's dump-guest-memory writes a VMCOREINFO note only when the guest
handed it one through -device vmcoreinfo, which needs the guest's fw_cfg
driver (CONFIG_FW_CFG_SYSFS, 4.17 and later). Without the note drgn stops
("unrecognized QEMU memory dump"); crash needs none (it reads vmlinux).

The note is made from the dump itself, checked against vmlinux:

  * phys_base: where the kernel image lies in physical memory. Tried at 0,
    then at every 2 MiB (CONFIG_PHYSICAL_ALIGN's default and minimum on
    x86-64): the dump's bytes of linux_banner there must be vmlinux's own,
    and the kernel's phys_base variable read there must say the same.
  * the text: with --hand, or when the kernel kept none (no CONFIG_KEXEC,
    or 4.13's vmcoreinfo_data pointer), the lines drgn reads, by hand:
    OSRELEASE (from the dump's linux_banner), PAGESIZE=4096,
    SYMBOL(swapper_pg_dir) (init_top_pgt, init_level4_pgt before 4.13),
    SYMBOL(_stext), KERNELOFFSET=0 (no KASLR before 3.14: a later kernel
    must boot with nokaslr), NUMBER(phys_base);
    otherwise the kernel's own vmcoreinfo_data[] (CONFIG_KEXEC; an array
    before 4.13, filled at boot by crash_save_vmcoreinfo_init()) with
    KERNELOFFSET and NUMBER(phys_base) added when it lacks them (3.10 has
    SYMBOL(phys_base) only; postmortem/nspid_map.py reads NUMBER(phys_base)
    for a dump of physical memory).

OUT.elf is a copy of DUMP.elf with the note added at the end of its notes
(the PT_NOTE segment; the memory after it moves by whole pages). --print
writes the note's text to stdout. --if-missing: a dump that has a
VMCOREINFO note already is left alone (exit 0, no OUT.elf; else exit 1).
"""

import shutil
import struct
import subprocess
import sys

START_KERNEL_MAP = 0xFFFFFFFF80000000
ALIGN = 2 << 20
PT_LOAD, PT_NOTE = 1, 4


def die(msg):
    sys.stderr.write("pm_vmcoreinfo: %s\n" % msg)
    sys.exit(1)


def symbols(vmlinux):
    """name -> (address, size) from nm (local symbols too: vmcoreinfo_data
    is static in kernel/kexec.c)."""
    out = subprocess.run(["nm", "-S", vmlinux], check=True, stdout=subprocess.PIPE,
                         universal_newlines=True).stdout
    syms = {}
    for line in out.splitlines():
        f = line.split()
        if len(f) == 4:
            syms.setdefault(f[3], (int(f[0], 16), int(f[1], 16)))
        elif len(f) == 3:
            syms.setdefault(f[2], (int(f[0], 16), 0))
    return syms


class Elf:
    def __init__(self, path):
        self.f = open(path, "rb")
        eh = self.f.read(64)
        if eh[:5] != b"\x7fELF\x02" or eh[5] != 1:
            die("%s: not a 64-bit little-endian ELF file" % path)
        self.eh = eh
        self.type, = struct.unpack_from("<H", eh, 16)
        self.phoff, self.shoff = struct.unpack_from("<QQ", eh, 32)
        self.phentsize, self.phnum, self.shentsize, self.shnum = struct.unpack_from(
            "<HHHH", eh, 54)
        self.phdrs = []
        for i in range(self.phnum):
            self.f.seek(self.phoff + i * self.phentsize)
            (p_type, p_flags, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz,
             p_align) = struct.unpack("<IIQQQQQQ", self.f.read(56))
            self.phdrs.append(dict(type=p_type, flags=p_flags, offset=p_offset,
                                   vaddr=p_vaddr, paddr=p_paddr, filesz=p_filesz,
                                   memsz=p_memsz, align=p_align))

    def read_at(self, offset, size):
        self.f.seek(offset)
        return self.f.read(size)

    def read_in(self, key, addr, size):
        """Bytes at address @addr of the PT_LOAD segments, by their @key
        ("paddr" or "vaddr"); None where no segment holds them."""
        for p in self.phdrs:
            if p["type"] == PT_LOAD and p[key] <= addr and \
                    addr + size <= p[key] + p["filesz"]:
                return self.read_at(p["offset"] + addr - p[key], size)
        return None

    def read_phys(self, paddr, size):
        """Bytes at a physical address of a dump."""
        return self.read_in("paddr", paddr, size)

    def read_virt(self, vaddr, size):
        """Bytes at a virtual address of vmlinux."""
        return self.read_in("vaddr", vaddr, size)

    def notes(self):
        out = []
        for p in self.phdrs:
            if p["type"] != PT_NOTE:
                continue
            data = self.read_at(p["offset"], p["filesz"])
            pos = 0
            while pos + 12 <= len(data):
                namesz, descsz, ntype = struct.unpack_from("<III", data, pos)
                name = data[pos + 12:pos + 12 + namesz].rstrip(b"\0")
                dpos = pos + 12 + ((namesz + 3) & ~3)
                out.append((name, ntype, data[dpos:dpos + descsz]))
                pos = dpos + ((descsz + 3) & ~3)
        return out


def cstring(b):
    return b.split(b"\0", 1)[0]


def find_phys_base(dump, vml, syms):
    banner_va, banner_size = syms["linux_banner"]
    want = vml.read_virt(banner_va, banner_size or 64)
    if not want:
        die("vmlinux: cannot read linux_banner")
    pb_va = syms["phys_base"][0]
    top = max(p["paddr"] + p["filesz"] for p in dump.phdrs if p["type"] == PT_LOAD)
    for guess in [0] + list(range(ALIGN, top, ALIGN)):
        got = dump.read_phys(banner_va - START_KERNEL_MAP + guess, len(want))
        if got != want:
            continue
        raw = dump.read_phys(pb_va - START_KERNEL_MAP + guess, 8)
        if raw and struct.unpack("<Q", raw)[0] == guess:
            return guess, cstring(got).decode("latin-1")
    die("the kernel image is nowhere in the dump (linux_banner and phys_base "
        "agree at no 2 MiB boundary)")


def kernel_text(dump, syms, phys_base):
    """The kernel's own vmcoreinfo_data[] text, "" when it kept none."""
    if "vmcoreinfo_data" not in syms or "vmcoreinfo_size" not in syms:
        return ""
    va, size = syms["vmcoreinfo_data"]
    if size <= 8:  # 4.13 and later: a pointer to a page (and fw_cfg is there)
        return ""
    raw = dump.read_phys(syms["vmcoreinfo_size"][0] - START_KERNEL_MAP + phys_base, 8)
    n = struct.unpack("<Q", raw)[0] if raw else 0
    if not n or n > size:
        return ""
    data = dump.read_phys(va - START_KERNEL_MAP + phys_base, n)
    return data.decode("latin-1") if data else ""


def hand_text(syms, release, phys_base):
    for name in ("swapper_pg_dir", "init_top_pgt", "init_level4_pgt"):
        if name in syms:
            pgd = syms[name][0]
            break
    else:
        die("vmlinux: no swapper_pg_dir / init_top_pgt / init_level4_pgt")
    return ("OSRELEASE=%s\nPAGESIZE=4096\nSYMBOL(swapper_pg_dir)=%x\n"
            "SYMBOL(_stext)=%x\nKERNELOFFSET=0\nNUMBER(phys_base)=%d\n"
            % (release, pgd, syms["_stext"][0], phys_base))


def complete(text, phys_base):
    keys = [l.split("=", 1)[0] for l in text.splitlines()]
    if "KERNELOFFSET" not in keys:
        text += "KERNELOFFSET=0\n"
    if "NUMBER(phys_base)" not in keys:
        text += "NUMBER(phys_base)=%d\n" % phys_base
    return text


def write(src, dump, out, text):
    """OUT: SRC with the note appended to its PT_NOTE segment.

    crash takes the program headers to follow the ELF header and the notes
    to be the first of them, one segment (netdump.c), so the table keeps its
    place and size: the note segment grows, and the data after it moves by
    whole pages (their offsets keep their alignment)."""
    desc = text.encode("latin-1")
    name = b"VMCOREINFO\0"
    note = struct.pack("<III", len(name), len(desc), 0)
    note += name + b"\0" * (-len(name) % 4) + desc + b"\0" * (-len(desc) % 4)
    notes = [i for i, p in enumerate(dump.phdrs) if p["type"] == PT_NOTE]
    if not notes:
        die("the dump has no PT_NOTE segment")
    seg = dump.phdrs[notes[0]]
    seg_end = seg["offset"] + seg["filesz"]
    delta = (len(note) + 4095) & ~4095
    eh = bytearray(dump.eh)
    if dump.shoff >= seg_end:
        struct.pack_into("<Q", eh, 40, dump.shoff + delta)
    table = bytearray()
    for p in dump.phdrs:
        q = dict(p)
        if p is seg:
            q["filesz"] = q["memsz"] = p["filesz"] + len(note)
        elif p["offset"] >= seg_end:
            q["offset"] = p["offset"] + delta
        elif p["filesz"] and p["offset"] + p["filesz"] > seg["offset"]:
            die("a segment overlaps the notes")
        table += struct.pack("<IIQQQQQQ", q["type"], q["flags"], q["offset"],
                             q["vaddr"], q["paddr"], q["filesz"], q["memsz"],
                             q["align"])
    if dump.phoff + len(table) > seg["offset"]:
        die("the program headers do not precede the notes")
    with open(src, "rb") as f, open(out, "wb") as o:
        o.write(eh)
        f.seek(len(eh))
        o.write(f.read(dump.phoff - len(eh)))
        o.write(table)
        f.seek(dump.phoff + len(table))
        o.write(f.read(seg_end - f.tell()))
        o.write(note + b"\0" * (delta - len(note)))
        shutil.copyfileobj(f, o, 1 << 20)


def main(argv):
    hand = "--hand" in argv
    show = "--print" in argv
    if_missing = "--if-missing" in argv
    args = [a for a in argv if a not in ("--hand", "--print", "--if-missing")]
    if len(args) != 3:
        sys.stderr.write(__doc__)
        return 2
    vmlinux, src, out = args
    syms = symbols(vmlinux)
    vml = Elf(vmlinux)
    dump = Elf(src)
    if dump.type != 4:
        die("%s: not an ELF core file" % src)
    if any(n == b"VMCOREINFO" for n, _, _ in dump.notes()):
        if if_missing:
            sys.stderr.write("pm_vmcoreinfo: %s: has a VMCOREINFO note already\n" % src)
            return 0
        die("%s already has a VMCOREINFO note" % src)
    phys_base, banner = find_phys_base(dump, vml, syms)
    release = banner.split()[2] if banner.startswith("Linux version ") else ""
    if not release:
        die("linux_banner: %r" % banner)
    text = "" if hand else kernel_text(dump, syms, phys_base)
    origin = "the kernel's vmcoreinfo_data" if text else "by hand"
    text = complete(text, phys_base) if text else hand_text(syms, release, phys_base)
    write(src, dump, out, text)
    sys.stderr.write("pm_vmcoreinfo: %s: phys_base %#x, release %s, note %s "
                     "(%d bytes, %d lines)\n" % (out, phys_base, release, origin,
                                                 len(text), len(text.splitlines())))
    if show:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
