"""What every command checks at start (settings, the display) and how it ends (a closed pipe)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dpg_lora.settings import SettingsError, load_settings

ROOT = Path(__file__).resolve().parents[2]
PRESET = ROOT / "presets" / "single_image.json"
posix_only = pytest.mark.skipif(os.name == "nt", reason="POSIX paths, modes and pipes")


def cli(*args, cwd, drop=(), **env):
    full = {k: v for k, v in os.environ.items() if not k.startswith("DPG_LORA_") and k not in drop}
    full.update(env, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "dpg_lora", *map(str, args)], capture_output=True,
                          text=True, encoding="utf-8", cwd=cwd, timeout=60, env=full)


# ---------------------------------------------------------------- settings

@posix_only
@pytest.mark.parametrize("command", [("presets", "list"), ("run", PRESET, "--dry-run"),
                                     ("compile", PRESET)])
def test_a_user_dir_that_cannot_be_created_is_exit_2_naming_the_variable(tmp_path, command):
    res = cli(*command, cwd=tmp_path, DPG_LORA_USER_DIR="/etc/passwd/sub")
    assert res.returncode == 2, res.stderr
    assert "Traceback" not in res.stderr
    assert "DPG_LORA_USER_DIR='/etc/passwd/sub' (from the environment)" in res.stderr
    assert "/etc/passwd is not a folder" in res.stderr


@posix_only
def test_the_same_from_dotenv_names_the_file_and_line(tmp_path):
    (tmp_path / ".env").write_text("# mine\nDPG_LORA_USER_DIR=/etc/passwd/sub\n", encoding="utf-8")
    res = cli("presets", "list", cwd=tmp_path)
    assert res.returncode == 2
    assert f"(from {tmp_path / '.env'} line 2)" in res.stderr


@posix_only
def test_user_dir_checks_without_creating_anything(tmp_path):
    target = tmp_path / "not yet" / "there"
    settings = load_settings({"DPG_LORA_USER_DIR": str(target)}, cwd=tmp_path)
    assert settings.user_dir == target and not target.parent.exists()
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    if os.geteuid() != 0:  # root may write anywhere
        with pytest.raises(SettingsError, match="no permission"):
            load_settings({"DPG_LORA_USER_DIR": str(locked / "sub")}, cwd=tmp_path)


@posix_only
@pytest.mark.parametrize("value,problem", [("/etc/passwd", "not an executable file"),
                                           ("/tmp", "a folder, not an executable file"),
                                           ("no-such-python-9", "not found on PATH")])
def test_a_python_that_is_not_an_executable_file_is_exit_2(tmp_path, value, problem):
    res = cli("run", PRESET, "--dry-run", cwd=tmp_path, DPG_LORA_PYTHON=value)
    assert res.returncode == 2, res.stderr
    assert f"DPG_LORA_PYTHON={value!r} (from the environment)" in res.stderr
    assert problem in res.stderr


def test_an_unknown_variable_gets_a_did_you_mean_warning(tmp_path):
    res = cli("presets", "list", cwd=tmp_path, DPG_LORA_TRAINERDIR="/x",
              DPG_LORA_USER_DIR=str(tmp_path / "u"))
    assert res.returncode == 0, res.stderr
    assert ("warning: DPG_LORA_TRAINERDIR (from the environment) is not a dpg-lora setting; "
            "did you mean DPG_LORA_TRAINER_DIR?") in res.stderr
    res = cli("presets", "list", cwd=tmp_path, DPG_LORA_ZZZ="1", DPG_LORA_USER_DIR=str(tmp_path / "u"))
    assert "DPG_LORA_ZZZ (from the environment) is not a dpg-lora setting" in res.stderr
    assert "DPG_LORA_THEME" in res.stderr  # no close match: the known names are listed


# ---------------------------------------------------------------- choices

def test_an_unknown_theme_is_refused_with_the_accepted_values(tmp_path):
    res = cli("screenshot", PRESET, "-o", tmp_path / "s.png", "--theme", "neon", cwd=tmp_path)
    assert res.returncode == 2
    assert "neon" in res.stderr and "'dark'" in res.stderr and "'light'" in res.stderr
    assert not (tmp_path / "s.png").exists()
    res = cli("presets", "list", cwd=tmp_path, DPG_LORA_THEME="neon")
    assert res.returncode == 2
    assert "DPG_LORA_THEME='neon' (from the environment)" in res.stderr and "'light'" in res.stderr


@pytest.mark.parametrize("grace", ["nan", "inf", "-1"])
def test_run_grace_must_be_a_finite_non_negative_number(tmp_path, grace):
    res = cli("run", PRESET, "--dry-run", "--grace", grace, cwd=tmp_path)
    assert res.returncode == 2 and "--grace" in res.stderr and "Traceback" not in res.stderr


@pytest.mark.parametrize("grace", ["nan", "-1"])
def test_stop_grace_is_checked_like_run(tmp_path, grace):
    res = cli("stop", "no-such-run", "--grace", grace, cwd=tmp_path)
    assert res.returncode == 2 and "finite number of seconds" in res.stderr


# ---------------------------------------------------------------- dry run

def test_dry_run_checks_what_a_real_run_checks(tmp_path):
    res = cli("run", PRESET, "--trainer-dir", "/nonexistent", "--dry-run", cwd=tmp_path)
    assert res.returncode == 2, res.stdout + res.stderr
    assert "trainer directory not found: /nonexistent" in res.stderr
    res = cli("run", PRESET, "--trainer-dir", tmp_path, "--dry-run", cwd=tmp_path)  # no script there
    assert res.returncode == 2 and "training script not found" in res.stderr
    (tmp_path / "train_longcat.py").write_text("", encoding="utf-8")
    res = cli("run", PRESET, "--trainer-dir", tmp_path, "--python", sys.executable, "--dry-run", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "command: " in res.stdout


# ---------------------------------------------------------------- a closed pipe

@posix_only
@pytest.mark.parametrize("command", [("presets", "list", "--json"), ("compile", PRESET),
                                     ("--help",)])
def test_a_closed_pipe_is_a_quiet_exit(tmp_path, command):
    full = {k: v for k, v in os.environ.items() if not k.startswith("DPG_LORA_")}
    full.update(PYTHONPATH=str(ROOT), DPG_LORA_USER_DIR=str(tmp_path / "u"))
    read, write = os.pipe()
    os.close(read)  # the reader is gone before anything is written (`| head` that already quit)
    proc = subprocess.run([sys.executable, "-m", "dpg_lora", *map(str, command)], stdout=write,
                          stderr=subprocess.PIPE, text=True, cwd=tmp_path, env=full, timeout=60)
    os.close(write)
    assert proc.stderr == ""
    # as a shell reports other tools stopped by SIGPIPE; argparse's own --help ignores the error
    assert proc.returncode == (0 if command == ("--help",) else 141)


# ---------------------------------------------------------------- no display

@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 display check")
@pytest.mark.parametrize("display", [None, ":9931"])
def test_the_editor_without_a_display_says_so_and_exits_2(tmp_path, display):
    env = {"DISPLAY": display} if display else {}
    res = cli(*([] if display else [PRESET]), cwd=tmp_path, drop=("DISPLAY", "WAYLAND_DISPLAY"),
              DPG_LORA_USER_DIR=str(tmp_path / "u"), **env)
    assert res.returncode == 2, res.stderr
    assert "no display found" in res.stderr
    assert ("DISPLAY is not set" if display is None else "cannot open the X display ':9931'") in res.stderr
    assert "dpg-lora compile" in res.stderr and "Assertion" not in res.stderr


# ---------------------------------------------------------------- preset listing

@posix_only
def test_presets_list_shows_dangling_and_looping_symlinks_with_their_error(tmp_path):
    presets = tmp_path / "u" / "presets"
    presets.mkdir(parents=True)
    (presets / "dangling.json").symlink_to(tmp_path / "gone.json")
    (presets / "loop.json").symlink_to(presets / "loop.json")
    (presets / "good.json").symlink_to(PRESET)
    res = cli("presets", "list", "--json", cwd=tmp_path, DPG_LORA_USER_DIR=str(tmp_path / "u"))
    assert res.returncode == 0, res.stderr
    rows = {Path(r["path"]).name: r for r in json.loads(res.stdout) if r["source"] == "user"}
    assert set(rows) == {"dangling.json", "loop.json", "good.json"}
    assert rows["good.json"]["error"] is None
    assert "No such file" in rows["dangling.json"]["error"]
    assert "symbolic links" in rows["loop.json"]["error"]


@posix_only
def test_run_with_a_closed_pipe_keeps_training_and_exits_with_the_trainers_code(tmp_path):
    trainer = tmp_path / "trainer"
    trainer.mkdir()
    fake = ROOT / "tests" / "runner" / "fake_trainer.py"
    (trainer / "train_longcat.py").write_text(fake.read_text(encoding="utf-8"), encoding="utf-8")
    data = json.loads(PRESET.read_text(encoding="utf-8"))
    [loader] = [n for n in data["nodes"] if n["type"] == "script_loader"]
    loader["values"].update(trainer_dir=str(trainer), python=sys.executable, script="train_longcat.py")
    graph = tmp_path / "g.json"
    graph.write_text(json.dumps(data), encoding="utf-8")
    full = {k: v for k, v in os.environ.items() if not k.startswith("DPG_LORA_")}
    full.update(PYTHONPATH=str(ROOT), DPG_LORA_USER_DIR=str(tmp_path / "u"))
    read, write = os.pipe()
    os.close(read)
    proc = subprocess.run([sys.executable, "-m", "dpg_lora", "run", str(graph)], stdout=write,
                          stderr=subprocess.PIPE, text=True, cwd=tmp_path, env=full, timeout=120)
    os.close(write)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 0 and "dpg-lora: finished (exit code 0)" in proc.stderr


def test_every_dpg_lora_variable_the_code_reads_is_known():
    import re

    from dpg_lora.settings import KNOWN_VARIABLES

    used = set()
    files = [*(ROOT / "dpg_lora").rglob("*.py"), *(ROOT / "tests").rglob("conftest.py"),
             ROOT / "tests" / "shared_fixtures.py", ROOT / ".ci" / "run", ROOT / ".env.example"]
    for path in files:
        if path.is_file():
            used |= set(re.findall(r"DPG_LORA_[A-Z][A-Z_]*[A-Z]", path.read_text(encoding="utf-8")))
    # (the misspelt names of this file's own tests are not scanned)
    assert used and used <= set(KNOWN_VARIABLES), used - set(KNOWN_VARIABLES)
