"""A store opened read-only (or one the user cannot write) is never written: not the store, not
the history, not the lock, not a backup."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from outlook_tui.store import JsonStore, ReadOnlyError, StoreError
from tests.store.conftest import CRM_INTERVAL, add_organizations, files_of, set_system


@pytest.fixture
def shared(store: JsonStore) -> JsonStore:
    """A store with history and backups; its lock file removed, to see that none is made."""
    snapshot = add_organizations(store, "Acme")
    store.commit(snapshot, [set_system(snapshot, CRM_INTERVAL, 300)])
    store.lock_path.unlink()
    return store


def never_writes(store: JsonStore, reason: str) -> None:
    before = files_of(store)
    assert store.read_only and reason in (store.read_only_reason or "")
    snapshot = store.load()
    assert snapshot.system == {CRM_INTERVAL: 300}
    with pytest.raises(ReadOnlyError) as raised:
        store.commit(snapshot, [set_system(snapshot, CRM_INTERVAL, 600)])
    assert str(raised.value) == (f"{store.path} is read-only ({store.read_only_reason}); "
                                 "nothing was saved")
    with pytest.raises(ReadOnlyError):
        store.restore(1)
    assert store.history()[0].new == 300
    assert store.backups()
    assert files_of(store) == before
    assert not store.lock_path.exists()


def test_opened_with_read_only_never_writes(shared: JsonStore) -> None:
    never_writes(JsonStore(shared.path, read_only=True), "opened with --read-only")


def test_a_directory_the_user_cannot_write_opens_read_only(
        shared: JsonStore, monkeypatch: pytest.MonkeyPatch) -> None:
    directory = shared.path.parent
    if os.geteuid() == 0:  # root passes every permission check: pretend to be a colleague
        real_access = os.access

        def access(path, mode, *args, **kwargs):  # type: ignore[no-untyped-def]
            if Path(path) == directory and mode & os.W_OK:
                return False
            return real_access(path, mode, *args, **kwargs)

        monkeypatch.setattr(os, "access", access)
        never_writes(JsonStore(shared.path), f"you cannot write in {directory}")
    else:
        os.chmod(directory, 0o555)
        try:
            never_writes(JsonStore(shared.path), f"you cannot write in {directory}")
        finally:
            os.chmod(directory, 0o755)


def test_a_file_the_user_cannot_write_opens_read_only(
        shared: JsonStore, monkeypatch: pytest.MonkeyPatch) -> None:
    real_access = os.access

    def access(path, mode, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(path) == shared.path and mode & os.W_OK:
            return False
        return real_access(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)
    never_writes(JsonStore(shared.path), "you cannot write")


def test_read_only_does_not_create_a_missing_store(tmp_path: Path) -> None:
    store = JsonStore(tmp_path / "store.json", read_only=True)
    with pytest.raises(StoreError, match="no store here, and read-only: not creating one"):
        store.load()
    assert list(tmp_path.iterdir()) == []
