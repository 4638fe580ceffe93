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


def test_a_turn_served_before_a_deferred_wake_is_due_cancels_its_post():
    """The loop ran a turn for another reason (input, a settling frame) after a wake was deferred:
    that turn drained the queue, so the deferred post would only draw an empty frame (and the
    runner's next line would plant the next one: a loop that never sleeps while a run prints)."""
    waker, posts = make(min_interval=0.2)
    waker.wake()
    waker.served()  # the first wake's turn
    waker.wake()  # deferred to 0.2 s after that turn
    time.sleep(0.05)
    waker.served()  # a turn for input drains it
    time.sleep(0.35)
    assert len(posts.times) == 1
    waker.wake()  # the next wake is deferred again from the last turn, and posts once
    time.sleep(0.35)
    assert len(posts.times) == 2
    waker.close()


def test_paced_output_posts_once_per_pace_and_marks_the_turn_that_serves_it():
    waker, posts = make()
    waker.pace = 0.3
    waker.wake_paced()  # the first output after a quiet spell: at once
    assert posts.event.wait(1)
    waker.served()
    assert waker.paced
    posts.event.clear()
    t0 = time.monotonic()
    for _ in range(50):
        waker.wake_paced()  # a burst of output: one post, a pace after the paced turn
    time.sleep(0.05)
    waker.served()  # a turn for another reason (input) before that post is due
    assert not waker.paced and len(posts.times) == 1
    assert posts.event.wait(2)
    assert len(posts.times) == 2 and posts.times[1] - t0 >= 0.2
    waker.served()
    assert waker.paced
    waker.served()  # the settling frame after it
    assert not waker.paced
    time.sleep(0.4)
    assert len(posts.times) == 2  # nothing printed since: no more posts
    waker.close()


def test_a_paced_turn_served_early_cancels_its_post():
    waker, posts = make()
    waker.pace = 0.3
    waker.wake_paced()
    waker.served()
    waker.wake_paced()  # due 0.3 s after that turn
    time.sleep(0.28)  # an input turn within PACE_SLACK of it serves it
    waker.served()
    assert waker.paced
    time.sleep(0.2)
    assert len(posts.times) == 1
    waker.close()


def test_output_pace_keeps_redraws_to_a_share_of_a_core():
    from dpg_lora.ui.wake import PACE_MAX, PACE_MIN, REDRAW_SHARE, output_pace

    assert output_pace(0.002) == PACE_MIN  # a GPU: a few redraws a second
    slow = output_pace(0.05)  # software GL: two 50 ms frames per redraw
    assert PACE_MIN < slow < PACE_MAX and abs(2 * 0.05 / slow - REDRAW_SHARE) < 1e-9
    assert output_pace(5.0) == PACE_MAX
