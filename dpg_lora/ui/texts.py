"""The editor's current catalogue and `tr`, the one way UI code gets a text to show.

Every label, menu, tooltip, status and problem the editor shows is `tr(key, **params)`; the keys
and texts are in dpg_lora/i18n/<language>/*.json.

Switching the language at run time (View -> Language) relabels in place; nothing is rebuilt:

- `bind_label(item, key, **params)` / `bind_value(item, key, **params)` set a static item's label
  (or a text item's value) from the catalogue and remember (item, key, params); `switch()` sets
  them again in the new language. Binding again (new params) replaces the record.
- A `tr()` result is a `Text`: a str that remembers its key and params, so code that is handed
  texts (the menu bar, ui/menus.py) can bind them without knowing the keys.
- Views whose text is dynamic (lists, tooltips built on demand, the canvas) register a hook with
  `on_switch(callback)`; `switch()` calls every live hook after relabelling. A bound method is
  held weakly, so a view that is gone drops out by itself.
"""
from __future__ import annotations

import weakref
from typing import Any, Callable

from dpg_lora.i18n import DEFAULT_LANGUAGE, Catalogue, load_catalogue

_current: list[Catalogue] = []
_bound: dict[int | str, tuple[str, str, str, dict[str, Any]]] = {}  # item -> (type, attribute, key, params)
_hooks: list[Callable[[], Callable[[], object] | None]] = []  # each returns the hook or None when gone


class Text(str):
    """A catalogue text that remembers its key and params (it is the text itself otherwise)."""
    key: str
    params: dict[str, Any]

    def __new__(cls, text: str, key: str, params: dict[str, Any]) -> "Text":
        self = super().__new__(cls, text)
        self.key, self.params = key, params
        return self


def use(catalogue: Catalogue) -> None:
    """Make `catalogue` the one `tr` reads."""
    _current[:] = [catalogue]


def current() -> Catalogue:
    if not _current:
        use(load_catalogue(DEFAULT_LANGUAGE))
    return _current[0]


def language() -> str:
    return current().language


def tr(key: str, **params: Any) -> Text:
    return Text(current().text(key, **params), key, params)


def _apply(item: int | str, attribute: str, key: str, params: dict[str, Any]) -> None:
    import dearpygui.dearpygui as dpg

    text = current().text(key, **params)
    if attribute == "value":
        dpg.set_value(item, text)
    else:
        dpg.configure_item(item, **{attribute: text})


def bind(item: int | str, key: str, attribute: str = "label", **params: Any) -> int | str:
    """Set `item`'s `attribute` ("label", "value", "hint", "overlay") to tr(key, **params) now and
    after every language switch. Returns the item."""
    import dearpygui.dearpygui as dpg

    _bound[item] = (dpg.get_item_type(item), attribute, key, params)
    _apply(item, attribute, key, params)
    return item


def bind_label(item: int | str, key: str, **params: Any) -> int | str:
    return bind(item, key, "label", **params)


def bind_value(item: int | str, key: str, **params: Any) -> int | str:
    return bind(item, key, "value", **params)


def bind_text(item: int | str, text: str, attribute: str = "label") -> int | str:
    """Bind a text handed over as a `Text` (its key); any other str is set as it is, once."""
    if isinstance(text, Text):
        return bind(item, text.key, attribute, **text.params)
    _bound.pop(item, None)
    _apply_plain(item, attribute, text)
    return item


def _apply_plain(item: int | str, attribute: str, text: str) -> None:
    import dearpygui.dearpygui as dpg

    if attribute == "value":
        dpg.set_value(item, text)
    else:
        dpg.configure_item(item, **{attribute: text})


def on_switch(callback: Callable[[], object]) -> None:
    """Call `callback()` after every language switch (a bound method only while its object lives)."""
    if hasattr(callback, "__self__") and hasattr(callback, "__func__"):
        _hooks.append(weakref.WeakMethod(callback))  # type: ignore[arg-type]
    else:
        _hooks.append(lambda: callback)


def relabel() -> int:
    """Set every bound item's text again from the current catalogue; forget items that are gone
    (an id of a deleted item that a new item of another type took is gone too). Returns how many
    were set."""
    import dearpygui.dearpygui as dpg

    done = 0
    for item, (kind, attribute, key, params) in list(_bound.items()):
        if not dpg.does_item_exist(item) or dpg.get_item_type(item) != kind:
            del _bound[item]
            continue
        _apply(item, attribute, key, params)
        done += 1
    return done


def switch(catalogue: Catalogue) -> None:
    """Make `catalogue` current, relabel the bound items and run the hooks."""
    use(catalogue)
    relabel()
    live = []
    for ref in list(_hooks):
        hook = ref()
        if hook is None:
            continue
        live.append(ref)
        hook()
    _hooks[:] = live


def forget() -> None:
    """Drop every binding and hook (the editor's UI was destroyed)."""
    _bound.clear()
    _hooks.clear()
