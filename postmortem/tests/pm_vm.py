#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The host side of make check-postmortem (issue 14).

    pm_vm.py run OUTDIR -- RUN.SH-ARGS...
        Boots the guest through selftests/vm/run.sh with a QEMU monitor
        socket, a second serial port (the guest's ttyS1, the control line
        of postmortem/tests/pm_scene.c) and -device vmcoreinfo. Follows the
        console: saves the map the guest wrote (OUTDIR/live-quiet.map), and
        when the guest says so stops it (monitor `stop`), dumps its memory
        (`dump-guest-memory`, ELF: OUTDIR/quiet.elf), resumes it and tells
        it to go on; then the same with the churn running (churn.elf), at a
        moment of the host's choosing, keeping every pass the guest printed
        (OUTDIR/pass-N.map) and which of them ended before the stop
        (OUTDIR/churn-stop.json). Exit status: run.sh's, or 3 when a step
        of its own failed.

    pm_vm.py churn OUTDIR TOOL_OUTPUT
        Judges a tool's rows from churn.elf: every row must be identical to
        a row of a pass that ended before the stop (1..K-1, where the guest
        saw the host's word after pass K), or of pass K (before the stop or
        under way at it) or K+1, K+2 (after it: a task born after the last
        pass before the stop); prints the counts; exit 1 on any other row,
        or when no row at all came before the stop.
"""

import json
import os
import queue
import random
import socket
import subprocess
import sys
import threading
import time

PFX = "NSPID-PM: "


def log(msg):
    print("pm_vm: " + msg, flush=True)


class Monitor:
    """QEMU's human monitor on a unix socket."""

    def __init__(self, path):
        deadline = time.time() + 60
        while True:
            try:
                self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.s.connect(path)
                break
            except OSError:
                self.s.close()
                if time.time() > deadline:
                    raise
                time.sleep(0.2)
        self.read_prompt()

    def read_prompt(self):
        buf = b""
        while not buf.endswith(b"(qemu) "):
            chunk = self.s.recv(65536)
            if not chunk:
                raise OSError("monitor closed")
            buf += chunk
        return buf

    def cmd(self, line):
        self.s.sendall(line.encode() + b"\n")
        out = self.read_prompt().decode("latin-1")
        # The echo of the command and the prompt framing it.
        return out


def reader(pipe, q):
    for raw in iter(pipe.readline, b""):
        line = raw.decode("latin-1").replace("\r", "").rstrip("\n")
        sys.stdout.write(line + "\n")
        q.put(line)
    q.put(None)


