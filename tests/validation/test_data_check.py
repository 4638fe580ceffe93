"""Dataset folder checks: the trainer's pairing rules on real (temporary) folders (train_longcat.py:854-861 and on)."""
from __future__ import annotations

from dpg_lora.compiler import compile_graph
from dpg_lora.scripts.profiles import KTX, LCE
from dpg_lora.validation.data_check import check_data
from tests.validation.helpers import ds, graph, sound


def make(root, *names, text=None):
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"" if text is None else text)
    return root


def config_for(folder, images=None, captions=True, **dataset):
    config = sound(LCE)
    d = ds(config)
    d["train_data_dir"] = str(folder)
    if images is not None:
        d["image_configs"] = images
    if not captions:
        d["caption_configs"] = {}
        d["batch_configs"] = []
    d.update(dataset)
    return config


def run(config, script=LCE):
    result = check_data(config, script)
    return result, {f.code: f for f in result.findings}


def test_pairs_and_summary(tmp_path):
    make(tmp_path, "s/a_T.jpg", "s/a_R.png", "s/b_T.JPG", "s/b_R.webp")
    make(tmp_path, "s/a_T.txt", "s/b_T.txt", text=b"caption")
    result, found = run(config_for(tmp_path))
    assert found == {}
    assert [(d.index, d.pairs, d.line) for d in result.datasets] == [(0, 2, "2 pairs")]


def test_missing_partner_names_the_first_files(tmp_path):
    make(tmp_path, "s/a_T.jpg", "s/b_T.jpg", "s/c_T.jpg", "s/d_T.jpg", "s/e_T.jpg", "s/e_R.jpg")
    result, found = run(config_for(tmp_path, captions=False))
    finding = found["DATA_MISSING_PARTNER"]
    assert finding.severity == "error" and finding.path == ("dataset_configs", 0, "image_configs", "ref")
    assert "4 base images" in finding.message and "s/a_T.jpg, s/b_T.jpg, s/c_T.jpg, ..." in finding.message
    assert result.datasets[0].line == "5 pairs; 4 missing `_R`: s/a_T.jpg, s/b_T.jpg, s/c_T.jpg, ..."


def test_unused_image_keys_may_be_missing(tmp_path):
    make(tmp_path, "s/a_T.jpg")
    images = {"train": {"suffix": "_T"}, "mask": {"suffix": "_M"}}
    config = config_for(tmp_path, images, captions=False, reference_configs={})
    config["dataset_configs"][0]["target_configs"] = {"train": [{"image": "train"}]}
    assert "DATA_MISSING_PARTNER" not in run(config)[1]


def test_suffix_is_the_rightmost_occurrence_after_the_first_character(tmp_path):
    # "_T.jpg" has the suffix at index 0 (not a member); "photo_Tiger" and "img_T_extra" are bases
    make(tmp_path, "s/_T.jpg", "s/photo_Tiger.jpg", "s/photo_R.jpg", "s/img_T_extra.png", "s/img_R.png")
    result, found = run(config_for(tmp_path, captions=False))
    assert result.datasets[0].pairs == 2 and "DATA_MISSING_PARTNER" not in found


def test_hidden_names_and_other_extensions_are_skipped(tmp_path):
    make(tmp_path, ".hidden/a_T.jpg", "s/.b_T.jpg", "s/c_T.bmp", "s/d_T.gif", "s/e_T.txt")
    result, found = run(config_for(tmp_path, captions=False))
    assert result.datasets[0].pairs == 0 and "DATA_NO_PAIRS" in found


def test_files_in_other_folders_never_pair(tmp_path):
    make(tmp_path, "one/a_T.jpg", "two/a_R.jpg")
    assert "DATA_MISSING_PARTNER" in run(config_for(tmp_path, captions=False))[1]


def test_prefix_cuts_the_group_again(tmp_path):
    make(tmp_path, "s/a_T.jpg", "s/a_T_M.png")
    images = {"train": {"suffix": "_T"}, "mask": {"suffix": "_M", "prefix": "_T"}}
    config = config_for(tmp_path, images, captions=False)
    config["dataset_configs"][0]["reference_configs"] = {"ref": [{"image": "mask"}]}
    result, found = run(config)
    assert "DATA_MISSING_PARTNER" not in found


