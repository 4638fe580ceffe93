"""Choosing a run that is still going from the Run tab's history shows each of its log lines once
(real clicks; a fake trainer printing numbered lines while the entries are switched)."""
from __future__ import annotations

import re
import time
from collections import Counter

from tests.gui.test_run_tab import tab  # noqa: F401 - the Run tab fixture (a fake trainer folder)


def paced_lines(log: str) -> list[int]:
    return [int(m.group(1)) for m in re.finditer(r"paced (\d+)$", log, re.M)]


def choose(run_tab, run_id: str) -> None:
    """A real click on a history entry (the list is drawn again when a run starts or ends: the
    entry is looked up again and clicked again if the click landed on a list being redrawn)."""
    for _ in range(6):
        run_tab.gui.frames(2)
        try:
            run_tab.click(run_tab.panel.history_items[run_id])
        except Exception:  # noqa: BLE001 - Dear PyGui's "item not found": the list was redrawn meanwhile
            continue
        if run_tab.panel.view.run_id == run_id:
            return
    raise AssertionError(f"could not choose {run_id}")


def test_choosing_a_live_run_in_the_history_shows_its_lines_once(tab):  # noqa: F811
    tab.options("--steps", "3")
    tab.click("run")
    tab.until(lambda: tab.panel.view.state == "finished", what="the first run")
    first = tab.panel.view.run_id
    tab.options("--paced", "300", "--pace", "0.012", "--steps", "2")
    tab.click("run")
    tab.until(lambda: tab.panel.view.run_id != first and len(paced_lines(tab.value("log"))) > 5, what="live lines")
    live = tab.panel.view.run_id
    tab.until(lambda: live in tab.panel.history_items, what="the live run listed")
    chosen_live = 0
    for _ in range(3):  # back and forth while it prints: the file has lines not yet drained
        choose(tab, first)
        time.sleep(0.15)  # lines pile up in the file and the queue, undrained
        choose(tab, live)
        chosen_live += tab.panel.view.live
        tab.gui.frames(3)
        shown = paced_lines(tab.value("log"))
        assert not [n for n, c in Counter(shown).items() if c > 1], shown
    assert chosen_live, "the run ended before it was chosen again"
    tab.until(lambda: tab.panel.view.state == "finished", what="the live run's end")
    shown = paced_lines("\n".join(tab.panel.view.log))
    assert [n for n, c in Counter(shown).items() if c > 1] == []
    assert shown == list(range(shown[0], 300)), shown  # none missing at the end either
    xs = tab.panel.view.loss_xs
    assert xs == sorted(set(xs)), xs  # no loss point twice
