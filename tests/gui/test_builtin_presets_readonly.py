"""Built-in presets are read-only on every path: Ctrl+S on one opened by path asks for a file in
the user presets folder and leaves the shipped file as it is."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from dpg_lora.graph import load_graph
from dpg_lora.resources import builtin_presets_dir

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def shipped_preset():
    """The real shipped file (restored afterwards, should a regression overwrite it)."""
    path = builtin_presets_dir() / "single_image.json"
    before = path.read_bytes()
    yield path, before
    if path.read_bytes() != before:
        path.write_bytes(before)


def _press_save_and_check(gui, opened: str, shipped: Path, before: bytes) -> str:
    app = gui.app
    assert app.open_path(opened), app.status_message()
    app.doc.set_value(app.doc.graph.find("lora_config")[0].id, "rank", 3)
    gui.frames(2)
    gui.key("s", "Control_L")
    gui.frames(3)
    assert shipped.read_bytes() == before
    dialog = app.dialogs.file_dialog
    assert dialog is not None and gui.dpg.does_item_exist(dialog), app.status_message()
    user_presets = app.settings.user_presets_dir
    assert Path(gui.dpg.get_item_configuration(dialog)["default_path"]).resolve() == user_presets.resolve()
    assert "read-only" in app.status_message()
    return dialog


def test_ctrl_s_on_a_builtin_opened_by_path_asks_for_a_user_preset_file(gui, shipped_preset):
    shipped, before = shipped_preset
    app = gui.app
    relative = os.path.relpath(shipped)  # opened as `python -m dpg_lora presets/x.json` would
    dialog = _press_save_and_check(gui, relative, shipped, before)
    # the user picks a name in the user presets folder: saved there, the document moves with it
    target = app.settings.user_presets_dir / "my single.json"
    gui.dpg.get_item_callback(dialog)(dialog, {"file_path_name": str(target)})
    gui.frames(2)
    assert shipped.read_bytes() == before
    assert load_graph(target).find("lora_config")[0].values["rank"] == 3
    assert Path(app.doc.path).resolve() == target.resolve()
    app.doc.set_value(app.doc.graph.find("lora_config")[0].id, "rank", 5)
    gui.key("s", "Control_L")
    gui.frames(2)
    assert load_graph(target).find("lora_config")[0].values["rank"] == 5
    assert shipped.read_bytes() == before


def test_builtin_reached_through_a_symlink_or_chosen_in_save_as_is_not_overwritten(gui, shipped_preset,
                                                                                   tmp_path):
    shipped, before = shipped_preset
    link = tmp_path / "looks like mine.json"
    link.symlink_to(shipped)
    dialog = _press_save_and_check(gui, str(link), shipped, before)
    # choosing the shipped file itself in the dialog is refused too, and the dialog comes back
    gui.dpg.get_item_callback(dialog)(dialog, {"file_path_name": str(shipped)})
    gui.frames(2)
    assert shipped.read_bytes() == before
    assert gui.app.dialogs.file_dialog is not None
    assert "read-only" in gui.app.status_message()


def test_write_config_never_replaces_the_open_graph(gui, tmp_path):
    from tests.core.util import small_graph
    from dpg_lora.graph import save_graph

    graph = small_graph()
    graph.node("script").values.update(trainer_dir=str(tmp_path), config_path="g.json")
    path = tmp_path / "g.json"
    save_graph(graph, path)
    before = path.read_bytes()
    assert gui.app.open_path(str(path))
    gui.frames(2)
    gui.app.write_config()
    gui.frames(2)
    assert path.read_bytes() == before
    assert "is the open graph" in gui.app.status_message()
