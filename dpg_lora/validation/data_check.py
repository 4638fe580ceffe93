"""Opt-in dataset folder checks: scan each dataset the way the trainer pairs files (train_longcat.py:854-861 and on).

`check_data(config, script, root)` is a pure function of the config, the script and the file
system: no GUI, no shared state, so the editor can run it on a worker thread and drop the
result if the graph changed meanwhile. `cancelled` lets a caller stop a long scan early.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Callable

from dpg_lora.scripts import profile
from dpg_lora.scripts.profiles import BUCKETS_FULL
from dpg_lora.i18n import Catalogue
from dpg_lora.validation import ERROR, WARNING, Finding
from dpg_lora.validation.messages import Value, english, freeze
from dpg_lora.validation.cache_collisions import TRAINING_NAMES, Claims
from dpg_lora.validation.shape import ENTRY_SECTIONS, captions, datasets, ds_path, obj, seq

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp")
CACHE_DIR_PREFIX = "t2itrainer_cache_"
_CACHE_IMAGE = re.compile(r"_(\d+)\.webp$", re.IGNORECASE)
EXAMPLES = 3


Part = tuple[str, tuple[tuple[str, Value], ...]]  # a summary's piece: problem.summary_* key, params


def part(key: str, **params: Value) -> Part:
    return key, freeze(params)


@dataclass(frozen=True)
class DatasetSummary:
    index: int  # position in dataset_configs (0 for the old layout's single dataset)
    folder: str  # train_data_dir as the config writes it
    pairs: int
    parts: tuple[Part, ...]  # e.g. "412 pairs", "3 missing `_R`: a.jpg, b.jpg, c.jpg"

    def text(self, catalogue: Catalogue) -> str:
        return catalogue.texts["problem.summary_separator"].join(
            catalogue.texts[key].format_map(dict(params)) for key, params in self.parts)

    @property
    def line(self) -> str:
        """The summary in English, e.g. "412 pairs; 3 missing `_R`: a.jpg, b.jpg, c.jpg"."""
        return self.text(english())


@dataclass
class DataCheck:
    findings: list[Finding] = field(default_factory=list)
    datasets: list[DatasetSummary] = field(default_factory=list)
    cancelled: bool = False


@dataclass
class _Spec:
    """One dataset as the scanner needs it, from either config layout."""
    index: int
    folder: str  # as the config writes it
    location: str  # resolved against root
    at: Callable[..., tuple]  # JSON path builder for this dataset's keys
    images: dict[str, dict]  # image key -> {"suffix", "prefix"}, base first
    required: list[str]  # image keys every pair must have
    captions: list[tuple[str, str, str]]  # (caption key, image key, ext)
    drop_incomplete: bool  # old layout: groups missing any key are skipped silently


@dataclass
class _Scan:
    files: list[str] = field(default_factory=list)  # image files, relative to the dataset folder
    cache_images: list[str] = field(default_factory=list)
    cache_dirs: list[str] = field(default_factory=list)


class _Cancelled(Exception):
    pass


class LocalFiles:
    """The file system the scan reads: this machine's. dpg_lora.remote.remote_files has the same
    three calls over one listing of another host's folders."""

    where = ""  # this machine; a host's listing names the host
    isdir = staticmethod(os.path.isdir)
    walk = staticmethod(os.walk)

    @staticmethod
    def caption(path: str) -> str:
        """"ok", "missing", "unreadable", "undecodable" (not UTF-8) or "bom" (UTF-8 with a BOM)."""
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except FileNotFoundError:
            return "missing"
        except OSError:
            return "unreadable"
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return "undecodable"
        return "bom" if data.startswith(b"\xef\xbb\xbf") else "ok"


def check_data(config: dict, script: str, root: str = ".",
               cancelled: Callable[[], bool] | None = None, files=None) -> DataCheck:
    """Findings and a one-line summary per dataset; relative folders resolve against `root`.
    `files` is the file system to read (default: this machine's, `LocalFiles`)."""
    result = DataCheck()
    stop = cancelled or (lambda: False)
    fs = files or LocalFiles
    config = config if isinstance(config, dict) else {}
    top = config.get("train_data_dir")
    claims = Claims(script, os.path.join(root, top if isinstance(top, str) else ""), root)
    try:
        for spec in _specs(config, script, root):
            pairs = _check_dataset(spec, result, stop, fs)
            if script in TRAINING_NAMES:
                _claim(claims, spec, pairs)
    except _Cancelled:
        result.cancelled = True
        return result
    result.findings += claims.findings(lambda i: ds_path(i, "train_data_dir"))
    return result


