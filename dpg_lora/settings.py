"""Settings from environment variables and a `.env` file in the current folder (the environment wins).

    DPG_LORA_TRAINER_DIR   default trainer folder for new graphs (an existing folder)
    DPG_LORA_PYTHON        interpreter that runs the trainer (on PATH or an existing file)
    DPG_LORA_PRESETS_DIR   built-in presets folder (an existing folder)
    DPG_LORA_USER_DIR      user folder: user presets, autosave snapshots (created when needed)
    DPG_LORA_THEME         "dark" or "light"

Every rejected value raises SettingsError naming the variable, the value and where it came from.
"""
from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import platformdirs

PREFIX = "DPG_LORA_"
THEMES = ("dark", "light")
DEFAULT_THEME = "dark"
FROM_ENVIRONMENT = "the environment"


class SettingsError(ValueError):
    """A bad setting; the message names the variable, the value and its source."""


def builtin_presets_dir() -> Path:
    from dpg_lora.resources import builtin_presets_dir as shipped

    return shipped()


def default_user_dir() -> Path:
    return Path(platformdirs.user_data_dir("dpg-lora", appauthor=False))


@dataclass(frozen=True)
class Settings:
    trainer_dir: Path | None = None
    python: str | None = None
    presets_dir: Path = field(default_factory=builtin_presets_dir)
    user_dir: Path = field(default_factory=default_user_dir)
    theme: str = DEFAULT_THEME
    # variable name -> where its value came from (".env path:line" or "the environment")
    sources: Mapping[str, str] = field(default_factory=dict, compare=False)

    @property
    def user_presets_dir(self) -> Path:
        return self.user_dir / "presets"

    def ensure_dir(self, folder: Path) -> Path:
        """Create a folder under the user dir when it is first needed."""
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            source = self.sources.get(PREFIX + "USER_DIR", "the default")
            raise SettingsError(f"{PREFIX}USER_DIR={str(self.user_dir)!r} (from {source}): "
                                f"cannot create {folder}: {exc.strerror or exc}") from None
        return folder


# ---------------------------------------------------------------- .env parsing

_LINE = re.compile(r"^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "$": "$"}


def _unquote(raw: str, where: str) -> str:
    raw = raw.strip()
    if raw[:1] in ("'", '"'):
        quote = raw[0]
        if quote == '"':  # find the closing quote that is not escaped
            i, out = 1, []
            while i < len(raw):
                ch = raw[i]
                if ch == "\\" and i + 1 < len(raw):
                    out.append(_ESCAPES.get(raw[i + 1], "\\" + raw[i + 1]))
                    i += 2
                    continue
                if ch == '"':
                    break
                out.append(ch)
                i += 1
            else:
                raise SettingsError(f"{where}: unclosed double quote")
            rest, value = raw[i + 1:], "".join(out)
        else:
            end = raw.find(quote, 1)
            if end < 0:
                raise SettingsError(f"{where}: unclosed single quote")
            rest, value = raw[end + 1:], raw[1:end]
        rest = rest.strip()
        if rest and not rest.startswith("#"):
            raise SettingsError(f"{where}: unexpected text after the closing quote: {rest!r}")
        return value
    # unquoted: a " #" (or a leading "#") starts a comment
    if raw.startswith("#"):
        return ""
    return re.split(r"\s+#", raw, maxsplit=1)[0].strip()


def parse_dotenv(text: str, source: str = ".env") -> dict[str, tuple[str, str]]:
    """KEY=VALUE lines -> {key: (value, "source line N")}. Blank lines and # comments are skipped."""
    values: dict[str, tuple[str, str]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        where = f"{source} line {number}"
        match = _LINE.match(stripped)
        if not match:
            raise SettingsError(f"{where}: expected KEY=VALUE, got {stripped!r}")
        values[match.group(1)] = (_unquote(match.group(2), where), where)
    return values


def read_dotenv(path: Path) -> dict[str, tuple[str, str]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    return parse_dotenv(text, str(path))


# ---------------------------------------------------------------- checks

def _bad(name: str, value: str, source: str, problem: str) -> SettingsError:
    return SettingsError(f"{name}={value!r} (from {source}): {problem}")


def _existing_dir(name: str, value: str, source: str) -> Path:
    path = Path(value).expanduser()
    if not path.exists():
        raise _bad(name, value, source, "no such folder")
    if not path.is_dir():
        raise _bad(name, value, source, "not a folder")
    return path.resolve()


def _python(name: str, value: str, source: str) -> str:
    found = shutil.which(value)
    if found:
        return found
    path = Path(value).expanduser()
    if path.is_file():
        return str(path.resolve())
    raise _bad(name, value, source, "not found on PATH and no such file")


def _user_dir(name: str, value: str, source: str) -> Path:
    path = Path(value).expanduser()
    if path.exists() and not path.is_dir():
        raise _bad(name, value, source, "exists but is not a folder")
    return path.resolve()


def _theme(name: str, value: str, source: str) -> str:
    theme = value.strip().lower()
    if theme not in THEMES:
        raise _bad(name, value, source, f"must be {' or '.join(repr(t) for t in THEMES)}")
    return theme


def load_settings(env: Mapping[str, str] | None = None, cwd: str | os.PathLike | None = None) -> Settings:
    """Settings from `env` (default os.environ) over `<cwd>/.env` (default the current folder)."""
    env = os.environ if env is None else env
    folder = Path.cwd() if cwd is None else Path(cwd)
    merged = {k: v for k, v in read_dotenv(folder / ".env").items() if k.startswith(PREFIX)}
    for key, value in env.items():
        if key.startswith(PREFIX):
            merged[key] = (value, FROM_ENVIRONMENT)

    def get(suffix: str) -> tuple[str, str, str] | None:
        name = PREFIX + suffix
        if name not in merged or not merged[name][0].strip():
            return None  # unset or empty: the default
        value, source = merged[name]
        return name, value.strip(), source

    kwargs: dict = {}
    for suffix, attr, check in (("TRAINER_DIR", "trainer_dir", _existing_dir),
                                ("PYTHON", "python", _python),
                                ("PRESETS_DIR", "presets_dir", _existing_dir),
                                ("USER_DIR", "user_dir", _user_dir),
                                ("THEME", "theme", _theme)):
        item = get(suffix)
        if item is not None:
            kwargs[attr] = check(*item)
    sources = {name: source for name, (_, source) in merged.items()}
    return Settings(**kwargs, sources=sources)

