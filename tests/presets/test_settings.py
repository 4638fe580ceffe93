from __future__ import annotations

import sys
from pathlib import Path

import pytest

from dpg_lora.settings import (Settings, SettingsError, builtin_presets_dir, default_user_dir,
                               load_settings, parse_dotenv)


def test_defaults_without_env_or_dotenv(tmp_path):
    s = load_settings(env={}, cwd=tmp_path)
    assert s == Settings()
    assert s.presets_dir == builtin_presets_dir()
    assert (s.presets_dir / "single_image.json").is_file()
    assert s.user_dir == default_user_dir()
    assert s.theme == "dark" and s.trainer_dir is None and s.python is None
    assert s.user_presets_dir == s.user_dir / "presets"


def test_dotenv_syntax():
    text = """
# a comment
export DPG_LORA_THEME=light
A=plain value   # trailing comment
B="double \\"quoted\\" # not a comment"
C='single # kept'
D=
E = spaced
F=#only a comment
"""
    values = {k: v for k, (v, _) in parse_dotenv(text, "x/.env").items()}
    assert values == {"DPG_LORA_THEME": "light", "A": "plain value", "B": 'double "quoted" # not a comment',
                      "C": "single # kept", "D": "", "E": "spaced", "F": ""}
    assert parse_dotenv(text, "x/.env")["DPG_LORA_THEME"][1] == "x/.env line 3"


@pytest.mark.parametrize("line, problem", [
    ("NOT A LINE", "expected KEY=VALUE"),
    ('A="open', "unclosed double quote"),
    ("A='open", "unclosed single quote"),
    ('A="x" y', "unexpected text after the closing quote"),
])
def test_dotenv_syntax_errors_name_file_and_line(line, problem):
    with pytest.raises(SettingsError) as err:
        parse_dotenv("# first\n" + line + "\n", "/p/.env")
    assert str(err.value).startswith("/p/.env line 2: ") and problem in str(err.value)


def test_env_wins_over_dotenv_and_values_are_checked(tmp_path):
    trainer = tmp_path / "trainer ü"
    trainer.mkdir()
    other = tmp_path / "other"
    other.mkdir()
    (tmp_path / ".env").write_text(f'DPG_LORA_TRAINER_DIR="{trainer}"\nDPG_LORA_THEME=light\n'
                                   f"DPG_LORA_USER_DIR={tmp_path / 'u'}\n", encoding="utf-8")
    s = load_settings(env={"DPG_LORA_THEME": "DARK", "DPG_LORA_PRESETS_DIR": str(other),
                           "DPG_LORA_PYTHON": sys.executable, "UNRELATED": "x"}, cwd=tmp_path)
    assert s.trainer_dir == trainer.resolve()
    assert s.theme == "dark"  # the environment wins, case-insensitive
    assert s.presets_dir == other.resolve()
    assert s.python == sys.executable or Path(s.python).samefile(sys.executable)
    assert s.user_dir == (tmp_path / "u").resolve()
    assert not s.user_dir.exists()  # created on demand
    assert s.ensure_dir(s.user_presets_dir).is_dir()
    assert s.sources["DPG_LORA_THEME"] == "the environment"
    assert s.sources["DPG_LORA_TRAINER_DIR"] == f"{tmp_path / '.env'} line 1"


def test_python_found_on_path(tmp_path):
    s = load_settings(env={"DPG_LORA_PYTHON": Path(sys.executable).name,
                           "PATH": str(Path(sys.executable).parent)}, cwd=tmp_path)
    assert s.python and Path(s.python).name == Path(sys.executable).name


def test_empty_value_means_default(tmp_path):
    s = load_settings(env={"DPG_LORA_THEME": "", "DPG_LORA_TRAINER_DIR": "  "}, cwd=tmp_path)
    assert s.theme == "dark" and s.trainer_dir is None


@pytest.mark.parametrize("name, make_value, problem", [
    ("DPG_LORA_TRAINER_DIR", lambda t: str(t / "missing"), "no such folder"),
    ("DPG_LORA_TRAINER_DIR", lambda t: str(t / "afile"), "not a folder"),
    ("DPG_LORA_PYTHON", lambda t: "no-such-python-xyz", "not found on PATH and no such file"),
    ("DPG_LORA_PRESETS_DIR", lambda t: str(t / "missing"), "no such folder"),
    ("DPG_LORA_USER_DIR", lambda t: str(t / "afile"), "exists but is not a folder"),
    ("DPG_LORA_THEME", lambda t: "blue", "must be one of 'dark', 'light'"),
])
@pytest.mark.parametrize("where", ["env", "dotenv"])
def test_bad_values_name_variable_value_and_source(tmp_path, name, make_value, problem, where):
    (tmp_path / "afile").write_text("x")
    value = make_value(tmp_path)
    env = {"PATH": ""}
    if where == "env":
        env[name] = value
        source = "the environment"
    else:
        (tmp_path / ".env").write_text(f"# settings\n{name}='{value}'\n", encoding="utf-8")
        source = f"{tmp_path / '.env'} line 2"
    with pytest.raises(SettingsError) as err:
        load_settings(env=env, cwd=tmp_path)
    assert str(err.value) == f"{name}={value!r} (from {source}): {problem}"


def test_env_example_documents_every_variable_and_parses(tmp_path):
    example = Path(__file__).resolve().parents[2] / ".env.example"
    values = parse_dotenv(example.read_text(encoding="utf-8"), str(example))
    assert set(values) == {"DPG_LORA_TRAINER_DIR", "DPG_LORA_PYTHON", "DPG_LORA_PRESETS_DIR",
                           "DPG_LORA_USER_DIR", "DPG_LORA_THEME", "DPG_LORA_LANG", "DPG_LORA_UI_SCALE"}
    # `cp .env.example .env` unchanged gives working settings
    (tmp_path / ".env").write_text(example.read_text(encoding="utf-8"), encoding="utf-8")
    assert load_settings(env={}, cwd=tmp_path).theme == "dark"