def run(outdir, args):
    os.makedirs(outdir, exist_ok=True)
    sockdir = "/tmp/nspid-pm.%d" % os.getpid()
    os.makedirs(sockdir, exist_ok=True)
    mon_path = os.path.join(sockdir, "mon.sock")
    ctl_path = os.path.join(sockdir, "ctl.sock")
    # A -monitor or -serial of our own turns off -nographic's defaults:
    # serial0 (the console) is named again, serial1 is the control line.
    qemu = (
        "-device vmcoreinfo -monitor unix:%s,server=on,wait=off "
        "-chardev socket,id=pmctl,path=%s,server=on,wait=off "
        "-serial stdio -serial chardev:pmctl" % (mon_path, ctl_path)
    )
    cmd = list(args) + ["--qemu", qemu]
    log("running " + " ".join(cmd))
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    q = queue.Queue()
    t = threading.Thread(target=reader, args=(proc.stdout, q), daemon=True)
    t.start()

    state = {"ok": True}
    mon = None
    ctl = None
    collecting = None
    lines = []
    passes_done = []
    stop_at = None
    stop_info = None
    go_after = None

    def dump(name):
        nonlocal mon, ctl
        if mon is None:
            mon = Monitor(mon_path)
        t0 = time.time()
        mon.cmd("stop")
        out = mon.cmd("dump-guest-memory %s" % os.path.join(outdir, name))
        secs = time.time() - t0
        mon.cmd("cont")
        if "rror" in out:
            log("dump-guest-memory: " + out.strip())
            state["ok"] = False
        size = os.path.getsize(os.path.join(outdir, name)) if os.path.exists(
            os.path.join(outdir, name)) else 0
        log("%s: %d MiB, guest stopped %.1f s" % (name, size >> 20, secs))
        if ctl is None:
            ctl = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            ctl.connect(ctl_path)
        ctl.sendall(b"g")
        return secs

    while True:
        timeout = None if stop_at is None else max(0, stop_at - time.time())
        try:
            line = q.get(timeout=timeout)
        except queue.Empty:
            line = ""
        if stop_at is not None and time.time() >= stop_at:
            stop_at = None
            inflight = collecting
            stop_info = {
                "passes_before": list(passes_done),
                "in_flight": inflight,
            }
            try:
                stop_info["stopped_seconds"] = dump("churn.elf")
            except OSError as e:
                log("churn dump failed: %s" % e)
                state["ok"] = False
        if line is None:
            break
        idx = line.find(PFX)
        if idx < 0:
            continue
        msg = line[idx + len(PFX):]
        if msg == "MAP BEGIN" or (msg.startswith("PASS ") and msg.endswith(" BEGIN")):
            collecting = msg.split()[1] if msg.startswith("PASS") else "quiet"
            lines = []
        elif msg.startswith("L ") and collecting is not None:
            try:
                lines.append(bytes.fromhex(msg[2:]))
            except ValueError:
                log("garbled line in %s: %r" % (collecting, msg[:60]))
                lines.append(None)
        elif msg == "MAP END" or (msg.startswith("PASS ") and msg.endswith(" END")):
            name = "live-quiet.map" if collecting == "quiet" else "pass-%s.map" % collecting
            if None in lines:
                log("%s: garbled on the console, not kept" % name)
                if collecting == "quiet":
                    state["ok"] = False
            else:
                with open(os.path.join(outdir, name), "wb") as f:
                    f.write(b"".join(lines))
                if collecting != "quiet":
                    passes_done.append(collecting)
            collecting = None
        elif msg == "DUMP quiet":
            try:
                dump("quiet.elf")
            except OSError as e:
                log("quiet dump failed: %s" % e)
                state["ok"] = False
        elif msg.startswith("GO after pass "):
            go_after = int(msg.split()[-1])
        elif msg == "DUMP churn":
            # At a moment the guest cannot foresee.
            stop_at = time.time() + random.uniform(0.3, 1.5)
    rc = proc.wait()
    if stop_info is not None and go_after is not None:
        stop_info["go_after"] = go_after
        with open(os.path.join(outdir, "churn-stop.json"), "w") as f:
            json.dump(stop_info, f)
    else:
        log("the churn dump was never taken")
        state["ok"] = False
    for p in (mon_path, ctl_path):
        if os.path.exists(p):
            os.unlink(p)
    os.rmdir(sockdir)
    if rc == 0 and not state["ok"]:
        rc = 3
    return rc


def rows_of(path):
    with open(path, "rb") as f:
        data = f.read()
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return [l for l in lines if not l.startswith(b"#")]


def churn(outdir, tool_output):
    with open(os.path.join(outdir, "churn-stop.json")) as f:
        info = json.load(f)
    k = info["go_after"]
    before = set()
    for n in range(1, k):
        path = os.path.join(outdir, "pass-%d.map" % n)
        if os.path.exists(path):  # a pass garbled on the console is not kept
            before.update(rows_of(path))
    after = set()
    for n in (k, k + 1, k + 2):
        path = os.path.join(outdir, "pass-%d.map" % n)
        if os.path.exists(path):
            after.update(rows_of(path))
    rows = rows_of(tool_output)
    n_before = n_after = 0
    bad = []
    for r in rows:
        if r in before:
            n_before += 1
        elif r in after:
            n_after += 1
        else:
            bad.append(r)
    print("%d rows: %d identical to a live row of passes 1..%d (before the stop), "
          "%d only to a row of pass %d-%d (around it), %d other"
          % (len(rows), n_before, k - 1, n_after, k, k + 2, len(bad)))
    for r in bad[:10]:
        print("  not a live row: %r" % r)
    return 1 if bad or not n_before else 0


def main(argv):
    if len(argv) >= 3 and argv[0] == "run" and argv[2] == "--":
        return run(argv[1], argv[3:])
    if len(argv) == 3 and argv[0] == "churn":
        return churn(argv[1], argv[2])
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
