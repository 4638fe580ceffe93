"""Training runner: start the trainer, follow its output, stop its process tree, keep records.

Pure Python (no Dear PyGui). A UI creates one `RunManager`, submits `RunRequest`s and calls
`manager.drain()` once per frame; `RunView` turns drained events into what a panel shows.
"""
from dpg_lora.runner.events import (
    EpochEvent,
    Event,
    EventQueue,
    LinesEvent,
    LossEvent,
    ProgressEvent,
    SkippedEvent,
    StateEvent,
)
from dpg_lora.runner.manager import RunManager
from dpg_lora.runner.parse import END_MARKER, Progress, parse_epoch, parse_progress
from dpg_lora.runner.process import RunError
from dpg_lora.runner.records import RunRecord, default_runs_dir, list_records
from dpg_lora.runner.training_run import RunRequest, TrainingRun, can_reattach

__all__ = [
    "END_MARKER", "EpochEvent", "Event", "EventQueue", "LinesEvent", "LossEvent", "Progress",
    "ProgressEvent", "RunError", "RunManager", "RunRecord", "RunRequest", "SkippedEvent",
    "StateEvent", "TrainingRun", "can_reattach", "default_runs_dir", "list_records",
    "parse_epoch", "parse_progress",
]
