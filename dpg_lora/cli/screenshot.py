"""`dpg-lora screenshot GRAPH -o shot.png [--size WxH] [--lang zh-CN] [--scale 150] [--rects rects.json]`:
the editor with a graph, as a PNG; --rects also writes the canvas and node rectangles drawn in
that frame; --lang and --scale are DPG_LORA_LANG and DPG_LORA_UI_SCALE for this picture.

Works without a desktop: when DISPLAY is unset it starts its own Xvfb and stops it afterwards.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
from typing import Iterator

from dpg_lora.cli._display import x_display_opens
from dpg_lora.i18n import LANGUAGES
from dpg_lora.settings import UI_SCALES, theme_choices


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("screenshot", help="render the editor with a graph loaded into a PNG",
                       description="Render the editor with GRAPH loaded and save a PNG of the window.")
    p.add_argument("graph", help="graph file to show")
    p.add_argument("-o", "--output", required=True, help="PNG file to write")
    p.add_argument("--size", default="1500x920", help="window size WxH (default 1500x920)")
    p.add_argument("--theme", default="dark", choices=theme_choices(),
                   help="a theme shipped in themes/ (default dark)")
    p.add_argument("--lang", choices=LANGUAGES, help="the editor's language (default: as DPG_LORA_LANG)")
    p.add_argument("--scale", choices=[str(s) for s in UI_SCALES],
                   help="UI scale in percent (default: as DPG_LORA_UI_SCALE, else 100)")
    p.add_argument("--compact", action="store_true", help="re-encode the PNG smaller (RGB, zlib 9)")
    p.add_argument("--rects", metavar="JSON", help='also write the drawn rectangles in window pixels: '
                   '{"canvas": [x, y, w, h], "nodes": {"<node id>": [x, y, w, h], ...}}')
    p.set_defaults(func=screenshot_command)


def parse_size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise ValueError(f"size must look like 1500x920, got {text!r}") from None
    if w < 400 or h < 300:
        raise ValueError("size must be at least 400x300")
    return w, h


def start_xvfb(width: int = 1920, height: int = 1200, timeout: float = 10.0) -> tuple[subprocess.Popen, str]:
    """Start `Xvfb -displayfd` on a free display; returns (process, ":N"). Raises OSError."""
    exe = shutil.which("Xvfb")
    if exe is None:
        raise OSError("Xvfb is not installed (apt-get install xvfb)")
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen([exe, "-displayfd", str(write_fd), "-screen", "0", f"{width}x{height}x24",
                             "-nolisten", "tcp"], pass_fds=(write_fd,),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    deadline = time.monotonic() + timeout
    data = b""
    with os.fdopen(read_fd, "rb") as pipe:
        while not data.endswith(b"\n") and time.monotonic() < deadline:
            chunk = pipe.read(1)
            if not chunk:
                break
            data += chunk
    if not data.strip():
        proc.kill()
        proc.wait()
        raise OSError("Xvfb did not report a display")
    return proc, ":" + data.decode().strip()


@contextlib.contextmanager
def display(width: int = 1920, height: int = 1200) -> Iterator[str]:
    """The current DISPLAY when it opens, else a private Xvfb for the duration of the block."""
    current = os.environ.get("DISPLAY")
    if current and x_display_opens(current) is not False:
        yield current
        return
    proc, name = start_xvfb(width, height)
    os.environ["DISPLAY"] = name
    try:
        yield name
    finally:
        if current:
            os.environ["DISPLAY"] = current
        else:
            os.environ.pop("DISPLAY", None)
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def render_png(graph_path: str, output: str, size: tuple[int, int], theme: str = "dark",
               compact: bool = False, rects: str | None = None) -> None:
    """In this process (one viewport per process): open the editor, draw, save the frame buffer."""
    import dearpygui.dearpygui as dpg

    from dpg_lora.ui.app import EditorApp

    width, height = size
    dpg.create_context()
    try:
        dpg.configure_app(manual_callback_management=True)
        dpg.create_viewport(title="dpg-lora", width=width, height=height, x_pos=0, y_pos=0)
        app = EditorApp(theme=theme, runner=False).build(width, height)
        dpg.setup_dearpygui()
        dpg.show_viewport()
        dpg.set_primary_window(app.root, True)
        if not app.open_path(graph_path):
            raise ValueError(app.status_message())
        app.check_profiles(force=True)  # the trainer folder's scripts, before the picture

        def frame():
            app.turn()
            dpg.render_dearpygui_frame()
            dpg.run_callbacks(dpg.get_callback_queue())

        for i in range(60):  # the frame buffer holds real content only after two frames, and
            frame()          # fitting the graph measures it after each frame until it settles
            if i >= 3 and app.canvas.settled():
                break
        frame()
        if rects:
            write_rects(rects, app.canvas.drawn_rects())
        output = os.path.abspath(output)
        if compact:
            got = []
            dpg.output_frame_buffer(callback=lambda sender, buf: got.append(buf))
            for _ in range(20):  # the buffer arrives during the next frame
                frame()
                if got:
                    break
            if not got:
                raise OSError("no frame captured")
            write_png(output, got[0].get_width(), got[0].get_height(), memoryview(got[0]).cast("B"))
            return
        if os.path.exists(output):
            os.unlink(output)
        dpg.output_frame_buffer(file=output)
        for _ in range(20):  # the file is written during the next frame
            frame()
            if os.path.exists(output) and os.path.getsize(output) > 0:
                break
        if not os.path.exists(output):
            raise OSError(f"no frame written to {output}")
    finally:
        dpg.destroy_context()


def write_rects(path: str, rects: dict) -> None:
    """The drawn rectangles as JSON, one node per line."""
    from dpg_lora.fileio import atomic_write_text

    nodes = rects["nodes"]
    lines = [f'  {json.dumps(k)}: {json.dumps(v)}' for k, v in nodes.items()]
    text = ('{"canvas": ' + json.dumps(rects["canvas"]) + ', "nodes": {'
            + ("\n" + ",\n".join(lines) + "\n" if lines else "") + "}}\n")
    atomic_write_text(path, text)
    os.chmod(path, 0o644)


def write_png(path: str, width: int, height: int, rgba_floats) -> None:
    """An RGB PNG from Dear PyGui's frame buffer (RGBA floats, top row first), zlib level 9:
    flat UI colours make it several times smaller than the RGBA file output_frame_buffer writes."""
    import array
    import struct
    import zlib

    from dpg_lora.fileio import atomic_write_bytes

    values = array.array("f", bytes(rgba_floats))
    rgba = bytes(min(255, int(v * 255 + 0.5)) for v in values)
    stride = width * 4
    rows = bytearray()
    for y in range(height):
        line = rgba[y * stride:(y + 1) * stride]
        rgb = bytearray(stride // 4 * 3)
        rgb[0::3], rgb[1::3], rgb[2::3] = line[0::4], line[1::4], line[2::4]
        rows += b"\x00" + rgb

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    atomic_write_bytes(path, b"\x89PNG\r\n\x1a\n"
                       + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                       + chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + chunk(b"IEND", b""))


def screenshot_command(args: argparse.Namespace) -> int:
    from dpg_lora.graph import GraphFileError, load_graph

    try:
        size = parse_size(args.size)
        load_graph(args.graph)
    except (ValueError, GraphFileError) as exc:
        print(f"dpg-lora: {exc}", file=sys.stderr)
        return 2
    if not args.output.lower().endswith(".png"):
        print("dpg-lora: the output must be a .png file", file=sys.stderr)
        return 2
    for name, value in (("DPG_LORA_LANG", args.lang), ("DPG_LORA_UI_SCALE", args.scale)):
        if value:
            os.environ[name] = value  # read by the editor's settings in this process
    try:
        with display(max(size[0], 1280) + 64, max(size[1], 1024) + 64):
            render_png(args.graph, args.output, size, args.theme, compact=args.compact, rects=args.rects)
    except (OSError, ValueError) as exc:
        print(f"dpg-lora: {exc}", file=sys.stderr)
        return 2
    print(args.output)
    return 0
