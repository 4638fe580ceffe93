"""Run with no trainer folder set says one is needed and offers to choose it; it never starts
the trainer in the folder the editor was started from (real clicks on Run and in the dialog)."""
from __future__ import annotations

import json
import shutil
import sys

import pytest

from tests.gui.conftest import HEIGHT, WIDTH, Gui
from tests.gui.test_run_tab import FAKE_TRAINER, PRESET, SHIM, RunTab
from dpg_lora.ui.texts import tr


@pytest.fixture
def no_folder(dpg_viewport, tmp_path, monkeypatch):
    """The editor started in an empty folder, a graph whose Script Loader names no trainer folder."""
    from dpg_lora.ui.app import EditorApp

    started = tmp_path / "started here ü"
    started.mkdir()
    monkeypatch.chdir(started)
    monkeypatch.setenv("DPG_LORA_USER_DIR", str(tmp_path / "user"))
    monkeypatch.delenv("DPG_LORA_TRAINER_DIR", raising=False)
    monkeypatch.setenv("WANDB_MODE", "offline")
    trainer = tmp_path / "T2I Trainer ü"
    trainer.mkdir()
    shutil.copy(FAKE_TRAINER, trainer / "train_fake.py")
    (trainer / "train_longcat.py").write_text(SHIM, encoding="utf-8")
    data = json.loads(PRESET.read_text(encoding="utf-8"))
    for node in data["nodes"]:
        if node["type"] == "script_loader":
            node["values"].pop("trainer_dir", None)
            node["values"].update(python=sys.executable)
        if node["type"] == "misc_settings":
            node["values"]["report_to"] = "tensorboard"
    graph = tmp_path / "graph ü.json"
    graph.write_text(json.dumps(data), encoding="utf-8")
    app = EditorApp(runner=True).build(WIDTH, HEIGHT)
    dpg_viewport.set_primary_window(app.root, True)
    gui = Gui(app, dpg_viewport)
    gui.frames(3)
    assert app.open_path(str(graph))
    app.preview.select("Run")
    tab = RunTab(gui, trainer, graph, tmp_path)
    tab.options("--steps", "3")
    tab.until(tab.plan_ready, what="the plan")
    yield tab, started
    app.run_panel.manager.stop(grace=0)
    app.run_panel.manager.wait_idle(10)
    gui.xtest.fake_input(gui.xd, gui.X.ButtonRelease, 1)
    gui.xd.sync()
    gui.frames(1)
    app.destroy()
    gui.frames(1)
    gui.xd.close()


def modal_buttons(gui) -> dict[str, int]:
    dpg, modal = gui.dpg, gui.app.dialogs.modal
    assert modal is not None
    groups = [c for c in dpg.get_item_children(modal, 1) if dpg.get_item_type(c).endswith("Group")]
    return {dpg.get_item_label(b): b for g in groups for b in dpg.get_item_children(g, 1)}


def test_run_asks_for_a_trainer_folder_and_runs_there_once_chosen(no_folder):
    tab, started = no_folder
    app, gui, dpg = tab.app, tab.gui, tab.dpg
    from tests.gui.test_run_tab import check_lines

    assert any(line.startswith("[blocks] Trainer folder: not set") for line in check_lines(tab)), check_lines(tab)
    tab.click("run")  # real click on Run
    assert app.status_message() == tr("fixes.run_needs_folder", cwd=str(started))
    assert tab.panel.view.run_id is None and tab.panel.manager.history() == []
    buttons = modal_buttons(gui)
    assert list(buttons) == [tr("fixes.choose_folder"), tr("file.cancel")]
    text = [dpg.get_value(t) for t in dpg.get_item_children(app.dialogs.modal, 1)
            if dpg.get_item_type(t).endswith("mvText")]
    assert text == [tr("fixes.folder_needed", cwd=str(started))]
    gui.click(*gui.centre(buttons[tr("file.cancel")]))
    gui.frames(2)
    assert app.dialogs.modal is None and tab.panel.manager.history() == []
    app.run_training()  # Run -> Run training asks the same
    gui.frames(2)
    gui.click(*gui.centre(modal_buttons(gui)[tr("fixes.choose_folder")]))
    gui.frames(2)
    dialog = app.dialogs.file_dialog
    assert dialog is not None and dpg.get_item_configuration(dialog)["directory_selector"]
    dpg.get_item_callback(dialog)(dialog, {"file_path_name": str(tab.trainer), "selections": {}})
    assert app.status_message() == tr("fixes.folder_set", folder=str(tab.trainer))  # (the folder's scripts next)
    gui.frames(2)
    loader = next(n for n in app.doc.graph.nodes if n.type == "script_loader")
    assert loader.values["trainer_dir"] == str(tab.trainer)
    tab.until(lambda: tab.plan_ready() and "[ok] Trainer folder: found" in check_lines(tab), what="the plan")
    tab.click("run")
    tab.until(lambda: tab.panel.view.state == "finished", what="the run")
    assert (tab.trainer / "config.json").is_file() or any(tab.trainer.glob("*.json"))
    assert [p.name for p in started.iterdir()] == []  # nothing ran or was written where it started
    app.undo()  # the folder was one undoable edit
    assert "trainer_dir" not in loader.values
    app.check_profiles(force=True)  # the folder's scripts are read again before the editor goes
    gui.frames(3)
