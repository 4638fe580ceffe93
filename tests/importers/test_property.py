"""Generated configs survive import + compile; random JSON never crashes the importers."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dpg_lora.compiler import compile_graph
from dpg_lora.graph import graph_from_dict, graph_to_text
from dpg_lora.importers import NotAnObjectError, NotJSONError, import_config, import_workflow
from dpg_lora.jsonfile import find_problem
from dpg_lora.scripts import ARGS, SCRIPTS
from dpg_lora.scripts.profiles import F2K
from tests.importers.helpers import differences

NEW_SCRIPTS = [s for s, p in SCRIPTS.items() if p.schema == "new"]
KEYS = st.text(alphabet="abcdefgh_TR0123", min_size=1, max_size=6)
TEXT = st.text(max_size=8)
NONEMPTY = st.text(min_size=1, max_size=8).filter(lambda s: s.strip())
RES = st.sampled_from(["512", "768", "1024", "384"])
UNIT = st.floats(0, 1, allow_nan=False)


def arg_value(name: str):
    kind = ARGS[name].type
    return {"int": st.integers(-5, 5000), "float": st.floats(-10, 10, allow_nan=False),
            "bool": st.booleans(), "str": TEXT}[kind]


@st.composite
def top_args(draw):
    names = draw(st.lists(st.sampled_from([n for n in ARGS if n != "config_path"]), unique=True, max_size=20))
    args = {name: draw(arg_value(name)) for name in names}
    if draw(st.booleans()):
        args["resolution"] = draw(RES)
    for key in draw(st.lists(st.sampled_from(["my_flag", "skip_lora_layers", "t_low"]), unique=True, max_size=2)):
        args[key] = draw(st.integers() | TEXT | st.booleans())
    return args


def optional(draw, obj: dict, key: str, strategy) -> None:
    if draw(st.booleans()):
        obj[key] = draw(strategy)


@st.composite
def dataset(draw, script: str):
    images = draw(st.lists(KEYS, min_size=1, max_size=3, unique=True))
    pick = st.sampled_from(images)
    ds: dict = {"train_data_dir": draw(NONEMPTY)}
    optional(draw, ds, "resolution", RES)
    optional(draw, ds, "repeats", st.integers(1, 20))
    for flag in ("recreate_cache", "recreate_cache_target", "recreate_cache_reference", "recreate_cache_caption"):
        optional(draw, ds, flag, st.booleans())
    image_configs = {}
    for key in images:
        obj: dict = {}
        optional(draw, obj, "suffix", TEXT)
        optional(draw, obj, "prefix", NONEMPTY)
        image_configs[key] = obj
    ds["image_configs"] = image_configs
    targets = {}
    for key in draw(st.lists(KEYS, min_size=1, max_size=2, unique=True)):
        entries = []
        for _ in range(draw(st.integers(1, 2))):
            if draw(st.booleans()):
                entry = {"image": draw(pick)}
                optional(draw, entry, "sample_type", st.just("from_same_name"))
                optional(draw, entry, "from_image", pick)
            else:
                entry = {"sample_type": "from_subdir", "image": draw(pick), "suffix": draw(NONEMPTY)}
                optional(draw, entry, "count", st.integers(0, 5))
            optional(draw, entry, "resize", RES)
            entries.append(entry)
        targets[key] = entries
    ds["target_configs"] = targets
    groups = []
    if draw(st.booleans()):
        refs = {}
        for key in draw(st.lists(KEYS, max_size=2, unique=True)):
            entries = []
            for _ in range(draw(st.integers(0, 2))):
                if draw(st.booleans()):
                    entry = {"sample_type": "from_subdir", "image": draw(pick), "suffix": draw(NONEMPTY)}
                    optional(draw, entry, "count", st.integers(0, 5))
                else:
                    entry = {"image": draw(pick)}
                    optional(draw, entry, "sample_type", st.just("from_same_name"))
                    optional(draw, entry, "from_image", pick)
                optional(draw, entry, "resize", RES)
                entries.append(entry)
            refs[key] = entries
        ds["reference_configs"] = refs
        groups = list(refs)
    captions = {}
    for key in draw(st.lists(KEYS, min_size=1, max_size=2, unique=True)):
        cap = {"image": draw(pick), "ext": draw(st.sampled_from([".txt", ".caption", "1.txt"]))}
        # keys the script does not read are not written back (the importer says so): not drawn here
        if SCRIPTS[script].reads_instruction:
            optional(draw, cap, "instruction", NONEMPTY)
        if SCRIPTS[script].reference_list != "ignored" and draw(st.booleans()):
            ref_list = {"reference_config": draw(st.sampled_from(groups) if groups else KEYS)}
            optional(draw, ref_list, "resize", RES)
            optional(draw, ref_list, "dropout", UNIT)
            optional(draw, ref_list, "min_length", st.integers(0, 4))
            cap["reference_list"] = ref_list
        captions[key] = cap
    ds["caption_configs"] = captions
    batches = []
    for _ in range(draw(st.integers(1, 3))):
        batch = {"target_config": draw(st.sampled_from(list(targets))),
                 "caption_config": draw(st.sampled_from(list(captions)))}
        if groups and draw(st.booleans()):
            batch["reference_config"] = draw(st.sampled_from(groups))
            if script == F2K:
                extra: dict = {}
                optional(draw, extra, "dropout", UNIT)
                optional(draw, extra, "min", st.integers(0, 3))
                batch["reference_config_extra"] = extra
        for key in ("caption_dropout", "reference_dropout", "weight"):
            if key != "reference_dropout" or SCRIPTS[script].reads_reference_dropout:
                optional(draw, batch, key, UNIT)
        batches.append(batch)
    ds["batch_configs"] = batches
    # the dataset keys in a random order, the parts after them as the scripts' examples do
    return ds


@st.composite
def configs(draw):
    script = draw(st.sampled_from(NEW_SCRIPTS))
    config = draw(top_args())
    if draw(st.booleans()):
        config["script"] = script
    config["dataset_configs"] = draw(st.lists(dataset(script), min_size=1, max_size=3))
    return script, config


@given(configs())
def test_import_then_compile_keeps_every_key_value_and_type(case):
    script, config = case
    graph, notes = import_config(config, script=script)
    result = compile_graph(graph)
    assert result.script == script
    assert differences(config, result.config, script) == [], [str(n) for n in notes]
    # the graph survives its own file format
    import json

    again = graph_from_dict(json.loads(graph_to_text(graph)))
    assert differences(config, compile_graph(again).config, script) == []


NAMES = st.sampled_from(["dataset_configs", "image_configs", "target_configs", "caption_configs", "batch_configs",
                         "reference_configs", "reference_list", "train", "image", "suffix", "key", "slots",
                         "nodes", "edges", "id", "type", "data", "source", "target", "sourceHandle",
                         "position", "resolution", "rank", "script", "training_set", ""]) | st.text(max_size=5)
SCALARS = (st.none() | st.booleans() | st.integers(-3, 3000) | st.floats(allow_nan=True, allow_infinity=True)
           | st.text(max_size=8) | st.sampled_from(["train", "img_0", "dataset_0", "scriptNode", "imageConfigNode",
                                                     "datasetListNode", "json_out", "in", "1024"]))
JSONISH = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                       | st.dictionaries(NAMES, inner, max_size=4), max_leaves=30)


@given(data=JSONISH, script=st.none() | st.sampled_from(list(SCRIPTS)))
def test_random_json_never_crashes_the_config_importer(data, script):
    if not isinstance(data, dict):
        with pytest.raises(NotAnObjectError):
            import_config(data, script)
        return
    if find_problem(data):  # a NaN or an infinity: no JSON file holds one (the reader refuses it)
        with pytest.raises(NotJSONError):
            import_config(data, script)
        return
    graph, notes = import_config(data, script)
    compile_graph(graph)
    graph_from_dict(__import__("json").loads(graph_to_text(graph)))


NODE_TYPES = st.sampled_from(["scriptNode", "directoryNode", "loraNode", "miscNode", "datasetListNode",
                              "datasetConfigNode", "imageListNode", "imageConfigNode", "targetListNode",
                              "targetConfigNode", "captionListNode", "captionConfigNode", "batchListNode",
                              "batchConfigNode", "referenceListNode", "referenceConfigNode",
                              "referenceEntryNode", "oldSchemaRoot", "configTemplateNode"])
IDS = st.sampled_from(["script", "a", "b", "c", "d", "e"])
HANDLES = st.sampled_from(["dir_out", "lora_out", "misc_out", "json_out", "old_out", "image_config",
                           "target_config", "caption_config", "batch_config", "reference_config", "dataset_0",
                           "img_0", "tgt_0", "cap_0", "batch_0", "ref_0", "entry_0", "x"])


@st.composite
def workflows(draw):
    nodes = []
    for node_id in draw(st.lists(IDS, max_size=8)):
        nodes.append(draw(st.fixed_dictionaries(
            {"id": st.just(node_id), "type": NODE_TYPES, "data": st.dictionaries(NAMES, JSONISH, max_size=4)
             | JSONISH, "position": st.fixed_dictionaries({"x": SCALARS, "y": SCALARS}) | SCALARS})))
    edges = draw(st.lists(st.fixed_dictionaries({"id": st.text(max_size=3), "source": IDS, "target": IDS,
                                                  "sourceHandle": HANDLES | SCALARS, "targetHandle": st.just("in")
                                                  | SCALARS}) | JSONISH, max_size=12))
    nodes += draw(st.lists(JSONISH, max_size=2))
    return {"nodes": nodes, "edges": edges, "timestamp": draw(SCALARS), "version": "1.0"}


@given(data=workflows(), script=st.none() | st.sampled_from(list(SCRIPTS)))
def test_random_workflows_never_crash(data, script):
    graph, notes = import_workflow(data, script)
    compile_graph(graph)
    graph_from_dict(__import__("json").loads(graph_to_text(graph)))


@given(data=JSONISH)
def test_random_json_as_a_workflow_is_rejected_or_imported(data):
    try:
        import_workflow(data)
    except NotAnObjectError:
        assert not (isinstance(data, dict) and isinstance(data.get("nodes"), list)
                    and isinstance(data.get("edges"), list))
