"""One command, one table: `python benchmarks/run.py`.

Every `bench_*.py` beside this file defines `rows()` returning (metric, measured, target) tuples.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path


def main() -> int:
    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here.parent))
    rows: list[tuple[str, str, str]] = []
    for path in sorted(here.glob("bench_*.py")):
        if len(sys.argv) > 1 and not any(a in path.stem for a in sys.argv[1:]):
            continue
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        rows.extend(module.rows())
    widths = [max(len(str(r[i])) for r in rows + [("metric", "measured", "target")]) for i in range(3)]
    line = "| " + " | ".join("{:<%d}" % w for w in widths) + " |"
    print(line.format("metric", "measured", "target"))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print(line.format(*row))
    return 0


if __name__ == "__main__":
    sys.exit(main())
