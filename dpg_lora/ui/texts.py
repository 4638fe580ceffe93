"""The editor's current catalogue and `tr`, the one way UI code gets a text to show.

Every label, menu, tooltip, status and problem the editor shows is `tr(key, **params)`; the keys
and texts are in dpg_lora/i18n/<language>/*.json.
"""
from __future__ import annotations

from typing import Any

from dpg_lora.i18n import DEFAULT_LANGUAGE, Catalogue, load_catalogue

_current: list[Catalogue] = []


def use(catalogue: Catalogue) -> None:
    """Make `catalogue` the one `tr` reads."""
    _current[:] = [catalogue]


def current() -> Catalogue:
    if not _current:
        use(load_catalogue(DEFAULT_LANGUAGE))
    return _current[0]


def tr(key: str, **params: Any) -> str:
    return current().text(key, **params)