def test_several_candidates_need_the_base_stem_in_their_path(tmp_path):
    # cache images from an earlier run: a second base and a second partner, neither containing "a_T"
    make(tmp_path, "s/a_T.jpg", "s/a_R.png", "s/a_R_1024.webp")
    result, found = run(config_for(tmp_path, captions=False))
    assert "DATA_MISSING_PARTNER" in found and "DATA_CACHE_FILES" in found


def test_several_base_files_in_one_group(tmp_path):
    make(tmp_path, "s/a_T.jpg", "s/a_T.png", "s/a_R.jpg")
    assert run(config_for(tmp_path, captions=False))[1]["DATA_DUPLICATE_BASE"].severity == "warning"


def test_captions_missing_not_utf8_and_bom(tmp_path):
    make(tmp_path, "s/a_T.jpg", "s/a_R.jpg", "s/b_T.jpg", "s/b_R.jpg", "s/c_T.jpg", "s/c_R.jpg")
    make(tmp_path, "s/b_T.txt", text=b"\xff\xfeUTF-16")
    make(tmp_path, "s/c_T.txt", text="\ufeffa caption".encode("utf-8"))
    result, found = run(config_for(tmp_path))
    where = ("dataset_configs", 0, "caption_configs", "train")
    assert found["DATA_CAPTION_MISSING"].path == where and "s/a_T.txt" in found["DATA_CAPTION_MISSING"].message
    assert found["DATA_CAPTION_ENCODING"].severity == "error" and "s/b_T.txt" in found["DATA_CAPTION_ENCODING"].message
    assert found["DATA_CAPTION_BOM"].severity == "warning" and "s/c_T.txt" in found["DATA_CAPTION_BOM"].message
    assert "1 captions missing" in result.datasets[0].line


def test_trainer_cache_left_in_the_dataset(tmp_path):
    make(tmp_path, "s/a_T.jpg", "s/a_R.jpg", "t2itrainer_cache_longcat-edit/s/a_T_512.webp")
    finding = run(config_for(tmp_path, captions=False))[1]["DATA_CACHE_FILES"]
    assert "t2itrainer_cache_longcat-edit" in finding.message and finding.severity == "warning"


def test_missing_folder(tmp_path):
    result, found = run(config_for(tmp_path / "nowhere"))
    assert found["DATA_DIR_MISSING"].path == ("dataset_configs", 0, "train_data_dir")
    assert result.datasets[0].line == "folder not found"


def test_relative_folders_resolve_against_root(tmp_path):
    make(tmp_path, "data/s/a_T.jpg", "data/s/a_R.jpg")
    result = check_data(config_for("data", captions=False), LCE, root=str(tmp_path))
    assert result.datasets[0].pairs == 1 and result.datasets[0].folder == "data"


def test_old_layout_drops_incomplete_groups(tmp_path):
    make(tmp_path, "s/a_T.jpg", "s/a_R.jpg", "s/b_T.jpg")
    config = sound(KTX)
    config["train_data_dir"] = str(tmp_path)
    config["caption_configs"] = {}
    result, found = run(config, KTX)
    assert result.datasets[0].pairs == 1
    assert found["DATA_INCOMPLETE_DROPPED"].severity == "warning" and "DATA_MISSING_PARTNER" not in found


def test_cancel_stops_the_scan(tmp_path):
    make(tmp_path, "s/a_T.jpg")
    result = check_data(config_for(tmp_path), LCE, cancelled=lambda: True)
    assert result.cancelled and result.datasets == []


def test_data_findings_locate_to_graph_nodes(tmp_path):
    make(tmp_path, "s/a_T.jpg")
    b = graph()
    next(n for n in b.graph.nodes if n.id == "ds0").values["train_data_dir"] = str(tmp_path)
    compiled = compile_graph(b.build())
    found = {f.code: f for f in check_data(compiled.config, compiled.script).findings}
    assert compiled.locate(found["DATA_MISSING_PARTNER"].path)[0] == "img_r"
