"""Presets: file change -> watcher event latency, and listing 50 presets."""
from __future__ import annotations

import json
import queue
import statistics
import tempfile
import time
from pathlib import Path

EDITS = 9
PRESETS = 50


def _graph_text(name: str) -> str:
    source = Path(__file__).resolve().parent.parent / "presets" / "mixed.json"
    data = json.loads(source.read_text(encoding="utf-8"))
    data["name"] = name
    return json.dumps(data, indent=2)


def event_latency_ms(folder: Path) -> list[float]:
    from dpg_lora.fileio import atomic_write_text
    from dpg_lora.watch import Watcher

    target = folder / "edited.json"
    latencies = []
    with Watcher([folder]) as watcher:
        if not watcher.ready.wait(10):
            raise RuntimeError("watcher did not start")
        for i in range(EDITS):
            t0 = time.perf_counter()
            atomic_write_text(target, _graph_text(f"edit {i}"))
            try:
                watcher.events.get(timeout=5)
            except queue.Empty:
                latencies.append(float("inf"))
                continue
            latencies.append((time.perf_counter() - t0) * 1000)
            time.sleep(0.3)  # let the burst end before the next edit
            while not watcher.events.empty():
                watcher.events.get_nowait()
    return latencies


def listing_ms(folder: Path) -> float:
    from dpg_lora.presets import list_presets
    from dpg_lora.settings import Settings

    user = folder / "user"
    (user / "presets").mkdir(parents=True)
    for i in range(PRESETS):
        (user / "presets" / f"preset {i:02d}.json").write_text(_graph_text(f"preset {i}"), encoding="utf-8")
    empty = folder / "builtin"
    empty.mkdir()
    settings = Settings(presets_dir=empty, user_dir=user)
    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        infos = list_presets(settings)
        runs.append((time.perf_counter() - t0) * 1000)
        assert len(infos) == PRESETS and not any(i.error for i in infos)
    return statistics.median(runs)


def rows() -> list[tuple[str, str, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        watch_dir = Path(tmp) / "watched"
        watch_dir.mkdir()
        latencies = event_latency_ms(watch_dir)
        list_time = listing_ms(Path(tmp))
    return [
        (f"preset file change -> watcher event (median of {EDITS} edits)",
         f"{statistics.median(latencies):.0f} ms (max {max(latencies):.0f})", "<= 1000 ms"),
        (f"list {PRESETS} presets (27-node graphs, parse + check)", f"{list_time:.0f} ms", "< 500 ms"),
    ]


if __name__ == "__main__":
    for row in rows():
        print(" | ".join(row))
