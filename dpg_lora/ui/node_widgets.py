"""One node on the canvas, built from its NodeSpec: pins, a widget per field kind, problems.

No per-node-type code: everything comes from the registry. A NodeView only shows what the
Document holds; widget callbacks go to the app (`ctx`), which turns them into commands, and
`refresh` brings the widgets back in line with the document after every revision.

A field's widgets are built the first time it is shown: fields the chosen script does not take,
fields whose condition is off and the folded Advanced ones cost nothing until then (the
Advanced fold builds its fields when it is first opened, `open_advanced`).
"""
from __future__ import annotations

import contextlib
import json
import math
import re
from typing import Any, Iterator, Protocol

import dearpygui.dearpygui as dpg

from dpg_lora.field_values import effective_value, is_empty, node_defaults
from dpg_lora.document import UNSET
from dpg_lora.graph import Node
from dpg_lora.jsonfile import JsonFileError, parse_json
from dpg_lora.validation.rules_bounds import bounds_problem
from dpg_lora.ui.file_actions import trainer_folder_note
from dpg_lora.script_fields import field_applies, field_choices, fields_of
from dpg_lora.specs import REGISTRY
from dpg_lora.specs import texts as spec_texts
from dpg_lora.ui.problem_texts import problem_text
from dpg_lora.ui.texts import current
from dpg_lora.specs.types import (
    BOOL, CHOICE, FLOAT, INT, KEY, PATH, RESOLUTION, TEXT, FieldSpec, NodeSpec,
)
from dpg_lora.ui.texts import bind_value, tr

WIDTH = 150  # input widgets; labels sit to their right
# How a field's value reads (FieldWidget.restyle): the user's own (normal colour), a default nobody
# set (muted), required and empty (outlined, says what it needs), or wrong (tinted, says why).
SET, DEFAULT, MISSING, WRONG = "set", "default", "missing", "wrong"


class Context(Protocol):
    """What a NodeView needs from the app."""
    doc: Any
    theme: Any
    key_commit_handlers: int | str
    unfold_handlers: int | str  # item handlers of the Advanced folds: `open_advanced` on first open
    hover_handlers: int | str  # item handlers of field widgets: `add_tooltip` on first hover

    def edit_value(self, node_id: str, field: str, value: Any) -> None: ...
    def edit_values(self, node_id: str, values: dict) -> None: ...
    def reorder(self, dst: str, pin: str, old: int, new: int) -> None: ...
    def browse(self, node_id: str, field: str, directory: bool) -> None: ...
    def register_text_input(self, item: int) -> None: ...
    def status(self, message: str, error: bool = False) -> None: ...


def type_title(pin_type: str) -> str:
    """A pin type in words: the node type of that name, else the node type that outputs it."""
    spec = REGISTRY.get(pin_type) or next((s for s in REGISTRY.values() if s.output == pin_type), None)
    return spec_texts.node_title(spec.type, current()) if spec else pin_type.replace("_", " ").title()


# What a number can look like while it is being typed ("-", "0.", "1e-"): wait, say nothing.
_NUMBER_SO_FAR = re.compile(r"^[+-]?(\d+\.?\d*|\.\d*)?([eE][+-]?\d*)?$")


def parse_number_text(fld: FieldSpec, text: str) -> tuple[Any, str | None]:
    """What a number field's text means: (value or UNSET, None); (None, None) while it is still
    being typed; (None, why) for text that is no number of the field's kind. Never clamps: a
    value outside the bounds is kept, and the bounds rule reports it on the node."""
    text = text.strip()
    if text == "":
        return UNSET, None
    try:
        number = float(text)
    except ValueError:
        return None, (None if _NUMBER_SO_FAR.match(text) else tr("widgets.not_a_number", label=fld.label,
                                                                   text=repr(text)))
    if not math.isfinite(number):
        return None, tr("widgets.not_finite", label=fld.label, text=repr(text))
    if fld.kind == INT:
        if not number.is_integer():
            return None, tr("widgets.not_whole", label=fld.label, text=repr(text))
        return int(text) if re.fullmatch(r"[+-]?\d+", text) else int(number), None
    return number, None


def node_title(spec: NodeSpec, node: Node, script: str) -> str:
    key_field = spec.key_field
    title = spec_texts.node_title(spec.type, current())
    if key_field is None:
        return title
    key = effective_value(key_field, node.values, script)
    return f"{title} \u00b7 {key}" if key else title


def _tooltip(parent: int, fld: FieldSpec, state: str = "") -> tuple[int, int]:
    """The field's help, what it writes and how its value reads: (the tooltip, the item of that
    last line, kept up to date by FieldWidget.restyle)."""
    lines = [fld.help] if fld.help else []
    if fld.arg:
        lines.append(tr("widgets.writes", name=fld.arg))
    elif fld.path:
        lines.append(tr("widgets.writes", name=".".join(fld.path)))
    if fld.required or fld.is_key:
        lines.append(tr("widgets.required_tip"))
    with dpg.tooltip(parent) as tip:
        if lines:
            dpg.add_text("\n".join(lines), wrap=320)
        state_text = dpg.add_text(state, wrap=320, show=bool(state))
    return tip, state_text


