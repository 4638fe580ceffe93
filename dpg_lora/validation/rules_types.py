"""JSON types of top-level arguments, and the null that truncates the merge (train_longcat.py:606-639).

The trainer copies each JSON value onto `args` unchanged: nothing converts "false" to False or
10.0 to 10, so the JSON type must already be the argument's type.
"""
from __future__ import annotations

from dpg_lora.scripts import ARGS
from dpg_lora.validation import ERROR, WARNING, Finding, rule
from dpg_lora.validation.shape import DATASETS, as_float, is_int, is_number, short

_WRONG_TYPE = {"int": "problem.wrong_type_int", "float": "problem.wrong_type_float",
               "bool": "problem.wrong_type_bool", "str": "problem.wrong_type_str"}


def _type_problem(kind: str, value) -> tuple[str, str, dict] | None:
    """(severity, problem key, params) when `value` does not work as a `kind` argument."""
    if kind == "int":
        if is_int(value):
            return None
        if isinstance(value, float) and value.is_integer():
            if abs(value) < 1e15:
                return ERROR, "problem.int_as_float", {"value": repr(value), "whole": int(value)}
            return ERROR, "problem.huge_int_as_float", {"value": repr(value)}  # not 300 digits
        if isinstance(value, str) and as_float(value) is not None:
            return ERROR, "problem.int_as_string", {"value": short(value)}
    elif kind == "float":
        if is_number(value):
            return None
        if isinstance(value, str) and as_float(value) is not None:
            return ERROR, "problem.number_as_string", {"value": short(value)}
    elif kind == "bool":
        if isinstance(value, bool):
            return None
        if is_int(value) and value in (0, 1):
            return WARNING, "problem.bool_as_int", {"value": value, "written": str(bool(value)).lower()}
        if isinstance(value, str):
            return ERROR, "problem.bool_as_string", {"value": short(value)}
    elif kind == "str":
        if isinstance(value, str):
            return None
    return ERROR, _WRONG_TYPE[kind], {"value": short(value), "type": type(value).__name__}


@rule("argument_types")
def check_argument_types(config: dict, script: str, profiles):
    for key, value in config.items():
        found = profiles.arg(script, key)
        kind = found.type if found is not None else ARGS[key].type if key in ARGS else None
        if kind not in ("int", "float", "bool", "str") or value is None:
            continue
        if key == "resolution" and (is_int(value) or isinstance(value, str)):
            continue  # int() takes both; the bucket rule checks the value
        problem = _type_problem(kind, value)
        if problem:
            severity, text_key, params = problem
            yield Finding("ARG_TYPE", severity, (key,), text_key, params)


@rule("null_truncates")
def check_null(config: dict, script: str):
    keys = list(config)
    for n, key in enumerate(keys):
        if config[key] is not None:
            continue
        # dataset_configs is read from the raw dict, so it survives the cut
        lost = [k for k in keys[n + 1:] if k != DATASETS]
        if lost:
            yield Finding("NULL_TRUNCATES", ERROR, (key,), "problem.null_truncates",
                          {"key": repr(key), "count": len(lost), "lost": ", ".join(lost)})
        else:
            yield Finding("NULL_TRUNCATES", WARNING, (key,), "problem.null_last", {"key": repr(key)})
        return  # everything after the first null is lost anyway
