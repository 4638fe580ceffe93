"""Understanding trainer output: line splitting, tqdm progress, epochs, the end marker, tracebacks.

Pure functions and small stateful helpers; nothing here touches processes or files.
"""
from __future__ import annotations

import codecs
import re
from collections import deque
from dataclasses import dataclass, field

END_MARKER = "=========== End Training ==========="
MAX_LINE_CHARS = 65536  # a stream without line breaks is cut here so memory stays bounded


@dataclass(frozen=True)
class Progress:
    step: int
    total: int | None
    percent: float | None
    rate: float | None  # iterations per second (s/it is inverted)
    rate_text: str
    elapsed: float | None  # seconds
    remaining: float | None  # seconds
    desc: str = ""
    postfix: dict[str, str] = field(default_factory=dict)
    loss: float | None = None
    lr: float | None = None

    @property
    def fraction(self) -> float | None:
        if self.total:
            return max(0.0, min(1.0, self.step / self.total))
        if self.percent is not None:
            return max(0.0, min(1.0, self.percent / 100.0))
        return None


class LineSplitter:
    """Bytes in, complete lines out. Breaks on \\n, \\r and \\r\\n (one break).

    Decoding is incremental (a multibyte character split across reads survives) and invalid
    bytes become U+FFFD. Empty segments ended by a bare \\r (tqdm's leading redraw) are dropped.
    """

    _BREAK = re.compile(r"\r\n|\r|\n")

    def __init__(self, max_line: int = MAX_LINE_CHARS) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""
        self._max_line = max_line

    def feed(self, data: bytes) -> list[str]:
        return self._split(self._decoder.decode(data, final=False), final=False)

    def flush(self) -> list[str]:
        return self._split(self._decoder.decode(b"", final=True), final=True)

    def _split(self, text: str, final: bool) -> list[str]:
        text = self._pending + text
        self._pending = ""
        if not final and text.endswith("\r"):
            # a \n may follow in the next read; decide then
            text, self._pending = text[:-1], "\r"
        out: list[str] = []
        pos = 0
        for m in self._BREAK.finditer(text):
            segment = text[pos : m.start()]
            if segment or m.group() != "\r":
                out.extend(self._cut(segment))
            pos = m.end()
        rest = text[pos:]
        if final:
            if rest:
                out.extend(self._cut(rest))
        elif len(rest) >= self._max_line:
            pieces = self._cut(rest)
            out.extend(pieces[:-1])
            self._pending = pieces[-1] + self._pending
        else:
            self._pending = rest + self._pending
        return out

    def _cut(self, segment: str) -> list[str]:
        n = self._max_line
        if len(segment) <= n:
            return [segment]
        return [segment[i : i + n] for i in range(0, len(segment), n)]


_NUM_SUFFIX = {"": 1, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12}
_COUNT = r"\d+(?:\.\d+)?[kMGT]?"
_TIME = r"(?:\d+d,\s*)?\d+(?::\d+)+|\?"
_PROGRESS_TOTAL = re.compile(
    r"(?P<pct>\d{1,3})%\|(?P<bar>[^|]*)\|\s*(?P<n>" + _COUNT + r")/(?P<total>" + _COUNT + r")"
    r"\s*\[(?P<elapsed>" + _TIME + r")<(?P<remaining>" + _TIME + r")"
    r"(?:,\s*(?P<rate>[^,\]]*))?(?P<postfix>,[^\]]*)?\]"
)
_PROGRESS_NO_TOTAL = re.compile(
    r"(?<![\w.])(?P<n>" + _COUNT + r")(?:it|step|steps)?\s*\[(?P<elapsed>" + _TIME + r")"
    r",\s*(?P<rate>[\d.?]+\s*(?:it/s|s/it|\w+/s|s/\w+))(?P<postfix>,[^\]]*)?\]"
)
_RATE = re.compile(r"(?P<value>\d+(?:\.\d+)?|\?)\s*(?P<unit>[^\s,]*)")
_POSTFIX_ITEM = re.compile(r"([A-Za-z_][\w.\-]*)\s*=\s*([^,\]]*)")
_EPOCH = re.compile(r"\bepoch\b\s*[:=#]?\s*(\d+)(?:\s*(?:/|of)\s*(\d+))?", re.IGNORECASE)
LOSS_KEYS = ("loss", "step_loss", "train_loss", "avr_loss", "avg_loss")
LR_KEYS = ("lr", "learning_rate")


