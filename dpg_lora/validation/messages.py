"""Problem texts: a problem carries a catalogue key and its values, never a finished sentence.

The texts are the `problem.*` keys of dpg_lora/i18n/<language>/problem.json; `text(catalogue)`
renders a problem in any language, `message` in English (what the CLI prints and logs keep).
Params are JSON-plain (str, int, float) so every problem can be rendered and compared in tests.
"""
from __future__ import annotations

import functools
from typing import Any, Mapping, Union

from dpg_lora.i18n import Catalogue, load_catalogue

Value = Union[str, int, float]
Params = Any  # a Mapping[str, Value] when built; frozen to a tuple of (name, value) pairs


@functools.lru_cache(maxsize=1)
def english() -> Catalogue:
    """The shipped English catalogue, read once (the CLI's and the logs' language)."""
    return load_catalogue("en")


def freeze(params: Mapping[str, Value] | tuple | None) -> tuple[tuple[str, Value], ...]:
    """Params as a hashable tuple; a value that is not str/int/float is refused (TypeError)."""
    items = tuple(params.items()) if isinstance(params, Mapping) else tuple(params or ())
    for name, value in items:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise TypeError(f"problem param {name!r} must be a str, int or float, not {type(value).__name__}")
    return items


class Problem:
    """What Finding and Diagnostic share: `key` and `params` (a dataclass field each)."""

    key: str
    params: Any

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", freeze(self.params))

    def values(self) -> dict[str, Value]:
        return dict(self.params)

    def text(self, catalogue: Catalogue, **shown: Value) -> str:
        """The problem in `catalogue`'s language (KeyError when the key is missing there).
        `shown` replaces params by the words the UI shows for them (a translated field label)."""
        return catalogue.texts[self.key].format_map({**self.values(), **shown})

    @property
    def message(self) -> str:
        """The problem in English."""
        return self.text(english())
