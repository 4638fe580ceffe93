"""compile_graph(graph, context): the pure, deterministic step from a graph to the exact config and command.

No I/O and no GUI. What a node shows is what is written: every value comes from
`field_values.effective_value`, which the editor uses too. Nodes not connected to the Script Loader
contribute nothing.
"""
from __future__ import annotations

import dataclasses
import functools
import json
import os
import shlex
from dataclasses import dataclass, field
from typing import Any

from dpg_lora.compile_context import EMPTY_CONTEXT, CompileContext
from dpg_lora.field_values import effective_value, emit, is_empty, node_defaults, sole_key
from dpg_lora.graph import Graph, Node
from dpg_lora.i18n import Catalogue
from dpg_lora.script_fields import field_applies, removed_from_script
from dpg_lora.script_fields import fields_of as spec_fields
from dpg_lora.scripts import DEFAULT_SCRIPT, SCRIPTS, profile
from dpg_lora.specs import REGISTRY, feeder_type, list_key_kinds, root_type
from dpg_lora.specs.types import KEY, FieldSpec, NodeSpec, PinSpec
from dpg_lora.validation.messages import Params, Problem

ERROR, WARNING, INFO = "error", "warning", "info"


@dataclass(frozen=True)
class Diagnostic(Problem):
    """A problem pinned to a node and field; its text is the catalogue's `key` filled with `params`."""
    code: str
    severity: str
    node_id: str | None
    field: str | None
    key: str  # problem.* catalogue key
    params: Params = ()  # (name, str|int|float) pairs: a dict given here is frozen in order

    def line(self, catalogue: Catalogue | None = None) -> str:
        """`severity CODE node.field: text` (the CLI's line; English unless `catalogue` is given)."""
        place = ".".join(p for p in (self.node_id, self.field) if p) or "graph"
        text = self.message if catalogue is None else self.text(catalogue)
        return f"{self.severity} {self.code} {place}: {text}"


@dataclass
class CompileResult:
    config: dict[str, Any]
    argv: list[str]
    command: str
    cwd: str
    config_path: str
    script: str
    diagnostics: list[Diagnostic]
    # JSON path in the config -> (node id, field name or None) that wrote it
    origins: dict[tuple, tuple[str, str | None]] = field(default_factory=dict)
    # node id -> the Dataset Config it feeds; dataset id -> {key kind: [keys in order]}
    dataset_of: dict[str, str] = field(default_factory=dict)
    dataset_keys: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    hosts: list[str] = field(default_factory=list)  # where it runs (Script Loader host); [] = here
    # (node id, field) -> the key an unset KEY field names because its dataset has exactly one of that kind
    sole_keys: dict[tuple[str, str], str] = field(default_factory=dict)
    # config paths written with a value nobody set: the script's default, or a dataset's only key
    defaulted: set[tuple] = field(default_factory=set)

    @property
    def command_posix(self) -> str:
        return shlex.join(self.argv)

    @property
    def command_windows(self) -> str:
        return windows_command(self.argv)

    def config_file(self, base: str | os.PathLike = ".") -> str:
        """Where the config is written: `config_path` against the trainer directory, against `base`."""
        return os.path.join(base, self.cwd, self.config_path)

    @functools.cached_property
    def config_text(self) -> str:
        """The exact text written to the config file (rendered on first use: indenting JSON is
        pure-Python work that callers showing only diagnostics should not pay for)."""
        return json.dumps(self.config, indent=2, ensure_ascii=False, allow_nan=False) + "\n"

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == ERROR]

    def locate(self, path: tuple) -> tuple[str | None, str | None]:
        """The node and field behind a config path."""
        return locate(self.origins, path)


def locate(origins: dict[tuple, tuple[str, str | None]], path: tuple) -> tuple[str | None, str | None]:
    """The nearest recorded owner of `path` (the longest prefix that a node wrote)."""
    for n in range(len(path), 0, -1):
        hit = origins.get(tuple(path[:n]))
        if hit:
            return hit
    return None, None


# The required key choices (a reference group is always optional).
CHOOSE_KEY = {"image": "problem.choose_image_key", "target": "problem.choose_target_key",
              "caption": "problem.choose_caption_key"}


