"""Themes (themes/<name>.json) and fonts: colours per node category and pin type, a CJK-capable font.

A theme file names Dear PyGui colour constants ("mvThemeCol_WindowBg", "mvNodeCol_GridLine")
so any colour can be themed without code; categories and pins map registry names to RGB.

Fonts: one font file for every text (`find_font`): DPG_LORA_FONT, else a font with Chinese glyphs
found on the system (`find_cjk_font`), else a Latin font, else Dear PyGui's own. `ui_font(px)`
loads it once per pixel size (the window's size times the UI scale, and each canvas zoom size).
"""
from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import dearpygui.dearpygui as dpg

from dpg_lora.resources import themes_dir
from dpg_lora.ui.texts import current, tr

THEMES_DIR = themes_dir()  # the package's copy in a wheel, else the source tree's themes/
DEFAULT_THEME = "dark"
NODE_PADDING = (8, 5)  # imnodes node padding; node geometry in canvas.py depends on it

SCALED_STYLES = (("mvStyleVar_FrameRounding", (3,)), ("mvStyleVar_FramePadding", (5, 3)),
                 ("mvStyleVar_ItemSpacing", (6, 4)), ("mvStyleVar_ItemInnerSpacing", (4, 4)),
                 ("mvStyleVar_WindowPadding", (8, 8)), ("mvStyleVar_ScrollbarSize", (14,)),
                 ("mvStyleVar_GrabMinSize", (12,)), ("mvStyleVar_IndentSpacing", (21,)))  # x UI scale

# Fonts with Latin and Chinese glyphs at the usual places, the first present wins. Linux asks
# fontconfig first; the Windows and macOS entries are the systems' own fonts (untested there).
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Medium.ttc",
    "/System/Library/Fonts/STHeiti Light.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/msyh.ttf",
    "C:/Windows/Fonts/simhei.ttf",
    "C:/Windows/Fonts/simsun.ttc",
)
# Fonts with Latin glyphs only (no CJK): DroidSansFallback is left out, its Latin glyphs are empty.
LATIN_FALLBACK = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "C:/Windows/Fonts/segoeui.ttf")
FC_TIMEOUT_S = 3.0
_NOT_CJK = ("DroidSansFallback",)  # Latin letters and digits draw as nothing in it


def available_themes() -> list[str]:
    return sorted(p.stem for p in THEMES_DIR.glob("*.json")) or [DEFAULT_THEME]


def rgba(value) -> tuple[int, ...]:
    value = tuple(int(v) for v in value)
    return value if len(value) == 4 else value + (255,)


@dataclass
class Theme:
    """A loaded theme file plus the Dear PyGui theme items built from it."""
    name: str
    data: dict
    font_size: int = 15
    categories: dict[str, int] = field(default_factory=dict)  # category -> node theme
    errors: dict[str, int] = field(default_factory=dict)  # category -> tinted node theme
    highlights: dict[str, int] = field(default_factory=dict)  # category -> highlighted node theme
    pins: dict[str, int] = field(default_factory=dict)  # pin type -> attribute theme
    links: dict[str, int] = field(default_factory=dict)  # pin type -> link theme
    global_theme: int = 0

    def color(self, name: str, default=(200, 200, 200)) -> tuple[int, ...]:
        return rgba(self.data.get(name, default))

    def items(self) -> list[int]:
        """Every Dear PyGui theme item this theme created (deleted with the UI)."""
        return [self.global_theme] + [t for d in (self.categories, self.errors, self.highlights, self.pins,
                                                  self.links) for t in d.values()]

    def pin_color(self, pin_type: str) -> tuple[int, ...]:
        return rgba(self.data.get("pins", {}).get(pin_type, (170, 170, 170)))


def load_theme_data(name: str) -> dict:
    path = THEMES_DIR / f"{name}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"name": name}


def _lighter(c, amount=30):
    return tuple(min(255, v + amount) for v in c[:3]) + (255,)


def theme_title(name: str) -> str:
    """A theme's name as shown in View -> Theme ("menu.theme_<name>", else the name itself)."""
    key = f"menu.theme_{name}"
    return tr(key) if current().has(key) else name.title()


