"""Both languages have the same catalogue files, the same keys and the same placeholders."""
import json

import pytest

from dpg_lora.i18n import (LANGUAGES, CatalogueError, catalogue_dir, language_files, load_catalogue,
                           normalise_language, placeholders, read_language_files)


def test_every_language_has_the_same_files_and_keys():
    english = language_files("en")  # the files and the areas derived from the node specs
    assert english, "the English catalogue is empty"
    for language in LANGUAGES:
        files = language_files(language)
        assert sorted(files) == sorted(english), language
        for name, texts in files.items():
            assert sorted(texts) == sorted(english[name]), f"{language}/{name}"


def test_keys_live_in_the_file_of_their_area():
    for language in LANGUAGES:
        for name, texts in read_language_files(catalogue_dir() / language).items():
            area = name.removesuffix(".json")
            strays = [key for key in texts if key.split(".")[0] != area]
            assert not strays, f"{language}/{name}: {strays}"


def test_translations_fill_the_same_placeholders():
    english = load_catalogue("en")
    for language in LANGUAGES:
        catalogue = load_catalogue(language)
        wrong = [key for key, text in catalogue.texts.items()
                 if placeholders(text) != placeholders(english.texts[key])]
        assert not wrong, f"{language}: {wrong}"


def test_no_translation_is_left_empty():
    for language in LANGUAGES:
        assert not [k for k, v in load_catalogue(language).texts.items() if not v.strip()], language


def test_text_fills_params_and_missing_keys_raise():
    catalogue = load_catalogue("en")
    assert catalogue.text("app.ready").startswith("Ready")
    with pytest.raises(KeyError):
        catalogue.text("no.such.key")


def test_a_key_in_two_files_or_a_bad_file_is_refused(tmp_path):
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "a.json").write_text(json.dumps({"a.x": "1"}))
    (tmp_path / "en" / "b.json").write_text(json.dumps({"a.x": "2"}))
    with pytest.raises(CatalogueError, match="also in another file"):
        load_catalogue("en", tmp_path)
    (tmp_path / "en" / "b.json").write_text("[1]")
    with pytest.raises(CatalogueError, match="b.json"):
        load_catalogue("en", tmp_path)


@pytest.mark.parametrize("name,language", [("zh_CN.UTF-8", "zh-CN"), ("zh", "zh-CN"), ("en_US.UTF-8", "en"),
                                           ("ZH-cn", "zh-CN"), ("fr_FR", None), ("", None)])
def test_language_names_are_normalised(name, language):
    assert normalise_language(name) == language
