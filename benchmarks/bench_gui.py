"""Editor speed under Xvfb: frame rate at 100 nodes / 150 links, open-to-first-frame, edit-to-preview.

Dear PyGui allows one viewport per process, so `rows()` runs this file again as a child process
(`--child`), which starts its own Xvfb when DISPLAY is unset and prints its figures as JSON.
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

WIDTH, HEIGHT = 1500, 920
SMALL = (1280, 800)


def busy_graph(nodes: int = 100, links: int = 150):
    """`nodes` nodes, `links` type-correct links: datasets as trees, then items fanned out to
    the other datasets' lists (an output may feed several inputs)."""
    from bench_compile import graph_of_size

    from dpg_lora.graph import Link
    from dpg_lora.layout import arrange
    from dpg_lora.specs import REGISTRY

    graph = graph_of_size(nodes)
    by_type: dict[str, list[str]] = {}
    for n in graph.nodes:
        by_type.setdefault(n.type, []).append(n.id)
    existing = {(l.src, l.dst, l.dst_pin) for l in graph.links}
    item_types = [t for t in ("image_item", "target_item", "caption_item", "batch_item")]
    for item_type in item_types:
        list_type = next(s.type for s in REGISTRY.values() if any(p.type == REGISTRY[item_type].output
                                                                  for p in s.inputs) and s.collect)
        for src in by_type.get(item_type, []):
            for dst in by_type.get(list_type, []):
                if len(graph.links) >= links:
                    break
                if (src, dst, "items") not in existing:
                    graph.links.append(Link(src=src, dst=dst, dst_pin="items"))
                    existing.add((src, dst, "items"))
    return arrange(graph)


def largest_preset() -> Path | None:
    presets = sorted((ROOT / "presets").glob("*.json"), key=lambda p: p.stat().st_size)
    return presets[-1] if presets else None


def measure() -> dict:
    import dearpygui.dearpygui as dpg

    from dpg_lora.document import Document
    from dpg_lora.ui.app import EditorApp
    from tests.core.util import small_graph

    out: dict = {}
    dpg.create_context()
    dpg.configure_app(manual_callback_management=True)
    dpg.create_viewport(title="bench", width=WIDTH, height=HEIGHT, x_pos=0, y_pos=0, vsync=False)
    app = EditorApp(runner=False).build(WIDTH, HEIGHT)
    dpg.setup_dearpygui()
    dpg.show_viewport()
    dpg.set_primary_window(app.root, True)

    def frame():
        app.turn()
        dpg.render_dearpygui_frame()
        dpg.run_callbacks(dpg.get_callback_queue())

    for _ in range(5):
        frame()

    # 1. open the largest preset -> its first frame drawn
    preset = largest_preset()
    if preset is not None:
        t0 = time.perf_counter()
        app.open_path(str(preset))
        frame()
        out["open_ms"] = (time.perf_counter() - t0) * 1000
        out["open_nodes"] = len(app.doc.graph.nodes)
        out["preset"] = preset.name

    # 1b. open a 33-node graph file (the size of the original's largest template)
    import tempfile

    from bench_compile import graph_of_size

    from dpg_lora.graph import save_graph
    from dpg_lora.layout import arrange

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "33 nodes.json")
        save_graph(arrange(graph_of_size(33)), path)
        t0 = time.perf_counter()
        app.open_path(path)
        frame()
        out["open33_ms"] = (time.perf_counter() - t0) * 1000
        out["open33_nodes"] = len(app.doc.graph.nodes)

    # 2. frame rate with 100 nodes and 150 links, minimap off
    graph = busy_graph()
    app.set_document(Document(graph))

    def fps_now(n: int = 150) -> tuple[float, float]:
        for _ in range(10):
            frame()
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            frame()
            times.append(time.perf_counter() - t0)
        return 1.0 / statistics.mean(times), sorted(times)[int(len(times) * 0.95)] * 1000

    out["fps"], out["frame_p95_ms"] = fps_now()
    out["busy_nodes"], out["busy_links"] = len(graph.nodes), len(graph.links)
    # the same graph in a smaller window: llvmpipe's cost grows with the pixels drawn
    dpg.set_viewport_width(SMALL[0])
    dpg.set_viewport_height(SMALL[1])
    app.layout(*SMALL)
    out["fps_small"], out["frame_p95_small_ms"] = fps_now()
    dpg.set_viewport_width(WIDTH)
    dpg.set_viewport_height(HEIGHT)
    app.layout(WIDTH, HEIGHT)
    out["idle_turn_us"] = _idle_turn_us(app)
    # the same window with an empty graph: what the software renderer allows at this size
    app.set_document(Document())
    for _ in range(5):
        frame()
    times = []
    for _ in range(60):
        t0 = time.perf_counter()
        frame()
        times.append(time.perf_counter() - t0)
    out["empty_fps"] = 1.0 / statistics.mean(times)

    # 3. an edit on a 33-node graph -> preview, canvas and problems refreshed
    graph = small_graph(datasets=3)
    while len(graph.nodes) < 33:
        graph.nodes.append(type(graph.nodes[0])(id=f"loose{len(graph.nodes)}", type="image_item"))
    app.set_document(Document(graph))
    for _ in range(5):
        frame()
    edits = []
    for i in range(60):
        app.doc.seal()
        t0 = time.perf_counter()
        app.doc.set_value("lora", "rank", 4 + i % 2)
        app.turn()  # compile + canvas sync + preview, once for the new revision
        edits.append(time.perf_counter() - t0)
        dpg.render_dearpygui_frame()
        dpg.run_callbacks(dpg.get_callback_queue())
    edits.sort()
    out["edit_nodes"] = len(graph.nodes)
    out["edit_median_ms"] = statistics.median(edits) * 1000
    out["edit_p95_ms"] = edits[int(len(edits) * 0.95)] * 1000
    dpg.destroy_context()
    return out


