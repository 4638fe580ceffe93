"""Small graphs for core tests (built by tests/graphs.py, the one test graph builder)."""
from __future__ import annotations

from tests.graphs import small_graph

__all__ = ["small_graph"]