def _hint(fld: FieldSpec) -> str:
    """What an empty text box says: clearly a hint in parentheses, never a value-looking word."""
    if fld.is_key:
        return tr("widgets.key_hint", example=fld.placeholder) if fld.placeholder else tr("widgets.required_hint")
    if fld.placeholder:
        return tr("widgets.hint", text=fld.placeholder)
    return tr("widgets.required_hint") if fld.required else ""


class FieldWidget:
    """A field's row: its widget(s) and the value last shown (so refresh only touches changes)."""

    def __init__(self, view: "NodeView", fld: FieldSpec):
        self.view, self.fld = view, fld
        self.row = 0
        self.visible = True  # the row's `show`, kept here (asking Dear PyGui costs a call per field)
        self.widget = 0
        self.label_text = 0  # a PATH row's label (a text item beside the widget and its button)
        self.shown: Any = object()
        self.items: tuple = ()
        self.labels: dict[str, Any] = {}
        self.tooltip = 0  # built on the first hover (a key field's at once)
        self.state = SET  # how the value reads (restyle); SET has no theme
        self.state_tip: str | None = ""  # the tooltip's line about it
        self.tip_text = 0  # that line's item, once the tooltip is built
        self.note = 0  # one line under the widget: what a required field needs, or its problem
        self.note_shown: str | None = ""

    # -- building
    def build(self, parent: int, before: int = 0) -> None:
        fld, ctx = self.fld, self.view.ctx
        ud = (self.view.node_id, fld.name)
        hint = _hint(fld)
        with self._row(parent, before):
            kind = fld.kind
            if fld.is_key:
                self.widget = dpg.add_input_text(label=fld.label, width=self.view.px(WIDTH), hint=hint,
                                                 on_enter=True, user_data=ud, callback=self.view.on_key)
                dpg.bind_item_handler_registry(self.widget, ctx.key_commit_handlers)
                ctx.register_text_input(self.widget)
            elif kind in (INT, FLOAT):
                # A text box, not input_int/input_double: those clamp (-5 became 1) and drop
                # letters ("abc" vanished) without a word. Here what is typed is read, and what
                # is not a number, or outside the bounds, is said on the node and the status line.
                # Empty means "unset" (the placeholder or the script default explains).
                self.widget = dpg.add_input_text(label=fld.label, width=self.view.px(WIDTH), hint=hint,
                                                 user_data=ud, callback=self.view.on_number_text)
                ctx.register_text_input(self.widget)
            elif kind == BOOL:
                self.widget = dpg.add_checkbox(label=fld.label, user_data=ud, callback=self.view.on_value)
            elif kind in (CHOICE, RESOLUTION, KEY):
                self.widget = dpg.add_combo(label=fld.label, width=self.view.px(WIDTH), user_data=ud,
                                            callback=self.view.on_combo)
            elif kind == PATH:
                self.widget = dpg.add_input_text(width=self.view.px(WIDTH), hint=hint, user_data=ud,
                                                 callback=self.view.on_value)
                ctx.register_text_input(self.widget)
                browse = dpg.add_button(label="\u2026", width=self.view.px(22), user_data=(ud, fld.folder),
                                        callback=self.view.on_browse)
                self.view.scaled.append((browse, {"width": 22}))
                self.label_text = dpg.add_text(fld.label)
            elif kind == TEXT:
                # one line keeps nodes as tall as the layout expects; the tooltip explains
                self.widget = dpg.add_input_text(label=fld.label, width=self.view.px(WIDTH + 60), hint=hint,
                                                 user_data=ud, callback=self.view.on_value)
                ctx.register_text_input(self.widget)
            else:  # STR and anything new: plain text
                self.widget = dpg.add_input_text(label=fld.label, width=self.view.px(WIDTH), hint=hint,
                                                 user_data=ud, callback=self.view.on_value)
                ctx.register_text_input(self.widget)
        if kind != BOOL:  # resized in place when the zoom changes (NodeView.set_scale)
            self.view.scaled.append((self.widget, {"width": WIDTH + 60 if kind == TEXT else WIDTH}))
        if not fld.is_key:  # the help tooltip is built on the first hover (`add_tooltip`): no items until then
            dpg.bind_item_handler_registry(self.widget, ctx.hover_handlers)  # (a key's registry has it too)

    @contextlib.contextmanager
    def _row(self, parent: int, before: int) -> Iterator[None]:
        """Where the row's widgets go: a path's three items in a horizontal group; any other
        field's one widget straight into `parent` (it is the row: a group per row would be one
        more item to draw per field)."""
        if self.fld.kind == PATH:
            with dpg.group(parent=parent, before=before, horizontal=True) as self.row:
                yield
            return
        dpg.push_container_stack(parent)
        try:
            yield
        finally:
            dpg.pop_container_stack()
        self.row = self.widget
        if before:
            dpg.move_item(self.widget, parent=parent, before=before)

    def add_tooltip(self) -> None:
        """The widget was hovered for the first time: give it its help tooltip, drop the handler
        (a key field keeps its registry: it also commits the key)."""
        if self.tooltip and dpg.does_item_exist(self.tooltip):
            return
        if not self.fld.is_key:
            dpg.bind_item_handler_registry(self.widget, 0)
        self.tooltip, self.tip_text = _tooltip(self.widget, self.fld, self.state_tip or "")

    def relabel(self, fld: FieldSpec) -> None:
        """The language changed: show `fld`'s texts (its localised copy) on the widget in place, so
        its value, typing and focus stay; the tooltip is built again on the next hover."""
        self.fld = fld
        if self.widget and dpg.does_item_exist(self.widget):
            config = dpg.get_item_configuration(self.widget)
            if config.get("label"):
                dpg.configure_item(self.widget, label=fld.label)
            if "hint" in config:
                dpg.configure_item(self.widget, hint=_hint(fld))
            if self.label_text and dpg.does_item_exist(self.label_text):  # a PATH row's label beside its button
                dpg.set_value(self.label_text, fld.label)
            if self.tooltip and dpg.does_item_exist(self.tooltip):
                dpg.delete_item(self.tooltip)
                self.tooltip = self.tip_text = 0
                if not fld.is_key:  # a key's registry (commit + hover) stays bound: rebuilt on the next hover
                    dpg.bind_item_handler_registry(self.widget, self.view.ctx.hover_handlers)
        self.items, self.shown = (), object()  # combo texts ("(placeholder)") drawn again
        self.state_tip = self.note_shown = None  # the next refresh says them in the new language

    def restyle(self, state: str, tip: str, note: str) -> None:
        """Show how the value reads: a theme per state, the tooltip's line, the note under it."""
        if state != self.state:
            self.state = state
            dpg.bind_item_theme(self.widget, _value_theme(self.view.ctx.theme, state))
        if tip != self.state_tip:
            self.state_tip = tip
            if self.tip_text:
                dpg.set_value(self.tip_text, tip)
                dpg.configure_item(self.tip_text, show=bool(tip))
        if note != self.note_shown:
            self.note_shown = note
            colour = self.view.ctx.theme.color("error_text" if state == WRONG else "warning_text")
            if not self.note and note:  # right under the row, in the row's parent
                parent = dpg.get_item_parent(self.row)
                siblings = dpg.get_item_children(parent, 1)
                at = siblings.index(self.row) + 1 if self.row in siblings else len(siblings)
                self.note = dpg.add_text("", parent=parent, before=siblings[at] if at < len(siblings) else 0,
                                         wrap=self.view.px(WIDTH + 130))
                self.view.scaled.append((self.note, {"wrap": WIDTH + 130}))
            if self.note:
                dpg.set_value(self.note, note)
                dpg.configure_item(self.note, show=bool(note) and self.visible, color=colour)
            self.view.changes += 1

    # -- combo items
    def combo_items(self, value: Any) -> list[tuple[str, Any]]:
        fld, doc = self.fld, self.view.ctx.doc
        kind = fld.kind
        if kind == CHOICE:
            values = list(field_choices(fld, doc.context))
        elif kind == RESOLUTION:
            values = ([str(b) for b in doc.context.profiles.profile(doc.result.script).buckets]
                      if doc.result.script else [])
            if fld.optional or fld.default_for(doc.result.script) in ("", None):
                values.insert(0, "")  # empty means "the dataset's / script's own size"
        else:  # KEY
            values = doc.dataset_keys_for(self.view.node_id, fld.key_kind)
            if not fld.required or value in ("", None):
                values.insert(0, "")
        if value not in values and value is not None:
            values.append(value)  # always accept what the file holds (a problem explains it)
        empty = _empty_label(fld, len(values) > 1)
        return [(empty if v == "" else str(v), v) for v in values]

    # -- refresh
    def show(self, value: Any) -> None:
        fld = self.fld
        if fld.kind in (CHOICE, RESOLUTION, KEY):
            pairs = self.combo_items(value)
            items = tuple(label for label, _ in pairs)
            if items != self.items:
                self.items = items
                self.labels = dict(pairs)
                dpg.configure_item(self.widget, items=items)
            label = next((lb for lb, v in pairs if v == value), "")
            if label != self.shown:
                dpg.set_value(self.widget, label)
                self.shown = label
            return
        if fld.kind in (INT, FLOAT):
            text = "" if value is None else json.dumps(value)
            if text != self.shown:
                # leave the box alone while the user types an equivalent number ("0.50" vs 0.5)
                if not (dpg.is_item_active(self.widget) and _same_number(dpg.get_value(self.widget), value)):
                    dpg.set_value(self.widget, text)
                    self.view.mark_field(fld.name, None)  # the typed text is gone, and its problem
                self.shown = text
            return
        if fld.kind == BOOL:
            value = bool(value)
        elif value is None:
            value = ""
        elif not isinstance(value, str):
            value = str(value)
        if value != self.shown or type(value) is not type(self.shown):
            dpg.set_value(self.widget, value)
            self.shown = value


