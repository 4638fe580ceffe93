"""The preview panel: the exact JSON, the command, and the problems, each with a Copy button.

Every text comes from the current catalogue (`tr`); a problem is rendered from its key and params
in the current language, its node and field named by their titles and labels. After a language
switch `retranslate` sets the static texts again and redraws the problems.
"""
from __future__ import annotations

import os

import dearpygui.dearpygui as dpg

from dpg_lora.compiler import CompileResult, Diagnostic
from dpg_lora.graph import Graph
from dpg_lora.i18n import Catalogue
from dpg_lora.ui import texts
from dpg_lora.config_marks import mark_lines
from dpg_lora.trainer_folder import config_lands_in_start_folder
from dpg_lora.ui.problem_texts import problem_place, remote_params, shown_words, source_words
from dpg_lora.ui.texts import tr

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
SEVERITY_KEYS = {"error": "preview.severity.error", "warning": "preview.severity.warning",
                 "info": "preview.severity.info"}
PAGES = {"JSON": "preview.page.json", "Command": "preview.page.command", "Problems": "preview.page.problems",
         "Run": "preview.page.run"}
COPIED = {"json": "preview.copied.json", "command": "preview.copied.command", "problems": "preview.copied.problems"}


def config_target(result: CompileResult, base: str | None = None) -> str:
    """Where "Write config" writes: the config path against the trainer dir (against `base`)."""
    return os.path.normpath(result.config_file(base or os.getcwd()))


def profile_line(profiles, script: str) -> str:
    """Where the chosen script's arguments and defaults come from."""
    if not script:
        return ""
    return tr("preview.profile_source", script=script, source=source_words(profiles.source(script).parts(),
                                                                           texts.current()))


def problem_lines(result: CompileResult, graph: Graph, catalogue: Catalogue) -> list[tuple[Diagnostic, str, str]]:
    """(problem, place, text) as the Problems tab lists them: the most severe first."""
    return [(d, problem_place(d, graph, catalogue), d.text(catalogue, **shown_words(d, graph, catalogue)))
            for d in sorted(result.diagnostics, key=lambda d: SEVERITY_ORDER.get(d.severity, 3))]


