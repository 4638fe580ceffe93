"""Themes (themes/<name>.json) and fonts: colours per node category and pin type, a CJK-capable font.

A theme file names Dear PyGui colour constants ("mvThemeCol_WindowBg", "mvNodeCol_GridLine")
so any colour can be themed without code; categories and pins map registry names to RGB.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

import dearpygui.dearpygui as dpg

from dpg_lora.resources import themes_dir

THEMES_DIR = themes_dir()  # the package's copy in a wheel, else the source tree's themes/
DEFAULT_THEME = "dark"
NODE_PADDING = (8, 5)  # imnodes node padding; node geometry in canvas.py depends on it

# A font covering Latin and CJK (Chinese file names and captions are common); the first found wins.
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)
LATIN_FALLBACK = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "C:/Windows/Fonts/segoeui.ttf")


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


def build_theme(name: str = DEFAULT_THEME) -> Theme:
    """Create the Dear PyGui theme items for `name` and bind the global one."""
    data = load_theme_data(name)
    theme = Theme(name=name, data=data, font_size=int(data.get("font_size", 15)))
    nodes = dpg.mvThemeCat_Nodes
    with dpg.theme() as theme.global_theme:
        with dpg.theme_component(dpg.mvAll):
            for const, value in data.get("colors", {}).items():
                if hasattr(dpg, const):
                    dpg.add_theme_color(getattr(dpg, const), rgba(value))
            for const, value in data.get("node_colors", {}).items():
                if hasattr(dpg, const):
                    dpg.add_theme_color(getattr(dpg, const), rgba(value), category=nodes)
            dpg.add_theme_style(dpg.mvStyleVar_FrameRounding, 3)
            dpg.add_theme_style(dpg.mvStyleVar_FramePadding, 5, 3)
            dpg.add_theme_style(dpg.mvStyleVar_ItemSpacing, 6, 4)
            dpg.add_theme_style(dpg.mvNodeStyleVar_NodeCornerRounding, 5, category=nodes)
            dpg.add_theme_style(dpg.mvNodeStyleVar_NodePadding, *NODE_PADDING, category=nodes)
            dpg.add_theme_style(dpg.mvNodeStyleVar_PinCircleRadius, 5, category=nodes)
            dpg.add_theme_style(dpg.mvNodeStyleVar_PinQuadSideLength, 9, category=nodes)
            dpg.add_theme_style(dpg.mvNodeStyleVar_LinkThickness, 2.5, category=nodes)
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


def find_font() -> tuple[str | None, bool]:
    """(font file, covers CJK) — the first candidate present, else a Latin font, else None."""
    extra = os.environ.get("DPG_LORA_FONT")
    if extra and os.path.exists(extra):
        return extra, True
    for path in FONT_CANDIDATES:
        if os.path.exists(path):
            return path, True
    for path in LATIN_FALLBACK:
        if os.path.exists(path):
            return path, False
    return None, False


def setup_font(size: int) -> int | None:
    """Register and bind the UI font. Dear PyGui 2.3 loads glyph ranges on demand (range hints are
    no-ops), so a CJK font file is all Chinese text needs."""
    path, _cjk = find_font()
    if path is None:
        return None
    with dpg.font_registry():
        font = dpg.add_font(path, size)
    dpg.bind_font(font)
    return font
