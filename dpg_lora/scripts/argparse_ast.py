"""Read a trainer script's argparse arguments statically, with `ast`: the script is never imported or run.

Every `<anything>.add_argument(...)` call is read: option names and `dest`, `type`, `default`,
`choices`, `action`, `nargs`, `required`, `help` (with `%(default)s` filled in), and
`set_defaults(...)` overrides. Defaults may be literals, unary minus, arithmetic, and names bound
by simple assignments earlier in the module or function; loops over literal sequences are unrolled
and branches whose test is known are followed. What cannot be known statically (a default from a
call, a name bound in a branch) is reported in the argument's `notes`, never guessed.
"""
from __future__ import annotations

import ast
import re
import tokenize
from collections.abc import Callable
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

MAX_SCRIPT_BYTES = 4_000_000  # the shipped scripts are 80-135 kB
_MAX_UNROLL = 256  # loop iterations unrolled per `for`
_MAX_NUMBER = 10 ** 100  # arithmetic beyond this is not evaluated
_IGNORED_ACTIONS = ("help", "version")


class _Unknown(Exception):
    """An expression whose value is only known when the script runs."""


@dataclass(frozen=True)
class ReadArg:
    """One argparse argument as written in the script."""

    name: str  # the dest: what `args.<name>` and the JSON key are
    flags: tuple[str, ...]
    type: str  # "int", "float", "str", "bool" or "list" (nargs); unknown converters read as "str"
    default: Any  # argparse's default (None when it has none, or when it cannot be known)
    default_known: bool
    choices: tuple[Any, ...] = ()
    action: str = "store"
    nargs: Any = None
    required: bool = False
    help: str = ""
    line: int = 0
    condition: str = ""  # non-empty: the argument is added only when this holds
    notes: tuple[str, ...] = ()  # what could not be known, in words

    @property
    def positional(self) -> bool:
        return not any(f.startswith("-") for f in self.flags)


@dataclass(frozen=True)
class ScriptRead:
    """What a reading of one script found. `error` set means nothing usable was read."""

    name: str  # file name, e.g. train_longcat.py
    source: str  # where it was read from (a path, or host:path)
    size: int
    mtime: float  # seconds since the epoch
    args: dict[str, ReadArg] = field(default_factory=dict)
    notes: tuple[str, ...] = ()  # script-level: arguments whose names could not be known, ...
    error: str | None = None
    schema: str = "unknown"  # "new" (reads dataset_configs), "old" (training_set), "flat", "unknown"
    attrs_read: frozenset[str] = frozenset()  # names read as args.<name> / getattr(args, "<name>")

    @property
    def ok(self) -> bool:
        return self.error is None


# ------------------------------------------------------------------ decoding and parsing
class SourceError(ValueError):
    """Bytes that are not Python source text (bad encoding or coding cookie)."""


def decode_source(data: bytes) -> str:
    """The text of a Python source file (BOM and coding cookie honoured); SourceError if it is not text."""
    try:
        encoding, _ = tokenize.detect_encoding(BytesIO(data).readline)
    except SyntaxError as exc:  # an unknown coding cookie, or bad UTF-8 in the first two lines
        if "unknown encoding" in str(exc):
            raise SourceError(str(exc)) from None
        encoding = "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise SourceError(f"not {encoding.upper()} text (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None
    return text.removeprefix("\ufeff")


def read_script_bytes(name: str, data: bytes | str, mtime: float, source: str = "") -> ScriptRead:
    """Read one script's arguments from its bytes (or text). Never raises for bad input."""
    source = source or name
    size = len(data.encode("utf-8") if isinstance(data, str) else data)
    base = dict(name=name, source=source, size=size, mtime=mtime)
    if size > MAX_SCRIPT_BYTES:
        return ScriptRead(**base, error=f"{size / 1e6:.1f} MB is over the {MAX_SCRIPT_BYTES / 1e6:.0f} MB "
                                         "limit for a script; not read")
    if isinstance(data, bytes):
        try:
            text = decode_source(data)
        except SourceError as exc:
            return ScriptRead(**base, error=f"{exc}; not read")
    else:
        text = data
    try:
        tree = ast.parse(text, filename=name)
    except SyntaxError as exc:
        where = f" at line {exc.lineno}" if exc.lineno else ""
        return ScriptRead(**base, error=f"syntax error{where}: {exc.msg}; not read")
    except (ValueError, RecursionError, MemoryError) as exc:
        return ScriptRead(**base, error=f"cannot be parsed ({type(exc).__name__}: {exc}); not read")
    try:
        reader = _Reader(tree)
        reader.run()
    except RecursionError:
        return ScriptRead(**base, error="nested too deeply to read; not read")
    except Exception as exc:  # noqa: BLE001 - a reader bug must not take the editor down
        return ScriptRead(**base, error=f"the argument reader failed on it ({type(exc).__name__}: {exc}); not read")
    return ScriptRead(**base, args=reader.args, notes=tuple(reader.notes), schema=_schema_of(tree),
                      attrs_read=frozenset(_attrs_read(tree)))


def _schema_of(tree: ast.AST) -> str:
    """"new" when the code reads a config's `dataset_configs`, "old" when it reads `training_set`."""
    keys = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
            key = node.slice
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get"
              and node.args):
            key = node.args[0]
        else:
            continue
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            keys.add(key.value)
    if "dataset_configs" in keys:
        return "new"
    if "training_set" in keys:
        return "old"
    if "image_configs" in keys and "batch_configs" in keys:
        return "flat"  # the dataset keys at the top level of the config
    return "unknown"


