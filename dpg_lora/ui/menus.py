"""The menu bar (built from data) and the node picker popup (search box + categories)."""
from __future__ import annotations

from typing import Callable, Iterable, Sequence

import dearpygui.dearpygui as dpg

from dpg_lora.specs import NodeSpec
from dpg_lora.specs.texts import category_title, node_help, node_title
from dpg_lora.ui.node_search import by_category, search
from dpg_lora.ui.texts import Text, bind, bind_text, current, tr

# A menu entry is (label, shortcut, callback), or None for a separator; a list as the callback
# makes a submenu; (label, shortcut, callback, checked) is an item with a check mark, ticked when
# `checked` (the owner sets the marks again after a click: a click toggles the clicked one). A
# label from tr() (a Text) is relabelled when the language changes, and the item is found under
# its catalogue key ("menu.recent"); any other label is shown as it is.

MAX_RESULTS = 12


def build_menu_bar(parent: int | str, menus: Sequence[tuple[str, list]]) -> dict[str, int]:
    """Menus as data; returns key (or label) -> menu item so the app can refill dynamic ones (Recent)."""
    items: dict[str, int] = {}
    with dpg.menu_bar(parent=parent):
        for title, entries in menus:
            with dpg.menu() as menu:
                _name(items, title, menu)
                add_entries(entries, items)
    return items


def _name(items: dict[str, int] | None, label: str, item: int) -> None:
    bind_text(item, label)
    if items is not None:
        items[label.key if isinstance(label, Text) else label] = item


def add_entries(entries: Iterable, items: dict[str, int] | None = None, parent: int | str = 0) -> None:
    for entry in entries:
        if entry is None:
            dpg.add_separator(parent=parent) if parent else dpg.add_separator()
            continue
        label, shortcut, action, *checked = entry
        if isinstance(action, list):
            menu = dpg.add_menu(parent=parent) if parent else dpg.add_menu()
            _name(items, label, menu)
            add_entries(action, items, parent=menu)
            continue
        kwargs = dict(shortcut=shortcut, callback=_call(action))
        if checked:
            kwargs.update(check=True, default_value=bool(checked[0]))
        item = dpg.add_menu_item(parent=parent, **kwargs) if parent else dpg.add_menu_item(**kwargs)
        _name(items, label, item)


def _call(action: Callable) -> Callable:
    return lambda *_: action()


class NodePicker:
    """A popup listing node types: type to filter, Up/Down move the highlight, Enter takes it,
    a click takes any.

    The same popup serves the canvas right-click menu, Ctrl+Space, a link dropped on empty
    canvas and "Add input node…" — the caller passes which types fit and what picking does.
    """

    def __init__(self, ctx):
        self.ctx = ctx
        self.on_pick: Callable[[NodeSpec], None] | None = None
        self.candidates: list[NodeSpec] | None = None
        self.matches: list[NodeSpec] = []
        self.entries: list[int] = []  # selectables of the flat result list, in `matches` order
        self.highlight = 0
        with dpg.window(show=False, no_title_bar=True, autosize=True, popup=True, min_size=(260, 60),
                        no_saved_settings=True) as self.window:
            self.heading = dpg.add_text("", color=ctx.theme.color("muted_text"))
            self.query = dpg.add_input_text(width=250, callback=self._on_query, on_enter=False)
            bind(self.query, "search.hint", "hint")
            ctx.register_text_input(self.query)
            self.results = dpg.add_group()

    @property
    def shown(self) -> bool:
        return dpg.is_item_shown(self.window)

    def open(self, pos, on_pick: Callable[[NodeSpec], None], candidates: list[NodeSpec] | None = None,
             heading: str | None = None) -> None:
        self.on_pick = on_pick
        self.candidates = candidates
        bind_text(self.heading, heading or tr("search.add_node"), attribute="value")
        dpg.set_value(self.query, "")
        self._fill("")
        dpg.set_item_pos(self.window, [int(pos[0]), int(pos[1])])
        dpg.configure_item(self.window, show=True)
        dpg.focus_item(self.window)
        dpg.focus_item(self.query)

    def close(self) -> None:
        dpg.configure_item(self.window, show=False)

    def _on_query(self, sender, app_data, user_data=None):
        self._fill(app_data)

    def _fill(self, query: str) -> None:
        dpg.delete_item(self.results, children_only=True)
        self.entries, self.highlight = [], 0
        pool = self.candidates
        if query.strip():
            self.matches = search(query, pool, current())[:MAX_RESULTS]
            for i, spec in enumerate(self.matches):
                self._entry(spec, self.results, first=i == 0)  # Enter takes the highlighted one
            if not self.matches:
                dpg.add_text(tr("search.no_match"), parent=self.results)
            return
        groups = by_category(pool)
        self.matches = [s for g in groups.values() for s in g]
        if pool is not None and len(self.matches) <= MAX_RESULTS:
            for i, spec in enumerate(self.matches):
                self._entry(spec, self.results, first=i == 0)
            return
        for category, specs in groups.items():
            with dpg.menu(label=category_title(category, current()), parent=self.results):
                for spec in specs:
                    self._entry(spec, 0)

    def _entry(self, spec: NodeSpec, parent, first: bool = False) -> None:
        kwargs = dict(label=node_title(spec.type, current()), user_data=spec, callback=self._on_entry,
                      default_value=first)
        item = dpg.add_selectable(parent=parent, **kwargs) if parent else dpg.add_selectable(**kwargs)
        if parent == self.results:
            self.entries.append(item)
        help_text = node_help(spec.type, current())
        if help_text:
            with dpg.tooltip(item):
                dpg.add_text(help_text, wrap=300)

    def _on_entry(self, sender, app_data, user_data):
        self.pick(user_data)

    def move(self, step: int) -> None:
        """Move the highlight in the flat result list (Up/Down keys)."""
        if not self.shown or not self.entries:
            return
        dpg.set_value(self.entries[self.highlight], False)
        self.highlight = (self.highlight + step) % len(self.entries)
        dpg.set_value(self.entries[self.highlight], True)

    def pick_first(self) -> bool:
        """Enter: take the highlighted match (the first one until Up/Down moved it)."""
        if self.shown and self.matches:
            index = self.highlight if self.entries else 0
            self.pick(self.matches[index])
            return True
        return False

    def pick(self, spec: NodeSpec) -> None:
        self.close()
        if self.on_pick:
            self.on_pick(spec)
