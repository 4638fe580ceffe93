"""The wheel carries presets/ and themes/ inside the package; resources.py finds them there first.
(.ci/run also builds the real wheel, installs it into a fresh venv and lists the presets.)"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from dpg_lora import resources

ROOT = Path(__file__).resolve().parents[2]


def test_the_build_step_puts_presets_and_themes_inside_the_package(tmp_path):
    proc = subprocess.run([sys.executable, "setup.py", "-q", "build_py", "--build-lib", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    for name in resources.SHIPPED:
        source = sorted(p.name for p in (ROOT / name).glob("*.json"))
        built = tmp_path / "dpg_lora" / "_data" / name
        assert source and sorted(p.name for p in built.glob("*.json")) == source
        for file in source:
            assert (built / file).read_bytes() == (ROOT / name / file).read_bytes()
    assert (tmp_path / "dpg_lora" / "runner" / "supervisor.py").is_file()


def test_package_data_wins_over_the_source_tree(tmp_path, monkeypatch):
    package = tmp_path / "site" / "dpg_lora"
    (package / "_data" / "presets").mkdir(parents=True)
    (package / "_data" / "themes").mkdir()
    (package / "_data" / "themes" / "neon.json").write_text("{}")
    monkeypatch.setattr(resources, "_package_dir", lambda: package)
    assert resources.builtin_presets_dir() == package / "_data" / "presets"
    assert resources.theme_names() == ["neon"]


def test_an_editable_checkout_uses_the_source_tree():
    assert not resources.packaged_dir("presets").exists()
    assert resources.builtin_presets_dir() == ROOT / "presets"
    assert resources.theme_names() == sorted(p.stem for p in (ROOT / "themes").glob("*.json"))
