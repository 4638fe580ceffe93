"""What a compile reads besides the graph: this machine's settings, passed explicitly.

`compile_graph(graph, context)` is a pure function of both, so the same graph and context always
give the same bytes. The editor and the CLI build the context from Settings
(`CompileContext.from_settings`); tests and importers use the empty context.
Add a field here (with an empty default) when the compile needs another machine fact.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping

from dpg_lora.scripts.layered import ProfileSet, builtin_profiles

if TYPE_CHECKING:
    from dpg_lora.settings import Settings


@dataclass(frozen=True)
class CompileContext:
    # The Script Loader's default trainer folder and interpreter (DPG_LORA_TRAINER_DIR /
    # DPG_LORA_PYTHON); a value set on the node wins.
    trainer_dir: str | None = None
    python: str | None = None
    # How wandb logs in here without asking ("" when it would ask); None: not checked (tests,
    # importers), so no finding depends on the machine the tests run on.
    wandb_login: str | None = None
    # The scripts' arguments and defaults: the built-in table, or a trainer folder's scripts read
    # over it (dpg_lora.scripts.layered). Compared by identity: a re-read folder is a new context.
    profiles: ProfileSet = field(default_factory=builtin_profiles)

    def machine_default(self, field_name: str) -> Any:
        """This machine's default for a `machine` field, or None when it has none."""
        return {"trainer_dir": self.trainer_dir, "python": self.python}.get(field_name) or None

    @classmethod
    def from_settings(cls, settings: "Settings", environ: Mapping[str, str] | None = None) -> "CompileContext":
        import os

        from dpg_lora.validation.environment import wandb_login_of

        return cls(trainer_dir=str(settings.trainer_dir) if settings.trainer_dir else None,
                   python=settings.python or None,
                   wandb_login=wandb_login_of(os.environ if environ is None else environ))


EMPTY_CONTEXT = CompileContext()
