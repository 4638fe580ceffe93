"""A problem in the editor's words: its text in the current language, with the node, field and
input it names called by their titles and labels there (the CLI keeps the English ones).

Pure functions of the problem, the graph and the catalogue they are given; `problem_text` reads
the current catalogue (ui/texts.py) for the views.
"""
from __future__ import annotations

from dpg_lora.compiler import Diagnostic
from dpg_lora.graph import Graph
from dpg_lora.i18n import Catalogue
from dpg_lora.specs import REGISTRY
from dpg_lora.specs.texts import field_label, node_title, pin_label
from dpg_lora.specs.types import NodeSpec
from dpg_lora.ui import texts


def _spec_of(graph: Graph, node_id: str | None) -> NodeSpec | None:
    node = next((n for n in graph.nodes if n.id == node_id), None) if node_id else None
    return REGISTRY.get(node.type) if node is not None else None


def shown_words(d: Diagnostic, graph: Graph, catalogue: Catalogue) -> dict[str, str]:
    """The params of `d` that name its node, field or input, in the words the editor shows for
    them in `catalogue`'s language (the English ones stay in the CLI's lines)."""
    values = d.values()
    words: dict[str, str] = remote_params(values, catalogue)
    if values.get("source_kind") in SOURCE_KEYS:  # "built-in table": said in the catalogue's words
        words["source"] = source_words(values, catalogue)
    spec = _spec_of(graph, d.node_id)
    if spec is None:
        return words
    if "node" in values:
        words["node"] = node_title(spec.type, catalogue)
    fld = next((f for f in spec.fields if f.name == d.field), None)
    if "label" in values and fld is not None:
        words["label"] = field_label(spec.type, fld, catalogue)
    if "input" in values and d.field and any(p.name == d.field for p in spec.inputs):
        words["input"] = pin_label(spec, d.field, catalogue)
    return words


SOURCE_KEYS = {"folder": "fixes.source.folder", "built-in": "fixes.source.builtin",
               "built-in-note": "fixes.source.builtin_note"}


def source_words(parts: dict, catalogue: Catalogue) -> str:
    """Where a script's arguments come from (ScriptSource.parts) in `catalogue`'s language."""
    return catalogue.text(SOURCE_KEYS[str(parts["source_kind"])], path=parts.get("source_path", ""),
                          stamp=parts.get("source_stamp", ""), commit=parts.get("source_commit", ""),
                          note=parts.get("source_note", ""))


def remote_words(message: str, catalogue: Catalogue) -> str:
    """An ssh failure (remote/ssh.py failure_text, "; "-joined for several hosts) in `catalogue`'s
    language; any other text as it is."""
    from dpg_lora.remote.ssh import LocalHost, failure_parts

    pieces, said, i = message.split("; "), [], 0
    while i < len(pieces):  # the longest run of pieces that is one failure (a meaning may hold "; ")
        for j in range(len(pieces), i, -1):
            parsed = failure_parts("; ".join(pieces[i:j]))
            if parsed is not None:
                host, code, values = parsed
                host = catalogue.text("run.host_local") if host == LocalHost.label else host
                said.append(catalogue.text(f"fixes.ssh.{code}", host=host, **values))
                i = j
                break
        else:
            said.append(pieces[i])
            i += 1
    return "; ".join(said)


REMOTE_PARAMS = ("reason", "error", "message")  # problem params that may hold an ssh failure


def remote_params(values: dict, catalogue: Catalogue) -> dict[str, str]:
    """The params of a problem that hold an ssh failure, in `catalogue`'s words."""
    return {name: remote_words(values[name], catalogue) for name in REMOTE_PARAMS
            if isinstance(values.get(name), str) and ": " in values[name]}


def problem_place(d: Diagnostic, graph: Graph, catalogue: Catalogue) -> str:
    """The node (title and id) and the field (label) a problem is about, or the graph."""
    spec = _spec_of(graph, d.node_id)
    if spec is None or d.node_id is None:
        return d.node_id or catalogue.text("preview.place.graph")
    title = node_title(spec.type, catalogue)
    if not d.field:
        return catalogue.text("preview.place.node", node=title, id=d.node_id)
    fld = next((f for f in spec.fields if f.name == d.field), None)
    if fld is not None:
        name = field_label(spec.type, fld, catalogue)
    elif any(p.name == d.field for p in spec.inputs):
        name = pin_label(spec, d.field, catalogue)
    else:
        name = d.field  # a key of Extra Settings, or an argument no field holds: as it is written
    return catalogue.text("preview.place.field", node=title, id=d.node_id, field=name)



def problem_text(d: Diagnostic, graph: Graph) -> str:
    """What a node or the Problems tab shows for `d`, in the current language."""
    catalogue = texts.current()
    return d.text(catalogue, **shown_words(d, graph, catalogue))
