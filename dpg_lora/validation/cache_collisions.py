"""Where the scripts cache each sample, and which samples overwrite each other's cache.

Read from the scripts (train_longcat_edit.py:852-853 and 967-977; the same in every
dataset_configs script): for a dataset folder D the cache folder is
`dirname(D)/t2itrainer_cache_<training_name>`. An image in folder X is cached in place when X
is the "home" folder (LongCat: D itself; Qwen and FLUX.2 klein: the top-level train_data_dir),
else in `<cache folder>/<basename(X)>`. Per sample, `<group>.json` (LCE:1184) holds its cached
paths; per image, `<stem>_<resize>.webp` and its latent. Two datasets under one parent with
sub-folders of one name, or two sub-folders of one name in a dataset, share a cache folder: the later samples find the earlier
ones' `<group>.json` and reuse it (checked with the real code: the other dataset's images and
captions are trained), and where the datasets' caption keys differ the first training step
raises KeyError (LCE:1996).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Callable

from dpg_lora.scripts.profiles import F2K, LC, LCE, QEF, QI, QIE
from dpg_lora.validation import ERROR, Finding

# training_name of each script (LC:642, LCE:636, QI:735, QIE:734, QEF:759, F2K:633)
TRAINING_NAMES = {LC: "longcat-image", LCE: "longcat-edit", QI: "qwen_edit", QIE: "qwen_edit",
                  QEF: "qwen_edit", F2K: "flux2klein"}
HOME_IS_DATASET = (LC, LCE)  # the others compare with the top-level train_data_dir


def _resolved(path: str) -> str:
    return os.path.realpath(path)


def cache_folder(script: str, location: str, home: str, image_dir: str) -> str:
    """The folder a script caches an image of `image_dir` in (`location`: the dataset folder as
    the config names it, joined to the working folder)."""
    if _resolved(image_dir) == _resolved(home):
        return _resolved(image_dir)
    cache_dir = os.path.join(os.path.dirname(location), f"t2itrainer_cache_{TRAINING_NAMES[script]}")
    return _resolved(os.path.join(cache_dir, os.path.basename(image_dir)))


@dataclass
class Claims:
    """Cache file name -> the source files (or sample groups) that write it, per dataset."""
    script: str
    top_home: str  # the top-level train_data_dir against the working folder
    root: str  # the working folder, for showing paths
    by_target: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)
    folders: dict[int, str] = field(default_factory=dict)  # dataset index -> train_data_dir as written

    def home(self, location: str) -> str:
        return location if self.script in HOME_IS_DATASET else self.top_home

    def add(self, index: int, folder: str, location: str, relative_dir: str, name: str, source: str) -> None:
        """Dataset `index` writes cache file `name` for `source` (both relative to its folder)."""
        self.folders[index] = folder
        image_dir = os.path.join(location, relative_dir) if relative_dir else location.rstrip("/\\") or location
        target = cache_folder(self.script, location, self.home(location), image_dir)
        self.by_target.setdefault((target, name), {}).setdefault(_resolved(os.path.join(location, source)), index)

    def findings(self, at: Callable[[int], tuple]) -> list[Finding]:
        """One error per shared cache folder and set of datasets involved."""
        shared: dict[tuple[str, tuple[int, ...]], list[tuple[str, list[str]]]] = {}
        for (target, name), sources in self.by_target.items():
            if len(sources) > 1:
                indices = tuple(sorted(set(sources.values())))
                shared.setdefault((target, indices), []).append((name, sorted(sources)))
        out = []
        for (target, indices), names in shared.items():
            names.sort(key=lambda item: (not item[0].endswith(".json"), item[0]))
            who = " and ".join(f"dataset {i} ({self.folders[i]})" for i in indices)
            first, paths = names[0]
            shown = ", ".join(f"{os.path.basename(target)}/{n}" for n, _ in names[:3]) + (", ..." if len(names) > 3 else "")
            out.append(Finding(
                "DATA_CACHE_COLLISION", ERROR, at(indices[-1]), "problem.data_cache_collision",
                {"count": len(names), "datasets": who, "folder": self._show(target), "files": shown,
                 "sources": " and ".join(self._show(p) for p in paths[:2])}))
        return out

    def _show(self, path: str) -> str:
        root = _resolved(self.root)
        return os.path.relpath(path, root) if path.startswith(root + os.sep) else path
