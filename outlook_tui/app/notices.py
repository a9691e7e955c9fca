"""Notifications that cover nothing: the app's own notice board and the strip that shows it.

Every ``notify`` (the app's, a screen's, a widget's) lands in :class:`NoticeBoard`. The notices
of the screen the person is on are drawn by a :class:`NoticeArea`: a strip between the screen's
work and its footer, right-aligned and bounded in width and height. It takes its rows from the
screen instead of lying over them, so a form's labels, the grid's status line and the field being
typed into stay readable while a notice shows. The newest notices come first; older ones beyond
:data:`SHOWN_AT_ONCE` are counted, not drawn. ctrl+n (``app.dismiss_notices``) dismisses them.

A notice belongs to the screen it was given on (a dialog's to the screen beneath it) and is
dropped once that screen is left; :meth:`NoticeBoard.add` with ``everywhere`` keeps one on
whichever screen is shown (a command still running). Only Textual's public API is used: the
``Notification`` record, timers, mounting, and ``App.screen_change_signal``.
"""

from __future__ import annotations

import threading
import weakref
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult, ScreenStackError
from textual.containers import Vertical
from textual.content import Content
from textual.notifications import Notification, SeverityLevel
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Static

from outlook_tui.app.icons import ICONS
from outlook_tui.app.safe import plain

if TYPE_CHECKING:
    from collections.abc import Sequence

    from textual.app import App

SEVERITIES = ("information", "warning", "error")
#: How many of the last notifications ``NoticeBoard.notified`` keeps.
NOTIFIED_KEPT = 100
#: Notices drawn at once (newest first); the rest are counted on the hint line.
SHOWN_AT_ONCE = 2
#: The binding that dismisses the notices shown, and its default key.
DISMISS_ID, DISMISS_KEY = "app.dismiss_notices", "ctrl+n"
#: A notice longer than this is clipped (a message quoting a 10,000-character name).
TOAST_CELLS = 480


def notice(message: str, title: str, severity: SeverityLevel, timeout: float) -> Notification:
    """A notification of text from data: never markup, hidden code points escaped, long
    values clipped."""
    return Notification(plain(message, keep="\n", width=TOAST_CELLS), plain(title), severity,
                        timeout, markup=False)


def top_screen(stack: Sequence[Screen[Any]]) -> Screen[Any] | None:
    """The screen a person is on: the topmost one that is not a dialog over it."""
    return next((s for s in reversed(stack) if not isinstance(s, ModalScreen)), None)


@dataclass
class _Live:
    notification: Notification
    #: The screen it was given on; None: shown on every screen.
    owner: weakref.ref[Screen[Any]] | None


class NoticeBoard:
    """What the app tells the person: every notification given (``notified``, for tests and
    the log) and those still shown (``shown()``), drawn on the current screen's NoticeArea."""

    def __init__(self, app: App[Any]) -> None:
        self._app = app
        #: What the app told the person lately, oldest first.
        self.notified: deque[Notification] = deque(maxlen=NOTIFIED_KEPT)
        self._live: list[_Live] = []
        #: The app's thread (known once started): notices given there show at once.
        self._thread: int | None = None

    def start(self) -> None:
        """Follow the screens (call once the app runs, on its thread)."""
        self._thread = threading.get_ident()
        self._app.screen_change_signal.subscribe(self._app, lambda _screen: self.refresh())

    def add(self, notification: Notification, *, everywhere: bool = False) -> None:
        """Show ``notification`` (already made safe to display) on the screen the person is
        on now, or on every screen. Thread-safe, as Textual's ``App.notify`` is."""
        self.notified.append(notification)
        if threading.get_ident() == self._thread:
            self._show(notification, everywhere)
        else:  # from a worker's thread: on the app's, in turn
            self._app.call_later(self._show, notification, everywhere)

    def _show(self, notification: Notification, everywhere: bool) -> None:
        owner = None if everywhere else top_screen(self._app.screen_stack)
        self._live.append(_Live(notification, None if owner is None else weakref.ref(owner)))
        if notification.timeout > 0:
            self._app.set_timer(notification.timeout, self.refresh, name="notice-expiry")
        self.refresh()

    def withdraw(self, notification: Notification) -> None:
        """Take a notification away before its time (a status that no longer holds)."""
        self._live = [live for live in self._live if live.notification is not notification]
        self.refresh()

    def dismiss(self) -> None:
        """The person dismisses the notices shown now."""
        shown = {id(n) for n in self.shown()}
        self._live = [live for live in self._live if id(live.notification) not in shown]
        self.refresh()

    def shown(self) -> list[Notification]:
        """The notices on the screen the person is on, oldest first."""
        here = top_screen(self._app.screen_stack)
        return [live.notification for live in self._live
                if not live.notification.has_expired
                and (live.owner is None or live.owner() is here)]

    def refresh(self) -> None:
        """Drop expired notices and those of screens left; redraw the current screen's."""
        here = top_screen(self._app.screen_stack)
        self._live = [live for live in self._live if not live.notification.has_expired
                      and (live.owner is None or live.owner() is here)]
        if here is None or not self._app.is_running:
            return
        try:
            areas = here.query(NoticeArea)
        except ScreenStackError:
            return
        shown = self.shown()
        if areas:
            areas.first().show(shown)
        elif shown:
            area = NoticeArea()
            footers = [child for child in here.children if isinstance(child, Footer)]
            here.mount(area, before=footers[0] if footers else None)
            area.call_after_refresh(self.refresh)  # once composed