def _empty_label(fld: FieldSpec, has_choices: bool) -> str:
    """A choice's empty entry: "(choose a key)" where one is needed, else what empty means."""
    if fld.kind == KEY and not fld.optional:
        return tr("widgets.choose_key") if has_choices else tr("widgets.no_keys")
    return tr("widgets.hint", text=fld.placeholder) if fld.placeholder else tr("widgets.none")


def _value_theme(theme: Any, state: str) -> int:
    """The widget theme of a value state (made once per editor theme; SET is the plain look)."""
    if state == SET:
        return 0
    made = getattr(theme, "value_themes", None)
    if made is None:
        made = theme.value_themes = {}
    item = made.get(state, 0)
    if item and dpg.does_item_exist(item):
        return item
    muted = theme.color("muted_text", (140, 144, 152))
    with dpg.theme() as item:
        with dpg.theme_component(dpg.mvAll):
            if state == WRONG:
                r, g, b, _ = theme.color("error_text", (230, 90, 90))
                dpg.add_theme_color(dpg.mvThemeCol_FrameBg, (r // 2, g // 4, b // 4, 255))
                dpg.add_theme_color(dpg.mvThemeCol_Border, (r, g, b, 255))
                dpg.add_theme_style(dpg.mvStyleVar_FrameBorderSize, 1)
            else:
                dpg.add_theme_color(dpg.mvThemeCol_Text, muted)
                dpg.add_theme_color(dpg.mvThemeCol_CheckMark, muted)
            if state == MISSING:
                dpg.add_theme_color(dpg.mvThemeCol_Border, theme.color("warning_text", (230, 180, 80)))
                dpg.add_theme_style(dpg.mvStyleVar_FrameBorderSize, 1.5)
    made[state] = item
    return item


def _same_number(text: str, value: Any) -> bool:
    try:
        return value is not None and float(text) == float(value)
    except (TypeError, ValueError):
        return False


class NodeView:
    """The Dear PyGui items of one graph node."""

    def __init__(self, ctx: Context, node: Node, editor: int, pos: tuple[float, float],
                 scale: float = 1.0, compact: bool = False):
        self.ctx = ctx
        self.scale = scale  # the canvas zoom: widget sizes follow it (fonts are bound by the canvas)
        self.compact = compact  # title and pins only (collapsed, or a small zoom)
        self.details: list[int] = []  # the attributes a compact node hides, with their own shown state
        self.scaled: list[tuple[int, dict]] = []  # items with sizes at 100% (set_scale resizes them)
        self.node_id = node.id
        self.spec = REGISTRY[node.type]
        self.field_specs = fields_of(self.spec, ctx.doc.context)  # declared + the folder's new arguments
        self.fields: dict[str, FieldWidget] = {}
        self.attrs: dict[int, tuple[str | None, str]] = {}  # attribute -> (input pin or None, pin type)
        self.pin_labels: dict[int, Any] = {}  # input label text -> its PinSpec, until its tooltip is built
        self.order_groups: dict[str, int] = {}  # multi input -> group listing its links in order
        self.order_shown: dict[str, tuple] = {}
        self.order_summary: dict[str, int] = {}
        self.order_toggle: dict[str, int] = {}
        self.order_open: set[str] = set()
        self.advanced = 0  # the Advanced fold (a tree node), its fields built when first opened
        self.advanced_open = False
        self.advanced_shown = True
        self.static = 0  # the attribute holding the basic fields and the fold
        self.sections: dict[str, list] = {}  # section title -> [its tree node, fields shown in it]
        self.extra_text = 0
        self.extra_tip: int | str = 0  # the Extra Settings box's tooltip text
        self.problems = 0
        self.pin_texts: dict[str, int] = {}  # input pin -> its label text
        self.output_text = 0
        self.shown_title = ""
        self.shown_theme = None
        self.shown_problems: tuple = ()
        self.doc_problems: tuple = ()  # the compile's problems of this node, as last shown
        self.doc_field_problems: dict[str, list[tuple[str, str]]] = {}  # field -> its (severity, message)
        self.field_problems: dict[str, str] = {}  # field -> why its typed text is not used
        self.kept_line: tuple = ()  # the values kept for fields this script does not take
        self.pos = tuple(node.pos)
        self.changes = 0  # counts changes to its items (the canvas measures a changed node's size)
        # what the last refresh showed (the canvas compares before refreshing)
        self.values_shown: dict | None = None
        self.problems_in: tuple | None = None
        self.order_inputs: dict | None = None
        self.keys_shown: tuple | None = None
        self.key_kinds = tuple(dict.fromkeys(f.key_kind for f in self.spec.fields if f.kind == KEY))
        # its values change its title and key, listed in the ordered inputs it feeds
        self.feeds_order = self.spec.key_field is not None
        self.item = self._build(node, editor, pos)
        if compact:
            self.set_compact(True)

    def px(self, size: float) -> int:
        """A widget size at this view's zoom."""
        return max(1, int(round(size * self.scale)))

    def set_scale(self, scale: float) -> None:
        """Resize the widgets for another zoom in place (fonts come from the canvas), so the
        node, its selection and its opened folds stay as they are."""
        if scale == self.scale:
            return
        self.scale = scale
        self.changes += 1  # its size changes: the canvas measures it again
        for item, sizes in self.scaled:
            if dpg.does_item_exist(item):
                dpg.configure_item(item, **{k: (max(0, self.px(v)) if k == "indent" else self.px(v))
                                            for k, v in sizes.items()})
        lines, self.shown_problems = self.shown_problems, ()
        self._show_problems(lines)  # their wrap width

    def set_compact(self, compact: bool) -> None:
        """Show only the title and pins (compact) or every field again."""
        self.changes += 1
        self.compact = compact
        for attr, shown in self.details:
            dpg.configure_item(attr, show=shown and not compact)

    def _detail(self, attr: int, shown: bool = True) -> None:
        self.details.append((attr, shown))
        if not shown:
            dpg.configure_item(attr, show=False)

    def _show_detail(self, attr: int, shown: bool) -> None:
        self.changes += 1
        self.details = [(a, shown if a == attr else s) for a, s in self.details]
        dpg.configure_item(attr, show=shown and not self.compact)

    # ------------------------------------------------------------ building
    def _build(self, node: Node, editor: int, pos) -> int:
        spec, ctx = self.spec, self.ctx
        theme = ctx.theme
        with dpg.node(label=spec_texts.node_title(spec.type, current()), parent=editor, pos=(int(pos[0]), int(pos[1])),
                      user_data=node.id) as item:
            if spec.output:
                with dpg.node_attribute(attribute_type=dpg.mvNode_Attr_Output,
                                        shape=dpg.mvNode_PinShape_CircleFilled) as attr:
                    self.output_text = dpg.add_text(f"{type_title(spec.output)} \u2192",
                                                    indent=max(0, self.px(WIDTH - 40)))
                    self.scaled.append((self.output_text, {"indent": WIDTH - 40}))
                self.attrs[attr] = (None, spec.output)
                if spec.output in theme.pins:
                    dpg.bind_item_theme(attr, theme.pins[spec.output])
            for pin in spec.inputs:
                shape = dpg.mvNode_PinShape_QuadFilled if pin.multi else dpg.mvNode_PinShape_CircleFilled
                with dpg.node_attribute(attribute_type=dpg.mvNode_Attr_Input, shape=shape) as attr:
                    label = spec_texts.pin_label(spec, pin.name, current())
                    if pin.multi:
                        with dpg.group(horizontal=True):
                            text = dpg.add_text(label, user_data=(node.id, pin.name))
                            # link order on the same line ("1 train · 2 ref"), so nodes keep the height
                            # the layout expects; the arrow opens rows with up/down buttons
                            self.order_summary[pin.name] = dpg.add_text("", color=ctx.theme.color("muted_text"))
                            self.order_toggle[pin.name] = dpg.add_button(
                                arrow=True, direction=dpg.mvDir_Right, show=False, user_data=pin.name,
                                callback=self.on_toggle_order)
                            self._detail(self.order_summary[pin.name], False)  # shown with 2+ links
                            self._detail(self.order_toggle[pin.name], False)
                    else:  # the label alone: no group to draw
                        text = dpg.add_text(label, user_data=(node.id, pin.name))
                    self.pin_texts[pin.name] = text
                    self.pin_labels[text] = pin  # its tooltip is built on the first hover
                    dpg.bind_item_handler_registry(text, ctx.hover_handlers)
                self.attrs[attr] = (pin.name, pin.type)
                if pin.type in theme.pins:
                    dpg.bind_item_theme(attr, theme.pins[pin.type])
                if pin.multi:
                    # hidden until opened (an empty attribute still takes a row)
                    with dpg.node_attribute(attribute_type=dpg.mvNode_Attr_Static, show=False) as box:
                        self.order_groups[pin.name] = box
                    self._detail(box, False)
            if spec.freeform:
                with dpg.node_attribute(attribute_type=dpg.mvNode_Attr_Static) as extra:
                    self._detail(extra)
                    self.extra_text = dpg.add_input_text(
                        multiline=True, width=self.px(WIDTH + 110), height=self.px(80), hint='{"key": value}',
                        callback=self.on_extra, tab_input=False)
                    self.scaled.append((self.extra_text, {"width": WIDTH + 110, "height": 80}))
                    ctx.register_text_input(self.extra_text)
                    with dpg.tooltip(self.extra_text):  # said again after a language switch
                        self.extra_tip = bind_value(dpg.add_text("", wrap=300), "widgets.extra_help")
            advanced = [f for f in self.field_specs if f.advanced and not f.section]
            if self.field_specs:
                with dpg.node_attribute(attribute_type=dpg.mvNode_Attr_Static) as self.static:
                    self._detail(self.static)
                    if advanced:
                        self.advanced = dpg.add_tree_node(label=tr("widgets.advanced", count=len(advanced)),
                                                          default_open=False, span_text_width=True,
                                                          user_data=node.id)
                        dpg.bind_item_handler_registry(self.advanced, ctx.unfold_handlers)
                    for title in dict.fromkeys(f.section for f in self.field_specs if f.section):
                        # the trainer folder's new arguments: open, so they are seen
                        self.sections[title] = [dpg.add_tree_node(label=spec_texts.section_title(title, current()),
                                                                  default_open=True,
                                                                  span_text_width=True), -1]
            with dpg.node_attribute(attribute_type=dpg.mvNode_Attr_Static, show=False) as self.problems:
                pass
            self._detail(self.problems, False)
        return item

    def relabel(self) -> None:
        """The language changed: set this node's texts again in place (title, pins, fields,
        sections), so the node, its selection and what is typed in it stay. The title is set by
        the next refresh (the canvas refreshes every view after this)."""
        catalogue = current()
        self.shown_title = ""
        if self.output_text and self.spec.output:
            dpg.set_value(self.output_text, f"{type_title(self.spec.output)} \u2192")
        for pin, text in self.pin_texts.items():
            if dpg.does_item_exist(text):
                dpg.set_value(text, spec_texts.pin_label(self.spec, pin, catalogue))
        declared = {f.name: f for f in self.field_specs}
        for name, widget in self.fields.items():
            if name in declared:
                widget.relabel(spec_texts.localised_field(self.spec.type, declared[name], catalogue))
        for title, section in self.sections.items():
            dpg.configure_item(section[0], label=spec_texts.section_title(title, catalogue))
            section[1] = -1  # its "(n)" count is written again
        if self.advanced and dpg.does_item_exist(self.advanced):
            count = sum(f.advanced and not f.section for f in self.field_specs)
            dpg.configure_item(self.advanced, label=tr("widgets.advanced", count=count))
        self.kept_line = ()  # said again in the new language

    def add_tooltip(self, item: int, name: str) -> bool:
        """One of this node's texts or widgets was hovered for the first time: build its tooltip
        (an input's label says what it takes; a field's says its help). False: none belongs here."""
        pin = self.pin_labels.pop(item, None)
        if pin is not None:
            dpg.bind_item_handler_registry(item, 0)
            with dpg.tooltip(item):
                key = "widgets.pin_several" if pin.multi else "widgets.pin_one"
                dpg.add_text(tr(key + ("_required" if pin.required else ""), type=type_title(pin.type)))
            return True
        widget = self.fields.get(name)
        if widget is None or widget.widget != item:
            return False
        widget.add_tooltip()
        return True

    def _add_field(self, fld: FieldSpec) -> "FieldWidget":
        """Build a field's row in its place: before the next built field of the same section
        (basic rows before the Advanced fold)."""
        fields = self.field_specs
        after = fields[fields.index(fld) + 1:]
        nxt = next((self.fields[f.name].row for f in after
                    if (f.advanced, f.section) == (fld.advanced, fld.section) and f.name in self.fields), 0)
        folds = [self.advanced] + [item for item, _ in self.sections.values()]
        if fld.section:
            parent, last = self.sections[fld.section][0], 0
        elif fld.advanced:
            parent, last = self.advanced, 0
        else:
            parent, last = self.static, next((f for f in folds if f), 0)  # basic rows before the folds
        widget = FieldWidget(self, spec_texts.localised_field(self.spec.type, fld, current()))  # its texts shown
        widget.build(parent, before=nxt or last)
        self.fields[fld.name] = widget
        return widget

    def open_advanced(self) -> None:
        """The Advanced fold was opened: build its fields (once) and show the document's values."""
        self.changes += 1  # opened again (the toggle handler calls this each time): it grows
        if self.advanced_open:
            return
        self.advanced_open = True
        doc = self.ctx.doc
        node = doc.graph.node(self.node_id)
        self._show_fields(node, doc.result.script, doc.context)

    def delete(self) -> None:
        if dpg.does_item_exist(self.item):
            dpg.delete_item(self.item)

    # ------------------------------------------------------------ callbacks
    def on_value(self, sender, app_data, user_data):
        node_id, name = user_data
        widget = self.fields[name]
        widget.shown = app_data
        self.ctx.edit_value(node_id, name, app_data)

    def on_combo(self, sender, app_data, user_data):
        node_id, name = user_data
        widget = self.fields[name]
        widget.shown = app_data
        self.ctx.edit_value(node_id, name, widget.labels.get(app_data, app_data))

    def on_number_text(self, sender, app_data, user_data):
        node_id, name = user_data
        widget = self.fields[name]
        value, problem = parse_number_text(widget.fld, app_data)
        if problem:
            doc = self.ctx.doc
            shown = effective_value(widget.fld, doc.graph.node(node_id).values, doc.result.script, doc.context)
            self.mark_field(name, problem)
            self.ctx.status(tr("widgets.still_holds", problem=problem, value=json.dumps(shown)), error=True)
            return
        self.mark_field(name, None)
        if value is None:
            return  # half-typed ("0.", "-", "1e"): wait for more
        widget.shown = app_data
        self.ctx.edit_value(node_id, name, value)
        outside = bounds_problem(widget.fld, value, current()) if value is not UNSET else None
        if outside:
            self.ctx.status(tr("widgets.kept_as_typed", problem=outside), error=True)

    def mark_field(self, name: str, problem: str | None) -> None:
        """Show (or clear) a problem of what was typed into a field: tinted, and on the node."""
        if self.field_problems.get(name) == problem:
            return
        if problem is None:
            self.field_problems.pop(name, None)
        else:
            self.field_problems[name] = problem
        doc = self.ctx.doc
        node = doc.graph.node(self.node_id)
        widget = self.fields[name]
        self._restyle(widget, node.values, self.shown_value(widget.fld, node.values, doc.result.script, doc.context),
                      doc.result.script)

    def _typed_problems(self) -> tuple:
        extra = getattr(self, "_extra_error", None)
        return (("error", extra),) if extra else ()

    def on_key(self, sender, app_data, user_data):
        node_id, name = user_data
        self.ctx.edit_value(node_id, name, dpg.get_value(sender))

    def on_browse(self, sender, app_data, user_data):
        (node_id, name), directory = user_data
        self.ctx.browse(node_id, name, directory)

    def on_extra(self, sender, app_data, user_data):
        problem = tr("widgets.extra_not_object")
        try:  # the strict reader of files: no NaN, no infinity, no repeated key
            values = parse_json(app_data, tr("widgets.extra_name")) if app_data.strip() else {}
        except JsonFileError as exc:
            values = None
            if not exc.message.startswith("not JSON"):  # say which value cannot be written
                problem = f"{exc.where}: {exc.message}" if exc.where else exc.message
        if not isinstance(values, dict):
            self._extra_error = tr("widgets.extra_problem", problem=problem)
            self._show_problems(self._typed_problems() + self.doc_problems)
            return
        self._extra_error = None
        self.ctx.edit_values(self.node_id, values)

    def on_toggle_order(self, sender, app_data, pin):
        self.order_open ^= {pin}
        dpg.configure_item(sender, direction=dpg.mvDir_Down if pin in self.order_open else dpg.mvDir_Right)
        self._order_rows(pin)

    def on_move(self, sender, app_data, user_data):
        dst, pin, old, new = user_data
        self.ctx.reorder(dst, pin, old, new)

    # ------------------------------------------------------------ refresh
    def refresh(self, node: Node, script: str, problems: list, in_links: dict[str, list[tuple[str, str]]]):
        """Show the node's current values, visibility, title, ordered links and problems."""
        self.changes += 1
        spec = self.spec
        self.doc_field_problems = {}
        for d in problems:
            if d.field and d.severity in ("error", "warning"):
                self.doc_field_problems.setdefault(d.field, []).append((d.severity, problem_text(d, self.ctx.doc.graph)))
        self._show_fields(node, script, self.ctx.doc.context)
        if self.extra_text and not dpg.is_item_active(self.extra_text):
            text = json.dumps(node.values, indent=1, ensure_ascii=False) if node.values else ""
            if text != dpg.get_value(self.extra_text) and not getattr(self, "_extra_error", None):
                dpg.set_value(self.extra_text, text)
        title = node_title(spec, node, script)
        if title != self.shown_title:
            dpg.configure_item(self.item, label=title)
            self.shown_title = title
        for pin, group in self.order_groups.items():
            self._show_order(pin, group, in_links.get(pin, []))
        # a problem of a field in view is said under that field; the rest here
        on_fields = {name for name, w in self.fields.items() if w.visible and not w.fld.advanced and not w.fld.section}
        self.doc_problems = tuple((d.severity, problem_text(d, self.ctx.doc.graph)) for d in problems
                                  if d.severity in ("error", "warning") and d.field not in on_fields)
        self.doc_problems += trainer_folder_note(spec.type, node.values, self.ctx.doc.context)
        self._show_problems(self._typed_problems() + self.doc_problems)

    def _show_fields(self, node: Node, script: str, context) -> None:
        """Each field shown or hidden by the script and its condition, built when first shown."""
        defaults = node_defaults(self.spec.type, script, context)
        any_advanced = False
        in_section: dict[str, int] = {}
        kept = []
        for fld in self.field_specs:
            applies = field_applies(fld, script, context)
            if not applies and fld.name in node.values:
                kept.append(spec_texts.field_label(self.spec.type, fld, current()))
            visible = applies and fld.is_active(node.values, defaults)
            if fld.section:
                in_section[fld.section] = in_section.get(fld.section, 0) + visible
            else:
                any_advanced |= visible and fld.advanced
            widget = self.fields.get(fld.name)
            if widget is None:
                if not visible or (fld.advanced and not self.advanced_open):
                    continue  # costs nothing until shown
                widget = self._add_field(fld)
            if visible != widget.visible:
                dpg.configure_item(widget.row, show=visible)
                widget.visible = visible
                if widget.note:  # its note goes with it
                    dpg.configure_item(widget.note, show=visible and bool(widget.note_shown))
            if visible:
                value = self.shown_value(fld, node.values, script, context)
                widget.show(value)
                self._restyle(widget, node.values, value, script)
        if self.advanced and any_advanced != self.advanced_shown:
            dpg.configure_item(self.advanced, show=any_advanced)
            self.advanced_shown = any_advanced
        for title, shown in in_section.items():  # "Other arguments (2)": this script's only
            section = self.sections[title]
            if shown != section[1]:
                label = spec_texts.section_title(title, current())
                dpg.configure_item(section[0], show=bool(shown), label=f"{label} ({shown})")
                section[1] = shown
        kept_line = (("info", tr("widgets.kept_not_written", script=script, fields=", ".join(kept))),) if kept else ()
        if kept_line != self.kept_line:
            self.kept_line = kept_line
            self._show_problems(self._typed_problems() + self.doc_problems)

    def _restyle(self, widget: FieldWidget, values: dict, value: Any, script: str) -> None:
        """How a shown value reads: wrong (typed text not used, or a problem), missing (required and
        empty), a default nobody set (or a dataset's only key), or the user's own."""
        fld, name = widget.fld, widget.fld.name
        typed = self.field_problems.get(name)
        problems = self.doc_field_problems.get(name, [])
        needs_value = (fld.required or fld.is_key or (fld.kind == KEY and not fld.optional)) and is_empty(value)
        if typed:
            state, tip, note = WRONG, "", typed
        elif needs_value:
            if fld.kind == KEY:
                need = "widgets.needs_choice" if len(widget.labels) > 1 else "widgets.needs_key"
            else:
                need = "widgets.needs_value"
            # the compile's own words when it reports it (an unconnected node is not checked)
            state, tip, note = MISSING, tr(need), problems[0][1] if problems else tr(need)
        elif problems:
            note = problems[0][1] + (f" (+{len(problems) - 1})" if len(problems) > 1 else "")
            state, tip = WRONG if problems[0][0] == "error" else MISSING, ""
        elif name in values:
            state, tip, note = SET, tr("widgets.state_set"), ""
        elif fld.kind == KEY and (self.node_id, name) in self.ctx.doc.result.sole_keys:
            state, tip, note = DEFAULT, tr("widgets.state_sole"), ""
        else:
            state, tip, note = DEFAULT, tr("widgets.state_default", script=script), ""
        widget.restyle(state, tip, note)

    def shown_value(self, fld: FieldSpec, values: dict, script: str, context) -> Any:
        """What a field shows: what the compile writes (a dataset's only key for an unset KEY field)."""
        if fld.kind == KEY and fld.name not in values:
            sole = self.ctx.doc.result.sole_keys.get((self.node_id, fld.name))
            if sole is not None:
                return sole
        return effective_value(fld, values, script, context)

    def _show_order(self, pin: str, group: int, links: list[tuple[str, str, str]]) -> None:
        """Links into an ordered input: numbered on the input's line; with two or more, an arrow
        opens one row per link with up/down buttons."""
        sig = tuple(links)
        if self.order_shown.get(pin) == sig:
            return
        self.order_shown[pin] = sig
        summary = " \u00b7 ".join(f"{i + 1} {short}" for i, (_, short, _) in enumerate(links))
        if len(summary) > 34:
            summary = summary[:33] + "\u2026"
        dpg.set_value(self.order_summary[pin], summary if len(links) > 1 else "")
        self._show_detail(self.order_summary[pin], len(links) > 1)  # an empty text is still drawn
        self._show_detail(self.order_toggle[pin], len(links) > 1)
        if len(links) < 2:
            self.order_open.discard(pin)
        self._order_rows(pin)

    def _order_rows(self, pin: str) -> None:
        """The rows of an opened ordered input, one per link; built only while it is open."""
        group, links = self.order_groups[pin], self.order_shown.get(pin, ())
        dpg.delete_item(group, children_only=True)
        if pin not in self.order_open:
            self._show_detail(group, False)
            return
        muted = self.ctx.theme.color("muted_text")
        for i, (_, _, title) in enumerate(links):
            with dpg.group(horizontal=True, parent=group, indent=12):
                dpg.add_button(arrow=True, direction=dpg.mvDir_Up, enabled=i > 0,
                               user_data=(self.node_id, pin, i, i - 1), callback=self.on_move)
                dpg.add_button(arrow=True, direction=dpg.mvDir_Down, enabled=i < len(links) - 1,
                               user_data=(self.node_id, pin, i, i + 1), callback=self.on_move)
                dpg.add_text(f"{i + 1}. {title}", color=muted)
        self._show_detail(group, True)

    def _show_problems(self, lines: tuple) -> None:
        lines = lines + self.kept_line
        if lines == self.shown_problems:
            return
        self.changes += 1
        self.shown_problems = lines
        dpg.delete_item(self.problems, children_only=True)
        theme = self.ctx.theme
        marks = {"error": ("\u00d7 ", "error_text"), "warning": ("! ", "warning_text"), "info": ("i ", "muted_text")}
        for severity, message in lines[:6]:
            mark, colour = marks.get(severity, marks["warning"])
            dpg.add_text(mark + message, color=theme.color(colour), wrap=self.px(WIDTH + 130), parent=self.problems)
        if len(lines) > 6:
            dpg.add_text(tr("widgets.more_problems", count=len(lines) - 6), parent=self.problems,
                         color=theme.color("muted_text"))
        self._show_detail(self.problems, bool(lines))

    def set_theme(self, theme_item: int) -> None:
        if theme_item != self.shown_theme:
            dpg.bind_item_theme(self.item, theme_item)
            self.shown_theme = theme_item
