"""report_to wandb without a W&B login: warned before launch, from an explicit environment."""
from __future__ import annotations

import json
import sys

import pytest

from dpg_lora.cli import main
from dpg_lora.compile_context import EMPTY_CONTEXT, CompileContext
from dpg_lora.compiler import compile_graph
from dpg_lora.graph import save_graph
from dpg_lora.validation.environment import environment_findings, wandb_login_of
from tests.core.util import small_graph
from tests.validation.helpers import sound


def netrc_file(tmp_path, host="api.wandb.ai"):
    path = tmp_path / "netrc"
    path.write_text(f"machine {host}\n  login user\n  password secret\n", encoding="utf-8")
    path.chmod(0o600)
    return str(path)


def test_how_wandb_would_log_in(tmp_path):
    assert wandb_login_of({}) == ""
    assert wandb_login_of({"WANDB_API_KEY": "k"}) == "WANDB_API_KEY"
    assert wandb_login_of({"WANDB_API_KEY": "  "}) == ""
    assert wandb_login_of({"WANDB_MODE": "offline"}) == "WANDB_MODE=offline"
    assert wandb_login_of({"NETRC": netrc_file(tmp_path)}).startswith("netrc")
    assert wandb_login_of({"NETRC": netrc_file(tmp_path, "example.org")}) == ""
    (tmp_path / ".netrc").write_text("machine api.wandb.ai login u password p\n", encoding="utf-8")
    assert wandb_login_of({"HOME": str(tmp_path)}).startswith("netrc")
    assert wandb_login_of({"NETRC": str(tmp_path / "missing")}) == ""


def test_the_finding_needs_wandb_and_no_login():
    config = {**sound("train_longcat.py"), "report_to": "wandb"}
    (finding,) = environment_findings(config, "")
    assert finding.code == "WANDB_NO_LOGIN" and finding.severity == "warning" and finding.path == ("report_to",)
    assert "login prompt" in finding.message and "WANDB_API_KEY" in finding.message
    assert environment_findings(config, "WANDB_API_KEY") == []
    assert environment_findings({**config, "report_to": "tensorboard"}, "") == []


def test_a_compile_pins_it_to_the_report_to_field():
    graph = small_graph()  # train_longcat.py reports to wandb by default
    found = [d for d in compile_graph(graph, CompileContext(wandb_login="")).diagnostics if d.code == "WANDB_NO_LOGIN"]
    assert [(d.node_id, d.field, d.severity) for d in found] == [("misc", "report_to", "warning")]
    assert not [d for d in compile_graph(graph, EMPTY_CONTEXT).diagnostics if d.code == "WANDB_NO_LOGIN"]
    graph.node("script").values["host"] = "gpu-box"  # another machine: this one's login says nothing
    assert not [d for d in compile_graph(graph, CompileContext(wandb_login="")).diagnostics
                if d.code == "WANDB_NO_LOGIN"]


@pytest.fixture
def no_login(monkeypatch, tmp_path):
    for name in ("WANDB_API_KEY", "WANDB_MODE", "WANDB_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "no-netrc"))
    return monkeypatch


def test_validate_and_a_dry_run_warn_before_launch(tmp_path, capsys, no_login):
    path = tmp_path / "g.json"
    graph = small_graph()
    # a dry run checks what a run checks: a trainer folder with the script, an interpreter
    (tmp_path / "train_longcat.py").write_text("", encoding="utf-8")
    graph.node("script").values.update(trainer_dir=str(tmp_path), python=sys.executable)
    save_graph(graph, path)
    assert main(["validate", str(path)]) == 0
    assert "warning WANDB_NO_LOGIN misc.report_to: " in capsys.readouterr().err
    trainer = tmp_path / "trainer"
    trainer.mkdir()
    (trainer / "train_longcat.py").write_text("", encoding="utf-8")
    assert main(["run", str(path), "--dry-run", "--trainer-dir", str(trainer), "--python", sys.executable]) == 0
    assert "warning WANDB_NO_LOGIN misc.report_to: " in capsys.readouterr().err
    config = tmp_path / "c.json"
    config.write_text(json.dumps({**sound("train_longcat.py"), "report_to": "wandb"}), encoding="utf-8")
    assert main(["validate", str(config), "--script", "train_longcat.py"]) == 0
    assert "warning WANDB_NO_LOGIN report_to: " in capsys.readouterr().err
    no_login.setenv("WANDB_API_KEY", "secret")
    assert main(["validate", str(path)]) == 0
    assert "WANDB_NO_LOGIN" not in capsys.readouterr().err
