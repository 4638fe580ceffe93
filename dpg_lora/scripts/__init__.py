"""Script profiles: what each T2ITrainer script accepts (their argparse arguments and bucket
tables at T2ITrainer 08ec6a9)."""
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
