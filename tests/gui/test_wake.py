"""Waker without a window: coalesced wakes from threads, timed wakes, closing."""
from __future__ import annotations

import threading
import time

from dpg_lora.ui.wake import Waker


class Posts:
    def __init__(self):
        self.times: list[float] = []
        self.event = threading.Event()

    def __call__(self):
        self.times.append(time.monotonic())
        self.event.set()


def make(min_interval=0.2):
    posts = Posts()
    return Waker(lambda: None, posts, min_interval=min_interval), posts


def test_the_first_wake_posts_at_once_and_a_burst_is_coalesced():
    waker, posts = make()
    for _ in range(100):
        waker.wake()
    assert len(posts.times) == 1  # one post until the loop starts its turn
    waker.served()
    t0 = time.monotonic()
    for _ in range(100):
        waker.wake()  # within min_interval of the last served wake: deferred to the timer
    assert len(posts.times) == 1
    assert posts.event.wait(2)
    time.sleep(0.3)
    assert len(posts.times) == 2
    assert posts.times[1] - t0 >= 0.15
    waker.close()


def test_wake_at_posts_once_when_due_and_duplicates_merge():
    waker, posts = make()
    due = time.monotonic() + 0.15
    for _ in range(5):
        waker.wake_at(due)
    time.sleep(0.05)
    assert posts.times == []
    time.sleep(0.3)
    assert len(posts.times) == 1 and posts.times[0] >= due
    waker.close()


def test_a_closed_waker_posts_nothing():
    waker, posts = make()
    waker.wake_at(time.monotonic() + 0.05)
    waker.close()
    waker.wake()
    time.sleep(0.15)
    assert posts.times == []


def test_without_a_poster_wake_ends_the_idle_sleep_early():
    waker = Waker(idle_fps=10)
    assert not waker.waits and waker.idle_fps == 10
    threading.Timer(0.05, waker.wake).start()
    t0 = time.monotonic()
    waker.idle_sleep(5)
    assert time.monotonic() - t0 < 2
    waker.close()