class Preview:
    def __init__(self, ctx, parent: int | str):
        self.ctx = ctx
        self.shown_config = None
        self.shown_command = None
        self.shown_problems: tuple | None = None  # None: nothing shown yet, not even "No problems."
        self.shown_check: tuple | None = None  # the last folder check shown (check, result, stale)
        self.no_graph_key: str | None = None  # the note shown while no graph is open
        self.problem_nodes: dict[int, str] = {}
        self.problem_texts: list[int] = []  # the text items of the listed problems, in order
        # A row of toggle buttons instead of a tab bar: Dear PyGui 2.3.1 draws the first tab of a
        # tab bar stretched across the panel.
        self.pages: dict[str, int] = {}
        self.page_buttons: dict[str, int] = {}
        with dpg.group(parent=parent, horizontal=True):
            for name in PAGES:
                self.page_buttons[name] = dpg.add_button(label=tr(PAGES[name]), user_data=name,
                                                         callback=lambda s, a, u: self.select(u))
        dpg.add_separator(parent=parent)
        self.static: dict[int, str] = {}  # item -> key of its label
        with dpg.group(parent=parent) as self.pages["JSON"]:
            with dpg.group(horizontal=True):
                self.copy_json = dpg.add_button(label=tr("preview.copy_json"), callback=lambda: self.copy("json"))
                self._label(self.copy_json, "preview.copy_json")
                self.write_button = dpg.add_button(label=tr("preview.write_config"),
                                                   callback=lambda: ctx.write_config())
                self._label(self.write_button, "preview.write_config")
                # off: the box holds exactly the file's bytes; on: default lines are marked
                self.mark_defaults = dpg.add_checkbox(label=tr("widgets.mark_defaults"),
                                                      callback=lambda: self._show_json(ctx.doc.result))
                self._label(self.mark_defaults, "widgets.mark_defaults")
            self.defaults_line = dpg.add_text("", color=ctx.theme.color("muted_text"), wrap=0)
            self.target = dpg.add_text("", color=ctx.theme.color("muted_text"), wrap=0)
            self.profile_source = dpg.add_text("", color=ctx.theme.color("muted_text"), wrap=0)
            self.json = dpg.add_input_text(multiline=True, readonly=True, width=-1, height=-1,
                                           tab_input=False)
            ctx.register_text_input(self.json)
        with dpg.group(parent=parent, show=False) as self.pages["Command"]:
            self.copy_command = dpg.add_button(label=tr("preview.copy_command"), callback=lambda: self.copy("command"))
            self._label(self.copy_command, "preview.copy_command")
            self.cwd = dpg.add_text("", color=ctx.theme.color("muted_text"), wrap=0)
            self.command = dpg.add_input_text(multiline=True, readonly=True, width=-1, height=120)
            ctx.register_text_input(self.command)
        with dpg.group(parent=parent, show=False) as self.pages["Problems"]:
            with dpg.group(horizontal=True):
                self.copy_problems = dpg.add_button(label=tr("preview.copy_problems"),
                                                    callback=lambda: self.copy("problems"))
                self._label(self.copy_problems, "preview.copy_problems")
                self.data_button = dpg.add_button(label=tr("preview.check_data"),
                                                  callback=lambda: ctx.start_data_check())
                self._label(self.data_button, "preview.check_data")
            self.hint = dpg.add_text(tr("preview.click_hint"), color=ctx.theme.color("muted_text"))
            self.data_lines = dpg.add_group()
            self.problems = dpg.add_child_window(width=-1, height=-1, border=False)
        # filled by the app when a run panel exists
        self.run_tab = self.pages["Run"] = dpg.add_group(parent=parent, show=False)
        self.current = "JSON"
        with dpg.theme() as self.active_theme:
            with dpg.theme_component(dpg.mvButton):
                colour = ctx.theme.data.get("colors", {}).get("mvThemeCol_ButtonActive", (88, 100, 124))
                dpg.add_theme_color(dpg.mvThemeCol_Button, tuple(colour))
        self.select("JSON")  # a language switch calls retranslate (ui/language_actions.py)

    def graph_buttons(self) -> tuple[int, ...]:
        """The buttons that act on the open graph: disabled while none is open."""
        return self.copy_json, self.write_button, self.copy_command, self.copy_problems, self.data_button

    def enable_graph_buttons(self, on: bool) -> None:
        for item in self.graph_buttons():
            dpg.configure_item(item, enabled=on)

    def _label(self, item: int, key: str) -> None:
        self.static[item] = key

    def select(self, name: str) -> None:
        for page, group in self.pages.items():
            dpg.configure_item(group, show=page == name)
            dpg.bind_item_theme(self.page_buttons[page], self.active_theme if page == name else 0)
        self.current = name

    def copy(self, what: str) -> None:
        if not self.ctx.files.needs_graph():  # (its buttons and menu items are disabled then)
            return
        result = self.ctx.doc.result
        if what == "json":
            text = result.config_text
        elif what == "command":
            text = result.command
        else:
            text = "\n".join(f"{d.severity} {d.code} {place}: {message}"
                             for d, place, message in problem_lines(result, self.ctx.doc.graph, texts.current()))
        dpg.set_clipboard_text(text)
        self.ctx.status(tr(COPIED[what]))

    @staticmethod
    def _sorted(result: CompileResult):
        return sorted(result.diagnostics, key=lambda d: SEVERITY_ORDER.get(d.severity, 3))

    def refresh(self, result: CompileResult) -> None:
        self.no_graph_key = None
        self._show_json(result)
        if config_lands_in_start_folder(result.cwd, result.config_path):  # Write config asks where
            dpg.set_value(self.target, tr("file.config_asks_where", name=result.config_path))
        elif result.hosts:
            dpg.set_value(self.target, tr("preview.writes_remote", path=config_target(result),
                                          config=result.config_path, hosts=", ".join(result.hosts)))
        else:
            dpg.set_value(self.target, tr("preview.writes", path=config_target(result)))
        dpg.set_value(self.profile_source, profile_line(self.ctx.doc.context.profiles, result.script))
        if result.command != self.shown_command:
            dpg.set_value(self.command, result.command)
            self.shown_command = result.command
        hosts = ", ".join(result.hosts)
        dpg.set_value(self.cwd, tr("preview.cwd_remote", cwd=result.cwd, hosts=hosts) if hosts
                      else tr("preview.cwd", cwd=result.cwd))
        diagnostics = tuple(self._sorted(result))
        if diagnostics != self.shown_problems:
            self.shown_problems = diagnostics
            self._show_problems(result)

    def retranslate(self) -> None:
        """Every text again in the current language (after View -> Language)."""
        for item, key in self.static.items():
            dpg.configure_item(item, label=tr(key))
        for name, button in self.page_buttons.items():
            if name != "Problems":
                dpg.configure_item(button, label=tr(PAGES[name]))
        dpg.set_value(self.hint, tr("preview.click_hint"))
        if self.no_graph_key is not None:
            self.show_no_graph(self.no_graph_key)
            return
        result = self.ctx.doc.result
        self.shown_config = self.shown_command = self.shown_problems = None
        self.refresh(result)
        if self.shown_check is not None:
            self.show_data_check(*self.shown_check)

    def _show_json(self, result: CompileResult) -> None:
        """The exact config text, or with the values nobody set marked (Mark defaults)."""
        marked = bool(dpg.get_value(self.mark_defaults))
        if (result.config_text, marked) == self.shown_config:
            return
        self.shown_config = (result.config_text, marked)
        text = result.config_text
        if marked:
            text = mark_lines(text, result.config, result.defaulted, tr("widgets.default_mark"))
        dpg.set_value(self.json, text)
        dpg.set_value(self.defaults_line, tr("widgets.defaults_count", count=len(result.defaulted)))

    def show_no_graph(self, note_key: str) -> None:
        """No graph is open: empty pages and the text of `note_key`, never the problems of
        compiling nothing."""
        self.no_graph_key = note_key
        note = tr(note_key)
        dpg.delete_item(self.problems, children_only=True)
        dpg.delete_item(self.data_lines, children_only=True)
        self.problem_nodes.clear()
        self.problem_texts.clear()
        self.shown_check = None
        dpg.configure_item(self.page_buttons["Problems"], label=tr(PAGES["Problems"]))
        dpg.add_text(note, parent=self.problems, wrap=0, color=self.ctx.theme.color("muted_text"))
        self.shown_problems = self.shown_config = self.shown_command = None  # a graph redraws all
        for item in (self.json, self.command, self.target, self.profile_source, self.cwd, self.defaults_line):
            dpg.set_value(item, "")
        dpg.set_value(self.target, note)

    def _show_problems(self, result: CompileResult) -> None:
        dpg.delete_item(self.problems, children_only=True)
        self.problem_nodes.clear()
        self.problem_texts.clear()
        theme = self.ctx.theme
        lines = problem_lines(result, self.ctx.doc.graph, texts.current())
        shown = sum(d.severity in ("error", "warning") for d, _, _ in lines)
        dpg.configure_item(self.page_buttons["Problems"],
                           label=tr("preview.page.problems_count", count=shown) if shown else tr(PAGES["Problems"]))
        if not lines:
            self.problem_texts.append(dpg.add_text(tr("preview.no_problems"), parent=self.problems))
        colours = {"error": theme.color("error_text"), "warning": theme.color("warning_text"),
                   "info": theme.color("info_text")}
        for d, place, message in lines:
            severity = tr(SEVERITY_KEYS[d.severity]) if d.severity in SEVERITY_KEYS else d.severity
            with dpg.group(parent=self.problems):
                item = dpg.add_selectable(label=tr("preview.problem_heading", severity=severity, place=place),
                                          user_data=d.node_id, callback=self._on_problem)
                self.problem_texts.append(dpg.add_text(message, wrap=0, indent=14, color=colours.get(d.severity)))
            with dpg.tooltip(item):
                dpg.add_text(tr("preview.show_node", code=d.code) if d.node_id else d.code, wrap=360)
            if d.node_id:
                self.problem_nodes[item] = d.node_id

    def show_data_check(self, check, result: CompileResult, stale: bool = False) -> None:
        """The folder scan's one line per dataset, then its findings (pinned to nodes where known)."""
        self.shown_check = (check, result, stale)
        dpg.delete_item(self.data_lines, children_only=True)
        theme = self.ctx.theme
        if check is None:
            dpg.add_text(tr("preview.scanning"), parent=self.data_lines, color=theme.color("muted_text"))
            return
        catalogue = texts.current()
        dpg.add_text(tr("preview.data_folders_stale" if stale else "preview.data_folders"), parent=self.data_lines)
        for summary in check.datasets:
            dpg.add_text(tr("preview.data_summary", folder=summary.folder, line=summary.text(catalogue)),
                         parent=self.data_lines, wrap=0)
        colours = {"error": theme.color("error_text"), "warning": theme.color("warning_text"),
                   "info": theme.color("info_text")}
        for finding in check.findings:
            node_id, _ = result.locate(finding.path)
            severity = tr(SEVERITY_KEYS[finding.severity]) if finding.severity in SEVERITY_KEYS else finding.severity
            item = dpg.add_selectable(label=tr("preview.problem_heading", severity=severity, place=finding.code),
                                      user_data=node_id, callback=self._on_problem, parent=self.data_lines)
            dpg.add_text(finding.text(catalogue, **remote_params(finding.values(), catalogue)), wrap=0, indent=14,
                         color=colours.get(finding.severity),
                         parent=self.data_lines)
            if node_id:
                self.problem_nodes[item] = node_id
        dpg.add_separator(parent=self.data_lines)

    def _on_problem(self, sender, app_data, user_data):
        dpg.set_value(sender, False)
        if user_data:
            self.ctx.focus_node(user_data)
