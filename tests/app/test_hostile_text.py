"""Text from data is only ever text, on every screen: the table of hostile strings
(tests/hostile.py) as organization names, history users, SSH clients and values, a store path
and a damaged store, driven by keys. Each screen is read back as the terminal would get it (the
screen's composed lines) and must show the data literally, escaped, never as markup or control
characters, and the app must still be running."""

from __future__ import annotations

import json
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from textual.command import CommandPalette
from textual.events import Paste
from textual.widgets import Input

from outlook_tui.app.app import OutlookApp
from outlook_tui.app.screens.conflict import ConflictModal
from outlook_tui.app.screens.organization_form import OrganizationFormModal
from outlook_tui.app.screens.recovery import RecoveryScreen
from outlook_tui.store import Conflict, JsonStore
from outlook_tui.store.history import HistoryEntry, encode
from outlook_tui.text import printable
from tests.app.screen import screen_text
from tests.conftest import notices, settle, showing, write_store
from tests.hostile import HOSTILE, NAMES, hidden_characters

#: Every organization overrides one setting, so that bulk reset has something to name.
RECORDS: list[dict[str, Any]] = [
    {"name": name, "description": HOSTILE["long"], "overrides": {"tasks_enabled": False}}
    for name in NAMES
]


def seen(name: str, cells: int = 8) -> str:
    """The start of ``name`` as it must appear on screen (escaped), short enough for a cell."""
    return printable(name)[:cells]


def assert_safe(app: OutlookApp, *expected: str) -> str:
    assert app.is_running, "the app quit (an @click action ran, or it crashed)"
    text = screen_text(app)
    assert hidden_characters(text) == [], text
    for piece in expected:
        assert piece in text, f"{piece!r} is not shown literally on:\n{text}"
    return text


@asynccontextmanager
async def hostile(store_path: Path, *, read_only: bool = False,
                  records: list[dict[str, Any]] | None = None, history: bool = False,
                  size: tuple[int, int] = (80, 24),
                  notifications: bool = False) -> AsyncIterator[tuple[OutlookApp, Any]]:
    """The app, loaded and idle, on a store of hostile names (or ``records``), with
    :func:`hostile_history` when ``history``. Whatever the story does with them, the store's
    bytes are the same afterwards: hostile text never makes the app write."""
    write_store(store_path, RECORDS if records is None else records)
    app = OutlookApp(JsonStore(store_path, read_only=read_only, lock_timeout=2),
                     watch_seconds=0)
    if history:
        hostile_history(store_path)
    before = store_path.read_bytes()
    async with app.run_test(size=size, notifications=notifications) as pilot:
        await idle(pilot)
        yield app, pilot
    assert store_path.read_bytes() == before


async def idle(pilot: Any) -> None:
    """The store read (again, after a key that reloads it) and the app idle."""
    await settle(pilot, lambda: pilot.app.validated, "the store to load")
    await settle(pilot)


async def after(pilot: Any, *keys: str, shows: list[str] | None = None) -> str:
    """``keys`` pressed: the screen is safe (:func:`assert_safe`) and shows each of ``shows``
    literally; its text."""
    await pilot.press(*keys)
    await pilot.pause()
    return assert_safe(pilot.app, *(shows or []))


def hostile_history(store_path: Path) -> None:
    entries = []
    for number, value in enumerate([*NAMES[:12], HOSTILE["long"]], start=1):
        entries.append(HistoryEntry(
            time=f"2026-01-15T09:{10 + number:02d}:00Z", user=value, ssh_client=value,
            revision=number, scope="organization", organization_id=1, organization_name=value,
            key="name", old=value, new=HOSTILE["osc52_clipboard"]))
    store_path.with_name("store.history.jsonl").write_bytes(encode(entries))


async def test_the_organizations_grid_shows_every_hostile_name_literally(
    store_path: Path,
) -> None:
    async with hostile(store_path) as (app, pilot):
        assert_safe(app, *(seen(name) for name in NAMES), "[bold]x[/]", "[/]", "\\x1b]52;c",
                    "c1\\x9b31m", "bidi\\u202e", "組織名🏢")
        # The filter line quotes what is typed: markup there is text too.
        await after(pilot, "slash", *"[on", shows=["“[on”"])


