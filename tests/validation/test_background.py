"""The dataset folder scan runs on a worker thread and is collected by polling."""
from __future__ import annotations

import time

from dpg_lora.validation.background import DataCheckJob


def config_for(folder):
    return {"dataset_configs": [{
        "train_data_dir": str(folder), "resolution": "1024", "repeats": 1,
        "image_configs": {"train": {"suffix": "_T"}, "ref": {"suffix": "_R"}},
        "target_configs": {"train": [{"image": "train"}]},
        "reference_configs": {"ref": [{"sample_type": "from_same_name", "image": "ref"}]},
        "caption_configs": {"train": {"image": "train", "ext": ".txt"}},
        "batch_configs": [{"target_config": "train", "caption_config": "train", "reference_config": "ref"}]}]}


def wait_for(job, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = job.poll()
        if result is not None:
            return result
        time.sleep(0.01)
    raise AssertionError("the scan did not finish")


def test_scan_runs_in_the_background_and_reports_per_dataset(tmp_path):
    folder = tmp_path / "my set ü" / "subject"
    folder.mkdir(parents=True)
    for stem in ("a", "b"):
        (folder / f"{stem}_T.png").write_bytes(b"x")
        (folder / f"{stem}_T.txt").write_text("a caption", encoding="utf-8")
    (folder / "a_R.png").write_bytes(b"x")
    config = config_for(tmp_path / "my set ü")
    job = DataCheckJob(config, "train_longcat_edit.py", str(tmp_path), revision=7)
    config["dataset_configs"].clear()  # the editor keeps editing: the job holds its own copy
    result = wait_for(job)
    assert job.revision == 7 and not job.running
    assert len(result.datasets) == 1 and result.datasets[0].pairs == 2
    assert "missing" in result.datasets[0].line and "b_T.png" in result.datasets[0].line
    assert any(f.severity == "error" for f in result.findings)


def test_cancel_stops_the_thread(tmp_path):
    job = DataCheckJob(config_for(tmp_path), "train_longcat_edit.py", str(tmp_path))
    job.cancel()
    assert not job.running
