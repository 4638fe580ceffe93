"""With the zh-CN catalogue the nodes show Chinese titles, pin labels, field labels and help
tooltips (on a real hover); switching back rebuilds them in English."""
from __future__ import annotations

import pytest

from dpg_lora.document import Document
from dpg_lora.i18n import load_catalogue
from dpg_lora.specs import REGISTRY
from dpg_lora.ui import texts
from tests.core.util import small_graph

ZH = load_catalogue("zh-CN")


@pytest.fixture
def zh(gui):
    texts.use(ZH)
    try:
        yield gui
    finally:
        texts.use(load_catalogue("en"))


def _texts_shown(dpg) -> list[str]:
    return [str(dpg.get_value(i)) for i in dpg.get_all_items()
            if dpg.get_item_type(i) == "mvAppItemType::mvText" and dpg.get_value(i)]


def test_a_node_shows_zh_labels_and_tooltip_and_switches_back(zh):
    gui, dpg = zh, zh.dpg
    gui.app.set_document(Document(small_graph(), context=gui.app.context))
    gui.at_zoom(1.0)
    view = gui.app.canvas.views["lora"]
    assert dpg.get_item_label(view.item) == "LoRA 配置"
    rank = view.fields["rank"]
    assert dpg.get_item_label(rank.widget) == "秩"
    loader = gui.app.canvas.views["script"]
    assert "数据集列表" in _texts_shown(dpg) and dpg.get_item_label(loader.item) == "脚本加载器"
    # the help tooltip is built on the first real hover
    gui.show("lora")
    x, y = gui.centre(rank.widget)
    gui.move(x - 20, y)
    gui.move(x, y, frames=6)
    rank_help = ZH.text("field.rank.help")
    assert rank_help in "\n".join(_texts_shown(dpg)), "the hovered Rank field's tooltip shows its zh help"
    assert "rank_alpha" in rank_help  # the written key stays as it is
    # back to English: the canvas rebuilds its nodes from the English declarations
    texts.use(load_catalogue("en"))
    gui.app.canvas.retranslate()
    gui.frames(3)
    view = gui.app.canvas.views["lora"]
    assert dpg.get_item_label(view.item) == REGISTRY["lora_config"].title
    assert dpg.get_item_label(view.fields["rank"].widget) == "Rank"
    base = gui.app.canvas.views["dir"].fields["pretrained_model_name_or_path"]  # a PATH row: label beside
    assert dpg.get_value(base.label_text) == "Base model"


def test_a_path_field_shows_its_zh_label_beside_its_button(zh):
    gui, dpg = zh, zh.dpg
    gui.app.set_document(Document(small_graph(), context=gui.app.context))
    gui.at_zoom(1.0)
    base = gui.app.canvas.views["dir"].fields["pretrained_model_name_or_path"]
    assert dpg.get_value(base.label_text) == "基础模型"