async def test_configuration_title_and_breadcrumb_show_the_name_escaped(
    store_path: Path,
) -> None:
    async with hostile(store_path) as (app, pilot):
        titles = set()
        for _ in NAMES:  # each organization in turn: c opens it, Escape comes back, Down
            await pilot.press("c")
            await idle(pilot)
            title = app.screen.title or ""
            assert title in NAMES
            titles.add(title)
            assert_safe(app, seen(title, 6), "MS Outlook Settings")
            await pilot.press("escape")
            await idle(pilot)
            await pilot.press("down")
        assert titles == set(NAMES)


async def test_effective_settings_matrix_and_help_show_names_escaped(store_path: Path) -> None:
    async with hostile(store_path) as (app, pilot):
        assert app.snapshot is not None
        first = next(iter(app.snapshot.organizations())).name
        await pilot.press("i")
        await idle(pilot)
        assert_safe(app, seen(first), "Effective value")
        await pilot.press("escape", "m")
        await idle(pilot)
        assert_safe(app, "[bold]x[/]", "\\x1b]52;c", "bidi\\u202e")
        await after(pilot, "right")  # the detail line names the organization and its overrides
        await after(pilot, "escape", "f1", shows=["Keys"])


async def test_history_shows_hostile_users_ssh_clients_names_and_values_escaped(
    store_path: Path,
) -> None:
    async with hostile(store_path, history=True) as (app, pilot):
        app.open_history()
        await idle(pilot)
        text = assert_safe(app, "History of all changes")
        assert "\\x1b]52" in text  # the new value, in the table
        for _ in range(13):  # each entry's detail line: when, who (user, SSH client), what
            await after(pilot, "down")


async def test_bulk_reset_confirmation_names_hostile_organizations_escaped(
    store_path: Path,
) -> None:
    async with hostile(store_path) as (_, pilot):
        await after(pilot, "a", "x")
        text = await after(pilot, "enter", shows=["Reset overrides of"])
        assert "[/]" in text or "\\x1b" in text or "[bold]" in text
        await after(pilot, "escape")


async def test_the_conflict_dialog_names_values_and_users_escaped(store_path: Path) -> None:
    async with hostile(store_path, history=True) as (app, pilot):
        conflicts = [Conflict(name, "Name", "name", 1, name, HOSTILE["markup"],
                              HOSTILE["osc8_hyperlink"]) for name in NAMES[:4]]
        app.push_screen(ConflictModal(conflicts))
        await idle(pilot)
        assert_safe(app, "[bold]x[/]", "\\x1b]8;;http")
        await after(pilot, "escape")


async def test_the_palette_lists_and_finds_hostile_names_as_text(store_path: Path) -> None:
    async with hostile(store_path) as (app, pilot):
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        for query, expected in (("bold", "[bold]x[/]"), ("bidi", "bidi\\u202eexe"),
                                ("click", "[@click=app.quit]"), ("clip", "\\x1b]52;c;aGk=")):
            palette_input = app.screen.query_one(Input)
            palette_input.value = ""
            await pilot.press(*query)
            await settle(pilot)
            assert_safe(app, expected)
        await after(pilot, "escape")


async def test_toasts_show_hostile_text_literally(store_path: Path) -> None:
    async with hostile(store_path, notifications=True) as (app, pilot):
        for kind in ("markup", "action", "broken_tag", "osc52_clipboard", "long"):
            app.notify(HOSTILE[kind], title=HOSTILE["osc0_title"])
        await settle(pilot)
        assert_safe(app, "[bold]x[/]", "\\x1b]0;pwned", "[on red", "LLLLLLLL")


async def test_a_new_name_with_an_escape_is_refused_inline_and_nothing_is_saved(
    store_path: Path,
) -> None:
    async with hostile(store_path, records=[{"name": "Acme"}]) as (app, pilot):
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, OrganizationFormModal)
        await pilot.press(*"Acme")
        # A paste carrying an escape sequence (what a terminal sends for pasted text).
        app.screen.query_one("#name", Input).post_message(Paste("\x1b]52;c;aGk=\x07"))
        await pilot.pause()
        assert app.screen.query_one("#name", Input).value == "Acme"
        # (wrapped in the dialog)
        assert_safe(app, "Name: must not contain control characters (U+001B at", "position 5).")
        await pilot.press("enter")  # "Acme" is taken (ignoring case): still nothing saved
        await pilot.pause()
        assert isinstance(app.screen, OrganizationFormModal)


