"""After a workflow import: where the original would have written something else, and why."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from dpg_lora.importers import workflow_maps as M
from dpg_lora.importers.fields import json_type, show

if TYPE_CHECKING:
    from dpg_lora.compiler import CompileResult
    from dpg_lora.importers.workflow import WorkflowImporter

_WINDOWS_PATH = re.compile(r"^[A-Za-z]:[\\/]|\\")
_ABSENT = object()


def _same(a: Any, b: Any) -> bool:
    """Equal as the trainer sees them (16 and 16.0 alike, True and 1 not)."""
    if json_type(a) in ("integer", "number") and json_type(b) in ("integer", "number"):
        return a == b
    if isinstance(a, str) and isinstance(b, str) and a.lower() in ("adamw", "prodigy"):
        return a.lower() == b.lower()  # the scripts compare optimizer names case-insensitively
    return json_type(a) == json_type(b) and a == b


def report_differences(imp: "WorkflowImporter", result: "CompileResult") -> None:
    config, notes, script = result.config, imp.notes, result.script
    top_pins = [M.loader_pin(t) for t in M.ARG_NODE_TYPES]  # Directory, LoRA, Misc
    linked = [imp.top_linked[p] for p in top_pins if p in imp.top_linked]
    defined: dict[str, Any] = {}
    holder: dict[str, str] = {}
    for node_id in linked:  # merged Dir -> LoRA -> Misc, later wins, as the original did
        for key, value in imp.odata.get(node_id, {}).items():
            if value is not None:
                defined[key], holder[key] = value, node_id
    misc_pin = M.loader_pin("miscNode")
    misc = imp.top_linked.get(misc_pin, "")
    for key, wrote in M.ORIGINAL_WRITES.items():
        if key in defined:
            continue
        ours = config.get(key, _ABSENT)
        if ours is not _ABSENT and _same(wrote, ours):
            continue
        where = imp.top_linked.get(M.loader_pin(M.ORIGINAL_NODE_OF_KEY.get(key, "miscNode")), "") or "script"
        ours_text = (f"we write {show(ours)}, the {script} default" if ours is not _ABSENT
                     else f"{script} has no --{key}, so we do not write it")
        notes.info("HIDDEN_DEFAULT", f"{where}.{key}", f"never set, so the original wrote {_text(wrote)} while "
                   f"showing {show(M.ORIGINAL_SHOWED.get(key))}; {ours_text}")
    if imp.top_linked.get(misc_pin) and "lr_scheduler" not in defined:
        notes.info("HIDDEN_DEFAULT", f"{misc}.lr_scheduler", "never set: the original left lr_scheduler out (its "
                   "backend then wrote \"constant\" while the UI showed \"cosine\"); we write "
                   f"{show(config.get('lr_scheduler'))}")
    report_to = defined.get("report_to")
    if config.get("report_to") != "tensorboard" or report_to is not None:
        shown = f"its Misc held {show(report_to)}" if report_to is not None else "nothing was set"
        notes.info("NEVER_COMPILED", f"{misc or 'script'}.report_to", f"the original never compiled report_to and "
                   f"always wrote \"tensorboard\" ({shown}); we write {show(config.get('report_to'))}")
    if "resume_from" in defined:
        notes.warning("RESUME_FROM", f"{holder['resume_from']}.resume_from", f"{show(defined['resume_from'])} "
                      "now sets resume_from_checkpoint, the key the scripts read; the original never compiled it "
                      "(it always wrote resume_from: \"\", which no script reads)")
    if imp.root:
        notes.info("LOADER_KEYS", imp.root, "the original also wrote script and config_path into the JSON; "
                   "here they stay on the Script Loader (config_path inside the JSON overrides --config_path)")
    for key, value in config.items():
        if isinstance(value, str) and _WINDOWS_PATH.search(value) and (key.endswith("_dir") or key.endswith("path")
                                                                       or key == "pretrained_model_name_or_path"):
            notes.info("WINDOWS_PATH", result.locate((key,))[0] or key, f"{key} {value!r} is a Windows path; it "
                       "does not resolve on Linux")
    for i, ds in enumerate(config.get("dataset_configs", [])):
        tdd = ds.get("train_data_dir")
        if isinstance(tdd, str) and _WINDOWS_PATH.search(tdd):
            notes.info("WINDOWS_PATH", result.locate(("dataset_configs", i))[0] or f"dataset_configs[{i}]",
                       f"train_data_dir {tdd!r} is a Windows path; it does not resolve on Linux")
    for i, ds in enumerate(config.get("dataset_configs", [])):
        for j, batch in enumerate(ds.get("batch_configs", [])):
            if "reference_config_extra" in batch:
                batch_node = result.locate(("dataset_configs", i, "batch_configs", j))[0]
                notes.warning("EXTRA_ADDED", batch_node or f"dataset_configs[{i}].batch_configs[{j}]",
                              f"the original never wrote reference_config_extra, so {script} raised TypeError "
                              f"on this reference batch; we write {show(batch['reference_config_extra'])}")
    for diag in result.diagnostics:
        if diag.code == "DUPLICATE_KEY" and diag.node_id in imp.otype:
            otype = imp.otype[diag.node_id]
            then = {"referenceConfigNode": "concatenated the groups' sources",
                    "targetConfigNode": "appended the entries"}.get(otype, "kept the last one")
            notes.warning("DUPLICATE_KEY", diag.node_id, f"{diag.message}; the original {then}")


def _text(value: Any) -> str:
    return value if isinstance(value, str) and "(the author's path)" in value else show(value)
