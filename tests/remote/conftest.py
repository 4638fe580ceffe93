"""Fixtures of the remote-run tests: one real sshd on loopback per test session (sshd_server.py)."""
from __future__ import annotations

import pytest

from sshd_server import ssh_server, why_not


@pytest.fixture(scope="session")
def sshd():
    reason = why_not()
    if reason:
        pytest.skip(reason)
    with ssh_server() as server:
        yield server


@pytest.fixture(autouse=True)
def _isolated_user_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("DPG_LORA_USER_DIR", str(tmp_path / "user"))
    yield
