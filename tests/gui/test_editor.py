"""The editor under Xvfb with real mouse and keyboard input."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from dpg_lora.compiler import compile_graph
from dpg_lora.document import Document
from dpg_lora.graph import graph_to_text, load_graph
from tests.core.util import small_graph

PRESETS = sorted((Path(__file__).resolve().parents[2] / "presets").glob("*.json"))


def open_graph(gui, graph):
    """Open a graph and show it at 100% (opening fits it; these tests click fields)."""
    gui.app.set_document(Document(graph))
    gui.at_zoom(1.0)
    return gui.app.doc


def preview_json(gui) -> str:
    return gui.dpg.get_value(gui.app.preview.json)


def graph_with_spare_image(gui):
    graph = small_graph()
    doc = open_graph(gui, graph)
    doc.add_node("image_item", (330, 470), {"key": "extra", "suffix": "_X"})
    gui.frames(3)
    return doc


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.stem)
def test_every_preset_previews_exactly_what_compile_writes(gui, preset):
    assert gui.app.open_path(str(preset))
    gui.frames(3)
    assert preview_json(gui) == compile_graph(load_graph(preset)).config_text
    assert len(gui.app.canvas.views) == len(load_graph(preset).nodes)
    assert len(gui.app.canvas.links) == len(load_graph(preset).links)


def test_presets_exist():
    assert PRESETS, "presets/ is empty"


def test_mouse_drag_creates_a_link_and_updates_the_preview(gui):
    doc = graph_with_spare_image(gui)
    assert '"extra"' not in preview_json(gui)
    gui.drag(gui.pin("image_item_1"), gui.pin("il0", "items"))
    assert doc.find_link("image_item_1", "il0", "items") is not None
    image_configs = json.loads(preview_json(gui))["dataset_configs"][0]["image_configs"]
    assert list(image_configs) == ["train", "extra"]
    assert len(gui.app.canvas.links) == len(doc.graph.links)


def test_incompatible_link_is_refused_with_a_reason(gui):
    doc = open_graph(gui, small_graph())
    before = graph_to_text(doc.graph)
    links_before = len(gui.app.canvas.links)
    gui.drag(gui.pin("cap0"), gui.pin("il0", "items"))
    assert "refused" in gui.app.status_message()
    assert "takes a" in gui.app.status_message()
    assert graph_to_text(doc.graph) == before
    assert len(gui.app.canvas.links) == links_before


def test_typing_into_a_field_then_undo_and_redo(gui):
    doc = open_graph(gui, small_graph())
    before = graph_to_text(doc.graph)
    gui.show("lora")
    rank = gui.app.canvas.views["lora"].fields["rank"].widget
    gui.click(*gui.centre(rank))
    gui.key("a", "Control_L")
    gui.type("32")
    gui.key("Return")
    assert doc.graph.node("lora").values["rank"] == 32
    assert json.loads(preview_json(gui))["rank"] == 32
    assert gui.dpg.get_viewport_title().startswith("*")
    gui.click(*gui.empty_canvas_point())  # leave the field so Ctrl+Z is the editor's
    gui.key("z", "Control_L")
    assert graph_to_text(doc.graph) == before
    assert json.loads(preview_json(gui))["rank"] == 8
    assert gui.dpg.get_value(rank) == "8"  # number fields are text boxes (nothing clamps unseen)
    assert not gui.dpg.get_viewport_title().startswith("*")
    gui.key("y", "Control_L")
    assert doc.graph.node("lora").values["rank"] == 32
    assert gui.dpg.get_value(rank) == "32"


def test_delete_key_removes_the_selected_node_and_undo_restores_it(gui):
    doc = open_graph(gui, small_graph())
    before = graph_to_text(doc.graph)
    gui.click(*gui.title("cap0"))
    assert gui.app.canvas.selection()[0] == ["cap0"]
    gui.key("Delete")
    assert "cap0" not in {n.id for n in doc.graph.nodes}
    assert "cap0" not in gui.app.canvas.views
    assert json.loads(preview_json(gui))["dataset_configs"][0]["caption_configs"] == {}
    gui.key("z", "Control_L")
    assert graph_to_text(doc.graph) == before
    assert "cap0" in gui.app.canvas.views


def test_copy_paste_and_duplicate_keep_internal_links(gui):
    doc = open_graph(gui, small_graph())
    gui.click(*gui.title("cap0"))
    gui.key("c", "Control_L")
    gui.move(*gui.empty_canvas_point())
    gui.key("v", "Control_L")
    assert "caption_item_1" in gui.app.canvas.views
    pasted = doc.graph.node("caption_item_1")
    assert pasted.values == doc.graph.node("cap0").values
    gui.click(*gui.title("cl0"))
    gui.key("d", "Control_L")
    assert any(n.type == "caption_list" and n.id != "cl0" for n in doc.graph.nodes)
    # a two-node selection keeps the link between the copies
    payload = doc.copy(["cap0", "cl0"])
    new_ids = doc.paste(payload)
    gui.frames(2)
    new_item = next(i for i in new_ids if doc.graph.node(i).type == "caption_item")
    new_list = next(i for i in new_ids if doc.graph.node(i).type == "caption_list")
    assert doc.find_link(new_item, new_list, "items") is not None
    assert len(gui.app.canvas.links) == len(doc.graph.links)


def test_dragging_a_node_is_an_undoable_move(gui):
    doc = open_graph(gui, small_graph())
    start = doc.graph.node("img0").pos
    x, y = gui.title("img0")
    gui.drag((x, y), (x + 60, y + 40))
    moved = doc.graph.node("img0").pos
    assert abs(moved[0] - start[0] - 60) <= 2 and abs(moved[1] - start[1] - 40) <= 2
    gui.key("z", "Control_L")
    assert doc.graph.node("img0").pos == start
    assert tuple(gui.dpg.get_item_pos(gui.app.canvas.views["img0"].item)) == gui.app.canvas._grid(start)


def test_link_dropped_on_empty_canvas_offers_fitting_nodes(gui):
    doc = open_graph(gui, small_graph())
    gui.drag(gui.pin("il0", "items"), gui.empty_canvas_point())
    picker = gui.app.picker
    assert picker.shown
    assert [s.type for s in picker.matches] == ["image_item"]
    gui.key("Return")
    assert not picker.shown
    new = [n for n in doc.graph.nodes if n.type == "image_item" and n.id != "img0"]
    assert len(new) == 1
    assert doc.find_link(new[0].id, "il0", "items") is not None


def test_ctrl_space_search_adds_a_node(gui):
    doc = open_graph(gui, small_graph())
    gui.move(*gui.empty_canvas_point())
    gui.key("space", "Control_L")
    assert gui.app.picker.shown
    gui.type("capt")
    assert [s.title for s in gui.app.picker.matches][:2] == ["Caption List", "Caption Item"]
    gui.key("Return")
    assert len(doc.graph.find("caption_list")) == 2


def test_search_arrow_keys_choose_caption_item(gui):
    doc = open_graph(gui, small_graph())
    gui.move(*gui.empty_canvas_point())
    gui.key("space", "Control_L")
    gui.type("capt")
    gui.key("Down")
    gui.key("Return")
    assert not gui.app.picker.shown
    assert len(doc.graph.find("caption_item")) == 2 and len(doc.graph.find("caption_list")) == 1


def test_right_click_on_a_node_offers_fitting_input_nodes(gui):
    from dpg_lora.specs import REGISTRY

    doc = open_graph(gui, small_graph())
    gui.click(*gui.title("tl0"), button=3)
    assert gui.dpg.is_item_shown(gui.app.node_menu)
    labels = [gui.dpg.get_item_label(i) for i in gui.dpg.get_item_children(gui.app.node_menu, 1)]
    assert "Add input node\u2026" in labels
    gui.key("Escape")
    assert not gui.dpg.is_item_shown(gui.app.node_menu)
    gui.app.edits._add_input_node("tl0", "items", REGISTRY["target_item"])
    gui.frames(2)
    assert len(doc.input_links("tl0", "items")) == 2


def test_reorder_buttons_change_the_order_in_the_json(gui):
    doc = graph_with_spare_image(gui)
    doc.add_link("image_item_1", "il0", "items")
    gui.frames(3)
    view = gui.app.canvas.views["il0"]
    assert gui.dpg.get_value(view.order_summary["items"]) == "1 train \u00b7 2 extra"
    gui.click(*gui.centre(view.order_toggle["items"]))
    group = view.order_groups["items"]
    assert gui.dpg.is_item_shown(group)
    rows = gui.dpg.get_item_children(group, 1)
    assert len(rows) == 2
    up = gui.dpg.get_item_children(rows[1], 1)[0]
    gui.click(*gui.centre(up))
    image_configs = json.loads(preview_json(gui))["dataset_configs"][0]["image_configs"]
    assert list(image_configs) == ["extra", "train"]


def test_problem_click_centres_and_outlines_its_node(gui):
    graph = small_graph()
    graph.node("img0").values["suffix"] = "_T"
    graph.node("ds0").values["train_data_dir"] = ""
    doc = open_graph(gui, graph)
    assert any(d.node_id == "ds0" and d.severity == "error" for d in doc.result.diagnostics)
    view = gui.app.canvas.views["ds0"]
    assert view.shown_theme == gui.app.theme.errors["dataset"]  # tinted
    note = view.fields["train_data_dir"].note  # the empty folder says so under its field
    assert gui.dpg.is_item_shown(note) and gui.dpg.get_value(note)
    gui.app.preview.select("Problems")
    gui.frames(2)
    gui.click_problem_of("ds0")
    assert gui.off_centre("ds0") < 30
    assert view.shown_theme == gui.app.theme.highlights["dataset"]
    assert doc.graph.node("ds0").pos == graph.node("ds0").pos  # the model did not move


def test_check_dataset_folders_runs_off_the_ui_thread_and_lists_pairs(gui, tmp_path):
    folder = tmp_path / "set ü" / "subject"
    folder.mkdir(parents=True)
    for stem in ("a", "b", "c"):
        (folder / f"{stem}_T.png").write_bytes(b"x")
    graph = small_graph()
    graph.node("ds0").values["train_data_dir"] = str(tmp_path / "set ü")
    open_graph(gui, graph)
    gui.app.preview.select("Problems")
    gui.frames(2)
    gui.click(*gui.centre(gui.app.preview.data_button))
    for _ in range(200):  # the scan runs on a worker thread; the loop polls it once per frame
        gui.frames(1)
        if gui.app.data_job is None:
            break
    texts = [gui.dpg.get_value(i) for i in gui.dpg.get_item_children(gui.app.preview.data_lines, 1)
             if gui.dpg.get_item_type(i).endswith("Text")]
    assert any("3 pairs" in t for t in texts), texts


def test_rename_key_in_the_ui_follows_into_references(gui):
    doc = open_graph(gui, small_graph())
    key = gui.app.canvas.views["img0"].fields["key"].widget
    gui.click(*gui.centre(key))
    gui.key("a", "Control_L")
    gui.type("main")
    gui.key("Return")
    assert doc.graph.node("img0").values["key"] == "main"
    assert doc.graph.node("cap0").values["image"] == "main"
    assert doc.result.errors == []
    assert gui.dpg.get_value(gui.app.canvas.views["cap0"].fields["image"].widget) == "main"


def test_screenshot_is_not_blank_and_shows_nodes(gui):
    assert gui.app.open_path(str(PRESETS[0]))
    gui.at_zoom(1.0)  # opening fits the graph; the colour is sampled on a full-size title bar
    gui.move(2, 2)  # off the canvas: a hovered title bar is drawn lighter
    got = {}
    gui.dpg.output_frame_buffer(callback=lambda s, buf: got.setdefault("buf", buf))
    gui.frames(3)
    buf = got["buf"]
    width, height = buf.get_width(), buf.get_height()
    pixels = memoryview(buf)
    # sample a grid of pixels: the picture must vary (not one flat colour)
    samples = [pixels[(y * width + x) * 4] for y in range(0, height, 17) for x in range(0, width, 17)]
    mean = sum(samples) / len(samples)
    variance = sum((s - mean) ** 2 for s in samples) / len(samples)
    assert variance > 0.001
    # a node's title bar has its category colour
    view = next(v for v in gui.app.canvas.views.values() if v.spec.category == "items")
    x0, y0, _, _ = gui.app.canvas.node_rect(next(k for k, v in gui.app.canvas.views.items() if v is view))
    x, y = int(x0 + 4), int(y0 + 4)
    rgb = [round(pixels[(y * width + x) * 4 + c] * 255) for c in range(3)]
    want = gui.app.theme.data["categories"]["items"]
    assert all(abs(a - b) <= 40 for a, b in zip(rgb, want)), (rgb, want)


def test_screenshot_command_writes_a_png(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "shot.png"
    proc = subprocess.run([sys.executable, "-m", "dpg_lora", "screenshot", str(PRESETS[0]), "-o", str(out),
                           "--size", "900x600"], capture_output=True, text=True, timeout=120)
    if proc.returncode != 0 and "Xvfb" in proc.stderr:
        pytest.skip(proc.stderr.strip())
    assert proc.returncode == 0, proc.stderr
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


def test_save_marks_clean_and_title_shows_the_file(gui, tmp_path):
    doc = open_graph(gui, small_graph())
    doc.set_value("lora", "rank", 4)
    gui.frames(2)
    assert gui.dpg.get_viewport_title().startswith("*untitled")
    gui.app.files._save_to(str(tmp_path / "mine.json"), None)
    gui.frames(2)
    assert gui.dpg.get_viewport_title().startswith("mine.json")
    assert load_graph(tmp_path / "mine.json").node("lora").values["rank"] == 4


def test_closing_with_unsaved_changes_asks_first(gui):
    doc = open_graph(gui, small_graph())
    doc.set_value("lora", "rank", 4)
    gui.frames(1)
    opened = []
    gui.app.confirm_discard(lambda: opened.append(True))
    gui.frames(2)
    assert not opened and gui.app.dialogs.modal is not None
    gui.app.dialogs.close_modal()
    doc.undo()
    gui.app.confirm_discard(lambda: opened.append(True))
    assert opened == [True]


def test_write_config_writes_exactly_the_preview(gui, tmp_path):
    graph = small_graph()
    graph.node("script").values.update(trainer_dir=str(tmp_path), config_path="sub/cfg.json")
    doc = open_graph(gui, graph)
    gui.app.write_config()
    gui.frames(2)
    written = (tmp_path / "sub" / "cfg.json").read_text(encoding="utf-8")
    assert written == doc.result.config_text == preview_json(gui)
    assert "Wrote" in gui.app.status_message()


def test_fields_follow_the_chosen_script(gui):
    from dpg_lora.scripts import SCRIPTS, profile
    from dpg_lora.specs import REGISTRY

    doc = open_graph(gui, small_graph())
    script = doc.result.script
    # a Misc Settings field some other new-schema script accepts but this one does not
    other, fld = next((s, f) for f in REGISTRY["misc_settings"].fields for s in SCRIPTS
                      if script not in f.scripts and s in f.scripts and profile(s).schema == "new")
    view = gui.app.canvas.views["misc"]
    view.open_advanced()  # the field may sit in the Advanced fold
    gui.frames(2)
    fields = view.fields
    assert fld.name not in fields  # not built while the script does not take it
    doc.set_value("script", "script", other)
    gui.frames(2)
    assert gui.dpg.is_item_shown(fields[fld.name].row)
    resolution = gui.app.canvas.views["misc"].fields["resolution"]
    assert [v for v in resolution.labels.values()] == [str(b) for b in profile(other).buckets]


def test_key_fields_offer_the_keys_of_their_dataset(gui):
    doc = graph_with_spare_image(gui)
    image = gui.app.canvas.views["cap0"].fields["image"]
    assert list(image.labels.values()) == ["train"]
    doc.add_link("image_item_1", "il0", "items")
    gui.frames(2)
    assert list(image.labels.values()) == ["train", "extra"]
    image.view.on_combo(image.widget, "extra", ("cap0", "image"))
    gui.frames(2)
    assert doc.graph.node("cap0").values["image"] == "extra"


def test_requires_condition_shows_dependent_fields(gui):
    doc = open_graph(gui, small_graph())
    fields = gui.app.canvas.views["cap0"].fields
    assert "reference_config" not in fields  # built when first shown
    doc.set_value("cap0", "use_reference_list", True)
    gui.frames(2)
    assert gui.dpg.is_item_shown(fields["reference_config"].row)


def test_free_form_extra_settings_edit_as_json(gui):
    doc = open_graph(gui, small_graph())
    node_id = doc.add_node("extra_settings", (0, 0), link_to=("script", "extra"))
    gui.frames(2)
    view = gui.app.canvas.views[node_id]
    view.on_extra(view.extra_text, '{"my_flag": tru', None)
    gui.frames(2)
    assert gui.dpg.is_item_shown(view.problems)
    view.on_extra(view.extra_text, '{"my_flag": true}', None)
    gui.frames(2)
    assert json.loads(preview_json(gui))["my_flag"] is True
    assert view.shown_problems == (("warning", "no trainer script has a 'my_flag' setting, so it does nothing"),)


def test_file_dialog_choice_opens_the_graph(gui):
    gui.app.open_file()
    gui.frames(2)
    dialog = gui.app.dialogs.file_dialog
    callback = gui.dpg.get_item_callback(dialog)
    callback(dialog, {"file_path_name": str(PRESETS[0]), "selections": {PRESETS[0].name: str(PRESETS[0])}})
    gui.frames(2)
    assert gui.app.doc.path == str(PRESETS[0])
    assert gui.dpg.get_viewport_title().startswith(PRESETS[0].name)


def test_switching_theme_rebuilds_the_canvas(gui):
    doc = open_graph(gui, small_graph())
    gui.app.switch_theme("light")
    gui.frames(3)
    assert gui.app.theme.name == "light"
    assert set(gui.app.canvas.views) == {n.id for n in doc.graph.nodes}
    assert preview_json(gui) == doc.result.config_text
    gui.app.switch_theme("dark")
    gui.frames(2)


def test_import_menu_opens_what_the_importer_made(gui, monkeypatch):
    import dpg_lora.ui.file_actions as fa

    graph = small_graph()
    asked = []

    def import_file(path, context):
        asked.append((path, context))
        return graph, ["kept 1 unknown key"]

    monkeypatch.setattr(fa, "importer", lambda: import_file)
    gui.app.import_file()
    dialog = gui.app.dialogs.file_dialog
    gui.dpg.get_item_callback(dialog)(dialog, {"file_path_name": "/x/config.json", "selections": {}})
    gui.frames(2)
    assert gui.app.doc.graph is graph and gui.app.doc.dirty and gui.app.doc.path is None
    assert asked == [("/x/config.json", gui.app.context)]  # the trainer folder's scripts place the keys
    gui.app.dialogs.close_modal()


def test_run_editor_opens_a_graph_and_runs_its_loop(x_display, tmp_path):
    import os
    import subprocess
    import sys

    code = ("import sys; from dpg_lora.ui.app import run_editor; "
            "sys.exit(run_editor(sys.argv[1], width=900, height=600, max_frames=10))")
    env = dict(os.environ, DPG_LORA_USER_DIR=str(tmp_path))
    proc = subprocess.run([sys.executable, "-c", code, str(PRESETS[0])], capture_output=True, text=True,
                          timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]


@pytest.fixture
def synced_gui(gui):
    """The editor with its file watcher and autosave on (off in the other tests)."""
    from dpg_lora.ui.file_sync import FileSync

    gui.app.sync.close()
    gui.app.sync = FileSync(gui.app, watch=True, autosave=True)
    gui.app.sync.watcher.ready.wait(5)
    return gui


def wait_for(gui, condition, seconds: float = 5.0) -> bool:
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        gui.frames(1)
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_open_file_changed_on_disk_reloads_or_asks(synced_gui, tmp_path):
    gui = synced_gui
    path = tmp_path / "g.json"
    from dpg_lora.graph import save_graph

    save_graph(small_graph(), path)
    assert gui.app.open_path(str(path))
    gui.frames(2)
    gui.app.sync.watcher.ready.wait(5)
    changed = small_graph()
    changed.node("lora").values["rank"] = 64
    save_graph(changed, path)  # someone else edits the file; we have no unsaved edits: reload
    assert wait_for(gui, lambda: json.loads(preview_json(gui))["rank"] == 64)
    assert not gui.app.doc.dirty
    gui.app.doc.set_value("lora", "rank", 2)  # now with unsaved edits: ask
    changed.node("lora").values["rank"] = 128
    save_graph(changed, path)
    assert wait_for(gui, lambda: gui.app.dialogs.modal is not None)
    assert gui.app.doc.graph.node("lora").values["rank"] == 2
    gui.app.dialogs.close_modal()


def test_autosave_snapshots_unsaved_work(synced_gui):
    gui = synced_gui
    doc = open_graph(gui, small_graph())
    doc.set_value("lora", "rank", 3)
    gui.app.sync._next_autosave = 0.0
    gui.frames(2)
    snapshots = list(gui.app.sync.autosaver.session_dir.glob("*.json"))
    assert len(snapshots) == 1
    assert '"rank": 3' in json.loads(snapshots[0].read_text())["text"]


def test_preset_folder_change_refreshes_the_browser(gui):
    from dpg_lora.graph import save_graph
    from dpg_lora.ui.file_sync import FileSync

    panel = gui.app.presets_panel
    if panel is None or not hasattr(panel, "infos"):
        pytest.skip("the preset browser (ui/presets_panel.py) is not in this build")
    folder = gui.app.settings.user_presets_dir
    folder.mkdir(parents=True, exist_ok=True)
    gui.app.sync.close()
    gui.app.sync = FileSync(gui.app, watch=True, autosave=False)
    assert gui.app.sync.watcher.ready.wait(5)
    graph = small_graph()
    graph.name = "Mine from disk"
    save_graph(graph, folder / "mine_from_disk.json")
    assert wait_for(gui, lambda: any(i.name == "Mine from disk" for i in panel.infos))
    (folder / "mine_from_disk.json").unlink()
    assert wait_for(gui, lambda: not any(i.name == "Mine from disk" for i in panel.infos))


def test_detaching_a_link_is_an_undoable_unlink(gui):
    doc = open_graph(gui, small_graph())
    before = graph_to_text(doc.graph)
    canvas = gui.app.canvas
    item = next(i for k, i in canvas.links.items() if k[:3] == ("cap0", "cl0", "items"))
    canvas._on_delink(canvas.editor, item)  # what imnodes reports for a Ctrl+drag detach
    gui.frames(2)
    assert doc.find_link("cap0", "cl0", "items") is None
    assert not gui.dpg.does_item_exist(item)
    gui.key("z", "Control_L")
    assert graph_to_text(doc.graph) == before
    assert any(k[:3] == ("cap0", "cl0", "items") for k in canvas.links)


def test_quit_with_a_live_run_asks_and_stop_leaves_no_process(gui, tmp_path, monkeypatch):
    import os
    import sys
    import time
    from types import SimpleNamespace

    from dpg_lora.runner.manager import RunManager
    from dpg_lora.runner.training_run import RunRequest

    quits = []
    monkeypatch.setattr(gui.dpg, "stop_dearpygui", lambda: quits.append(True))
    manager = RunManager(tmp_path / "runs", grace=1.0)
    monkeypatch.setattr(gui.app, "run_panel", SimpleNamespace(manager=manager, drain=lambda paced=None: None,
                                                           next_due=lambda: None))
    script = tmp_path / "train.py"
    script.write_text("import time\nprint('training', flush=True)\ntime.sleep(60)\n", encoding="utf-8")
    run = manager.submit(RunRequest.make([sys.executable, str(script)], tmp_path))
    deadline = time.monotonic() + 10
    while run.process_id is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert run.process_id is not None
    pid = run.process_id.pid

    gui.app.request_quit()
    gui.frames(2)
    modal = gui.app.dialogs.modal
    buttons = {gui.dpg.get_item_label(b): b for b in gui.dpg.get_item_children(modal, 1)
               if gui.dpg.get_item_type(b).endswith("Button")}
    if not buttons:  # the buttons sit in a horizontal group
        groups = [c for c in gui.dpg.get_item_children(modal, 1) if gui.dpg.get_item_type(c).endswith("Group")]
        buttons = {gui.dpg.get_item_label(b): b for g in groups for b in gui.dpg.get_item_children(g, 1)}
    assert list(buttons) == ["Stop and quit", "Leave running", "Cancel"]
    gui.click(*gui.centre(buttons["Stop and quit"]))
    deadline = time.monotonic() + 15
    while not quits and time.monotonic() < deadline:
        gui.frames(1)
    assert quits, "the editor did not quit after the run stopped"
    try:
        os.kill(pid, 0)
        alive = open(f"/proc/{pid}/stat").read().split()[2] != "Z"
    except (ProcessLookupError, FileNotFoundError):
        alive = False
    assert not alive
