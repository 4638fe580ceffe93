"""Find user-visible string literals in UI code that do not come from the catalogue (`tr`).

Pure: reads Python source with `ast`, never imports or runs it. Two passes over a module:

- **Visible places**: a string literal or f-string in a place Dear PyGui shows it is a finding
  unless it is code by rule (`is_code_text`): keyword arguments such as `label=`, `hint=`,
  `overlay=`, `default_value=`, `items=`; the text arguments of `add_text`, `set_value`,
  `add_combo`/`add_listbox`, `set_viewport_title`; every argument of the app's text services
  (`status`, `ask`, `error`, `pick_file`, ...); the label (and shortcut hint) of a menu or button
  tuple `("Label", "Ctrl+N", action)` / `("Label", action)`.
- **Prose anywhere else**: any other plain literal of two or more words, or f-string with a word
  in its fixed text (`f"on {host}"`), outside docstrings, `tr(...)` calls and calls whose strings
  are code (`strftime`, `re.*`, `getattr`, ...).

Code by rule: no letters once `{fields}` and `%` specs are removed ("", " | ", "%.1f", "\u2026");
identifiers, keys, file and program names (no space and a `_`, `.`, `/` or `-`: "muted_text",
"graph.json", "dpg-lora"); absolute file paths ("/Library/Fonts/Arial Unicode.ttf"); a keyboard shortcut in a shortcut slot ("Ctrl+S", "Home / F").

`keys_used(source)` lists the literal keys passed to `tr` (and the other KEY_CALLS), so a test can
check they exist in the catalogue. `python -m dpg_lora.i18n.scan [FILE...]` prints the findings.
"""
from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

# keyword arguments whose string is shown
VISIBLE_KEYWORDS = frozenset({"label", "hint", "overlay", "default_value", "items", "tip", "tooltip",
                              "title", "message", "heading", "text", "note", "done", "placeholder"})
# calls whose positional arguments (all, or from an index) are shown: name -> first shown index
VISIBLE_CALLS = {"add_text": 0, "set_value": 1, "add_combo": 0, "add_listbox": 0, "add_radio_button": 0,
                 "set_viewport_title": 0, "status": 0, "ask": 0, "error": 0, "pick_file": 0,
                 "set_clipboard_text": -1, "add_tab": 0, "add_menu_item": 0, "add_button": 0,
                 "_set_outputs": 1, "bind_text": 1, "show_message": 0, "notify": 0, "warn": 0, "info": 0}
# calls that take a catalogue key as their first argument (checked against the catalogue)
KEY_CALLS = {"tr": 0, "bind_label": 1, "bind_value": 1, "bind": 1}
# calls whose string arguments are code, not text
CODE_CALLS = frozenset({"strftime", "strptime", "compile", "match", "fullmatch", "search", "sub", "split",
                        "findall", "getattr", "hasattr", "setattr", "get_alias_id", "does_alias_exist",
                        "startswith", "endswith", "encode", "decode", "Thread", "open", "environ",
                        "getenv", "get", "format_map"})
KEY_TOKENS = frozenset({"ctrl", "shift", "alt", "cmd", "del", "delete", "home", "end", "enter", "esc",
                        "space", "tab", "up", "down", "left", "right", "pgup", "pgdn", "wheel",
                        "backspace", "ins"})

_FIELDS = re.compile(r"\{[^{}]*\}")
_PRINTF = re.compile(r"%[-+ #0]*\d*(?:\.\d+)?[a-zA-Z%]")
_WORD = re.compile(r"[^\W\d_]{2,}")
_CODEISH = re.compile(r"^[\w.:/\\-]+$")
_PATH = re.compile(r"^(?:/|~/|[A-Za-z]:[/\\])[^\s/\\][^\n]*[/\\][^\n]*\.\w{2,4}$")


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    text: str
    where: str  # which rule found it: "label=", "status()", "menu tuple", "prose"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text!r} ({self.where})"


def _letters_left(text: str) -> str:
    return _PRINTF.sub("", _FIELDS.sub("", text))


