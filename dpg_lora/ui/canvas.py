"""The node canvas: a Dear PyGui node editor kept in line with the Document.

`sync()` reconciles nodes, positions, links, values, tints and problems after a revision, and
refreshes only the nodes whose values, ordered links, problems or key choices changed (each
view keeps the inputs it last showed, `NodeView.inputs`); user gestures (link, delink, moves,
selection) are read here and handed to the app as commands.

View offset: Dear PyGui cannot set the node editor's panning, so "centre on a node" shifts every
node's *on-screen grid position* by a view offset. The model's positions never change; the
offset is added when drawing and subtracted when reading moves back.
"""
from __future__ import annotations

import time
from typing import Any

import dearpygui.dearpygui as dpg

from dpg_lora.graph import Link
from dpg_lora.specs import REGISTRY
from dpg_lora.ui.node_widgets import NodeView, node_title
from dpg_lora.ui.theme import NODE_PADDING

HIGHLIGHT_SECONDS = 1.6
DROP_MIN_DISTANCE = 12  # px a pin drag must travel before a release on empty canvas counts


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
        self.highlight: tuple[str, float] | None = None
        self._origin: tuple[float, float] | None = None  # screen position of grid (0, 0)
        self._press: tuple[int | None, tuple[float, float]] | None = None
        self._link_made = False
        self.pending_drop = None

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
        self.offset = (0.0, 0.0)
        self.highlight = None
        self._shown_for = self._links_shown = self._keys_shown = None

    def _add_view(self, node) -> NodeView:
        pos = (node.pos[0] + self.offset[0], node.pos[1] + self.offset[1])
        view = NodeView(self.ctx, node, self.editor, pos)
        self.views[node.id] = view
        self.node_of_item[view.item] = node.id
        for attr, (pin, pin_type) in view.attrs.items():
            self.attr_info[attr] = (node.id, pin, pin_type)
            self.pin_attr[(node.id, pin)] = attr
        return view

    def _drop_view(self, node_id: str) -> None:
        """Remove a node's items, its links first (see clear)."""
        view = self.views.pop(node_id)
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
        script = result.script
        ids = {n.id for n in graph.nodes}
        gone = [i for i in self.views if i not in ids]
        for node_id in gone:
            self._drop_view(node_id)
        added = False
        for node in graph.nodes:
            view = self.views.get(node.id)
            if view is None:
                view = self._add_view(node)
                added = True
            elif tuple(node.pos) != view.pos:
                dpg.set_item_pos(view.item, self._grid(node.pos))
            view.pos = tuple(node.pos)
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
        for node in graph.nodes:
            view = views[node.id]
            mine = problems.get(node.id, ())
            shown = tuple((d.severity, d.message) for d in mine)
            ordered = self._ordered.get(node.id, {})
            if node.id in changed or shown != view.problems_in or ordered != view.order_inputs:
                view.refresh(node, script, mine, ordered)
                view.values_shown, view.problems_in, view.order_inputs = dict(node.values), shown, ordered
            category = view.spec.category
            if node.id == lit and category in theme.highlights:
                view.set_theme(theme.highlights[category])
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

    def _grid(self, pos) -> tuple[int, int]:
        return (int(round(pos[0] + self.offset[0])), int(round(pos[1] + self.offset[1])))

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
            self.ctx.status("Link an output (right side) to an input (left side).", error=True)
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
        nodes = [self.node_of_item[i] for i in dpg.get_selected_nodes(self.editor) if i in self.node_of_item]
        links = [self.link_of(i) for i in dpg.get_selected_links(self.editor)]
        return nodes, [l for l in links if l is not None]

    def clear_selection(self) -> None:
        dpg.clear_selected_nodes(self.editor)
        dpg.clear_selected_links(self.editor)

    def moved_nodes(self) -> dict[str, tuple[float, float]]:
        """Nodes the user dragged: on-screen grid positions that differ from the model."""
        moved = {}
        for node_id, view in self.views.items():
            x, y = dpg.get_item_pos(view.item)
            pos = (x - self.offset[0], y - self.offset[1])
            if abs(pos[0] - view.pos[0]) > 0.5 or abs(pos[1] - view.pos[1]) > 0.5:
                moved[node_id] = (float(round(pos[0])), float(round(pos[1])))
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
    def node_rect(self, node_id: str) -> tuple[float, float, float, float]:
        """A node's screen rectangle. Dear PyGui reports a node's rect_min at its title text (inside
        the node padding) and rect_size as the whole node."""
        item = self.views[node_id].item
        x, y = dpg.get_item_rect_min(item)
        w, h = dpg.get_item_rect_size(item)
        x, y = x - NODE_PADDING[0], y - NODE_PADDING[1]
        return x, y, x + w, y + h

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
        return (round(screen[0] - ox - self.offset[0]), round(screen[1] - oy - self.offset[1]))

    def visible_centre(self) -> tuple[float, float]:
        x0, y0, x1, y1 = self.container_rect()
        return ((x0 + x1) / 2, (y0 + y1) / 2)

    def _shift(self, dx: float, dy: float) -> None:
        self.offset = (self.offset[0] + dx, self.offset[1] + dy)
        for view in self.views.values():
            dpg.set_item_pos(view.item, self._grid(view.pos))

    def centre_on(self, node_id: str) -> bool:
        """Bring a node to the middle of the canvas and flash its outline."""
        view = self.views.get(node_id)
        if view is None:
            return False
        ox, oy = self.origin()
        w, h = dpg.get_item_rect_size(view.item)
        cx, cy = self.visible_centre()
        gx, gy = self._grid(view.pos)
        screen = (ox + gx, oy + gy)
        self._shift(cx - w / 2 - screen[0], cy - max(h, 80) / 2 - screen[1])
        self.flash(node_id)
        return True

    def frame_all(self) -> None:
        """Move the view so the graph's top-left corner is at the canvas's top-left."""
        if not self.views:
            return
        ox, oy = self.origin()
        left = min(v.pos[0] for v in self.views.values()) + self.offset[0] + ox
        top = min(v.pos[1] for v in self.views.values()) + self.offset[1] + oy
        x, y, _, _ = self.container_rect()
        self._shift(x + 30 - left, y + 30 - top)

    def flash(self, node_id: str) -> None:
        self.highlight = (node_id, time.monotonic() + HIGHLIGHT_SECONDS)
        view = self.views.get(node_id)
        theme = self.ctx.theme
        if view and view.spec.category in theme.highlights:
            view.set_theme(theme.highlights[view.spec.category])

    def tick_highlight(self, doc) -> bool:
        """Called by the loop only while a highlight is on; True when it ended (node re-tinted)."""
        if self.highlight and time.monotonic() > self.highlight[1]:
            node_id = self.highlight[0]
            self.highlight = None
            view = self.views.get(node_id)
            if view:
                view.shown_theme = None
                self.sync(doc)
            return True
        return False
