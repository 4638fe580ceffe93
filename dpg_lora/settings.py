"""Settings from environment variables and a `.env` file in the current folder (the environment wins).

    DPG_LORA_TRAINER_DIR   default trainer folder for new graphs (an existing folder)
    DPG_LORA_PYTHON        interpreter that runs the trainer (on PATH or an existing file)
    DPG_LORA_PRESETS_DIR   built-in presets folder (an existing folder)
    DPG_LORA_USER_DIR      user folder: user presets, autosave snapshots (created when needed)
    DPG_LORA_THEME         a theme shipped in themes/ ("dark" or "light")
    DPG_LORA_LANG          the editor's start language: "en" or "zh-CN" (also "zh", "zh_CN.UTF-8");
                           wins over the one chosen last time in View -> Language
    DPG_LORA_UI_SCALE      the editor's UI scale in percent: 100, 125, 150, 175 or 200 ("150%"
                           and "1.5" too); wins over the one chosen last time in View -> UI scale

Checked when read: folders must exist (or, for the user folder, be creatable: nothing is created
until needed), the interpreter must be an executable file or on PATH. Any other DPG_LORA_* name
is reported as a warning with the closest setting ("did you mean").

Every rejected value raises SettingsError naming the variable, the value and where it came from.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import platformdirs

PREFIX = "DPG_LORA_"
THEMES = ("dark", "light")
UI_SCALES = (100, 125, 150, 175, 200)  # percent
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
    language: str | None = None  # a catalogue language (dpg_lora.i18n.LANGUAGES); None: not set
    ui_scale: int | None = None  # percent, one of UI_SCALES; None: not set
    # variable name -> where its value came from (".env path:line" or "the environment")
    sources: Mapping[str, str] = field(default_factory=dict, compare=False)
    # one line per DPG_LORA_* variable that is not a setting (a typo, most likely)
    warnings: tuple[str, ...] = field(default=(), compare=False)

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
    import shutil  # with its archive modules, 2 ms of a start that sets no python

    found = shutil.which(value)
    if found:
        return found
    path = Path(value).expanduser()
    looks_like_path = os.sep in value or bool(os.altsep and os.altsep in value)
    if path.is_dir():
        raise _bad(name, value, source, "is a folder, not an executable file")
    if path.is_file():
        if os.name != "nt" and not os.access(path, os.X_OK):
            raise _bad(name, value, source, "not an executable file (no execute permission)")
        return str(path.resolve())
    if looks_like_path:
        raise _bad(name, value, source, "no such file")
    raise _bad(name, value, source, "not found on PATH and no such file")


def creatable_dir_problem(path: Path) -> str | None:
    """Why the folder `path` cannot be used or created (nothing is created), or None."""
    if path.exists():
        if not path.is_dir():
            return "exists but is not a folder"
        return None if os.access(path, os.W_OK | os.X_OK) else "no permission to write in it"
    parent = path.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        return f"cannot be created: {parent} is not a folder"
    if not os.access(parent, os.W_OK | os.X_OK):
        return f"cannot be created: no permission to write in {parent}"
    return None


def _user_dir(name: str, value: str, source: str) -> Path:
    path = Path(value).expanduser()
    if not path.is_absolute():
        path = Path.cwd() / path
    problem = creatable_dir_problem(path)
    if problem:
        raise _bad(name, value, source, problem)
    return Path(os.path.realpath(path))


def theme_choices() -> tuple[str, ...]:
    """The shipped themes (themes/*.json); the two known names when the folder cannot be read."""
    from dpg_lora.resources import theme_names

    return tuple(theme_names()) or THEMES


def _theme(name: str, value: str, source: str) -> str:
    theme = value.strip().lower()
    choices = theme_choices()
    if theme not in choices:
        raise _bad(name, value, source, f"must be one of {', '.join(repr(t) for t in choices)}")
    return theme


def _language(name: str, value: str, source: str) -> str:
    from dpg_lora.i18n import LANGUAGES, normalise_language

    language = normalise_language(value)
    if language is None:
        raise _bad(name, value, source, f"must be one of {', '.join(repr(lang) for lang in LANGUAGES)}")
    return language


def parse_ui_scale(value: str) -> int | None:
    """"150", "150%", "1.5" -> 150; None when it is not one of UI_SCALES."""
    text = value.strip().rstrip("%").strip()
    try:
        number = float(text)
    except ValueError:
        return None
    percent = number * 100 if 0 < number <= 4 and not value.strip().endswith("%") else number
    return int(percent) if percent in UI_SCALES else None


def _ui_scale(name: str, value: str, source: str) -> int:
    scale = parse_ui_scale(value)
    if scale is None:
        raise _bad(name, value, source, "must be one of " + ", ".join(str(s) for s in UI_SCALES) + " (percent)")
    return scale


# Every DPG_LORA_* variable dpg-lora reads; add new ones here, any other name gets a "did you
# mean" warning. Checked here: SETTINGS_VARIABLES. Read where they are used: FONT (ui/theme.py),
# SSH, SSH_CONFIG, SSH_CONTROL_DIR (remote/ssh.py); SHARED_DIR and REQUIRE_SHARED by the tests.
SETTINGS_VARIABLES = tuple(PREFIX + s for s in ("TRAINER_DIR", "PYTHON", "PRESETS_DIR", "USER_DIR",
                                                "THEME", "LANG", "UI_SCALE"))
OTHER_VARIABLES = tuple(PREFIX + s for s in ("FONT", "SSH", "SSH_CONFIG", "SSH_CONTROL_DIR"))
TEST_VARIABLES = (PREFIX + "SHARED_DIR", PREFIX + "REQUIRE_SHARED")
KNOWN_VARIABLES = SETTINGS_VARIABLES + OTHER_VARIABLES + TEST_VARIABLES


def unknown_variable_warnings(names: Mapping[str, str]) -> list[str]:
    """One warning for each DPG_LORA_* name (-> its source) that is not a setting."""
    warnings = []
    for name, source in sorted(names.items()):
        if name in KNOWN_VARIABLES:
            continue
        import difflib

        suffixes = [known[len(PREFIX):] for known in KNOWN_VARIABLES]  # the shared prefix is no hint
        close = difflib.get_close_matches(name[len(PREFIX):], suffixes, n=1, cutoff=0.7)
        hint = (f"did you mean {PREFIX}{close[0]}?" if close else
                "the known names are " + ", ".join(SETTINGS_VARIABLES + OTHER_VARIABLES))
        warnings.append(f"warning: {name} (from {source}) is not a dpg-lora setting; {hint}")
    return warnings


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
                                ("THEME", "theme", _theme),
                                ("LANG", "language", _language),
                                ("UI_SCALE", "ui_scale", _ui_scale)):
        item = get(suffix)
        if item is not None:
            kwargs[attr] = check(*item)
    sources = {name: source for name, (_, source) in merged.items()}
    if "user_dir" not in kwargs:
        problem = creatable_dir_problem(default_user_dir())
        if problem:
            raise SettingsError(f"the user folder {default_user_dir()} (the default; set "
                                f"{PREFIX}USER_DIR to choose another): {problem}")
    return Settings(**kwargs, sources=sources, warnings=tuple(unknown_variable_warnings(sources)))

