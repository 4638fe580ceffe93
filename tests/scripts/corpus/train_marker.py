"""Writes a marker file beside itself the moment it is imported or run: reading it must not."""
import argparse
import pathlib

pathlib.Path(__file__).with_name("MARKER_WRITTEN").write_text("this script was executed")
open(pathlib.Path(__file__).with_name("MARKER_WRITTEN_TOO"), "w").close()

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=pathlib.Path(__file__).with_name("MARKER3").write_text("x"))
parser.add_argument("--steps", type=int, default=10)
args = parser.parse_args()
