"""Run with no trainer folder set: say that one is needed and offer to choose it.

The editor's Run never starts a trainer in whatever folder dpg-lora was started from: with the
Script Loader's Trainer directory empty or "." (and no DPG_LORA_TRAINER_DIR) it says so in the
status line and asks, offering the same folder picker as the start page. The chosen folder (and
the Python of a virtual environment inside it, when the graph names none) goes into the Script
Loader as one undoable edit; the Run tab's plan then shows it, and Run starts there. The check is
runner/prelaunch.py's `folder_not_set`, which `dpg-lora run` reports too.
"""
from __future__ import annotations

import os
from typing import Any

from dpg_lora.trainer_folder import chosen_folder, loader_id, unset_machine_fields, venv_python
from dpg_lora.ui.texts import tr


class TrainerFolderAsk:
    def __init__(self, app: Any):
        self.app = app

    def refuses(self, result, request) -> bool:
        """True (and the question is asked) when `request` would run in the start folder."""
        from dpg_lora.runner.prelaunch import folder_not_set

        if any(request.hosts) or folder_not_set(result.cwd, request.cwd) is None:
            return False
        app = self.app
        app.status(tr("fixes.run_needs_folder", cwd=request.cwd), error=True)
        app.dialogs.ask(tr("fixes.folder_needed_title"), tr("fixes.folder_needed", cwd=request.cwd),
                        [(tr("fixes.choose_folder"), self.choose), (tr("file.cancel"), None)])
        return True

    def choose(self) -> None:
        app = self.app
        start_page = getattr(app, "start_page", None)
        start = getattr(start_page, "folder", None) or app.context.trainer_dir or os.path.expanduser("~")
        app.dialogs.pick_file(tr("start.choose_folder_title"), self.use_folder, directory=True, start=start)

    def use_folder(self, path: str) -> None:
        """Set the open graph's trainer folder to `path` (and its venv's Python where unset)."""
        app = self.app
        folder = chosen_folder(path)
        doc = app.doc
        node_id = loader_id(doc.graph)
        fill = unset_machine_fields(doc.graph, folder, venv_python(folder)) if node_id is not None else {}
        if node_id is None or "trainer_dir" not in fill:
            app.status(tr("fixes.folder_not_taken"), error=True)  # no Script Loader, or a host named
            return
        doc.seal()  # its own undo step
        app.edit_values(node_id, {**doc.graph.node(node_id).values, **fill})
        doc.seal()
        app.status(tr("fixes.folder_set", folder=folder))
