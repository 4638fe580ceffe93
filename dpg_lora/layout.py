"""Arrange: lay a graph out left to right by depth, items on the left, Script Loader on the right;
and the pure geometry of the canvas view (zoom levels, fitting, overlaps)."""
from __future__ import annotations

from dpg_lora.graph import Graph
from dpg_lora.specs import REGISTRY

COLUMN_WIDTH = 330
COLUMN_GAP = 48  # between the widest node of a column and the next column (measured sizes)
ROW_GAP = 24
HEADER = 40
ROW = 24


def node_height(node_type: str, values: dict | None = None) -> int:
    """A rough on-screen height: header, pins and basic fields (advanced ones are folded)."""
    spec = REGISTRY[node_type]
    rows = len(spec.inputs) + (1 if spec.output else 0)
    rows += sum(1 for f in spec.fields if not f.advanced)
    rows += 1 if any(f.advanced for f in spec.fields) else 0
    if spec.freeform:
        rows += len(values or {}) + 1
    return HEADER + ROW * rows


def arrange(graph: Graph, sizes: dict[str, tuple[float, float]] | None = None) -> Graph:
    """Positions every node: column = distance from the Script Loader (downstream on the right).

    `sizes` (node id -> drawn width and height at 100% zoom) make columns as wide as their
    widest node and stack nodes by their real height; without them sizes are estimated."""
    sizes = sizes or {}
    consumers: dict[str, list[str]] = {}
    for link in graph.links:
        consumers.setdefault(link.src, []).append(link.dst)
    depth: dict[str, int] = {}

    def depth_of(node_id: str, trail: frozenset = frozenset()) -> int:
        if node_id in depth:
            return depth[node_id]
        outs = [d for d in consumers.get(node_id, []) if d not in trail]
        value = 0 if not outs else 1 + max(depth_of(d, trail | {node_id}) for d in outs)
        depth[node_id] = value
        return value

    for node in graph.nodes:
        depth_of(node.id)
    max_depth = max(depth.values(), default=0)
    # Order inside a column follows the order of the consumers' inputs, so links rarely cross.
    order: dict[str, float] = {}
    for i, node in enumerate(graph.nodes):
        order[node.id] = i
    link_rank: dict[str, int] = {}
    for i, link in enumerate(graph.links):
        link_rank.setdefault(link.src, i)
    columns: dict[int, list] = {}
    for node in graph.nodes:
        columns.setdefault(depth[node.id], []).append(node)
    lefts, x = {}, 0.0
    for d in range(max_depth, -1, -1):
        lefts[d] = x
        widths = [sizes[n.id][0] for n in columns.get(d, []) if n.id in sizes]
        x += max(COLUMN_WIDTH, max(widths, default=0) + COLUMN_GAP)
    for d, nodes in columns.items():
        nodes.sort(key=lambda n: (link_rank.get(n.id, 1e9), order[n.id]))
        y = 0.0
        for node in nodes:
            node.pos = (float(round(lefts[d])), float(round(y)))
            height = sizes[node.id][1] if node.id in sizes else node_height(node.type, node.values)
            y += height + ROW_GAP
    return graph


# ---------------------------------------------------------------- the canvas view (pure geometry)

ZOOM_LEVELS = (1.0, 0.85, 0.7, 0.6, 0.5, 0.4, 0.3)  # the canvas zoom steps, largest first
COMPACT_BELOW = 0.55  # under this zoom nodes show their title and pins only

Rect = tuple[float, float, float, float]  # x, y, w, h


def zoom_step(zoom: float, steps: int) -> float:
    """The zoom level `steps` levels in (positive) or out (negative) from `zoom`."""
    here = min(range(len(ZOOM_LEVELS)), key=lambda i: abs(ZOOM_LEVELS[i] - zoom))
    return ZOOM_LEVELS[max(0, min(len(ZOOM_LEVELS) - 1, here - steps))]


def fit_zoom(span: tuple[float, float], avail: tuple[float, float], levels=ZOOM_LEVELS) -> float:
    """The largest level at which a graph `span` wide and high at 100% fits in `avail`; the
    smallest level when none does."""
    levels = sorted(levels, reverse=True)
    for level in levels:
        if span[0] * level <= avail[0] and span[1] * level <= avail[1]:
            return level
    return levels[-1]