def _attrs_read(tree: ast.AST) -> set[str]:
    """`args.X` loads and `getattr(args, "X")` / `hasattr(args, "X")` calls anywhere in the script."""
    out: set[str] = set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load)
                and isinstance(node.value, ast.Name) and node.value.id == "args"):
            out.add(node.attr)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and node.func.id in ("getattr", "hasattr") and len(node.args) >= 2
              and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str)):
            out.add(node.args[1].value)
    return out


# ------------------------------------------------------------------ static evaluation
_BINOPS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b, ast.FloorDiv: lambda a, b: a // b, ast.Mod: lambda a, b: a % b,
    ast.Pow: lambda a, b: a ** b,
}
_PURE_CALLS: dict[str, Callable[..., Any]] = {"int": int, "float": float, "str": str, "bool": bool,
                                               "tuple": tuple, "list": list}


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check_size(value: Any) -> Any:
    if _number(value) and abs(value) > _MAX_NUMBER:
        raise _Unknown("a number too large to evaluate")
    if isinstance(value, (str, tuple, list)) and len(value) > 100_000:
        raise _Unknown("a value too large to evaluate")
    return value


def evaluate(node: ast.AST, env: dict[str, Any]) -> Any:
    """The value of a constant expression; _Unknown when it depends on run time."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        if node.id in env:
            return env[node.id]
        raise _Unknown(f"the name {node.id} is not a constant known before run time")
    if isinstance(node, ast.UnaryOp):
        value = evaluate(node.operand, env)
        if isinstance(node.op, ast.USub) and _number(value):
            return -value
        if isinstance(node.op, ast.UAdd) and _number(value):
            return +value
        if isinstance(node.op, ast.Not):
            return not value
        raise _Unknown(f"{ast.unparse(node)}")
    if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
        left, right = evaluate(node.left, env), evaluate(node.right, env)
        if isinstance(node.op, ast.Pow) and (not _number(right) or abs(right) > 64):
            raise _Unknown(f"{ast.unparse(node)}")
        sequences = (str, list, tuple)
        if isinstance(node.op, ast.Mult) and (isinstance(left, sequences) or isinstance(right, sequences)):
            count = right if isinstance(left, (str, list, tuple)) else left
            if not isinstance(count, int) or count > 10_000:
                raise _Unknown(f"{ast.unparse(node)}")
        try:
            return _check_size(_BINOPS[type(node.op)](left, right))
        except (TypeError, ValueError, ZeroDivisionError, OverflowError):
            raise _Unknown(f"{ast.unparse(node)} fails when evaluated") from None
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        items = [evaluate(e, env) for e in node.elts]
        return tuple(items) if isinstance(node, ast.Tuple) else items
    if isinstance(node, ast.Dict) and all(k is not None for k in node.keys):
        return {evaluate(k, env): evaluate(v, env) for k, v in zip(node.keys, node.values)}
    if isinstance(node, ast.JoinedStr):
        parts = []
        for part in node.values:
            if isinstance(part, ast.Constant):
                parts.append(str(part.value))
            elif isinstance(part, ast.FormattedValue) and part.format_spec is None:
                value = evaluate(part.value, env)
                parts.append(repr(value) if part.conversion == ord("r") else str(value))
            else:
                raise _Unknown(f"{ast.unparse(node)}")
        return "".join(parts)
    if isinstance(node, ast.Call) and not node.keywords:
        func = node.func
        if isinstance(func, ast.Name) and func.id in _PURE_CALLS and func.id not in env:
            args = [evaluate(a, env) for a in node.args]
            try:
                return _check_size(_PURE_CALLS[func.id](*args))
            except (TypeError, ValueError, OverflowError):
                raise _Unknown(f"{ast.unparse(node)} fails when evaluated") from None
        if (isinstance(func, ast.Attribute) and func.attr in ("format", "lower", "upper", "strip", "replace")
                and isinstance(func.value, ast.Constant) and isinstance(func.value.value, str)):
            args = [evaluate(a, env) for a in node.args]
            return _check_size(getattr(func.value.value, func.attr)(*args))
    if isinstance(node, ast.IfExp):
        return evaluate(node.body if evaluate(node.test, env) else node.orelse, env)
    raise _Unknown(f"{_short(node)} is computed at run time")


def _short(node: ast.AST, limit: int = 60) -> str:
    text = ast.unparse(node)
    return text if len(text) <= limit else text[: limit - 3] + "..."


# ------------------------------------------------------------------ types
_SCALAR_TYPES = {"int": "int", "float": "float", "str": "str", "bool": "bool", "Path": "str"}
_TRUE_WORDS = ("true", "1", "yes", "y", "t", "on")
_FALSE_WORDS = ("false", "0", "no", "n", "f", "off")


def _returns(body: list[ast.stmt]) -> list[ast.expr]:
    return [n.value for stmt in body for n in ast.walk(stmt) if isinstance(n, ast.Return) and n.value is not None]


def _kind_of_expr(expr: ast.expr) -> str | None:
    """What a converter's returned expression is: "bool", "int", "float", "str" or None."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, bool):
        return "bool"
    if isinstance(expr, (ast.Compare, ast.BoolOp)) or (isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.Not)):
        return "bool"
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id in _SCALAR_TYPES:
        return _SCALAR_TYPES[expr.func.id]
    return None


