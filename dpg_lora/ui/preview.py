"""The preview panel: the exact JSON, the command, and the problems, each with a Copy button."""
from __future__ import annotations

import os

import dearpygui.dearpygui as dpg

from dpg_lora.compiler import CompileResult

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def config_target(result: CompileResult, base: str | None = None) -> str:
    """Where "Write config" writes: the config path against the trainer dir (against `base`)."""
    return os.path.normpath(result.config_file(base or os.getcwd()))


def profile_line(profiles, script: str) -> str:
    """Where the chosen script's arguments and defaults come from."""
    return f"{script} arguments: {profiles.source(script).describe()}" if script else ""


class Preview:
    def __init__(self, ctx, parent: int | str):
        self.ctx = ctx
        self.shown_config = None
        self.shown_command = None
        self.shown_problems: tuple | None = None  # None: nothing shown yet, not even "No problems."
        self.problem_nodes: dict[int, str] = {}
        # A row of toggle buttons instead of a tab bar: Dear PyGui 2.3.1 draws the first tab of a
        # tab bar stretched across the panel.
        self.pages: dict[str, int] = {}
        self.page_buttons: dict[str, int] = {}
        with dpg.group(parent=parent, horizontal=True):
            for name in ("JSON", "Command", "Problems", "Run"):
                self.page_buttons[name] = dpg.add_button(label=name, user_data=name,
                                                         callback=lambda s, a, u: self.select(u))
        dpg.add_separator(parent=parent)
        with dpg.group(parent=parent) as self.pages["JSON"]:
            with dpg.group(horizontal=True):
                dpg.add_button(label="Copy JSON", callback=lambda: self.copy("json"))
                dpg.add_button(label="Write config", callback=lambda: ctx.write_config())
            self.target = dpg.add_text("", color=ctx.theme.color("muted_text"), wrap=0)
            self.profile_source = dpg.add_text("", color=ctx.theme.color("muted_text"), wrap=0)
            self.json = dpg.add_input_text(multiline=True, readonly=True, width=-1, height=-1,
                                           tab_input=False)
            ctx.register_text_input(self.json)
        with dpg.group(parent=parent, show=False) as self.pages["Command"]:
            dpg.add_button(label="Copy command", callback=lambda: self.copy("command"))
            self.cwd = dpg.add_text("", color=ctx.theme.color("muted_text"), wrap=0)
            self.command = dpg.add_input_text(multiline=True, readonly=True, width=-1, height=120)
            ctx.register_text_input(self.command)
        with dpg.group(parent=parent, show=False) as self.pages["Problems"]:
            with dpg.group(horizontal=True):
                dpg.add_button(label="Copy problems", callback=lambda: self.copy("problems"))
                self.data_button = dpg.add_button(label="Check dataset folders",
                                                  callback=lambda: ctx.start_data_check())
            dpg.add_text("Click a problem to show its node.", color=ctx.theme.color("muted_text"))
            self.data_lines = dpg.add_group()
            self.problems = dpg.add_child_window(width=-1, height=-1, border=False)
        # filled by the app when a run panel exists
        self.run_tab = self.pages["Run"] = dpg.add_group(parent=parent, show=False)
        self.current = "JSON"
        with dpg.theme() as self.active_theme:
            with dpg.theme_component(dpg.mvButton):
                colour = ctx.theme.data.get("colors", {}).get("mvThemeCol_ButtonActive", (88, 100, 124))
                dpg.add_theme_color(dpg.mvThemeCol_Button, tuple(colour))
        self.select("JSON")

    def select(self, name: str) -> None:
        for page, group in self.pages.items():
            dpg.configure_item(group, show=page == name)
            dpg.bind_item_theme(self.page_buttons[page], self.active_theme if page == name else 0)
        self.current = name

    def copy(self, what: str) -> None:
        result = self.ctx.doc.result
        if what == "json":
            text = result.config_text
        elif what == "command":
            text = result.command
        else:
            text = "\n".join(d.line() for d in self._sorted(result))
        dpg.set_clipboard_text(text)
        self.ctx.status(f"Copied the {what} to the clipboard.")

    @staticmethod
    def _sorted(result: CompileResult):
        return sorted(result.diagnostics, key=lambda d: SEVERITY_ORDER.get(d.severity, 3))

    def refresh(self, result: CompileResult) -> None:
        if result.config_text != self.shown_config:
            dpg.set_value(self.json, result.config_text)
            self.shown_config = result.config_text
        dpg.set_value(self.target, "writes " + config_target(result) + (
            f" here; a run writes {result.config_path} in the trainer folder on {', '.join(result.hosts)}"
            if result.hosts else ""))
        dpg.set_value(self.profile_source, profile_line(self.ctx.doc.context.profiles, result.script))
        if result.command != self.shown_command:
            dpg.set_value(self.command, result.command)
            self.shown_command = result.command
        hosts = ", ".join(result.hosts)
        dpg.set_value(self.cwd, f"in {result.cwd} on {hosts} (every path is on that host)" if hosts
                      else f"in {result.cwd}")
        diagnostics = tuple(self._sorted(result))
        if diagnostics != self.shown_problems:
            self.shown_problems = diagnostics
            self._show_problems(diagnostics)

    def _show_problems(self, diagnostics) -> None:
        dpg.delete_item(self.problems, children_only=True)
        self.problem_nodes.clear()
        theme = self.ctx.theme
        errors = sum(d.severity == "error" for d in diagnostics)
        warnings = sum(d.severity == "warning" for d in diagnostics)
        dpg.configure_item(self.page_buttons["Problems"],
                           label=f"Problems ({errors + warnings})" if errors + warnings else "Problems")
        if not diagnostics:
            dpg.add_text("No problems.", parent=self.problems)
        colours = {"error": theme.color("error_text"), "warning": theme.color("warning_text"),
                   "info": theme.color("info_text")}
        for d in diagnostics:
            place = ".".join(p for p in (d.node_id, d.field) if p) or "graph"
            with dpg.group(parent=self.problems):
                item = dpg.add_selectable(label=f"{d.severity}  {place}", user_data=d.node_id,
                                          callback=self._on_problem)
                dpg.add_text(d.message, wrap=0, indent=14, color=colours.get(d.severity))
            with dpg.tooltip(item):
                dpg.add_text(f"{d.code}: click to show the node" if d.node_id else d.code, wrap=360)
            if d.node_id:
                self.problem_nodes[item] = d.node_id

    def show_data_check(self, check, result: CompileResult, stale: bool = False) -> None:
        """The folder scan's one line per dataset, then its findings (pinned to nodes where known)."""
        dpg.delete_item(self.data_lines, children_only=True)
        theme = self.ctx.theme
        if check is None:
            dpg.add_text("Scanning the dataset folders\u2026", parent=self.data_lines,
                         color=theme.color("muted_text"))
            return
        note = " (for an earlier version of the graph)" if stale else ""
        dpg.add_text(f"Dataset folders{note}:", parent=self.data_lines)
        for summary in check.datasets:
            dpg.add_text(f"  {summary.folder}: {summary.line}", parent=self.data_lines, wrap=0)
        colours = {"error": theme.color("error_text"), "warning": theme.color("warning_text"),
                   "info": theme.color("info_text")}
        for finding in check.findings:
            node_id, _ = result.locate(finding.path)
            item = dpg.add_selectable(label=f"{finding.severity}  {finding.code}", user_data=node_id,
                                      callback=self._on_problem, parent=self.data_lines)
            dpg.add_text(finding.message, wrap=0, indent=14, color=colours.get(finding.severity),
                         parent=self.data_lines)
            if node_id:
                self.problem_nodes[item] = node_id
        dpg.add_separator(parent=self.data_lines)

    def _on_problem(self, sender, app_data, user_data):
        dpg.set_value(sender, False)
        if user_data:
            self.ctx.focus_node(user_data)
