"""Message catalogues: every text the editor shows, in English and Simplified Chinese.

A catalogue is the JSON files of one language folder (`en/`, `zh-CN/`) merged into one flat
mapping from key to text. Each file holds one area's keys (`menu.json` holds `menu.*`, ...), so
the two languages have the same files and, file for file, the same keys and the same `{name}`
placeholders (tests/core/test_catalogues.py). Texts are Python format strings filled by name.

Pure: a Catalogue is built from the files it is given and never changes; the UI holds the current
one (ui/texts.py). Config keys, file names and the CLI's error codes are never translated.
"""
from __future__ import annotations

import json
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

LANGUAGES = ("en", "zh-CN")
DEFAULT_LANGUAGE = "en"
# Each language's own name, shown in View -> Language whatever the current language is.
LANGUAGE_NAMES = {"en": "English", "zh-CN": "简体中文"}
_ALIASES = {"en": "en", "en-us": "en", "en-gb": "en", "english": "en",
            "zh": "zh-CN", "zh-cn": "zh-CN", "zh-hans": "zh-CN", "zh-sg": "zh-CN", "chinese": "zh-CN"}


class CatalogueError(ValueError):
    """A catalogue file that cannot be used; the message names the file."""


def catalogue_dir() -> Path:
    return Path(__file__).resolve().parent


def normalise_language(name: str) -> str | None:
    """The catalogue language for `name` ("zh_CN.UTF-8", "zh-cn", "en_US" ...), or None."""
    base = name.strip().split(".")[0].replace("_", "-").lower()
    if not base:
        return None
    return _ALIASES.get(base) or _ALIASES.get(base.split("-")[0])


def placeholders(text: str) -> frozenset[str]:
    """The `{name}` fields a text is filled with."""
    return frozenset(field for _, field, _, _ in string.Formatter().parse(text) if field)


@dataclass(frozen=True)
class Catalogue:
    language: str
    texts: Mapping[str, str]

    def text(self, key: str, **params: Any) -> str:
        """The text for `key`, filled with `params`; a missing key raises KeyError (tests catch it)."""
        template = self.texts[key]
        return template.format_map(params) if params else template

    def has(self, key: str) -> bool:
        return key in self.texts


def read_language_files(folder: Path) -> dict[str, dict[str, str]]:
    """file name -> its keys and texts, for every `*.json` in `folder`."""
    files: dict[str, dict[str, str]] = {}
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CatalogueError(f"{path}: {exc}") from exc
        if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
            raise CatalogueError(f"{path}: must be one object of text values")
        files[path.name] = data
    return files


def derived_files() -> dict[str, dict[str, str]]:
    """English areas that are not files: the node-spec registry's titles, labels and help texts,
    whose English is their declaration in dpg_lora/specs (node.json, field.json)."""
    from dpg_lora.specs.texts import registry_texts  # pure, no UI

    return registry_texts()


def language_files(language: str, folder: Path | None = None) -> dict[str, dict[str, str]]:
    """file name -> keys and texts of `language`; the shipped English adds the derived areas."""
    root = (folder or catalogue_dir()) / language
    files = read_language_files(root)
    if language == DEFAULT_LANGUAGE and folder is None:
        for name, texts in derived_files().items():
            if name in files:
                raise CatalogueError(f"{root / name}: derived from the node specs; this file must not exist")
            files[name] = texts
    return files


def load_catalogue(language: str, folder: Path | None = None) -> Catalogue:
    """The catalogue of `language` from `folder` (the shipped catalogues by default)."""
    if language not in LANGUAGES:
        raise CatalogueError(f"no catalogue for language {language!r} (have {', '.join(LANGUAGES)})")
    root = (folder or catalogue_dir()) / language
    merged: dict[str, str] = {}
    for name, texts in language_files(language, folder).items():
        for key, text in texts.items():
            if key in merged:
                raise CatalogueError(f"{root / name}: key {key!r} is also in another file")
            merged[key] = text
    return Catalogue(language, merged)


def system_language(environ: Mapping[str, str]) -> str | None:
    """The catalogue language the POSIX locale variables ask for (LC_ALL, LC_MESSAGES, LANG, in
    that order, as gettext reads them), or None ("C", "POSIX", unset or a language we lack)."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "").strip()
        if value:
            return normalise_language(value)
    return None


def start_language(setting: str | None, remembered: str | None, environ: Mapping[str, str]) -> str:
    """The language the editor starts in: DPG_LORA_LANG (already checked), else the one chosen
    last time (View -> Language), else the system locale's, else English."""
    for choice in (setting, remembered):
        language = normalise_language(choice) if choice else None
        if language:
            return language
    return system_language(environ) or DEFAULT_LANGUAGE
