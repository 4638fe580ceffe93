"""Cache collisions: files of different samples that the scripts cache under one name (§6.4)."""
from __future__ import annotations

import copy

from dpg_lora.scripts.profiles import LCE, QIE
from dpg_lora.validation.data_check import check_data
from tests.validation.helpers import ds, sound


def make(root, folder, stems=("a", "b", "c")):
    for stem in stems:
        for suffix, data in (("_T.jpg", b""), ("_R.jpg", b""), ("_T.txt", b"caption")):
            path = root / folder / f"{stem}{suffix}"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)


def two_datasets(tmp_path, first: str, second: str, script=LCE) -> dict:
    config = sound(script)
    dataset = ds(config)
    config["dataset_configs"] = [dict(copy.deepcopy(dataset), train_data_dir=str(tmp_path / first)),
                                 dict(copy.deepcopy(dataset), train_data_dir=str(tmp_path / second))]
    return config


def collisions(config, script=LCE, root="."):
    return [f for f in check_data(config, script, root).findings if f.code == "DATA_CACHE_COLLISION"]


def test_two_datasets_with_one_parent_and_equal_sub_folders_collide(tmp_path):
    make(tmp_path, "relight/studio/set1")
    make(tmp_path, "relight/plain/set1")
    (found,) = collisions(two_datasets(tmp_path, "relight/studio", "relight/plain"))
    assert found.severity == "error" and found.path == ("dataset_configs", 1, "train_data_dir")
    message = found.message
    assert "dataset 0" in message and "t2itrainer_cache_longcat-edit" in message and "set1" in message
    assert "set1/a.json" in message and "KeyError" in message and "reuse" in message


def test_other_sub_folder_names_or_parents_do_not_collide(tmp_path):
    make(tmp_path, "relight/studio/set1")
    make(tmp_path, "relight/plain/set2")
    assert collisions(two_datasets(tmp_path, "relight/studio", "relight/plain")) == []
    make(tmp_path, "one/studio/set1")
    make(tmp_path, "two/studio/set1")
    assert collisions(two_datasets(tmp_path, "one/studio", "two/studio")) == []


def test_different_stems_in_a_shared_cache_folder_do_not_collide(tmp_path):
    make(tmp_path, "relight/studio/set1", ("a", "b"))
    make(tmp_path, "relight/plain/set1", ("c", "d"))
    assert collisions(two_datasets(tmp_path, "relight/studio", "relight/plain")) == []


def test_sub_folders_of_one_dataset_with_the_same_name_collide(tmp_path):
    make(tmp_path, "data/a/x")
    make(tmp_path, "data/b/x")
    config = sound(LCE)
    ds(config)["train_data_dir"] = str(tmp_path / "data")
    (found,) = collisions(config)
    assert found.path == ("dataset_configs", 0, "train_data_dir") and "a/x" in found.message and "b/x" in found.message


def test_images_in_the_home_folder_are_cached_in_place(tmp_path):
    # LongCat: images directly in the dataset folder are cached beside themselves, so two
    # datasets with one parent do not meet in the shared cache folder
    make(tmp_path, "relight/studio")
    make(tmp_path, "relight/plain")
    assert collisions(two_datasets(tmp_path, "relight/studio", "relight/plain")) == []


def test_qwen_caches_a_dataset_root_under_its_own_name(tmp_path):
    # Qwen: the home folder is the top-level train_data_dir, so each dataset root goes to
    # <parent>/t2itrainer_cache_qwen_edit/<its name>: equal names under one parent collide
    make(tmp_path, "p/studio")
    make(tmp_path, "q/studio")
    config = two_datasets(tmp_path, "p/studio", "q/studio", QIE)
    assert collisions(config, QIE) == []
    make(tmp_path, "p/plain/studio")
    config = two_datasets(tmp_path, "p/studio", "p/plain", QIE)
    for d in config["dataset_configs"]:
        d["recreate_cache"] = False
    (found,) = collisions(config, QIE)
    assert "t2itrainer_cache_qwen_edit" in found.message
