"""The JSON file backend, split by job: :mod:`.trust` (whether to open a file at all),
:mod:`.reading` (bytes to a validated snapshot), :mod:`.commit` (the atomic write),
:mod:`.backups` (kept versions and restore), :mod:`.repair` (history gaps), :mod:`.store` (the
:class:`JsonStore` that ties them together)."""

from outlook_tui.store.json.store import JsonStore

__all__ = ["JsonStore"]