def _converter_kind(exprs: list[ast.expr]) -> str | None:
    # `return v` (passing an already-converted value through) says nothing about the kind
    kinds = {_kind_of_expr(e) for e in exprs if not isinstance(e, ast.Name)}
    if kinds == {"bool"}:
        return "bool"
    if len(kinds) == 1 and None not in kinds:
        return kinds.pop()
    return None


# ------------------------------------------------------------------ the walk
@dataclass
class _Scope:
    env: dict[str, Any]
    condition: str = ""


class _Reader:
    def __init__(self, tree: ast.Module):
        self.tree = tree
        self.args: dict[str, ReadArg] = {}
        self.notes: list[str] = []
        self.funcs: dict[str, ast.FunctionDef | ast.Lambda] = {}
        self.defaults_set: dict[str, tuple[Any, bool, int]] = {}

    def run(self) -> None:
        for stmt in self.tree.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.funcs[stmt.name] = stmt
            elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name) \
                    and isinstance(stmt.value, ast.Lambda):
                self.funcs[stmt.targets[0].id] = stmt.value
        module_env = self._module_constants()
        self.block(self.tree.body, _Scope(dict(module_env)))
        for name, (value, known, line) in self.defaults_set.items():
            arg = self.args.get(name)
            if arg is None:
                continue
            notes = arg.notes + (() if known else (f"set_defaults at line {line}: {value}",))
            self.args[name] = _replace(arg, default=value if known else None, default_known=known, notes=notes)

    def _module_constants(self) -> dict[str, Any]:
        """Names bound once at module level, unconditionally, to a constant expression."""
        counts: dict[str, int] = {}
        for node in ast.walk(self.tree):
            for target in _assigned_names(node):
                counts[target] = counts.get(target, 0) + 1
        env: dict[str, Any] = {}
        for stmt in self.tree.body:
            if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None:
                names = _assigned_names(stmt)
                if len(names) == 1 and counts.get(names[0]) == 1:
                    try:
                        env[names[0]] = evaluate(stmt.value, env)
                    except _Unknown:
                        pass
        return env

    # statements
    def block(self, stmts: list[ast.stmt], scope: _Scope) -> None:
        for stmt in stmts:
            self.statement(stmt, scope)

    def statement(self, stmt: ast.stmt, scope: _Scope) -> None:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            params = {a.arg for a in stmt.args.args + stmt.args.kwonlyargs + stmt.args.posonlyargs}
            env = {k: v for k, v in scope.env.items() if k not in params}
            self.block(stmt.body, _Scope(env, scope.condition))
        elif isinstance(stmt, ast.ClassDef):
            self.block(stmt.body, _Scope(dict(scope.env), scope.condition))
        elif isinstance(stmt, ast.If):
            self.branch(stmt, scope)
        elif isinstance(stmt, (ast.For, ast.AsyncFor)):
            self.loop(stmt, scope)
        elif isinstance(stmt, ast.While):
            self.block(stmt.body, _Scope(dict(scope.env), _join(scope.condition, f"while {_short(stmt.test)}")))
            self.block(stmt.orelse, _Scope(dict(scope.env), scope.condition))
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            self.block(stmt.body, scope)
        elif isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
            self.block(stmt.body, scope)
            for handler in stmt.handlers:
                what = _short(handler.type) if handler.type else "anything"
                self.block(handler.body, _Scope(dict(scope.env), _join(scope.condition, f"{what} is raised")))
            self.block(stmt.orelse, scope)
            self.block(stmt.finalbody, scope)
        elif isinstance(stmt, ast.Match):
            for case in stmt.cases:
                condition = _join(scope.condition, f"case {ast.unparse(case.pattern)}")
                self.block(case.body, _Scope(dict(scope.env), condition))
        else:
            self.simple(stmt, scope)

    def branch(self, stmt: ast.If, scope: _Scope) -> None:
        try:
            taken = bool(evaluate(stmt.test, scope.env))
        except _Unknown:
            test = _short(stmt.test)
            body_env, else_env = dict(scope.env), dict(scope.env)
            self.block(stmt.body, _Scope(body_env, _join(scope.condition, test)))
            self.block(stmt.orelse, _Scope(else_env, _join(scope.condition, f"not ({test})")))
            for name in set(body_env) | set(else_env) | set(scope.env):
                a, b = body_env.get(name, _MISSING), else_env.get(name, _MISSING)
                if a is not _MISSING and a == b:
                    scope.env[name] = a
                else:
                    scope.env.pop(name, None)  # bound differently per branch: unknown after it
            return
        self.block(stmt.body if taken else stmt.orelse, scope)

    def loop(self, stmt: ast.For | ast.AsyncFor, scope: _Scope) -> None:
        targets = _target_names(stmt.target)
        try:
            items = list(evaluate(stmt.iter, scope.env)) if targets is not None else None
        except (_Unknown, TypeError):
            items = None
        if items is not None and len(items) <= _MAX_UNROLL:
            for item in items:
                env = dict(scope.env)
                try:
                    env.update(_bind(targets, item))
                except _Unknown:
                    items = None
                    break
                self.block(stmt.body, _Scope(env, scope.condition))
            if items is not None:
                return
        env = {k: v for k, v in scope.env.items() if k not in (targets or ())}
        self.block(stmt.body, _Scope(env, _join(scope.condition, f"in a loop over {_short(stmt.iter)}")))

    def simple(self, stmt: ast.stmt, scope: _Scope) -> None:
        for node in ast.walk(stmt):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr == "add_argument":
                    self.add_argument(node, scope)
                elif node.func.attr == "set_defaults":
                    for kw in node.keywords:
                        if kw.arg is not None:
                            value, known, _ = _value_or_text(kw.value, scope.env)
                            self.defaults_set[kw.arg] = (value, known, node.lineno)
        if isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            names = _assigned_names(stmt)
            value_node = stmt.value
            for name in names:
                scope.env.pop(name, None)
            if len(names) == 1 and value_node is not None and not isinstance(stmt, ast.AugAssign):
                try:
                    scope.env[names[0]] = evaluate(value_node, scope.env)
                except _Unknown:
                    pass

    # one add_argument call
    def add_argument(self, call: ast.Call, scope: _Scope) -> None:
        line = call.lineno
        try:
            flags = tuple(str(evaluate(a, scope.env)) for a in call.args if not isinstance(a, ast.Starred))
            if any(isinstance(a, ast.Starred) for a in call.args):
                raise _Unknown("starred option names")
        except _Unknown:
            self.notes.append(f"line {line}: an argument whose name is computed at run time "
                              f"({_short(call)}); not read")
            return
        kw = {k.arg: k.value for k in call.keywords if k.arg is not None}
        if any(k.arg is None for k in call.keywords):
            self.notes.append(f"line {line}: add_argument(**...) options are computed at run time; "
                              "only its names are read")
        notes: list[str] = []
        action = self._text(kw.get("action"), scope, notes, "action") or "store"
        if action in _IGNORED_ACTIONS:
            return
        dest_given = self._text(kw.get("dest"), scope, notes, "dest")
        name = dest_given or _dest_of(flags)
        if not name:
            self.notes.append(f"line {line}: add_argument without a name; not read")
            return
        nargs = _value_or_text(kw["nargs"], scope.env)[0] if "nargs" in kw else None
        type_name, converter = self._type(kw.get("type"), scope, notes)
        default_known, default = True, None
        if "default" in kw:
            default, default_known, _ = _value_or_text(kw["default"], scope.env)
            if not default_known:
                notes.append(f"default computed at run time: {default}")
                default = None
        if action in ("store_true", "store_false"):
            type_name = "bool"
            if "default" not in kw:
                default = action == "store_false"
        elif action == "BooleanOptionalAction" or action.endswith(".BooleanOptionalAction"):
            type_name = "bool"
        elif action == "count":
            type_name = "int"
        elif action in ("append", "extend", "append_const"):
            type_name = "list"
        elif action in ("store_const",):
            notes.append("store_const: the value stored is the constant, not a typed input")
        elif action != "store":
            notes.append(f"custom action {action}: what it stores is only known at run time")
        if "type" not in kw and action == "store" and default_known and default is not None:
            type_name = _python_type(default) or type_name
        if default_known and isinstance(default, str) and action == "store" and "type" in kw:
            default, default_known = self._convert_default(default, type_name, converter, notes)
        if nargs not in (None, "?", 1) and action == "store":
            type_name = "list"
        choices: tuple[Any, ...] = ()
        if "choices" in kw:
            value, known, _ = _value_or_text(kw["choices"], scope.env)
            if known and isinstance(value, (list, tuple, set, dict, str)):
                choices = tuple(value)
            else:
                notes.append(f"choices computed at run time: {value}")
        required = False
        if "required" in kw:
            value, known, _ = _value_or_text(kw["required"], scope.env)
            required = bool(value) if known else False
            if not known:
                notes.append(f"whether it is required is computed at run time: {value}")
        help_text = ""
        if "help" in kw:
            value, known, _ = _value_or_text(kw["help"], scope.env)
            help_text = _fill_help(str(value), name, default if default_known else "?", type_name, choices) \
                if known else f"(help computed at run time: {value})"
        arg = ReadArg(name=name, flags=flags, type=type_name, default=default, default_known=default_known,
                      choices=choices, action=action, nargs=nargs, required=required, help=help_text,
                      line=line, condition=scope.condition, notes=tuple(notes))
        self.register(arg)

    def register(self, arg: ReadArg) -> None:
        old = self.args.get(arg.name)
        if old is None:
            self.args[arg.name] = arg
            return
        if (old.default, old.default_known, old.type) == (arg.default, arg.default_known, arg.type):
            return
        if old.condition or arg.condition:  # exclusive branches: which one runs is a run-time question
            note = (f"added at lines {old.line} and {arg.line} with different definitions "
                    f"({old.type} {old.default!r} / {arg.type} {arg.default!r}); which applies depends on run time")
            self.args[arg.name] = _replace(old, default=None, default_known=False, notes=old.notes + (note,))
        else:
            self.notes.append(f"line {arg.line}: {arg.name} is added a second time (argparse refuses this "
                              f"at run time); the first, at line {old.line}, is kept")

    def _text(self, node: ast.expr | None, scope: _Scope, notes: list[str], what: str) -> str | None:
        if node is None:
            return None
        if isinstance(node, ast.Attribute) or (isinstance(node, ast.Name) and node.id not in scope.env):
            # argparse.BooleanOptionalAction, an Action class
            return ast.unparse(node)
        value, known, text = _value_or_text(node, scope.env)
        if not known:
            notes.append(f"{what} computed at run time: {text}")
            return text
        return str(value)

    def _type(self, node: ast.expr | None, scope: _Scope, notes: list[str]) -> tuple[str, str | None]:
        """(our type name, the converter's name when it is not a builtin)."""
        if node is None:
            return "str", None
        if isinstance(node, ast.Name) and node.id in _SCALAR_TYPES:
            if node.id == "bool":
                notes.append("type=bool: on the command line any non-empty text is True")
            return _SCALAR_TYPES[node.id], None
        func = self.funcs.get(node.id) if isinstance(node, ast.Name) else node if isinstance(node, ast.Lambda) else None
        if func is not None:
            exprs = [func.body] if isinstance(func, ast.Lambda) else _returns(func.body)
            kind = _converter_kind(exprs)
            label = "a lambda" if isinstance(node, ast.Lambda) else node.id
            if kind:
                return kind, label
            notes.append(f"type converter {label} returns something only known at run time; read as text")
            return "str", label
        notes.append(f"type converter {_short(node)} is not known; read as text")
        return "str", _short(node)

    def _convert_default(self, default: str, type_name: str, converter: str | None,
                         notes: list[str]) -> tuple[Any, bool]:
        """argparse passes a string default through `type` (argparse.py _get_values)."""
        try:
            if converter is None:
                return {"int": int, "float": float, "bool": bool, "str": str}[type_name](default), True
            if type_name == "bool" and default.strip().lower() in _TRUE_WORDS + _FALSE_WORDS:
                return default.strip().lower() in _TRUE_WORDS, True
            if type_name in ("int", "float"):
                return {"int": int, "float": float}[type_name](default), True
        except (ValueError, KeyError):
            notes.append(f"default {default!r} fails the type conversion at run time")
            return None, False
        if converter is not None and type_name != "str":
            notes.append(f"default {default!r} passes through {converter} at run time")
            return None, False
        return default, True


