"""Reading a folder's scripts through the remote listing program (run here through LocalHost: the
same argv an ssh Host sends; the ssh transport itself is tested in tests/remote)."""
from __future__ import annotations

import shutil
from pathlib import Path

from dpg_lora.remote.ssh import LocalHost
from dpg_lora.scripts.argparse_ast import MAX_SCRIPT_BYTES
from dpg_lora.scripts.folder import read_folder
from dpg_lora.scripts.remote_read import parse_listing, read_remote_folder
from tests.scripts.helpers import write_script

CORPUS = Path(__file__).parent / "corpus"


def test_the_listing_reads_like_the_local_folder(tmp_path):
    folder = tmp_path / "T2I trainer ü"
    folder.mkdir()
    write_script(folder, "train_longcat.py", changed={"rank": 16})
    shutil.copy(CORPUS / "train_syntax_error.py", folder / "train_broken.py")
    (folder / "train_huge.py").write_bytes(b"#" * (MAX_SCRIPT_BYTES + 1))
    (folder / "notes.txt").write_text("not a script")
    remote = read_remote_folder(LocalHost(), str(folder))
    local = read_folder(folder)
    assert remote.error is None and sorted(remote.scripts) == sorted(local.scripts)
    lc = remote.scripts["train_longcat.py"]
    assert lc.source == f"this machine:{folder}/train_longcat.py"
    assert lc.args == local.scripts["train_longcat.py"].args and lc.args["rank"].default == 16
    assert int(lc.mtime) == int(local.scripts["train_longcat.py"].mtime)
    assert "syntax error" in remote.scripts["train_broken.py"].error
    assert "limit" in remote.scripts["train_huge.py"].error


def test_folder_problems_on_the_host(tmp_path):
    assert "does not exist on this machine" in read_remote_folder(LocalHost(), str(tmp_path / "nope")).error
    assert "has no train_*.py" in read_remote_folder(LocalHost(), str(tmp_path)).error


def test_a_torn_listing_is_a_message():
    texts, failed, problem = parse_listing(b"10 5 train_a.py\nshort\n", "h:/x")
    assert problem == "train_a.py changed while it was sent; read the folder again"
    assert parse_listing(b"garbage line\n", "h:/x")[2].startswith("unexpected listing line")
