"""The node canvas: a Dear PyGui node editor kept in line with the Document.

`sync()` reconciles nodes, positions, links, values, tints and problems after a revision, and
refreshes only the nodes whose values, ordered links, problems or key choices changed (each
view keeps the inputs it last showed, `NodeView.inputs`); user gestures (link, delink, moves,
selection) are read here and handed to the app as commands.

View: Dear PyGui's node editor (imnodes) has no zoom and no way to set its panning, so the
canvas draws every node at an *on-screen grid position* = model position * zoom + view offset.
The model keeps positions at 100% zoom; moves are read back through the same mapping. A zoom
level binds a font loaded at that size and a theme with the node style variables (padding, pin
size, link thickness, grid spacing) scaled, to the panel holding the editor, and resizes the
nodes' widgets in place (so the selection and opened folds stay); under COMPACT_BELOW (and when
collapsed) a node shows its title and pins only. Fit, reveal and "make room" measure what Dear PyGui drew in the last frame.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import dearpygui.dearpygui as dpg

from dpg_lora import layout
from dpg_lora.graph import Link
from dpg_lora.layout import COMPACT_BELOW, ZOOM_LEVELS
from dpg_lora.script_fields import fields_of
from dpg_lora.specs import REGISTRY
from dpg_lora.ui.node_widgets import NodeView, node_title
from dpg_lora.ui.problem_texts import problem_text
from dpg_lora.ui.texts import tr
from dpg_lora.ui.theme import NODE_PADDING, ui_font

HIGHLIGHT_SECONDS = 1.6
DROP_MIN_DISTANCE = 12  # px a pin drag must travel before a release on empty canvas counts
FIT_MARGIN = 20  # px kept free around a fitted graph
GROWTH_TURNS = 3  # turns a node is measured after its items changed (Dear ImGui settles sizes in 1-2)
READABLE_ZOOM = 0.85  # a node brought into view for a problem is shown at least this large
MIN_FONT = 6
# Style variables the zoom scales: (constant, values at 100%, node category?). Values at 100%
# match theme.py's global theme and imnodes' defaults (grid spacing 24, pin offset 0).
ZOOM_STYLES = (
    ("mvStyleVar_FramePadding", (5, 3), False),
    ("mvStyleVar_ItemSpacing", (6, 4), False),
    ("mvStyleVar_ItemInnerSpacing", (4, 4), False),
    ("mvStyleVar_IndentSpacing", (21,), False),
    ("mvStyleVar_FrameRounding", (3,), False),
    ("mvNodeStyleVar_NodePadding", NODE_PADDING, True),
    ("mvNodeStyleVar_NodeCornerRounding", (5,), True),
    ("mvNodeStyleVar_PinCircleRadius", (5,), True),
    ("mvNodeStyleVar_PinQuadSideLength", (9,), True),
    ("mvNodeStyleVar_LinkThickness", (2.5,), True),
    ("mvNodeStyleVar_GridSpacing", (24,), True),
)


@dataclass
class _Fit:
    """A fit in progress: measured after each frame until the nodes fit (or the zoom is smallest)."""
    ids: list[str] | None
    max_zoom: float = 1.0
    keep_zoom: bool = False  # only centre (bring into view), never zoom
    failed: set = field(default_factory=set)  # levels measured too big
    fitted: set = field(default_factory=set)  # levels measured to fit
    last: dict | None = None  # the rects measured last turn
    turns: int = 0


def _ordered_inputs(graph, script: str, views) -> dict[str, dict[str, list]]:
    """node -> ordered (multi) input -> [(source id, source key or id, source title)], in link order."""
    by_id = {n.id: n for n in graph.nodes}
    titles: dict[str, tuple] = {}
    out: dict[str, dict[str, list]] = {}
    for link in graph.links:
        dst, src = views.get(link.dst), by_id.get(link.src)
        if dst is None or src is None or link.dst_pin not in dst.order_groups:
            continue
        if link.src not in titles:
            src_spec = REGISTRY[src.type]
            key = src.values.get(src_spec.key_field.name) if src_spec.key_field else None
            titles[link.src] = (link.src, key or link.src, node_title(src_spec, src, script))
        out.setdefault(link.dst, {}).setdefault(link.dst_pin, []).append(titles[link.src])
    return out


class Canvas:
    def __init__(self, ctx, parent: int | str):
        self.ctx = ctx
        self.container = parent
        self.editor = dpg.add_node_editor(parent=parent, callback=self._on_link,
                                          delink_callback=self._on_delink, minimap=False,
                                          width=-1, height=-1)
        self.zoom_themes: dict[float, int] = {}
        self.zoom = 1.0
        self.apply_zoom_style()
        self.views: dict[str, NodeView] = {}
        self.node_of_item: dict[int, str] = {}
        self.attr_info: dict[int, tuple[str, str | None, str]] = {}  # attr -> (node, input pin|None, type)
        self.pin_attr: dict[tuple[str, str | None], int] = {}
        self.links: dict[tuple, int] = {}  # (src, dst, pin, nth) -> link item
        self.link_key: dict[int, tuple] = {}
        # what the views were last refreshed against (see _refresh_views)
        self._shown_for: tuple | None = None
        self._links_shown: list | None = None
        self._keys_shown: dict | None = None
        self._ordered: dict[str, dict[str, list]] = {}
        self.offset = (0.0, 0.0)
        self.dense: dict[str, tuple[float, float]] = {}  # node -> drawn place at a compact zoom (100% units)
        self._dense_model: dict[str, tuple] | None = None  # the model positions `dense` was made for
        self._dense_stale = False  # make `dense` again once the nodes are drawn (_densify)
        self._dense_anchor: tuple[float, float] | None = None  # the screen point the last zoom kept
        self.collapsed: set[str] = set()
        self.fit_job: _Fit | None = None
        self.reveal: set[str] = set()  # new nodes to bring into view once drawn
        self.sizes: dict[str, tuple[float, float]] = {}  # node -> drawn size at this zoom and form
        self.full_sizes: dict[str, tuple[float, float]] = {}  # node -> drawn size at 100%, full form
        self._watch: dict[str, list[int]] = {}  # node -> [its view's `changes` seen, turns left to measure]
        self.highlight: tuple[str, float] | None = None
        self._origin: tuple[float, float] | None = None  # screen position of grid (0, 0)
        self._press: tuple[int | None, tuple[float, float]] | None = None
        self._link_made = False
        self.pending_drop = None
        # Nodes the editor made the selection (duplicated, pasted): imnodes has no call to select
        # nodes, so they are the selection, drawn as selected, until the user clicks the canvas.
        self.chosen: list[str] = []
        self.chosen_themes: dict[str, int] = {}

    # ------------------------------------------------------------ lifecycle
    def clear(self) -> None:
        # Links first: deleting a node that still has links makes Dear PyGui 2.3.1 erase them while
        # iterating over them (mvNodeEditor::onChildRemoved), which crashes with 2+ links.
        for item in self.links.values():
            if dpg.does_item_exist(item):
                dpg.delete_item(item)
        for view in self.views.values():
            view.delete()
        self.views.clear()
        self.node_of_item.clear()
        self.attr_info.clear()
        self.pin_attr.clear()
        self.links.clear()
        self.link_key.clear()
        self.sizes.clear()
        self._watch.clear()
        self.reveal.clear()
        self.offset = (0.0, 0.0)
        self.dense, self._dense_model, self._dense_stale = {}, None, False
        self.highlight = None
        self.chosen = []
        self._shown_for = self._links_shown = self._keys_shown = None
        self.fit_job = None

    def items(self) -> list[int]:
        """Theme items the canvas made (deleted with the UI)."""
        return list(self.zoom_themes.values()) + list(self.chosen_themes.values())

    def _add_view(self, node) -> NodeView:
        view = NodeView(self.ctx, node, self.editor, self._grid(self._place(node.id, node.pos)), scale=self.zoom,
                        compact=self._compact(node.id))
        self.views[node.id] = view
        self._watch.pop(node.id, None)  # a new view: measured from its first drawn frame
        self.node_of_item[view.item] = node.id
        for attr, (pin, pin_type) in view.attrs.items():
            self.attr_info[attr] = (node.id, pin, pin_type)
            self.pin_attr[(node.id, pin)] = attr
        return view

    def _drop_view(self, node_id: str) -> None:
        """Remove a node's items, its links first (see clear)."""
        view = self.views.pop(node_id)
        self._watch.pop(node_id, None)
        for key in [k for k in self.links if node_id in (k[0], k[1])]:
            item = self.links.pop(key)
            self.link_key.pop(item, None)
            if dpg.does_item_exist(item):
                dpg.delete_item(item)
        for attr in view.attrs:
            info = self.attr_info.pop(attr, None)
            if info:
                self.pin_attr.pop((info[0], info[1]), None)
        self.node_of_item.pop(view.item, None)
        view.delete()

    # ------------------------------------------------------------ sync with the document
    def sync(self, doc) -> None:
        graph, result = doc.graph, doc.result
        ids = {n.id for n in graph.nodes}
        gone = [i for i in self.views if i not in ids]
        for node_id in gone:
            self._drop_view(node_id)
        added = False
        self.collapsed = set(graph.view.collapsed) & ids
        first = not self.views
        for node in graph.nodes:
            view = self.views.get(node.id)
            if view is not None and view.field_specs != fields_of(view.spec, doc.context):
                self._drop_view(node.id)  # the trainer folder's scripts brought or took fields
                view = None
            if view is None:
                view = self._add_view(node)
                added = True
                if not first and self.fit_job is None:
                    self.reveal.add(node.id)
            elif tuple(node.pos) != view.pos:
                dpg.set_item_pos(view.item, self._grid(self._place(node.id, node.pos)))
            if view.compact != self._compact(node.id):
                view.set_compact(not view.compact)
                self.sizes.pop(node.id, None)
            view.pos = tuple(node.pos)
        if self.zoom < COMPACT_BELOW and self._dense_model != {n.id: tuple(n.pos) for n in graph.nodes}:
            self._dense_stale = True  # nodes came, went or were moved (not by a drag here)
        links = [(l.src, l.dst, l.dst_pin) for l in graph.links]
        if gone or added or links != self._links_shown:
            self._sync_links(graph)
        self._refresh_views(doc, graph, result, links)

    def _refresh_views(self, doc, graph, result, links: list) -> None:
        """Refresh the views whose inputs changed: values, problems, ordered links into them, key
        choices; every view when the script or the machine defaults changed. Ordered links and key
        choices are recomputed only when links, keys or values changed."""
        script, context = result.script, doc.context
        everything = (script, context) != self._shown_for
        self._shown_for = (script, context)
        problems: dict[str, list] = {}
        for d in result.diagnostics:
            if d.node_id:
                problems.setdefault(d.node_id, []).append(d)
        views = self.views
        changed = {n.id for n in graph.nodes if everything or n.values != views[n.id].values_shown}
        links_changed = links != self._links_shown
        self._links_shown = links
        if everything or links_changed or any(views[i].feeds_order for i in changed):
            self._ordered = _ordered_inputs(graph, script, views)
        keys = result.dataset_keys
        if everything or links_changed or keys != self._keys_shown:
            self._keys_shown = keys
            for node in graph.nodes:
                view = views[node.id]
                if view.key_kinds:
                    choices = tuple(tuple(doc.dataset_keys_for(node.id, kind)) for kind in view.key_kinds)
                    if choices != view.keys_shown:
                        view.keys_shown = choices
                        changed.add(node.id)
        theme = self.ctx.theme
        lit = self.highlight[0] if self.highlight else None
        chosen = set(self.chosen)
        for node in graph.nodes:
            view = views[node.id]
            mine = problems.get(node.id, ())
            shown = tuple((d.severity, problem_text(d, graph)) for d in mine)
            ordered = self._ordered.get(node.id, {})
            if node.id in changed or shown != view.problems_in or ordered != view.order_inputs:
                view.refresh(node, script, mine, ordered)
                view.values_shown, view.problems_in, view.order_inputs = dict(node.values), shown, ordered
            category = view.spec.category
            if node.id == lit and category in theme.highlights:
                view.set_theme(theme.highlights[category])
            elif node.id in chosen:
                view.set_theme(self._chosen_theme(category))
            elif any(d.severity == "error" for d in mine) and category in theme.errors:
                view.set_theme(theme.errors[category])
            elif category in theme.categories:
                view.set_theme(theme.categories[category])

    def _sync_links(self, graph) -> None:
        wanted: dict[tuple, Link] = {}
        seen: dict[tuple, int] = {}
        for link in graph.links:
            base = (link.src, link.dst, link.dst_pin)
            nth = seen.get(base, 0)
            seen[base] = nth + 1
            wanted[base + (nth,)] = link
        for key in [k for k in self.links if k not in wanted]:
            item = self.links.pop(key)
            self.link_key.pop(item, None)
            if dpg.does_item_exist(item):
                dpg.delete_item(item)
        for key, link in wanted.items():
            if key in self.links:
                continue
            a, b = self.pin_attr.get((link.src, None)), self.pin_attr.get((link.dst, link.dst_pin))
            if a is None or b is None:
                continue
            item = dpg.add_node_link(a, b, parent=self.editor)
            src_type = self.attr_info[a][2]
            if src_type in self.ctx.theme.links:
                dpg.bind_item_theme(item, self.ctx.theme.links[src_type])
            self.links[key] = item
            self.link_key[item] = key

    def _place(self, node_id: str, pos) -> tuple[float, float]:
        """Where a node is drawn, in 100% units: its model position, or at a compact zoom its
        dense position (layout.dense_positions: compact nodes packed, not spaced for full ones)."""
        return self.dense.get(node_id, pos) if self.zoom < COMPACT_BELOW else pos

    def _grid(self, pos) -> tuple[int, int]:
        """On-screen grid position of a model position (100% coordinates)."""
        z = self.zoom
        return (int(round(pos[0] * z + self.offset[0])), int(round(pos[1] * z + self.offset[1])))

    def _compact(self, node_id: str) -> bool:
        return self.zoom < COMPACT_BELOW or node_id in self.collapsed

    # ------------------------------------------------------------ gestures
    def _on_link(self, sender, app_data, user_data=None):
        self._link_made = True
        a, b = (self._attr(x) for x in app_data)
        ia, ib = self.attr_info.get(a), self.attr_info.get(b)
        if ia is None or ib is None:
            return
        if ia[1] is None and ib[1] is not None:
            src, dst = ia, ib
        elif ib[1] is None and ia[1] is not None:
            src, dst = ib, ia
        else:
            self.ctx.status(tr("canvas.link_direction"), error=True)
            return
        self.ctx.link(src[0], dst[0], dst[1])

    def _on_delink(self, sender, app_data, user_data=None):
        link = self.link_of(self._attr(app_data))
        if link is not None:
            self.ctx.unlink(link)

    @staticmethod
    def _attr(x: Any) -> Any:
        return dpg.get_alias_id(x) if isinstance(x, str) else x

    def link_of(self, item: int) -> Link | None:
        key = self.link_key.get(item)
        if key is None:
            return None
        matches = [l for l in self.ctx.doc.graph.links if (l.src, l.dst, l.dst_pin) == key[:3]]
        return matches[key[3]] if key[3] < len(matches) else None

    def selection(self) -> tuple[list[str], list[Link]]:
        """The selected nodes and links: imnodes' selection, else the nodes the editor chose."""
        nodes = [self.node_of_item[i] for i in dpg.get_selected_nodes(self.editor) if i in self.node_of_item]
        links = [self.link_of(i) for i in dpg.get_selected_links(self.editor)]
        if not nodes and not links:
            nodes = [i for i in self.chosen if i in self.views]
        return nodes, [l for l in links if l is not None]

    def clear_selection(self) -> None:
        dpg.clear_selected_nodes(self.editor)
        dpg.clear_selected_links(self.editor)
        self.choose([])

    def choose(self, ids: list[str]) -> None:
        """Make `ids` the selection (new copies): drawn as selected, what Ctrl+D, Ctrl+C and
        Delete act on, until the user clicks on the canvas."""
        if ids:
            dpg.clear_selected_nodes(self.editor)
            dpg.clear_selected_links(self.editor)
        self.chosen = list(ids)  # the tints follow at the next sync

    def _chosen_theme(self, category: str) -> int:
        """A node of `category` drawn as selected (the category's selected title bar, an outline)."""
        item = self.chosen_themes.get(category)
        if item is not None and dpg.does_item_exist(item):
            return item
        theme, nodes = self.ctx.theme, dpg.mvThemeCat_Nodes
        colour = tuple(int(v) for v in theme.data.get("categories", {}).get(category, (80, 90, 110)))[:3]
        title = tuple(min(255, v + 40) for v in colour) + (255,)
        background = theme.data.get("node_colors", {}).get("mvNodeCol_NodeBackgroundSelected", (56, 61, 72))
        with dpg.theme() as item:
            with dpg.theme_component(dpg.mvNode):
                dpg.add_theme_color(dpg.mvNodeCol_TitleBar, title, category=nodes)
                dpg.add_theme_color(dpg.mvNodeCol_TitleBarHovered, title, category=nodes)
                dpg.add_theme_color(dpg.mvNodeCol_TitleBarSelected, title, category=nodes)
                dpg.add_theme_color(dpg.mvNodeCol_NodeBackground, tuple(background), category=nodes)
                dpg.add_theme_color(dpg.mvNodeCol_NodeOutline, theme.color("selection_outline", (120, 190, 255)),
                                    category=nodes)
                dpg.add_theme_style(dpg.mvNodeStyleVar_NodeBorderThickness, 2, category=nodes)
        self.chosen_themes[category] = item
        return item

    def moved_nodes(self) -> dict[str, tuple[float, float]]:
        """Nodes the user dragged: on-screen grid positions that differ from the model."""
        moved = {}
        z = self.zoom
        for node_id, view in self.views.items():
            x, y = dpg.get_item_pos(view.item)
            placed = self._place(node_id, view.pos)
            if (int(x), int(y)) == self._grid(placed):
                continue  # not moved: rounding at small zooms must not nudge the model
            drawn = ((x - self.offset[0]) / z, (y - self.offset[1]) / z)
            # the model moves as far as the node was dragged (from where it was drawn)
            pos = (view.pos[0] + drawn[0] - placed[0], view.pos[1] + drawn[1] - placed[1])
            if abs(pos[0] - view.pos[0]) > 0.5 or abs(pos[1] - view.pos[1]) > 0.5:
                moved[node_id] = (float(round(pos[0])), float(round(pos[1])))
                if node_id in self.dense and self._dense_model is not None:
                    self.dense[node_id] = drawn  # it stays where it was dropped
                    self._dense_model[node_id] = moved[node_id]
        return moved

    def hovered_node(self) -> str | None:
        for node_id, view in self.views.items():
            if dpg.is_item_hovered(view.item):
                return node_id
        return None

    def hovered_pin(self) -> int | None:
        for attr in self.attr_info:
            if dpg.is_item_hovered(attr):
                return attr
        return None

    def is_hovered(self) -> bool:
        return dpg.is_item_hovered(self.editor)

    # -- dropping a dragged link on empty canvas (Dear PyGui reports no such event):
    # remember the pin under the mouse at press; on release, if no link was created, the
    # mouse moved and nothing but canvas is under it, the app offers the fitting node types.
    def on_press(self) -> None:
        if not self.is_hovered():
            self._press = None
            return
        if self.chosen:  # the user's click selects now (imnodes)
            self.choose([])
            self.sync(self.ctx.doc)
        self._press = (self.hovered_pin(), tuple(dpg.get_mouse_pos(local=False)))
        self._link_made = False

    def on_release(self) -> None:
        press, self._press = self._press, None
        if not press or press[0] is None:
            return
        attr, start = press
        end = tuple(dpg.get_mouse_pos(local=False))
        if abs(end[0] - start[0]) + abs(end[1] - start[1]) < DROP_MIN_DISTANCE:
            return
        if self.hovered_node() is not None or self.hovered_pin() is not None or not self.is_hovered():
            return
        self.pending_drop = (attr, end)  # decided next loop turn, after the link callback ran

    def take_drop(self) -> tuple[tuple[str, str | None, str], tuple[float, float]] | None:
        drop, self.pending_drop = self.pending_drop, None
        if drop is None or self._link_made:
            return None
        info = self.attr_info.get(drop[0])
        return (info, drop[1]) if info else None

    # ------------------------------------------------------------ view
    @property
    def padding(self) -> tuple[float, float]:
        return NODE_PADDING[0] * self.zoom, NODE_PADDING[1] * self.zoom

    def node_rect(self, node_id: str) -> tuple[float, float, float, float]:
        """A node's screen rectangle. Dear PyGui reports a node's rect_min at its title text (inside
        the node padding) and rect_size as the whole node."""
        item = self.views[node_id].item
        x, y = dpg.get_item_rect_min(item)
        w, h = dpg.get_item_rect_size(item)
        px, py = self.padding
        x, y = x - px, y - py
        return x, y, x + w, y + h

    def title_height(self) -> float:
        """Height of a node's title bar at this zoom (font plus padding above and below)."""
        return self.font_px() + 2 * self.padding[1] + 2

    def drawn_rects(self) -> dict:
        """The canvas and every drawn node as [x, y, w, h] in window pixels, as Dear PyGui reports
        them for the last frame (nodes not drawn yet are left out)."""
        x0, y0, x1, y1 = self.container_rect()
        nodes = {}
        for node_id, rect in self._drawn(list(self.views), partial=True).items():
            nodes[node_id] = [round(v, 1) for v in rect]
        return {"canvas": [round(x0, 1), round(y0, 1), round(x1 - x0, 1), round(y1 - y0, 1)], "nodes": nodes}

    def _drawn(self, ids, partial: bool = False) -> dict[str, layout.Rect] | None:
        """Screen rects (x, y, w, h) of drawn nodes; None when one is not drawn yet (unless partial)."""
        out = {}
        px, py = self.padding
        for node_id in ids:
            state = dpg.get_item_state(self.views[node_id].item)  # one call: it builds every state
            w, h = state.get("rect_size") or (0, 0)
            if w <= 0 or h <= 0:
                if partial:
                    continue
                return None
            x, y = state["rect_min"]  # at the title text, inside the padding (node_rect)
            out[node_id] = (x - px, y - py, w, h)
        return out

    def container_rect(self) -> tuple[float, float, float, float]:
        """The canvas panel on screen (the editor window sits at the viewport's origin)."""
        x, y = dpg.get_item_pos(self.container)
        w, h = dpg.get_item_rect_size(self.container)
        return x, y, x + w, y + h

    def origin(self) -> tuple[float, float]:
        """Screen position of on-screen grid (0, 0), from any drawn node (panning included)."""
        for node_id, view in self.views.items():
            w, h = dpg.get_item_rect_size(view.item)
            if w > 0 and h > 0:
                sx, sy, _, _ = self.node_rect(node_id)
                gx, gy = dpg.get_item_pos(view.item)
                self._origin = (sx - gx, sy - gy)
                return self._origin
        if self._origin is None:
            x, y, _, _ = self.container_rect()
            return (x + 8, y + 8)
        return self._origin

    def model_pos_at(self, screen: tuple[float, float]) -> tuple[float, float]:
        ox, oy = self.origin()
        z = self.zoom
        return (round((screen[0] - ox - self.offset[0]) / z), round((screen[1] - oy - self.offset[1]) / z))

    def visible_centre(self) -> tuple[float, float]:
        x0, y0, x1, y1 = self.container_rect()
        return ((x0 + x1) / 2, (y0 + y1) / 2)

    def _shift(self, dx: float, dy: float) -> None:
        self.offset = (self.offset[0] + dx, self.offset[1] + dy)
        for node_id, view in self.views.items():
            dpg.set_item_pos(view.item, self._grid(self._place(node_id, view.pos)))

    # -- zoom
    def font_px(self, zoom: float | None = None) -> int:
        return max(MIN_FONT, int(round(self.ctx.theme.font_size * (self.zoom if zoom is None else zoom))))

    def _font(self, px: int) -> int | str | None:
        return ui_font(px)  # the window's font file at this zoom's size, loaded once per size

    def _zoom_theme(self, zoom: float) -> int:
        theme = self.zoom_themes.get(zoom)
        if theme is not None and dpg.does_item_exist(theme):
            return theme
        with dpg.theme() as theme:
            with dpg.theme_component(dpg.mvAll):
                for name, values, node in ZOOM_STYLES:
                    scaled = [max(1.0, v * zoom) if name != "mvStyleVar_ItemSpacing" else v * zoom
                              for v in values]
                    kwargs = {"category": dpg.mvThemeCat_Nodes} if node else {}
                    dpg.add_theme_style(getattr(dpg, name), *scaled, **kwargs)
        self.zoom_themes[zoom] = theme
        return theme

    def apply_zoom_style(self) -> None:
        """Bind this zoom's font and scaled styles to the panel that holds the editor."""
        dpg.bind_item_theme(self.container, self._zoom_theme(self.zoom))
        font = self._font(self.font_px())
        if font is not None:
            dpg.bind_item_font(self.container, font)

    def set_zoom(self, zoom: float, anchor: tuple[float, float] | None = None) -> bool:
        """Zoom to a level keeping the model point under `anchor` (screen; default the canvas
        centre) where it is. Resizes the nodes for the new size."""
        zoom = min(ZOOM_LEVELS, key=lambda level: abs(level - zoom))
        if zoom == self.zoom:
            return False
        ox, oy = self.origin()
        ax, ay = anchor or self.visible_centre()
        mx, my = (ax - ox - self.offset[0]) / self.zoom, (ay - oy - self.offset[1]) / self.zoom
        self.zoom = zoom
        self.offset = (ax - ox - mx * zoom, ay - oy - my * zoom)
        self._dense_anchor = (ax, ay)
        self._rescale()
        return True

    def zoom_by(self, steps: int, anchor: tuple[float, float] | None = None) -> bool:
        self.fit_job = None
        return self.set_zoom(layout.zoom_step(self.zoom, steps), anchor)

    def retranslate(self) -> None:
        """The language changed: every node view sets its texts again in place (NodeView.relabel),
        so the selection, pan, zoom and typed text stay; then every view is refreshed."""
        for view in self.views.values():
            view.relabel()
        self._shown_for = self._links_shown = self._keys_shown = None
        for view in self.views.values():
            view.values_shown = None
        self.sync(self.ctx.doc)

    def _rescale(self) -> None:
        """Show every node at the current zoom: the same items resized in place (NodeView.set_scale),
        so the selection, opened folds and link-order rows are kept."""
        self.origin()  # remember where grid (0, 0) is while nodes are still drawn
        self.sizes.clear()
        self.apply_zoom_style()
        for node_id, view in self.views.items():
            view.set_scale(self.zoom)
            if view.compact != self._compact(node_id):
                view.set_compact(not view.compact)
            dpg.set_item_pos(view.item, self._grid(self._place(node_id, view.pos)))
        self._dense_stale = self.zoom < COMPACT_BELOW  # compact sizes differ at each zoom

    # -- fit and reveal, measured from the drawn rects after each frame
    def request_fit(self, ids: list[str] | None = None, max_zoom: float = 1.0, keep_zoom: bool = False) -> None:
        """Fit the nodes (all when None) in the canvas at the largest zoom that shows them
        (keep_zoom: just centre them)."""
        self.fit_job = _Fit(ids=list(ids) if ids else None, max_zoom=max_zoom, keep_zoom=keep_zoom)
        self.reveal.clear()

    def frame_all(self) -> None:
        self.request_fit()

    def _avail(self) -> tuple[float, float, float, float]:
        x0, y0, x1, y1 = self.container_rect()
        return x0 + FIT_MARGIN, y0 + FIT_MARGIN, x1 - FIT_MARGIN, y1 - FIT_MARGIN

    def tick(self) -> bool:
        """Once per loop turn, after the document was drawn: continue a fit, reveal new nodes,
        make room under nodes that grew. True while it needs more frames (or changed the view)."""
        if not dpg.does_item_exist(self.editor):
            return False  # the UI is gone (torn down)
        if self._dense_stale and self.zoom < COMPACT_BELOW:
            self._densify()
            return True
        if self.fit_job is not None:
            self._fit_step()
            return True
        if self.reveal:
            self._reveal_step()
            return True
        return self._watch_growth()

    def _fit_step(self) -> None:
        job = self.fit_job
        ids = [i for i in (job.ids if job.ids is not None else self.views) if i in self.views]
        job.turns += 1
        if not ids or job.turns > 40:
            self.fit_job = None
            return
        rects = self._drawn(ids)
        if rects is None or rects != job.last:
            job.last = rects
            return  # not drawn yet, or still settling (a new node's first frame can differ)
        x, y, w, h = layout.bounds(rects.values())
        ax0, ay0, ax1, ay1 = self._avail()
        aw, ah = ax1 - ax0, ay1 - ay0
        fits = w <= aw + 0.5 and h <= ah + 0.5
        if not job.keep_zoom:
            z = self.zoom
            span = (w / z, h / z)  # at 100%, scaled from what is drawn now
            too_big = min(job.failed, default=job.max_zoom + 1)  # and every level above it
            levels = [lv for lv in ZOOM_LEVELS if lv <= job.max_zoom and lv < too_big]
            target = None
            if fits:  # probe at least one level up: drawn sizes do not scale exactly
                job.fitted.add(z)
                higher = [lv for lv in levels if lv > z and lv not in job.fitted]
                if higher:
                    target = max(layout.fit_zoom(span, (aw, ah), levels), min(higher))
            else:
                job.failed.add(z)
                lower = [lv for lv in levels if lv < z]
                if job.fitted:
                    target = max(job.fitted)
                elif lower:
                    target = layout.fit_zoom(span, (aw, ah), lower)
            if target is not None and target != z:
                self.set_zoom(target, anchor=(x + w / 2, y + h / 2))
                return
        # settled: centre what fits, else show its top-left corner
        dx = (ax0 + ax1) / 2 - (x + w / 2) if w <= aw else ax0 - x
        dy = (ay0 + ay1) / 2 - (y + h / 2) if h <= ah else ay0 - y
        self._shift(round(dx), round(dy))
        self.fit_job = None

    def settled(self) -> bool:
        """No fit or reveal is waiting for a frame."""
        return self.fit_job is None and not self.reveal

    def _reveal_step(self) -> None:
        ids = [i for i in self.reveal if i in self.views]
        rects = self._drawn(ids)
        if rects is None:
            return
        self.reveal.clear()
        if not rects:
            return
        x, y, w, h = layout.bounds(rects.values())
        ax0, ay0, ax1, ay1 = self._avail()
        dx = ax0 - x if x < ax0 or w > ax1 - ax0 else min(0.0, ax1 - (x + w))
        dy = ay0 - y if y < ay0 or h > ay1 - ay0 else min(0.0, ay1 - (y + h))
        if dx or dy:
            self._shift(round(dx), round(dy))

    def model_rect(self, screen: layout.Rect) -> layout.Rect:
        """A drawn rect in model units (100% zoom)."""
        ox, oy = self.origin()
        z = self.zoom
        return ((screen[0] - ox - self.offset[0]) / z, (screen[1] - oy - self.offset[1]) / z,
                screen[2] / z, screen[3] / z)

    def _densify(self) -> None:
        """At a compact zoom, once every node is drawn: pack the compact nodes (dense_positions)
        and keep the node nearest the zoom's anchor where it is on screen."""
        rects = self._drawn(list(self.views))
        if rects is None:
            return  # not drawn yet
        self._dense_stale = False
        if not rects:
            return
        z, graph = self.zoom, self.ctx.doc.graph
        pos = {n.id: tuple(n.pos) for n in graph.nodes if n.id in self.views}
        compact = {i: (r[2] / z, r[3] / z) for i, r in rects.items()}
        full = {n.id: self.full_sizes.get(n.id) or (layout.COLUMN_WIDTH - layout.COLUMN_GAP,
                                                    layout.node_height(n.type, n.values))
                for n in graph.nodes if n.id in self.views}
        ax, ay = self._dense_anchor or self.visible_centre()
        near = min(rects, key=lambda i: abs(rects[i][0] + rects[i][2] / 2 - ax) + abs(rects[i][1] + rects[i][3] / 2 - ay))
        before = self._place(near, pos[near])
        self.dense = layout.dense_positions(pos, compact, full)
        self._dense_model = {n.id: tuple(n.pos) for n in graph.nodes}
        after = self.dense.get(near, before)
        self._shift(round((before[0] - after[0]) * z), round((before[1] - after[1]) * z))

    def _watch_growth(self) -> bool:
        """A node drawn taller than before (problems, opened rows, advanced fields) pushes the
        nodes it now covers down, as one "make room" move. A node's items change only through its
        view (`NodeView.changes` counts it), so only the nodes changed in their last GROWTH_TURNS
        drawn turns are measured: an idle or panning frame measures none."""
        if self.zoom < COMPACT_BELOW:
            return False  # compact nodes do not grow, and are drawn at their dense positions
        ids = []
        for node_id, view in self.views.items():
            watch = self._watch.get(node_id)
            if watch is None or watch[0] != view.changes:
                watch = self._watch[node_id] = [view.changes, GROWTH_TURNS]
            if watch[1] > 0:
                ids.append(node_id)
        if not ids:
            return False
        rects = self._drawn(ids, partial=True)
        grown = []
        for node_id, (_, _, w, h) in rects.items():
            self._watch[node_id][1] -= 1  # counted in drawn turns: a node not drawn yet stays watched
            before = self.sizes.get(node_id)
            if before is not None and h > before[1] + 2:
                grown.append(node_id)
            self.sizes[node_id] = (w, h)
            if self.zoom == 1.0 and not self.views[node_id].compact:
                self.full_sizes[node_id] = (w, h)
        if not grown or self.ctx.doc is None:
            return False
        rects = self._drawn(list(self.views), partial=True)  # the nodes it may push
        model = {i: self.model_rect(r) for i, r in rects.items()}
        moves = layout.push_down(model, grown)
        return bool(moves) and self.ctx.doc.make_room({i: (round(x), round(y)) for i, (x, y) in moves.items()})

    def measured_sizes(self) -> dict[str, tuple[float, float]]:
        """Each node's drawn size at 100% in full form: measured now when drawn that way, else
        remembered from when it was, else scaled from what is drawn."""
        out = dict(self.full_sizes)
        for node_id, (_, _, w, h) in self._drawn(list(self.views), partial=True).items():
            if not self.views[node_id].compact:
                out[node_id] = (w / self.zoom, h / self.zoom)
            else:
                out.setdefault(node_id, (w / self.zoom, h / self.zoom))
        return {i: s for i, s in out.items() if i in self.views}

    def centre_on(self, node_id: str) -> bool:
        """Bring a node to the middle of the canvas at a readable zoom and flash its outline."""
        view = self.views.get(node_id)
        if view is None:
            return False
        if self.zoom < READABLE_ZOOM:
            self.set_zoom(READABLE_ZOOM)
        self.request_fit([node_id], keep_zoom=True)
        self.flash(node_id)
        return True

    def flash(self, node_id: str) -> None:
        self.highlight = (node_id, time.monotonic() + HIGHLIGHT_SECONDS)
        view = self.views.get(node_id)
        theme = self.ctx.theme
        if view and view.spec.category in theme.highlights:
            view.set_theme(theme.highlights[view.spec.category])

    def tick_highlight(self, doc) -> bool:
        """Called by the loop only while a highlight is on; True when it ended (node re-tinted)."""
        if not dpg.does_item_exist(self.editor):
            return False  # the UI is gone (torn down while a highlight was on)
        if self.highlight and time.monotonic() > self.highlight[1]:
            node_id = self.highlight[0]
            self.highlight = None
            view = self.views.get(node_id)
            if view:
                view.shown_theme = None
                self.sync(doc)
            return True
        return False
