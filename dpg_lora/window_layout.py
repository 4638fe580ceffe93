"""The editor window's geometry, pure: the side panels' widths beside the canvas, and where the
window opens on the screen. No Dear PyGui: the UI measures (window size, work areas) and applies.
"""
from __future__ import annotations

from dataclasses import dataclass

Rect = tuple[int, int, int, int]  # x, y, w, h

# Side panels: default widths are a share of the window, at most a fixed width, so at 1280 px the
# canvas keeps over 60% (1280: presets 166, preview 294, canvas 61%).
LEFT_DEFAULT, RIGHT_DEFAULT = 210, 430
LEFT_SHARE, RIGHT_SHARE = 0.13, 0.23
LEFT_MIN, RIGHT_MIN = 120, 220  # a panel dragged narrower than this stops there
CANVAS_MIN = 360  # the canvas never gets narrower than this (a panel gives way first)
SPLITTER_W = 10  # the drag handle between a panel and the canvas (the row has no other spacing)
CHROME_W = 16  # the window's padding, 8 px each side

# The window: on first start at most this share of the monitor's work area, centred.
SCREEN_SHARE = 0.9
FALLBACK_SIZE = (1500, 920)  # when the screen cannot be measured
WINDOW_MIN = (640, 400)
MIN_VISIBLE = 120  # px of a restored window that must lie on a screen, else it is re-centred


@dataclass(frozen=True)
class PanelWidths:
    left: int  # 0 when collapsed
    centre: int
    right: int


def px(width: int, scale: float) -> int:
    """A fixed width of the layout at View -> UI scale `scale` (1.0 = 100%)."""
    return round(width * scale)


def default_widths(window_w: int, scale: float = 1.0) -> tuple[int, int]:
    """The presets and preview widths a window this wide starts with; at a larger UI scale the
    panels' text is larger, so their share and their cap grow with it."""
    return (min(px(LEFT_DEFAULT, scale), int(window_w * LEFT_SHARE * scale)),
            min(px(RIGHT_DEFAULT, scale), int(window_w * RIGHT_SHARE * scale)))


def min_widths(scale: float = 1.0) -> tuple[int, int]:
    """The narrowest the presets and preview panels get at UI scale `scale`."""
    return px(LEFT_MIN, scale), px(RIGHT_MIN, scale)


def fixed_width(scale: float = 1.0) -> int:
    """What of the window's width is neither panel nor canvas: its padding and the two splitters."""
    return px(CHROME_W, scale) + 2 * px(SPLITTER_W, scale)


def panel_widths(window_w: int, left: int | None = None, right: int | None = None,
                 left_collapsed: bool = False, right_collapsed: bool = False, scale: float = 1.0) -> PanelWidths:
    """The widths drawn in a window `window_w` wide at UI scale `scale`. `left`/`right`: the widths
    asked for (None: the default share); each is kept within its (scaled) minimum and what leaves
    the canvas CANVAS_MIN; when the window is too narrow for both, the preview gives way first,
    then the presets."""
    want_l, want_r = default_widths(window_w, scale)
    least_l, least_r = min_widths(scale)
    want_l = 0 if left_collapsed else max(least_l, want_l if left is None else left)
    want_r = 0 if right_collapsed else max(least_r, want_r if right is None else right)
    room = window_w - fixed_width(scale)  # for the panels and the canvas
    spare = max(0, room - CANVAS_MIN)
    right_w = min(want_r, max(0, spare - min(want_l, least_l))) if want_r else 0
    left_w = min(want_l, max(0, spare - right_w)) if want_l else 0
    return PanelWidths(left_w, max(1, room - left_w - right_w), right_w)


def dragged_width(start_width: int, start_x: float, mouse_x: float, side: str, window_w: int,
                  other_width: int, scale: float = 1.0) -> int:
    """A panel's width while its splitter is dragged from `start_x` to `mouse_x`: the presets
    panel (side "left") grows to the right, the preview ("right") to the left; kept between the
    panel's (scaled) minimum and what leaves the canvas CANVAS_MIN beside the other panel."""
    delta = mouse_x - start_x
    width = start_width + delta if side == "left" else start_width - delta
    least = min_widths(scale)[0 if side == "left" else 1]
    most = window_w - fixed_width(scale) - CANVAS_MIN - other_width
    return int(round(max(least, min(most, width))))


# ---------------------------------------------------------------- the window on the screen

def _visible(rect: Rect, area: Rect) -> tuple[int, int]:
    x, y, w, h = rect
    ax, ay, aw, ah = area
    return max(0, min(x + w, ax + aw) - max(x, ax)), max(0, min(y + h, ay + ah) - max(y, ay))


def first_window(areas: list[Rect]) -> Rect:
    """The window on first start: at most SCREEN_SHARE of the primary work area (the first of
    `areas`), centred on it; FALLBACK_SIZE at the origin's offset when nothing was measured."""
    if not areas:
        return 100, 100, FALLBACK_SIZE[0], FALLBACK_SIZE[1]
    ax, ay, aw, ah = areas[0]
    w = max(min(WINDOW_MIN[0], aw), int(aw * SCREEN_SHARE))
    h = max(min(WINDOW_MIN[1], ah), int(ah * SCREEN_SHARE))
    return ax + (aw - w) // 2, ay + (ah - h) // 2, w, h


def restored_window(saved: Rect | None, areas: list[Rect]) -> Rect:
    """Where the window opens: `saved` (size and place remembered) when it still lies on one of
    `areas`, its size clamped to that work area; re-centred on the primary one when it is off
    every screen (a monitor unplugged); `first_window` when nothing was remembered."""
    if saved is None:
        return first_window(areas)
    x, y, w, h = saved
    w, h = max(WINDOW_MIN[0], w), max(WINDOW_MIN[1], h)
    if not areas:
        return x, y, w, h
    best = max(areas, key=lambda a: _visible((x, y, w, h), a)[0] * _visible((x, y, w, h), a)[1])
    vis_w, vis_h = _visible((x, y, w, h), best)
    ax, ay, aw, ah = best
    if vis_w < min(MIN_VISIBLE, w) or vis_h < min(MIN_VISIBLE, h):
        ax, ay, aw, ah = areas[0]
        w, h = min(w, aw), min(h, ah)
        return ax + (aw - w) // 2, ay + (ah - h) // 2, w, h
    w, h = min(w, aw), min(h, ah)
    x = max(ax, min(x, ax + aw - w))
    y = max(ay, min(y, ay + ah - h))
    return x, y, w, h