def _claim(claims: Claims, spec: _Spec, pairs: list[dict]) -> None:
    """The cache files each pair writes: its sample's `<group>.json`, each image's `<stem>_*`."""
    base = next(iter(spec.images))
    for pair in pairs:
        directory, name = os.path.split(pair[base])
        group = _group(os.path.splitext(name)[0], spec.images[base])
        if group is None:  # paired by this very slot, so never; keeps the type honest
            continue
        claims.add(spec.index, spec.folder, spec.location, directory, f"{group}.json", os.path.join(directory, group))
        for image in pair.values():
            directory, name = os.path.split(image)
            claims.add(spec.index, spec.folder, spec.location, directory,
                       f"{os.path.splitext(name)[0]}_<size>.webp", image)


# ---------------------------------------------------------------- config -> specs
def _image_slots(images) -> dict[str, dict]:
    slots = {}
    for key, image in obj(images).items():
        image = obj(image)
        suffix, prefix = image.get("suffix") or "", image.get("prefix") or ""
        slots[key] = {"suffix": suffix if isinstance(suffix, str) else "",
                      "prefix": prefix if isinstance(prefix, str) else ""}
    return slots


def _specs(config: dict, script: str, root: str):
    if profile(script).schema == "old":
        folder = config.get("train_data_dir")
        images = _image_slots(config.get("image_configs"))
        if isinstance(folder, str) and folder.strip() and images:
            caps = [(k, k, c["ext"]) for k, c in obj(config.get("caption_configs")).items()
                    if isinstance(c, dict) and isinstance(c.get("ext"), str) and k in images]
            yield _Spec(0, folder, os.path.join(root, folder), lambda *p: p, images, list(images), caps, True)
        return
    for i, ds in datasets(config):
        folder = ds.get("train_data_dir")
        images = _image_slots(ds.get("image_configs"))
        if not isinstance(folder, str) or not folder.strip() or not images:
            continue  # the config rules report these
        required: list[str] = []
        for section in ENTRY_SECTIONS:
            for items in obj(ds.get(section)).values():
                for entry in seq(items):
                    entry = obj(entry)
                    sample_type = entry.get("sample_type", "from_same_name")
                    same_name = sample_type == "from_same_name"
                    names = [entry.get("image")] + ([entry.get("from_image")] if same_name else [])
                    required += [n for n in names if isinstance(n, str) and n in images]
        caps = []
        for key, caption in captions(ds):
            image, ext = caption.get("image"), caption.get("ext")
            if isinstance(image, str) and image in images:
                required.append(image)
                if isinstance(ext, str):
                    caps.append((key, image, ext))
        yield _Spec(i, folder, os.path.join(root, folder), lambda *p, i=i: ds_path(i, *p), images,
                    list(dict.fromkeys(required)), caps, False)


# ---------------------------------------------------------------- scanning and pairing
def _scan(folder: str, stop: Callable[[], bool], fs=LocalFiles) -> _Scan:
    """Every image under `folder` the way a recursive glob finds it: hidden names skipped."""
    scan = _Scan()
    for current, dirs, files in fs.walk(folder):
        if stop():
            raise _Cancelled
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for d in dirs:
            if d.startswith(CACHE_DIR_PREFIX):
                scan.cache_dirs.append(os.path.relpath(os.path.join(current, d), folder))
        for name in sorted(files):
            if name.startswith(".") or os.path.splitext(name)[1].lower() not in IMAGE_EXTENSIONS:
                continue
            rel = os.path.relpath(os.path.join(current, name), folder)
            scan.files.append(rel)
            match = _CACHE_IMAGE.search(name)
            if match and int(match.group(1)) in BUCKETS_FULL:
                scan.cache_images.append(rel)
    return scan


def _group(stem: str, slot: dict) -> str | None:
    """The group name of a file stem for one image slot, or None when the file is not in it."""
    suffix, prefix = slot["suffix"], slot["prefix"]
    group = stem
    if suffix:
        at = stem.rfind(suffix)  # the rightmost occurrence counts, and only after the first character
        if at <= 0:
            return None
        group = stem[:at]
    if prefix:
        at = group.rfind(prefix)
        if at > 0:
            group = group[:at]
    return group


def _pairs(files: list[str], images: dict[str, dict]) -> tuple[list[dict], int]:
    """(pairs, groups with several base files); a pair maps image keys to relative file paths."""
    members: dict[str, dict[tuple, list[str]]] = {key: {} for key in images}
    for rel in files:
        directory, name = os.path.split(rel)
        stem = os.path.splitext(name)[0]
        for key, slot in images.items():
            group = _group(stem, slot)
            if group is not None:
                members[key].setdefault((directory, group), []).append(rel)
    base, *others = list(images)
    pairs, crowded = [], 0
    for group_id, base_files in members[base].items():
        crowded += len(base_files) > 1
        for base_file in base_files:
            pair = {base: base_file}
            base_stem = os.path.splitext(os.path.basename(base_file))[0]
            for key in others:
                candidates = members[key].get(group_id, [])
                if len(candidates) == 1:
                    pair[key] = candidates[0]
                else:
                    matching = [c for c in candidates if base_stem in c]
                    if matching:
                        pair[key] = matching[-1]
            pairs.append(pair)
    return pairs, crowded


