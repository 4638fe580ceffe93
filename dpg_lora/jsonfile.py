"""The one strict JSON reader: graph loading, config import, validate and compile all use it.

It accepts exactly what every other JSON reader reads the same way, and refuses the rest with
one JsonFileError naming the file and the place (`nodes[3].values.learning_rate`):
- only regular files (a FIFO or a device would block or never end); an optional UTF-8 BOM;
- no NaN / Infinity / -Infinity, and no number that reads as infinite (`1e400`);
- no integer of more than MAX_INT_DIGITS digits (Python refuses to convert them);
- no duplicate key in one object (readers disagree on which one wins);
- no nesting deeper than MAX_DEPTH (deeper data overflows the stack of later steps).
"""
from __future__ import annotations

import json
import math
import os
import re
import stat
from typing import Any, Iterable

MAX_DEPTH = 100
MAX_INT_DIGITS = 4300  # CPython's default int/str conversion limit


class JsonFileError(Exception):
    """A JSON file that cannot be used; `kind` is "unreadable" (I/O, not a regular file, not
    UTF-8) or "not_json" (not JSON, or JSON that readers take differently)."""

    def __init__(self, path: str, where: str, message: str, kind: str):
        self.path, self.where, self.message, self.kind = path, where, message, kind
        super().__init__(f"{path}: {where}: {message}" if where else f"{path}: {message}")


class _Bad:
    """Stands in for a value the parser refused, until its place is known."""

    __slots__ = ("message",)

    def __init__(self, message: str):
        self.message = message


class _Parser:
    def __init__(self) -> None:
        self.problems = 0
        self.duplicates: dict[int, tuple[dict, str]] = {}  # id(object) -> (object, first repeated key)

    def constant(self, name: str) -> _Bad:
        self.problems += 1
        return _Bad(f"{name} is not valid JSON (other readers refuse it); write a finite number")

    def number(self, text: str) -> float | _Bad:
        value = float(text)
        if math.isfinite(value):
            return value
        self.problems += 1
        return _Bad(f"{text} is too large for a number (it reads as infinity)")

    def integer(self, text: str) -> int | _Bad:
        digits = len(text.lstrip("-"))
        if digits <= MAX_INT_DIGITS:
            return int(text)
        self.problems += 1
        return _Bad(f"a {digits}-digit integer is too large (at most {MAX_INT_DIGITS} digits)")

    def pairs(self, pairs: list[tuple[str, Any]]) -> dict:
        obj = dict(pairs)
        if len(obj) != len(pairs):
            seen: set[str] = set()
            repeated = ""
            for k, _ in pairs:
                if k in seen:
                    repeated = k
                    break
                seen.add(k)
            self.duplicates[id(obj)] = (obj, repeated)
            self.problems += 1
        return obj

    def loads(self, text: str, locate_integers: bool = False) -> Any:
        return json.loads(text, object_pairs_hook=self.pairs, parse_constant=self.constant,
                          parse_float=self.number, parse_int=self.integer if locate_integers else None)


def _place(path: list) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def find_problem(data: Any, duplicates: dict | None = None) -> tuple[str, str] | None:
    """(place, message) of the first value no strict reader takes back, in document order:
    a refused number, a non-finite float, too deep nesting or (from the parser) a repeated key.
    Writers call it on data in memory before writing."""
    found = _find_in([data], duplicates or {}, -1)
    if found is None:
        return None
    path, message = found
    path.pop()  # the wrapper list's index
    return (_place(path[::-1]) if len(path) <= 12 else ""), message


def join_place(base: str, place: str) -> str:
    """`nodes[3].values` + `a[0]` -> `nodes[3].values.a[0]`."""
    if not place:
        return base
    return base + place if place.startswith("[") or not base else f"{base}.{place}"


