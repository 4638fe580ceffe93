"""Start-up cost of the headless commands, as CPU time of a fresh process against `python -c pass`
timed in the same run (user + system CPU of the child, median of several runs, after one untimed run
of each: bytecode cached as in an installed package, child_env.py)."""
from __future__ import annotations

import resource
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from child_env import child_env, warm_up  # noqa: E402
from report import Row, ratio_at_most  # noqa: E402

RUNS = 9


def cpu_ms(argv: list[str], runs: int = RUNS) -> float:
    """Median CPU milliseconds (user + system) of running `argv` to completion."""
    env = child_env()
    warm_up(argv, str(ROOT))
    times = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=str(ROOT), env=env,
                       check=False)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append((after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000)
    return statistics.median(times)


def rows() -> list[Row]:
    py = sys.executable
    graph = str(ROOT / "presets" / "mixed.json")
    # interleave the baseline with the measured commands so both see the same machine load
    base = cpu_ms([py, "-c", "pass"])
    compile_cpu = cpu_ms([py, "-m", "dpg_lora", "compile", graph, "--print", "config"])
    importing = cpu_ms([py, "-c", "import dpg_lora.compiler"])
    validate_cpu = cpu_ms([py, "-m", "dpg_lora", "validate", graph])
    base = min(base, cpu_ms([py, "-c", "pass"]))
    return [
        ratio_at_most("`dpg-lora compile` a 27-node preset, CPU", compile_cpu, base, 5, "ms", "python -c pass",
                      digits=0),
        ratio_at_most("`import dpg_lora.compiler`, CPU", importing, base, 3, "ms", "python -c pass", digits=0),
        ratio_at_most("`dpg-lora validate` a 27-node preset, CPU", validate_cpu, base, 5, "ms", "python -c pass",
                      digits=0),
    ]


if __name__ == "__main__":
    for row in rows():
        print(row)
