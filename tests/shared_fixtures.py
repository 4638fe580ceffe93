"""Where the upstream trainer's example files are: the team's shared/ folder beside the checkout
(as CI lays it out), else /work/shared. They are AGPL data: read at test time, never copied here."""
from __future__ import annotations

import os
from pathlib import Path

_REPO = Path(__file__).resolve().parents[1]


def t2itrainer_fixtures() -> Path:
    candidates = [os.environ.get("DPG_LORA_SHARED_DIR"), _REPO.parent / "shared", "/work/shared"]
    for base in candidates:
        if base and (Path(base) / "fixtures" / "t2itrainer").is_dir():
            return Path(base) / "fixtures" / "t2itrainer"
    return _REPO.parent / "shared" / "fixtures" / "t2itrainer"  # absent: the tests skip
