"""Script profiles read from a trainer folder, layered over the built-in table.

The built-in table (profiles.py) stays the fallback: it supplies a script the folder lacks or
cannot read, a default the reading cannot know, whether the code reads an argument, and the
per-script dataset rules. A ProfileSet never changes once built; the compiler, validation and the
editor receive it through the compile context.
"""
from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dpg_lora.scripts.profiles import (
    _NEW_REQUIRED,
    ARGS,
    BUCKETS_FULL,
    DEFAULT_SCRIPT,
    SCRIPTS,
    ScriptProfile,
    arg_default,
)

if TYPE_CHECKING:  # reading scripts (ast, tokenize) is loaded only when a folder is read
    from dpg_lora.scripts.argparse_ast import ReadArg, ScriptRead
    from dpg_lora.scripts.folder import FolderRead

BUILTIN_COMMIT = "08ec6a9"  # the T2ITrainer commit the built-in table was taken from
BUILTIN_SOURCE = f"built-in table (T2ITrainer {BUILTIN_COMMIT})"

# What only the built-in table knows per script; for a script read from a folder these are guesses.
UNKNOWN_RULES_NEW = (
    "bucket sizes (the longcat/qwen table is assumed)",
    "which dataset keys it reads without a fallback (the five shared ones are assumed)",
    "whether it reads caption instructions",
    "what it does with a caption's reference_list",
    "whether batches need reference_config_extra",
)


@dataclass(frozen=True)
class ScriptArg:
    """One argument of one script, as the editor and compiler use it."""

    name: str
    type: str  # "int", "float", "bool", "str", "list"
    default: Any
    default_known: bool = True
    choices: tuple[Any, ...] = ()
    help: str = ""
    read: bool | None = True  # False: parsed, never read by the code; None: not known
    builtin: bool = True  # the built-in table has it for this script
    notes: tuple[str, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class ScriptSource:
    """Where a script's profile came from."""

    kind: str  # "built-in" or "folder"
    path: str = ""
    mtime: float | None = None
    note: str = ""  # why the built-in table is used although a folder is set

    def describe(self) -> str:
        """In English (the CLI's words); `parts` for the editor's catalogue."""
        if self.kind == "folder":
            return f"{self.path} (modified {self.stamp()})"
        return BUILTIN_SOURCE + (f"; {self.note}" if self.note else "")

    def stamp(self) -> str:
        return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(self.mtime or 0))

    def parts(self) -> dict[str, str]:
        """What `describe` says, as plain values a catalogue text is filled with: `source_kind`
        ("folder", "built-in" or "built-in-note") and the path, stamp, commit and note."""
        if self.kind == "folder":
            return {"source_kind": "folder", "source_path": self.path, "source_stamp": self.stamp()}
        return {"source_kind": "built-in-note" if self.note else "built-in", "source_commit": BUILTIN_COMMIT,
                "source_note": self.note}


@dataclass(frozen=True)
class Difference:
    """How a folder's script differs from the built-in table."""

    script: str
    kind: str  # "new script", "new", "changed default", "changed type", "changed choices", "removed"
    arg: str = ""
    builtin: Any = None
    folder: Any = None

    def line(self) -> str:
        if self.kind == "new script":
            return f"{self.script}: not in the built-in table (profile read from the folder)"
        if self.kind == "new":
            return f"{self.script}: new argument --{self.arg} (default {self.folder!r})"
        if self.kind == "removed":
            return f"{self.script}: --{self.arg} is gone (built-in default {self.builtin!r})"
        return f"{self.script}: --{self.arg} {self.kind}: {self.builtin!r} -> {self.folder!r}"

    def as_json(self) -> dict[str, Any]:
        return {"script": self.script, "kind": self.kind, "arg": self.arg,
                "builtin": _jsonable(self.builtin), "folder": _jsonable(self.folder)}


@dataclass(frozen=True, eq=False)
class ProfileSet:
    """Every script's arguments and profile, and where each came from. Compared by identity."""

    folder: str | None  # None: the built-in table only
    order: tuple[str, ...]  # the Script Loader's choices
    args: dict[str, dict[str, ScriptArg]]
    sources: dict[str, ScriptSource]
    profiles: dict[str, ScriptProfile]
    problems: tuple[str, ...] = ()  # what could not be read, one line each
    unknown_rules: dict[str, tuple[str, ...]] = field(default_factory=dict)
    differences: tuple[Difference, ...] = ()
    memo: dict[str, Any] = field(default_factory=dict, repr=False)  # what is derived from it, built once

    @property
    def scripts(self) -> tuple[str, ...]:
        return self.order

    def knows(self, script: str) -> bool:
        return script in self.profiles

    def profile(self, script: str) -> ScriptProfile:
        return self.profiles.get(script) or self.profiles.get(DEFAULT_SCRIPT) or SCRIPTS[DEFAULT_SCRIPT]

    def has(self, script: str, name: str) -> bool:
        return name in self.args.get(script, ())

    def arg(self, script: str, name: str) -> ScriptArg | None:
        return self.args.get(script, {}).get(name)

    def default(self, name: str, script: str) -> Any:
        """The argparse default of `name` in `script` (the built-in table's when the script lacks it)."""
        found = self.arg(script, name)
        if found is not None:
            return found.default
        return arg_default(name, script) if name in ARGS else None

    def source(self, script: str) -> ScriptSource:
        return self.sources.get(script) or ScriptSource("built-in")

    def from_folder(self, script: str) -> bool:
        return self.source(script).kind == "folder"

    @functools.cached_property
    def extra_args(self) -> dict[str, tuple[str, ...]]:
        """Arguments the built-in table does not have at all: name -> the scripts that have them."""
        out: dict[str, list[str]] = {}
        for script in self.order:
            for name in self.args.get(script, {}):
                if name not in ARGS:
                    out.setdefault(name, []).append(script)
        return {name: tuple(scripts) for name, scripts in out.items()}

    def differences_for(self, script: str) -> list[Difference]:
        return [d for d in self.differences if d.script == script]


