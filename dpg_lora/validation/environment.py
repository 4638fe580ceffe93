"""Checks of a config against the machine that runs it (not against the scripts' rules).

The machine's facts are read once at the edge (`wandb_login_of`, from the environment and the
netrc file) and passed in; `environment_findings` is a pure function of the config and them.
"""
from __future__ import annotations

import netrc
import os
from typing import Mapping
from urllib.parse import urlparse

from dpg_lora.validation import WARNING, Finding

WANDB_HOST = "api.wandb.ai"
NO_LOGIN_NEEDED = ("offline", "disabled", "dryrun")  # WANDB_MODE values that never ask


def wandb_login_of(environ: Mapping[str, str]) -> str:
    """How wandb would log in on this machine without asking ("" when it would ask): the
    WANDB_API_KEY variable, a WANDB_MODE that needs none, or a netrc entry for its host."""
    if environ.get("WANDB_API_KEY", "").strip():
        return "WANDB_API_KEY"
    mode = environ.get("WANDB_MODE", "").strip().lower()
    if mode in NO_LOGIN_NEEDED:
        return f"WANDB_MODE={mode}"
    host = urlparse(environ.get("WANDB_BASE_URL", "") or f"https://{WANDB_HOST}").hostname or WANDB_HOST
    home = environ.get("HOME") or environ.get("USERPROFILE")
    path = environ.get("NETRC") or (os.path.join(home, ".netrc") if home else "")
    try:
        if path and netrc.netrc(path).authenticators(host):
            return f"netrc ({path})"
    except (OSError, netrc.NetrcParseError):
        pass
    return ""


def environment_findings(config: dict, wandb_login: str) -> list[Finding]:
    """What would stop a run of `config` on a machine whose wandb login is `wandb_login`."""
    findings = []
    if config.get("report_to") == "wandb" and not wandb_login:
        findings.append(Finding("WANDB_NO_LOGIN", WARNING, ("report_to",), "problem.wandb_no_login",
                                {"host": WANDB_HOST}))
    return findings
