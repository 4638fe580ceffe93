"""A trainer-like byte stream written for these tests (our own text, no upstream output): tqdm
bars redrawn with \\r and closed with \\n, a tqdm.write-style message between redraws, bars without
a total, epochs in lines and in bar labels, CRLF lines, invalid UTF-8, a multibyte bar split across
reads, a traceback and the end marker."""
from __future__ import annotations

END_MARKER = "=========== End Training ==========="


def bar(step: int, total: int, loss: float, desc: str = "Steps") -> str:
    pct = int(100 * step / total)
    filled = pct // 10
    return (f"{desc}: {pct:3d}%|{'█' * filled}{' ' * (10 - filled)}| {step}/{total} "
            f"[00:{step % 60:02d}<00:{(total - step) % 60:02d},  1.91it/s, step_loss={loss:.4f}, lr=0.0001]")


def captured_stream() -> bytes:
    out: list[bytes] = [b"Loading model\xe2\x80\xa6\n", b"warning: on stderr\r\n", b"bad bytes: \xff\xfe end\n"]
    for epoch in (1, 2):
        out.append(f"Epoch {epoch}/2\n".encode())
        out.append(("\r" + bar(0, 20, 1.0)).encode())
        for step in range(1, 21):
            out.append(("\r" + bar(step, 20, 1.0 / (step + epoch))).encode())
            if step == 7:  # tqdm.write: clear the bar, print, redraw
                out.append(b"\r" + b" " * 40 + b"\rsaving checkpoint 7\n")
                out.append(("\r" + bar(step, 20, 1.0 / (step + epoch))).encode())
        out.append(b"\n")
    for i in range(1, 6):  # a bar without a total, labelled with the epoch
        out.append(f"\rEpoch 3: {i * 10}it [00:0{i}, 9.5it/s, loss={0.1 * i:.2f}]".encode())
    out.append(b"\n")
    out.append(b"Traceback (most recent call last):\n  File \"train.py\", line 1, in <module>\n"
               b"RuntimeError: CUDA out of memory (fake)\n")
    out.append((END_MARKER + "\n").encode())
    out.append(b"last line without a break")
    return b"".join(out)
