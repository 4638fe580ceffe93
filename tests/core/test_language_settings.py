"""DPG_LORA_LANG and DPG_LORA_UI_SCALE are checked settings; the start language and scale are chosen
from them, the remembered choice and the system locale, in that order."""
import pytest

from dpg_lora.i18n import start_language, system_language
from dpg_lora.settings import SettingsError, load_settings, parse_ui_scale
from dpg_lora.ui.language_actions import start_scale


@pytest.mark.parametrize("value,language", [("zh-CN", "zh-CN"), ("zh_CN.UTF-8", "zh-CN"), ("zh", "zh-CN"),
                                            ("en", "en"), (" EN ", "en")])
def test_lang_setting_is_normalised(tmp_path, value, language):
    assert load_settings({"DPG_LORA_LANG": value}, cwd=tmp_path).language == language


def test_a_bad_lang_names_the_variable_value_and_source(tmp_path):
    with pytest.raises(SettingsError, match=r"DPG_LORA_LANG='fr' \(from the environment\): must be one of 'en', 'zh-CN'"):
        load_settings({"DPG_LORA_LANG": "fr"}, cwd=tmp_path)
    (tmp_path / ".env").write_text("DPG_LORA_LANG=klingon\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"DPG_LORA_LANG='klingon' \(from .*\.env line 1\)"):
        load_settings({}, cwd=tmp_path)


def test_unset_lang_and_scale_are_none_and_known_names(tmp_path):
    settings = load_settings({}, cwd=tmp_path)
    assert settings.language is None and settings.ui_scale is None
    assert not load_settings({"DPG_LORA_LANG": "en", "DPG_LORA_UI_SCALE": "150"}, cwd=tmp_path).warnings


@pytest.mark.parametrize("value,scale", [("150", 150), ("150%", 150), ("1.5", 150), ("2", 200), ("100", 100),
                                         ("1", 100), ("175 %", 175), ("130", None), ("big", None), ("0", None),
                                         ("nan", None), ("-150", None)])
def test_ui_scale_values(value, scale):
    assert parse_ui_scale(value) == scale


def test_a_bad_ui_scale_is_refused(tmp_path):
    with pytest.raises(SettingsError, match=r"DPG_LORA_UI_SCALE='130' .*100, 125, 150, 175, 200 \(percent\)"):
        load_settings({"DPG_LORA_UI_SCALE": "130"}, cwd=tmp_path)
    assert load_settings({"DPG_LORA_UI_SCALE": "125%"}, cwd=tmp_path).ui_scale == 125


@pytest.mark.parametrize("environ,language", [
    ({"LANG": "zh_CN.UTF-8"}, "zh-CN"), ({"LC_ALL": "zh_SG.UTF-8", "LANG": "en_US.UTF-8"}, "zh-CN"),
    ({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"), ({"LC_MESSAGES": "zh_CN", "LANG": "C"}, "zh-CN"),
    ({"LANG": "C.UTF-8"}, None), ({"LANG": "fr_FR.UTF-8"}, None), ({}, None)])
def test_system_language_reads_the_locale_variables_in_gettext_order(environ, language):
    assert system_language(environ) == language


def test_start_language_order():
    zh_locale = {"LANG": "zh_CN.UTF-8"}
    assert start_language("en", "zh-CN", zh_locale) == "en"  # DPG_LORA_LANG wins
    assert start_language(None, "en", zh_locale) == "en"  # then the remembered choice
    assert start_language(None, "zh-CN", {}) == "zh-CN"
    assert start_language(None, "garbage", zh_locale) == "zh-CN"  # then the locale
    assert start_language(None, None, {"LANG": "C"}) == "en"


def test_start_scale_order():
    assert start_scale(150, 200) == 150
    assert start_scale(None, 200) == 200
    assert start_scale(None, 130) == 100  # a hand-edited state file with a size we do not offer
    assert start_scale(None, None) == 100


def test_node_search_finds_types_by_their_title_in_the_current_language():
    from dpg_lora.i18n import load_catalogue
    from dpg_lora.ui.node_search import search

    zh = load_catalogue("zh-CN")
    found = [s.type for s in search("标注列表", catalogue=zh)]
    assert found and found[0] == "caption_list"
    assert [s.type for s in search("caption list", catalogue=zh)][0] == "caption_list"  # English still works
    assert not search("标注列表")  # without the catalogue only the English titles are searched
