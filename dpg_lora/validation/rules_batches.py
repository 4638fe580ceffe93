"""Batch configs: non-empty, weights (R19, select_training_set.py), F2K's reference_config_extra (R18)."""
from __future__ import annotations

from dpg_lora.scripts import profile
from dpg_lora.validation import ERROR, INFO, WARNING, Finding, rule
from dpg_lora.validation.shape import (
    as_float, batches, datasets, ds_path, is_int, is_new_schema, is_number, short,
)

_EPSILON = 1e-9


@rule("batch_weights")
def check_batch_weights(config: dict, script: str):
    if not is_new_schema(script):
        return
    for i, ds in datasets(config):
        items = ds.get("batch_configs")
        if not isinstance(items, list):
            continue  # missing or wrong type: dataset_keys
        if not items:
            yield Finding("R19_NO_BATCHES", ERROR, ds_path(i, "batch_configs"), "problem.no_batches")
            continue
        yield from weight_findings([b for b in items], ds_path(i, "batch_configs"))


def weight_findings(items: list, path: tuple):
    """Weight rules for a list drawn from once per step (batch_configs, KTX training_set)."""
    if len(items) < 2:
        return  # a single entry is always drawn; its weight is never read
    explicit: list[tuple[int, float]] = []
    unweighted: list[int] = []
    for j, item in enumerate(items):
        if not isinstance(item, dict) or "weight" not in item:
            unweighted.append(j)
            continue
        weight = as_float(item["weight"])
        if weight is None:
            yield Finding("R19_WEIGHT", ERROR, path + (j, "weight"), "problem.weight_not_number",
                          {"value": short(item["weight"])})
            return
        if weight < 0:
            yield Finding("R19_WEIGHT", ERROR, path + (j, "weight"), "problem.weight_negative", {"value": weight})
        explicit.append((j, weight))
    if not explicit:
        return
    total = sum(w for _, w in explicit)
    last = explicit[-1][0]
    if total > 1 + _EPSILON or total < -_EPSILON:
        yield Finding("R19_WEIGHT_SUM", ERROR, path + (last, "weight"), "problem.weight_sum", {"total": total})
    elif unweighted and total >= 1 - _EPSILON:
        yield Finding("R19_NEVER_DRAWN", ERROR, path + (unweighted[0],), "problem.never_drawn",
                      {"total": total, "batch": unweighted[0]})
    elif not unweighted and total <= _EPSILON:
        yield Finding("R19_ALL_ZERO", ERROR, path + (last, "weight"), "problem.all_weights_zero")


@rule("batch_extras")
def check_batch_extras(config: dict, script: str):
    """R18 and the dropouts that one script reads and the others ignore."""
    if not is_new_schema(script):
        return
    needs_extra = profile(script).needs_reference_config_extra
    reads_dropout = profile(script).reads_reference_dropout
    for i, ds in datasets(config):
        for j, batch in batches(ds):
            path = ds_path(i, "batch_configs", j)
            extra = batch.get("reference_config_extra")
            if needs_extra and "reference_config" in batch:
                if not isinstance(extra, dict):
                    yield Finding("R18_REFERENCE_CONFIG_EXTRA", ERROR, path + ("reference_config_extra",),
                                  "problem.reference_config_extra", {"script": script})
                else:
                    if "dropout" in extra and as_float(extra["dropout"]) is None:
                        yield Finding("R18_REFERENCE_CONFIG_EXTRA", ERROR,
                                      path + ("reference_config_extra", "dropout"),
                                      "problem.extra_dropout_type", {"value": short(extra["dropout"])})
                    if "min" in extra and not is_int(extra["min"]):
                        yield Finding("R18_REFERENCE_CONFIG_EXTRA", ERROR, path + ("reference_config_extra", "min"),
                                      "problem.extra_min_type", {"value": short(extra["min"])})
            elif not needs_extra and "reference_config_extra" in batch:
                yield Finding("IGNORED_BY_SCRIPT", INFO, path + ("reference_config_extra",),
                              "problem.ignored_reference_config_extra", {"script": script})
            if "reference_dropout" in batch and not reads_dropout:
                yield Finding("IGNORED_BY_SCRIPT", INFO, path + ("reference_dropout",),
                              "problem.ignored_reference_dropout", {"script": script})
            for key in ("caption_dropout", "reference_dropout"):
                if key in batch and not is_number(batch[key]):
                    yield Finding("BATCH_TYPE", ERROR, path + (key,), "problem.batch_dropout_type",
                                  {"key": key, "value": short(batch[key])})
                elif key in batch and not 0 <= batch[key] <= 1:
                    yield Finding("BATCH_TYPE", WARNING, path + (key,), "problem.batch_dropout_range",
                                  {"key": key, "value": batch[key]})
