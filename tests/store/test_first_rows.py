"""The first screen's organizations are read while the app starts (``store/ahead.py``): what the
app is handed is what ``peek`` would have answered on every backend, a damaged store fails
just as it would have, and reading ahead writes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from outlook_tui.store import JsonStore, StoreError
from outlook_tui.store.ahead import FirstRows
from tests.conftest import CORPUS, NAMES, every_byte
from tests.store.conftest import StoreFactory


def test_the_rows_read_ahead_are_the_first_paints(store_factory: StoreFactory) -> None:
    store = store_factory(["Umbrella", "acme", "Globex", "Initech"])
    ahead = FirstRows(store, 2).result()
    peeked = store.peek(2)
    if peeked is None:  # a backend that cannot peek cheaply reads nothing ahead either
        assert ahead is None
        return
    assert ahead is not None
    assert [o.name for o in ahead.organizations()] == [o.name for o in peeked.organizations()]
    assert ahead.document["system"] == peeked.document["system"]


@pytest.mark.parametrize("name", NAMES)
def test_a_damaged_file_read_ahead_fails_as_the_app_would_have_found_it(
        name: str, tmp_path: Path) -> None:
    store_path = tmp_path / "store.json"
    shutil.copyfile(CORPUS / name, store_path)
    store = JsonStore(store_path)
    before = every_byte(tmp_path)
    try:
        expected: object = store.peek(40)
    except StoreError as error:
        expected = str(error)
    try:
        found: object = FirstRows(store).result()
    except StoreError as error:
        found = str(error)
    if isinstance(expected, str):
        assert found == expected
    else:
        assert not isinstance(found, str)
    assert every_byte(tmp_path) == before
