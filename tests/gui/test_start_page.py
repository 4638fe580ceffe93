"""The start page (no graph open) and where Write config puts the config, with real X input."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from dpg_lora import recent
from dpg_lora.graph import load_graph, save_graph
from dpg_lora.ui.texts import tr
from tests.core.util import small_graph

PRESETS = Path(__file__).resolve().parents[2] / "presets"


@pytest.fixture
def cwd(tmp_path, monkeypatch):
    """The folder the editor was "started from": it must stay empty."""
    folder = tmp_path / "started here"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def page(gui):
    return gui.app.start_page


def problems_label(gui) -> str:
    return gui.dpg.get_item_label(gui.app.preview.page_buttons["Problems"])


def shown(gui, item) -> bool:
    return gui.dpg.is_item_shown(item) and gui.dpg.get_item_state(item).get("visible", True)


def assert_start_page(gui) -> None:
    app, dpg = gui.app, gui.dpg
    assert not app.graph_open
    assert dpg.is_item_shown(page(gui).window) and not dpg.is_item_shown(app.centre)
    assert problems_label(gui) == "Problems"  # no count: nothing is reported for no graph
    assert dpg.get_value(app.preview.json) == ""
    assert app.preview.problem_nodes == {}
    texts = [dpg.get_value(t) for t in dpg.get_item_children(app.preview.problems, 1)]
    assert texts == [tr("start.no_graph_preview")]
    assert dpg.get_value(app.summary) == ""


def assert_graph_shown(gui) -> None:
    app, dpg = gui.app, gui.dpg
    assert app.graph_open
    assert not dpg.is_item_shown(page(gui).window) and dpg.is_item_shown(app.centre)


def test_first_start_shows_the_start_page_and_reports_no_problems(gui):
    gui.frames(3)
    assert_start_page(gui)
    app = gui.app
    # what needs a graph is off in the menus, and says so when reached another way (Ctrl+S)
    for key in ("menu.save", "menu.write_config", "menu.run_training", "start.close_menu"):
        assert gui.dpg.get_item_configuration(app.menu_items[key])["enabled"] is False, key
    gui.key("s", "Control_L")
    assert app.dialogs.file_dialog is None
    assert app.status_message() == tr("file.no_graph_open")
    # every preset is listed with its description
    for info in app.preset_infos():
        assert str(info.path) in page(gui).preset_items
    descriptions = [gui.dpg.get_value(t) for t in gui.dpg.get_item_children(page(gui).items["presets"], 1)
                    if gui.dpg.get_item_type(t).endswith("mvText")]
    assert load_graph(PRESETS / "single_image.json").description in descriptions


def test_clicking_a_recent_file_opens_it_and_a_missing_one_can_be_removed(gui, tmp_path):
    app = gui.app
    graph_file = tmp_path / "my graph \u56fe.json"
    save_graph(small_graph(), graph_file)
    gone = tmp_path / "gone.json"
    store = recent.recent_path(app.settings.user_dir)
    recent.remember(store, gone)
    recent.remember(store, graph_file)
    page(gui).fill_recent()
    gui.frames(3)
    # the missing file is marked and has a Remove button; the other opens on a click
    assert str(gone) in page(gui).remove_items and str(graph_file) not in page(gui).remove_items
    gui.click(*gui.centre(page(gui).remove_items[str(gone)]))
    assert str(gone) not in recent.read_recent(store) and recent.read_recent(store)[0] == str(graph_file)
    assert str(gone) not in page(gui).recent_items
    gui.click(*gui.centre(page(gui).recent_items[str(graph_file)]))
    gui.frames(3)
    assert_graph_shown(gui)
    assert app.doc.path == str(graph_file)
    assert set(app.canvas.views) == {n.id for n in app.doc.graph.nodes}
    assert problems_label(gui) != "Problems" or not app.doc.result.diagnostics


def test_double_clicking_a_preset_opens_an_untitled_copy(gui):
    app = gui.app
    preset = PRESETS / "single_image.json"
    item = page(gui).preset_items[str(preset)]
    gui.double_click(*gui.centre(item))
    gui.frames(3)
    assert_graph_shown(gui)
    assert app.doc.path is None
    assert len(app.doc.graph.nodes) == len(load_graph(preset).nodes)
    assert gui.dpg.get_value(app.preview.json) == app.doc.result.config_text != ""


def test_selecting_a_preset_then_open_preset(gui):
    app = gui.app
    preset = PRESETS / "mixed.json"
    assert gui.dpg.get_item_configuration(page(gui).items["open_preset"])["enabled"] is False
    gui.click(*gui.centre(page(gui).preset_items[str(preset)]))
    gui.frames(40)  # longer than a double-click: the second click below is on the button
    assert not app.graph_open
    gui.click(*gui.centre(page(gui).items["open_preset"]))
    gui.frames(3)
    assert_graph_shown(gui)
    assert len(app.doc.graph.nodes) == len(load_graph(preset).nodes)


def test_new_empty_then_close_comes_back_to_the_start_page(gui, tmp_path):
    app = gui.app
    gui.click(*gui.centre(page(gui).items["new"]))
    gui.frames(3)
    assert_graph_shown(gui)
    assert app.doc.graph.nodes == [] and app.doc.path is None
    assert gui.dpg.get_item_configuration(app.menu_items["menu.save"])["enabled"] is True
    app.doc.add_node("lora_config", (40, 40))  # unsaved work: Close asks first
    gui.frames(2)
    app.close_graph()
    gui.frames(2)
    assert app.graph_open and app.dialogs.modal is not None
    app.dialogs.close_modal()
    app.doc.save(tmp_path / "saved.json")
    app.close_graph()
    gui.frames(3)
    assert_start_page(gui)


def test_import_from_the_start_page_opens_what_the_importer_made(gui, monkeypatch):
    import dpg_lora.ui.file_actions as fa

    graph = small_graph()
    monkeypatch.setattr(fa, "importer", lambda: (lambda path, context: (graph, [])))
    gui.click(*gui.centre(page(gui).items["import"]))
    dialog = gui.app.dialogs.file_dialog
    assert dialog is not None
    gui.dpg.get_item_callback(dialog)(dialog, {"file_path_name": "/x/config.json", "selections": {}})
    gui.frames(3)
    assert_graph_shown(gui)
    assert gui.app.doc.graph is graph and gui.app.doc.dirty


def test_a_chosen_trainer_folder_fills_graphs_started_here(gui, tmp_path):
    app = gui.app
    trainer = tmp_path / "T2I Trainer"
    (trainer / "venv" / "bin").mkdir(parents=True)
    (trainer / "train_longcat.py").write_text("")
    python = trainer / "venv" / "bin" / "python"
    python.write_text("#!/bin/sh\n")
    python.chmod(0o755)
    gui.click(*gui.centre(page(gui).items["choose_folder"]))
    dialog = app.dialogs.file_dialog
    assert dialog is not None and gui.dpg.get_item_configuration(dialog)["directory_selector"]
    gui.dpg.get_item_callback(dialog)(dialog, {"file_path_name": str(trainer), "selections": {}})
    gui.frames(2)
    assert page(gui).folder == str(trainer) and page(gui).python == str(python)
    assert app.remembered.state.get_str("start.trainer_dir") == str(trainer)  # kept for the next start
    gui.double_click(*gui.centre(page(gui).preset_items[str(PRESETS / "single_image.json")]))
    gui.frames(3)
    loader = next(n for n in app.doc.graph.nodes if n.type == "script_loader")
    assert loader.values["trainer_dir"] == str(trainer) and loader.values["python"] == str(python)
    assert app.doc.result.cwd == str(trainer)
    app.undo()  # one undoable edit
    assert "trainer_dir" not in loader.values
    app.check_profiles(force=True)  # the folder's scripts are read before the editor goes
    gui.frames(2)
    page(gui).set_folder(None)
    assert page(gui).folder is None


def write_config_dialog(gui):
    app = gui.app
    gui.app.preview.select("JSON")
    gui.frames(2)
    row = gui.dpg.get_item_children(app.preview.pages["JSON"], 1)[0]
    button = gui.dpg.get_item_children(row, 1)[1]  # Copy JSON, Write config
    gui.click(*gui.centre(button))
    gui.frames(2)
    return app.dialogs.file_dialog


def test_write_config_with_no_trainer_folder_asks_where_and_leaves_the_start_folder_alone(gui, cwd, tmp_path):
    app = gui.app
    graph = small_graph()
    graph.node("script").values.pop("trainer_dir", None)
    folder = tmp_path / "graphs"
    folder.mkdir()
    graph_file = folder / "g.json"
    save_graph(graph, graph_file)
    assert app.open_path(str(graph_file))
    gui.frames(3)
    # the Script Loader says so on the node, and the preview says where Write config will write
    view = app.canvas.views["script"]
    note = tr("file.no_trainer_folder_note", cwd=str(cwd))
    assert ("warning", note) in view.shown_problems
    assert gui.dpg.get_value(app.preview.target) == tr("file.config_asks_where", name=app.doc.result.config_path)
    dialog = write_config_dialog(gui)
    assert dialog is not None, app.status_message()
    config = gui.dpg.get_item_configuration(dialog)
    assert Path(config["default_path"]).resolve() == folder.resolve()  # the graph's own folder
    chosen = tmp_path / "out dir" / "\u914d\u7f6e.json"
    chosen.parent.mkdir()
    gui.dpg.get_item_callback(dialog)(dialog, {"file_path_name": str(chosen), "selections": {}})
    gui.frames(2)
    assert json.loads(chosen.read_text(encoding="utf-8")) == app.doc.result.config
    assert app.status_message() == tr("file.wrote", path=str(chosen))
    assert os.listdir(cwd) == []


def test_write_config_of_an_unsaved_graph_offers_the_home_folder(gui, cwd):
    from dpg_lora.document import Document

    graph = small_graph()
    graph.node("script").values.pop("trainer_dir", None)
    gui.app.set_document(Document(graph))
    gui.frames(3)
    dialog = write_config_dialog(gui)
    assert dialog is not None
    assert Path(gui.dpg.get_item_configuration(dialog)["default_path"]) == Path(os.path.expanduser("~"))
    gui.app.dialogs.close_file_dialog()
    assert os.listdir(cwd) == []


def test_a_trainer_folder_writes_there_without_asking_and_the_node_says_nothing(gui, cwd, tmp_path):
    from dpg_lora.document import Document

    graph = small_graph()
    graph.node("script").values["trainer_dir"] = str(tmp_path)
    gui.app.set_document(Document(graph))
    gui.frames(3)
    note = tr("file.no_trainer_folder_note", cwd=str(cwd))
    assert ("warning", note) not in gui.app.canvas.views["script"].shown_problems
    dialog = write_config_dialog(gui)
    assert dialog is None
    result = gui.app.doc.result
    assert json.loads((tmp_path / result.config_path).read_text(encoding="utf-8")) == result.config
    assert os.listdir(cwd) == []


def test_switching_theme_on_the_start_page_keeps_it_whole(gui):
    app = gui.app
    count = len(page(gui).preset_items)
    app.switch_theme("light")
    gui.frames(3)
    assert_start_page(gui)
    assert len(page(gui).preset_items) == count > 0
    gui.double_click(*gui.centre(page(gui).preset_items[str(PRESETS / "single_image.json")]))
    gui.frames(3)
    assert_graph_shown(gui)
    app.switch_theme("dark")
    gui.frames(2)


def test_the_start_page_follows_a_language_switch(gui):
    from dpg_lora.i18n import load_catalogue

    app, dpg = gui.app, gui.dpg
    zh = load_catalogue("zh-CN")
    try:
        app.language_actions.set_language("zh-CN")
        gui.frames(3)
        assert dpg.get_item_label(page(gui).items["new"]) == zh.text("start.new_empty")
        texts = [dpg.get_value(t) for t in dpg.get_item_children(app.preview.problems, 1)]
        assert texts == [zh.text("start.no_graph_preview")]  # still nothing reported for no graph
        assert not app.graph_open and len(page(gui).preset_items) > 0
        gui.click(*gui.centre(page(gui).items["new"]))  # the rebuilt page still works
        gui.frames(3)
        assert_graph_shown(gui)
    finally:
        app.language_actions.set_language("en")
        gui.frames(2)
