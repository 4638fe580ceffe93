"""Typical mistakes, staged: broken configs (every rule's case), broken graphs and broken dataset
folders. `battery_findings` and `battery_diagnostics` return what the checks say about them."""
from __future__ import annotations

import copy
from typing import Callable

from dpg_lora.builder import GraphBuilder
from dpg_lora.compile_context import CompileContext
from dpg_lora.compiler import Diagnostic, compile_graph
from dpg_lora.graph import Graph
from dpg_lora.scripts.profiles import KTX, LCE
from dpg_lora.validation import Finding, validate_config
from dpg_lora.validation.data_check import check_data
from dpg_lora.validation.environment import environment_findings
from tests.graphs import pairs_builder, small_graph
from tests.validation.helpers import sound
from tests.validation.test_rules import setter


Mutation = Callable[[GraphBuilder], None]


def _unlink(g: Graph, dst: str, pin: str) -> None:
    g.links = [link for link in g.links if not (link.dst == dst and link.dst_pin == pin)]


def _set(node_id: str, **values) -> Mutation:
    def mutate(b: GraphBuilder) -> None:
        b.graph.node(node_id).values.update(values)
    return mutate


def _unlinked(dst: str, pin: str) -> Mutation:
    return lambda b: _unlink(b.graph, dst, pin)


def _stray(b: GraphBuilder) -> None:
    b.add("caption_item", "stray", key="x", image="train")


def _two_into_one(b: GraphBuilder) -> None:
    b.link("img_r", "tl", "items")  # an image item into a target list: wrong type
    b.link("dir", "script", "directory")  # a second link into a single input


def _duplicate_key(b: GraphBuilder) -> None:
    b.graph.node("img_r").values["key"] = "train"


def _no_loader(b: GraphBuilder) -> None:
    g = b.graph
    g.nodes = [n for n in g.nodes if n.id != "script"]
    g.links = [link for link in g.links if "script" not in (link.src, link.dst)]


def _second_loader(b: GraphBuilder) -> None:
    b.add("script_loader", "script2")


def _extra_settings(b: GraphBuilder) -> None:
    b.add_into("script", "extra", "extra_settings", "extra", rank=4, resume_from="x", learning_rate=0.5)


# (name, graph mutation) on pairs_builder()'s graph (LCE, images train/ref, a reference group)
GRAPH_MISTAKES: list[tuple[str, Mutation]] = [
    ("empty target image", _set("tgt", image="")),
    ("empty caption image", _set("cap", image="")),
    ("empty batch caption", _set("bat", caption_config="")),
    ("empty batch target", _set("bat", target_config="")),
    ("empty batch reference", _set("bat", reference_config="")),
    ("empty reference source image", _set("src", image="")),
    ("empty image key", _set("img_t", key="")),
    ("empty caption key", _set("cap", key="")),
    ("empty data directory", _set("ds0", train_data_dir="")),
    ("empty base model", _set("dir", pretrained_model_name_or_path="")),
    ("empty extension", _set("cap", ext="")),
    ("dangling target image", _set("tgt", image="gone")),
    ("dangling batch caption", _set("bat", caption_config="gone")),
    ("dangling batch reference", _set("bat", reference_config="gone")),
    ("dangling from image", _set("tgt", from_image="gone")),
    ("no batch list", _unlinked("ds0", "batches")),
    ("no image list", _unlinked("ds0", "images")),
    ("no target list", _unlinked("ds0", "targets")),
    ("no caption list", _unlinked("ds0", "captions")),
    ("no dataset list", _unlinked("script", "datasets")),
    ("no directory setup", _unlinked("script", "directory")),
    ("empty batch list", _unlinked("bl", "items")),
    ("empty image list", _unlinked("il", "items")),
    ("rank below its bound", _set("lora", rank=0)),
    ("epochs below the bound", _set("misc", num_train_epochs=-5)),
    ("caption dropout above 1", _set("bat", caption_dropout=5.0)),
    ("bad bucket", _set("ds0", resolution="1000")),
    ("trailing slash", _set("ds0", train_data_dir="data/pairs/")),
    ("windows path", _set("ds0", train_data_dir="C:\\data\\pairs")),
    ("subdir sample without suffix", _set("src", sample_type="from_subdir")),
    ("unknown script", _set("script", script="train_nothing.py")),
    ("old schema script", _set("script", script=KTX)),
    ("bad host", _set("script", host="-oProxyCommand=x")),
    ("stray node", _stray),
    ("wrong link and two links", _two_into_one),
    ("duplicate image key", _duplicate_key),
    ("no script loader", _no_loader),
    ("second script loader", _second_loader),
    ("extra settings override", _extra_settings),
    ("report to wandb without login", _set("misc", report_to="wandb")),
    ("zero save steps", _set("misc", save_model_steps=0)),
]


