"""Run with no trainer folder set says one is needed and offers to choose it; it never starts
the trainer in the folder the editor was started from (real clicks on Run and in the dialog)."""
from __future__ import annotations

import pytest

from dpg_lora.ui.texts import tr
from tests.gui.test_run_tab import check_lines, tab  # noqa: F401 - the Run tab fixture (a fake trainer folder)


@pytest.fixture
def no_folder(tab, tmp_path, monkeypatch):  # noqa: F811
    """The Run tab's graph with its Script Loader's Trainer directory cleared, the editor in an
    empty folder (and no DPG_LORA_TRAINER_DIR)."""
    started = tmp_path / "started here ü"
    started.mkdir()
    monkeypatch.chdir(started)
    monkeypatch.delenv("DPG_LORA_TRAINER_DIR", raising=False)
    tab.app.edit_value("script", "trainer_dir", "")
    tab.app.doc.seal()
    tab.until(lambda: tab.plan_ready() and tab.app.doc.result.cwd == ".", what="the plan without a folder")
    return tab, started


def modal_buttons(gui) -> dict[str, int]:
    dpg, modal = gui.dpg, gui.app.dialogs.modal
    assert modal is not None
    groups = [c for c in dpg.get_item_children(modal, 1) if dpg.get_item_type(c).endswith("Group")]
    return {dpg.get_item_label(b): b for g in groups for b in dpg.get_item_children(g, 1)}


def test_run_asks_for_a_trainer_folder_and_runs_there_once_chosen(no_folder):
    run_tab, started = no_folder
    app, gui, dpg = run_tab.app, run_tab.gui, run_tab.dpg

    assert any(line.startswith("[blocks] Trainer folder: not set") for line in check_lines(run_tab)), check_lines(run_tab)
    run_tab.click("run")  # real click on Run
    assert app.status_message() == tr("fixes.run_needs_folder", cwd=str(started))
    assert run_tab.panel.view.run_id is None and run_tab.panel.manager.history() == []
    buttons = modal_buttons(gui)
    assert list(buttons) == [tr("fixes.choose_folder"), tr("file.cancel")]
    text = [dpg.get_value(t) for t in dpg.get_item_children(app.dialogs.modal, 1)
            if dpg.get_item_type(t).endswith("mvText")]
    assert text == [tr("fixes.folder_needed", cwd=str(started))]
    gui.click(*gui.centre(buttons[tr("file.cancel")]))
    gui.frames(2)
    assert app.dialogs.modal is None and run_tab.panel.manager.history() == []
    app.run_training()  # Run -> Run training asks the same
    gui.frames(2)
    gui.click(*gui.centre(modal_buttons(gui)[tr("fixes.choose_folder")]))
    gui.frames(2)
    dialog = app.dialogs.file_dialog
    assert dialog is not None and dpg.get_item_configuration(dialog)["directory_selector"]
    dpg.get_item_callback(dialog)(dialog, {"file_path_name": str(run_tab.trainer), "selections": {}})
    assert app.status_message() == tr("fixes.folder_set", folder=str(run_tab.trainer))  # (the folder's scripts next)
    gui.frames(2)
    loader = next(n for n in app.doc.graph.nodes if n.type == "script_loader")
    assert loader.values["trainer_dir"] == str(run_tab.trainer)
    run_tab.until(lambda: run_tab.plan_ready() and "[ok] Trainer folder: found" in check_lines(run_tab), what="the plan")
    run_tab.click("run")
    run_tab.until(lambda: run_tab.panel.view.state == "finished", what="the run")
    assert (run_tab.trainer / "run config.json").is_file()  # the config went to the chosen folder
    assert [p.name for p in started.iterdir()] == []  # nothing ran or was written where it started
    app.undo()  # the folder was one undoable edit
    assert app.doc.graph.node("script").values.get("trainer_dir") == ""
    app.check_profiles(force=True)  # the folder's scripts are read again before the editor goes
    gui.frames(3)
