"""The launch plan and pre-launch checks the Run tab shows (runner/prelaunch.py), and the CLI's
dry run reporting the same checks."""
from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path


from dpg_lora.compile_context import CompileContext
from dpg_lora.compiler import compile_graph
from dpg_lora.graph import load_graph
from dpg_lora.i18n import LANGUAGES, load_catalogue
from dpg_lora.runner.prelaunch import (BLOCK, LATER, PASS, REASONS, STATUSES, UNKNOWN, WARN, Check,
                                       PlanJob, config_file_of, launch_problem, local_checks,
                                       plan_launch, request_of, wandb_check)
from dpg_lora.runner.training_run import RunRequest

PRESET = Path(__file__).resolve().parents[2] / "presets" / "single_image.json"


def compiled(tmp_path, report_to=None, **loader_values):
    data = json.loads(PRESET.read_text(encoding="utf-8"))
    [loader] = [n for n in data["nodes"] if n["type"] == "script_loader"]
    loader["values"].update(loader_values)
    if report_to:
        [misc] = [n for n in data["nodes"] if n["type"] == "misc_settings"]
        misc["values"]["report_to"] = report_to
    path = tmp_path / "graph ü.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return compile_graph(load_graph(path), CompileContext()), path


def by_name(plan_or_checks):
    checks = plan_or_checks.checks if hasattr(plan_or_checks, "checks") else plan_or_checks
    return {c.name: c for c in checks}


def test_every_reason_has_words_in_every_language():
    for language in LANGUAGES:
        catalogue = load_catalogue(language)
        for name, reasons in REASONS.items():
            assert catalogue.has(f"run.check.{name}"), (language, name)
            for reason in reasons:
                assert catalogue.has(f"run.reason.{name}.{reason}"), (language, name, reason)
        for status in STATUSES:
            assert catalogue.has(f"run.status.{status}")


def test_a_ready_local_plan_names_host_folder_command_and_config(trainer_dir, tmp_path):
    script = trainer_dir / "train_longcat.py"
    script.write_text("print('hi')\n")
    result, graph = compiled(tmp_path, trainer_dir=str(trainer_dir), python=sys.executable,
                             config_path="cfg ü.json", report_to="tensorboard")
    request = request_of(result, tmp_path, graph=str(graph))
    assert request.cwd == str(trainer_dir) and request.hosts == () and request.graph == str(graph)
    assert request.argv == tuple(result.argv) and request.config_text == result.config_text
    plan = plan_launch(result, request, graph=str(graph), wandb_login="")
    assert not plan.remote and not plan.blocked
    assert plan.config_file == str(trainer_dir / "cfg ü.json")
    assert plan.machines == (("", tuple(result.argv)),)
    checks = by_name(plan)
    assert [c.status for c in plan.checks] == [checks[c.name].status for c in plan.checks]
    assert checks["trainer_dir"] == Check("trainer_dir", PASS, "found", str(trainer_dir))
    assert checks["interpreter"].status == PASS and checks["interpreter"].subject == sys.executable
    assert checks["script"] == Check("script", PASS, "found", str(script))
    assert checks["config_file"].status == PASS
    assert checks["wandb"] == Check("wandb", PASS, "not_used", "tensorboard")
    assert checks["validation"].status in (PASS, WARN)


def test_a_relative_trainer_folder_is_taken_against_the_start_folder(tmp_path):
    result, _ = compiled(tmp_path, trainer_dir="sub dir")
    assert request_of(result, tmp_path).cwd == str(tmp_path / "sub dir")


def test_each_missing_piece_blocks_on_its_own(tmp_path):
    result, graph = compiled(tmp_path, report_to="wandb", trainer_dir=str(tmp_path / "nowhere"),
                             python=str(tmp_path / "no python"))
    plan = plan_launch(result, request_of(result, tmp_path, graph=str(graph)))
    checks = by_name(plan)
    assert plan.blocked
    assert checks["trainer_dir"].status == BLOCK and checks["trainer_dir"].reason == "missing"
    assert checks["interpreter"].status == BLOCK and checks["interpreter"].reason == "missing"
    assert checks["script"].status == BLOCK
    assert checks["config_file"].status == PASS  # its folder can be created
    assert checks["wandb"].status == UNKNOWN  # no login facts given


def test_config_file_checks(trainer_dir, tmp_path):
    request = RunRequest.make([sys.executable, "train_fake.py"], trainer_dir, config_path="cfg")
    (trainer_dir / "cfg").mkdir()
    assert by_name(local_checks(request))["config_file"].reason == "is_folder"
    graph = trainer_dir / "graph.json"
    graph.write_text("{}")
    same = RunRequest.make([sys.executable, "train_fake.py"], trainer_dir, config_path="graph.json")
    assert by_name(local_checks(same, str(graph)))["config_file"].reason == "is_graph"
    if os.geteuid() != 0:  # root writes anywhere
        locked = trainer_dir / "locked"
        locked.mkdir()
        locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
        deep = RunRequest.make([sys.executable, "train_fake.py"], trainer_dir, config_path="locked/c.json")
        assert by_name(local_checks(deep))["config_file"].reason == "not_writable"


def test_launch_problem_is_the_first_blocking_check(trainer_dir):
    assert launch_problem([sys.executable, "train_fake.py"], trainer_dir, trainer_dir / "c.json",
                          "train_fake.py") is None
    problem = launch_problem([sys.executable, "train_gone.py"], trainer_dir, trainer_dir / "c.json",
                             "train_gone.py")
    assert problem == f"training script not found: {trainer_dir / 'train_gone.py'}"


def test_wandb_check_follows_the_environment_finding():
    assert wandb_check({"report_to": "wandb"}, "", False).status == WARN
    assert wandb_check({"report_to": "wandb"}, "WANDB_API_KEY", False) == Check(
        "wandb", PASS, "logged_in", "WANDB_API_KEY")
    assert wandb_check({"report_to": "wandb"}, None, False).reason == "not_checked"
    assert wandb_check({"report_to": "wandb"}, "WANDB_API_KEY", True).reason == "on_host"


def test_a_remote_plan_checks_the_host_at_start_unless_asked(tmp_path):
    result, _ = compiled(tmp_path, trainer_dir="/srv/T2I", host="me@gpu-box", config_path="c.json")
    request = request_of(result, tmp_path)
    assert request.hosts == ("me@gpu-box",) and request.cwd == "/srv/T2I"
    plan = plan_launch(result, request)
    assert plan.remote and plan.config_file == "/srv/T2I/c.json"
    assert by_name(plan)["host"] == Check("host", LATER, "on_host", "me@gpu-box")
    assert "interpreter" not in by_name(plan)  # a path on that host: not looked for here
    failed = Check("host", BLOCK, "failed", "me@gpu-box", "ssh: connection refused")
    assert plan_launch(result, request, host=failed).blocked


def test_config_file_of_a_host_is_a_posix_path():
    request = RunRequest.make(["python"], "/srv/a b", config_path="c.json", hosts=["h"])
    assert config_file_of(request) == "/srv/a b/c.json"


def test_plan_job_hands_over_the_result_or_the_error():
    woken = []
    job = PlanJob(lambda: 41 + 1, wake=lambda: woken.append(1))
    job.join(5)
    assert job.poll() == (True, 42) and woken == [1]

    def broken():
        raise OSError("disk gone")

    job = PlanJob(broken)
    job.join(5)
    ok, exc = job.poll()
    assert not ok and str(exc) == "disk gone"
