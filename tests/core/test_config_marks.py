"""The preview's default marks land on the lines of the values they name."""
from __future__ import annotations

import json

from dpg_lora.compiler import compile_graph
from dpg_lora.config_marks import mark_lines, value_lines
from tests.graphs import pairs_builder, small_graph


def test_every_value_path_names_its_own_line():
    for graph in (small_graph(), pairs_builder().build()):
        result = compile_graph(graph)
        rows = result.config_text.split("\n")
        for path, row in value_lines(result.config).items():
            if path and isinstance(path[-1], str):
                assert rows[row].lstrip().startswith(json.dumps(path[-1]) + ":"), (path, rows[row])


def test_defaults_are_marked_and_the_users_values_are_not():
    result = compile_graph(small_graph())
    text = mark_lines(result.config_text, result.config, result.defaulted, "  # default")
    rows = {row.strip().split(":")[0]: row for row in text.split("\n")}
    assert rows['"learning_rate"'].endswith("# default")
    assert not rows['"rank"'].endswith("# default")  # set on the LoRA node
    assert not rows['"pretrained_model_name_or_path"'].endswith("# default")
    assert text.count("# default") == len(result.defaulted)
    assert mark_lines(result.config_text, result.config, [], "x") == result.config_text
