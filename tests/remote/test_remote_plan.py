"""Pure parts of remote runs: destinations, quoting, each machine's command, the host field."""
from __future__ import annotations

import shlex
import subprocess

import pytest

from dpg_lora.compile_context import CompileContext
from dpg_lora.compiler import compile_graph
from dpg_lora.graph import load_graph
from dpg_lora.remote.plan import machine_argvs, plans
from dpg_lora.remote.ssh import Host, SshError, SshSettings, parse_destination, remote_command, split_hosts

PRESET = __import__("pathlib").Path(__file__).resolve().parents[2] / "presets" / "single_image.json"


@pytest.mark.parametrize("text,target,port", [
    ("gpu", "gpu", None),
    ("me@gpu-box.example", "me@gpu-box.example", None),
    ("ssh://me@gpu:2222", "me@gpu", 2222),
    ("ssh://gpu", "gpu", None),
    ("ssh://me@[::1]:2200", "me@::1", 2200),
])
def test_destinations(text, target, port):
    d = parse_destination(text)
    assert (d.target, d.port) == (target, port)


@pytest.mark.parametrize("text", ["", "-oProxyCommand=x", "a b", "me@", "h;rm", "$(x)", "ssh://h:99999"])
def test_bad_destinations_are_refused(text):
    with pytest.raises(SshError):
        parse_destination(text)


def test_ssh_command_line_quotes_every_argument_and_puts_the_host_after_double_dash(tmp_path):
    host = Host("ssh://me@gpu:2222", SshSettings(program="ssh", config_file="/c f",
                                                 control_dir=str(tmp_path / "c")))
    odd = ["printf", "%s", "a b", "it's", "$(touch x)", "ü"]
    argv = host.argv(odd)
    assert argv[:3] == ["ssh", "-F", "/c f"] and "BatchMode=yes" in argv
    assert argv[-3:-1] == ["--", "me@gpu"] and argv[argv.index("-p") + 1] == "2222"
    assert shlex.split(argv[-1]) == odd  # what the remote shell splits it into
    out = subprocess.run(["sh", "-c", remote_command(odd)], capture_output=True, text=True).stdout
    assert out == "a bit's$(touch x)ü"


def test_split_hosts():
    assert split_hosts(" a, b  c ,") == ["a", "b", "c"] and split_hosts("") == []


def test_machine_commands_get_ranks_in_list_order():
    argv = ["py", "-m", "accelerate.commands.launch", "--num_processes", "8", "--multi_gpu",
            "--num_machines", "1", "--machine_rank", "0", "--main_process_ip", "", "--main_process_port",
            "29555", "train.py", "--config_path", "c.json"]
    asked = []
    cmds = machine_argvs(argv, 2, lambda: asked.append(1) or "10.0.0.5")
    assert asked == [1]
    for rank, cmd in enumerate(cmds):
        assert cmd[:3] == argv[:3] and cmd[-3:] == ["train.py", "--config_path", "c.json"]
        assert cmd[cmd.index("--machine_rank") + 1] == str(rank)
        assert cmd[cmd.index("--num_machines") + 1] == "2"
        assert cmd[cmd.index("--main_process_ip") + 1] == "10.0.0.5"
        assert cmd[cmd.index("--main_process_port") + 1] == "29555"
        assert cmd[cmd.index("--num_processes") + 1] == "8" and "--multi_gpu" in cmd
        assert cmd.count("--machine_rank") == 1
    python_launcher = machine_argvs(["py", "train.py", "--config_path", "c.json"], 3, "h0")
    assert python_launcher[2][:5] == ["py", "-m", "accelerate.commands.launch", "--num_processes", "3"]
    assert plans(["py", "t.py"], "T", [], "x") == [{"host": "", "cwd": "T", "argv": ["py", "t.py"]}]


def _graph_with(**values):
    graph = load_graph(str(PRESET))
    [loader] = [n for n in graph.nodes if n.type == "script_loader"]
    loader.values.update(values)
    return graph


def test_host_field_steers_and_is_not_written():
    result = compile_graph(_graph_with(host="me@gpu, ssh://me@gpu2:2222"))
    assert result.hosts == ["me@gpu", "ssh://me@gpu2:2222"]
    assert "host" not in result.config and not result.errors
    bad = compile_graph(_graph_with(host="-oProxyCommand=x"))
    assert [(d.code, d.field) for d in bad.errors] == [("BAD_HOST", "host")]


def test_this_machines_default_folder_on_a_host_is_a_warning():
    context = CompileContext(trainer_dir="/home/me/T2ITrainer")
    remote = compile_graph(_graph_with(host="gpu"), context)
    assert [d.field for d in remote.diagnostics if d.code == "HOST_USES_LOCAL_DEFAULT"] == ["trainer_dir"]
    local = compile_graph(_graph_with(), context)
    assert not [d for d in local.diagnostics if d.code == "HOST_USES_LOCAL_DEFAULT"]
