"""The files shipped with dpg-lora: built-in presets and themes.

The top-level `presets/` and `themes/` folders of the source tree are the source. A wheel carries
copies inside the package (`dpg_lora/_data/presets`, `dpg_lora/_data/themes`, put there by the
build step in setup.py); an editable install or a checkout has no `_data` and uses the source tree.
Found through the package's own folder (not importlib.resources, which costs a tempfile and
zipfile import at every start; dpg-lora is never imported from a zip), so they are found from
any working folder.
"""
from __future__ import annotations

from pathlib import Path

SHIPPED = ("presets", "themes")


def _package_dir() -> Path:
    return Path(__file__).resolve().parent


def packaged_dir(name: str) -> Path:
    """Where a wheel puts the shipped folder `name` (it may not exist)."""
    return _package_dir() / "_data" / name


def source_dir(name: str) -> Path:
    """The folder `name` of the source tree beside the package (it may not exist)."""
    return _package_dir().parent / name


def shipped_dir(name: str) -> Path:
    """The shipped folder `name`: the package's copy, else the source tree's."""
    packaged = packaged_dir(name)
    return packaged if packaged.is_dir() else source_dir(name)


def builtin_presets_dir() -> Path:
    return shipped_dir("presets")


def themes_dir() -> Path:
    return shipped_dir("themes")


def theme_names() -> list[str]:
    """The themes shipped (file stems of themes/*.json), sorted."""
    try:
        return sorted(p.stem for p in themes_dir().iterdir() if p.suffix == ".json" and p.is_file())
    except OSError:
        return []