def _builtin_args(script: str) -> dict[str, ScriptArg]:
    short = SCRIPTS[script].short
    return {name: ScriptArg(name, spec.type, spec.overrides.get(short, spec.default), choices=spec.choices,
                            read=spec.read)
            for name, spec in ARGS.items() if script in spec.scripts}


@functools.lru_cache(maxsize=1)
def builtin_profiles() -> ProfileSet:
    """The seven scripts of the built-in table, nothing read from disk."""
    return ProfileSet(None, tuple(SCRIPTS), {s: _builtin_args(s) for s in SCRIPTS},
                      {s: ScriptSource("built-in") for s in SCRIPTS}, dict(SCRIPTS))


def profiles_from_folder(read: FolderRead) -> ProfileSet:
    """The folder's scripts layered over the built-in table; anything unreadable keeps the built-in one."""
    base = builtin_profiles()
    args = dict(base.args)
    sources = dict(base.sources)
    profiles = dict(base.profiles)
    order = list(base.order)
    problems = list(read.problems())
    unknown_rules: dict[str, tuple[str, ...]] = {}
    differences: list[Difference] = []
    for name in SCRIPTS:
        sources[name] = ScriptSource("built-in", note=_why_builtin(read, name))
    for name, script in read.scripts.items():
        if not script.ok:
            continue
        if not script.args:
            problems.append(f"{script.source}: no add_argument calls found; "
                            + ("the built-in profile is used" if name in SCRIPTS else "not offered"))
            continue
        sources[name] = ScriptSource("folder", script.source, script.mtime)
        problems += [f"{script.source}: {note}" for note in script.notes]
        if name in SCRIPTS:
            args[name], diffs = _layer(name, script, base.args[name])
            differences += diffs
        else:
            args[name] = {a.name: _from_read(a, script) for a in script.args.values()}
            profiles[name] = _guessed_profile(name, script)
            unknown_rules[name] = _unknown_rules(script)
            order.append(name)
            differences.append(Difference(name, "new script"))
    return ProfileSet(read.source, tuple(order), args, sources, profiles, tuple(problems), unknown_rules,
                      tuple(differences))


def _why_builtin(read: FolderRead, name: str) -> str:
    if read.error:
        return read.error
    script = read.scripts.get(name)
    if script is None:
        return f"{name} is not in {read.source}"
    if script.error:
        return f"{script.source}: {script.error}"
    return ""


def _from_read(a: ReadArg, script: ScriptRead, builtin: ScriptArg | None = None) -> ScriptArg:
    notes = a.notes + ((f"added only when {a.condition}",) if a.condition else ())
    if a.positional:
        notes += ("positional: the command does not pass it",)
    if a.required:
        notes += ("required on the command line, which passes only --config_path",)
    default, known = a.default, a.default_known
    if not known and builtin is not None:
        default, known = builtin.default, True
        notes += (f"the built-in table's default {builtin.default!r} is used",)
    # the table knows parsed-only arguments; a static scan of args.<name> knows this script's code
    read = (a.name in script.attrs_read) and (builtin is None or builtin.read is not False)
    return ScriptArg(a.name, a.type, default, known, a.choices or (builtin.choices if builtin else ()),
                     a.help, read, builtin is not None, notes, a.line)


def _layer(name: str, script: ScriptRead,
           builtin: dict[str, ScriptArg]) -> tuple[dict[str, ScriptArg], list[Difference]]:
    layered: dict[str, ScriptArg] = {}
    diffs: list[Difference] = []
    for arg_name, a in script.args.items():
        old = builtin.get(arg_name)
        new = _from_read(a, script, old)
        layered[arg_name] = new
        if old is None:
            diffs.append(Difference(name, "new", arg_name, None, new.default if new.default_known else "?"))
            continue
        if a.default_known and not _same(old.default, a.default):
            diffs.append(Difference(name, "changed default", arg_name, old.default, a.default))
        if a.type != old.type:
            diffs.append(Difference(name, "changed type", arg_name, old.type, a.type))
        if a.choices and old.choices and tuple(a.choices) != tuple(old.choices):
            diffs.append(Difference(name, "changed choices", arg_name, list(old.choices), list(a.choices)))
    for arg_name, old in builtin.items():
        if arg_name not in layered:
            diffs.append(Difference(name, "removed", arg_name, old.default, None))
    return layered, diffs


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return a == b and type(a) in (type(b), int, float) and type(b) in (type(a), int, float)


def _guessed_profile(name: str, script: ScriptRead) -> ScriptProfile:
    schema = script.schema if script.schema in ("new", "old") else "none"
    return ScriptProfile(name, name.removeprefix("train_").removesuffix(".py"), schema, BUCKETS_FULL,
                         _NEW_REQUIRED if schema == "new" else (),
                         description=f"read from {script.source}")


def _unknown_rules(script: ScriptRead) -> tuple[str, ...]:
    if script.schema == "new":
        return UNKNOWN_RULES_NEW
    layout = {"old": "the old schema (image_configs/caption_configs/training_set)",
              "flat": "the dataset keys at the top level of the config"}.get(script.schema)
    what = f"it reads {layout}" if layout else "it reads no dataset_configs"
    return (f"{what}: the dataset nodes do not apply",)


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    return value
