"""A trainer folder's train_*.py scripts read on another machine over ssh (parsed here, never run).

One POSIX sh program lists the scripts with their size and mtime and sends each one's bytes;
the folder is a positional parameter, never spliced into the script text. What arrives is read by
`read_script_texts`, exactly as a local folder's files are.
"""
from __future__ import annotations

from typing import Any

from dpg_lora.scripts.argparse_ast import MAX_SCRIPT_BYTES, ScriptRead
from dpg_lora.scripts.folder import SCRIPT_PATTERN, FolderRead, ScriptCache, read_script_texts

MISSING_FOLDER = 10

# $1 trainer folder, $2 largest size sent. Per script: "SIZE MTIME NAME\n", the bytes (when
# SIZE <= $2), "\n". Names holding a newline are skipped.
LIST_SCRIPTS = r"""
cd -- "$1" 2>/dev/null || { printf 'trainer folder not found: %s\n' "$1" >&2; exit 10; }
for f in train_*.py; do
  [ -f "$f" ] || continue
  case $f in *'
'*) continue;; esac
  s=$(wc -c < "$f" | tr -d ' ') || continue
  m=$(stat -c %Y -- "$f" 2>/dev/null || stat -f %m -- "$f" 2>/dev/null || echo 0)
  printf '%s %s %s\n' "$s" "$m" "$f"
  if [ "$s" -le "$2" ]; then head -c "$s" -- "$f"; fi
  printf '\n'
done
"""


def list_scripts_argv(folder: str) -> list[str]:
    from dpg_lora.remote.ssh import sh_argv

    return sh_argv(LIST_SCRIPTS, folder, str(MAX_SCRIPT_BYTES))


def parse_listing(data: bytes, source: str) -> tuple[dict[str, tuple[bytes, float]], dict[str, ScriptRead], str | None]:
    """(texts by name, reads that failed by name, a problem with the stream or None)."""
    texts: dict[str, tuple[bytes, float]] = {}
    failed: dict[str, ScriptRead] = {}
    pos = 0
    while pos < len(data):
        end = data.find(b"\n", pos)
        if end < 0:
            return texts, failed, "the listing ended in the middle of a line"
        try:
            size_text, mtime_text, name = data[pos:end].decode("utf-8").split(" ", 2)
            size, mtime = int(size_text), float(mtime_text)
        except ValueError:
            return texts, failed, f"unexpected listing line {data[pos:end][:80]!r}"
        pos = end + 1
        where = f"{source.rstrip('/')}/{name}"
        if size > MAX_SCRIPT_BYTES:
            failed[name] = ScriptRead(name, where, size, mtime,
                                      error=f"{size / 1e6:.1f} MB is over the {MAX_SCRIPT_BYTES / 1e6:.0f} MB "
                                            "limit for a script; not read")
        else:
            body = data[pos:pos + size]
            pos += size
            if len(body) != size or data[pos:pos + 1] != b"\n":
                return texts, failed, f"{name} changed while it was sent; read the folder again"
            texts[name] = (body, mtime)
        pos += 1
    return texts, failed, None


def read_remote_folder(host: Any, folder: str, cache: ScriptCache | None = None,
                       timeout: float = 60.0) -> FolderRead:
    """Read `folder`'s scripts on `host` (a remote.ssh Host or LocalHost). Never raises."""
    from dpg_lora.remote.ssh import SshError

    source = f"{host.label}:{folder}"
    try:
        proc = host.run(list_scripts_argv(folder), timeout=timeout)
    except SshError as exc:
        return FolderRead(source, error=f"cannot read the trainer folder {source}: {exc}")
    if proc.returncode == MISSING_FOLDER:
        return FolderRead(source, error=f"trainer folder {folder} does not exist on {host.label}")
    if proc.returncode != 0:
        said = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        return FolderRead(source, error=f"listing the trainer folder {source} failed "
                                        f"(exit {proc.returncode}{': ' + said[-1] if said else ''})")
    texts, failed, problem = parse_listing(proc.stdout, source)
    if problem:
        return FolderRead(source, error=f"{source}: {problem}")
    if not texts and not failed:
        return FolderRead(source, error=f"trainer folder {source} has no {SCRIPT_PATTERN} scripts")
    read = read_script_texts(texts, source, cache) if texts else FolderRead(source)
    return FolderRead(source, dict(sorted({**read.scripts, **failed}.items())))
