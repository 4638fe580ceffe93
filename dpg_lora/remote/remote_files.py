"""The dataset folder check against another host: one listing command, then the same scan.

`snapshot` walks every dataset folder there in one ssh call (a stdlib Python walk run by the
trainer's interpreter) and notes, for files with a caption extension, whether they decode as
UTF-8 or start with a BOM. `RemoteFiles` serves `isdir`, `walk` and `caption` from that listing, so
`dpg_lora.validation.data_check.check_data` runs unchanged on it.
"""
from __future__ import annotations

import json
import os
from typing import Iterator

from dpg_lora.remote import scripts
from dpg_lora.remote.ssh import Host, LocalHost, SshError

# argv: caption extensions (comma-separated), then folders. One JSON line per folder:
# {"root", "dirs": {dir: [subdirs, files]}, "captions": {path: state}} (paths as os.walk gives them)
SNAPSHOT_PY = r"""
import json, os, sys
exts = tuple(e.lower() for e in sys.argv[1].split(",") if e)
for root in sys.argv[2:]:
    dirs, caps = {}, {}
    if os.path.isdir(root):
        for cur, ds, fs in os.walk(root):
            dirs[cur] = [ds, fs]
            for name in fs:
                if exts and name.lower().endswith(exts):
                    path = os.path.join(cur, name)
                    try:
                        data = open(path, "rb").read()
                    except OSError:
                        caps[path] = "unreadable"; continue
                    try:
                        data.decode("utf-8")
                    except UnicodeDecodeError:
                        caps[path] = "undecodable"; continue
                    caps[path] = "bom" if data.startswith(b"\xef\xbb\xbf") else "ok"
    sys.stdout.write(json.dumps({"root": root, "dirs": dirs, "captions": caps}, ensure_ascii=True) + "\n")
"""


class RemoteFiles:
    def __init__(self, where: str, dirs: dict[str, list], captions: dict[str, str]) -> None:
        self.where = where
        self.dirs = dirs
        self.captions = captions

    def isdir(self, path: str) -> bool:
        return path in self.dirs

    def walk(self, top: str) -> Iterator[tuple[str, list[str], list[str]]]:
        """Top-down like os.walk: the caller may prune `dirs` in place before we descend."""
        if top not in self.dirs:
            return
        subdirs, files = self.dirs[top]
        subdirs, files = list(subdirs), list(files)
        yield top, subdirs, files
        for name in subdirs:
            yield from self.walk(os.path.join(top, name))

    def caption(self, path: str) -> str:
        return self.captions.get(path, "missing")


def dataset_folders(config: dict, script: str, root: str) -> list[str]:
    from dpg_lora.validation.data_check import _specs

    return list(dict.fromkeys(spec.location.rstrip("/") or spec.location
                              for spec in _specs(config if isinstance(config, dict) else {}, script, root)))


def caption_exts(config: dict, script: str, root: str) -> list[str]:
    from dpg_lora.validation.data_check import _specs

    return sorted({ext for spec in _specs(config if isinstance(config, dict) else {}, script, root)
                   for _, _, ext in spec.captions if ext})


def snapshot(host: Host | LocalHost, cwd: str, interpreter: str, config: dict, script: str,
             timeout: float = 300.0) -> RemoteFiles:
    """One ssh call: every dataset folder of `config` on the host (relative ones: against `cwd`)."""
    folders = dataset_folders(config, script, ".")
    exts = caption_exts(config, script, ".")
    dirs: dict[str, list] = {}
    captions: dict[str, str] = {}
    if folders:
        proc = host.run(scripts.python_argv(cwd, interpreter, SNAPSHOT_PY, ",".join(exts), *folders),
                        timeout=timeout)
        if proc.returncode != 0:
            said = proc.stderr.decode("utf-8", "replace").strip().splitlines()
            raise SshError(f"{host.label}: listing the dataset folders failed: "
                           f"{said[-1] if said else f'exit code {proc.returncode}'}")
        for line in proc.stdout.decode("utf-8", "replace").splitlines():
            rec = json.loads(line)
            dirs.update(rec["dirs"])
            captions.update(rec["captions"])
    return RemoteFiles(host.label, dirs, captions)


def check_remote_data(host: Host | LocalHost, cwd: str, interpreter: str, config: dict, script: str,
                      cancelled=None):
    """`check_data` against the host's folders. Raises SshError when the host cannot be listed."""
    from dpg_lora.validation.data_check import check_data

    files = snapshot(host, cwd, interpreter, config, script)
    return check_data(config, script, ".", cancelled=cancelled, files=files)


def host_check(host_text: str, interpreter: str):
    """A `DataCheckJob` check for the folders on `host_text`: `root` is the trainer folder there.
    An unreachable host becomes one error finding naming it (never an exception in the worker)."""
    def check(config: dict, script: str, root: str, cancelled=None):
        from dpg_lora.remote.ssh import make_host
        from dpg_lora.validation import ERROR, Finding
        from dpg_lora.validation.data_check import DataCheck

        try:
            return check_remote_data(make_host(host_text), root, interpreter, config, script, cancelled)
        except SshError as exc:
            return DataCheck(findings=[Finding("DATA_HOST_UNREACHABLE", ERROR, ("dataset_configs",),
                                               "problem.data_host_unreachable", {"reason": str(exc)})])
    return check
