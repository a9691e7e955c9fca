"""One organization costs one query in the app too: an organization's Configuration opened
while a big store is still being read is read, shown and saved on its own, never waiting for
every organization (the whole read is held here until the test lets it go)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from outlook_tui.app.app import OutlookApp
from outlook_tui.store import Snapshot
from outlook_tui.store.postgres import PostgresStore
from tests.app.conftest import CRM, override_crm
from tests.conftest import HANG_SECONDS, notices, settle
from tests.postgres.server import PostgresServer


class StillReading(PostgresStore):
    """Oro's database, whose whole read (every organization) waits until ``done_reading`` is
    set: the app is used while a big store is still being read."""

    def __init__(self, uri: str) -> None:
        super().__init__(uri)
        self.done_reading = threading.Event()

    def load(self, pause: Callable[[], None] | None = None) -> Snapshot:
        self.done_reading.wait(HANG_SECONDS)
        return super().load(pause)


async def test_admin_saves_one_organization_before_the_whole_store_is_read(
        pg_server: PostgresServer, oro_db: str, oro_uri: str) -> None:
    pg_server.execute(oro_db, "INSERT INTO oro_organization (id, name, enabled, created_at, "
                      "updated_at) VALUES (2, 'Acme', true, '2026-02-01 08:00:00', "
                      "'2026-02-01 08:00:00')")
    store = StillReading(oro_uri)
    app = OutlookApp(store, watch_seconds=0)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, lambda: app.snapshot is not None, "the first rows")
            await override_crm(pilot)  # Acme's Configuration, from the first rows shown
            await pilot.press("ctrl+s")
            await settle(pilot, lambda: any(n.title in ("Configuration saved", "Nothing saved")
                                            for n in notices(app)), "the save")
            assert [n.title for n in notices(app)][-1] == "Configuration saved"
            # Saved while every organization was still being read.
            assert not app.validated
            assert pg_server.execute(
                oro_db, "SELECT v.text_value FROM oro_config_value v JOIN oro_config c ON "
                "c.id = v.config_id WHERE c.entity = 'organization' AND c.record_id = 2 AND "
                "v.name = %s", (CRM,)) == [("300",)]
            store.done_reading.set()

            def everyone_sees_it() -> bool:
                org = app.snapshot.get(2) if app.validated and app.snapshot else None
                return org is not None and org.overrides.get(CRM) == 300

            await settle(pilot, everyone_sees_it, "the whole store, with the save")
            form = app.screen.form  # type: ignore[attr-defined]
            assert form.model.fields[CRM].value == 300 and not form.model.dirty
    finally:
        store.done_reading.set()
        store.close()
    assert pg_server.execute(oro_db, "SELECT revision, organization_name, new_value FROM "
                             "outlook_tui_history") == [(1, "Acme", "300")]
