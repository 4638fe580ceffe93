"""One benchmark row: what was measured, its ratio to a baseline timed in the same run, the target
and whether it was met.

The machine is shared and loaded, so absolute times drift between runs; a ratio against a baseline
measured in the same process run (a bare Dear PyGui window, `python -c pass`, a plain file read)
is the figure to judge. Targets are written here, beside the measurement, not in unit tests.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass
class Row:
    metric: str
    measured: str  # the absolute figure as shown, unit included
    target: str  # the goal as shown, e.g. "<= 10 ms" or "<= 5x"
    ratio: float | None = None  # measured / baseline, both from this run
    baseline: str = ""  # what the ratio divides by, e.g. "python -c pass 21 ms"
    passed: bool | None = None  # None: informational row, no target to meet
    value: float | None = None  # the measured number in `unit`, for --json
    unit: str = ""

    @property
    def result(self) -> str:
        return "-" if self.passed is None else ("pass" if self.passed else "FAIL")

    def as_json(self) -> dict:
        data = asdict(self)
        data["result"] = self.result
        return data


def at_most(metric: str, value: float, limit: float, unit: str, *, digits: int = 1, extra: str = "") -> Row:
    """A row met when `value` <= `limit` (both in `unit`)."""
    shown = f"{value:,.{digits}f} {unit}".rstrip() + (f" ({extra})" if extra else "")
    return Row(metric, shown, f"<= {limit:g} {unit}".rstrip(), passed=value <= limit, value=value, unit=unit)


def at_least(metric: str, value: float, limit: float, unit: str, *, digits: int = 0, extra: str = "") -> Row:
    """A row met when `value` >= `limit` (both in `unit`)."""
    shown = f"{value:,.{digits}f} {unit}".rstrip() + (f" ({extra})" if extra else "")
    return Row(metric, shown, f">= {limit:,g} {unit}".rstrip(), passed=value >= limit, value=value, unit=unit)


def ratio_at_most(metric: str, value: float, baseline: float, limit: float, unit: str, baseline_name: str, *,
                  digits: int = 1, extra: str = "") -> Row:
    """A row judged on value / baseline <= `limit`, the absolute figure shown beside it."""
    ratio = value / baseline if baseline > 0 else float("inf")
    shown = f"{value:,.{digits}f} {unit}".rstrip() + (f" ({extra})" if extra else "")
    return Row(metric, shown, f"ratio <= {limit:g}", ratio=ratio,
               baseline=f"{baseline_name} {baseline:,.{digits}f} {unit}".rstrip(), passed=ratio <= limit,
               value=value, unit=unit)


def info(metric: str, measured: str, *, value: float | None = None, unit: str = "", ratio: float | None = None,
         baseline: str = "") -> Row:
    """A row with no target: context for the rows that have one (a baseline, a renderer ceiling)."""
    return Row(metric, measured, "-", ratio=ratio, baseline=baseline, value=value, unit=unit)


def as_row(item) -> Row:
    """A Row, or an older (metric, measured, target) tuple shown with no pass/fail."""
    if isinstance(item, Row):
        return item
    metric, measured, target = item
    return Row(str(metric), str(measured), str(target))
