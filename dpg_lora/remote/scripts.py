"""The small programs a run sends to a host, and the argv that carries each one.

Shell scripts are POSIX sh; each travels as one quoted argument (`sh -c SCRIPT sh ARGS...`), so
paths and values are positional parameters, never spliced into script text. The process-tree
stop and the listings need /proc and JSON, so they are short stdlib Python run by the run's own
interpreter (which the checks proved runs there).

A run folder on the host, `<trainer>/.dpg-lora/runs/<id>/`, holds `log` (the trainer's stdout
and stderr, appended), `pid` (the detached session leader, whose pid is also the session and
group id) and, once the trainer ended, `status` (its exit status as the shell reports it).
"""
from __future__ import annotations

from dpg_lora.remote.ssh import sh_argv

RUNS_SUBDIR = ".dpg-lora/runs"
READ_LIMIT = 4 << 20  # bytes of log fetched per poll at most

# exit codes of CHECK and START (any other code is the shell's own failure)
MISSING_FOLDER, MISSING_SCRIPT, MISSING_INTERPRETER, BROKEN_INTERPRETER = 10, 11, 12, 13
CANNOT_CREATE_RUN, CANNOT_WRITE_CONFIG, DID_NOT_START = 14, 15, 16

# $1 trainer folder, $2 script (relative to it or absolute; "" = none), $3 interpreter
CHECK = r"""
cd -- "$1" 2>/dev/null || { printf 'trainer folder not found: %s\n' "$1" >&2; exit 10; }
if [ -n "$2" ] && [ ! -f "$2" ]; then printf 'training script not found: %s (in %s)\n' "$2" "$(pwd)" >&2; exit 11; fi
command -v -- "$3" >/dev/null 2>&1 || { printf 'interpreter not found: %s (PATH=%s)\n' "$3" "$PATH" >&2; exit 12; }
"$3" -c 'import sys; print(sys.version.split()[0])' || { printf 'interpreter does not run: %s\n' "$3" >&2; exit 13; }
"""

# the detached session: $1 run folder, then the trainer argv
SESSION = r"""
d=$1; shift
trap : TERM INT HUP
printf '%s\n' "$$" > "$d/pid.tmp" && mv -f -- "$d/pid.tmp" "$d/pid"
PYTHONUNBUFFERED=1 PYTHONIOENCODING=utf-8 "$@" >> "$d/log" 2>&1 < /dev/null
printf '%s\n' "$?" > "$d/status.tmp"; mv -f -- "$d/status.tmp" "$d/status"
"""

# $1 trainer folder, $2 run id, $3 config path ("" = none; the config text comes on stdin),
# $4 the SESSION script, then the trainer argv. Prints "dir <run folder>" and "pid <pid>".
START = r"""
cd -- "$1" 2>/dev/null || { printf 'trainer folder not found: %s\n' "$1" >&2; exit 10; }
d="$(pwd -P)/.dpg-lora/runs/$2"; cfg=$3; session=$4; shift 4
mkdir -p -- "$d" && : >> "$d/log" || { printf 'cannot create the run folder %s\n' "$d" >&2; exit 14; }
if [ -n "$cfg" ]; then
  t=$(readlink -f -- "$cfg" 2>/dev/null); [ -n "$t" ] || t=$cfg
  tmp="$t.dpg-lora-$$.tmp"
  if ! { cat > "$tmp" && mv -f -- "$tmp" "$t"; }; then
    rm -f -- "$tmp"; printf 'cannot write the config %s\n' "$cfg" >&2; exit 15
  fi
else
  cat > /dev/null
fi
setsid sh -c "$session" sh "$d" "$@" < /dev/null > /dev/null 2>&1 &
i=0
while [ ! -s "$d/pid" ]; do
  i=$((i + 1)); [ "$i" -gt 1000 ] && { printf 'the trainer did not start\n' >&2; exit 16; }
  sleep 0.01
done
printf 'dir %s\npid %s\n' "$d" "$(cat "$d/pid")"
"""

# $1 run folder, $2 bytes we already have, $3 most bytes to send. First line: "exit N",
# "running" or "gone" (decided before reading, so an ended run's bytes are all there), then bytes.
POLL = r"""
d=$1
if [ -f "$d/status" ]; then printf 'exit %s\n' "$(cat "$d/status")"
elif read -r pid < "$d/pid" 2>/dev/null && kill -0 "$pid" 2>/dev/null; then echo running
elif [ -d "$d" ]; then echo gone
else echo missing; exit 0
fi
tail -c +"$(($2 + 1))" -- "$d/log" 2>/dev/null | head -c "$3"
"""

