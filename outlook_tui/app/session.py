"""What a screen may ask of the app: the store, its current snapshot, saving, and going to
another screen. Screens depend on this small interface, never on the concrete App, so a screen
can be read (and tested) knowing only what it uses; every screen reaches it as ``self.session``
through :class:`SessionScreen` or :class:`SessionModal`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING, Protocol, TypeVar, cast

from textual.binding import ActiveBinding
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.worker import Worker

if TYPE_CHECKING:
    from outlook_tui.store import Backup, Change, CommitResult, Organization, Snapshot
    from outlook_tui.store.backend import SavePlan, StoreBackend


class Session(Protocol):
    """The app as its screens see it (:class:`outlook_tui.app.app.OutlookApp` implements it)."""

    @property
    def store(self) -> StoreBackend: ...

    @property
    def snapshot(self) -> Snapshot | None:
        """The revision every screen shows; None until the first rows are read."""

    @property
    def validated(self) -> bool:
        """True once the whole store is validated; nothing is written before that."""

    @property
    def read_only(self) -> bool: ...

    @property
    def read_only_reason(self) -> str | None:
        """Why nothing can be saved, in words for a banner, or None when the store is writable."""

    @property
    def location_label(self) -> str:
        """How the header names the store (its path with ~, or ``... (backup)``)."""

    async def commit(self, changes: Sequence[Change],
                     base: Snapshot | None = None) -> CommitResult:
        """Save ``changes`` made against :attr:`snapshot` as one revision (the store's errors,
        ``ConflictError``..., are raised for the screen to show); every screen gets the new
        snapshot. With ``base`` (from :meth:`read_organization`) they were made against that
        one organization: the result holds only it and goes to the caller alone."""

    async def plan(self, changes: Sequence[Change]) -> SavePlan:
        """What saving ``changes`` made against :attr:`snapshot` would do now, by the store's
        own merge (``store.plan``: what ``--dry-run`` prints); nothing is written. Raises the
        store's ConflictError when some collide with values saved meanwhile."""

    async def read_organization(self, organization_id: int | None) -> Snapshot:
        """The system and one organization (None: the system alone), validated and read on
        their own, for a screen opened before the whole store is: on Oro's database this
        costs the same at 3 and at 100k organizations."""

    def reload_store(self) -> None:
        """Read the store again from disk (after a restore)."""

    def open_backup(self, backup: Backup, snapshot: Snapshot) -> None:
        """Show ``backup`` read-only in place of a damaged store."""

    # -- navigation: every screen is opened here, and only here ------------------------------

    def open_configuration(self, organization_id: int | None) -> None:
        """Oro's row action "Configuration"; ``None`` opens System configuration."""

    def open_history(self, organization_id: int | None = None, *, system: bool = False) -> None:
        """History of one organization, of the system level, or (neither) of the whole store."""

    def open_effective(self, organization_id: int) -> None:
        """Effective settings of one organization, and where each value comes from."""

    def open_matrix(self, chosen: Collection[int] | None = None) -> None:
        """Compare organizations: every organization's effective values side by side (only
        the ``chosen`` ones, the marked organizations, when given)."""

    def open_organization_form(self, organization: Organization | None,
                               done: Callable[[int | None], None]) -> None:
        """Create (``None``) or edit an organization; ``done`` gets the id saved, or None."""

    def open_help(self) -> None: ...

    def report_worker(self, event: Worker.StateChanged) -> None:
        """Report a worker that failed (Worker.StateChanged does not bubble to the app)."""


def session_of(node: DOMNode) -> Session:
    """The session of the app ``node`` belongs to (for widgets and command providers)."""
    return cast("Session", node.app)


ResultType = TypeVar("ResultType")


class SessionScreen(Screen[ResultType]):
    """A screen of outlook-tui: ``self.session`` is what it may ask of the app."""

    @property
    def session(self) -> Session:
        return session_of(self)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.session.report_worker(event)

    def footer_omits(self, action: str) -> bool:
        """True for one of this screen's actions whose key still works but the footer leaves
        out for now: it cannot be used (read-only, nothing marked: pressing it says why), or it
        steps aside so the keys that matter now fit in 80 columns. One binding per action: no
        second, hidden binding is needed to steer the footer."""
        return False

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        # Only the footer (and Textual's key panel) read this; which keys work is check_action's.
        return {key: active for key, active in super().active_bindings.items()
                if active.node is not self or not self.footer_omits(active.binding.action)}

    def bindings_in_force(self) -> dict[str, ActiveBinding]:
        """Every key that works here, those kept out of the footer included."""
        return super().active_bindings


class SessionModal(ModalScreen[ResultType]):
    """A dialog of outlook-tui: ``self.session`` is what it may ask of the app."""

    @property
    def session(self) -> Session:
        return session_of(self)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.session.report_worker(event)


__all__ = ["Session", "SessionModal", "SessionScreen", "session_of"]
