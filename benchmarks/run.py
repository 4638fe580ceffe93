"""One command, one table: `python benchmarks/run.py [NAME ...] [--json]`.

Every `bench_*.py` beside this file defines `rows()` returning `report.Row`s (older plug-ins may
still return (metric, measured, target) tuples, shown with no pass/fail). NAME picks the files
whose name contains it (`compile`, `runner`, `gui`, ...). `--json` prints one JSON list of rows
instead of the table. The exit code is 1 when a row with a target failed, 0 otherwise.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from report import Row, as_row  # noqa: E402


def bench_files(names: list[str]) -> list[Path]:
    files = sorted(HERE.glob("bench_*.py"))
    return [p for p in files if not names or any(n in p.stem for n in names)]


def collect(path: Path) -> list[Row]:
    try:
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[path.stem] = module  # dataclasses and pickling look the module up there
        spec.loader.exec_module(module)
        return [as_row(item) for item in module.rows()]
    except Exception as exc:  # one broken bench must not hide the others' figures
        traceback.print_exc(file=sys.stderr)
        return [Row(f"{path.stem}: did not run", f"{type(exc).__name__}: {exc}"[:120], "-", passed=False)]


def table(rows: list[Row]) -> str:
    head = ("metric", "measured", "ratio", "baseline", "target", "result")
    cells = [head] + [(r.metric, r.measured, "-" if r.ratio is None else f"{r.ratio:.2f}x", r.baseline or "-",
                       r.target, r.result) for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(head))]
    fmt = "| " + " | ".join("{:<%d}" % w for w in widths) + " |"
    lines = [fmt.format(*head), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    lines += [fmt.format(*c) for c in cells[1:]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="run only bench files whose name contains one of these")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args(argv)
    rows: list[Row] = []
    for path in bench_files(args.names):
        got = collect(path)
        rows.extend(got)
        if not args.json:
            print(f"{path.stem}: {len(got)} rows", file=sys.stderr, flush=True)
    if args.json:
        print(json.dumps([r.as_json() for r in rows], indent=1))
    else:
        print(table(rows))
    return 1 if any(r.passed is False for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