# $1 folder: cd there, then exec the rest (a relative interpreter path means the trainer's)
IN_FOLDER = r"""cd -- "$1" 2>/dev/null || { printf 'folder not found: %s\n' "$1" >&2; exit 10; }
shift; exec "$@"
"""

# argv: run folder, grace seconds. TERM the session/group and every descendant, KILL after the
# grace period, then print "gone" (or "left N" when something survived every KILL).
STOP_PY = r"""
import os, signal, sys, time
d, grace = sys.argv[1], float(sys.argv[2])
try:
    root = int(open(os.path.join(d, "pid")).read().split()[0])
except (OSError, ValueError, IndexError):
    print("gone"); sys.exit(0)
me = os.getpid()
def table():
    out = {}
    try:
        names = os.listdir("/proc")
    except OSError:
        return None
    for name in names:
        if not name.isdigit():
            continue
        try:
            raw = open("/proc/%s/stat" % name).read()
        except OSError:
            continue
        f = raw[raw.rfind(")") + 2:].split()
        if f[0] not in ("Z", "X"):
            out[int(name)] = (int(f[1]), int(f[2]), int(f[3]), f[19])
    return out
known = {}
def members():
    t = table()
    if t is None:
        try:
            os.killpg(root, 0); return {root: ""}
        except OSError:
            return {}
    found = {p: s for p, s in known.items() if p in t and t[p][3] == s}
    for pid, (ppid, pgrp, sid, start) in t.items():
        if root in (pid, pgrp, sid):
            found[pid] = start
    grew = True
    while grew:
        grew = False
        for pid, (ppid, pgrp, sid, start) in t.items():
            if ppid in found and pid not in found:
                found[pid] = start; grew = True
    found.pop(me, None)
    known.update(found)
    return found
def signal_all(found, sig):
    try:
        os.killpg(root, sig)
    except OSError:
        pass
    for pid in found:
        try:
            os.kill(pid, sig)
        except OSError:
            pass
found = members()
signal_all(found, signal.SIGTERM)
deadline = time.time() + grace
while found and time.time() < deadline:
    time.sleep(0.05); found = members()
for _ in range(100):
    if not found:
        break
    signal_all(found, signal.SIGKILL); time.sleep(0.05); found = members()
print("left %d" % len(found) if found else "gone")
"""

# argv: folders. One JSON line per folder: {"root", "error"?, "entries": [[rel, size, is_dir], ...]}
# walking each tree once (what a dataset check or a checkpoint list needs, in one round trip).
LIST_PY = r"""
import json, os, sys
depth = int(sys.argv[1])
for root in sys.argv[2:]:
    entries = []
    rec = {"root": root, "entries": entries}
    if not os.path.isdir(root):
        rec["error"] = "not a folder" if os.path.exists(root) else "not found"
    else:
        base = root.rstrip("/").count("/")
        for cur, dirs, files in os.walk(root):
            level = cur.rstrip("/").count("/") - base
            if depth >= 0 and level >= depth:
                dirs[:] = []
            for name in dirs:
                entries.append([os.path.relpath(os.path.join(cur, name), root), 0, True])
            for name in files:
                try:
                    size = os.path.getsize(os.path.join(cur, name))
                except OSError:
                    size = -1
                entries.append([os.path.relpath(os.path.join(cur, name), root), size, False])
    sys.stdout.write(json.dumps(rec, ensure_ascii=True) + "\n")
"""


def check_argv(cwd: str, script: str, interpreter: str) -> list[str]:
    return sh_argv(CHECK, cwd, script or "", interpreter)


def start_argv(cwd: str, run_id: str, config_path: str | None, argv: list[str]) -> list[str]:
    return sh_argv(START, cwd, run_id, config_path or "", SESSION, *argv)


def poll_argv(run_dir: str, offset: int, limit: int = READ_LIMIT) -> list[str]:
    return sh_argv(POLL, run_dir, str(offset), str(limit))


def python_argv(cwd: str, interpreter: str, program: str, *args: str) -> list[str]:
    """Run a stdlib Python snippet with the run's interpreter, from the trainer folder."""
    return sh_argv(IN_FOLDER, cwd, interpreter, "-c", program, *args)


def stop_argv(cwd: str, interpreter: str, run_dir: str, grace: float) -> list[str]:
    return python_argv(cwd, interpreter, STOP_PY, run_dir, f"{max(0.0, grace):g}")


def list_argv(cwd: str, interpreter: str, folders: list[str], depth: int = -1) -> list[str]:
    return python_argv(cwd, interpreter, LIST_PY, str(depth), *folders)


def cat_argv(cwd: str, path: str) -> list[str]:
    return sh_argv(IN_FOLDER, cwd, "cat", "--", path)
