"""Sleeping the render loop until input or a background event, and waking it.

Dear PyGui's own `configure_app(wait_for_input=True)` blocks at the *start* of
`render_dearpygui_frame` (`glfwWaitEvents()`, src/mvViewport_linux.cpp:93 and
mvViewport_apple.mm:212 in 2.3.1; `WaitMessage()`, mvViewport_win32.cpp:123), after our loop turn
has drained the queues: an event that wakes it is drained only by the next turn and drawn one
frame late. So the loop waits itself, *before* its turn, with the same OS calls, and Dear PyGui
polls as usual inside the frame:
- Linux / macOS: `glfwWaitEvents` and, to wake it, `glfwPostEmptyEvent`, both exported by
  `dearpygui/_dearpygui.so` (GLFW 3.3.7, which calls XInitThreads; GLFW documents
  glfwPostEmptyEvent as callable from any thread). ctypes releases the GIL while it waits.
- Windows: `MsgWaitForMultipleObjectsEx(QS_ALLINPUT)` and `PostThreadMessageW(ui thread, WM_NULL)`.
- Neither available: the loop idles at IDLE_FPS instead (`idle_sleep`, woken early by `wake`).

A producer that queues an event for the UI (watcher, runner reader, folder check) calls the
`wake` function it was handed (`Waker.wake`).

Wakes from threads are coalesced: the first after a quiet spell is posted at once, later ones at
most every `min_interval` seconds. A run's output wakes through `wake_paced`: one post every
`pace` seconds while it prints (a run that prints thousands of lines a second redraws a few times
a second, fewer where frames are dear: `output_pace`). `wake_at(t)` posts at a monotonic time (autosave, a highlight fading out); one
timer thread serves all of them.
"""
from __future__ import annotations

import ctypes
import heapq
import sys
import threading
import time
from typing import Callable

from dpg_lora.ui.glfw import glfw_functions

IDLE_FPS = 10  # frames per second while idle when the platform offers no way to wake the loop
BACKGROUND_INTERVAL = 0.2  # seconds between frames caused by background events (a burst)
PACE_MIN, PACE_MAX = 0.25, 1.0  # seconds between redraws of a run's output (`output_pace`)
REDRAW_SHARE = 0.15  # of a core, at most, for redrawing a printing run's output
PACE_SLACK = 0.05  # a turn this early for the paced post is the paced turn


def output_pace(frame_seconds: float) -> float:
    """Seconds between redraws of a run's output for frames costing `frame_seconds` of CPU:
    PACE_MIN, or longer where frames are dear (software GL spends about 60 ms on this window), so
    the two frames of each redraw (the new text, then its scroll to the end) take at most
    REDRAW_SHARE of a core."""
    return min(PACE_MAX, max(PACE_MIN, 2 * frame_seconds / REDRAW_SHARE))

Post = Callable[[], None]


Wait = Callable[[], None]


def glfw_calls() -> tuple[Wait, Post] | None:
    """(glfwWaitEvents, glfwPostEmptyEvent) from the Dear PyGui module, if it exports them."""
    calls = glfw_functions("glfwWaitEvents", "glfwPostEmptyEvent")
    if calls is None:
        return None
    wait, post = calls
    for fn in (wait, post):
        fn.argtypes, fn.restype = [], None
    return wait, post


def win32_calls() -> tuple[Wait, Post] | None:
    """Wait for any message of the calling (UI) thread; post WM_NULL to that thread."""
    try:
        user32, kernel32 = ctypes.windll.user32, ctypes.windll.kernel32  # type: ignore[attr-defined]
    except AttributeError:
        return None
    thread_id = kernel32.GetCurrentThreadId()
    infinite, qs_allinput, mwmo_inputavailable, wm_null = 0xFFFFFFFF, 0x04FF, 0x0004, 0
    msg_wait, post_thread = user32.MsgWaitForMultipleObjectsEx, user32.PostThreadMessageW
    return (lambda: msg_wait(0, None, infinite, qs_allinput, mwmo_inputavailable),
            lambda: post_thread(thread_id, wm_null, 0, 0))


def platform_calls() -> tuple[Wait | None, Post | None, str]:
    """How to wait for input and wake that wait on this platform, and the method's name.
    Call on the UI thread, after the viewport is shown (Windows posts to the calling thread)."""
    calls = win32_calls() if sys.platform == "win32" else glfw_calls()
    if calls is None:
        return None, None, "idle-fps"
    return calls[0], calls[1], "MsgWaitForMultipleObjectsEx" if sys.platform == "win32" else "glfwWaitEvents"