def bounds(rects) -> Rect:
    """The rectangle around all `rects`."""
    rects = list(rects)
    x0 = min(r[0] for r in rects)
    y0 = min(r[1] for r in rects)
    x1 = max(r[0] + r[2] for r in rects)
    y1 = max(r[1] + r[3] for r in rects)
    return x0, y0, x1 - x0, y1 - y0


def overlap(a: Rect, b: Rect, gap: float = 0.0) -> bool:
    """Whether two rectangles overlap (or come closer than `gap`)."""
    return (a[0] < b[0] + b[2] + gap and b[0] < a[0] + a[2] + gap
            and a[1] < b[1] + b[3] + gap and b[1] < a[1] + a[3] + gap)


def overlapping(rects: dict[str, Rect]) -> list[tuple[str, str]]:
    ids = sorted(rects)
    return [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:] if overlap(rects[a], rects[b])]


def push_down(rects: dict[str, Rect], grown: set[str] | list[str], gap: float = ROW_GAP) -> dict[str, tuple[float, float]]:
    """New (x, y) for the nodes a grown node now covers: each is pushed down to `gap` below it,
    and what they cover in turn moves too. Nodes above a grown one never move."""
    rects = dict(rects)
    moved: dict[str, tuple[float, float]] = {}
    queue = sorted(grown, key=lambda i: rects[i][1])
    while queue:
        top = queue.pop(0)
        tx, ty, tw, th = rects[top]
        for other, (x, y, w, h) in sorted(rects.items(), key=lambda kv: kv[1][1]):
            if other == top or y <= ty + ROW / 2 or x >= tx + tw or tx >= x + w:
                continue  # beside or above it (a neighbour at the same height is not "below")
            if y < ty + th + gap - 1:
                new_y = ty + th + gap
                rects[other] = (x, new_y, w, h)
                moved[other] = (x, new_y)
                queue.append(other)
    return moved


def dense_positions(pos: dict[str, tuple[float, float]], compact: dict[str, tuple[float, float]],
                    full: dict[str, tuple[float, float]], gap: float = ROW_GAP,
                    column_gap: float = ROW_GAP) -> dict[str, tuple[float, float]]:
    """Where nodes shown in their compact form (title and pins) go, so a small zoom is dense:
    positions are spaced for the full nodes (`full` sizes), and compact ones (`compact` sizes,
    all in 100% units) are much smaller. The layout keeps its shape: nodes whose full widths
    share x form a column; columns keep their order left to right, each `column_gap` right of
    the one before, and inside a column nodes keep their order top to bottom, their
    distances scaled by how much shorter compact nodes are, at least `gap` apart. So none
    overlap. Nodes without a compact size are left out."""
    ids = [i for i in pos if i in compact]
    if not ids:
        return {}
    x0 = min(pos[i][0] for i in ids)
    y0 = min(pos[i][1] for i in ids)

    def width(i: str) -> float:
        return full[i][0] if full.get(i, (0, 0))[0] > 0 else compact[i][0]

    heights = sorted(compact[i][1] / full[i][1] for i in ids if full.get(i, (0, 0))[1] > 0)
    ky = max(0.1, min(1.0, heights[len(heights) // 2])) if heights else 1.0
    columns: list[list[str]] = []
    right = float("-inf")
    for i in sorted(ids, key=lambda n: pos[n][0]):
        if not columns or pos[i][0] >= right:
            columns.append([])
        columns[-1].append(i)
        right = max(right if len(columns[-1]) > 1 else float("-inf"), pos[i][0] + width(i))
    out: dict[str, tuple[float, float]] = {}
    left = x0
    for column in columns:
        cx = min(pos[i][0] for i in column)
        col_x = left
        bottom = float("-inf")
        col_right = col_x
        for i in sorted(column, key=lambda n: (pos[n][1], pos[n][0])):
            x = col_x + (pos[i][0] - cx) * 0.5  # a node set off inside its column keeps some of it
            y = max(y0 + (pos[i][1] - y0) * ky, bottom + gap)
            out[i] = (float(round(x)), float(round(y)))
            bottom = y + compact[i][1]
            col_right = max(col_right, x + compact[i][0])
        left = col_right + column_gap
    return out
