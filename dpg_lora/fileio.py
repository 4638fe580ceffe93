"""Atomic file writes: a temp file in the same folder, fsync, then rename over the target."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return target


def atomic_write_text(path: str | os.PathLike, text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))


class JsonFileError(Exception):
    """A JSON file that cannot be read; `kind` is "unreadable" (I/O or not UTF-8) or "not_json"."""

    def __init__(self, path: str, where: str, message: str, kind: str):
        self.path, self.where, self.message, self.kind = path, where, message, kind
        super().__init__(f"{path}: {where}: {message}" if where else f"{path}: {message}")


def read_json(path: str | os.PathLike):
    """Parse a UTF-8 (BOM allowed) JSON file; every failure is one JsonFileError naming the place."""
    import json

    path = os.fspath(path)
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        raise JsonFileError(path, "", exc.strerror or str(exc), "unreadable") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise JsonFileError(path, f"byte {exc.start}", "not UTF-8 text", "unreadable") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise JsonFileError(path, f"line {exc.lineno} column {exc.colno}", f"not JSON: {exc.msg}",
                            "not_json") from None
    except RecursionError:
        raise JsonFileError(path, "", "not JSON: nested too deeply", "not_json") from None