class Waker:
    """Lets the UI loop sleep (`wait`) and wakes it from any thread (`wake`, `wake_at`).

    Without `wait`/`post` there is nothing to block on: `idle_fps` (if set) is the frame rate the
    loop falls back to while idle, and None renders every turn (tests, smoke runs)."""

    def __init__(self, wait: Wait | None = None, post: Post | None = None, *,
                 min_interval: float = BACKGROUND_INTERVAL, clock: Callable[[], float] = time.monotonic,
                 method: str = "", idle_fps: float | None = None):
        if (wait is None) != (post is None):
            raise ValueError("wait and post come together")
        self._wait, self._post = wait, post
        self.idle_fps = None if post is not None else idle_fps
        self.method = method or ("custom" if post else "none")
        self.min_interval = min_interval
        self.clock = clock
        self._cond = threading.Condition()
        self._timers: list[float] = []  # heap of monotonic times to post at (no duplicates)
        self._pending = False  # a background wake is posted or scheduled, its frame not started
        self._pending_due: float | None = None  # when that wake's deferred post is scheduled
        self.pace = PACE_MIN  # seconds between paced posts (`wake_paced`); the loop sets it
        self._paced_due: float | None = None  # the next paced post, while one is scheduled
        self._last_paced = float("-inf")  # when the loop last served a paced post
        self.paced = False  # the turn the loop is starting serves the paced post (`served`)
        self._last_served = float("-inf")
        self._closed = False
        self._thread: threading.Thread | None = None
        self._event = threading.Event()  # for the no-poster fallback's idle sleep
        self.posts = 0  # events posted (for tests and benchmarks)

    @property
    def waits(self) -> bool:
        """True when the loop can block until input: something can wake it."""
        return self._post is not None

    # ------------------------------------------------------------ any thread
    def wake(self) -> None:
        """Something was queued for the UI: have the loop run a frame soon."""
        with self._cond:
            if self._closed or self._pending:
                return
            self._pending = True
            due = self._last_served + self.min_interval
            if self.clock() < due:
                self._pending_due = due
                self._schedule(due)
                return
        self.post()

    def wake_paced(self) -> None:
        """Output to show that can wait (a trainer's lines and progress): one post at the next
        pace tick, at most one every `pace` seconds, whatever else wakes the loop meanwhile."""
        with self._cond:
            if self._closed or self._paced_due is not None:
                return
            now = self.clock()
            self._paced_due = max(now, self._last_paced + self.pace)
            if self._paced_due > now:
                self._schedule(self._paced_due)
                return
        self.post()

    def wake_at(self, when: float) -> None:
        """Run a frame at monotonic time `when` (or at once when it has passed)."""
        with self._cond:
            if not self._closed and when not in self._timers:
                self._schedule(when)

    def post(self) -> None:
        """One event now: the next (or current) wait for input returns."""
        self.posts += 1
        self._event.set()
        if self._post is not None:
            self._post()

    # ------------------------------------------------------------ UI thread
    def wait(self) -> None:
        """Block until OS input or a `post` (any thread). Only when `waits`."""
        if self._wait is not None:
            self._wait()

    def served(self) -> None:
        """The loop starts a turn: what was queued so far is about to be drained."""
        with self._cond:
            if self._pending:
                self._pending = False
                self._last_served = self.clock()
                # a turn the loop runs anyway (input, a settling frame) drains what that wake was
                # for: its deferred post would only start another frame, which would plant the next
                self._cancel(self._pending_due)
            self._pending_due = None
            now = self.clock()
            self.paced = self._paced_due is not None and now >= self._paced_due - PACE_SLACK
            if self.paced:
                self._cancel(self._paced_due)  # served before its post: the post is not needed
                self._paced_due, self._last_paced = None, now
        self._event.clear()

    def idle_sleep(self, seconds: float) -> None:
        """Fallback without a poster: sleep up to `seconds`, less when woken."""
        self._event.wait(seconds)

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._timers.clear()
            self._cond.notify_all()
            thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(2)

    # ------------------------------------------------------------ timer thread
    def _cancel(self, when: float | None) -> None:  # holds self._cond
        """Drop the timed post at `when`, if one is still scheduled."""
        if when is not None and when in self._timers:
            self._timers.remove(when)
            heapq.heapify(self._timers)
            self._cond.notify_all()

    def _schedule(self, when: float) -> None:  # holds self._cond
        heapq.heappush(self._timers, when)
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="dpg-lora wake timer", daemon=True)
            self._thread.start()
        self._cond.notify_all()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._closed and (not self._timers or self._timers[0] > self.clock()):
                    timeout = self._timers[0] - self.clock() if self._timers else None
                    self._cond.wait(timeout)
                if self._closed:
                    return
                now = self.clock()
                while self._timers and self._timers[0] <= now:
                    heapq.heappop(self._timers)
            self.post()
