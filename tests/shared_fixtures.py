"""Where the upstream trainer's example files are: the team's shared/ folder beside the checkout
(as CI lays it out), else /work/shared. They are AGPL data: read at test time, never copied here."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

_REPO = Path(__file__).resolve().parents[1]


def t2itrainer_fixtures() -> Path:
    explicit = os.environ.get("DPG_LORA_SHARED_DIR")  # when set, the only place looked at
    candidates = [explicit] if explicit else [_REPO.parent / "shared", "/work/shared"]
    for base in candidates:
        if base and (Path(base) / "fixtures" / "t2itrainer").is_dir():
            return Path(base) / "fixtures" / "t2itrainer"
    return Path(explicit or _REPO.parent / "shared") / "fixtures" / "t2itrainer"  # absent (see below)


def needs_shared_fixtures(present: bool) -> list:
    """The marks for a module that reads the shared trainer fixtures. Where they are absent the tests
    are skipped with a reason that says what is missing; where they must be there (CI sets
    DPG_LORA_REQUIRE_SHARED=1) they fail instead of skipping silently."""
    marks = [pytest.mark.shared_fixtures]
    if present:
        return marks
    where = t2itrainer_fixtures()
    if os.environ.get("DPG_LORA_REQUIRE_SHARED") == "1":
        return marks + [pytest.mark.usefixtures("shared_fixtures_missing")]
    return marks + [pytest.mark.skip(reason=f"needs the shared trainer fixtures at {where} "
                                            "(or DPG_LORA_SHARED_DIR); not found")]
