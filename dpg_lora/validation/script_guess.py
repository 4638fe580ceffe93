"""Which trainer script a bare config (no `script` key) is for, decided only by its keys.

A compiled config writes every argument its script accepts and none other, and some arguments
exist in some scripts only (the profile table), so the keys often name one script. Where they
fit several, the answer is "unknown": applying one script's rules to another's config reports
crashes that never happen and misses the real ones.
"""
from __future__ import annotations

from dataclasses import dataclass

from dpg_lora.scripts import ARGS, SCRIPTS
from dpg_lora.scripts.profiles import F2K, KTX, NEW_SCHEMA
from dpg_lora.validation.shape import batches, datasets, has_old_layout

NOT_WRITTEN = ("config_path",)  # accepted everywhere, never written into the JSON


@dataclass(frozen=True)
class ScriptGuess:
    script: str | None  # None: the keys do not decide it
    how: str  # "named" (the config's `script` key), "keys", or "unknown"
    candidates: tuple[str, ...]  # the scripts whose arguments fit every key


def accepted(script: str) -> frozenset[str]:
    """The arguments `script`'s argparse defines (a hand-written config may use any of them)."""
    return frozenset(name for name, spec in ARGS.items() if script in spec.scripts and name not in NOT_WRITTEN)


def compiled_keys(script: str) -> frozenset[str]:
    """The arguments a compiled config for `script` holds: every node field writing one."""
    from dpg_lora.specs import REGISTRY

    return frozenset(f.arg for spec in REGISTRY.values() for f in spec.fields
                     if f.arg and f.arg not in NOT_WRITTEN and f.applies_to(script))


def guess_script(config: dict) -> ScriptGuess:
    named = config.get("script")
    if isinstance(named, str) and named in SCRIPTS:
        return ScriptGuess(named, "named", (named,))
    if has_old_layout(config):
        return ScriptGuess(KTX, "keys", (KTX,))  # the only old-schema script
    args = {k for k in config if k in ARGS and k not in NOT_WRITTEN}
    candidates = [s for s in NEW_SCHEMA if args <= accepted(s)]
    if _uses_reference_config_extra(config):
        candidates = [s for s in candidates if s == F2K]  # read by train_flux2klein.py only
    exact = [s for s in candidates if compiled_keys(s) == args]  # a config dpg-lora compiled
    if exact:
        candidates = exact
    if len(candidates) == 1:
        return ScriptGuess(candidates[0], "keys", tuple(candidates))
    return ScriptGuess(None, "unknown", tuple(candidates))


def _uses_reference_config_extra(config: dict) -> bool:
    return any("reference_config_extra" in batch for _, ds in datasets(config) for _, batch in batches(ds))
