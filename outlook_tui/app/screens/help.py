"""Every key of the app on one screen, grouped by screen.

Read from the screens' own BINDINGS (and the app's), plus the keys Textual's widgets answer to,
so the list cannot drift from what the keys really do.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Iterator
from types import ModuleType

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

#: Where the app's screens live, in the order a person meets them. A module that is missing
#: (not written yet) is skipped.
MODULES: tuple[str, ...] = (
    "outlook_tui.app.app",
    "outlook_tui.app.screens.organizations",
    "outlook_tui.app.screens.organization_form",
    "outlook_tui.app.screens.bulk",
    "outlook_tui.app.screens.configuration",
    "outlook_tui.app.widgets.settings_form",
    "outlook_tui.app.screens.effective",
    "outlook_tui.app.screens.matrix",
    "outlook_tui.app.screens.history",
    "outlook_tui.app.widgets.virtual_table",
    "outlook_tui.app.screens.confirm",
    "outlook_tui.app.screens.conflict",
    "outlook_tui.app.screens.recovery",
    "outlook_tui.app.screens.help",
)

#: Keys the stock widgets answer to, which no BINDINGS of ours declare.
WIDGET_KEYS: tuple[tuple[str, str], ...] = (
    ("tab / shift+tab", "Move to the next / previous control"),
    ("space", "Tick or clear a checkbox (Use System, Contacts, Tasks...)"),
    ("enter", "Open a choice (Sync Direction...), then pick with ↑/↓ and Enter; press a button"),
    ("escape", "Close an open choice without changing it"),
    ("↑ / ↓, pgup / pgdn", "Move in lists and the tree; scroll"),
    ("ctrl+p", "Command palette: Open organization..., System configuration"),
)


def _title(cls: type) -> str:
    given = getattr(cls, "HELP_TITLE", None)
    if isinstance(given, str):
        return given
    if issubclass(cls, App):
        return "Everywhere"
    name = re.sub(r"(Screen|Modal)$", "", cls.__name__) or cls.__name__
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)


def _own_bindings(cls: type) -> list[Binding]:
    declared: list[BindingType] = list(cls.__dict__.get("BINDINGS", []))
    result = []
    for item in declared:
        binding = item if isinstance(item, Binding) else Binding(*item)
        if binding.description:
            result.append(binding)
    return result


def _classes(module: ModuleType) -> Iterator[type]:
    for _, cls in inspect.getmembers(module, inspect.isclass):
        if cls.__module__ == module.__name__ and issubclass(cls, DOMNode | App):
            yield cls


def key_groups(app: App[object] | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """(group title, [(keys, what they do)]) for every screen with keys, then the widgets'."""
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    seen: set[type] = set()
    for name in MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        for cls in sorted(_classes(module), key=lambda c: inspect.getsourcelines(c)[1]):
            if cls in seen:
                continue
            seen.add(cls)
            rows: dict[str, list[str]] = {}
            tooltips: dict[str, str] = {}
            for binding in _own_bindings(cls):
                keys = [_display(app, binding, key) for key in binding.key.split(",")]
                rows.setdefault(binding.description, []).extend(keys)
                if binding.tooltip:
                    tooltips.setdefault(binding.description, binding.tooltip)
            if rows:
                groups.append((_title(cls), [
                    (" / ".join(dict.fromkeys(keys)),
                     f"{what}: {tooltips[what]}" if what in tooltips else what)
                    for what, keys in rows.items()]))
    groups.append(("In forms and lists", list(WIDGET_KEYS)))
    return groups


def _display(app: App[object] | None, binding: Binding, key: str) -> str:
    key = key.strip()
    if binding.key_display:
        return binding.key_display
    if app is not None:
        return app.get_key_display(Binding(key, binding.action)).lower()
    return key


class HelpScreen(Screen[None]):
    """Keys, by screen. Escape or q closes it."""

    CSS_PATH = "../styles/help.tcss"
    HELP_TITLE = "Help"
    BINDINGS = [
        Binding("escape,q,f1,question_mark", "close", "Close help", id="help.close",
                tooltip="Back to where you were"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="help-keys"):
            yield Static(Text("Keys of outlook-tui", style="bold"), classes="help-heading")
            for title, rows in key_groups(self.app):
                table = Table(box=None, show_header=False, expand=True, padding=(0, 1))
                table.add_column("keys", style="bold", width=16, overflow="fold")
                table.add_column("what", ratio=1, overflow="fold")
                for keys, what in rows:
                    table.add_row(keys, what)
                yield Static(Text(title, style="bold underline"), classes="help-group")
                yield Static(table, classes="help-table")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Help"
        self.query_one("#help-keys", VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)


__all__ = ["HelpScreen", "key_groups"]