def parse_count(text: str) -> int:
    suffix = text[-1] if text and text[-1] in "kMGT" else ""
    number = text[: len(text) - len(suffix)]
    return int(round(float(number) * _NUM_SUFFIX[suffix]))


def parse_interval(text: str) -> float | None:
    """tqdm intervals: 'MM:SS', 'H:MM:SS', optionally '1d, 02:03:04'. '?' is unknown."""
    text = text.strip()
    if not text or text == "?":
        return None
    days = 0
    if "d" in text:
        head, _, text = text.partition("d")
        days = int(head)
        text = text.lstrip(", ")
    seconds = 0.0
    for part in text.split(":"):
        seconds = seconds * 60 + float(part)
    return days * 86400 + seconds


def parse_rate(text: str | None) -> tuple[float | None, str]:
    """'1.91it/s' -> 1.91, '4.95s/it' -> 1/4.95 (always iterations per second)."""
    if not text:
        return None, ""
    text = text.strip()
    m = _RATE.match(text)
    if not m or m.group("value") == "?":
        return None, text
    value = float(m.group("value"))
    unit = m.group("unit")
    if unit.startswith("s/"):
        return (1.0 / value if value else None), text
    return value, text


def _to_float(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        return float(text.strip())
    except ValueError:
        return None


def parse_postfix(text: str | None) -> dict[str, str]:
    if not text:
        return {}
    return {k: v.strip() for k, v in _POSTFIX_ITEM.findall(text)}


def _first(values: dict[str, str], keys: tuple[str, ...]) -> float | None:
    for key in keys:
        if key in values:
            number = _to_float(values[key])
            if number is not None:
                return number
    return None


def parse_progress(line: str) -> Progress | None:
    """A tqdm status line, or None. Cheap rejection first: this runs on every line."""
    if "[" not in line:
        return None
    m = _PROGRESS_TOTAL.search(line) if "%|" in line else None
    if m:
        total = parse_count(m.group("total"))
        percent = float(m.group("pct"))
    else:
        m = _PROGRESS_NO_TOTAL.search(line)
        if not m:
            return None
        total, percent = None, None
    rate, rate_text = parse_rate(m.group("rate"))
    postfix = parse_postfix(m.group("postfix"))
    desc = line[: m.start()].strip().rstrip(":").strip()
    return Progress(
        step=parse_count(m.group("n")),
        total=total,
        percent=percent,
        rate=rate,
        rate_text=rate_text,
        elapsed=parse_interval(m.group("elapsed")),
        remaining=parse_interval(m.group("remaining")) if total is not None else None,
        desc=desc,
        postfix=postfix,
        loss=_first(postfix, LOSS_KEYS),
        lr=_first(postfix, LR_KEYS),
    )


def parse_epoch(line: str) -> tuple[int, int | None] | None:
    """'Epoch 3/10', 'epoch: 3', 'Epoch 3 of 10' -> (3, 10) / (3, None)."""
    if "poch" not in line and "POCH" not in line:
        return None
    m = _EPOCH.search(line)
    if not m:
        return None
    return int(m.group(1)), (int(m.group(2)) if m.group(2) else None)


def is_end_marker(line: str) -> bool:
    return END_MARKER in line


class TracebackTail:
    """Keeps the lines from the last 'Traceback' line onwards (bounded)."""

    def __init__(self, max_lines: int = 200) -> None:
        self._lines: deque[str] | None = None
        self._max = max_lines

    def add(self, line: str) -> None:
        if line.startswith("Traceback"):
            self._lines = deque([line], maxlen=self._max)
        elif self._lines is not None:
            self._lines.append(line)

    @property
    def active(self) -> bool:
        return self._lines is not None

    @property
    def lines(self) -> list[str]:
        return list(self._lines) if self._lines is not None else []


def traceback_tail(lines: list[str], max_lines: int = 200) -> list[str]:
    tail = TracebackTail(max_lines)
    for line in lines:
        tail.add(line)
    return tail.lines


def format_seconds(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    seconds = int(round(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"
