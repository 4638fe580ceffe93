"""Trainer rules checked on a compiled config (what the scripts do with it at T2ITrainer 08ec6a9).

Rules are small functions registered with `@rule`; each yields Findings that point at a JSON
path in the config. The compiler maps those paths back to the node and field that wrote them,
so the same rules serve graphs and imported training configs alike.
Rule modules are the `rules_*.py` files in this package; they are imported on first use.
"""
from __future__ import annotations

import importlib
import inspect
import pkgutil
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from dpg_lora.scripts.layered import builtin_profiles
from dpg_lora.validation.messages import Params, Problem

ERROR, WARNING, INFO = "error", "warning", "info"


@dataclass(frozen=True)
class Finding(Problem):
    """A rule's problem at a JSON path; its text is the catalogue's `key` filled with `params`."""
    code: str
    severity: str
    path: tuple  # JSON path into the config, e.g. ("dataset_configs", 0, "batch_configs", 1, "caption_config")
    key: str  # problem.* catalogue key
    params: Params = ()  # (name, str|int|float) pairs: a dict given here is frozen in order


RuleFn = Callable[..., Iterable[Finding]]  # (config, script) or (config, script, profiles=...)
RULES: dict[str, RuleFn] = {}
_WITH_PROFILES: set[str] = set()  # rules that also take `profiles` (the scripts' argument tables)
_loaded = False


def rule(name: str) -> Callable[[RuleFn], RuleFn]:
    def register(fn: RuleFn) -> RuleFn:
        RULES[name] = fn
        if "profiles" in inspect.signature(fn).parameters:
            _WITH_PROFILES.add(name)
        return fn
    return register


def _load_rules() -> None:
    global _loaded
    if _loaded:
        return
    for module in pkgutil.iter_modules(__path__):
        if module.name.startswith("rules_"):
            importlib.import_module(f"{__name__}.{module.name}")
    _loaded = True


def validate_config(config: dict[str, Any], script: str, profiles: Any = None) -> list[Finding]:
    """Every finding of every registered rule, for `config` run by `script`.

    `profiles` (a scripts.layered.ProfileSet) says which arguments each script has; by default
    the built-in table's.

    Never raises: a config that is not an object is one finding, and a rule that fails on a
    shape it did not expect becomes a RULE_FAILED finding instead of an exception.
    """
    _load_rules()
    if not isinstance(config, dict):
        return [Finding("CONFIG_NOT_OBJECT", ERROR, (), "problem.config_not_object",
                        {"type": type(config).__name__})]
    findings: list[Finding] = []
    for name, fn in RULES.items():
        try:
            if name in _WITH_PROFILES:
                findings.extend(fn(config, script, profiles=profiles or builtin_profiles()))
            else:
                findings.extend(fn(config, script))
        except Exception as exc:  # noqa: BLE001 - one faulty rule must not hide the others
            findings.append(Finding("RULE_FAILED", WARNING, (), "problem.rule_failed",
                                    {"rule": name, "error": f"{type(exc).__name__}: {exc}"}))
    return findings
