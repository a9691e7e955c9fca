"""A save made while the whole store is still read in the background goes first: the read
steps aside between two chunks (app/foreground.py) for as long as the save runs, the save
writes its one value, and the read then completes with every organization."""

from __future__ import annotations

import threading

import pytest

from outlook_tui.app.foreground import Foreground
from outlook_tui.store import Snapshot, StoreBackend
from outlook_tui.store.changes import SettingChange
from outlook_tui.store.oro.reading import CHUNK
from tests.conftest import wait_until
from tests.store.conftest import StoreFactory

CRM = "contacts_sync_interval_orocrm"
#: More organizations than one chunk: the read pauses between two.
ORGANIZATIONS = [f"Branch {number:04}" for number in range(CHUNK + 1)]


@pytest.fixture(params=["postgres", "mysql"])
def database_factory(request: pytest.FixtureRequest) -> StoreFactory:
    factory: StoreFactory = request.getfixturevalue(f"{request.param}_store_factory")
    return factory


def values(store: StoreBackend) -> dict[str, dict[str, object]]:
    return {o.name: dict(o.overrides) for o in store.load().organizations()}


def test_a_save_goes_first_and_the_read_still_brings_every_organization(
        database_factory: StoreFactory) -> None:
    seeded = database_factory(ORGANIZATIONS)
    before = values(seeded)
    store = database_factory.again(seeded)  # the app's, reading every organization anew
    foreground = Foreground()
    read: list[Snapshot] = []
    failed: list[BaseException] = []

    def read_all() -> None:
        try:
            read.append(store.load(pause=foreground.pause))
        except BaseException as error:  # said by the test, not lost in the thread
            failed.append(error)
            raise

    reader = threading.Thread(target=read_all)

    with foreground.operation():  # the admin saves one organization meanwhile
        reader.start()
        wait_until(lambda: foreground.waits > 0 or failed, "the whole read stepping aside")
        assert not failed
        part = store.load_named([ORGANIZATIONS[0]])
        organization = part.find(ORGANIZATIONS[0])
        result = store.commit(part, [SettingChange(organization.id, CRM, None, 300)])
        assert result.applied
    reader.join(timeout=60)

    assert not reader.is_alive()
    assert len(list(read[0].organizations())) == len(ORGANIZATIONS) + 1  # and Oro's default one
    after = values(store)
    assert after.pop(ORGANIZATIONS[0]) == {CRM: 300}
    before.pop(ORGANIZATIONS[0])
    assert after == before, "the save changed one value, no other"
    assert [(e.organization_name, e.key, e.new) for e in store.history()] == [
        (ORGANIZATIONS[0], f"oro_crm_pro_outlook.{CRM}", 300)]


#: Three chunks of organizations, each overriding one setting.
OVERRIDING = [{"name": f"Office {number:04}", "overrides": {CRM: 300 + number % 7}}
              for number in range(3 * CHUNK)]
#: What a whole read does, each over every organization (or value): read the organizations,
#: make their records, work out their name order, place them, read the values, decode them,
#: give the overriding organizations their values.
STEPS = 7


def test_every_step_of_a_big_read_steps_aside_now_and_then(
        database_factory: StoreFactory) -> None:
    """A key never waits behind a whole step of the read (at 100k organizations each is a
    tenth of a second of Python): each steps aside at least once every chunk."""
    store = database_factory.again(database_factory(OVERRIDING))
    pauses: list[None] = []
    snapshot = store.load(pause=lambda: pauses.append(None))
    assert len(snapshot) == len(OVERRIDING) + 1  # and Oro's default one
    assert snapshot.find("Office 0009").overrides == {CRM: 302}
    assert len(pauses) >= STEPS * len(OVERRIDING) // CHUNK
