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


@dataclass
class Chunk:
    """What one read of the log adds, split in one pass.

    `lines` are the lines a terminal would show: the carriage-return redraws of one physical line
    (tqdm's updates) are merged into the last one. `replaces_last` says the first of them redraws
    the line a previous chunk ended with (that line ended in a bare \r). `text` is the decoded text
    of the complete lines, every redraw included, for parsing progress from it."""

    text: str = ""
    lines: list[str] = field(default_factory=list)
    replaces_last: bool = False
    physical: list[str] = field(default_factory=list)  # `text` split at \n (\r redraws still inside)


def _shown(physical: str) -> str:
    """What a terminal shows of a line holding \r redraws: its last non-empty segment."""
    physical = physical.rstrip("\r")
    return physical[physical.rfind("\r") + 1 :]


class LineSplitter:
    """Bytes in, complete lines out. Breaks on \n, \r and \r\n (one break).

    Decoding is incremental (a multibyte character split across reads survives) and invalid
    bytes become U+FFFD. `feed`/`flush` give every segment as a line (empty segments ended by a
    bare \r, tqdm's leading redraw, are dropped); `split`/`split_final` give a `Chunk` whose lines
    merge the \r redraws. Splitting is bulk string work (str.split, never a regex per line).
    """

    def __init__(self, max_line: int = MAX_LINE_CHARS) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""
        self._max_line = max_line
        self._open = False  # the last shown line ended in a bare \r: the next text redraws it

    # ---- the complete part of what was read --------------------------------------------

    def _take(self, data: bytes, final: bool) -> tuple[str, list[str]]:
        """(text of the complete lines, pieces of an over-long unfinished line)."""
        text = self._pending + self._decoder.decode(data, final=final)
        self._pending = ""
        if final:
            return text, []
        hold = ""
        if text.endswith("\r"):  # a \n may follow in the next read; decide then
            text, hold = text[:-1], "\r"
        cut = max(text.rfind("\n"), text.rfind("\r")) + 1
        complete, rest = text[:cut], text[cut:]
        pieces: list[str] = []
        if len(rest) >= self._max_line:
            pieces = self._cut(rest)
            rest = pieces.pop()
        self._pending = rest + hold
        return complete, pieces

    def _cut(self, segment: str) -> list[str]:
        n = self._max_line
        if len(segment) <= n:
            return [segment]
        return [segment[i : i + n] for i in range(0, len(segment), n)]

    def _bound(self, lines: list[str], text_len: int) -> list[str]:
        if text_len <= self._max_line or max(map(len, lines), default=0) <= self._max_line:
            return lines
        return [piece for line in lines for piece in self._cut(line)]

    # ---- every segment a line ------------------------------------------------------------

    def feed(self, data: bytes) -> list[str]:
        complete, pieces = self._take(data, final=False)
        return self._segments(complete, final=False) + pieces

    def flush(self) -> list[str]:
        complete, _ = self._take(b"", final=True)
        return self._segments(complete, final=True)

    def _segments(self, text: str, final: bool) -> list[str]:
        if "\r" in text:
            text = text.replace("\r\n", "\n")
        physical = text.split("\n")
        tail = physical.pop()  # after the last \n: "" or segments ended by \r (or, final, the last line)
        out: list[str] = []
        for line in physical:
            if "\r" in line:
                *redraws, last = line.split("\r")
                out.extend(r for r in redraws if r)
                out.append(last)
            else:
                out.append(line)
        if tail:
            *redraws, last = tail.split("\r")
            out.extend(r for r in redraws if r)
            if final and last:
                out.append(last)
        return self._bound(out, len(text))

    # ---- lines as a terminal shows them ---------------------------------------------------

    def split(self, data: bytes) -> Chunk:
        complete, pieces = self._take(data, final=False)
        chunk = self._merge(complete, final=False)
        if pieces:
            chunk.lines.extend(pieces)
            self._open = False
        return chunk

    def split_final(self) -> Chunk:
        complete, _ = self._take(b"", final=True)
        return self._merge(complete, final=True)

    def _merge(self, text: str, final: bool) -> Chunk:
        if not text:
            return Chunk()
        has_cr = "\r" in text
        # split at \n only: a \r\n line ends in \r, which the redraw merge below strips anyway
        physical = text.split("\n")
        # the last piece, after the last \n: "" or redraws each ended by \r (an open line), or
        # at the end of the stream its unterminated last line
        tail = physical[-1]
        newline = len(physical) > 1
        if has_cr:  # what a terminal shows: the last non-empty \r segment (inlined: per line)
            lines = [(t := line.rstrip("\r"))[t.rfind("\r") + 1 :] if "\r" in line else line
                     for line in physical[:-1]]
        else:
            lines = physical[:-1]
        tail_shown = _shown(tail) if "\r" in tail else tail
        open_end = False
        if tail_shown:
            lines.append(tail_shown)
            open_end = not final
        replaces = False
        if self._open and lines:
            # this text begins on the open line: its first line redraws it, or (empty) ends it as it was
            if lines[0]:
                replaces = True
            elif newline:
                lines.pop(0)
        if newline or final or tail_shown:
            self._open = open_end
        return Chunk(text, self._bound(lines, len(text)), replaces, physical)


def sample(items: list, n: int) -> list:
    """`n` evenly spaced items in order, the last one always among them (all when there are fewer)."""
    if len(items) <= n:
        return items
    return [items[(i + 1) * len(items) // n - 1] for i in range(n)]


def progress_candidates(physical: list[str], limit: int) -> list[str]:
    """The \r/\n-delimited segments that may be tqdm status lines (a "[" and "it" or "/s": the
    cheap test done before any regex), in order; when there are more than `limit`, `limit`
    evenly spaced ones with the newest among them."""
    lines = sample([s for s in physical if "[" in s and ("it" in s or "/s" in s)], limit)
    segments: list[str] = []
    for line in lines:
        if "\r" in line:
            segments.extend(s for s in line.split("\r") if "[" in s and ("it" in s or "/s" in s))
        else:
            segments.append(line)
    return sample(segments, limit)


def epoch_candidates(lines: list[str], limit: int) -> list[str]:
    """The shown lines that may name an epoch ("poch" or "EPOCH", the cheap test before the
    regex), at most `limit` evenly spaced ones with the newest among them. Shown lines, not every
    redraw: a tqdm label "Epoch 3" is the same on every redraw of its bar, and the shown text is an
    eighth of a tqdm-heavy read."""
    return sample([line for line in lines if "poch" in line or "EPOCH" in line], limit)


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

    def extend(self, lines: list[str], may_start: bool = True) -> None:
        """`add` for each line, in bulk. `may_start=False` (the text holds no "Traceback") skips
        looking at the lines one by one."""
        start = 0
        if may_start:
            for i in range(len(lines) - 1, -1, -1):
                if lines[i].startswith("Traceback"):
                    self._lines = deque(maxlen=self._max)
                    start = i
                    break
        if self._lines is not None:
            self._lines.extend(lines[start:] if start else lines)

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