def mistake_graph(mutate: Mutation) -> Graph:
    b = pairs_builder()
    mutate(b)
    return b.build()


def battery_diagnostics() -> list[tuple[str, list[Diagnostic]]]:
    context = CompileContext(wandb_login="")
    out = []
    for name, mutate in GRAPH_MISTAKES:
        out.append((name, compile_graph(mistake_graph(mutate), context).diagnostics))
    g = small_graph()
    g.node("bat0").values["caption_config"] = ""
    out.append(("small graph, empty batch caption", compile_graph(g, context).diagnostics))
    return out


def _make(root, folder: str, *names: str, text: bytes = b"a caption") -> None:
    where = root / folder
    where.mkdir(parents=True, exist_ok=True)
    for name in names:
        (where / name).write_bytes(text if name.endswith(".txt") else b"")


def data_findings(tmp_path, summaries: list | None = None) -> list[Finding]:
    """What the folder check says about folders with the usual mistakes (and, into `summaries`,
    its one-line summaries of them)."""
    summaries = [] if summaries is None else summaries
    _make(tmp_path, "pairs", "a_T.jpg", "a_R.jpg", "b_T.jpg", "b_T.png", "c_T.jpg", "c_T_1024.webp",
          "a_T.txt", "c_T.txt")
    (tmp_path / "pairs" / "b_T.txt").write_bytes(b"\xff\xfe bad")
    (tmp_path / "pairs" / "c_T.txt").write_bytes(b"\xef\xbb\xbfbom")
    _make(tmp_path, "pairs/t2itrainer_cache_x")
    _make(tmp_path, "empty", "readme.png")
    config = sound(LCE)
    first = config["dataset_configs"][0]
    first["train_data_dir"] = "pairs"
    second = copy.deepcopy(first)
    second["train_data_dir"] = "empty"
    missing = copy.deepcopy(first)
    missing["train_data_dir"] = "no/such/folder"
    config["dataset_configs"] = [first, second, missing]
    checks = [check_data(config, LCE, str(tmp_path))]
    _make(tmp_path, "one/sub", "a_T.jpg", "a_R.jpg")
    _make(tmp_path, "two/sub", "a_T.jpg", "a_R.jpg")
    first, second = copy.deepcopy(first), copy.deepcopy(first)
    first["train_data_dir"], second["train_data_dir"] = "one", "two"
    config["dataset_configs"] = [first, second]
    checks.append(check_data(config, LCE, str(tmp_path)))
    old = sound(KTX)
    old["train_data_dir"] = "pairs"
    checks.append(check_data(old, KTX, str(tmp_path)))
    summaries += [summary for check in checks for summary in check.datasets]
    return [finding for check in checks for finding in check.findings]


def config_findings(cases) -> list[Finding]:
    """The findings of every (script, mutate, ...) case of tests/validation/test_rules.py, and more."""
    found: list[Finding] = []
    for case in cases:
        script, mutate = case.values[0], case.values[1]
        config = sound(script)
        mutate(config)
        found += validate_config(config, script)
    found += validate_config([], LCE)
    found += environment_findings({"report_to": "wandb"}, "")
    return found


def _no_named(section: str, field: str):
    def mutate(config):
        ds = config["dataset_configs"][0]
        ds[section] = {}
        del ds["batch_configs"][0][field]
    return mutate