def required_text(spec: NodeSpec, fld: FieldSpec) -> tuple[str, dict[str, str]]:
    """What an empty required field needs, in plain words: a key choice names the keys to pick
    from, an item's own key asks for a name, any other field to be filled in."""
    if fld.kind == KEY and fld.key_kind in CHOOSE_KEY:
        return CHOOSE_KEY[fld.key_kind], {"label": fld.label}
    if fld.is_key:
        return "problem.name_this_item", {"label": fld.label, "node": spec.title}
    return "problem.field_required", {"label": fld.label}


# Problems that say what is wrong with a field's value as a whole, first first: it is empty (a
# field, or an input with nothing linked), or outside the field's bounds. Whatever else is said
# about that same field is the consequence (the written "" is no image key, -5 epochs train
# nothing, ...), so it is not listed again.
COVERING_CODES = ("FIELD_REQUIRED", "INPUT_REQUIRED", "OUT_OF_BOUNDS")
# A config finding at a path -> the compiler's codes that already say it about the graph.
SAID_BY_COMPILER = {("O1_NEW_LAYOUT", ("dataset_configs",)): ("OLD_SCHEMA_UNSUPPORTED",),
                    ("OTHER_SCHEMA_KEY", ("dataset_configs",)): ("OLD_SCHEMA_UNSUPPORTED", "DATASETS_NOT_READ")}


def merge_problems(diagnostics: list[Diagnostic], whole_of: dict[str, str] | None = None) -> list[Diagnostic]:
    """Each problem once: exact repeats dropped, and on a node field with a covering problem
    (COVERING_CODES) only that one kept, at the most severe severity of those it stands for.
    `whole_of` names, for a node, the field a problem about the whole node is about (an empty
    list's items input: "batch_configs is empty" says what "nothing linked into Batches" says)."""
    order = {ERROR: 0, WARNING: 1, INFO: 2}
    whole_of = whole_of or {}
    empty: dict[tuple, Diagnostic] = {}
    for code in COVERING_CODES:
        for d in diagnostics:
            if d.code == code and d.node_id and d.field:
                empty.setdefault((d.node_id, d.field), d)
    seen: set[Diagnostic] = set()
    out: list[Diagnostic] = []
    for d in diagnostics:
        place = (d.node_id, d.field or (whole_of.get(d.node_id) if d.node_id else None))
        cover = empty.get(place)
        if cover is not None and d is not cover:
            if order.get(d.severity, 3) < order.get(cover.severity, 3):
                merged = dataclasses.replace(cover, severity=d.severity)
                out = [merged if x is cover else x for x in out]
                empty[place] = merged
            continue
        if d in seen:
            continue
        seen.add(d)
        out.append(d)
    return out


