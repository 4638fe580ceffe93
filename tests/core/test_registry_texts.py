"""Node titles, field labels, help texts and placeholders: English from the spec declarations,
zh-CN from the catalogue under keys derived from the registry; fields read from a trainer script
are shown as they are."""
import dataclasses

import pytest

from dpg_lora.compiler import compile_graph
from dpg_lora.i18n import catalogue_dir, load_catalogue, placeholders, read_language_files
from dpg_lora.script_fields import dynamic_fields
from dpg_lora.scripts.profiles import LC
from dpg_lora.specs import REGISTRY, texts
from dpg_lora.specs.types import STR, FieldSpec
from tests.core.util import small_graph
from tests.scripts.helpers import argument_line, write_script
from tests.scripts.test_compile_folder import folder_context

ZH = load_catalogue("zh-CN")
EN = load_catalogue("en")


def test_every_spec_text_has_a_translation_and_no_key_is_dead():
    derived = texts.registry_texts()
    shipped = read_language_files(catalogue_dir() / "zh-CN")
    for name, english in derived.items():
        zh = shipped[name]
        assert not sorted(set(english) - set(zh)), f"zh-CN/{name} lacks these keys"
        assert not sorted(set(zh) - set(english)), f"zh-CN/{name} holds keys no spec has"
        assert not [k for k in english if zh[k] == english[k] and not _untranslatable(english[k])], name


def _untranslatable(text: str) -> bool:
    """Names kept as they are (key examples, config values, product names)."""
    return text in {"train", "ref", "0", "LoRA", "caption_configs", "from_same_name", "Alpha (LoKr)",
                    "Min-SNR gamma"}


def test_spec_texts_are_plain_text_for_the_catalogue():
    for area in texts.registry_texts().values():
        for key, text in area.items():
            wanted = {"scripts"} if key == "field.folder.new_in" else set()
            assert placeholders(text) == wanted, key  # no {name}: shown as they are


def test_the_english_catalogue_holds_the_derived_texts():
    assert EN.text("node.script_loader.title") == "Script Loader"
    assert EN.text("field.rank.label") == "Rank"


def test_zh_lookups_and_english_fallbacks():
    lora = REGISTRY["lora_config"]
    rank = lora.field("rank")
    assert texts.node_title("lora_config", ZH) == "LoRA 配置"
    assert texts.field_label("lora_config", rank, ZH) == "秩"
    assert "rank_alpha" in texts.field_help("lora_config", rank, ZH)
    assert texts.field_label("lora_config", rank, EN) == "Rank"
    assert texts.category_title("items", ZH) == "条目"
    assert texts.pin_label(REGISTRY["script_loader"], "datasets", ZH) == "数据集列表"
    assert texts.pin_label(REGISTRY["dataset_list"], "datasets", ZH) == "数据集"
    assert texts.section_title(texts.OTHER_SECTION, ZH) == "其他参数"
    empty = REGISTRY["dataset_config"].field("resolution")
    assert texts.field_placeholder("dataset_config", empty, ZH) == "全局"
    # a field the registry does not declare (a copy with another label) keeps its own texts
    other = dataclasses.replace(rank, label="Rank (probe)", help="probe help")
    assert texts.field_label("lora_config", other, ZH) == "Rank (probe)"
    assert texts.field_help("lora_config", other, ZH) == "probe help"


def test_shared_keys_are_one_entry_and_differing_texts_are_per_node_type():
    key = REGISTRY["image_item"].field("key")
    assert texts.field_key("image_item", key, "help") == "field.key.help"  # same text on four types
    assert texts.field_key("image_item", key, "label") == "field.image_item.key.label"  # "Image key"...
    res = REGISTRY["misc_settings"].field("resolution")
    assert texts.field_key("misc_settings", res, "label") == "field.resolution.label"
    assert texts.field_key("misc_settings", res, "help") == "field.misc_settings.resolution.help"


