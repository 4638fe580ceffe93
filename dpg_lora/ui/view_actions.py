"""View actions: zoom, fit, collapse, the minimap and the canvas double-click.

Zoom and fit only change the view (ui/canvas.py); collapsing is a document command because the
collapsed nodes are kept in the graph file's view data.
"""
from __future__ import annotations

import time
from typing import TYPE_CHECKING, Protocol

import dearpygui.dearpygui as dpg

from dpg_lora.document import Document
from dpg_lora.layout import ZOOM_LEVELS
from dpg_lora.specs import REGISTRY
from dpg_lora.ui import texts
from dpg_lora.ui.texts import tr

if TYPE_CHECKING:
    from dpg_lora.ui.canvas import Canvas
    from dpg_lora.ui.menus import NodePicker
    from dpg_lora.ui.panel_layout import PanelLayout

# Two left clicks this close in time and place are a double-click. Measured here, not by ImGui:
# ImGui counts 0.3 s of frame time between the presses, which a loaded machine's slow frames eat.
DOUBLE_CLICK_SECONDS = 0.5
DOUBLE_CLICK_PIXELS = 6
ZOOM_BOX_W = 70  # the status bar's zoom box at 100% UI scale

# minimap position -> Dear PyGui constant (the menu shows tr("view.minimap_" + position))
MINIMAP_LOCATIONS = {"bottom_right": "mvNodeMiniMap_Location_BottomRight",
                     "bottom_left": "mvNodeMiniMap_Location_BottomLeft",
                     "top_right": "mvNodeMiniMap_Location_TopRight",
                     "top_left": "mvNodeMiniMap_Location_TopLeft"}


def zoom_label(zoom: float) -> str:
    return f"{round(zoom * 100)}%"


class ViewHost(Protocol):
    """What the view actions use of the editor."""
    doc: Document
    canvas: Canvas
    picker: NodePicker
    node_menu: int | str
    panels: PanelLayout

    def status(self, message: str, error: bool = False) -> None: ...

    def text_input_active(self) -> bool: ...

    def open_node_search(self) -> None: ...