def disabled_colours(data: dict) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(button, text) colours of a disabled button: the button halfway into the window's
    background, the text in the theme's disabled-text colour."""
    colours = data.get("colors", {})
    button = rgba(colours.get("mvThemeCol_Button", (58, 64, 76)))
    window = rgba(colours.get("mvThemeCol_WindowBg", (30, 32, 36)))
    faded = tuple((b + w) // 2 for b, w in zip(button[:3], window[:3])) + (255,)
    return faded, rgba(colours.get("mvThemeCol_TextDisabled", (130, 134, 142)))


def _global_theme(data: dict, scale: float) -> int:
    """The window-wide theme: the file's colours and the style sizes times `scale`."""
    nodes = dpg.mvThemeCat_Nodes
    with dpg.theme() as item:
        with dpg.theme_component(dpg.mvAll):
            for const, value in data.get("colors", {}).items():
                if hasattr(dpg, const):
                    dpg.add_theme_color(getattr(dpg, const), rgba(value))
            for const, value in data.get("node_colors", {}).items():
                if hasattr(dpg, const):
                    dpg.add_theme_color(getattr(dpg, const), rgba(value), category=nodes)
            for const, values in SCALED_STYLES:
                dpg.add_theme_style(getattr(dpg, const), *(round(v * scale) for v in values))
            dpg.add_theme_style(dpg.mvNodeStyleVar_NodeCornerRounding, 5, category=nodes)
            dpg.add_theme_style(dpg.mvNodeStyleVar_NodePadding, *NODE_PADDING, category=nodes)
            dpg.add_theme_style(dpg.mvNodeStyleVar_PinCircleRadius, 5, category=nodes)
            dpg.add_theme_style(dpg.mvNodeStyleVar_PinQuadSideLength, 9, category=nodes)
            dpg.add_theme_style(dpg.mvNodeStyleVar_LinkThickness, 2.5, category=nodes)
        button, text = disabled_colours(data)
        with dpg.theme_component(dpg.mvButton, enabled_state=False):  # a disabled button looks disabled
            for const in (dpg.mvThemeCol_Button, dpg.mvThemeCol_ButtonHovered, dpg.mvThemeCol_ButtonActive):
                dpg.add_theme_color(const, button)
            dpg.add_theme_color(dpg.mvThemeCol_Text, text)
    return item


def rescale_theme(theme: Theme, scale: float) -> None:
    """Rebuild and bind the window-wide theme at a new UI scale (node themes stay as they are)."""
    old = theme.global_theme
    theme.global_theme = _global_theme(theme.data, scale)
    dpg.bind_theme(theme.global_theme)
    if old and dpg.does_item_exist(old):
        dpg.delete_item(old)


def build_theme(name: str = DEFAULT_THEME, scale: float = 1.0) -> Theme:
    """Create the Dear PyGui theme items for `name` (style sizes times `scale`) and bind the global one."""
    data = load_theme_data(name)
    theme = Theme(name=name, data=data, font_size=int(data.get("font_size", 15)))
    nodes = dpg.mvThemeCat_Nodes
    theme.global_theme = _global_theme(data, scale)
    dpg.bind_theme(theme.global_theme)
    error_bg = theme.color("error_background", (78, 38, 40))
    error_outline = theme.color("error_outline", (235, 80, 80))
    highlight = theme.color("highlight_outline", (255, 210, 60))
    for category, colour in data.get("categories", {}).items():
        colour = rgba(colour)
        for store, extra in ((theme.categories, None), (theme.errors, "error"), (theme.highlights, "hl")):
            with dpg.theme() as item:
                with dpg.theme_component(dpg.mvNode):
                    dpg.add_theme_color(dpg.mvNodeCol_TitleBar, colour, category=nodes)
                    dpg.add_theme_color(dpg.mvNodeCol_TitleBarHovered, _lighter(colour, 20), category=nodes)
                    dpg.add_theme_color(dpg.mvNodeCol_TitleBarSelected, _lighter(colour, 40), category=nodes)
                    if extra == "error":
                        dpg.add_theme_color(dpg.mvNodeCol_NodeBackground, error_bg, category=nodes)
                        dpg.add_theme_color(dpg.mvNodeCol_NodeBackgroundHovered, _lighter(error_bg, 8),
                                            category=nodes)
                        dpg.add_theme_color(dpg.mvNodeCol_NodeBackgroundSelected, _lighter(error_bg, 16),
                                            category=nodes)
                        dpg.add_theme_color(dpg.mvNodeCol_NodeOutline, error_outline, category=nodes)
                        dpg.add_theme_style(dpg.mvNodeStyleVar_NodeBorderThickness, 2, category=nodes)
                    elif extra == "hl":
                        dpg.add_theme_color(dpg.mvNodeCol_NodeOutline, highlight, category=nodes)
                        dpg.add_theme_style(dpg.mvNodeStyleVar_NodeBorderThickness, 4, category=nodes)
            store[category] = item
    for pin_type in data.get("pins", {}):
        colour = theme.pin_color(pin_type)
        with dpg.theme() as item:
            with dpg.theme_component(dpg.mvNodeAttribute):
                dpg.add_theme_color(dpg.mvNodeCol_Pin, colour, category=nodes)
                dpg.add_theme_color(dpg.mvNodeCol_PinHovered, _lighter(colour, 50), category=nodes)
        theme.pins[pin_type] = item
        with dpg.theme() as item:
            with dpg.theme_component(dpg.mvNodeLink):
                dpg.add_theme_color(dpg.mvNodeCol_Link, colour[:3] + (200,), category=nodes)
                dpg.add_theme_color(dpg.mvNodeCol_LinkHovered, _lighter(colour, 60), category=nodes)
                dpg.add_theme_color(dpg.mvNodeCol_LinkSelected, _lighter(colour, 90), category=nodes)
        theme.links[pin_type] = item
    return theme


def _fontconfig_cjk() -> str | None:
    """The file fontconfig picks for Simplified Chinese sans text, if it has Chinese glyphs."""
    import shutil
    import subprocess  # only when no known font file is there: its import is 5 ms of a start

    match, listing = shutil.which("fc-match"), shutil.which("fc-list")
    try:
        if match:
            out = subprocess.run([match, "-f", "%{file}", "sans:lang=zh-cn"], capture_output=True, text=True,
                                 timeout=FC_TIMEOUT_S, check=False).stdout.strip()
            # fc-match always answers (its best guess may have no Chinese at all): check with fc-list
            if out and listing and _covers_chinese(listing, out):
                return out
        if listing:
            out = subprocess.run([listing, ":lang=zh-cn", "file"], capture_output=True, text=True,
                                 timeout=FC_TIMEOUT_S, check=False).stdout
            files = sorted(line.split(":")[0].strip() for line in out.splitlines() if line.strip())
            files = [f for f in files if not any(bad in f for bad in _NOT_CJK)]
            return files[0] if files else None
    except (OSError, subprocess.SubprocessError):
        return None
    return None


def _covers_chinese(listing: str, path: str) -> bool:
    import subprocess

    out = subprocess.run([listing, ":lang=zh-cn", "file"], capture_output=True, text=True,
                         timeout=FC_TIMEOUT_S, check=False).stdout
    return path in {line.split(":")[0].strip() for line in out.splitlines()} and \
        not any(bad in path for bad in _NOT_CJK)


@lru_cache(maxsize=1)
def find_cjk_font() -> str | None:
    """A font file with Latin and Simplified Chinese glyphs on this system, or None."""
    for path in FONT_CANDIDATES:  # the known good ones first: no subprocess when one is there
        if os.path.exists(path):
            return path
    if sys.platform != "win32":  # fontconfig: Linux and the BSDs (macOS only when installed)
        found = _fontconfig_cjk()
        if found and os.path.exists(found):
            return found
    if sys.platform == "win32":
        fonts = Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts"
        for name in ("msyh.ttc", "msyh.ttf", "simhei.ttf", "simsun.ttc", "Deng.ttf"):
            if (fonts / name).exists():
                return str(fonts / name)
    return None


def find_font() -> tuple[str | None, bool]:
    """(font file, covers CJK): DPG_LORA_FONT, a CJK font, a Latin font, or (None, False)."""
    extra = os.environ.get("DPG_LORA_FONT")
    if extra and os.path.exists(extra):
        return extra, True
    cjk = find_cjk_font()
    if cjk:
        return cjk, True
    for path in LATIN_FALLBACK:
        if os.path.exists(path):
            return path, False
    return None, False


def has_cjk_font() -> bool:
    return find_font()[1]


_FONTS: dict[int, int | str] = {}  # px -> font item (loaded again in a new context)


def ui_font(px: int) -> int | str | None:
    """The UI font at `px` pixels, loaded once per size; None when no font file was found (Dear
    PyGui's own font then draws, Latin only). Dear PyGui 2.3 builds glyphs as they are first drawn
    (ImGui 1.92 dynamic fonts), so a CJK font costs no more to load than a Latin one."""
    font = _FONTS.get(px)
    if font is not None and dpg.does_item_exist(font) and dpg.get_item_type(font).endswith("mvFont"):
        return font
    path, _cjk = find_font()
    if path is None:
        return None
    with dpg.font_registry():
        font = dpg.add_font(path, px)
    _FONTS[px] = font
    return font


def setup_font(size: int) -> int | str | None:
    """Register and bind the UI font at `size` pixels."""
    font = ui_font(size)
    if font is not None:
        dpg.bind_font(font)
    return font


__all__ = ["Theme", "build_theme", "find_font", "has_cjk_font", "rescale_theme", "setup_font",
           "theme_title", "ui_font"]