def _idle_turn_us(app) -> float:
    """Python work per loop turn when nothing changed."""
    t0 = time.perf_counter()
    for _ in range(1000):
        app.turn()
    return (time.perf_counter() - t0) / 1000 * 1e6


def bare_editor_fps() -> dict:
    """An empty Dear PyGui node editor and nothing else, at the small size: what the renderer
    allows before any of our nodes, links or panels are drawn."""
    import dearpygui.dearpygui as dpg

    dpg.create_context()
    dpg.create_viewport(title="bare", width=SMALL[0], height=SMALL[1], x_pos=0, y_pos=0, vsync=False)
    with dpg.window() as window:
        dpg.add_node_editor()
    dpg.set_primary_window(window, True)
    dpg.setup_dearpygui()
    dpg.show_viewport()
    for _ in range(10):
        dpg.render_dearpygui_frame()
    times = []
    for _ in range(100):
        t0 = time.perf_counter()
        dpg.render_dearpygui_frame()
        times.append(time.perf_counter() - t0)
    dpg.destroy_context()
    return {"bare_fps": 1.0 / statistics.mean(times)}


def child() -> int:
    from dpg_lora.cli.screenshot import display

    with display(WIDTH + 100, HEIGHT + 100):
        print(json.dumps(bare_editor_fps() if "--bare" in sys.argv else measure()))
    return 0


def _child_figures(*flags: str) -> tuple[dict | None, str]:
    env = dict(os.environ, DPG_LORA_USER_DIR=os.environ.get("DPG_LORA_USER_DIR", "/tmp/dpg-lora-bench"))
    proc = subprocess.run([sys.executable, __file__, "--child", *flags], capture_output=True, text=True,
                          timeout=600, env=env, cwd=str(ROOT))
    lines = [l for l in proc.stdout.splitlines() if l.startswith("{")]
    if proc.returncode != 0 or not lines:
        return None, (proc.stderr.strip().splitlines() or ["no output"])[-1][:80]
    return json.loads(lines[-1]), ""


def rows():
    t0 = time.perf_counter()
    r, reason = _child_figures()
    wall = time.perf_counter() - t0
    if r is None:
        return [("editor benchmarks", f"not run: {reason}", "-")]
    bare, _ = _child_figures("--bare")
    out = [
        (f"editor fps, {r['busy_nodes']} nodes / {r['busy_links']} links, minimap off (Xvfb, llvmpipe)",
         f"{r['fps']:.0f} fps (p95 frame {r['frame_p95_ms']:.1f} ms)", ">= 60 fps"),
        (f"  same graph at {SMALL[0]}x{SMALL[1]}", f"{r['fps_small']:.0f} fps (p95 frame "
         f"{r['frame_p95_small_ms']:.1f} ms)", ">= 60 fps"),
        (f"  same window, empty graph (renderer ceiling at {WIDTH}x{HEIGHT})", f"{r['empty_fps']:.0f} fps", "-"),
        ("editor Python work per idle loop turn", f"{r['idle_turn_us']:.1f} us", "~0"),
        (f"edit -> preview+canvas updated, {r['edit_nodes']}-node graph",
         f"{r['edit_median_ms']:.1f} ms median, {r['edit_p95_ms']:.1f} ms p95", "< 100 ms"),
    ]
    if "open_ms" in r:
        out.insert(1, (f"open largest preset ({r['preset']}, {r['open_nodes']} nodes) -> first frame",
                       f"{r['open_ms']:.0f} ms", "< 1 s"))
    if "open33_ms" in r:
        out.insert(2, (f"open a {r['open33_nodes']}-node graph file -> first frame", f"{r['open33_ms']:.0f} ms",
                       "< 1 s"))
    if bare is not None:
        out.append((f"  bare Dear PyGui node editor, no nodes, {SMALL[0]}x{SMALL[1]} (renderer ceiling)",
                    f"{bare['bare_fps']:.0f} fps", "-"))
    out.append(("editor process: start, measure all, exit (wall)", f"{wall:.1f} s", "-"))
    return out


if __name__ == "__main__":
    if "--child" in sys.argv:
        sys.exit(child())
    for row in rows():
        print(" | ".join(row))