def _flat(config):
    del config["dataset_configs"]
    config["image_configs"] = {}


D = ("dataset_configs", 0)
LAYOUT = ("training_set", 0, "training_layout_configs")
# (script, mutation) beyond test_rules.py's one case per rule: the other wordings of a rule
MORE_CONFIGS = [
    (LCE, lambda config: config["dataset_configs"][0]["batch_configs"][0].pop("caption_config")),
    (LCE, lambda config: config["dataset_configs"][0]["caption_configs"]["train"].pop("image")),
    (LCE, lambda config: config["dataset_configs"][0]["reference_configs"]["ref"][0].pop("image")),
    (LCE, _no_named("caption_configs", "caption_config")),
    (LCE, _no_named("target_configs", "target_config")),
    (LCE, setter(*D, "caption_configs", "train", "ext", 5)),
    ("train_flux2klein.py", setter(*D, "batch_configs", 0, "reference_config_extra", {"min": "x"})),
    (LCE, setter("rank", 1e20)),
    (LCE, setter("rank", 2**40)),
    (LCE, setter("batch_configs", [])),
    (LCE, _flat),
    (KTX, setter("training_set", [5])),
    (KTX, setter(*LAYOUT, {})),
    (KTX, setter(*LAYOUT, "train", {"target": "train", "noised": "yes"})),
    (KTX, setter(*LAYOUT, "ref", 5)),
    (LCE, setter(*D, "caption_configs", "train", "reference_list", 5)),
    (LCE, setter("report_to", "nope")),
    (LCE, setter("script", "zzz")),
    (LCE, setter(*D, "reference_configs", "ref", 0, {"image": "ref", "sample_type": "from_subdir", "suffix": 5})),
    (LCE, setter("qqqqqqqq", 1)),
    (LCE, setter(*D, "caption_configs", "train", "reference_list", {"reference_config": "x"})),
    (LCE, setter("output_dir", "out\\run")),
    (LCE, setter("gradient_checkpointing", [1])),
    (LCE, setter("learning_rate", [1])),
]


def more_config_findings() -> list[Finding]:
    found: list[Finding] = []
    for script, mutate in MORE_CONFIGS:
        config = sound(script)
        mutate(config)
        found += validate_config(config, script)
    refs_gone = sound(LCE)
    refs_gone["dataset_configs"][0].pop("reference_configs")
    refs_gone["dataset_configs"][0]["caption_configs"]["train"]["reference_list"] = {"reference_config": "x"}
    found += validate_config(refs_gone, LCE)
    return found


def folder_diagnostics(tmp_path) -> list[Diagnostic]:
    """What a compile against a trainer folder's scripts says (new, removed and missing ones)."""
    import shutil

    from dpg_lora.scripts.folder import read_folder
    from dpg_lora.scripts.layered import profiles_from_folder
    from tests.scripts.helpers import write_script
    from tests.scripts.test_compile_folder import CORPUS

    write_script(tmp_path, "train_longcat.py", removed=("seed",))
    for name in ("train_forms.py", "train_marker.py"):
        shutil.copy(CORPUS / name, tmp_path / name)
    context = CompileContext(profiles=profiles_from_folder(read_folder(tmp_path)))
    found: list[Diagnostic] = []
    for script in ("train_longcat.py", "train_forms.py", "train_marker.py", LCE):
        found += compile_graph(small_graph(script, seed=7), context).diagnostics
    extra = small_graph()
    extra.node("misc").values["ema_decay"] = 0.5  # an argument no built-in script has
    found += compile_graph(extra).diagnostics
    remote = small_graph()
    remote.node("script").values["host"] = "gpu1"
    found += compile_graph(remote, CompileContext(trainer_dir="/opt/trainer")).diagnostics
    return found


def remote_findings() -> list[Finding]:
    from dpg_lora.remote.remote_files import RemoteFiles, host_check

    config = sound(LCE)
    found = list(check_data(config, LCE, ".", files=RemoteFiles("gpu1", {}, {})).findings)
    found += host_check("-oProxyCommand=x", "python")(config, LCE, ".").findings
    return found
