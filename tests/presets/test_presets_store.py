from __future__ import annotations

import pytest

from dpg_lora.graph import load_graph
from dpg_lora.presets import (BUILTIN, USER, PresetError, PresetExistsError, ReadOnlyPresetError,
                              delete_preset, duplicate_preset, list_presets, rename_preset,
                              safe_stem, save_as_user_preset, save_preset, search, user_preset_path)
from dpg_lora.settings import Settings

from .helpers import make_settings, write_graph


@pytest.fixture
def settings(tmp_path) -> Settings:
    s = make_settings(tmp_path)
    write_graph(s.presets_dir / "alpha.json", "Alpha", description="single images")
    write_graph(s.presets_dir / "beta.json", "Beta", script="train_flux2klein.py")
    return s


def test_listing_builtin_and_user_with_broken_and_non_ascii(settings):
    user = settings.user_presets_dir
    write_graph(user / "Ünïcode 日本.json", "Ünïcode 日本", description="dé")
    (user / "broken.json").write_text('{"format": "dpg-lora-graph", "version": 1, "nodes": [', encoding="utf-8")
    (user / "notgraph.json").write_text("[1, 2]", encoding="utf-8")
    (user / "badbytes.json").write_bytes(b"\xff\xfe\x00garbage")
    (user / ".alpha.json.123.tmp").write_text("{")
    (user / "readme.txt").write_text("x")
    infos = list_presets(settings)
    assert [(i.source, i.path.name) for i in infos] == [
        (BUILTIN, "alpha.json"), (BUILTIN, "beta.json"),
        (USER, "badbytes.json"), (USER, "broken.json"), (USER, "notgraph.json"), (USER, "Ünïcode 日本.json")]
    by_name = {i.path.name: i for i in infos}
    assert by_name["alpha.json"].name == "Alpha" and by_name["alpha.json"].error is None
    assert by_name["alpha.json"].script == "train_longcat.py" and by_name["alpha.json"].node_count == 1
    assert by_name["beta.json"].script == "train_flux2klein.py"
    assert by_name["Ünïcode 日本.json"].name == "Ünïcode 日本" and by_name["Ünïcode 日本.json"].error is None
    for broken in ("badbytes.json", "broken.json", "notgraph.json"):
        info = by_name[broken]
        assert info.error and str(info.path) in info.error and info.name == info.path.stem
    assert "not JSON" in by_name["broken.json"].error
    assert "not UTF-8" in by_name["badbytes.json"].error


def test_missing_user_folder_lists_builtins_only(settings):
    assert not settings.user_dir.exists()
    assert [i.name for i in list_presets(settings)] == ["Alpha", "Beta"]
    assert not settings.user_dir.exists()  # listing does not create it


def test_search(settings):
    infos = list_presets(settings)
    assert [i.name for i in search(infos, "")] == ["Alpha", "Beta"]
    assert [i.name for i in search(infos, "SINGLE")] == ["Alpha"]
    assert [i.name for i in search(infos, "flux2 beta")] == ["Beta"]
    assert [i.name for i in search(infos, "alpha flux")] == []
    assert [i.name for i in search(infos, "builtin")] == ["Alpha", "Beta"]


@pytest.mark.parametrize("name, stem", [
    ("My preset", "My preset"),
    ("../../etc/passwd", "etc_passwd"),
    ("a/b\\c:d*e?f\"g<h>i|j", "a_b_c_d_e_f_g_h_i_j"),
    ("  ..hidden.. ", "hidden"),
    ("CON", "_CON"),
    ("日本語 ünï", "日本語 ünï"),
    ("///", "preset"),
    ("x" * 300, "x" * 80),
])
def test_safe_stem(name, stem):
    assert safe_stem(name) == stem


def test_names_never_escape_the_user_folder(settings):
    for name in ("../escape", "/abs/path", "..", "a/../../b", "C:\\Windows\\x", "\x00nul"):
        path = user_preset_path(settings, name)
        assert path.parent == settings.user_presets_dir


def test_save_rename_duplicate_delete(settings):
    graph = load_graph(settings.presets_dir / "alpha.json")
    saved = save_preset(settings, graph, "Mine ü")
    assert saved.source == USER and saved.path == settings.user_presets_dir / "Mine ü.json"
    assert saved.name == "Mine ü" and saved.error is None
    assert load_graph(saved.path).nodes == graph.nodes
    assert not list(settings.user_presets_dir.glob(".*"))  # no temp file left
    with pytest.raises(PresetExistsError):
        save_preset(settings, graph, "Mine ü")
    save_preset(settings, graph, "Mine ü", overwrite=True)

    copy1 = duplicate_preset(settings, saved)
    copy2 = duplicate_preset(settings, saved)
    assert (copy1.name, copy2.name) == ("Mine ü copy", "Mine ü copy 2")

    renamed = rename_preset(settings, copy1, "Renamed")
    assert renamed.name == "Renamed" and renamed.path.name == "Renamed.json"
    assert not copy1.path.exists()
    with pytest.raises(PresetExistsError):
        rename_preset(settings, renamed, "Mine ü")
    same = rename_preset(settings, renamed, "renamed")  # a case change is a rename too
    assert same.name == "renamed" and same.path.exists()

    delete_preset(settings, copy2)
    assert not copy2.path.exists()
    assert sorted(i.name for i in list_presets(settings) if i.source == USER) == ["Mine ü", "renamed"]


def test_builtins_are_read_only_and_save_as_copies(settings):
    alpha = next(i for i in list_presets(settings) if i.name == "Alpha")
    for op in (lambda: rename_preset(settings, alpha, "x"), lambda: delete_preset(settings, alpha),
               lambda: duplicate_preset(settings, alpha)):
        with pytest.raises(ReadOnlyPresetError, match="built-in presets are read-only"):
            op()
    assert alpha.path.exists()
    copy = save_as_user_preset(settings, alpha)
    assert copy.source == USER and copy.name == "Alpha" and copy.path.parent == settings.user_presets_dir
    again = save_as_user_preset(settings, alpha)
    assert again.name == "Alpha 2"
    named = save_as_user_preset(settings, alpha, "Custom")
    assert named.path.name == "Custom.json"


def test_broken_user_preset_can_be_renamed_and_deleted_not_copied(settings):
    path = settings.ensure_dir(settings.user_presets_dir) / "bad.json"
    path.write_text("{", encoding="utf-8")
    [bad] = [i for i in list_presets(settings) if i.error]
    with pytest.raises(PresetError, match="broken"):
        duplicate_preset(settings, bad)
    moved = rename_preset(settings, bad, "still bad")
    assert moved.path.name == "still bad.json" and moved.error and not path.exists()
    delete_preset(settings, moved)
    assert not moved.path.exists()


def test_empty_name_refused(settings):
    graph = load_graph(settings.presets_dir / "alpha.json")
    with pytest.raises(PresetError, match="needs a name"):
        save_preset(settings, graph, "   ")


def test_file_broken_after_listing_is_a_preset_error(settings):
    saved = save_preset(settings, load_graph(settings.presets_dir / "alpha.json"), "Soon broken")
    saved.path.write_text("{", encoding="utf-8")
    for op in (lambda: duplicate_preset(settings, saved), lambda: rename_preset(settings, saved, "x"),
               lambda: save_as_user_preset(settings, saved)):
        with pytest.raises(PresetError, match="cannot read the preset 'Soon broken'"):
            op()
    assert saved.path.exists()
