"""Script profiles: what each T2ITrainer script accepts (reference/trainer-config.md §1, §2.8)."""
from dpg_lora.scripts.profiles import (
    ARGS,
    DEFAULT_SCRIPT,
    SCRIPTS,
    ArgSpec,
    ScriptProfile,
    arg_default,
    profile,
)

__all__ = ["ARGS", "DEFAULT_SCRIPT", "SCRIPTS", "ArgSpec", "ScriptProfile", "arg_default", "profile"]
