from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from dpg_lora.runner.parse import (
    END_MARKER,
    LineSplitter,
    format_seconds,
    is_end_marker,
    parse_epoch,
    parse_interval,
    parse_progress,
    parse_rate,
    traceback_tail,
)


def test_tqdm_line_with_postfix():
    p = parse_progress("Steps:  12%|█▏        | 120/1000 [01:02<07:40,  1.91it/s, loss=0.123, lr=0.0001]")
    assert (p.step, p.total, p.percent) == (120, 1000, 12.0)
    assert p.rate == pytest.approx(1.91)
    assert (p.elapsed, p.remaining) == (62.0, 460.0)
    assert p.loss == pytest.approx(0.123) and p.lr == pytest.approx(0.0001)
    assert p.desc == "Steps"
    assert p.fraction == pytest.approx(0.12)


def test_seconds_per_iteration_is_inverted():
    p = parse_progress("  5%|▌ | 5/100 [00:01<00:19, 4.95s/it]")
    assert (p.step, p.total) == (5, 100)
    assert p.rate == pytest.approx(1 / 4.95)
    assert p.loss is None and p.desc == ""


def test_step_loss_and_hours():
    p = parse_progress("Steps:  50%|#####     | 500/1000 [1:02:03<1:00:00, 3.00it/s, step_loss=0.0456, lr=1e-05]")
    assert p.elapsed == 3723.0 and p.remaining == 3600.0
    assert p.loss == pytest.approx(0.0456) and p.lr == pytest.approx(1e-5)


def test_unknown_rate_and_remaining_at_start():
    p = parse_progress("Steps:   0%|          | 0/1000 [00:00<?, ?it/s]")
    assert (p.step, p.total, p.rate, p.remaining) == (0, 1000, None, None)


def test_no_total():
    p = parse_progress("120it [00:10, 11.9it/s, step_loss=0.5]")
    assert (p.step, p.total, p.rate, p.loss) == (120, None, 11.9, 0.5)
    assert p.fraction is None


def test_unit_scaled_counts_and_days():
    p = parse_progress("Epoch 3/10: 50%|#####     | 1.2k/2.4k [1d, 01:02:03<1:00:00, 3.00it/s]")
    assert (p.step, p.total) == (1200, 2400)
    assert p.elapsed == 86400 + 3723
    assert p.desc == "Epoch 3/10"


@pytest.mark.parametrize("line", [
    "", "hello", "Loading [model]", "50% done", "loss=0.1", "[00:01<00:02]",
    "accuracy | 5/10 | ok", END_MARKER,
])
def test_non_progress_lines(line):
    assert parse_progress(line) is None


@pytest.mark.parametrize("line,expected", [
    ("Epoch 3/10", (3, 10)),
    ("epoch: 3", (3, None)),
    ("EPOCH 4 of 20 starting", (4, 20)),
    ("Saving epoch=7", (7, None)),
    ("num_train_epochs: 10", None),
    ("epochs 5", None),
    ("no numbers", None),
])
def test_epochs(line, expected):
    assert parse_epoch(line) == expected


def test_rates_and_intervals():
    assert parse_rate("2.5it/s")[0] == 2.5
    assert parse_rate("2s/it")[0] == 0.5
    assert parse_rate("?it/s")[0] is None
    assert parse_interval("?") is None
    assert parse_interval("01:05") == 65
    assert format_seconds(3725) == "1:02:05" and format_seconds(65) == "01:05"
    assert format_seconds(None) == "?"


def test_end_marker():
    assert is_end_marker(END_MARKER)
    assert is_end_marker("  " + END_MARKER + " ")
    assert not is_end_marker("=========== End ===========")


def test_traceback_tail_keeps_the_last_traceback():
    lines = ["a", "Traceback (most recent call last):", "  x", "E1", "more",
             "Traceback (most recent call last):", '  File "t.py"', "RuntimeError: boom"]
    assert traceback_tail(lines) == lines[5:]
    assert traceback_tail(["no", "trace"]) == []
    long = ["Traceback (most recent call last):"] + [f"l{i}" for i in range(500)]
    assert traceback_tail(long, max_lines=10) == long[-10:]


def test_splitter_cr_lf_and_crlf():
    s = LineSplitter()
    assert s.feed(b"a\nb\r\nc\rd") == ["a", "b", "c"]
    assert s.flush() == ["d"]


def test_splitter_cr_split_across_reads_is_one_break():
    s = LineSplitter()
    assert s.feed(b"one\r") == []
    assert s.feed(b"\ntwo\n") == ["one", "two"]


def test_splitter_drops_empty_redraw_segments_keeps_blank_lines():
    s = LineSplitter()
    assert s.feed(b"x\n\r 5%\r 6%\n\nz\n") == ["x", " 5%", " 6%", "", "z"]


def test_splitter_multibyte_split_and_invalid_bytes():
    s = LineSplitter()
    data = "█ fine ü\n".encode()
    out = []
    for i in range(len(data)):
        out += s.feed(data[i:i + 1])
    assert out == ["█ fine ü"]
    assert s.feed(b"bad \xff\xfe ok\n") == ["bad \ufffd\ufffd ok"]


def test_splitter_bounds_a_line_without_breaks():
    s = LineSplitter(max_line=100)
    out = s.feed(b"x" * 250)
    assert out == ["x" * 100, "x" * 100]
    assert s.flush() == ["x" * 50]


@given(st.lists(st.sampled_from(["a", "ü", "█", "\n", "\r", "\r\n", "b c"]), max_size=40),
       st.integers(min_value=1, max_value=7))
def test_splitter_chunking_does_not_matter(pieces, chunk):
    data = "".join(pieces).encode()
    whole = LineSplitter()
    expected = whole.feed(data) + whole.flush()
    s = LineSplitter()
    got = []
    for i in range(0, len(data), chunk):
        got += s.feed(data[i:i + chunk])
    got += s.flush()
    assert got == expected
