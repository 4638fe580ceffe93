"""The editor with a trainer folder whose script has a new argument and a changed default."""
from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

from dpg_lora.document import Document
from dpg_lora.script_fields import OTHER_SECTION
from tests.core.util import small_graph
from tests.scripts.helpers import argument_line, write_script

LC = "train_longcat.py"
CORPUS = Path(__file__).resolve().parents[1] / "scripts" / "corpus"


def open_with_folder(gui, folder):
    graph = small_graph(LC)
    graph.node("script").values["trainer_dir"] = str(folder)
    gui.app.set_document(Document(graph))
    gui.frames(2)
    deadline = time.monotonic() + 30  # the folder is parsed on a worker thread
    while gui.app.context.profiles.folder != str(folder) and time.monotonic() < deadline:
        gui.frames(1)
        time.sleep(0.01)
    gui.frames(2)
    return gui.app.doc


def test_a_new_argument_gets_a_field_that_writes_it(gui, tmp_path):
    folder = tmp_path / "T2ITrainer"
    folder.mkdir()
    write_script(folder, LC, changed={"learning_rate": 3e-4},
                 added=[argument_line("ema_decay", "float", 0.999, "EMA decay of the LoRA weights")])
    shutil.copy(CORPUS / "train_forms.py", folder / "train_forms.py")  # a script we do not know
    doc = open_with_folder(gui, folder)
    dpg = gui.dpg
    script_combo = gui.app.canvas.views["script"].fields["script"].widget
    assert dpg.get_item_configuration(script_combo)["items"][-1] == "train_forms.py"
    config = json.loads(dpg.get_value(gui.app.preview.json))
    assert (config["ema_decay"], config["learning_rate"]) == (0.999, 3e-4)
    assert dpg.get_value(gui.app.preview.profile_source).startswith(f"{LC} arguments: {folder / LC} (modified ")

    view = gui.app.canvas.views["misc"]
    section = view.sections[OTHER_SECTION][0]
    assert dpg.get_item_label(section) == f"{OTHER_SECTION} (1)" and dpg.is_item_shown(section)
    ema = view.fields["ema_decay"]
    assert float(dpg.get_value(ema.widget)) == 0.999  # number fields show what is typed, as text
    assert float(dpg.get_value(view.fields["learning_rate"].widget)) == 3e-4
    gui.show("misc")  # may rebuild the view at a readable zoom: look its widget up again
    ema = gui.app.canvas.views["misc"].fields["ema_decay"]
    _, y0, _, y1 = gui.rect(ema.widget)
    assert y1 > y0 and dpg.is_item_visible(ema.widget)  # drawn, on screen

    gui.click(*gui.centre(ema.widget))
    gui.key("a", "Control_L")
    gui.type("0.5")
    gui.key("Return")
    assert doc.graph.node("misc").values["ema_decay"] == 0.5
    assert json.loads(dpg.get_value(gui.app.preview.json))["ema_decay"] == 0.5
    gui.shot(tmp_path / "new-argument.png")


def test_removing_the_argument_from_the_script_warns_on_the_set_field(gui, tmp_path):
    folder = tmp_path / "T2ITrainer"
    folder.mkdir()
    write_script(folder, LC)
    doc = open_with_folder(gui, folder)
    doc.set_value("misc", "seed", 7)
    gui.frames(2)
    assert json.loads(gui.dpg.get_value(gui.app.preview.json))["seed"] == 7
    write_script(folder, LC, removed=("seed",))  # the user updates their checkout
    os.utime(folder / LC, (1e9, 1e9))
    gui.app.check_profiles(force=True)
    gui.frames(3)
    assert "seed" not in json.loads(gui.dpg.get_value(gui.app.preview.json))
    view = gui.app.canvas.views["misc"]
    seed = view.fields.get("seed")  # rows are built when first shown
    assert seed is None or not gui.dpg.is_item_shown(seed.row)
    assert any(d.code == "ARG_NOT_IN_SCRIPT" and d.field == "seed" for d in doc.result.diagnostics)
    assert any("no --seed any more" in message for _, message in view.shown_problems)