# ---------------------------------------------------------------- one dataset
def _names(files: list[str]) -> str:
    shown = ", ".join(files[:EXAMPLES])
    return shown + (", ..." if len(files) > EXAMPLES else "")


def _label(key: str, images: dict[str, dict]) -> str:
    return f"`{images[key]['suffix']}`" if images[key]["suffix"] else f"`{key}`"


def _check_dataset(spec: _Spec, result: DataCheck, stop: Callable[[], bool], fs=LocalFiles) -> list[dict]:
    """Check one dataset; returns its pairs (image key -> file relative to the folder)."""
    add = result.findings.append
    folder_path = spec.at("train_data_dir")
    folder = spec.location.rstrip("/\\") or spec.location
    if not fs.isdir(folder):
        add(Finding("DATA_DIR_MISSING", ERROR, folder_path,
                    "problem.data_dir_missing_on_host" if fs.where else "problem.data_dir_missing",
                    {"folder": repr(spec.folder), "host": fs.where}))
        result.datasets.append(DatasetSummary(spec.index, spec.folder, 0, (part("problem.summary_no_folder"),)))
        return []
    scan = _scan(folder, stop, fs)
    pairs, crowded = _pairs(scan.files, spec.images)
    parts: list[Part] = []
    base = next(iter(spec.images))
    if spec.drop_incomplete:
        incomplete = [p[base] for p in pairs if len(p) < len(spec.images)]
        if incomplete:
            add(Finding("DATA_INCOMPLETE_DROPPED", WARNING, spec.at("image_configs"), "problem.data_incomplete_dropped",
                        {"count": len(incomplete), "files": _names(incomplete)}))
            parts.append(part("problem.summary_incomplete", count=len(incomplete)))
        pairs = [p for p in pairs if len(p) == len(spec.images)]
    parts.insert(0, part("problem.summary_pairs", count=len(pairs)))
    if not pairs:
        add(Finding("DATA_NO_PAIRS", ERROR, folder_path, "problem.data_no_pairs",
                    {"count": len(scan.files), "base": _label(base, spec.images)}))
    for key in spec.required:
        missing = [p[base] for p in pairs if key not in p]
        if missing:
            label = _label(key, spec.images)
            add(Finding("DATA_MISSING_PARTNER", ERROR, spec.at("image_configs", key), "problem.data_missing_partner",
                        {"count": len(missing), "label": label, "files": _names(missing)}))
            parts.append(part("problem.summary_missing", count=len(missing), label=label, files=_names(missing)))
    if crowded:
        add(Finding("DATA_DUPLICATE_BASE", WARNING, spec.at("image_configs", base), "problem.data_duplicate_base",
                    {"count": crowded}))
    parts += _check_captions(spec, pairs, folder, add, stop, fs)
    if scan.cache_images or scan.cache_dirs:
        found = scan.cache_dirs + scan.cache_images
        add(Finding("DATA_CACHE_FILES", WARNING, folder_path, "problem.data_cache_files",
                    {"folders": len(scan.cache_dirs), "images": len(scan.cache_images), "files": _names(found)}))
        parts.append(part("problem.summary_cache_files", count=len(found)))
    result.datasets.append(DatasetSummary(spec.index, spec.folder, len(pairs), tuple(parts)))
    return pairs


def _check_captions(spec: _Spec, pairs: list[dict], folder: str, add, stop, fs=LocalFiles) -> list[Part]:
    parts: list[Part] = []
    for key, image_key, ext in spec.captions:
        missing, undecodable, bom = [], [], []
        for n, pair in enumerate(pairs):
            if n % 512 == 0 and stop():
                raise _Cancelled
            image = pair.get(image_key)
            if image is None:
                continue  # reported as a missing partner
            caption = os.path.splitext(image)[0] + ext
            state = fs.caption(os.path.join(folder, caption))
            if state == "missing":
                missing.append(caption)
            elif state in ("unreadable", "undecodable"):
                undecodable.append(caption)
            elif state == "bom":
                bom.append(caption)
        at = spec.at("caption_configs", key)
        if missing:
            add(Finding("DATA_CAPTION_MISSING", WARNING, at, "problem.data_caption_missing",
                        {"count": len(missing), "files": _names(missing)}))
            parts.append(part("problem.summary_captions_missing", count=len(missing)))
        if undecodable:
            add(Finding("DATA_CAPTION_ENCODING", ERROR, at, "problem.data_caption_encoding",
                        {"count": len(undecodable), "files": _names(undecodable)}))
            parts.append(part("problem.summary_captions_not_utf8", count=len(undecodable)))
        if bom:
            add(Finding("DATA_CAPTION_BOM", WARNING, at, "problem.data_caption_bom",
                        {"count": len(bom), "files": _names(bom)}))
    return parts