class _Compiler:
    def __init__(self, graph: Graph, context: CompileContext):
        self.graph = graph
        self.context = context
        self.nodes: dict[str, Node] = {n.id: n for n in graph.nodes}
        self.specs: dict[str, NodeSpec] = {n.id: REGISTRY[n.type] for n in graph.nodes}
        self.diagnostics: list[Diagnostic] = []
        self.origins: dict[tuple, tuple[str, str | None]] = {}
        self.dataset_of: dict[str, str] = {}
        self.dataset_keys: dict[str, dict[str, list[str]]] = {}
        self.sole_keys: dict[tuple[str, str], str] = {}
        self.defaulted: set[tuple] = set()
        self.incoming: dict[tuple[str, str], list[str]] = {}
        self.script = DEFAULT_SCRIPT
        self.hosts: list[str] = []
        self._index_links()
        self.key_kinds = list_key_kinds()
        self.feeders: dict[str, NodeSpec] = {}
        self.whole_of: dict[str, str] = {}  # list node with nothing linked -> its items input

    def diag(self, code, severity, node_id, fld, key, params=()):
        self.diagnostics.append(Diagnostic(code, severity, node_id, fld, key, params))

    def _index_links(self) -> None:
        for link in self.graph.links:
            src, dst = self.specs.get(link.src), self.specs.get(link.dst)
            if src is None or dst is None:
                continue
            pin = next((p for p in dst.inputs if p.name == link.dst_pin), None)
            if pin is None:
                continue
            if src.output != pin.type:
                self.diag("LINK_TYPE_MISMATCH", ERROR, link.dst, link.dst_pin, "problem.link_type_mismatch",
                          {"source": src.title, "source_id": repr(link.src), "output": src.output,
                           "node": dst.title, "input": pin.label, "type": pin.type})
                continue
            self.incoming.setdefault((link.dst, link.dst_pin), []).append(link.src)

    def inputs(self, node_id: str, pin_name: str) -> list[str]:
        linked = self.incoming.get((node_id, pin_name), [])
        pin = self.specs[node_id].input(pin_name)
        if not pin.multi and len(linked) > 1:
            self.diag("MULTIPLE_LINKS", WARNING, node_id, pin_name, "problem.multiple_links",
                      {"input": pin.label, "used": repr(linked[0])})
            return linked[:1]
        return linked

    def value(self, node_id: str, fld: FieldSpec) -> Any:
        values = self.nodes[node_id].values
        value = effective_value(fld, values, self.script, self.context)
        if fld.kind == KEY and is_empty(value):
            scope = self.dataset_of.get(node_id)
            keys = self.dataset_keys.get(scope, {}).get(fld.key_kind or "", []) if scope is not None else []
            sole = sole_key(fld, values, keys)
            if sole is not None:
                self.sole_keys[(node_id, fld.name)] = sole
                return sole
        return value

    def check_required(self, node_id: str) -> None:
        spec, values = self.specs[node_id], self.nodes[node_id].values
        defaults = node_defaults(spec.type, self.script, self.context)
        for pin in spec.inputs:
            if pin.required and not self.incoming.get((node_id, pin.name)):
                self.diag("INPUT_REQUIRED", ERROR, node_id, pin.name, "problem.input_required",
                          {"node": spec.title, "input": pin.label})
        for fld in spec.fields:
            if (fld.required and field_applies(fld, self.script, self.context) and fld.is_active(values, defaults)
                    and is_empty(self.value(node_id, fld))):
                self.diag("FIELD_REQUIRED", ERROR, node_id, fld.name, *required_text(spec, fld))

    # ------------------------------------------------------------ node values
    def node_value(self, node_id: str, path: tuple, scope: str | None, into: Any = None) -> Any:
        """What a node writes at `path`: a collecting node folds its items (into `into` when given),
        any other its fields' paths and its `writes` inputs. `scope` is the dataset it feeds."""
        spec = self.specs[node_id]
        self.reach(node_id)
        if scope is not None:
            self.dataset_of[node_id] = scope
        self.check_required(node_id)
        if path:
            self.origins[path] = (node_id, None)
        if spec.collect:
            if not self.incoming.get((node_id, spec.items_pin.name)):  # what is said of it, says its pin is empty
                self.whole_of[node_id] = spec.items_pin.name
            return self.fold(node_id, path, scope, into)
        obj = self.fields_of(node_id, path)
        if spec.key_scope:
            scope = node_id
            self.dataset_keys[node_id] = {}
        for pin in spec.inputs:
            if pin.writes and (pin.required or self.incoming.get((node_id, pin.name))):
                if not self.incoming.get((node_id, pin.name)):  # an empty required input: its pin
                    self.origins[path + (pin.writes,)] = (node_id, pin.name)
                obj[pin.writes] = self.pin_value(node_id, pin, path + (pin.writes,), scope)
        if spec.key_order:
            first = [k for k in spec.key_order if k in obj]
            obj = {**{k: obj[k] for k in first}, **{k: v for k, v in obj.items() if k not in first}}
        return obj

    def fields_of(self, node_id: str, path: tuple) -> dict[str, Any]:
        """The node's written fields, each at its path (nested paths make nested objects)."""
        spec, values = self.specs[node_id], self.nodes[node_id].values
        defaults = node_defaults(spec.type, self.script, self.context)
        obj: dict[str, Any] = {}
        fields = spec_fields(spec, self.context)  # declared, then the trainer folder's new arguments
        if spec.new_args:
            self.check_kept_arguments(node_id, fields)
        for fld in fields:
            if fld.is_key or not fld.path:
                continue
            if not field_applies(fld, self.script, self.context):
                if fld.name in values and removed_from_script(fld, self.script, self.context):
                    self.diag("ARG_NOT_IN_SCRIPT", WARNING, node_id, fld.name, "problem.arg_removed",
                              {"path": self.context.profiles.source(self.script).path, "arg": fld.arg or fld.name})
                continue
            if not fld.is_active(values, defaults):
                continue
            value = self.value(node_id, fld)
            if fld.inherits and is_empty(value):
                value = self.top.get(fld.inherits, self.context.profiles.default(fld.inherits, self.script))
            elif fld.optional and is_empty(value):
                continue
            cursor = obj
            for depth, part in enumerate(fld.path[:-1]):
                cursor = cursor.setdefault(part, {})
                self.origins.setdefault(path + fld.path[: depth + 1], (node_id, None))
            cursor[fld.path[-1]] = emit(fld, value)
            self.origins[path + fld.path] = (node_id, fld.name)
            if is_empty(values.get(fld.name)):
                self.defaulted.add(path + fld.path)
        return obj

    def check_kept_arguments(self, node_id: str, fields: tuple[FieldSpec, ...]) -> None:
        """Values kept for arguments of a trainer folder's script that the chosen script lacks."""
        names = {f.name for f in fields}
        for name in self.nodes[node_id].values.keys() - names:
            self.diag("ARG_NOT_IN_SCRIPT", WARNING, node_id, name, "problem.arg_not_in_script",
                      {"script": self.script, "source": self.context.profiles.source(self.script).describe(),
                       "arg": name, **self.context.profiles.source(self.script).parts()})

    def pin_value(self, node_id: str, pin: PinSpec, path: tuple, scope: str | None) -> Any:
        """What the nodes linked into `pin` write under its key."""
        feeder = self.feeders.get(pin.type)
        if feeder is None:  # registry queries once per compile, not once per node
            feeder = self.feeders[pin.type] = REGISTRY[feeder_type(pin)]
        into: Any = [] if feeder.collect == "list" else {}
        if pin.key_kind and scope is not None:
            self.dataset_keys[scope].setdefault(pin.key_kind, [])
        for src in self.inputs(node_id, pin.name):
            value = self.node_value(src, path, scope, into if feeder.collect else None)
            if not feeder.collect:
                into = value
        return into

    def fold(self, node_id: str, path: tuple, scope: str | None, into: Any) -> Any:
        """A list's (or Ref Group's) items by its `collect`: {key: item}, {key: [item, ...]} or [item, ...]."""
        spec = self.specs[node_id]
        kind = spec.collect
        result: Any = into if into is not None else ([] if kind == "list" else {})
        key_kind = self.key_kinds.get(spec.type)
        keys = self.dataset_keys[scope].setdefault(key_kind, []) if key_kind and scope is not None else []
        for item_id in self.inputs(node_id, spec.items_pin.name):
            if kind == "list":
                result.append(self.node_value(item_id, path + (len(result),), scope))
                continue
            self.reach(item_id)
            if scope is not None:
                self.dataset_of[item_id] = scope
            key_field = self.specs[item_id].key_field
            key = self.value(item_id, key_field) if key_field is not None else None
            if key is None or is_empty(key):
                self.check_required(item_id)
                continue
            if kind == "map_append":
                entries = result.setdefault(key, [])
                entries.append(self.node_value(item_id, path + (key, len(entries)), scope))
                self.origins.setdefault(path + (key,), (item_id, "key"))
                if key not in keys:
                    keys.append(key)
                continue
            if key in result:
                self.diag("DUPLICATE_KEY", ERROR, item_id, "key", "problem.duplicate_key",
                          {"key": repr(key), "owner": repr(self.origins[path + (key,)][0])})
                self.check_required(item_id)
                continue
            result[key] = self.node_value(item_id, path + (key,), scope)
            keys.append(key)
        return result

    def reach(self, node_id: str) -> None:
        self.reached.add(node_id)

    def merge_into(self, config: dict[str, Any], node_id: str) -> None:
        """A top-level settings node's fields, or an Extra Settings node's keys as they are."""
        if not self.specs[node_id].freeform:
            config.update(self.node_value(node_id, (), None))
            return
        self.reach(node_id)
        for key, value in self.nodes[node_id].values.items():
            if key in config:
                owner, owner_field = self.origins[(key,)]
                if owner_field in self.nodes[owner].values:  # both set on purpose: say so
                    self.diag("EXTRA_OVERRIDES", WARNING, node_id, key, "problem.extra_overrides",
                              {"key": repr(key), "owner": repr(owner)})
                else:  # e.g. an import kept an exact JSON type the typed field cannot hold
                    self.diag("EXTRA_OVERRIDES", INFO, node_id, key, "problem.extra_replaces_default",
                              {"key": repr(key), "value": json.dumps(value), "owner": repr(owner)})
            config[key] = value
            self.origins[(key,)] = (node_id, key)

    def check_script(self, root: str, script: str) -> None:
        """The chosen script: known (built-in or read from the trainer folder), and where from."""
        profiles = self.context.profiles
        if not profiles.knows(script):
            self.diag("UNKNOWN_SCRIPT", ERROR, root, "script", "problem.unknown_script",
                      {"script": repr(script), "scripts": ", ".join(profiles.order)})
        elif script not in SCRIPTS:
            self.diag("SCRIPT_READ_FROM_FOLDER", INFO, root, "script", "problem.script_read_from_folder",
                      {"script": script, "source": profiles.source(script).describe(),
                       "unknown": "; ".join(profiles.unknown_rules.get(script, ())), **profiles.source(script).parts()})
        source = profiles.source(script)
        if profiles.folder and source.kind == "built-in" and source.note and script in SCRIPTS:
            self.diag("SCRIPT_NOT_READ", WARNING, root, "trainer_dir", "problem.script_not_read",
                      {"reason": source.note, "script": script})

    # ------------------------------------------------------------ whole graph
    def run(self) -> CompileResult:
        self.reached: set[str] = set()
        loaders = [n.id for n in self.graph.nodes if n.type == root_type()]
        config: dict[str, Any] = {}
        self.top = config
        argv: list[str] = []
        cwd, config_path = ".", "config.json"
        if not loaders:
            self.diag("NO_SCRIPT_LOADER", ERROR, None, None, "problem.no_script_loader")
        else:
            root = loaders[0]
            for extra in loaders[1:]:
                self.diag("EXTRA_SCRIPT_LOADER", WARNING, extra, None, "problem.extra_script_loader",
                          {"used": repr(root)})
            self.reach(root)
            script = self.nodes[root].values.get("script", DEFAULT_SCRIPT)
            self.check_script(root, script)
            self.script = script
            self.check_required(root)
            root_spec = self.specs[root]
            for pin in root_spec.inputs:  # the top-level arguments first, in pin order
                if pin.merge:
                    for src in self.inputs(root, pin.name):
                        self.merge_into(config, src)
            if self.context.profiles.profile(self.script).schema != "new" and self.script not in SCRIPTS \
                    and self.context.profiles.knows(self.script):
                self.diag("DATASETS_NOT_READ", WARNING, root, "datasets", "problem.datasets_not_read",
                          {"script": self.script})
            if profile(self.script).schema == "old" and self.script in SCRIPTS:
                self.diag("OLD_SCHEMA_UNSUPPORTED", ERROR, root, "script", "problem.old_schema_unsupported",
                          {"script": self.script})
            for pin in root_spec.inputs:  # then the structured keys (dataset_configs)
                if pin.writes and (pin.required or self.incoming.get((root, pin.name))):
                    if not self.incoming.get((root, pin.name)):
                        self.origins[(pin.writes,)] = (root, pin.name)
                    config[pin.writes] = self.pin_value(root, pin, (pin.writes,), None)
            argv, cwd, config_path = self.command(root)
        for node in self.graph.nodes:
            if node.id not in self.reached:
                self.diag("UNCONNECTED_NODE", INFO, node.id, None, "problem.unconnected_node",
                          {"node": self.specs[node.id].title})
        self.validate(config)
        return CompileResult(
            config=config, argv=argv, command=shell_command(argv),
            cwd=cwd, config_path=config_path, script=self.script,
            diagnostics=merge_problems(self.diagnostics, self.whole_of),
            hosts=self.hosts, sole_keys=self.sole_keys, defaulted=self.defaulted,
            origins=self.origins, dataset_of=self.dataset_of, dataset_keys=self.dataset_keys)

    def command(self, root: str) -> tuple[list[str], str, str]:
        spec = self.specs[root]
        v = {f.name: self.value(root, f) for f in spec.fields}
        python = v["python"] or "python"
        tail = [v["script"], "--config_path", v["config_path"]]
        if v["launcher"] == "accelerate":
            argv = [python, "-m", "accelerate.commands.launch", "--num_processes", str(v["num_processes"])]
            if v["multi_gpu"]:
                argv.append("--multi_gpu")
            if int(v["num_machines"]) > 1:
                argv += ["--num_machines", str(v["num_machines"]), "--machine_rank", str(v["machine_rank"]),
                         "--main_process_ip", v["main_process_ip"], "--main_process_port",
                         str(v["main_process_port"])]
            argv += tail
        else:
            argv = [python] + tail
        self.hosts = self.check_hosts(root, v.get("host") or "")
        return argv, v["trainer_dir"] or ".", v["config_path"]

    def check_hosts(self, root: str, text: str) -> list[str]:
        if not text.strip():
            return []  # runs here (and the ssh module, with subprocess, stays unimported)
        from dpg_lora.remote.ssh import SshError, parse_destination, split_hosts

        hosts = split_hosts(text)
        for host in hosts:
            try:
                parse_destination(host)
            except SshError as exc:
                self.diag("BAD_HOST", ERROR, root, "host", "problem.bad_host", {"reason": str(exc)})
        if hosts:
            values = self.nodes[root].values
            for name, setting in (("trainer_dir", "DPG_LORA_TRAINER_DIR"), ("python", "DPG_LORA_PYTHON")):
                local = self.context.machine_default(name)
                if local and name not in values:
                    self.diag("HOST_USES_LOCAL_DEFAULT", WARNING, root, name, "problem.host_uses_local_default",
                              {"value": repr(local), "setting": setting, "host": hosts[0]})
        return hosts

    def runs_elsewhere(self) -> bool:
        """The Script Loader names another machine: this one's logins say nothing about it."""
        loaders = [n for n in self.graph.nodes if n.type == "script_loader"]
        return bool(loaders and str(loaders[0].values.get("host") or "").strip())

    def validate(self, config: dict[str, Any]) -> None:
        from dpg_lora.validation import validate_config
        from dpg_lora.validation.rules_bounds import bounds_text

        # fields that steer the command but are not in the config (the rules see only the config)
        written = set(self.origins.values())
        for node_id in (n.id for n in self.graph.nodes if n.id in self.reached):
            for fld in self.specs[node_id].fields:
                value = self.nodes[node_id].values.get(fld.name)
                if value is not None and (node_id, fld.name) not in written and fld.applies_to(self.script):
                    problem = bounds_text(fld, value)
                    if problem:
                        self.diag("OUT_OF_BOUNDS", ERROR, node_id, fld.name, *problem)
        if "dataset_configs" not in config:
            return
        said = {d.code for d in self.diagnostics}
        if "UNKNOWN_SCRIPT" in said:
            return  # no field applies to a script nobody knows: the rules would judge an empty config
        findings = [f for f in validate_config(config, self.script, self.context.profiles)
                    if not said.intersection(SAID_BY_COMPILER.get((f.code, f.path), ()))]
        if self.context.wandb_login is not None and not self.runs_elsewhere():
            from dpg_lora.validation.environment import environment_findings

            findings += environment_findings(config, self.context.wandb_login)
        for finding in findings:
            owner, owner_field = locate(self.origins, finding.path)
            self.diag(finding.code, finding.severity, owner, owner_field, finding.key, finding.params)


def windows_command(argv: list[str]) -> str:
    """`argv` quoted by the rules Windows programs parse their command line with."""
    import subprocess  # its import (signals, selectors, locale) is 5 ms of every start otherwise

    return subprocess.list2cmdline(argv)


def shell_command(argv: list[str]) -> str:
    """One copyable line, quoted for this machine's shell (cmd.exe rules on Windows)."""
    return windows_command(argv) if os.name == "nt" else shlex.join(argv)


def compile_graph(graph: Graph, context: CompileContext = EMPTY_CONTEXT) -> CompileResult:
    """Config dict, command and diagnostics for `graph` on the machine `context` describes.
    Pure and deterministic: the same graph and context give the same result."""
    return _Compiler(graph, context).run()
