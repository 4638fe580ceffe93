"""`dpg-lora scripts [--trainer-dir DIR] [--host HOST] [--json] [--changes]`: a trainer folder's scripts, read statically.

Lists each train_*.py with its arguments and how it differs from the built-in table (new
arguments, changed defaults, removed ones). The scripts are parsed, never run. Without a folder
(no --trainer-dir, no DPG_LORA_TRAINER_DIR) the built-in table is listed. Exit code 0; 1 when a
script could not be read (the built-in profile stays in use for it); 2 when the folder is unusable.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys

from dpg_lora.scripts.layered import ProfileSet, builtin_profiles, profiles_from_folder


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("scripts", help="list the trainer folder's scripts, their arguments and what changed",
                       description="Read every train_*.py of the trainer folder statically (never run) "
                                   "and list its arguments and its differences from the built-in table.")
    p.add_argument("--trainer-dir", metavar="DIR",
                   help="the T2ITrainer folder (default: DPG_LORA_TRAINER_DIR; none: the built-in table)")
    p.add_argument("--host", metavar="HOST",
                   help="read the folder on this ssh destination (user@host, ssh://user@host:port or an "
                        "ssh config alias); --trainer-dir is then a path on that host")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--changes", action="store_true", help="list only the differences, not every argument")
    p.set_defaults(func=run)


def trainer_dir_of(args: argparse.Namespace) -> str | None:
    """--trainer-dir, else this machine's DPG_LORA_TRAINER_DIR, else None."""
    if getattr(args, "trainer_dir", None):
        return args.trainer_dir
    from dpg_lora.settings import SettingsError, load_settings

    try:
        settings = load_settings()
    except SettingsError:
        return None  # already reported by the CLI's settings check
    return str(settings.trainer_dir) if settings.trainer_dir else None


def host_of(args: argparse.Namespace) -> str | None:
    """--host (the first one, for run's repeated --host): where the trainer folder is."""
    host = getattr(args, "host", None)
    if isinstance(host, list):
        host = next((h for h in host if h), None)
    return host or None


def load_profiles(folder: str | None, host: str | None = None) -> ProfileSet:
    if not folder:
        return builtin_profiles()
    if host:
        from dpg_lora.remote.ssh import make_host
        from dpg_lora.scripts.remote_read import read_remote_folder

        return profiles_from_folder(read_remote_folder(make_host(host), folder))
    from dpg_lora.scripts.folder import read_folder  # parses Python (ast): only when a folder is read

    return profiles_from_folder(read_folder(folder))


def folder_context(args: argparse.Namespace):
    """The command's compile context, with the profiles of --trainer-dir's scripts when given.

    What cannot be read is one line each on stderr; the built-in table stays in use for it.
    """
    if not getattr(args, "trainer_dir", None):
        return args.context
    profiles = load_profiles(args.trainer_dir, host_of(args))
    for line in profiles.problems:
        print(f"dpg-lora: {line}", file=sys.stderr)
    return dataclasses.replace(args.context, profiles=profiles)


def run(args: argparse.Namespace) -> int:
    folder = trainer_dir_of(args)
    if host_of(args) and not args.trainer_dir:
        print("dpg-lora: --host needs --trainer-dir (the folder's path on that host)", file=sys.stderr)
        return 2
    profiles = load_profiles(folder, host_of(args))
    for line in profiles.problems:
        print(f"dpg-lora: {line}", file=sys.stderr)
    if args.json:
        sys.stdout.write(json.dumps(as_json(profiles), indent=2, ensure_ascii=False, default=repr) + "\n")
    else:
        sys.stdout.write(as_text(profiles, args.changes))
    if folder and not any(profiles.from_folder(s) for s in profiles.order):
        return 2
    return 1 if profiles.problems else 0


def _arg_json(a) -> dict:
    out = {"name": a.name, "type": a.type, "default": list(a.default) if isinstance(a.default, tuple) else a.default,
           "default_known": a.default_known, "choices": list(a.choices), "help": a.help,
           "read_by_code": a.read, "in_builtin_table": a.builtin}
    if a.notes:
        out["notes"] = list(a.notes)
    if a.line:
        out["line"] = a.line
    return out


def as_json(profiles: ProfileSet) -> dict:
    scripts = {}
    for name in profiles.order:
        source = profiles.source(name)
        scripts[name] = {
            "source": source.kind, "path": source.path or None, "mtime": source.mtime,
            "described": source.describe(), "known": name in builtin_profiles().profiles,
            "schema": profiles.profile(name).schema,
            "unknown_rules": list(profiles.unknown_rules.get(name, ())),
            "arguments": [_arg_json(a) for a in profiles.args[name].values()],
            "differences": [d.as_json() for d in profiles.differences_for(name)],
        }
    return {"folder": profiles.folder, "problems": list(profiles.problems), "scripts": scripts,
            "differences": [d.as_json() for d in profiles.differences]}


def as_text(profiles: ProfileSet, changes_only: bool = False) -> str:
    lines = [f"trainer folder: {profiles.folder}" if profiles.folder else "no trainer folder: the built-in table"]
    for name in profiles.order:
        args = profiles.args[name]
        lines.append("")
        lines.append(f"{name}  {len(args)} arguments  from {profiles.source(name).describe()}")
        for rule in profiles.unknown_rules.get(name, ()):
            lines.append(f"  unknown: {rule}")
        diffs = profiles.differences_for(name)
        for diff in diffs:
            if diff.kind != "new script":
                lines.append("  " + diff.line().split(": ", 1)[1])
        if profiles.folder and name not in {d.script for d in profiles.differences} and profiles.from_folder(name):
            lines.append("  same as the built-in table")
        if changes_only:
            continue
        width = max((len(a) for a in args), default=0) + 2
        for a in args.values():
            default = repr(a.default) if a.default_known else "(computed at run time)"
            extra = f"  choices: {', '.join(map(str, a.choices))}" if a.choices else ""
            unread = "  (not read by the code)" if a.read is False else ""
            notes = "".join(f"\n      {n}" for n in a.notes)
            lines.append(f"    --{a.name:<{width}}{a.type:<6} {default}{extra}{unread}{notes}")
    return "\n".join(lines) + "\n"
