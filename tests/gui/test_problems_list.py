"""The Problems tab lists a typical broken graph's problems once each, in plain words naming the
node and field, and shows them in Chinese after the language switch."""
from __future__ import annotations

from dpg_lora.document import Document
from dpg_lora.i18n import load_catalogue
from tests.graphs import pairs_builder


def broken_graph():
    """Typical first mistakes: an empty data directory, a target without an image, a batch
    without a caption, and a rank of 0."""
    b = pairs_builder()
    for node_id, values in (("ds0", {"train_data_dir": ""}), ("tgt", {"image": ""}),
                            ("bat", {"caption_config": ""}), ("lora", {"rank": 0})):
        b.graph.node(node_id).values.update(values)
    return b.build()


def listed(gui) -> list[tuple[str, str]]:
    """(heading, text) of every problem the tab shows, as Dear PyGui has them."""
    preview, dpg = gui.app.preview, gui.dpg
    rows = []
    for group in dpg.get_item_children(preview.problems, 1):
        items = dpg.get_item_children(group, 1)
        heading = next(i for i in items if dpg.get_item_type(i).endswith("Selectable"))
        text = next(i for i in items if dpg.get_item_type(i).endswith("Text"))
        assert dpg.is_item_shown(text)
        rows.append((dpg.get_item_label(heading), dpg.get_value(text)))
    return rows


def node_problems(gui, node_id: str) -> list[str]:
    view = gui.app.canvas.views[node_id]
    listed = [str(gui.dpg.get_value(i))[2:] for i in gui.dpg.get_item_children(view.problems, 1)]
    return listed + [gui.dpg.get_value(w.note) for w in view.fields.values()  # a field's problem: under it
                     if w.note and gui.dpg.is_item_shown(w.note)]


def switch_to(language: str, gui) -> None:
    """What View -> Language does (relabels, then redraws the canvas and the preview)."""
    assert gui.app.language_actions.set_language(language)
    gui.frames(3)


def open_problems(gui) -> None:
    gui.click(*gui.centre(gui.app.preview.page_buttons["Problems"]))
    gui.frames(2)
    assert gui.dpg.is_item_shown(gui.app.preview.pages["Problems"])


def test_each_problem_is_listed_once_in_plain_words_then_in_chinese(gui):
    gui.app.set_document(Document(broken_graph()))
    gui.frames(4)
    open_problems(gui)
    rows = listed(gui)
    errors = [r for r in rows if r[0].startswith("error")]
    assert len(rows) == len(set(rows)), rows
    assert sorted(errors) == sorted([
        ("error  Dataset Config ds0 \u00b7 Data directory", "Data directory must not be empty"),
        ("error  Target Item tgt \u00b7 Image", "Image is empty: choose one of this dataset's image keys"),
        ("error  Batch Item bat \u00b7 Caption", "Caption is empty: choose one of this dataset's caption keys"),
        ("error  LoRA Config lora \u00b7 Rank", "Rank must be at least 1, not 0"),
    ]), errors
    assert not any("is not an image key" in text or "a image" in text for _, text in rows)
    assert node_problems(gui, "tgt") == ["Image is empty: choose one of this dataset's image keys"]
    button = gui.app.preview.page_buttons["Problems"]
    assert gui.dpg.get_item_label(button) == f"Problems ({sum(r[0].startswith(('error', 'warning')) for r in rows)})"
    zh = load_catalogue("zh-CN")
    try:
        switch_to("zh-CN", gui)
        chinese = listed(gui)
        assert len(chinese) == len(rows)
        image = next(text for heading, text in chinese if "tgt" in heading)
        assert image == zh.text("problem.choose_image_key", label=zh.texts.get("field.image.label", "Image"))
        assert any(heading.startswith("错误") for heading, _ in chinese), chinese
        assert gui.dpg.get_item_label(button).startswith("问题（")
        assert gui.dpg.get_item_label(gui.app.preview.data_button) == "检查数据集文件夹"
        assert image in node_problems(gui, "tgt")  # the node lists it in the same words
        # still the same problems: a click on one centres its node
        gui.click_problem_of("bat")
        assert gui.off_centre("bat") < 30
    finally:
        switch_to("en", gui)
    assert listed(gui) == rows
