"""Every key of the app on one screen, grouped by screen, the keys of the screen it was opened
from first.

Built from the bindings of the classes the app names (:mod:`outlook_tui.app.keymap`), with the
user's keymap applied, plus the keys Textual's widgets answer to, so the list cannot
drift from what the keys really do. No source files are read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from outlook_tui.app.icons import ICONS
from outlook_tui.app.keymap import Classes, all_bindings
from outlook_tui.app.safe import data
from outlook_tui.app.widgets.footer import KeysFooter

#: Keys the stock widgets answer to, which no BINDINGS of ours declare.
WIDGET_KEYS: tuple[tuple[str, str], ...] = (
    ("tab / shift+tab", "Move to the next / previous control"),
    ("space", "Tick or clear a checkbox (Use System, Contacts, Tasks...)"),
    ("enter", "Open a choice (Sync Direction...), then pick with ↑/↓ and Enter; press a button"),
    ("escape", "Close an open choice without changing it"),
    ("↑ / ↓, pgup / pgdn", "Move in lists and the tree; scroll"),
    ("ctrl+p", "Command palette: Open organization..., System configuration"),
)


def key_groups(classes: Classes, keymap: Mapping[str, str], app: App[object] | None = None,
               here: Sequence[type] = ()) -> list[tuple[str, list[tuple[str, str]]]]:
    """(group title, [(keys, what they do)]) for every class with keys, then the widgets'; the
    keys as ``keymap`` (the user's) has them, shown as ``app`` displays keys. The keys of
    ``here`` (the screen Help was opened from, the control that had focus) come first: what a
    person asking wants."""
    classes = sorted(classes, key=lambda cls: not any(issubclass(h, cls) for h in here))
    grouped: dict[str, dict[str, list[str]]] = {}
    tooltips: dict[tuple[str, str], str] = {}
    for keyed in all_bindings(classes):
        binding = keyed.binding
        if not binding.description:
            continue
        rows = grouped.setdefault(keyed.group, {})
        rows.setdefault(binding.description, []).extend(
            _display(app, binding, key) for key in keyed.keys(keymap))
        if binding.tooltip:
            tooltips.setdefault((keyed.group, binding.description), binding.tooltip)
    groups = [
        (group, [(" / ".join(dict.fromkeys(keys)),
                  f"{what}: {tooltips[(group, what)]}" if (group, what) in tooltips else what)
                 for what, keys in rows.items()])
        for group, rows in grouped.items()]
    groups.append(("In forms and lists", list(WIDGET_KEYS)))
    return groups


def _display(app: App[object] | None, binding: Binding, key: str) -> str:
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

    def __init__(self, classes: Classes, keymap: Mapping[str, str],
                 here: Sequence[type] = ()) -> None:
        """``classes``: those whose keys to list; ``keymap``: the user's, applied to them;
        ``here``: the screen Help was opened from and its focused control: their keys first."""
        super().__init__()
        self._keyed_classes = classes
        self._user_keymap = dict(keymap)
        self._here = here

    def compose(self) -> ComposeResult:
        yield Header(icon=ICONS.app)
        with VerticalScroll(id="help-keys"):
            yield Static(Text("Keys of outlook-tui", style="bold"), classes="help-heading")
            for title, rows in key_groups(self._keyed_classes, self._user_keymap, self.app,
                                         self._here):
                table = Table(box=None, show_header=False, expand=True, padding=(0, 1))
                table.add_column("keys", style="bold", width=16, overflow="fold")
                table.add_column("what", ratio=1, overflow="fold")
                for keys, what in rows:
                    # Rich parses a str cell as markup; keys come from the user's keymap.
                    table.add_row(data(keys), data(what, width=None))
                yield Static(Text(title, style="bold underline"), classes="help-group")
                yield Static(table, classes="help-table")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = "Help"
        self.query_one("#help-keys", VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)


__all__ = ["HelpScreen", "key_groups"]
