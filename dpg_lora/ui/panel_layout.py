"""The side panels beside the canvas: a splitter between each panel and the canvas (drag it to
resize, its arrow or a double-click collapses and brings the panel back), View menu items, and
the widths and collapsed states remembered (`panels.*` in the UI state).

Dear PyGui has no splitter: each is a thin drag bar (a button; while it is held, item handlers
report the mouse each frame) with a small arrow button above it. The widths themselves are pure
geometry (dpg_lora/window_layout.py).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

import dearpygui.dearpygui as dpg

from dpg_lora.ui.clicks import SecondClick
from dpg_lora.ui.cursor import ResizeCursor
from dpg_lora.ui import texts
from dpg_lora.ui.texts import tr
from dpg_lora.window_layout import SPLITTER_W, PanelWidths, dragged_width, panel_widths, px

if TYPE_CHECKING:
    from dpg_lora.ui.remember import Remembered

SIDES = ("left", "right")
ARROW_H = 24  # the collapse button at the top of a splitter
MENU_H, STATUS_H = 24, 24
BODY_SLACK = 22  # window padding and item spacing around the panel row, besides menu and status bar
# The arrow pointing where the panel goes when clicked: (expanded, collapsed).
ARROWS = {"left": ("\u2039", "\u203a"), "right": ("\u203a", "\u2039")}


class PanelHost(Protocol):
    remembered: Remembered
    size: tuple[int, int]
    left: int | str
    centre: int | str
    right: int | str


class Splitter:
    def __init__(self, side: str):
        self.side = side
        self.group: int | str = 0
        self.arrow: int | str = 0
        self.bar: int | str = 0
        self.tip: int | str = 0
        self.drag: tuple[int, float, int] | None = None  # (start width, start mouse x, other width)


class PanelLayout:
    """The panel row's widths and collapsed states, its splitters, and their View menu items."""

    def __init__(self, host: PanelHost):
        self.host = host
        state = host.remembered.state
        self.want: dict[str, int | None] = {side: state.get_int(f"panels.{side}_width") for side in SIDES}
        self.collapsed = {side: bool(state.get_bool(f"panels.{side}_collapsed", False)) for side in SIDES}
        self.splitters = {side: Splitter(side) for side in SIDES}
        self.bar_presses = SecondClick()  # two presses on one bar soon after each other: a double-click
        self.menu_items: dict[str, int | str] = {}
        self.shown = PanelWidths(0, 0, 0)
        self.theme: int | str = 0
        self.handlers: int | str = 0
        self.cursor = ResizeCursor()

    # ------------------------------------------------------------ building
    def build_theme(self) -> None:
        with dpg.theme() as self.theme:
            with dpg.theme_component(dpg.mvButton):
                dpg.add_theme_style(dpg.mvStyleVar_FramePadding, 0, 0)
                dpg.add_theme_style(dpg.mvStyleVar_FrameRounding, 2)
                dpg.add_theme_color(dpg.mvThemeCol_Button, (128, 136, 150, 70))
                dpg.add_theme_color(dpg.mvThemeCol_ButtonHovered, (110, 150, 220, 150))
                dpg.add_theme_color(dpg.mvThemeCol_ButtonActive, (110, 150, 220, 220))
        with dpg.item_handler_registry() as self.handlers:
            dpg.add_item_activated_handler(callback=lambda s, item: self._drag_start(item))
            dpg.add_item_active_handler(callback=lambda s, item: self._drag_move(item))
            dpg.add_item_deactivated_handler(callback=lambda s, item: self._drag_end(item))

    def add_splitter(self, side: str) -> int | str:
        """The splitter on that side of the canvas, in the panel row being built."""
        if not self.theme:
            self.build_theme()
        sp = self.splitters[side]
        with dpg.group() as sp.group:
            sp.arrow = dpg.add_button(label=ARROWS[side][0], width=SPLITTER_W, height=ARROW_H,
                                      callback=lambda: self.toggle(side))
            with dpg.tooltip(sp.arrow):
                sp.tip = dpg.add_text("")
            sp.bar = dpg.add_button(label="", width=SPLITTER_W, height=100, user_data=side)
            with dpg.tooltip(sp.bar):
                texts.bind_value(dpg.add_text(""), "panels.drag_tip")
        dpg.bind_item_theme(sp.group, self.theme)
        dpg.bind_item_handler_registry(sp.bar, self.handlers)
        self._show_arrow(side)
        if side == "right":
            texts.on_switch(self._show_arrows)  # the arrows' tooltips in the new language
        return sp.group

    def menu_entries(self) -> list:
        return [(tr("panels.presets_panel"), "", lambda: self.toggle("left")),
                (tr("panels.preview_panel"), "", lambda: self.toggle("right"))]

    def bind_menu(self, items: dict[str, int]) -> None:
        """Make the View menu's panel items check items showing whether each panel is shown."""
        for side, key in (("left", "panels.presets_panel"), ("right", "panels.preview_panel")):
            item = items.get(key)  # build_menu_bar keys a tr() label by its catalogue key
            if item is not None:
                self.menu_items[side] = item
                dpg.configure_item(item, check=True)
                dpg.set_value(item, not self.collapsed[side])

    def after_frame(self) -> None:
        """The resize cursor while a splitter bar is hovered or dragged (set after each frame)."""
        on = any(sp.drag is not None or (sp.bar and dpg.is_item_hovered(sp.bar)) for sp in self.splitters.values())
        self.cursor.show(on)

    def items(self) -> list:
        return [self.theme, self.handlers]

    # ------------------------------------------------------------ layout
    @property
    def scale(self) -> float:
        return getattr(self.host, "ui_scale", 1.0)  # View -> UI scale

    def widths(self, window_w: int) -> PanelWidths:
        """The panels' widths: defaults and minimums grow with the UI scale, a remembered or
        dragged width is kept no narrower than the scaled minimum."""
        return panel_widths(window_w, self.want["left"], self.want["right"],
                            self.collapsed["left"], self.collapsed["right"], scale=self.scale)

    def apply(self, width: int, height: int) -> PanelWidths:
        """Size the panel row to a window `width` x `height`."""
        host = self.host
        scale = self.scale  # the bars' text and padding, the splitters and the panels grow with it
        body = max(200, height - round((MENU_H + STATUS_H + BODY_SLACK) * scale))
        w = self.widths(width)
        for item, panel_w in ((host.left, w.left), (host.right, w.right)):
            dpg.configure_item(item, width=max(1, panel_w), height=body, show=panel_w > 0)
        dpg.configure_item(host.centre, width=w.centre, height=body)
        arrow_h = px(ARROW_H, scale)
        for sp in self.splitters.values():
            if sp.arrow:
                dpg.configure_item(sp.arrow, width=px(SPLITTER_W, scale), height=arrow_h)
            if sp.bar:
                dpg.configure_item(sp.bar, width=px(SPLITTER_W, scale), height=max(20, body - arrow_h - 4))
        self.shown = w
        return w

    # ------------------------------------------------------------ collapse
    def toggle(self, side: str) -> None:
        self.set_collapsed(side, not self.collapsed[side])

    def set_collapsed(self, side: str, collapsed: bool) -> None:
        if self.collapsed[side] == collapsed:
            return
        self.collapsed[side] = collapsed
        self.host.remembered.set(f"panels.{side}_collapsed", collapsed)
        self._show_arrow(side)
        if side in self.menu_items:
            dpg.set_value(self.menu_items[side], not collapsed)
        self.apply(*self.host.size)

    def _show_arrows(self) -> None:
        for side in SIDES:
            self._show_arrow(side)

    def _show_arrow(self, side: str) -> None:
        sp = self.splitters[side]
        if not sp.arrow or not dpg.does_item_exist(sp.arrow):
            return
        collapsed = self.collapsed[side]
        dpg.configure_item(sp.arrow, label=ARROWS[side][collapsed])
        panel = tr("panels.presets") if side == "left" else tr("panels.preview")
        dpg.set_value(sp.tip, tr("panels.expand_tip" if collapsed else "panels.collapse_tip", panel=panel))

    # ------------------------------------------------------------ dragging a splitter
    def _side_of(self, item) -> str | None:
        return next((s for s, sp in self.splitters.items() if sp.bar == item), None)

    def _drag_start(self, item) -> None:
        side = self._side_of(item)
        if side is None:
            return
        sp = self.splitters[side]
        if self.bar_presses.is_second(side):  # a double-click on the bar
            sp.drag = None
            self.toggle(side)
            return
        other = "right" if side == "left" else "left"
        if self.collapsed[side]:
            return  # a collapsed panel comes back with its arrow, a double-click or the View menu
        shown = getattr(self.shown, side)
        self.splitters[side].drag = (shown, dpg.get_mouse_pos(local=False)[0], getattr(self.shown, other))

    def _drag_move(self, item) -> None:
        side = self._side_of(item)
        drag = self.splitters[side].drag if side else None
        if side is None or drag is None:
            return
        start_w, start_x, other_w = drag
        mouse_x = dpg.get_mouse_pos(local=False)[0]
        if mouse_x != start_x:
            self.bar_presses.forget()  # this press is a drag: a press right after it is no double-click
        width = dragged_width(start_w, start_x, mouse_x, side, self.host.size[0], other_w, scale=self.scale)
        if width != self.want[side]:
            self.want[side] = width
            self.apply(*self.host.size)

    def _drag_end(self, item) -> None:
        side = self._side_of(item)
        if side is None or self.splitters[side].drag is None:
            return
        self.splitters[side].drag = None
        self.host.remembered.set(f"panels.{side}_width", getattr(self.shown, side))
        self.host.remembered.set(f"panels.{side}_collapsed", False)
