"""The original React editor's workflow file ({nodes, edges, timestamp, version}) -> graph + notes.

Node ids, slot order and edge order are kept. The original's edges go parent -> child (Script
Loader -> lists -> items) and its flow reads left to right from the Script Loader; our links go
child -> parent (items -> lists -> Script Loader) and read left to right towards the Script
Loader, so x is mirrored. Where the original would have produced a different config (hidden
defaults, ignored edges, fields it never compiled), a note says so instead of a silent fix.
"""
from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from typing import Any

from dpg_lora.compiler import compile_graph
from dpg_lora.graph import Graph, Link, Node, new_node_id
from dpg_lora.layout import ROW_GAP, node_height
from dpg_lora.importers import workflow_maps as M
from dpg_lora.importers.fields import json_type, show
from dpg_lora.importers.items import fill_item, note_unwritten, set_value
from dpg_lora.importers.notes import NotAnObjectError, Notes
from dpg_lora.importers.refcheck import dangling_references
from dpg_lora.importers.workflow_report import report_differences
from dpg_lora.scripts import DEFAULT_SCRIPT, SCRIPTS
from dpg_lora.specs import REGISTRY, merged_pins, pin_fed_by, root_type, top_level_fields

DEFAULT_WIDTH = 265.0  # the original's usual node width, when a node has none


def is_workflow(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("nodes"), list) and isinstance(data.get("edges"), list)


