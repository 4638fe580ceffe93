"""Every run keeps its config as its trainer got it in the record folder, and can be run again
as it was (runner/records.py, RunRequest.again)."""
from __future__ import annotations

import json

from dpg_lora.runner import RunManager, RunRequest
from dpg_lora.runner.records import (FROZEN_CONFIG_FILE, RunRecord, frozen_config_text, list_records,
                                     save_record)
from runner_helpers import trainer_argv


def test_the_config_is_frozen_in_the_record_folder_at_launch(trainer_dir, runs_dir):
    manager = RunManager(runs_dir)
    config = json.dumps({"rank": 8, "output_dir": "out ü"}, ensure_ascii=False) + "\n"
    request = RunRequest.make(trainer_argv("--steps", "2"), trainer_dir, config_text=config,
                              config_path="cfg ü.json", script="train_fake.py", graph="/g/graph.json")
    run = manager.submit(request)
    assert run.wait(30)
    (trainer_dir / "cfg ü.json").write_text("{}")  # the trainer folder's copy is edited later
    [record] = list_records(runs_dir)
    assert record.frozen_config_path == runs_dir / run.id / FROZEN_CONFIG_FILE
    assert record.frozen_config_path.read_text(encoding="utf-8") == config
    assert frozen_config_text(record) == config
    assert record.graph == "/g/graph.json" and record.request_argv == list(request.argv)
    assert not list((runs_dir / run.id).glob("*.tmp*"))  # written atomically, no temp left


def test_run_again_uses_the_frozen_config_command_and_folder(trainer_dir, runs_dir):
    manager = RunManager(runs_dir)
    first = manager.submit(RunRequest.make(trainer_argv("--steps", "2"), trainer_dir,
                                           config_text='{"rank": 4}\n', config_path="c.json",
                                           script="train_fake.py"))
    assert first.wait(30)
    record = next(r for r in list_records(runs_dir) if r.id == first.id)
    again = RunRequest.again(record, frozen_config_text(record))
    assert (again.argv, again.cwd, again.config_path, again.hosts) == (
        tuple(record.argv), record.cwd, "c.json", ())
    second = manager.submit(again)
    assert second.wait(30) and second.state == "finished" and second.id != first.id
    assert (runs_dir / second.id / FROZEN_CONFIG_FILE).read_text() == '{"rank": 4}\n'


def test_an_old_record_without_the_copy_reads_its_run_json_text(tmp_path):
    record = RunRecord(id="old", argv=["python", "t.py"], cwd=str(tmp_path), config_text='{"a": 1}',
                       log_path=str(tmp_path / "old" / "output.log"), state="finished")
    save_record(record)
    assert frozen_config_text(record) == '{"a": 1}'
    assert record.hosts == () and record.request_argv == []
    assert RunRequest.again(record, '{"a": 1}').argv == ("python", "t.py")


def test_hosts_of_a_record():
    def rec(host, machines):
        return RunRecord(id="r", argv=["p"], cwd="/", host=host, machines=machines)

    assert rec("", []).hosts == ()
    assert rec("", [{"host": ""}]).hosts == ("",)  # the local detached launcher
    assert rec("a,b", [{"host": "a"}, {"host": "b"}]).hosts == ("a", "b")
