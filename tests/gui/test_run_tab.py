"""The Run tab before, during and after a run, its history, frozen config, diff and Run again,
driven with real X input in the editor (a fake trainer printing tqdm-like progress).

Set DPG_LORA_RUN_TAB_SHOTS=<folder> to keep the screenshots (before, during, after, history).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import sys
import time
from pathlib import Path

import pytest

from tests.gui.conftest import HEIGHT, WIDTH, Gui

ROOT = Path(__file__).resolve().parents[2]
PRESET = ROOT / "presets" / "single_image.json"
FAKE_TRAINER = ROOT / "tests" / "runner" / "fake_trainer.py"
# train_longcat.py here runs the fake trainer with the options in fake-options.json
SHIM = r'''
import json, os, runpy, sys
here = os.path.dirname(os.path.abspath(__file__))
extra = json.load(open(os.path.join(here, "fake-options.json")))
sys.argv = [os.path.join(here, "train_fake.py"), *sys.argv[1:], *extra]
runpy.run_path(sys.argv[0], run_name="__main__")
'''


class RunTab:
    def __init__(self, gui: Gui, trainer: Path, graph: Path, tmp: Path):
        self.gui, self.trainer, self.graph, self.tmp = gui, trainer, graph, tmp
        self.app = gui.app
        self.panel = gui.app.run_panel
        self.dpg = gui.dpg

    def options(self, *opts: str) -> None:
        (self.trainer / "fake-options.json").write_text(json.dumps(list(opts)))

    def value(self, tag: str):
        return self.dpg.get_value(self.panel.tags[tag])

    def shown(self, tag: str) -> bool:
        item = self.panel.tags[tag]
        return self.dpg.is_item_shown(item) and self.dpg.get_item_configuration(item)["show"]

    def enabled(self, tag: str) -> bool:
        return self.dpg.get_item_configuration(self.panel.tags[tag])["enabled"]

    def overlay(self) -> str:
        return self.dpg.get_item_configuration(self.panel.tags["progress"])["overlay"]

    def until(self, predicate, timeout: float = 30.0, what: str = "") -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what or predicate}; "
                                     f"state {self.value('state')!r}")
            self.gui.frames(1)
            time.sleep(0.01)
        self.gui.frames(2)

    def click(self, item) -> None:
        """A real click in the middle of `item` (a tag name or an item), scrolled into view."""
        item = self.panel.tags.get(item, item) if isinstance(item, str) else item
        self.gui.frames(2)
        x0, y0, x1, y1 = self.gui.rect(item)
        if y1 > HEIGHT - 30 or y0 < 60:  # below the fold: scroll the preview to it
            window = self.dpg.get_item_parent(self.panel.parent)
            while window and self.dpg.get_item_type(window) != "mvAppItemType::mvChildWindow":
                window = self.dpg.get_item_parent(window)
            if window:
                self.dpg.set_y_scroll(window, max(0.0, self.dpg.get_y_scroll(window) + y0 - HEIGHT / 2))
                self.gui.frames(3)
                x0, y0, x1, y1 = self.gui.rect(item)
        self.gui.click(int((x0 + x1) / 2), int((y0 + y1) / 2))
        self.gui.frames(2)

    def plan_ready(self) -> bool:
        return self.panel.plan is not None and self.panel.plan_is_current()

    def shot(self, name: str) -> None:
        folder = os.environ.get("DPG_LORA_RUN_TAB_SHOTS")
        path = Path(folder) / f"run-tab-{name}.png" if folder else self.tmp / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        self.gui.frames(3)
        self.gui.shot(str(path))
        assert path.stat().st_size > 10_000


@pytest.fixture
def tab(dpg_viewport, tmp_path, monkeypatch):
    from dpg_lora.ui.app import EditorApp

    monkeypatch.setenv("DPG_LORA_USER_DIR", str(tmp_path / "user"))
    monkeypatch.setenv("WANDB_MODE", "offline")  # no finding depends on this machine's W&B login
    trainer = tmp_path / "T2I Trainer ü"
    trainer.mkdir()
    shutil.copy(FAKE_TRAINER, trainer / "train_fake.py")
    (trainer / "train_longcat.py").write_text(SHIM, encoding="utf-8")
    data = json.loads(PRESET.read_text(encoding="utf-8"))
    for node in data["nodes"]:
        if node["type"] == "script_loader":
            node["values"].update(trainer_dir=str(trainer), python=sys.executable, config_path="run config.json")
        if node["type"] == "misc_settings":
            node["values"]["report_to"] = "tensorboard"
    graph = tmp_path / "graph ü.json"
    graph.write_text(json.dumps(data), encoding="utf-8")
    dpg = dpg_viewport
    app = EditorApp(runner=True).build(WIDTH, HEIGHT)
    dpg.set_primary_window(app.root, True)
    gui = Gui(app, dpg)
    gui.frames(3)
    assert app.open_path(str(graph))
    app.preview.select("Run")
    tab = RunTab(gui, trainer, graph, tmp_path)
    tab.options("--steps", "3")
    tab.until(tab.plan_ready, what="the plan")
    yield tab
    app.run_panel.manager.stop(grace=0)
    app.run_panel.manager.wait_idle(10)
    gui.xtest.fake_input(gui.xd, gui.X.ButtonRelease, 1)
    gui.xd.sync()
    gui.frames(1)
    app.destroy()
    gui.frames(1)
    gui.xd.close()


def check_lines(tab: RunTab) -> list[str]:
    dpg = tab.dpg
    lines = []
    for row in dpg.get_item_children(tab.panel.tags["checks"], 1):
        lines.append(" ".join(dpg.get_value(t) for t in dpg.get_item_children(row, 1)))
    return lines


def test_before_a_run_the_tab_says_what_will_run_and_what_is_checked(tab):
    from dpg_lora.compiler import shell_command

    result = tab.app.doc.result
    assert tab.value("state") == "idle"
    assert tab.value("plan_host") == "this machine"
    assert tab.value("plan_cwd") == str(tab.trainer)
    assert tab.value("plan_config") == str(tab.trainer / "run config.json")
    assert tab.value("plan_command") == shell_command(result.argv)
    assert tab.value("plan_note") == "ready to run"
    lines = check_lines(tab)
    assert lines[0].startswith("[ok] Validation:") or lines[0].startswith("[warning] Validation:")
    assert "[ok] Trainer folder: found" in lines
    assert "[ok] Config file: can be written" in lines
    assert f"[ok] Interpreter: {sys.executable}" in lines
    assert f"[ok] Script: {tab.trainer / 'train_longcat.py'}" in lines
    assert "[ok] W&B login: not needed (report_to: tensorboard)" in lines
    assert "No run is queued" in tab.value("queue")
    assert not tab.enabled("stop")  # nothing runs
    assert not tab.shown("run_group")  # no empty plot, no empty log
    assert tab.value("history_empty") == "No run on record yet."
    assert not tab.enabled("open_config") and not tab.enabled("run_again")  # no run chosen
    tab.shot("before")
    tab.click("copy_command")  # real click: the exact command on the clipboard
    assert tab.dpg.get_clipboard_text() == shell_command(result.argv)
    # a missing interpreter blocks, and says which
    tab.app.edit_value("script", "python", str(tab.tmp / "no python"))
    tab.until(lambda: tab.plan_ready() and "blocked" in tab.value("plan_note"), what="blocked")
    assert f"[blocks] Interpreter: not found: {tab.tmp / 'no python'}" in check_lines(tab)
    assert tab.value("plan_note") == "blocked: 1 check(s) below must pass first"


def test_during_and_after_a_run_the_final_state_replaces_the_live_figures(tab):
    tab.options("--steps", "40", "--delay", "0.05")
    tab.click("run")  # real click on Run
    tab.until(lambda: tab.panel.view.progress is not None and tab.panel.view.progress.step >= 5, what="progress")
    assert tab.value("state") == "running"
    assert re.match(r"\d+\.\d\d it/s  ETA \d\d:\d\d  loss ", tab.value("eta")), tab.value("eta")
    assert re.fullmatch(r"step \d+/40  \d+\.\d%", tab.overlay()), tab.overlay()
    assert tab.enabled("stop") and tab.shown("run_group")
    assert tab.value("on_view") == f"Run {tab.panel.view.run_id} of {tab.graph.name}"
    assert f"running: {tab.panel.view.run_id}" in tab.value("queue")
    tab.shot("during")
    tab.until(lambda: tab.panel.view.state == "finished", what="finished")
    state = tab.value("state")
    assert re.fullmatch(r"finished in \d\d:\d\d, exit 0", state), state
    # no stale ETA or speed: the last loss and epoch stay
    assert re.fullmatch(r"loss [0-9.]+  epoch 2/2", tab.value("eta")), tab.value("eta")
    assert tab.overlay() == "step 40/40  100.0%"
    assert not tab.enabled("stop")
    assert "End Training" in tab.value("log")
    tab.shot("after")


def test_stop_says_where_the_run_stopped(tab):
    tab.options("--steps", "1000", "--delay", "0.05")
    tab.click("run")
    tab.until(lambda: tab.panel.view.progress is not None and tab.panel.view.progress.step >= 3, what="steps")
    tab.click("stop")  # real click on Stop
    tab.until(lambda: tab.panel.view.state == "stopped", what="stopped")
    state = tab.value("state")
    assert re.fullmatch(r"stopped at step \d+/1000 after \d\d:\d\d", state), state
    assert "ETA" not in tab.value("eta") and "it/s" not in tab.value("eta")
    assert not tab.enabled("stop")
    tab.shot("stopped")


def test_opening_another_graph_does_not_show_the_old_runs_progress(tab):
    tab.click("run")
    tab.until(lambda: tab.panel.view.state == "finished", what="finished")
    assert tab.shown("run_group") and "step 3/3" in tab.overlay()
    other = tab.tmp / "other.json"
    other.write_text(tab.graph.read_text(encoding="utf-8"), encoding="utf-8")
    assert tab.app.open_path(str(other))
    tab.until(lambda: tab.plan_ready() and not tab.shown("run_group"), what="the new graph's plan")
    assert tab.value("state") == "idle" and tab.panel.view.run_id is None
    assert tab.panel.view.progress is None
    # the ended run is still on record
    assert len(tab.panel.history_labels()) == 1


def test_history_selection_shows_that_run_and_its_frozen_config_diff_and_run_again(tab):
    from dpg_lora.runner.records import frozen_config_text, list_records

    tab.options("--steps", "3")
    tab.click("run")
    tab.until(lambda: tab.panel.view.state == "finished", what="first run")
    first = tab.panel.view.run_id
    tab.options("--crash")
    tab.click("run")
    tab.until(lambda: tab.panel.view.run_id != first and tab.panel.view.state == "failed", what="second run")
    second = tab.panel.view.run_id
    assert "CUDA out of memory" in tab.value("log")
    tab.until(lambda: len(tab.panel.history_labels()) == 2, what="two entries")
    # choose the first run in the history: its figures and log, not the last run's
    tab.click(tab.panel.history_items[first])
    assert tab.panel.view.run_id == first
    assert tab.value("state").startswith("finished in ") and "step 3/3" in tab.overlay()
    assert "CUDA out of memory" not in tab.value("log") and "End Training" in tab.value("log")
    assert tab.dpg.get_value(tab.panel.history_items[first]) is True
    assert tab.dpg.get_value(tab.panel.history_items[second]) is False
    # its log and frozen config
    tab.click("open_log")
    assert first in tab.value("detail_title") and "End Training" in tab.value("detail")
    tab.click("open_config")
    record = next(r for r in list_records(tab.app.run_panel.manager.runs_dir) if r.id == first)
    assert tab.value("detail") == frozen_config_text(record) == record.frozen_config_path.read_text()
    assert str(record.frozen_config_path) in tab.value("detail_title")
    tab.shot("history")
    # what changed since: edit the graph, then compare
    rank = tab.app.doc.result.config["rank"]
    tab.app.edit_value("lora", "rank", rank * 2)
    tab.gui.frames(3)
    tab.click("open_diff")
    assert f"~ rank: {rank} -> {rank * 2}" in tab.value("detail").splitlines()
    assert "(1 change(s))" in tab.value("detail_title")
    # Run again asks first; Cancel starts nothing
    tab.click("run_again")
    assert tab.shown("again_dialog") and first in tab.value("again_text")
    tab.click("again_no")
    assert not tab.shown("again_dialog") and len(tab.panel.manager.history()) == 2
    tab.options("--steps", "3")
    tab.click("run_again")
    tab.click("again_yes")
    tab.until(lambda: tab.panel.view.run_id not in (first, second) and tab.panel.view.state == "finished",
              what="the run again")
    again = next(r for r in list_records(tab.app.run_panel.manager.runs_dir) if r.id == tab.panel.view.run_id)
    # as it was: same command, folder and config path, the frozen config (rank unchanged)
    assert (again.argv, again.cwd, again.config_path, again.host) == (record.argv, record.cwd,
                                                                     record.config_path, record.host)
    assert frozen_config_text(again) == frozen_config_text(record)
    assert json.loads(frozen_config_text(again))["rank"] == rank
    assert "config: " in tab.value("log")  # the trainer read the config file written for it


def test_a_language_switch_redraws_the_tab_in_chinese(tab):
    from dpg_lora.i18n import load_catalogue
    from dpg_lora.ui import texts

    tab.click("run")
    tab.until(lambda: tab.panel.view.state == "finished", what="finished")
    try:
        texts.use(load_catalogue("zh-CN"))
        tab.panel.retranslate()
        tab.gui.frames(3)
        assert tab.dpg.get_item_label(tab.panel.tags["run"]) == "运行"
        assert tab.dpg.get_item_label(tab.panel.tags["plan_header"]) == "运行将启动的内容"
        assert re.fullmatch(r"已完成，用时 \d\d:\d\d，退出码 0", tab.value("state")), tab.value("state")
        assert tab.value("plan_host") == "本机"
        assert any(line.startswith("[通过] 解释器: ") for line in check_lines(tab))
        assert tab.overlay() == "第 3/3 步  100.0%"
        assert "已完成" in tab.panel.history_labels()[0]
    finally:
        texts.use(load_catalogue("en"))
        tab.panel.retranslate()
    tab.gui.frames(3)
    assert tab.dpg.get_item_label(tab.panel.tags["run"]) == "Run"
    assert tab.value("state").startswith("finished in ")
