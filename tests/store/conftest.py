"""A fresh store per test, in a directory of its own (``tmp_path/shared/store.json``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from outlook_tui.store import JsonStore

NewStore = Callable[..., JsonStore]


@pytest.fixture
def store_at(tmp_path: Path) -> Path:
    directory = tmp_path / "shared"
    directory.mkdir()
    return directory / "store.json"


@pytest.fixture
def new_store(store_at: Path) -> NewStore:
    """``new_store(read_only=..., fileops=..., create=False)``: a JsonStore on ``store_at``,
    created (revision 0, the Default Organization) unless ``create=False``."""

    def make(*, create: bool = True, **options: object) -> JsonStore:
        options.setdefault("lock_timeout", 2.0)
        store = JsonStore(store_at, **options)  # type: ignore[arg-type]
        if create and not store.exists():
            store.load()
        return store

    return make


@pytest.fixture
def store(new_store: NewStore) -> JsonStore:
    return new_store()