async def test_editing_a_hand_edited_hostile_name_shows_it_escaped_and_keeps_it(
    store_path: Path,
) -> None:
    name = HOSTILE["osc52_clipboard"]
    async with hostile(store_path, records=[{"name": name}]) as (app, pilot):
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, OrganizationFormModal)
        assert app.screen.query_one("#name", Input).value == printable(name)
        assert_safe(app, "\\x1b]52;c;aGk=")
        await pilot.press("enter")  # nothing changed: the stored name is kept as it is
        await idle(pilot)
        assert not isinstance(app.screen, OrganizationFormModal)


async def test_the_recovery_screen_quotes_a_damaged_store_escaped(store_path: Path) -> None:
    write_store(store_path, ["Acme"])
    document = json.loads(store_path.read_text())
    document["organizations"][0]["name"] = HOSTILE["long"]  # 10,000 characters: too long
    document["organizations"][0]["created_at"] = HOSTILE["osc52_clipboard"]
    document["organizations"].append({**document["organizations"][0], "id": 2,
                                      "name": "[bold]x[/]", "enabled": "[@click=app.quit]"})
    store_path.write_text(json.dumps(document))
    before = store_path.read_bytes()
    app = OutlookApp(JsonStore(store_path, lock_timeout=2), watch_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await showing(pilot, RecoveryScreen)
        await settle(pilot)
        assert isinstance(app.screen, RecoveryScreen)
        assert_safe(app, "\\x1b]52;c;aGk=", "LLLLLLLL")
    assert store_path.read_bytes() == before


async def test_a_read_only_store_at_a_hostile_path_names_it_escaped() -> None:
    # A short path (not pytest's tmp_path), so that the header has room for all of it.
    with tempfile.TemporaryDirectory(prefix="ot-") as top:
        path = Path(top) / "shared\x1b]52;c;aGk=\x07\u202e" / "store.json"
        async with hostile(path, read_only=True, records=[{"name": "Acme"}],
                           size=(120, 24)) as (app, _):
            assert_safe(app, "View only: you can read every setting",
                        "shared\\x1b]52;c;aGk=\\x07\\u202e")


async def test_no_palette_entry_key_or_action_markup_writes_a_file(
    store_path: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    """Textual's Screenshot (it writes an SVG into the working directory) is gone: the palette
    does not find it, no binding names it, and a name holding its action markup is only text."""
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    async with hostile(store_path, records=[{"name": "[@click=app.screenshot]shot[/]"}]
                       ) as (app, pilot):
        assert all("screenshot" not in binding.action for binding in app.screen.active_bindings
                   .values() for binding in [binding.binding])
        await pilot.click("#organizations", offset=(5, 1))  # on the name itself
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"screenshot")
        await settle(pilot)
        text = assert_safe(app)
        assert "Screenshot" not in text.replace("[@click=app.screenshot]", "")
        await pilot.press("escape")
        await pilot.pause()
    assert list(work.iterdir()) == []


async def test_a_paste_with_an_escape_sequence_never_reaches_any_field(store_path: Path) -> None:
    """Every field the app has (filter, interval, bulk number) refuses pasted controls: Textual's
    Input would draw them raw."""
    paste = Paste("12\x1b]52;c;aGk=\x07")
    async with hostile(store_path, records=[{"name": "Acme"}]) as (app, pilot):
        await pilot.press("slash")
        app.screen.query_one("#filter", Input).post_message(paste)
        await pilot.pause()
        assert app.screen.query_one("#filter", Input).value == ""
        assert_safe(app)
        await pilot.press("escape", "c")
        await idle(pilot)
        for field in app.screen.query(".value-integer").results(Input):
            field.post_message(Paste(paste.text))
            await pilot.pause()
            assert "\x1b" not in field.value
        assert_safe(app)


async def test_a_paste_with_an_escape_sequence_into_the_palette_is_refused_with_a_notice(
    store_path: Path,
) -> None:
    async with hostile(store_path, records=[{"name": "Acme"}], notifications=True) as (app, pilot):
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        app.post_message(Paste("ac\x1b]52;c;aGk=\x07"))  # as the terminal's driver posts it
        await settle(pilot)
        assert app.screen.query_one(Input).value == ""
        assert_safe(app)
        assert any("U+001B at position 3" in n.message for n in notices(app))