def _find_in(value: Any, duplicates: dict, depth: int) -> tuple[list, str] | None:
    """Depth-first, in document order; the path comes back reversed (cheap to grow)."""
    if depth >= MAX_DEPTH:
        return [], f"nested too deeply (more than {MAX_DEPTH} levels)"
    if isinstance(value, dict):
        if duplicates and id(value) in duplicates:
            key = duplicates[id(value)][1]
            return [key], f"duplicate key {key!r}: readers disagree on which value counts; keep one"
        children: Iterable[tuple[Any, Any]] = value.items()
    else:
        children = enumerate(value)
    for key, child in children:
        if isinstance(child, (dict, list, tuple)):
            found = _find_in(child, duplicates, depth + 1)
        elif isinstance(child, _Bad):
            found = [], child.message
        elif isinstance(child, float) and not math.isfinite(child):
            found = [], f"{child} is not a finite number; JSON cannot hold it"
        else:
            continue
        if found is not None:
            found[0].append(key)
            return found
    return None


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _find_surrogate(data: Any) -> tuple[str, str] | None:
    """The first key or text holding half of a UTF-16 pair (a lone surrogate): a `\\ud800`
    escape reads as one, but no UTF-8 file can hold it, so a save would fail."""
    stack: list[tuple[tuple, Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        items = list(value.items() if isinstance(value, dict) else enumerate(value))
        for key, child in items:
            if (isinstance(key, str) and _SURROGATE.search(key)) or (isinstance(child, str) and _SURROGATE.search(child)):
                shown = [k.encode("utf-8", "backslashreplace").decode() if isinstance(k, str) else k
                         for k in path + (key,)]
                return _place(shown), "holds a lone surrogate (a \\ud800-\\udfff escape), not valid Unicode text"
        stack.extend((path + (k,), c) for k, c in reversed(items) if isinstance(c, (dict, list)))
    return None


def parse_json(text: str, source: str) -> Any:
    """Parse JSON text strictly (see the module doc); raises JsonFileError naming `source`."""
    if text.startswith("\ufeff"):
        text = text[1:]
    parser = _Parser()
    try:
        try:
            data = parser.loads(text)
        except ValueError as exc:
            if isinstance(exc, json.JSONDecodeError) or "digits" not in str(exc):
                raise
            parser = _Parser()  # an integer over the conversion limit: parse again to find it
            data = parser.loads(text, locate_integers=True)
    except json.JSONDecodeError as exc:
        raise JsonFileError(source, f"line {exc.lineno} column {exc.colno}", f"not JSON: {exc.msg}",
                            "not_json") from None
    except RecursionError:
        raise JsonFileError(source, "", f"not JSON: nested too deeply (more than {MAX_DEPTH} levels)",
                            "not_json") from None
    problem = find_problem(data, parser.duplicates)
    if problem is None and _SURROGATE_ESCAPE.search(text):  # "\ud800": text no UTF-8 file can hold
        problem = _find_surrogate(data) if isinstance(data, (dict, list)) else (
            ("", "a lone surrogate (a \\ud800-\\udfff escape) is not valid Unicode text")
            if isinstance(data, str) and _SURROGATE.search(data) else None)
    if problem:
        raise JsonFileError(source, problem[0], problem[1], "not_json")
    return data


def read_regular_file(path: str | os.PathLike) -> bytes:
    """The bytes of a regular file; anything else (FIFO, device, folder) is refused without
    blocking: the file is opened non-blocking and checked on the open descriptor."""
    path = os.fspath(path)
    try:
        before = os.stat(path)
        if not stat.S_ISREG(before.st_mode):
            raise JsonFileError(path, "", _not_regular(before.st_mode), "unreadable")
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise JsonFileError(path, "", exc.strerror or str(exc), "unreadable") from None
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode):  # swapped between the stat and the open
            raise JsonFileError(path, "", _not_regular(opened.st_mode), "unreadable")
        with os.fdopen(fd, "rb") as fh:
            fd = -1
            return fh.read()
    except OSError as exc:
        raise JsonFileError(path, "", exc.strerror or str(exc), "unreadable") from None
    finally:
        if fd >= 0:
            os.close(fd)


def _not_regular(mode: int) -> str:
    what = ("a folder" if stat.S_ISDIR(mode) else "a named pipe (FIFO)" if stat.S_ISFIFO(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "a socket" if stat.S_ISSOCK(mode) else "not a regular file")
    return f"is {what}, not a regular file; give a JSON file"


def decode_text(raw: bytes, source: str) -> str:
    """UTF-8 text, a leading BOM dropped; raises JsonFileError for other bytes."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise JsonFileError(source, f"byte {exc.start}", "not UTF-8 text", "unreadable") from None


def read_json(path: str | os.PathLike) -> Any:
    """Parse a UTF-8 (BOM allowed) JSON file strictly; every failure is one JsonFileError."""
    source = os.fspath(path)
    return parse_json(decode_text(read_regular_file(source), source), source)


def dumps(value: Any, **kw: Any) -> str:
    """json.dumps that refuses NaN and infinities (ValueError), for every writer."""
    return json.dumps(value, allow_nan=False, **kw)
