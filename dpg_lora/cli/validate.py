"""`dpg-lora validate FILE [--script NAME] [--trainer-dir DIR] [--host HOST] [--check-data]`: check a
graph or a training config.

A graph file is compiled and its diagnostics printed as `severity CODE node.field: message`;
any other JSON object is taken as a trainer config and checked for one script, printed as
`severity CODE json.path: message`. Findings go to stderr, one per line; a summary line goes
to stdout. Exit 0 without errors, 1 with errors, 2 when the file cannot be read.

`--trainer-dir` checks against that folder's scripts (their arguments and defaults), read
statically, as `compile --trainer-dir` compiles; `--host` reads that folder and, with
`--check-data`, scans the dataset folders on that machine over ssh. A graph whose Script Loader
names a host is scanned there without `--host`, as the editor's "Check dataset folders" does.
"""
from __future__ import annotations

import argparse
import os
import sys

from dpg_lora.cli._common import fail
from dpg_lora.cli.scripts import folder_context
from dpg_lora.jsonfile import JsonFileError, read_json
from dpg_lora.scripts import SCRIPTS
from dpg_lora.validation import ERROR, INFO, Finding, validate_config
from dpg_lora.validation.environment import environment_findings
from dpg_lora.validation.script_guess import guess_script
from dpg_lora.validation.shape import format_path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="check a graph or a T2ITrainer config against a script's rules",
                       description="Check a graph file or a training config. Problems go to stderr, one "
                                   "per line; exit 1 on errors, 2 on an unreadable file.")
    p.add_argument("file", help="graph file or training config (.json)")
    p.add_argument("--script", choices=tuple(SCRIPTS), metavar="NAME",
                   help="the trainer script a config is checked for (default: the config's own "
                        "\"script\" key, else the one script its keys fit; when they fit several, "
                        "validate asks for --script); a graph's Script Loader decides for graphs")
    p.add_argument("--trainer-dir", metavar="DIR",
                   help="check against this T2ITrainer folder's scripts (their arguments and defaults)")
    p.add_argument("--host", metavar="HOST",
                   help="the machine the trainer folder and the dataset folders are on (ssh destination); "
                        "default: a graph's Script Loader host, else this machine")
    p.add_argument("--python", metavar="EXE", default=None,
                   help="the interpreter on --host that lists the dataset folders for --check-data "
                        "(default: a graph's Script Loader python, else python3)")
    p.add_argument("--check-data", action="store_true",
                   help="also scan each dataset folder the way the trainer pairs files")
    p.add_argument("--root", default=None, metavar="DIR",
                   help="resolve relative dataset folders against DIR (default: the graph's trainer "
                        "directory, or the current directory for a config)")
    p.add_argument("--verbose", "-v", action="store_true", help="also list info findings")
    p.set_defaults(func=run)




def pick_script(config: dict, requested: str | None) -> tuple[str | None, str]:
    """(script, how): --script, else the config's own `script` key, else the one its keys fit;
    (None, reason) when the keys fit several scripts."""
    if requested:
        return requested, ""
    guess = guess_script(config)
    if guess.script:
        return guess.script, "" if guess.how == "named" else ", from its keys"
    return None, ("names no script and its keys fit " + " and ".join(guess.candidates)
                  if guess.candidates else "names no script and its keys fit no single script")


_RANK = {ERROR: 0, "warning": 1, INFO: 2}


def by_severity(items: list) -> list:
    """Errors first, then warnings, then info; the order within a severity is kept."""
    return sorted(items, key=lambda item: _RANK.get(item.severity, 3))


def finding_line(finding: Finding) -> str:
    return f"{finding.severity} {finding.code} {format_path(finding.path)}: {finding.message}"


def run(args: argparse.Namespace) -> int:
    try:
        data = read_json(args.file)
    except JsonFileError as exc:
        return fail(str(exc))
    if not isinstance(data, dict):
        return fail(f"{args.file}: expected a JSON object (a graph or a training config), "
                     f"found a {type(data).__name__}")
    if data.get("format") == "dpg-lora-graph":
        return _validate_graph(args)
    return _validate_config(args, data)


def _show(severity: str, line: str, verbose: bool) -> None:
    if severity != INFO or verbose:
        print(line, file=sys.stderr)


def _summary(name: str, script: str, severities: list[str]) -> None:
    errors, warnings = severities.count(ERROR), severities.count("warning")
    print(f"{name} ({script}): {errors} error{'s' * (errors != 1)}, "
          f"{warnings} warning{'s' * (warnings != 1)}")


def _validate_graph(args: argparse.Namespace) -> int:
    from dpg_lora.compiler import compile_graph
    from dpg_lora.graph import GraphFileError, load_graph

    try:
        graph = load_graph(args.file)
    except GraphFileError as exc:
        return fail(str(exc))
    result = compile_graph(graph, folder_context(args))
    if args.script and args.script != result.script:
        print(f"note: the graph's Script Loader runs {result.script}; --script {args.script} is ignored",
              file=sys.stderr)
    severities = []
    for diag in by_severity(result.diagnostics):
        _show(diag.severity, diag.line(), args.verbose)
        severities.append(diag.severity)
    if args.check_data:
        root = args.root if args.root is not None else result.cwd
        host = args.host or (result.hosts[0] if result.hosts else None)
        python = args.python or (result.argv[0] if host and result.hosts else "python3")
        for finding in by_severity(_check_data(result.config, result.script, root, host, python)):
            node_id, fld = result.locate(finding.path)
            place = ".".join(p for p in (node_id, fld) if p) or format_path(finding.path)
            _show(finding.severity, f"{finding.severity} {finding.code} {place}: {finding.message}", args.verbose)
            severities.append(finding.severity)
    _summary(os.path.basename(args.file), result.script, severities)
    return 1 if ERROR in severities else 0


def _validate_config(args: argparse.Namespace, config: dict) -> int:
    script, how = pick_script(config, args.script)
    if script is None:  # one script's rules on another's config report crashes that never happen
        return fail(f"{args.file}: the trainer script is unknown: the config {how}; "
                    f"pass --script NAME ({', '.join(SCRIPTS)})")
    findings = validate_config(config, script, folder_context(args).profiles)
    if args.context.wandb_login is not None and not args.host:  # this machine's logins, read once at start
        findings += environment_findings(config, args.context.wandb_login)
    findings = by_severity(findings)
    severities = []
    for finding in findings:
        _show(finding.severity, finding_line(finding), args.verbose)
        severities.append(finding.severity)
    if args.check_data:
        for finding in by_severity(_check_data(config, script, args.root or ".", args.host,
                                               args.python or "python3")):
            _show(finding.severity, finding_line(finding), args.verbose)
            severities.append(finding.severity)
    _summary(os.path.basename(args.file), script + how, severities)
    return 1 if ERROR in severities else 0


def _check_data(config: dict, script: str, root: str, host: str | None = None,
                python: str = "python3") -> list[Finding]:
    """The data findings, scanned here or on `host` (one listing command run by `python` there);
    the one-line summary of each dataset goes to stdout."""
    if host:
        from dpg_lora.remote.remote_files import host_check

        report = host_check(host, python)(config, script, root)
    else:
        from dpg_lora.validation.data_check import check_data

        report = check_data(config, script, root)
    for ds in report.datasets:
        print(f"dataset {ds.index} ({ds.folder}): {ds.line}")
    return report.findings
