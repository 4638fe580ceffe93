"""Double clicks on list entries, timed here: Dear ImGui counts a double click in frame time,
which a loaded machine's slow frames eat, so a second click on the same entry soon after the
first is the double click."""
from __future__ import annotations

import time
from typing import Any, Callable

DOUBLE_CLICK_SECONDS = 0.5


class SecondClick:
    def __init__(self, seconds: float = DOUBLE_CLICK_SECONDS, clock: Callable[[], float] = time.monotonic):
        self.seconds, self.clock = seconds, clock
        self.last: tuple[Any, float] | None = None  # (what was clicked, when)

    def is_second(self, target: Any) -> bool:
        """Record a click on `target`; True when it is the second click on it in time (which then
        starts a new pair)."""
        now = self.clock()
        if self.last is not None and self.last[0] == target and now - self.last[1] <= self.seconds:
            self.last = None
            return True
        self.last = (target, now)
        return False

    def forget(self) -> None:
        """The last click became something else (a drag): the next one starts a new pair."""
        self.last = None
