"""A stand-in for a T2ITrainer script: tqdm-style progress, loss, stderr, odd bytes, end marker.

Options make it crash, start a child and grandchild, ignore SIGTERM, flood output or run until
stopped. Pids of the whole tree are appended to --pidfile as "role pid" lines.
"""
from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time

END_MARKER = "=========== End Training ==========="


def out(data: str | bytes, stream=None) -> None:
    stream = stream or sys.stdout
    stream.buffer.write(data.encode("utf-8") if isinstance(data, str) else data)
    stream.buffer.flush()


def note_pid(args, role: str) -> None:
    if args.pidfile:
        with open(args.pidfile, "a", encoding="utf-8") as fh:
            fh.write(f"{role} {os.getpid()}\n")


def sleep_forever() -> None:
    while True:
        time.sleep(0.05)


def spawn(args, role: str) -> subprocess.Popen:
    argv = [sys.executable, os.path.abspath(__file__), "--role", role, "--pidfile", args.pidfile or ""]
    if args.ignore_term:
        argv.append("--ignore-term")
    if args.setsid_grandchild:
        argv.append("--setsid-grandchild")
    return subprocess.Popen(argv)


def helper(args) -> int:
    if args.role == "grandchild" and args.setsid_grandchild:
        os.setsid()
    if args.role == "child":
        spawn(args, "grandchild")
    note_pid(args, args.role)
    sleep_forever()
    return 0


def bar(step: int, total: int, loss: float) -> str:
    pct = int(100 * step / total)
    filled = pct // 10
    return (f"Steps: {pct:3d}%|{'█' * filled}{' ' * (10 - filled)}| {step}/{total} "
            f"[00:{step:02d}<00:{total - step:02d},  1.91it/s, step_loss={loss:.4f}, lr=0.0001]")


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--role", default="trainer")
    p.add_argument("--config_path")
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--delay", type=float, default=0.0)
    p.add_argument("--crash", action="store_true")
    p.add_argument("--exit", type=int, default=0)
    p.add_argument("--children", action="store_true", help="start a child that starts a grandchild")
    p.add_argument("--setsid-grandchild", action="store_true")
    p.add_argument("--ignore-term", action="store_true")
    p.add_argument("--forever", action="store_true", help="after the steps, run until stopped")
    p.add_argument("--flood", type=int, default=0, help="print this many lines as fast as possible")
    p.add_argument("--flood-progress", action="store_true", help="flood with tqdm lines")
    p.add_argument("--pidfile")
    p.add_argument("--no-marker", action="store_true")
    p.add_argument("--stamp", action="store_true", help="flood lines carry a time.monotonic() stamp")
    p.add_argument("--paced", type=int, default=0,
                   help="print this many monotonic-stamped lines, one every --pace seconds")
    p.add_argument("--pace", type=float, default=0.002)
    args = p.parse_args()
    if args.ignore_term:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if args.role != "trainer":
        return helper(args)

    if args.config_path:
        with open(args.config_path, encoding="utf-8") as fh:
            out(f"config: {fh.read().strip()}\n")
    out("Loading model…\n")
    out("warning: something on stderr\n", sys.stderr)
    out(b"bad bytes: \xff\xfe end\n")
    if args.children:
        spawn(args, "child")
    note_pid(args, "trainer")
    out("Epoch 1/2\n")
    if args.flood:
        write = sys.stdout.buffer.write
        if args.flood_progress:
            for i in range(args.flood):
                write(("\r" + bar(i % 100, 100, 1.0 / (i + 1))).encode())
        elif args.stamp:
            for i in range(args.flood):
                write(f"t={time.monotonic():.6f} line {i}\n".encode())
                if i % 100 == 0:
                    sys.stdout.buffer.flush()
        else:
            line = b"flood line with some text to look like a log entry 0123456789\n"
            for _ in range(args.flood):
                write(line)
        sys.stdout.buffer.flush()
        out("\n")
    for i in range(args.paced):
        out(f"t={time.monotonic():.6f} paced {i}\n")
        time.sleep(args.pace)
    for step in range(1, args.steps + 1):
        out("\r" + bar(step, args.steps, 1.0 / step), sys.stderr)
        if args.delay:
            time.sleep(args.delay)
    out("\n", sys.stderr)
    out("Epoch 2/2\n")
    if args.forever:
        out("READY\n")
        sleep_forever()
    if args.crash:
        out("about to fail\n")
        raise RuntimeError("CUDA out of memory (fake)")
    if not args.no_marker:
        out(END_MARKER + "\n")
    return args.exit


if __name__ == "__main__":
    sys.exit(main())
