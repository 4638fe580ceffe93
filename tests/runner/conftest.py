from __future__ import annotations

from pathlib import Path

import pytest

from runner_helpers import FAKE_TRAINER

@pytest.fixture
def trainer_dir(tmp_path: Path) -> Path:
    """A trainer folder with a space and non-ASCII characters in its path, holding the script."""
    folder = tmp_path / "T2I Trainer ünï"
    folder.mkdir()
    (folder / "train_fake.py").write_text(FAKE_TRAINER.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


@pytest.fixture
def runs_dir(tmp_path: Path) -> Path:
    return tmp_path / "runs"


@pytest.fixture(autouse=True)
def _isolated_user_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("DPG_LORA_USER_DIR", str(tmp_path / "user"))
    yield