def is_code_text(text: str) -> bool:
    """True for strings that are code by rule (see the module docstring)."""
    rest = _letters_left(text)
    if not any(ch.isalpha() for ch in rest):
        return True
    stripped = rest.strip()
    if _PATH.match(text):  # "/System/Library/Fonts/STHeiti Light.ttc", "C:/Windows/Fonts/msyh.ttc"
        return True
    return bool(_CODEISH.match(stripped)) and any(c in stripped for c in "_./-")


def is_shortcut(text: str) -> bool:
    """"Ctrl+S", "Del", "Home / F", "+", "Ctrl+Space": key names joined by +, / or spaces."""
    tokens = [t for t in re.split(r"[+/\s]+", text) if t]
    return all(t.lower() in KEY_TOKENS or len(t) == 1 or re.fullmatch(r"F\d{1,2}", t) for t in tokens)


def _call_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _fixed_text(node: ast.AST) -> str | None:
    """The fixed text of a str literal or f-string (format specs left out), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else "{}"
                       for v in node.values)
    return None


class _Scanner(ast.NodeVisitor):
    def __init__(self, path: str):
        self.path = path
        self.findings: list[Finding] = []
        self.reported: set[int] = set()  # id() of string nodes already reported
        self.skip: set[int] = set()  # id() of string nodes that are docstrings or code

    # -- helpers
    def _report(self, node: ast.AST, where: str) -> None:
        if id(node) in self.reported or id(node) in self.skip:
            return
        self.reported.add(id(node))
        self.findings.append(Finding(self.path, getattr(node, "lineno", 0), _fixed_text(node) or "", where))

    def _strings_in(self, node: ast.AST) -> Iterator[ast.AST]:
        """String literals and f-strings in an expression, not inside tr() or code calls."""
        if isinstance(node, ast.Call) and (_call_name(node) in KEY_CALLS or _call_name(node) in CODE_CALLS):
            return
        if isinstance(node, ast.Lambda):
            return
        if _fixed_text(node) is not None:
            yield node
            if isinstance(node, ast.JoinedStr):  # strings inside the {fields}
                for value in node.values:
                    if isinstance(value, ast.FormattedValue):
                        yield from self._strings_in(value.value)
            return
        if isinstance(node, ast.Subscript):  # t["status"], CHOICES[c]: the index is a key
            yield from self._strings_in(node.value)
            return
        if isinstance(node, ast.Compare):  # x == "error": a comparison with a code value
            return
        if isinstance(node, ast.Dict):
            for value in node.values:
                yield from self._strings_in(value)
            return
        for child in ast.iter_child_nodes(node):
            yield from self._strings_in(child)

    def _visible(self, node: ast.AST, where: str, shortcut_slot: bool = False) -> None:
        for string in self._strings_in(node):
            text = _fixed_text(string) or ""
            if is_code_text(text) or (shortcut_slot and is_shortcut(text)):
                self.skip.add(id(string))
                continue
            self._report(string, where)

    # -- docstrings are never text
    def _docstring(self, node) -> None:
        body = getattr(node, "body", None)
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                and isinstance(body[0].value.value, str):
            self.skip.add(id(body[0].value))

    def visit_Module(self, node: ast.Module) -> None:
        self._docstring(node)
        self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._docstring(node)
        self.generic_visit(node)

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._docstring(node)
        self.generic_visit(node)

    # -- visible places
    def visit_Call(self, node: ast.Call) -> None:
        name = _call_name(node)
        if name in KEY_CALLS or name in CODE_CALLS:
            for sub in ast.walk(node):
                if _fixed_text(sub) is not None:
                    self.skip.add(id(sub))
            # still look inside the arguments for nested visible calls (tr(k, n=f(...)))
        for keyword in node.keywords:
            if keyword.arg in VISIBLE_KEYWORDS:
                self._visible(keyword.value, f"{keyword.arg}=")
        first = VISIBLE_CALLS.get(name)
        if first is not None and name not in KEY_CALLS:
            args = node.args if first < 0 else node.args[first:]
            for arg in args:
                self._visible(arg, f"{name}()")
        self.generic_visit(node)

    def visit_Tuple(self, node: ast.Tuple) -> None:
        """("Label", "Ctrl+N", action) menu entries and ("Label", action) buttons."""
        elts = node.elts
        if len(elts) in (2, 3) and _fixed_text(elts[0]) is not None:
            label, rest = elts[0], elts[1:]
            actionish = (ast.Lambda, ast.Name, ast.Attribute, ast.List, ast.Call, ast.ListComp)
            tail = rest[-1]
            shortcut = rest[0] if len(rest) == 2 else None
            looks_menu = isinstance(tail, actionish) or (isinstance(tail, ast.Constant) and tail.value is None)
            text = _fixed_text(label) or ""
            titled = " " in text.strip() or any(ch.isupper() for ch in text)  # ("error", msg) is data
            if looks_menu and titled and (shortcut is None or _fixed_text(shortcut) is not None):
                self._visible(label, "menu or button label")
                if shortcut is not None:
                    self._visible(shortcut, "menu shortcut hint", shortcut_slot=True)
        self.generic_visit(node)

    # -- prose anywhere else
    def finish(self, tree: ast.AST) -> None:
        for node in ast.walk(tree):
            if id(node) in self.skip or id(node) in self.reported:
                continue
            text = _fixed_text(node)
            if text is None or is_code_text(text):
                continue
            words = _WORD.findall(_letters_left(text))
            prose = len(re.findall(r"[^\W\d_]+\s+[^\W\d_]+", _letters_left(text))) > 0
            if isinstance(node, ast.JoinedStr) and words and not _only_code_words(node):
                self._report(node, "prose")
            elif isinstance(node, ast.Constant) and prose:
                self._report(node, "prose")

    def mark_code_contexts(self, tree: ast.AST) -> None:
        """Strings compared with, used as subscripts or one-word dict keys, or raised are code."""
        for node in ast.walk(tree):
            if isinstance(node, ast.Compare):
                for sub in ast.walk(node):
                    self.skip.add(id(sub))
            elif isinstance(node, ast.Subscript):
                for sub in ast.walk(node.slice):
                    self.skip.add(id(sub))
            elif isinstance(node, ast.Dict):
                for key in node.keys:
                    if key is not None and _fixed_text(key) is not None and " " not in (_fixed_text(key) or ""):
                        self.skip.add(id(key))
            elif isinstance(node, ast.Raise):  # exception texts are for developers; the UI says its own
                for sub in ast.walk(node):
                    self.skip.add(id(sub))
            elif isinstance(node, ast.JoinedStr):  # the parts of an f-string are judged as a whole
                for value in node.values:
                    self.skip.add(id(value))
                    if isinstance(value, ast.FormattedValue) and value.format_spec is not None:
                        for sub in ast.walk(value.format_spec):
                            self.skip.add(id(sub))


def _only_code_words(node: ast.JoinedStr) -> bool:
    """f"mvKey_{name}", f"{a}.{b}": every fixed part is code."""
    parts = [v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
    return all(is_code_text(p) or _CODEISH.match(p.strip() or "_") and any(c in p for c in "_./-")
               for p in parts)


def scan_source(source: str, path: str = "<source>") -> list[Finding]:
    """The user-visible literals in `source` that bypass the catalogue, in line order."""
    tree = ast.parse(source, filename=path)
    scanner = _Scanner(path)
    scanner.mark_code_contexts(tree)
    scanner.visit(tree)
    scanner.finish(tree)
    return sorted(scanner.findings, key=lambda f: (f.line, f.text))


def scan_file(path: Path) -> list[Finding]:
    return scan_source(path.read_text(encoding="utf-8"), str(path))


def keys_used(source: str) -> list[tuple[int, str]]:
    """(line, key) for every literal catalogue key passed to `tr` (and the other KEY_CALLS)."""
    keys = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _call_name(node) in KEY_CALLS:
            index = KEY_CALLS[_call_name(node)]
            arg = node.args[index] if len(node.args) > index else None
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                keys.append((node.lineno, node.col_offset, arg.value))
    return [(line, key) for line, _, key in sorted(keys)]


def main(argv: list[str] | None = None) -> int:
    paths = [Path(p) for p in (argv if argv is not None else sys.argv[1:])]
    if not paths:
        paths = sorted((Path(__file__).resolve().parent.parent / "ui").glob("*.py"))
    count = 0
    for path in paths:
        for finding in scan_file(path):
            print(finding)
            count += 1
    return 1 if count else 0


if __name__ == "__main__":
    raise SystemExit(main())
