"""Command palette: "Open organization..." by name, fuzzy.

With 100k organizations, fuzzy-scoring every name per keystroke is too slow, so names are first
narrowed by their letters in order (a cheap subsequence test on the casefolded name) and only the
first few hundred candidates are scored.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from textual.app import App, SystemCommand
from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider, SearchIcon
from textual.content import Content
from textual.fuzzy import Matcher
from textual.markup import escape as escape_markup
from textual.screen import Screen
from textual.system_commands import SystemCommandsProvider

from outlook_tui.app.icons import ICONS
from outlook_tui.app.safe import content, plain
from outlook_tui.app.session import Session, session_of
from outlook_tui.text import shown_name

CANDIDATES = 300


def _subsequence(needle: str, hay: str) -> bool:
    at = 0
    for char in needle:
        at = hay.find(char, at)
        if at < 0:
            return False
        at += 1
    return True


def highlight(matcher: Matcher, text: str) -> Content:
    """``text`` (already printable) with the letters the query matched highlighted, as
    ``Matcher.highlight`` does, but never read as markup."""
    shown = Content(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    if not score:
        return shown
    for offset in offsets:
        if not text[offset].isspace():
            shown = shown.stylize(matcher.match_style, offset, offset + 1)
    return shown


class OrganizationCommands(Provider):
    @property
    def _session(self) -> Session:
        return session_of(self.screen)

    async def discover(self) -> Hits:
        snapshot = self._session.snapshot
        if snapshot is None:
            return
        for org in list(snapshot.organizations())[:10]:
            yield DiscoveryHit(
                content(f"Open organization: {shown_name(org.name)}"),
                lambda org_id=org.id: self._session.open_configuration(org_id),
                help="MS Outlook Settings of this organization",
            )

    async def search(self, query: str) -> Hits:
        snapshot = self._session.snapshot
        if snapshot is None:
            return
        matcher = self.matcher(query)
        needle = query.casefold().replace(" ", "")
        found = 0
        for record in snapshot.records:
            name = record["name"]
            if not _subsequence(needle, name.casefold()):
                continue
            # Matched and shown escaped: Matcher.highlight() would parse the name as markup.
            text = plain(f"Open organization: {shown_name(name)}")
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, highlight(matcher, text),
                          lambda org_id=record["id"]: self._session.open_configuration(org_id),
                          text=text, help="MS Outlook Settings of this organization")
                found += 1
                if found >= CANDIDATES:
                    return


class AppCommands(SystemCommandsProvider):
    """The palette's commands in the app's order, not sorted by name (Textual's sorts them, so
    "Clear filter" and "Copy selected text" came before this app's own places): the app's
    places first, then the keys of the screen it was opened on, as ``get_system_commands``
    yields them."""

    async def discover(self) -> Hits:
        for name, help_text, callback, discover in self.app.get_system_commands(self.screen):
            if discover:
                yield DiscoveryHit(name, callback, help=help_text)


class Palette(CommandPalette):
    """Textual's palette, its magnifying glass taken from the icon table (a Linux console's
    font has none)."""

    def on_mount(self) -> None:
        for icon in self.query(SearchIcon):
            icon.icon = ICONS.search


def binding_commands(app: App[Any], screen: Screen[object]) -> Iterable[SystemCommand]:
    """Every key of ``screen`` as a palette command (so a key shown nowhere else can still be
    found by name), the footer's first."""
    seen: set[tuple[int, str]] = set()
    # The footer's keys first, then the others of this app (they have ids), Textual's
    # own (Copy selected text) last.
    actives = sorted(screen.active_bindings.values(),
                     key=lambda a: (a.binding.id is None, not a.binding.show))
    for active in actives:
        node, binding = active.node, active.binding
        if not binding.description or not active.enabled \
                or not isinstance(node, App | Screen) \
                or binding.action == "command_palette" or (id(node), binding.action) in seen:
            continue
        seen.add((id(node), binding.action))
        keys = app.get_key_display(binding)
        what = binding.tooltip or binding.description
        # Textual reads a command's help as markup; the keys come from the user's keymap.
        yield SystemCommand(binding.description, escape_markup(f"{what} ({keys})"),
                            partial(app.run_action, binding.action, node))
