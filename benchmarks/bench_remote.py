"""Remote runs over ssh on loopback: line latency (trainer writes -> in the local event queue) and
log throughput, each beside the same measurement for a local run in this process run.

Starts the tests' own sshd (tests/remote/sshd_server.py: a test user, keys, 127.0.0.1 only), so it
needs root and openssh-server; otherwise it reports why it did not run. Line stamps use
time.monotonic(), one clock for every process on the machine.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "remote"))
FAKE = HERE.parent / "tests" / "runner" / "fake_trainer.py"

from report import Row, at_least, info, ratio_at_most  # noqa: E402
from bench_runner import follow, stamp_consumer as _stamp_consumer  # noqa: E402

PACED_LINES = 300
PACE = 0.01
FLOOD_LINES = 300_000  # ~19 MB of log


def _follow(run, consumer=None) -> float:
    elapsed = follow(run, run.events, consumer)
    if run.state != "finished":
        raise RuntimeError(f"bench run ended {run.state}: {run.record.message}")
    return elapsed


def _local(tmp: Path, *options: str, consumer=None):
    from dpg_lora.runner import RunRequest, TrainingRun

    request = RunRequest.make([sys.executable, str(FAKE), "--steps", "1", *options], tmp)
    run = TrainingRun.from_request(request, tmp / "runs", grace=1.0)
    return run, _follow(run, consumer)


def _remote(tmp: Path, server, *options: str, consumer=None):
    from dpg_lora.remote.remote_run import RemoteRun

    plan = {"host": "rhost0", "cwd": str(server.trainer),
            "argv": [server.python, "train_fake.py", "--steps", "1", *options]}
    run = RemoteRun.create(tmp / "runs", [plan], grace=1.0)
    return run, _follow(run, consumer)


def _median_p95(delays: list[float]) -> tuple[float, float]:
    delays = sorted(delays)
    return statistics.median(delays) * 1000, delays[int(0.95 * (len(delays) - 1))] * 1000


def measure(tmp: Path, server) -> list[Row]:
    paced = ("--paced", str(PACED_LINES), "--pace", str(PACE))
    local_delays: list[float] = []
    remote_delays: list[float] = []
    _local(tmp, *paced, consumer=_stamp_consumer(local_delays))
    _remote(tmp, server, *paced, consumer=_stamp_consumer(remote_delays))
    local_med, local_p95 = _median_p95(local_delays)
    med, p95 = _median_p95(remote_delays)
    flood = ("--flood", str(FLOOD_LINES))
    local_run, local_s = _local(tmp, *flood)
    remote_run, remote_s = _remote(tmp, server, *flood)
    size = Path(remote_run.record.log_path).stat().st_size
    same = Path(remote_run.record.log_path).read_bytes() == (
        Path(remote_run.machines[0].run_dir) / "log").read_bytes()
    mib = size / 2**20
    return [
        info("remote: local run, line written -> in queue, median / p95",
             f"{local_med:.1f} / {local_p95:.1f} ms", value=local_med, unit="ms"),
        ratio_at_most("remote: ssh loopback, line written -> in queue, median", med, max(local_med, 1.0),
                      40, "ms", "local run (floor 1 ms)", extra=f"p95 {p95:.0f} ms"),
        Row("remote: ssh loopback line latency p95 within one idle poll (500 ms) + margin",
            f"{p95:.0f} ms", "<= 600 ms", passed=p95 <= 600, value=p95, unit="ms"),
        at_least(f"remote: ssh loopback log throughput ({mib:.0f} MiB flood, start to end)",
                 mib / remote_s, 5, "MiB/s", digits=1,
                 extra=f"local run {mib / local_s:.1f} MiB/s; copy byte-identical: {same}"),
    ]


def rows() -> list[Row]:
    from sshd_server import ssh_server, why_not

    reason = why_not()
    if reason:
        return [info("remote: not measured", reason)]
    with tempfile.TemporaryDirectory(prefix="bench remote ") as tmp, ssh_server() as server:
        return measure(Path(tmp), server)


if __name__ == "__main__":
    for row in rows():
        print(row)
