"""The environment of every timed child process: what an installed dpg-lora starts with.

pip compiles an installed package's modules to bytecode, so a user's start reads cached bytecode.
With PYTHONDONTWRITEBYTECODE set (as on the shared machines) every child would compile each of
our modules again on every start, while the baselines (`python -c pass`, a bare Dear PyGui
window) mostly run stdlib and site-packages code that has its bytecode: ours would pay a cost
no user pays. So children write and read bytecode under a cache folder of their own
(PYTHONPYCACHEPREFIX: the source tree is left clean) and `warm_up` runs a command once untimed,
for the measured command and its baseline alike.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

USER_DIR = os.environ.get("DPG_LORA_USER_DIR", "/tmp/dpg-lora-bench")
ROOT = Path(__file__).resolve().parents[1]


def child_env() -> dict:
    """Also puts this checkout first on the path: a child measures the code beside this file, not
    whichever checkout the venv's editable install points at."""
    env = dict(os.environ, DPG_LORA_USER_DIR=USER_DIR)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("PYTHONPYCACHEPREFIX", str(Path(USER_DIR) / "pycache"))
    return env


def warm_up(argv: list[str], cwd: str) -> None:
    """Run `argv` once untimed: its bytecode is cached and its files are in the page cache."""
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd, env=child_env(),
                   timeout=120, check=False)