def test_a_field_added_to_the_registry_gets_keys_and_falls_back_to_english(monkeypatch):
    spec = REGISTRY["caption_item"]
    probe = FieldSpec("probe_tag", STR, "Probe tag", "", help="A probe.", path=("probe_tag",))
    monkeypatch.setitem(REGISTRY, "caption_item", dataclasses.replace(spec, fields=spec.fields + (probe,)))
    derived = texts.registry_texts()["field.json"]
    assert derived["field.probe_tag.label"] == "Probe tag" and derived["field.probe_tag.help"] == "A probe."
    assert texts.field_label("caption_item", probe, ZH) == "Probe tag"  # no translation yet: English


def test_the_no_effect_note_is_added_once_in_the_current_language():
    mask = REGISTRY["misc_settings"].field("mask_dropout")
    assert mask.no_effect and mask.help == ""
    assert texts.field_help("misc_settings", mask, EN) == texts.NO_EFFECT_NOTE
    assert texts.field_help("misc_settings", mask, ZH) == ZH.text("field.no_effect")


def test_arguments_read_from_a_script_show_their_own_help_untranslated(tmp_path):
    write_script(tmp_path, LC, added=[argument_line("ema_decay", "float", 0.999, "EMA decay of the LoRA weights"),
                                      "    parser.add_argument('--cache_workers', type=str, default=os.environ.get('W'))"])
    built = dynamic_fields(folder_context(tmp_path).profiles)
    workers_host, workers = next((t, f) for t, fs in built.items() for f in fs if f.name == "cache_workers")
    assert texts.field_placeholder(workers_host, workers, ZH) == "脚本默认值"  # default known only at run time
    host, ema = next((t, f) for t, fs in built.items() for f in fs if f.name == "ema_decay")
    assert texts.field_label(host, ema, ZH) == ema.label == "Ema decay"
    assert ema.help == "EMA decay of the LoRA weights" and texts.field_key(host, ema, "help") is None
    zh_help = texts.field_help(host, ema, ZH)  # the script's words as they are, then ours in zh-CN
    assert ema.no_effect  # the helper's script never reads it
    assert zh_help == " ".join(["EMA decay of the LoRA weights", ZH.text("field.folder.new_in", scripts=LC),
                                ZH.text("field.folder.never_read")])
    assert texts.field_help(host, ema, EN) == ("EMA decay of the LoRA weights New in train_longcat.py (read from "
                                               "the trainer folder). The script's code never reads it.")


def test_rank_help_explains_the_written_rank_alpha():
    """train_longcat.py:1415 (and the other six) build the LoRA with lora_alpha=args.rank; rank_alpha
    is read only for LoKr (train_longcat.py:1402). The config still carries rank_alpha, so the
    Rank tooltip must say why it does not apply."""
    config = compile_graph(small_graph(LC)).config
    assert "rank_alpha" in config and "rank" in config and config["use_lokr"] is False
    lora = REGISTRY["lora_config"]
    rank_help = texts.field_help("lora_config", lora.field("rank"), EN)
    assert "rank_alpha is still written" in rank_help and "alpha equal to the rank" in rank_help
    alpha_help = texts.field_help("lora_config", lora.field("rank_alpha"), EN)
    assert "only when Use LoKr is on" in alpha_help and "no effect" in alpha_help
    assert "always set equal" not in rank_help  # the old claim that read as "rank_alpha = rank"


@pytest.mark.parametrize("node_type,field,fact", [
    ("misc_settings", "seed", "never seed the training"),  # set_seed is never called
    ("ref_source", "from_image", "no effect"),  # references feed their own latent (train_longcat.py:2017)
    ("misc_settings", "save_model_steps", "0 stops the run"),  # modulo before the > 0 test (LC:2319)
    ("directory_setup", "save_name", "<save name>-<epoch>-<step>"),  # LC:2322
])
def test_help_states_what_the_code_does(node_type, field, fact):
    assert fact in texts.field_help(node_type, REGISTRY[node_type].field(field), EN)