class WorkflowImporter:
    def __init__(self, data: dict, script: str | None, name: str):
        self.data, self.explicit_script, self.notes = data, script, Notes()
        self.graph = Graph(name=name, description=_description(data))
        self.otype: dict[str, str] = {}  # id -> original type (supported nodes only)
        self.odata: dict[str, dict] = {}
        self.order: list[str] = []
        self.boxes: dict[str, tuple[float, float, float]] = {}  # id -> x, y, width
        self.unsupported: dict[str, str] = {}
        self.child_of: dict[tuple[str, str], tuple[float, str]] = {}  # (source, handle) -> (edge index, target)
        self.links: list[tuple[float, int, Link]] = []  # (edge index, slot rank, link)
        self.foreign: dict[str, list[tuple[str, Any, str]]] = defaultdict(list)
        self.visited: set[str] = set()
        self.top_linked: dict[str, str] = {}  # loader pin -> node id
        self.root: str | None = None
        self.slot_cache: dict[str, list[str]] = {}

    # ------------------------------------------------------------ reading
    def run(self) -> tuple[Graph, Notes]:
        extra_keys = [k for k in self.data if k not in ("nodes", "edges", "timestamp", "version")]
        if extra_keys:
            self.notes.info("EXTRA_WORKFLOW_KEYS", "", f"top-level keys {', '.join(extra_keys)} are not part "
                            "of a graph; not kept")
        self.read_nodes()
        self.read_edges()
        self.build_tree()
        self.place_foreign_values()
        self.finish()
        result = compile_graph(self.graph)
        report_differences(self, result)
        for where, message in dangling_references(result.config.get("dataset_configs")):
            self.notes.warning("DANGLING_REFERENCE", where, message)
        return self.graph, self.notes

    def read_nodes(self) -> None:
        nodes = self.data["nodes"]
        taken: set[str] = set()
        for i, raw in enumerate(nodes):
            if not isinstance(raw, dict):
                self.notes.error("BAD_NODE", f"nodes[{i}]", f"expected a node object, got {show(raw)}; dropped")
                continue
            node_id = raw.get("id")
            if not isinstance(node_id, str) or not node_id:
                self.notes.error("BAD_NODE", f"nodes[{i}]", f"node id {show(node_id)} is not a name; dropped")
                continue
            if node_id in taken:
                self.notes.error("DUPLICATE_NODE_ID", node_id, f"nodes[{i}] reuses this id; dropped (the "
                                 "original's edges cannot tell the two apart)")
                continue
            taken.add(node_id)
            otype = raw.get("type")
            if not isinstance(otype, str) or otype not in M.NODE_TYPES:
                self.unsupported[node_id] = str(otype)
                what = ("an old-schema node (no old-schema nodes yet)" if otype in M.OLD_SCHEMA_TYPES
                        else "a Config Template (its text was never parsed)" if otype == "configTemplateNode"
                        else f"an unknown node type {show(otype)}")
                self.notes.warning("UNSUPPORTED_NODE", node_id, f"{what} cannot be represented; dropped with "
                                   "its edges")
                continue
            data = raw.get("data")
            if not isinstance(data, dict):
                self.notes.error("BAD_NODE", node_id, f"data is {show(data)}, not an object; imported empty")
                data = {}
            self.otype[node_id], self.odata[node_id] = otype, data
            self.order.append(node_id)
            self.boxes[node_id] = _box(raw)
            node = Node(id=node_id, type=M.NODE_TYPES[otype], values=self.values_of(node_id, otype, data))
            self.graph.nodes.append(node)

    def slots(self, node_id: str) -> list[str]:
        if node_id not in self.slot_cache:
            self.slot_cache[node_id] = self.read_slots(node_id)
        return self.slot_cache[node_id]

    def read_slots(self, node_id: str) -> list[str]:
        default = M.SLOT_PARENTS[self.otype[node_id]][0]
        slots = self.odata[node_id].get("slots")
        if slots is None:
            self.notes.warning("NO_SLOTS", node_id, f"no data.slots: read as [{default!r}] (the original's "
                               "compiler took no items from such a list)")
            return [default]
        if not isinstance(slots, list) or not all(isinstance(s, str) for s in slots):
            self.notes.error("BAD_SLOTS", node_id, f"data.slots is {show(slots)}; read as [{default!r}]")
            return [default]
        return slots

    def read_edges(self) -> None:
        handles_of: dict[str, set[str]] = {}
        parents: dict[str, list[str]] = defaultdict(list)
        for i, edge in enumerate(self.data["edges"]):
            where: str = edge["id"] if isinstance(edge, dict) and isinstance(edge.get("id"), str) else f"edges[{i}]"
            if not isinstance(edge, dict):
                self.notes.error("BAD_EDGE", where, f"expected an edge object, got {show(edge)}; dropped")
                continue
            src, dst, handle = (v if isinstance(v, str) else "\0" + show(v) for v in  # never a node id
                                (edge.get("source"), edge.get("target"), edge.get("sourceHandle")))
            if src in self.unsupported or dst in self.unsupported:
                continue  # noted with the node
            missing = [end.lstrip("\0") for end in (src, dst) if end not in self.otype]
            if missing:
                self.notes.warning("DANGLING_EDGE", where, f"points at no node ({', '.join(missing)}); dropped")
                continue
            if edge.get("targetHandle") != "in":
                self.notes.warning("TARGET_HANDLE", where, f"targetHandle is {show(edge.get('targetHandle'))}, "
                                   "not \"in\"; the original ignored it, and so do we")
            if src not in handles_of:
                otype = self.otype[src]
                handles_of[src] = set(M.FIXED_HANDLES.get(otype, ())) | (
                    set(self.slots(src)) if otype in M.SLOT_PARENTS else set())
            if handle not in handles_of[src]:
                self.notes.warning("ORPHAN_EDGE", where, f"leaves {src!r} from {handle.lstrip(chr(0))!r}, which "
                                   "that node does not have (a removed slot?); the original ignored it, and so do we")
                continue
            if (src, handle) in self.child_of:
                first = self.child_of[(src, handle)][1]
                self.notes.warning("FAN_OUT", where, f"{src!r}.{handle} already leads to {first!r}; the original "
                                   f"counted only that first edge, so {dst!r} is not linked here")
                continue
            self.child_of[(src, handle)] = (i, dst)
            parents[dst].append(src)
        for node_id, srcs in parents.items():
            if len(srcs) > 1:
                self.notes.warning("MULTIPLE_PARENTS", node_id, f"wired from {', '.join(map(repr, srcs))} (after "
                                   "a Clone); the original used it under each parent, and so do we")

    # ------------------------------------------------------------ values
    def values_of(self, node_id: str, otype: str, data: dict) -> dict[str, Any]:
        our = M.NODE_TYPES[otype]
        data = {k: v for k, v in data.items() if k not in M.UI_KEYS}
        if otype == "scriptNode":
            return self.script_values(node_id, data)
        if otype in M.ARG_NODE_TYPES:
            return self.arg_values(node_id, our, data)
        if otype == "datasetConfigNode":
            return self.dataset_values(node_id, data)
        spec = REGISTRY[our]
        values: dict[str, Any] = {}
        key_field = spec.key_field
        if key_field is not None:
            key = data.get("key")
            if isinstance(key, str) and key:
                values["key"] = key
            else:
                self.notes.warning("NO_KEY", node_id, f"{spec.title} has no key{'' if key is None else ' ' + show(key)}"
                                   "; the original skipped it, and so does the compiler until it has one")
        ignore = ("key",) + (("reference_list",) if data.get("reference_list", 0) is None else ())  # unticked
        if otype == "referenceEntryNode":
            ignore += self.ref_source_ignored(node_id, data)
        values.update(fill_item(our, data, node_id, self.notes, ignore))
        if otype == "imageConfigNode" and "suffix" not in data:
            self.notes.warning("ITEM_DROPPED_BY_ORIGINAL", node_id, "suffix never typed: the original dropped "
                               "this image item; we keep it with suffix \"\" (every image)")
        if otype == "targetConfigNode" and "image" not in data:
            self.notes.warning("UNSET_FIELD", node_id, "image never typed: the original wrote the entry without "
                               "it (AssertionError in the scripts); fill in an image key")
        if otype == "captionConfigNode" and "ext" not in data:
            self.notes.warning("UNSET_FIELD", node_id, "ext never typed: the original left it out (KeyError in "
                               "the scripts); we write the default \".txt\"")
        return values

    def ref_source_ignored(self, node_id: str, data: dict) -> tuple[str, ...]:
        sample_type = data.get("sample_type")
        if sample_type is None:
            self.notes.warning("MISSING_SAMPLE_TYPE", node_id, "sample_type never chosen: the original wrote only "
                               "{image} (the scripts default to from_same_name); we write from_same_name explicitly")
        if sample_type in (None, "from_same_name"):
            hidden = [k for k in ("suffix", "resize", "count", "from_image") if k in data]
            if hidden:
                self.notes.info("HIDDEN_FIELD_DROPPED", node_id, f"{', '.join(hidden)} (hidden for same-name "
                                "sources, never written by the original) dropped")
            return tuple(hidden)
        return ()

    def script_values(self, node_id: str, data: dict) -> dict[str, Any]:
        values: dict[str, Any] = {}
        name = data.get("scriptName")
        if self.explicit_script:
            values["script"] = self.explicit_script
            if isinstance(name, str) and name != self.explicit_script:
                self.notes.info("SCRIPT_OVERRIDDEN", node_id, f"the workflow names {name!r}; --script wins")
        elif isinstance(name, str) and name in SCRIPTS:
            values["script"] = name
        else:
            self.notes.warning("SCRIPT_ASSUMED", node_id, f"scriptName is {show(name)}: the original fell back to "
                               f"{M.FIRST_FRONTEND_SCRIPT} (old schema); we use {DEFAULT_SCRIPT}")
        path = data.get("configPath")
        if isinstance(path, str) and path:
            values["config_path"] = path
        elif path is not None:
            self.notes.warning("VALUE_DROPPED", node_id, f"configPath {show(path)} is not a path; using config.json")
        for key in data:
            if key not in ("scriptName", "configPath"):
                self.notes.warning("KEY_DROPPED", f"{node_id}.{key}", "not a Script Loader field; dropped")
        return values

    def arg_values(self, node_id: str, our: str, data: dict) -> dict[str, Any]:
        values: dict[str, Any] = {}
        changed: list[str] = []
        for key, value in data.items():
            where = f"{node_id}.{key}"
            arg = "resume_from_checkpoint" if key == "resume_from" else key
            owner = top_level_fields().get(arg)
            if owner is None:
                self.notes.warning("KEY_DROPPED", where, f"{show(value)}: no node field for {key!r}; dropped")
                continue
            if value is None and key not in M.NEVER_COMPILED:
                self.notes.warning("NULL_TRUNCATES", where, "a cleared number: the original wrote null here, "
                                   "which stops the trainer's config merge (every later key ignored); we use the "
                                   "default")
                continue
            owner_type, fld = owner
            if owner_type == our:
                set_value(values, fld, value, where, self.notes, changed)
            else:
                self.foreign[node_id].append((owner_type, value, key))
        if changed:
            self.notes.info("TYPE_CHANGED", node_id, f"whole numbers in float fields are written as floats "
                            f"({', '.join(changed)}); the scripts read both the same way")
        return values

    def dataset_values(self, node_id: str, data: dict) -> dict[str, Any]:
        spec = REGISTRY[M.NODE_TYPES["datasetConfigNode"]]
        by_key = {f.path[0]: f for f in spec.fields if len(f.path) == 1}  # its data keys are config keys
        values: dict[str, Any] = {}
        for key, value in data.items():
            where = f"{node_id}.{key}"
            if key in by_key:
                set_value(values, by_key[key], value, where, self.notes)
            elif key == "recreate_cache_label":
                self.notes.warning("KEY_DROPPED", where, f"{show(value)}: recreate_cache_label (no UI in the "
                                   "original, written when set) is read by no script; dropped")
            else:
                self.notes.warning("KEY_DROPPED", where, f"{show(value)}: not a dataset field; dropped")
        if values.get("repeats") == 0:
            self.notes.warning("REPEATS_ZERO", f"{node_id}.repeats", "the original turned 0 into 1; we keep 0, "
                               "which empties the dataset")
        if values.get("recreate_cache_reference") and not values.get("recreate_cache_caption"):
            self.notes.warning("RECREATE_FLAGS", node_id, "the original wrote recreate_cache_reference without "
                               "recreate_cache_caption (KeyError in the scripts); we write both flags")
        elif values.get("recreate_cache_caption") and not values.get("recreate_cache_reference"):
            self.notes.info("RECREATE_FLAGS", node_id, "recreate_cache_caption alone is ignored by the scripts "
                            "(they read it only when recreate_cache_reference is present)")
        return values

    # ------------------------------------------------------------ structure
    def link(self, child: str, parent: str, pin: str, edge_index: float, rank: int) -> None:
        self.links.append((edge_index, rank, Link(src=child, dst=parent, dst_pin=pin)))

    def first_of(self, otypes: tuple[str, ...], skip: frozenset[str] | set[str] = frozenset()) -> str | None:
        return next((n for n in self.order if self.otype[n] in otypes and n not in skip), None)

    def build_tree(self) -> None:
        self.build_from_root()
        for node_id in self.order:  # unconnected subtrees keep their wiring (they compile to nothing)
            self.visit(node_id)

    def build_from_root(self) -> None:
        roots = [n for n in self.order if self.otype[n] == "scriptNode"]
        if not roots:
            self.notes.error("NO_SCRIPT_LOADER", "", "no Script Loader: the original compiled an empty config. "
                             "A Script Loader was added; wire the nodes to it")
            node_id = new_node_id(self.graph, root_type())
            self.graph.nodes.append(Node(id=node_id, type=root_type()))
            self.boxes[node_id] = (0.0, 0.0, DEFAULT_WIDTH)
            return
        root = roots[0]
        self.root = root
        for other in roots[1:]:
            self.notes.warning("EXTRA_SCRIPT_LOADER", other, f"the original used only the first ({root!r})")
        self.visited.add(root)
        used: set[str] = set()
        for handle, wanted in zip(M.SCRIPT_ARG_HANDLES, M.ARG_NODE_TYPES):
            hit = self.child_of.get((root, handle))
            if hit is None:
                fallback = self.first_of((wanted,), used)
                if fallback is None:
                    continue
                self.notes.warning("FALLBACK_USED", fallback, f"nothing on the Script Loader's {handle}: the "
                                   "original merged the first node of this type anywhere in the file; linked")
                hit = (float("inf"), fallback)
            index, child = hit
            otype = self.otype[child]
            if otype not in M.ARG_NODE_TYPES:
                self.notes.warning("WRONG_CHILD_TYPE", child, f"a {otype} on the Script Loader's {handle}: the "
                                   "original copied its raw data into the config; not linked")
                continue
            if otype != wanted:
                self.notes.info("HANDLE_TYPE", child, f"wired to {handle} but merged as a {otype} (by type, as "
                                "the original did)")
            pin = M.loader_pin(otype)
            if pin in self.top_linked:
                self.notes.warning("DUPLICATE_MERGE", child, f"a second {otype} on the Script Loader: the original "
                                   f"merged both (later keys win); only {self.top_linked[pin]!r} is linked")
                continue
            used.add(child)
            self.top_linked[pin] = child
            self.visited.add(child)
            self.link(child, root, pin, index, 0)
        for _, our_type in merged_pins():
            if not REGISTRY[our_type].freeform:
                self.top_node(our_type)  # the original wrote its built-in values without these nodes
        self.dataset_branch(root)
        if (root, "old_out") in self.child_of:
            self.notes.warning("OLD_SCHEMA_BRANCH", root, "the old-schema branch (old_out) has no nodes here; "
                               "dropped")

    def dataset_branch(self, root: str) -> None:
        hit = self.child_of.get((root, "json_out"))
        if hit is None:
            fallback = self.first_of(("datasetListNode", "datasetConfigNode"))
            if fallback is None:
                self.notes.error("NO_DATASETS", root, "no Dataset List: the original wrote no dataset_configs")
                return
            self.notes.warning("FALLBACK_USED", fallback, "nothing on the Script Loader's json_out: the original "
                               "took this first dataset node anywhere in the file but only its own fields "
                               "(no images, captions, ...); linked here with everything wired to it")
            hit = (float("inf"), fallback)
        index, child = hit
        otype = self.otype[child]
        if otype == "datasetListNode":
            self.link(child, root, M.our_pin("scriptNode", otype), index, 0)
            self.visit(child)
        elif otype == "datasetConfigNode":
            list_type = M.NODE_TYPES["datasetListNode"]
            list_id = new_node_id(self.graph, list_type)
            self.graph.nodes.append(Node(id=list_id, type=list_type))
            x, y, w = self.boxes[child]
            self.boxes[list_id] = (x - DEFAULT_WIDTH - 60, y, DEFAULT_WIDTH)
            self.notes.info("DATASET_LIST_ADDED", child, f"wired straight to the Script Loader (one dataset); "
                            f"a Dataset List {list_id!r} now sits between them")
            self.link(list_id, root, M.our_pin("scriptNode", "datasetListNode"), index, 0)
            self.link(child, list_id, M.our_pin("datasetListNode", otype), index, 0)
            self.visit(child)
        else:
            self.notes.warning("WRONG_CHILD_TYPE", child, f"a {otype} on json_out; not linked")

    def visit(self, parent: str) -> None:
        if parent in self.visited:
            return
        self.visited.add(parent)
        otype = self.otype[parent]
        if otype in M.SLOT_PARENTS:
            _, child_type = M.SLOT_PARENTS[otype]
            if child_type is None:
                return
            wired = [(slot, child_type, M.our_pin(otype, child_type)) for slot in self.slots(parent)]
        elif otype == "datasetConfigNode":
            wired = [(handle, ct, M.our_pin(otype, ct)) for handle, ct in M.DATASET_HANDLES.items()]
        else:
            return
        for rank, (handle, child_type, pin) in enumerate(wired):
            hit = self.child_of.get((parent, handle))
            if hit is None:
                continue
            index, child = hit
            if self.otype[child] != child_type:
                self.notes.warning("WRONG_CHILD_TYPE", child, f"a {self.otype[child]} on {parent!r}.{handle}, "
                                   f"which expects a {child_type}; not linked")
                continue
            self.link(child, parent, pin, index, rank)
            self.visit(child)
        if otype == "referenceConfigNode" and not any((parent, s) in self.child_of for s in self.slots(parent)):
            self.notes.warning("EMPTY_GROUP", parent, "no Reference Source wired: the original skipped this "
                               "group; we write it as an empty list")

    def place_foreign_values(self) -> None:
        """Original Misc fields that live on another node here (freeze_* on LoRA, resume_from on Directory)."""
        linked = set(self.top_linked.values())
        for node_id, moves in self.foreign.items():
            for owner_type, value, key in moves:
                fld = top_level_fields()["resume_from_checkpoint" if key == "resume_from" else key][1]
                where = f"{node_id}.{key}"
                if node_id not in linked:
                    self.notes.info("VALUE_DROPPED", where, f"{show(value)}: lives on a {REGISTRY[owner_type].title} "
                                    "here, and this node is not connected; dropped")
                    continue
                target = self.top_node(owner_type)
                set_value(self.graph.node(target).values, fld, value, where, self.notes)

    def top_node(self, our_type: str) -> str:
        fed = pin_fed_by(root_type(), our_type)
        assert fed is not None, our_type
        pin, root = fed.name, self.root
        assert root is not None  # called only once the workflow's Script Loader is known
        if pin not in self.top_linked:
            node_id = new_node_id(self.graph, our_type)
            self.graph.nodes.append(Node(id=node_id, type=our_type))
            # stacked above everything, one column next to the Script Loader
            x, _, w = self.boxes[root]
            top = min(y for _, y, _ in self.boxes.values())
            self.boxes[node_id] = (x + w + 60, top - node_height(our_type) - ROW_GAP, DEFAULT_WIDTH)
            self.notes.info("NODE_ADDED", node_id, f"no {REGISTRY[our_type].title} in the workflow (the original "
                            "wrote its built-in values instead); one was added with the script's defaults")
            self.top_linked[pin] = node_id
            self.link(node_id, root, pin, float("inf"), 0)
        return self.top_linked[pin]

    # ------------------------------------------------------------ output
    def finish(self) -> None:
        for node in self.graph.nodes:
            note_unwritten(node.type, node.values, self.graph.script(), node.id, self.notes, note_empty=False)
        self.graph.links = _ordered_links(self.links)
        # Mirror x: the original's right edge becomes our left edge (see the module docstring).
        right = max((x + w for x, _, w in self.boxes.values()), default=0.0)
        for node in self.graph.nodes:
            x, y, w = self.boxes.get(node.id, (0.0, 0.0, DEFAULT_WIDTH))
            node.pos = (right - x - w, y)


