"""JSON types of top-level arguments, and the null that truncates the merge (train_longcat.py:606-639).

The trainer copies each JSON value onto `args` unchanged: nothing converts "false" to False or
10.0 to 10, so the JSON type must already be the argument's type.
"""
from __future__ import annotations

from dpg_lora.scripts import ARGS
from dpg_lora.validation import ERROR, WARNING, Finding, rule
from dpg_lora.validation.shape import DATASETS, as_float, is_int, is_number, short

_TYPE_WORD = {"int": "a whole number", "float": "a number", "bool": "true or false", "str": "a string"}


def _type_problem(kind: str, value) -> tuple[str, str] | None:
    """(severity, message) when `value` does not work as a `kind` argument."""
    if kind == "int":
        if is_int(value):
            return None
        if isinstance(value, float) and value.is_integer():
            whole = int(value) if abs(value) < 1e15 else "a whole number"  # not 300 digits
            return ERROR, f"{value!r} is a float; write {whole} (range() and slicing need a JSON integer)"
        if isinstance(value, str) and as_float(value) is not None:
            return ERROR, f"{short(value)} is a string; write it without quotes as a JSON integer"
    elif kind == "float":
        if is_number(value):
            return None
        if isinstance(value, str) and as_float(value) is not None:
            return ERROR, f"{short(value)} is a string; write it without quotes as a number"
    elif kind == "bool":
        if isinstance(value, bool):
            return None
        if is_int(value) and value in (0, 1):
            return WARNING, f"{value} works only by truthiness; write {str(bool(value)).lower()}"
        if isinstance(value, str):
            return ERROR, (f"{short(value)} is a string and every non-empty string counts as true; "
                           "write true or false without quotes")
    elif kind == "str":
        if isinstance(value, str):
            return None
    return ERROR, f"{short(value)} is a {type(value).__name__}, but this setting must be {_TYPE_WORD[kind]}"


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
            severity, message = problem
            yield Finding("ARG_TYPE", severity, (key,), message)


@rule("null_truncates")
def check_null(config: dict, script: str):
    keys = list(config)
    for n, key in enumerate(keys):
        if config[key] is not None:
            continue
        # dataset_configs is read from the raw dict, so it survives the cut
        lost = [k for k in keys[n + 1:] if k != DATASETS]
        if lost:
            yield Finding("NULL_TRUNCATES", ERROR, (key,),
                          f"null stops the trainer's config merge here: {key!r} and the {len(lost)} keys "
                          f"after it are silently not applied ({', '.join(lost)}); remove the key or give "
                          "it a value (\"\" for an empty path)")
        else:
            yield Finding("NULL_TRUNCATES", WARNING, (key,),
                          f"null makes the trainer print a load error and skip {key!r}; remove the key "
                          "or give it a value")
        return  # everything after the first null is lost anyway
