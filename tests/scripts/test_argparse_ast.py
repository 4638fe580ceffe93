"""The static argparse reader on a corpus of small scripts written for these tests."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from dpg_lora.scripts.argparse_ast import MAX_SCRIPT_BYTES, read_script_bytes
from dpg_lora.scripts.folder import ScriptCache, read_folder, read_script_texts

CORPUS = Path(__file__).parent / "corpus"


@pytest.fixture(scope="module")
def forms():
    read = read_script_bytes("train_forms.py", (CORPUS / "train_forms.py").read_bytes(), 0.0)
    assert read.ok, read.error
    return read.args


def test_literal_defaults_types_and_help(forms):
    assert (forms["plain_int"].type, forms["plain_int"].default) == ("int", 3)
    assert forms["plain_int"].help == "An int, default 3."
    assert (forms["plain_float"].type, forms["plain_float"].default) == ("float", 1e-4)
    assert (forms["plain_str"].default, forms["plain_str"].help) == ("out", "100% text")


def test_unary_minus_names_and_arithmetic(forms):
    assert forms["negative"].default == -1 and forms["negative_float"].default == -0.25
    assert forms["rank"].default == 32 and forms["rank"].help == "rank (default: 32)"
    assert forms["alpha"].default == 1.5


def test_option_names_and_dest(forms):
    assert forms["learning_rate"].flags == ("-l", "--learning-rate") and forms["learning_rate"].default == 2e-5
    assert "output_name" in forms and "out" not in forms


def test_store_true_false_and_bool_converters(forms):
    assert (forms["flag_on"].type, forms["flag_on"].default) == ("bool", False)
    assert (forms["flag_off"].type, forms["flag_off"].default) == ("bool", True)
    assert (forms["lambda_bool"].type, forms["lambda_bool"].default) == ("bool", False)
    # a str2bool-style helper passes its string default through: "yes" -> True
    assert (forms["helper_bool"].type, forms["helper_bool"].default) == ("bool", True)
    assert forms["bool_type"].type == "bool" and any("non-empty" in n for n in forms["bool_type"].notes)
    assert (forms["toggle"].type, forms["toggle"].default) == ("bool", True)


def test_choices_string_default_conversion_and_untyped(forms):
    assert forms["mode"].choices == ("fast", "slow") and forms["mode"].default == "fast"
    assert forms["string_int"].default == 8  # argparse runs a string default through type
    assert (forms["untyped"].type, forms["untyped"].default) == ("int", 7)
    assert (forms["optional_none"].type, forms["optional_none"].default) == ("str", None)
    assert forms["grouped"].default == 5


def test_run_time_defaults_are_reported_not_guessed(forms):
    workers = forms["workers"]
    assert not workers.default_known and workers.default is None
    assert any("computed at run time" in n and "os.cpu_count()" in n for n in workers.notes)


def test_nargs_is_a_list(forms):
    assert (forms["sizes"].type, forms["sizes"].default, forms["sizes"].nargs) == ("list", [512, 1024], "+")


def test_loops_are_unrolled_and_branches_reported(forms):
    assert forms["low_weight"].help == "weight of the low band" and forms["high_weight"].default == 1.0
    per_gpu = forms["workers_per_gpu"]  # 0 on Windows, 4 elsewhere: which one is a run-time question
    assert not per_gpu.default_known and any("depends on run time" in n for n in per_gpu.notes)
    assert "experimental" not in forms  # `if USE_EXPERIMENTAL:` with USE_EXPERIMENTAL = False
    assert forms["env_only"].condition == "os.environ.get('EXTRA')"


def test_set_defaults_wins(forms):
    assert forms["reset_me"].default == 2


def test_schema_and_attributes_read():
    read = read_script_bytes("train_forms.py", (CORPUS / "train_forms.py").read_bytes(), 0.0)
    assert read.schema == "new"
    assert {"plain_int", "rank", "flag_on"} <= read.attrs_read and "plain_str" not in read.attrs_read


def test_reading_never_executes_the_script(tmp_path):
    shutil.copy(CORPUS / "train_marker.py", tmp_path / "train_marker.py")
    folder = read_folder(tmp_path)
    read = folder.scripts["train_marker.py"]
    assert read.ok and read.args["steps"].default == 10
    assert not read.args["epochs"].default_known  # a call: reported, not evaluated
    assert sorted(p.name for p in tmp_path.iterdir()) == ["train_marker.py"]


@pytest.mark.parametrize("data, expected", [
    ((CORPUS / "train_syntax_error.py").read_bytes(), "syntax error at line 3"),
    (b"x = '\xff\xfe caf\xe9'\n", "not UTF-8 text (byte 0xff at offset 5)"),
    (b"import argparse\x00\n", "null bytes"),
    (b"# -*- coding: klingon -*-\nx = 1\n", "unknown encoding"),
    (b"x = " + b"(" * 5000 + b")" * 5000 + b"\n", "not read"),
])
def test_broken_scripts_are_a_message(data, expected):
    read = read_script_bytes("train_bad.py", data, 0.0)
    assert not read.ok and expected in read.error and not read.args


def test_latin1_with_a_coding_cookie_is_read():
    data = "# -*- coding: latin-1 -*-\nimport argparse\np = argparse.ArgumentParser()\n" \
           "p.add_argument('--name', default='caf\u00e9')\n".encode("latin-1")
    assert read_script_bytes("train_l1.py", data, 0.0).args["name"].default == "caf\u00e9"


def test_huge_file_is_not_read(tmp_path):
    (tmp_path / "train_huge.py").write_bytes(b"#" * (MAX_SCRIPT_BYTES + 10))
    read = read_folder(tmp_path).scripts["train_huge.py"]
    assert not read.ok and "limit" in read.error


def test_folder_problems(tmp_path):
    assert "does not exist" in read_folder(tmp_path / "nope").error
    (tmp_path / "file.txt").write_text("x")
    assert "is not a folder" in read_folder(tmp_path / "file.txt").error
    (tmp_path / "train.py").write_text("x")  # not train_*.py
    assert "has no train_*.py scripts" in read_folder(tmp_path).error
    for name in ("train_syntax_error.py", "train_no_args.py"):
        shutil.copy(CORPUS / name, tmp_path / name)
    folder = read_folder(tmp_path)
    assert folder.error is None and folder.scripts["train_no_args.py"].args == {}
    assert [p.split(": ", 1)[0] for p in folder.problems()] == [str(tmp_path / "train_syntax_error.py")]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any folder")
def test_unreadable_folder(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        assert "cannot be read" in read_folder(locked).error
    finally:
        locked.chmod(0o755)


def test_unreadable_folder_as_root_too(tmp_path, monkeypatch):
    def denied(path):
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr(os, "scandir", denied)
    assert read_folder(tmp_path).error == f"trainer folder {tmp_path} cannot be read (Permission denied)"


def test_cache_by_path_size_and_mtime(tmp_path):
    script = tmp_path / "train_a.py"
    script.write_text("import argparse\np = argparse.ArgumentParser()\np.add_argument('--x', type=int, default=1)\n")
    cache = ScriptCache()
    first = read_folder(tmp_path, cache).scripts["train_a.py"]
    assert read_folder(tmp_path, cache).scripts["train_a.py"] is first and cache.misses == 1
    script.write_text(script.read_text().replace("default=1", "default=2"))
    os.utime(script, ns=(10**18, 10**18))  # a different mtime, whatever the clock's resolution
    assert read_folder(tmp_path, cache).scripts["train_a.py"].args["x"].default == 2 and cache.misses == 2
    assert read_folder(tmp_path, ScriptCache()).scripts["train_a.py"] is not first  # no hidden global


def test_texts_from_elsewhere_read_like_files():
    text = "import argparse\np = argparse.ArgumentParser()\np.add_argument('--lr', type=float, default=0.5)\n"
    folder = read_script_texts({"train_r.py": (text.encode(), 1700000000.0), "README.md": (b"", 0.0)},
                               "gpu-box:/srv/T2ITrainer")
    (read,) = folder.scripts.values()
    assert read.source == "gpu-box:/srv/T2ITrainer/train_r.py" and read.mtime == 1700000000.0
    assert read.args["lr"].default == 0.5
    assert "has no train_*.py" in read_script_texts({}, "gpu-box:/x").error
