"""Edit actions: values, links, undo/redo, clipboard, delete, arrange, adding nodes and menus."""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Protocol

import dearpygui.dearpygui as dpg

from dpg_lora.document import Document, parse_payload
from dpg_lora.graph import Link
from dpg_lora.script_values import Change, family_values, offer_command, script_offer
from dpg_lora.specs import REGISTRY, NodeSpec, node_types_with_input, node_types_with_output, root_type
from dpg_lora.specs.texts import field_label
from dpg_lora.ui.menus import add_entries
from dpg_lora.ui.node_widgets import type_title
from dpg_lora.ui.texts import current, tr

if TYPE_CHECKING:
    from dpg_lora.ui.canvas import Canvas
    from dpg_lora.ui.dialogs import Dialogs
    from dpg_lora.ui.menus import NodePicker
    from dpg_lora.ui.theme import Theme

PASTE_OFFSET = (40.0, 40.0)


def counted(key: str, count: int, **params: Any) -> str:
    """`key`_one or `key`_many, filled with the count."""
    return tr(f"{key}_{'one' if count == 1 else 'many'}", count=count, **params)


class EditHost(Protocol):
    """What the edit actions use of the editor."""
    doc: Document
    canvas: Canvas
    picker: NodePicker
    dialogs: Dialogs
    theme: Theme
    node_menu: int | str
    clipboard: dict | None
    frame_after_sync: bool

    def status(self, message: str, error: bool = False) -> None: ...

    def start_dir(self) -> str: ...


def _shown(value: Any) -> str:
    return str(value) if value not in (None, "") else tr("edit.empty_value")


