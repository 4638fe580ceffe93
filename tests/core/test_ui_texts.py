"""No user-visible string in dpg_lora/ui/ bypasses the catalogue (`tr`), and every key used exists.

The scanner is dpg_lora/i18n/scan.py (`python -m dpg_lora.i18n.scan dpg_lora/ui/x.py` lists a
file's findings). PENDING holds the files not converted yet: the owner of a file removes it in
the commit that converts it. A file in PENDING with nothing left to convert fails too, so the set
only shrinks.
"""
from pathlib import Path

import pytest

from dpg_lora.i18n import load_catalogue
from dpg_lora.i18n.scan import is_code_text, is_shortcut, keys_used, scan_file, scan_source

UI_DIR = Path(__file__).resolve().parents[2] / "dpg_lora" / "ui"

PENDING = frozenset({
})


def ui_files() -> list[Path]:
    return sorted(UI_DIR.glob("*.py"))


def test_pending_names_existing_files():
    names = {p.name for p in ui_files()}
    assert PENDING <= names, sorted(PENDING - names)


@pytest.mark.parametrize("path", ui_files(), ids=lambda p: p.name)
def test_no_ui_text_bypasses_the_catalogue(path):
    findings = scan_file(path)
    if path.name in PENDING:
        assert findings, f"{path.name} has no text left to convert: remove it from PENDING"
    else:
        assert not findings, "texts that do not come from tr():\n" + "\n".join(map(str, findings))


def test_every_key_used_in_the_ui_exists_in_the_catalogue():
    catalogue = load_catalogue("en")
    missing = [f"{path.name}:{line}: {key}" for path in ui_files()
               for line, key in keys_used(path.read_text(encoding="utf-8")) if not catalogue.has(key)]
    assert not missing, "\n".join(missing)


SAMPLE = '''
"""A docstring with many words is not text."""
import dearpygui.dearpygui as dpg
from dpg_lora.ui.texts import tr

MODES = {"Bottom right": "mvNodeMiniMap_Location_BottomRight"}
STYLES = (("mvStyleVar_FramePadding", PAD, True),)

def build(app, n, host):
    dpg.add_button(label="Open")
    dpg.add_button(label=tr("presets.open"))
    dpg.add_input_text(hint="search")
    dpg.add_text("Presets")
    dpg.add_text(f"{n} nodes")
    dpg.add_text(f"{n:.1f}")
    dpg.add_text("")
    dpg.add_text(" | ")
    dpg.set_value(app.status_line, "Ready")
    dpg.set_value(app.toggle, False)
    app.status(f"Saved {n}")
    app.status(tr("app.saved", path=n))
    app.dialogs.ask(tr("a.t"), tr("a.m"), [("Keep", None), (tr("a.b"), app.quit)])
    menu = [("New", "Ctrl+N", app.new), (tr("menu.open"), "Ctrl+O", app.open), ("Hint", "double-click title", app.x)]
    where = f"  on {host}"
    dpg.add_text(app.theme.color("muted_text"))
    dpg.add_theme_color(getattr(dpg, f"mvThemeCol_{n}"), (1, 2, 3))
    lines = (("error", n), ("warning", n))
    if n == "two words":
        pass
    when = time.strftime("%Y-%m-%d %H:%M")
    raise ValueError("wait and post come together")
'''


def test_the_scanner_finds_literals_in_visible_places_and_leaves_code_alone():
    found = {(f.text, f.where) for f in scan_source(SAMPLE)}
    assert found == {("Bottom right", "prose"), ("Open", "label="), ("search", "hint="), ("Presets", "add_text()"),
                     ("{} nodes", "add_text()"), ("Ready", "set_value()"), ("Saved {}", "status()"),
                     ("Keep", "ask()"), ("New", "menu or button label"), ("Hint", "menu or button label"),
                     ("double-click title", "menu shortcut hint"), ("  on {}", "prose")}


def test_keys_used_lists_literal_tr_keys():
    assert [key for _, key in keys_used(SAMPLE)] == ["presets.open", "app.saved", "a.t", "a.m", "a.b", "menu.open"]


@pytest.mark.parametrize("text,code", [("", True), (" | ", True), ("%.1f", True), ("\u2026", True),
                                       ("{n}%", True), ("muted_text", True), ("graph.json", True),
                                       ("dpg-lora", True), ("/Library/Fonts/Arial Unicode.ttf", True),
                                       ("C:/Windows/Fonts/msyh.ttc", True), ("Open", False), ("search", False),
                                       ("Zoom in", False), ("{n} nodes", False)])
def test_code_text_rule(text, code):
    assert is_code_text(text) is code


@pytest.mark.parametrize("text,shortcut", [("Ctrl+S", True), ("Home / F", True), ("Del", True), ("+", True),
                                           ("Ctrl+Space", True), ("double-click title", False)])
def test_shortcut_rule(text, shortcut):
    assert is_shortcut(text) is shortcut