_MISSING = object()


def _replace(arg: ReadArg, **changes: Any) -> ReadArg:
    from dataclasses import replace

    return replace(arg, **changes)


def _join(outer: str, inner: str) -> str:
    return f"{outer} and {inner}" if outer else inner


def _dest_of(flags: tuple[str, ...]) -> str:
    """argparse's dest: the first long option, else the first short one, else the positional name."""
    longs = [f for f in flags if f.startswith("--")]
    chosen = longs[0] if longs else (flags[0] if flags else "")
    return chosen.lstrip("-").replace("-", "_")


def _python_type(value: Any) -> str | None:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "str"
    if isinstance(value, (list, tuple)):
        return "list"
    return None


def _value_or_text(node: ast.expr, env: dict[str, Any]) -> tuple[Any, bool, str]:
    """(value, True, text) when known statically, else (source text, False, reason)."""
    try:
        return evaluate(node, env), True, ""
    except _Unknown as exc:
        return _short(node), False, str(exc)


def _assigned_names(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Assign):
        return [n for t in node.targets for n in (_target_names(t) or ())]
    if isinstance(node, (ast.AnnAssign, ast.AugAssign)) and isinstance(node.target, ast.Name):
        return [node.target.id]
    return []


def _target_names(target: ast.expr) -> tuple[str, ...] | None:
    if isinstance(target, ast.Name):
        return (target.id,)
    if isinstance(target, (ast.Tuple, ast.List)) and all(isinstance(e, ast.Name) for e in target.elts):
        return tuple(e.id for e in target.elts)
    return None


def _bind(targets: tuple[str, ...], item: Any) -> dict[str, Any]:
    if len(targets) == 1:
        return {targets[0]: item}
    if not isinstance(item, (tuple, list)) or len(item) != len(targets):
        raise _Unknown("loop unpacking")
    return dict(zip(targets, item))


_HELP_KEY = re.compile(r"%\((\w+)\)([-#0 +]*\d*(?:\.\d+)?[sdrifgeExX])")


def _fill_help(text: str, dest: str, default: Any, type_name: str, choices: tuple[Any, ...]) -> str:
    """argparse's help expansion for the keys it provides (`%(default)s`, `%(type)s`, ...); `%%` -> `%`."""
    params = {"default": default, "dest": dest, "type": type_name,
              "choices": ", ".join(map(str, choices)) if choices else None}

    def one(match: re.Match) -> str:
        key, spec = match.group(1), match.group(2)
        if key not in params or params[key] is None and key != "default":
            return match.group(0)
        try:
            return ("%" + spec) % (params[key],)
        except (TypeError, ValueError):
            return str(params[key])

    return _HELP_KEY.sub(one, text).replace("%%", "%")
