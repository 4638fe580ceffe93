"""The preset browser renders PresetInfo lists and forwards clicks (a context, no viewport/display)."""
from __future__ import annotations

from pathlib import Path

import pytest

dpg = pytest.importorskip("dearpygui.dearpygui")

from dpg_lora.presets import BUILTIN, USER, PresetInfo  # noqa: E402
from dpg_lora.ui.presets_panel import PresetsPanel  # noqa: E402

INFOS = [
    PresetInfo("Single images", "one folder", Path("/p/single.json"), BUILTIN, "train_longcat.py", 14),
    PresetInfo("Flux refs", "references", Path("/p/flux.json"), BUILTIN, "train_flux2klein.py", 18),
    PresetInfo("Mine ü", "my own", Path("/u/mine.json"), USER, "train_longcat.py", 3),
    PresetInfo("broken", "", Path("/u/broken.json"), USER, "", 0, "/u/broken.json: line 1: not JSON"),
]


class Recorder:
    def __init__(self):
        self.calls: list[tuple] = []

    def preset_infos(self):
        return INFOS

    def open_preset(self, info):
        self.calls.append(("open", info.name))

    def save_current_as_preset(self, name):
        self.calls.append(("save_as", name))

    def rename_preset(self, info, name):
        self.calls.append(("rename", info.name, name))

    def duplicate_preset(self, info):
        self.calls.append(("duplicate", info.name))

    def delete_preset(self, info):
        self.calls.append(("delete", info.name))


@pytest.fixture
def window(headless_window):
    return headless_window


def _labels(panel: PresetsPanel) -> list[str]:
    return [dpg.get_item_label(i) for i in dpg.get_item_children(panel.tags["list"], 1)
            if dpg.get_item_type(i).endswith("mvSelectable")]


def _enabled(panel: PresetsPanel, key: str) -> bool:
    return dpg.get_item_configuration(panel.tags[key])["enabled"]


def test_lists_with_badge_and_searches(window):
    panel = PresetsPanel(window, Recorder())
    panel.build()
    assert _labels(panel) == ["Single images", "Flux refs", "[user] Mine ü", "! [user] broken"]
    dpg.set_value(panel.tags["search"], "flux2")
    panel._render_list()
    assert _labels(panel) == ["Flux refs"]
    dpg.set_value(panel.tags["search"], "nothing like this")
    panel._render_list()
    assert [dpg.get_value(i) for i in dpg.get_item_children(panel.tags["list"], 1)] == ["no presets match"]


def test_builtin_is_read_only_user_actions_forward(window):
    store = Recorder()
    panel = PresetsPanel(window, store)
    panel.build()
    assert not _enabled(panel, "open")  # nothing selected
    panel._select(INFOS[0])
    assert _enabled(panel, "open") and _enabled(panel, "duplicate") and _enabled(panel, "save_as")
    assert not _enabled(panel, "rename") and not _enabled(panel, "delete")
    panel._open_clicked()
    dpg.set_value(panel.tags["name"], "  Copy of single ")
    panel._save_as_clicked()

    panel._select(INFOS[2])
    assert _enabled(panel, "rename") and _enabled(panel, "delete")
    assert dpg.get_value(panel.tags["name"]) == "Mine ü"
    dpg.set_value(panel.tags["name"], "Renamed")
    panel._rename_clicked()
    panel._forward("duplicate_preset")
    panel._delete_clicked()  # asks for a second click
    assert ("delete", "Mine ü") not in store.calls
    panel._delete_clicked()
    assert store.calls == [("open", "Single images"), ("save_as", "Copy of single"),
                           ("rename", "Mine ü", "Renamed"), ("duplicate", "Mine ü"), ("delete", "Mine ü")]


def test_broken_file_cannot_be_opened_and_refresh_keeps_selection(window):
    panel = PresetsPanel(window, Recorder())
    panel.build()
    panel._select(INFOS[3])
    assert not _enabled(panel, "open") and not _enabled(panel, "duplicate") and _enabled(panel, "delete")
    panel.refresh(INFOS[2:])
    assert panel.selected == INFOS[3]
    panel.refresh(INFOS[:2])
    assert panel.selected is None and not _enabled(panel, "delete")


def test_missing_callbacks_disable_buttons_and_default_listing(window, tmp_path, monkeypatch):
    monkeypatch.setenv("DPG_LORA_USER_DIR", str(tmp_path / "user"))

    class OnlyOpen:
        presets_dir = Path(__file__).resolve().parents[2] / "presets"

        def __init__(self):
            self.opened = []

        def open_path_asking(self, path):
            self.opened.append(path)

    owner = OnlyOpen()
    panel = PresetsPanel(window, owner)
    panel.build()
    assert len(panel.infos) == len(list(OnlyOpen.presets_dir.glob("*.json")))
    panel._select(panel.infos[0])
    assert _enabled(panel, "open") and not _enabled(panel, "save_as") and not _enabled(panel, "duplicate")
    panel._open_clicked()
    assert owner.opened == [str(panel.infos[0].path)]
