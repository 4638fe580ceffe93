"""What the editor remembers between starts (window size and place, panel sizes, language, UI
scale, ...): one JSON object in `ui_state.json` of the user folder.

Pure apart from the file it is given: `load_ui_state(path)` never raises (a missing, unreadable or
broken file is an empty state, so a bad file can never stop the editor from opening) and
`save_ui_state(path, state)` writes atomically. Values are plain JSON; each reader checks the type
of what it takes (`UiState.get_int`, ...), since the file is the user's to edit or break.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FILE_NAME = "ui_state.json"


def ui_state_path(user_dir: Path) -> Path:
    return user_dir / FILE_NAME


@dataclass
class UiState:
    values: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def get_str(self, key: str, default: str | None = None) -> str | None:
        value = self.values.get(key)
        return value if isinstance(value, str) else default

    def get_float(self, key: str, default: float | None = None) -> float | None:
        value = self.values.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            return default
        return float(value)

    def get_int(self, key: str, default: int | None = None) -> int | None:
        value = self.get_float(key)
        return int(value) if value is not None and value == int(value) else default

    def get_bool(self, key: str, default: bool | None = None) -> bool | None:
        value = self.values.get(key)
        return value if isinstance(value, bool) else default

    def set(self, key: str, value: Any) -> bool:
        """Set `key`; True when that changed the state (so the caller knows to save)."""
        if self.values.get(key, object()) == value:
            return False
        self.values[key] = value
        return True


def load_ui_state(path: Path) -> UiState:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return UiState()
    return UiState(dict(data)) if isinstance(data, dict) else UiState()


def save_ui_state(path: Path, state: UiState) -> None:
    """Write the state atomically; OSError propagates (the caller reports it once, in the status bar)."""
    from dpg_lora.fileio import atomic_write_text

    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, json.dumps(state.values, indent=1, sort_keys=True, allow_nan=False))
