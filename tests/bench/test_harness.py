"""benchmarks/run.py: rows from every bench_*.py, ratios and pass/fail, table and --json."""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"


def _load(name: str):
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(f"bench_{name}_under_test", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_rows_judge_their_targets_and_ratios():
    report = _load("report")
    assert report.at_most("t", 9.5, 10, "ms").passed is True
    assert report.at_most("t", 10.5, 10, "ms").passed is False
    assert report.at_least("t", 300_000, 250_000, "lines/s").passed is True
    row = report.ratio_at_most("t", 60, 20, 5, "ms", "python -c pass")
    assert row.ratio == 3.0 and row.passed is True and "python -c pass 20" in row.baseline
    assert report.ratio_at_most("t", 120, 20, 5, "ms", "base").passed is False
    legacy = report.as_row(("old metric", "1 ms", "< 2 ms"))
    assert legacy.passed is None and legacy.result == "-"


def test_table_and_json_carry_every_column(tmp_path, monkeypatch, capsys):
    run = _load("run")
    report = sys.modules["report"]
    (tmp_path / "bench_fake.py").write_text(
        "from report import at_most, info\n"
        "def rows():\n"
        "    return [at_most('fast thing', 1.0, 2.0, 'ms'), at_most('slow thing', 3.0, 2.0, 'ms'),\n"
        "            ('legacy', '5 ms', '< 9 ms')]\n")
    (tmp_path / "bench_broken.py").write_text("def rows():\n    raise RuntimeError('no display')\n")
    monkeypatch.setattr(run, "HERE", tmp_path)
    assert run.main(["fake"]) == 1  # one row failed its target
    table = capsys.readouterr().out
    assert "| fast thing" in table and "pass" in table and "FAIL" in table and "ratio" in table
    assert run.main(["fake", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [r["result"] for r in data] == ["pass", "FAIL", "-"]
    assert set(data[0]) >= {"metric", "measured", "ratio", "target", "passed", "value"}
    assert run.main(["broken", "--json"]) == 1  # a bench that raises is a failed row, not a crash
    assert "did not run" in json.loads(capsys.readouterr().out)[0]["metric"]
    assert isinstance(report.Row("m", "1", "-"), report.Row)