class ViewActions:
    def __init__(self, host: ViewHost):
        self.host = host
        self.minimap_location = "bottom_right"
        self.zoom_box: int | str = 0
        self.shown_zoom = 1.0
        self._last_click: tuple[float, tuple[float, float]] | None = None

    # -- zoom
    def _zoom_anchor(self):
        return tuple(dpg.get_mouse_pos(local=False)) if self.host.canvas.is_hovered() else None

    def zoom_in(self) -> None:
        self.host.canvas.zoom_by(1, self._zoom_anchor())

    def zoom_out(self) -> None:
        self.host.canvas.zoom_by(-1, self._zoom_anchor())

    def on_wheel(self, delta: float) -> None:
        """The mouse wheel over the canvas zooms around the cursor (not over a popup)."""
        if not delta or not self.host.canvas.is_hovered() or self.host.picker.shown or dpg.is_item_shown(self.host.node_menu):
            return
        self.host.canvas.zoom_by(1 if delta > 0 else -1, tuple(dpg.get_mouse_pos(local=False)))

    def build_zoom_box(self, parent) -> int:
        self.zoom_box = dpg.add_combo([zoom_label(z) for z in ZOOM_LEVELS], default_value="100%",
                                      width=round(ZOOM_BOX_W * getattr(self.host, "ui_scale", 1.0)),
                                      parent=parent, callback=lambda s, a: self._zoom_from_box(a))
        with dpg.tooltip(self.zoom_box):
            texts.bind_value(dpg.add_text(""), "view.zoom_tip")
        self.shown_zoom = 1.0
        return self.zoom_box

    def _zoom_from_box(self, label: str) -> None:
        zoom = next((z for z in ZOOM_LEVELS if zoom_label(z) == label), None)
        if zoom is not None:
            self.host.canvas.fit_job = None
            self.host.canvas.set_zoom(zoom)

    def show_zoom(self) -> None:
        """Keep the status bar's zoom box in line with the canvas (called every loop turn)."""
        if self.host.canvas.zoom != self.shown_zoom:
            self.shown_zoom = self.host.canvas.zoom
            dpg.set_value(self.zoom_box, zoom_label(self.host.canvas.zoom))

    # -- fit
    def frame_all(self) -> None:
        self.host.canvas.request_fit()

    def fit_selection(self) -> None:
        nodes, _ = self.host.canvas.selection()
        if not nodes:
            self.host.status(tr("view.fit_nothing_selected"))
            return
        self.host.canvas.request_fit(nodes)

    # -- collapse
    def toggle_collapsed(self, node_id: str) -> None:
        collapsed = node_id not in self.host.doc.graph.view.collapsed
        self.host.doc.set_collapsed([node_id], collapsed)

    def set_items_collapsed(self, collapsed: bool) -> None:
        """Collapse (or expand) every item node: the many small nodes left of the lists."""
        ids = [n.id for n in self.host.doc.graph.nodes if REGISTRY[n.type].category == "items"]
        if self.host.doc.set_collapsed(ids, collapsed):
            self.host.status(tr("view.items_collapsed" if collapsed else "view.items_expanded", count=len(ids)))

    def expand_all(self) -> None:
        self.host.doc.set_collapsed([n.id for n in self.host.doc.graph.nodes], False)

    # -- double-click on the canvas
    def on_left_click(self) -> None:
        now, mouse = time.monotonic(), tuple(dpg.get_mouse_pos(local=False))
        last, self._last_click = self._last_click, (now, mouse)
        if last is not None and now - last[0] <= DOUBLE_CLICK_SECONDS and \
                abs(mouse[0] - last[1][0]) + abs(mouse[1] - last[1][1]) <= DOUBLE_CLICK_PIXELS:
            self._last_click = None
            self.on_double_click()

    def on_double_click(self) -> None:
        """On a node's title: collapse or expand it; on empty canvas: the add-node search."""
        canvas = self.host.canvas
        if not canvas.is_hovered() or self.host.picker.shown or self.host.text_input_active():
            return
        mouse = tuple(dpg.get_mouse_pos(local=False))
        node_id = canvas.hovered_node()
        if node_id is not None:
            _, y0, _, _ = canvas.node_rect(node_id)
            if mouse[1] <= y0 + canvas.title_height():
                self.toggle_collapsed(node_id)
            return
        if canvas.hovered_pin() is None:
            self.host.open_node_search()

    # -- minimap
    def toggle_minimap(self) -> None:
        on = not dpg.get_item_configuration(self.host.canvas.editor).get("minimap", False)
        self._show_minimap(on)
        self.host.status(tr("view.minimap_on" if on else "view.minimap_off"))

    def set_minimap_location(self, name: str) -> None:
        self.minimap_location = name
        self._show_minimap(True)

    def _show_minimap(self, on: bool) -> None:
        dpg.configure_item(self.host.canvas.editor, minimap=on,
                           minimap_location=getattr(dpg, MINIMAP_LOCATIONS[self.minimap_location]))

    def view_menu(self, themes: list) -> list:
        positions = [(tr(f"view.minimap_{name}"), "", (lambda n=name: self.set_minimap_location(n)))
                     for name in MINIMAP_LOCATIONS]
        return [(tr("view.fit_graph"), "Home / F", self.frame_all), (tr("view.fit_selection"), ".", self.fit_selection),
                (tr("view.zoom_in"), "+", self.zoom_in), (tr("view.zoom_out"), "-", self.zoom_out), None,
                (tr("view.collapse_items"), "", lambda: self.set_items_collapsed(True)),
                (tr("view.expand_all"), "", self.expand_all), None,
                *self.host.panels.menu_entries(), None,
                (tr("view.minimap"), "M", self.toggle_minimap), (tr("view.minimap_position"), "", positions),
                (tr("view.theme"), "", themes)]
