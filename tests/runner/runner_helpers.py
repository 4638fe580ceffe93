from __future__ import annotations

import sys
from pathlib import Path

from dpg_lora.runner.process import pid_alive
from tests.waiting import wait_for  # noqa: F401 - the runner tests import it from here

FAKE_TRAINER = Path(__file__).with_name("fake_trainer.py")


def read_pids(pidfile: Path) -> dict[str, int]:
    if not pidfile.exists():
        return {}
    pids = {}
    for line in pidfile.read_text().splitlines():
        parts = line.split()
        if len(parts) == 2:
            pids[parts[0]] = int(parts[1])
    return pids


def survivors(pids) -> list[int]:
    return [p for p in pids if pid_alive(p)]



def trainer_argv(*options: str) -> list[str]:
    return [sys.executable, "train_fake.py", *options]
