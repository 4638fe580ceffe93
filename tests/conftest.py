"""Fixtures shared across test folders, and the Hypothesis profiles.

Property tests take their example counts from the profile: "dev" (the default) is quick for
the edit-test loop, "ci" is thorough; .ci/run selects it with HYPOTHESIS_PROFILE=ci.
"""
from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

_COMMON = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("dev", max_examples=40, **_COMMON)
settings.register_profile("ci", max_examples=300, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture
def headless_window():
    """A Dear PyGui context without a viewport and an empty window to build panels into.
    Enough for building items and calling callbacks; nothing may render in it."""
    import dearpygui.dearpygui as dpg

    dpg.create_context()
    try:
        with dpg.window() as win:
            pass
        yield win
    finally:
        dpg.destroy_context()


@pytest.fixture
def shared_fixtures_missing():
    """Used (through tests/shared_fixtures.py) when the shared trainer fixtures must be there but are not."""
    from tests.shared_fixtures import t2itrainer_fixtures

    pytest.fail(f"the shared trainer fixtures are missing at {t2itrainer_fixtures()} (DPG_LORA_REQUIRE_SHARED=1; "
                "set DPG_LORA_SHARED_DIR to the folder that holds fixtures/t2itrainer)")