class EditActions:
    def __init__(self, host: EditHost):
        self.host = host

    # ------------------------------------------------------------ from widgets and canvas
    def edit_value(self, node_id: str, field: str, value: Any) -> None:
        doc = self.host.doc
        picks_script = field == "script" and doc.graph.node(node_id).type == root_type()
        old_script = doc.result.script if picks_script else None
        try:
            changed = doc.set_value(node_id, field, value)
        except (ValueError, KeyError) as exc:
            self.host.status(str(exc), error=True)
            return
        if changed and old_script is not None and isinstance(value, str):
            self.offer_script_values(old_script, value)

    def offer_script_values(self, old_script: str, new_script: str) -> bool:
        """A new script: offer the values that go with it (output folder, save name, base model)
        where the graph still has another family's; accepting is one undoable edit."""
        doc = self.host.doc
        changes = script_offer(doc.graph, old_script, new_script, doc.context)
        if not changes:
            return False
        lines = "\n".join(tr("edit.script_offer_line", label=self._label(c), old=_shown(c.old), new=_shown(c.new))
                          for c in changes)
        self.host.dialogs.ask(tr("edit.script_offer_title", script=new_script),
                              tr("edit.script_offer_message", script=new_script, old=old_script, changes=lines),
                              [(tr("edit.script_offer_set"), lambda: self._set_script_values(changes, new_script)),
                               (tr("edit.script_offer_keep"), None)])
        return True

    def _label(self, change: Change) -> str:
        node_type = self.host.doc.graph.node(change.node_id).type
        return field_label(node_type, REGISTRY[node_type].field(change.field), current())

    def _set_script_values(self, changes: list[Change], script: str) -> None:
        doc = self.host.doc
        doc.execute(offer_command(doc.graph, changes, script))
        self.host.status(tr("edit.script_values_set", count=len(changes), script=script))

    def edit_values(self, node_id: str, values: dict) -> None:
        self.host.doc.replace_values(node_id, values)

    def link(self, src: str, dst: str, pin: str) -> str | None:
        reason = self.host.doc.add_link(src, dst, pin)
        if reason:
            self.host.status(tr("edit.link_refused", reason=reason), error=True)
        else:
            self.host.status(tr("edit.linked"))
        return reason

    def unlink(self, link: Link) -> None:
        self.host.doc.remove_link(link)

    def reorder(self, dst: str, pin: str, old: int, new: int) -> None:
        self.host.doc.reorder_link(dst, pin, old, new)

    def browse(self, node_id: str, field: str, directory: bool) -> None:
        spec = REGISTRY[self.host.doc.graph.node(node_id).type]
        label = spec.field(field).label
        self.host.dialogs.pick_file(tr("edit.choose_file", label=label), lambda p: self.edit_value(node_id, field, p),
                               directory=directory, extensions=(".*",), start=self.host.start_dir())

    def record_moves(self) -> None:
        moved = self.host.canvas.moved_nodes()
        if moved:
            self.host.doc.move_nodes(moved)

    # ------------------------------------------------------------ history
    def undo(self) -> None:
        label = self.host.doc.undo()
        self.host.status(tr("edit.undid", label=label) if label else tr("edit.nothing_to_undo"))

    def redo(self) -> None:
        label = self.host.doc.redo()
        self.host.status(tr("edit.redid", label=label) if label else tr("edit.nothing_to_redo"))

    # ------------------------------------------------------------ selection
    def copy_selection(self) -> bool:
        nodes, _ = self.host.canvas.selection()
        if not nodes:
            self.host.status(tr("edit.select_to_copy"))
            return False
        self.host.clipboard = self.host.doc.copy(nodes)
        dpg.set_clipboard_text(json.dumps(self.host.clipboard))
        self.host.status(counted("edit.copied", len(nodes)))
        return True

    def paste(self) -> list[str]:
        payload = parse_payload(dpg.get_clipboard_text() or "") or self.host.clipboard
        if not payload:
            self.host.status(tr("edit.nothing_to_paste"))
            return []
        offset = PASTE_OFFSET
        if self.host.canvas.is_hovered() and payload.get("nodes"):
            x, y = self.host.canvas.model_pos_at(dpg.get_mouse_pos(local=False))
            left = min(n["pos"][0] for n in payload["nodes"])
            top = min(n["pos"][1] for n in payload["nodes"])
            offset = (x - left, y - top)
        ids = self.host.doc.paste(payload, offset)
        self.host.canvas.choose(ids)
        self.host.status(counted("edit.pasted", len(ids)))
        return ids

    def duplicate_selection(self) -> list[str]:
        nodes, _ = self.host.canvas.selection()
        if not nodes:
            self.host.status(tr("edit.select_to_duplicate"))
            return []
        ids = self.host.doc.duplicate(nodes, PASTE_OFFSET)
        self.host.canvas.choose(ids)
        self.host.status(counted("edit.duplicated", len(ids)))
        return ids

    def delete_selection(self) -> bool:
        nodes, links = self.host.canvas.selection()
        if not (nodes or links):
            return False
        self.host.canvas.clear_selection()
        self.host.doc.delete(nodes, links)
        node_text = counted("edit.nodes", len(nodes)) if nodes else ""
        link_text = counted("edit.links", len(links)) if links else ""
        what = tr("edit.both", nodes=node_text, links=link_text) if nodes and links else node_text or link_text
        self.host.status(tr("edit.deleted", what=what))
        return True

    def arrange(self) -> None:
        if self.host.doc.arrange(self.host.canvas.measured_sizes() or None):
            self.host.frame_after_sync = True
            self.host.status("Arranged.")

    def centre_selection(self) -> None:
        nodes, _ = self.host.canvas.selection()
        if nodes:
            self.host.canvas.centre_on(nodes[0])

    def focus_node(self, node_id: str) -> None:
        if self.host.canvas.centre_on(node_id):
            spec = REGISTRY[self.host.doc.graph.node(node_id).type]
            self.host.status(tr("edit.focused", title=spec.title, node=repr(node_id)))

    # ------------------------------------------------------------ adding nodes
    def add_node_at(self, spec: NodeSpec, pos, **links) -> str | None:
        values = family_values(spec.type, self.host.doc.result.script) or None  # "longcat_", not "flux_"
        try:
            node_id = self.host.doc.add_node(spec.type, pos, values, **links)
        except ValueError as exc:
            self.host.status(tr("edit.cannot_add", title=spec.title, reason=exc), error=True)
            return None
        self.host.status(tr("edit.added", title=spec.title))
        return node_id

    def _mouse_or_centre(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """(screen position for a popup, model position for a new node)."""
        mouse = tuple(dpg.get_mouse_pos(local=False))
        screen = mouse if self.host.canvas.is_hovered() else self.host.canvas.visible_centre()
        return screen, self.host.canvas.model_pos_at(screen)

    def open_node_search(self) -> None:
        screen, pos = self._mouse_or_centre()
        self.host.picker.open(screen, lambda spec: self.add_node_at(spec, pos), heading=tr("edit.add_node"))

    def open_canvas_menu(self) -> None:
        """Right-click: on a node, its menu; on empty canvas, add a node there."""
        node_id = self.host.canvas.hovered_node()
        if node_id is not None:
            self.open_node_menu(node_id)
        else:
            self.open_node_search()

    def open_node_menu(self, node_id: str) -> None:
        node = self.host.doc.graph.node(node_id)
        spec = REGISTRY[node.type]
        entries: list = []
        inputs = []
        for pin in spec.inputs:
            fits = [s for s in node_types_with_output(pin.type)]
            if fits:
                inputs.append((f"{pin.label}", "", [
                    (s.title, "", (lambda s=s, p=pin.name: self._add_input_node(node_id, p, s))) for s in fits]))
        if inputs:
            entries.append((tr("edit.menu_add_input"), "", inputs))
        if spec.output:
            consumers = []
            for s, pin in node_types_with_input(spec.output):
                consumers.append((f"{s.title} \u2192 {pin.label}", "",
                                  (lambda s=s, p=pin.name: self._add_output_node(node_id, p, s))))
            if consumers:
                entries.append((tr("edit.menu_feed"), "", consumers))
        collapsed = node_id in self.host.doc.graph.view.collapsed
        entries += [None,
                    (tr("edit.expand") if collapsed else tr("edit.collapse"), tr("edit.double_click_title"),
                     lambda: self.host.doc.set_collapsed([node_id], not collapsed)),
                    (tr("edit.duplicate"), "", lambda: self._duplicate_one(node_id)),
                    (tr("edit.delete"), "", lambda: self.host.doc.remove_nodes([node_id]))]
        dpg.delete_item(self.host.node_menu, children_only=True)
        dpg.add_text(f"{spec.title} \u00b7 {node_id}", parent=self.host.node_menu,
                     color=self.host.theme.color("muted_text"))
        add_entries(self._closing(entries), parent=self.host.node_menu)
        mouse = dpg.get_mouse_pos(local=False)
        dpg.set_item_pos(self.host.node_menu, [int(mouse[0]), int(mouse[1])])
        dpg.configure_item(self.host.node_menu, show=True)

    def _closing(self, entries: list) -> list:
        """Wrap menu actions so the popup closes first."""
        out = []
        for entry in entries:
            if entry is None:
                out.append(None)
            elif isinstance(entry[2], list):
                out.append((entry[0], entry[1], self._closing(entry[2])))
            else:
                action = entry[2]
                out.append((entry[0], entry[1], lambda a=action: (self._close_node_menu(), a())))
        return out

    def _close_node_menu(self) -> None:
        dpg.configure_item(self.host.node_menu, show=False)

    def _duplicate_one(self, node_id: str) -> None:
        self.host.canvas.choose(self.host.doc.duplicate([node_id], PASTE_OFFSET))

    def _left_of(self, node_id: str, width: float = 300) -> tuple[float, float]:
        x, y = self.host.doc.graph.node(node_id).pos
        return (x - width, y)

    def _add_input_node(self, node_id: str, pin: str, spec: NodeSpec) -> None:
        self.add_node_at(spec, self._left_of(node_id), link_to=(node_id, pin))

    def _add_output_node(self, node_id: str, pin: str, spec: NodeSpec) -> None:
        x, y = self.host.doc.graph.node(node_id).pos
        self.add_node_at(spec, (x + 300, y), link_from=(node_id, pin))

    def offer_link_drop(self, drop) -> None:
        """A link dragged from a pin and released on empty canvas: offer the node types that fit."""
        (node_id, pin, pin_type), screen = drop
        pos = self.host.canvas.model_pos_at(screen)
        if pin is None:  # from an output: new nodes with a fitting input
            fits = {}
            for s, p in node_types_with_input(pin_type):
                fits.setdefault(s.type, (s, p.name))
            self.host.picker.open(screen, lambda s: self.add_node_at(s, pos, link_from=(node_id, fits[s.type][1])),
                             candidates=[s for s, _ in fits.values()],
                             heading=tr("edit.feed_into", type=type_title(pin_type)))
        else:  # from an input: new nodes whose output fits it
            self.host.picker.open(screen, lambda s: self.add_node_at(s, (pos[0] - 260, pos[1]),
                                                                link_to=(node_id, pin)),
                             candidates=node_types_with_output(pin_type),
                             heading=tr("edit.add_for_input", type=type_title(pin_type)))
