"""Values that usually change with the training script: output folder, save name, base model.

The scripts' own argparse defaults are the same for every family (`output_dir` "flux-dreambooth",
`save_name` "flux_"), so a LongCat graph would save as "flux_". Each script has a family value
here; a new Directory Setup starts with its script's values, and choosing another script offers
to replace the values that still are another family's (or the argparse default), never the
user's own. Pure: the editor asks, then runs `offer_command` as one undoable edit.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dpg_lora.commands import Compound, SetValue, UNSET
from dpg_lora.compile_context import EMPTY_CONTEXT, CompileContext
from dpg_lora.field_values import effective_value
from dpg_lora.graph import Graph
from dpg_lora.scripts.profiles import F2K, KTX, LC, LCE, QEF, QI, QIE
from dpg_lora.specs import REGISTRY

DIRECTORY = "directory_setup"
BASE_MODEL = "pretrained_model_name_or_path"

# script -> (output_dir, save_name, base model folder name as the model is published)
FAMILY: dict[str, tuple[str, str, str]] = {
    LC: ("output/longcat_lora", "longcat_", "LongCat-Image"),
    LCE: ("output/longcat_edit_lora", "longcat_edit_", "LongCat-Image-Edit"),
    QI: ("output/qwen_image_lora", "qwen_image_", "Qwen-Image"),
    QIE: ("output/qwen_edit_lora", "qwen_edit_", "Qwen-Image-Edit"),
    QEF: ("output/qwen_edit_freq_lora", "qwen_edit_freq_", "Qwen-Image-Edit"),
    F2K: ("output/flux2klein_lora", "flux2klein_", "FLUX.2-klein"),
    KTX: ("output/kontext_lora", "kontext_", "FLUX.1-Kontext-dev"),
}


def family_values(node_type: str, script: str) -> dict[str, Any]:
    """The values a new node of `node_type` starts with for `script` (Directory Setup only)."""
    if node_type != DIRECTORY or script not in FAMILY:
        return {}
    output, save, _ = FAMILY[script]
    return {"output_dir": output, "save_name": save}


@dataclass(frozen=True)
class Change:
    node_id: str
    field: str
    label: str
    old: Any
    new: Any


def _replaceable(value: Any, argparse_default: Any, index: int) -> bool:
    """Another family's value, or the argparse default nobody chose."""
    return value == argparse_default or any(v[index] == value for v in FAMILY.values())


def _base_model(value: Any, old: str, new: str) -> str | None:
    """`models/LongCat-Image` -> `models/Qwen-Image`: a folder named as the old family's model."""
    if not isinstance(value, str) or not value.strip() or old not in FAMILY or new not in FAMILY:
        return None
    text = value.rstrip("/\\")
    cut = max(text.rfind("/"), text.rfind("\\"))
    parent, name = text[:cut + 1], text[cut + 1:]
    old_name, new_name = FAMILY[old][2], FAMILY[new][2]
    if name.lower() != old_name.lower() or old_name == new_name:
        return None
    return parent + new_name


def script_offer(graph: Graph, old_script: str, new_script: str,
                 context: CompileContext = EMPTY_CONTEXT) -> list[Change]:
    """What choosing `new_script` (after `old_script`) would set: values still another family's."""
    if new_script not in FAMILY or old_script == new_script:
        return []
    spec = REGISTRY[DIRECTORY]
    output, save, _ = FAMILY[new_script]
    changes: list[Change] = []
    for node in graph.nodes:
        if node.type != DIRECTORY:
            continue
        for index, (name, new) in enumerate((("output_dir", output), ("save_name", save))):
            fld = spec.field(name)
            value = effective_value(fld, node.values, old_script, context)
            if value != new and _replaceable(value, fld.default_for(old_script, context), index):
                changes.append(Change(node.id, name, fld.label, value, new))
        model = _base_model(node.values.get(BASE_MODEL), old_script, new_script)
        if model is not None:
            changes.append(Change(node.id, BASE_MODEL, spec.field(BASE_MODEL).label,
                                  node.values[BASE_MODEL], model))
    return changes


def offer_command(graph: Graph, changes: list[Change], script: str) -> Compound:
    """The accepted offer as one undoable edit."""
    parts = [SetValue(c.node_id, c.field, c.new, graph.node(c.node_id).values.get(c.field, UNSET))
             for c in changes]
    return Compound(list(parts), label=f"values for {script}")
