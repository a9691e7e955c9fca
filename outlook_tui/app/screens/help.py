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
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header, Input, Static

from outlook_tui.app.icons import ICONS
from outlook_tui.app.keymap import Classes, all_bindings
from outlook_tui.app.safe import data
from outlook_tui.app.widgets.footer import KeysFooter
from outlook_tui.app.widgets.text_input import TextInput

#: Keys the stock widgets answer to, which no BINDINGS of ours declare.
WIDGET_KEYS: tuple[tuple[str, str], ...] = (
    ("tab / shift+tab", "Move to the next / previous control"),
    ("space", "Tick or clear a checkbox (Use System, Contacts, Tasks...)"),
    ("enter", "Open a choice (Sync Direction...), then pick with "
              f"{ICONS.up_down} and Enter; press a button"),
    ("escape", "Close an open choice without changing it"),
    (f"{ICONS.up_down}, pgup / pgdn", "Move in lists and the tree; scroll"),
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


def matching(groups: list[tuple[str, list[tuple[str, str]]]], needle: str
             ) -> list[tuple[str, list[tuple[str, str]]]]:
    """The rows whose keys, words or group title contain ``needle`` (any case), as the palette
    narrows its commands while typing."""
    folded = needle.strip().casefold()
    if not folded:
        return groups
    kept = []
    for title, rows in groups:
        if folded in title.casefold():
            kept.append((title, rows))
            continue
        found = [(keys, what) for keys, what in rows
                 if folded in keys.casefold() or folded in what.casefold()]
        if found:
            kept.append((title, found))
    return kept


class HelpScreen(Screen[None]):
    """Keys, by screen, those of the screen it was opened from first. Typing filters them;
    Escape (or F1) closes it."""

    CSS_PATH = "../styles/help.tcss"
    HELP_TITLE = "Help"
    BINDINGS = [
        # q and ? are typed into the filter; Escape and F1 close.
        Binding("escape,q,f1,question_mark", "close", "Close help", id="help.close",
                tooltip="Back to where you were"),
        Binding("down", "scroll('down')", "Scroll", show=False, id="help.down",
                tooltip="Scroll the keys down (the filter keeps its focus)"),
        Binding("up", "scroll('up')", "Scroll", show=False, id="help.up",
                tooltip="Scroll the keys up"),
        Binding("pagedown", "scroll('page_down')", "Page", show=False, id="help.page_down",
                tooltip="One screen of keys down"),
        Binding("pageup", "scroll('page_up')", "Page", show=False, id="help.page_up",
                tooltip="One screen of keys up"),
    ]

    def __init__(self, classes: Classes, keymap: Mapping[str, str],
                 here: Sequence[type] = ()) -> None:
        """``classes``: those whose keys to list; ``keymap``: the user's, applied to them;
        ``here``: the screen Help was opened from and its focused control: their keys first."""
        super().__init__()
        self._keyed_classes = classes
        self._user_keymap = dict(keymap)
        self._here = here
        self._groups: list[tuple[str, list[tuple[str, str]]]] = []

    def compose(self) -> ComposeResult:
        yield Header(icon=ICONS.app)
        yield TextInput(placeholder="Type to find a key (save, history, ctrl+s...)",
                        id="help-filter", compact=True)
        yield VerticalScroll(id="help-keys")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = "Help"
        self._groups = key_groups(self._keyed_classes, self._user_keymap, self.app, self._here)
        self._show("")
        self.query_one("#help-filter", Input).focus()

    def _show(self, needle: str) -> None:
        keys = self.query_one("#help-keys", VerticalScroll)
        keys.remove_children()
        shown: list[Widget] = [Static(Text("Keys of outlook-tui", style="bold"),
                                      classes="help-heading")]
        groups = matching(self._groups, needle)
        if not groups:
            shown.append(Static(data(f"No key matches {needle!r}.", width=None),
                                classes="help-group"))
        for title, rows in groups:
            table = Table(box=None, show_header=False, expand=True, padding=(0, 1))
            table.add_column("keys", style="bold", width=16, overflow="fold")
            table.add_column("what", ratio=1, overflow="fold")
            for key, what in rows:
                # Rich parses a str cell as markup; keys come from the user's keymap.
                table.add_row(data(key), data(what, width=None))
            shown.append(Static(Text(title, style="bold underline"), classes="help-group"))
            shown.append(Static(table, classes="help-table"))
        keys.mount_all(shown)
        keys.scroll_home(animate=False)

    @on(Input.Changed, "#help-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._show(event.value)

    def action_scroll(self, how: str) -> None:
        keys = self.query_one("#help-keys", VerticalScroll)
        getattr(keys, f"scroll_{how}")(animate=False)

    def action_close(self) -> None:
        self.dismiss(None)


__all__ = ["HelpScreen", "key_groups", "matching"]