class NoticeArea(Vertical):
    """The strip above a screen's footer holding its notices (mounted when the first comes)."""

    DEFAULT_CSS = """
    NoticeArea {
        height: auto;
        max-height: 10;
        width: 1fr;
        align-horizontal: right;
        display: none;
        &.-shown { display: block; }
        & > .notice {
            width: 60;
            max-width: 100%;
            max-height: 4;
            padding: 0 1;
            background: $panel-lighten-1;
            border-left: outer $success;
            &.-warning { border-left: outer $warning; }
            &.-error { border-left: outer $error; }
        }
        & > #notice-hint {
            width: auto;
            height: 1;
            color: $text-muted;
        }
    }
    """

    def compose(self) -> ComposeResult:
        for _ in range(SHOWN_AT_ONCE):
            yield Static(classes="notice")
        yield Static(id="notice-hint")

    def show(self, notices: Sequence[Notification]) -> None:
        """Draw ``notices`` (oldest first): the newest few, and a line saying how to dismiss
        them and how many more there are."""
        hints = self.query("#notice-hint").results(Static)
        hint_line = next(hints, None)
        if hint_line is None:
            return  # not composed yet: shown once mounted
        self.set_class(bool(notices), "-shown")
        drawn = list(reversed(notices))[:SHOWN_AT_ONCE]
        for at, slot in enumerate(self.query(".notice").results(Static)):
            notice = drawn[at] if at < len(drawn) else None
            slot.display = notice is not None
            if notice is not None:
                slot.update(_content(notice))
                for severity in SEVERITIES:
                    slot.set_class(severity == notice.severity, f"-{severity}")
        hint = f"{_dismiss_key(self.app)} dismisses"
        if len(notices) > len(drawn):
            hint += f" {ICONS.dot} {len(notices) - len(drawn)} more"
        hint_line.update(hint)
        focused = self.screen.focused
        if focused is not None:  # the rows the strip took: the field in use stays in view
            self.call_after_refresh(focused.scroll_visible, animate=False)


def _content(notice: Notification) -> Content:
    """A notice as read: its title in bold, then its message (markup only in the app's own
    words, ``markup=True``; everything else is shown as typed)."""
    message = Content.from_markup(notice.message) if notice.markup else Content(notice.message)
    if not notice.title:
        return message
    return Content.assemble(Content(notice.title).stylize("bold"), "\n", message)


def _dismiss_key(app: App[Any]) -> str:
    for active in app.active_bindings.values():
        if active.binding.id == DISMISS_ID:
            return app.get_key_display(active.binding)
    return DISMISS_KEY


__all__ = ["DISMISS_ID", "DISMISS_KEY", "NoticeArea", "NoticeBoard", "top_screen"]
