"""The Run tab's plan and Run again for a run on another host (the test sshd; a Dear PyGui
context without a viewport): the plan names the host and checks it on request, and a remote
run runs again on the same host with its frozen config."""
from __future__ import annotations

import json

import pytest

dpg = pytest.importorskip("dearpygui.dearpygui")

from dpg_lora.document import Document  # noqa: E402
from dpg_lora.runner import RunManager  # noqa: E402
from dpg_lora.runner.records import frozen_config_text  # noqa: E402
from dpg_lora.ui.run_panel import RunPanel  # noqa: E402
from remote_helpers import wait_for  # noqa: E402


def drain_until(panel, predicate, timeout=60):
    return wait_for(lambda: (panel.drain() or True) and predicate(), timeout)


def check_texts(panel) -> list[str]:
    rows = dpg.get_item_children(panel.tags["checks"], 1)
    return [" ".join(dpg.get_value(t) for t in dpg.get_item_children(row, 1)) for row in rows]


def test_the_plan_names_the_host_and_checks_it_on_request(headless_window, sshd, remote_graph, tmp_path):
    graph, _env, set_options, _values = remote_graph
    set_options("--steps", "2")
    doc = Document.open(graph)
    manager = RunManager(tmp_path / "runs", grace=0.5)
    panel = RunPanel(headless_window, manager, document=lambda: doc)
    panel.build()
    drain_until(panel, lambda: panel.plan is not None and panel.plan_is_current())
    assert dpg.get_value(panel.tags["plan_host"]) == "rhost0"
    assert dpg.get_value(panel.tags["plan_cwd"]) == str(sshd.trainer)
    assert dpg.get_value(panel.tags["plan_config"]) == f"{sshd.trainer}/config ü.json"
    assert dpg.get_item_configuration(panel.tags["check_host"])["show"]
    assert any(line.startswith("[at start] Host: trainer folder, script and interpreter are checked on rhost0")
               for line in check_texts(panel))
    panel.check_host()
    drain_until(panel, lambda: panel._host_job is None and panel.plan_is_current()
                and any("[ok] Host: rhost0 answers" in line for line in check_texts(panel)))
    # a host that does not answer blocks, naming it
    doc.set_value("script", "host", "ssh://nobody@127.0.0.1:1")
    drain_until(panel, lambda: panel.plan_is_current() and dpg.get_value(panel.tags["plan_host"]) == "ssh://nobody@127.0.0.1:1")
    panel.check_host()
    drain_until(panel, lambda: panel._host_job is None and panel.plan_is_current()
                and any(line.startswith("[blocks] Host:") for line in check_texts(panel)), timeout=90)
    assert dpg.get_value(panel.tags["plan_note"]).startswith("blocked")


def test_a_remote_run_runs_again_on_the_same_host_with_its_frozen_config(headless_window, sshd, remote_graph,
                                                                         tmp_path):
    graph, _env, set_options, _values = remote_graph
    set_options("--steps", "2")
    doc = Document.open(graph)
    manager = RunManager(tmp_path / "runs", grace=0.5)
    from dpg_lora.runner.prelaunch import request_of

    panel = RunPanel(headless_window, manager, lambda: request_of(doc.result, tmp_path, graph=doc.path),
                     document=lambda: doc)
    panel.build()
    first = panel.run_clicked()
    drain_until(panel, lambda: panel.view.run_id == first.id and panel.view.state == "finished")
    record = first.record
    assert record.host == "rhost0" and record.frozen_config_path.is_file()
    assert json.loads(frozen_config_text(record)) == doc.result.config
    doc.set_value("lora", "rank", doc.result.config["rank"] + 1)  # the graph moves on
    panel.refresh_history()
    panel.drain()
    panel.select_history(first.id)
    panel.show_detail("diff")
    assert f"~ rank: {record_rank(record)} -> {record_rank(record) + 1}" in dpg.get_value(panel.tags["detail"])
    panel.ask_run_again()
    assert dpg.get_item_configuration(panel.tags["again_dialog"])["show"]
    again = panel.run_again()
    drain_until(panel, lambda: panel.view.run_id == again.id and panel.view.state == "finished")
    assert again.record.host == "rhost0" and again.record.cwd == record.cwd
    assert again.record.request_argv == record.request_argv
    assert frozen_config_text(again.record) == frozen_config_text(record)
    assert "config: " in dpg.get_value(panel.tags["log"])


def record_rank(record) -> int:
    return json.loads(frozen_config_text(record))["rank"]
