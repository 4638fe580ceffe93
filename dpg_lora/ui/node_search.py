"""Finding node types by typing: substring first, then word starts, then letters in order.

With a catalogue, a node type also matches by its title in that language ("标题" finds Caption
Item in Chinese) and the English title keeps working."""
from __future__ import annotations

from typing import Iterable

from dpg_lora.specs import CATEGORIES, REGISTRY, NodeSpec
from dpg_lora.specs.texts import TextSource, node_title


def _subsequence(query: str, text: str) -> bool:
    it = iter(text)
    return all(ch in it for ch in query)


def score(query: str, spec: NodeSpec, title: str | None = None) -> float | None:
    """Higher is better; None when the spec does not match at all. `title`: the one shown (default
    the English one)."""
    q = query.strip().lower()
    if not q:
        return 0.0
    title, type_ = (title or spec.title).lower(), spec.type.lower()
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


def _best(query: str, spec: NodeSpec, catalogue: TextSource | None) -> float | None:
    scores = [score(query, spec)]
    if catalogue is not None:
        shown = node_title(spec.type, catalogue)
        if shown != spec.title:
            scores.append(score(query, spec, shown))
    found = [s for s in scores if s is not None]
    return max(found) if found else None


def search(query: str, specs: Iterable[NodeSpec] | None = None,
           catalogue: TextSource | None = None) -> list[NodeSpec]:
    specs = list(REGISTRY.values()) if specs is None else list(specs)
    scored = [(_best(query, s, catalogue), i, s) for i, s in enumerate(specs)]
    return [s for sc, i, s in sorted((x for x in scored if x[0] is not None), key=lambda x: (-x[0], x[1]))]


def by_category(specs: Iterable[NodeSpec] | None = None) -> dict[str, list[NodeSpec]]:
    specs = list(REGISTRY.values()) if specs is None else list(specs)
    groups = {c: [s for s in specs if s.category == c] for c in CATEGORIES}
    return {c: g for c, g in groups.items() if g}
