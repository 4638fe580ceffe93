"""Finding node types by typing: substring first, then word starts, then letters in order."""
from __future__ import annotations

from typing import Iterable

from dpg_lora.specs import CATEGORIES, REGISTRY, NodeSpec


def _subsequence(query: str, text: str) -> bool:
    it = iter(text)
    return all(ch in it for ch in query)


def score(query: str, spec: NodeSpec) -> float | None:
    """Higher is better; None when the spec does not match at all."""
    q = query.strip().lower()
    if not q:
        return 0.0
    title, type_ = spec.title.lower(), spec.type.lower()
    if title.startswith(q) or type_.startswith(q):
        return 100 - len(title) / 100
    words = title.split()
    if any(w.startswith(q) for w in words):
        return 80 - len(title) / 100
    if q in title or q in type_:
        return 60 - title.index(q) / 100 if q in title else 55
    initials = "".join(w[0] for w in words)
    if initials.startswith(q):
        return 50
    if _subsequence(q, title.replace(" ", "")):
        return 30 - len(title) / 100
    if q in spec.category or q in spec.help.lower():
        return 10
    return None


def search(query: str, specs: Iterable[NodeSpec] | None = None) -> list[NodeSpec]:
    specs = list(REGISTRY.values()) if specs is None else list(specs)
    scored = [(score(query, s), i, s) for i, s in enumerate(specs)]
    return [s for sc, i, s in sorted((x for x in scored if x[0] is not None), key=lambda x: (-x[0], x[1]))]


def by_category(specs: Iterable[NodeSpec] | None = None) -> dict[str, list[NodeSpec]]:
    specs = list(REGISTRY.values()) if specs is None else list(specs)
    groups = {c: [s for s in specs if s.category == c] for c in CATEGORIES}
    return {c: g for c, g in groups.items() if g}
