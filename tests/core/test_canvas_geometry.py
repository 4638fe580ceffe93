"""The canvas view's pure geometry and view data: zoom levels, fitting, pushing, the view section."""
from __future__ import annotations

import json

from dpg_lora.document import Document
from dpg_lora.graph import graph_from_dict, graph_to_text
from dpg_lora.layout import ZOOM_LEVELS, arrange, fit_zoom, overlapping, push_down, zoom_step
from tests.core.util import small_graph


def test_zoom_levels_reach_from_100_down_to_30_percent_in_five_or_more_steps():
    assert ZOOM_LEVELS[0] == 1.0 and abs(ZOOM_LEVELS[-1] - 0.3) < 0.05 and len(ZOOM_LEVELS) >= 5
    assert list(ZOOM_LEVELS) == sorted(ZOOM_LEVELS, reverse=True)
    assert zoom_step(1.0, -1) == ZOOM_LEVELS[1] and zoom_step(1.0, 1) == 1.0
    assert zoom_step(ZOOM_LEVELS[-1], -1) == ZOOM_LEVELS[-1] and zoom_step(0.69, 1) == ZOOM_LEVELS[1]


def test_fit_zoom_is_the_largest_level_that_fits():
    assert fit_zoom((500, 300), (600, 400)) == 1.0
    assert fit_zoom((1000, 300), (600, 400)) == 0.6
    assert fit_zoom((1000, 1000), (600, 400)) == 0.4
    assert fit_zoom((10000, 100), (600, 400)) == ZOOM_LEVELS[-1]  # nothing fits: the smallest


def test_push_down_moves_what_a_grown_node_covers_and_what_that_covers():
    rects = {"a": (0, 0, 100, 150), "b": (0, 120, 100, 50), "c": (0, 190, 100, 50),
             "side": (300, 100, 100, 50), "above": (0, -100, 100, 50)}
    moved = push_down(rects, ["a"], gap=20)
    assert moved == {"b": (0, 170), "c": (0, 240)}
    new = {**rects, **{k: (x, y, rects[k][2], rects[k][3]) for k, (x, y) in moved.items()}}
    assert overlapping(new) == []


def test_arrange_with_measured_sizes_never_overlaps():
    graph = small_graph()
    sizes = {n.id: (350.0 if n.type == "directory_setup" else 240.0, 200.0) for n in graph.nodes}
    laid = arrange(graph, sizes)
    rects = {n.id: (n.pos[0], n.pos[1], *sizes[n.id]) for n in laid.nodes}
    assert overlapping(rects) == []


def test_view_data_round_trips_and_old_files_still_load():
    graph = small_graph()
    text = graph_to_text(graph)
    assert '"view"' not in text  # nothing set: the file stays as before
    data = json.loads(text)
    assert graph_from_dict(data).view.collapsed == []
    graph.view.collapsed = ["lora", "cap0"]
    graph.view.zoom = 0.7
    text = graph_to_text(graph)
    assert text.splitlines()[-2] == '  "view": {"zoom": 0.7, "collapsed": ["lora", "cap0"]}'
    again = graph_from_dict(json.loads(text))
    assert again.view.collapsed == ["lora", "cap0"] and again.view.zoom == 0.7
    assert graph_to_text(again) == text


def test_collapsing_is_one_undoable_step_and_never_reaches_the_config():
    doc = Document(small_graph())
    config = doc.result.config_text
    assert doc.set_collapsed(["lora", "img0"], True)
    assert doc.graph.view.collapsed == ["lora", "img0"] and doc.dirty
    assert not doc.set_collapsed(["lora"], True)  # already collapsed
    assert doc.result.config_text == config
    doc.undo()
    assert doc.graph.view.collapsed == [] and not doc.dirty


def test_make_room_joins_the_last_command_and_only_that():
    doc = Document(small_graph())
    assert not doc.make_room({"lora": (0, 999)})  # nothing done yet
    doc.set_value("lora", "rank", 4)
    assert doc.make_room({"misc": (0, 999)})
    assert doc.graph.node("misc").pos == (0.0, 999.0)
    doc.undo()
    assert doc.graph.node("misc").pos == small_graph().node("misc").pos
    assert doc.graph.node("lora").values["rank"] == 8
    assert not doc.make_room({"misc": (0, 5)})  # after an undo: never