def _ordered_links(links: list[tuple[float, int, Link]]) -> list[Link]:
    """Edge order overall, but slot order among the links into one input (the compiler's item order)."""
    by_edge = sorted(links, key=lambda t: t[0])
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for pos, (_, _, link) in enumerate(by_edge):
        groups[(link.dst, link.dst_pin)].append(pos)
    out: list[Link | None] = [None] * len(by_edge)
    for positions in groups.values():
        in_slot_order = sorted((by_edge[p] for p in positions), key=lambda t: t[1])
        for pos, (_, _, link) in zip(positions, in_slot_order):
            out[pos] = link
    return [link for link in out if link is not None]


def _box(raw: dict) -> tuple[float, float, float]:
    pos = raw.get("position")
    x: Any = pos.get("x") if isinstance(pos, dict) else None
    y: Any = pos.get("y") if isinstance(pos, dict) else None
    style: dict = raw["style"] if isinstance(raw.get("style"), dict) else {}
    width: Any = style.get("width", raw.get("width"))
    ok = lambda v: json_type(v) in ("integer", "number") and v == v and abs(v) < 1e9  # noqa: E731
    return (float(x) if ok(x) else 0.0, float(y) if ok(y) else 0.0,
            float(width) if ok(width) and width > 0 else DEFAULT_WIDTH)


def _description(data: dict) -> str:
    stamp: Any = data.get("timestamp")
    if json_type(stamp) in ("integer", "number") and 0 < stamp < 1e14:
        seconds = stamp / 1000 if stamp > 1e12 else stamp  # the browser wrote ms, the API float seconds
        try:
            when = _dt.datetime.fromtimestamp(seconds, _dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
            return f"Imported from an original T2ITrainer editor workflow saved {when}"
        except (OverflowError, OSError, ValueError):
            pass
    return "Imported from an original T2ITrainer editor workflow"


def import_workflow(data: Any, script: str | None = None, name: str = "") -> tuple[Graph, Notes]:
    """Graph and notes for a parsed workflow; raises NotAnObjectError for anything but a workflow object."""
    if not is_workflow(data):
        raise NotAnObjectError("a workflow is a JSON object with \"nodes\" and \"edges\" lists")
    if script is not None and script not in SCRIPTS:
        script = None
    return WorkflowImporter(data, script, name).run()
