"""Every value written as Oro writes it, compared column by column in the real database, and
every row Oro may have written read back as Oro reads it (or reported damaged, with its row)."""

from __future__ import annotations

import datetime as dt

import pytest

from outlook_tui.catalog import BY_NAME, CATALOG, SettingType, Value
from outlook_tui.store import SettingChange
from outlook_tui.store.oro.encoding import Damaged, decode, encode
from outlook_tui.store.postgres import PostgresStore
from tests.postgres.server import PostgresServer

SECTION = "oro_crm_pro_outlook"

#: The reference's encoding table, and every other value of every setting.
WRITTEN: list[tuple[str, Value, str]] = [
    ("contacts_sync_direction", "Both", "Both"),
    ("contacts_sync_direction", "OroCRMToOutlook", "OroCRMToOutlook"),
    ("contacts_sync_direction", "OutlookToOroCRM", "OutlookToOroCRM"),
    ("contacts_conflict_resolution", "OroCRMAlwaysWins", "OroCRMAlwaysWins"),
    ("contacts_conflict_resolution", "OutlookAlwaysWins", "OutlookAlwaysWins"),
    ("contacts_sync_interval_orocrm", 120, "120"),
    ("contacts_sync_interval_orocrm", 1, "1"),
    ("contacts_sync_interval_orocrm", 86399, "86399"),
    ("contacts_sync_interval_outlook", 30, "30"),
    ("contacts_enabled", True, "1"),
    ("contacts_enabled", False, ""),
    ("tasks_enabled", True, "1"),
    ("tasks_enabled", False, ""),
    ("calendar_events_enabled", True, "1"),
    ("calendar_events_enabled", False, ""),
]

ROW = """SELECT v.section, v.name, v.text_value, v.object_value, v.array_value, v.type,
       v.created_at, v.updated_at
FROM oro_config_value v JOIN oro_config c ON c.id = v.config_id
WHERE c.entity = %s AND c.record_id = %s AND v.section = %s AND v.name = %s"""


def _row(server: PostgresServer, db: str, entity: str, record_id: int,
         name: str) -> tuple[object, ...] | None:
    rows = server.execute(db, ROW, (entity, record_id, SECTION, name))
    assert len(rows) <= 1
    return rows[0] if rows else None


@pytest.mark.parametrize(("name", "value", "text"), WRITTEN,
                         ids=[f"{n}={v!r}" for n, v, _ in WRITTEN])
@pytest.mark.parametrize("organization_id", [1, None], ids=["organization", "system"])
def test_each_value_is_written_as_oro_writes_it(
        pg_server: PostgresServer, oro_db: str, pg_store: PostgresStore, name: str,
        value: Value, text: str, organization_id: int | None) -> None:
    before = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    pg_store.commit(pg_store.load(), [SettingChange(organization_id, name, None, value)])
    entity, record_id = ("app", 0) if organization_id is None else ("organization", 1)
    row = _row(pg_server, oro_db, entity, record_id, name)
    assert row is not None
    section, stored_name, text_value, object_value, array_value, type_, created, updated = row
    assert (section, stored_name, text_value, object_value, array_value, type_) == (
        SECTION, name, text, "Tjs=", "Tjs=", "scalar")
    # UTC without time zone, to the second, as Oro writes its timestamps.
    assert isinstance(created, dt.datetime) and created.tzinfo is None
    assert created == updated
    assert before - dt.timedelta(seconds=1) <= created <= before + dt.timedelta(minutes=5)
    assert pg_store.load().effective(organization_id)[name].value == value


def test_an_override_updates_its_row_and_use_system_deletes_it(
        pg_server: PostgresServer, oro_db: str, pg_store: PostgresStore) -> None:
    name = "contacts_sync_interval_orocrm"
    pg_store.commit(pg_store.load(), [SettingChange(1, name, None, 300)])
    pg_server.execute(oro_db, "UPDATE oro_config_value SET created_at = '2020-01-01 00:00:00', "
                      "updated_at = '2020-01-01 00:00:00' WHERE name = %s AND text_value = '300'",
                      (name,))
    pg_store.commit(pg_store.load(), [SettingChange(1, name, 300, 86399)])
    row = _row(pg_server, oro_db, "organization", 1, name)
    assert row is not None
    assert row[2] == "86399" and row[6] == dt.datetime(2020, 1, 1)  # created_at kept
    assert row[7] > dt.datetime(2020, 1, 1)  # updated_at now
    pg_store.commit(pg_store.load(), [SettingChange(1, name, 86399, None)])
    assert _row(pg_server, oro_db, "organization", 1, name) is None


def test_the_scope_row_is_created_when_missing(
        pg_server: PostgresServer, oro_db: str, pg_store: PostgresStore) -> None:
    pg_server.execute(oro_db, "INSERT INTO oro_organization (id, name, enabled) "
                      "VALUES (7, 'Acme', true)")
    store = PostgresStore(pg_store.uri)
    assert pg_server.execute(oro_db, "SELECT count(*) FROM oro_config WHERE record_id = 7")[0][0] \
        == 0
    store.commit(store.load(), [SettingChange(7, "tasks_enabled", None, False)])
    assert pg_server.execute(
        oro_db, "SELECT entity, record_id FROM oro_config WHERE record_id = 7") == [
        ("organization", 7)]
    assert _row(pg_server, oro_db, "organization", 7, "tasks_enabled")[2:6] == (  # type: ignore[index]
        "", "Tjs=", "Tjs=", "scalar")


# -- reading what Oro (or anyone) wrote --------------------------------------------------------

READ: list[tuple[str, str | None, str, Value | str]] = [
    # name, text_value, type, value (or "damaged: <part of the reason>")
    ("contacts_enabled", "1", "scalar", True),
    ("contacts_enabled", "", "scalar", False),
    ("contacts_enabled", "0", "scalar", False),
    ("contacts_enabled", None, "scalar", False),
    # Oro up to 5.0 reads these as true, 5.1+ as false: no guess, the row is shown damaged.
    ("contacts_enabled", "false", "scalar", "damaged: 5.0 reads it as true, Oro 5.1+ as false"),
    ("contacts_enabled", "no", "scalar", "damaged: no boolean Oro versions agree on"),
    ("contacts_enabled", "off", "scalar", "damaged: no boolean Oro versions agree on"),
    ("contacts_enabled", " ", "scalar", "damaged: no boolean Oro versions agree on"),
    ("contacts_enabled", "2", "scalar", "damaged: no boolean Oro versions agree on"),
    ("contacts_enabled", "abc", "scalar", "damaged: must be '1' (true) or '' (false)"),
    ("tasks_enabled", "yes", "scalar", "damaged: every Oro reads it as true"),
    ("calendar_events_enabled", "true", "scalar", "damaged: no boolean Oro versions agree on"),
    ("contacts_enabled", "1", "array", "damaged: type 'array'"),
    ("contacts_sync_interval_orocrm", "120", "scalar", 120),
    ("contacts_sync_interval_orocrm", "0", "scalar", "damaged: out of range"),
    ("contacts_sync_interval_orocrm", "86400", "scalar", "damaged: out of range"),
    ("contacts_sync_interval_orocrm", "-5", "scalar", "damaged: out of range"),
    ("contacts_sync_interval_orocrm", "12abc", "scalar", "damaged: not a whole number"),
    ("contacts_sync_interval_orocrm", "", "scalar", "damaged: not a whole number"),
    ("contacts_sync_interval_orocrm", None, "scalar", "damaged: NULL"),
    ("contacts_sync_direction", "Both", "scalar", "Both"),
    ("contacts_sync_direction", "both", "scalar", "damaged: not a known choice"),
    ("contacts_sync_direction", "Sideways", "scalar", "damaged: not a known choice"),
]


@pytest.mark.parametrize(("name", "text_value", "type_", "expected"), READ,
                         ids=[f"{n}={t!r}/{ty}" for n, t, ty, _ in READ])
def test_rows_are_read_as_oro_reads_them(
        pg_server: PostgresServer, oro_db: str, pg_store: PostgresStore, name: str,
        text_value: str | None, type_: str, expected: Value | str) -> None:
    row_id = pg_server.execute(
        oro_db, "INSERT INTO oro_config_value (config_id, name, section, text_value, "
        "object_value, array_value, type, created_at, updated_at) VALUES (2, %s, %s, %s, 'Tjs=', "
        "'Tjs=', %s, '2026-01-15 09:30:00', '2026-01-15 09:30:00') RETURNING id",
        (name, SECTION, text_value, type_))[0][0]
    snapshot = pg_store.load()
    org = snapshot.get(1)
    assert org is not None
    if isinstance(expected, str) and expected.startswith("damaged: "):
        assert name not in org.overrides
        [damaged] = snapshot.damaged
        assert damaged.row_id == row_id and damaged.organization_id == 1
        assert damaged.text_value == text_value and damaged.name == name
        assert expected.removeprefix("damaged: ") in damaged.reason
    else:
        assert org.overrides[name] == expected
        assert type(org.overrides[name]) is type(expected)
        assert snapshot.damaged == []


@pytest.mark.parametrize("setting", CATALOG, ids=[s.name for s in CATALOG])
def test_encode_then_decode_is_the_value(setting: object) -> None:
    from outlook_tui.catalog import Setting

    assert isinstance(setting, Setting)
    values: list[Value]
    if setting.type is SettingType.CHOICE:
        values = [c.value for c in setting.choices]
    elif setting.type is SettingType.INTEGER:
        values = [1, 2, 120, 86399]
    else:
        values = [True, False]
    for value in values:
        encoded = encode(setting, value)
        assert decode(setting, encoded.text_value, encoded.type) == value
    with pytest.raises(Damaged):
        decode(BY_NAME["contacts_sync_direction"], "Both", "object")


def test_oro_config_update_false_is_shown_damaged_not_guessed(
        pg_server: PostgresServer, oro_db: str, pg_store: PostgresStore) -> None:
    """An admin runs ``bin/console oro:config:update oro_crm_pro_outlook.contacts_enabled
    false``: Oro stores the text 'false' in the system scope. Oro 4.0 reads it as true, Oro 5.1
    as false; outlook-tui says which row holds it and why it cannot tell, and leaves it."""
    row_id = pg_server.execute(
        oro_db, "INSERT INTO oro_config_value (config_id, name, section, text_value, "
        "object_value, array_value, type, created_at, updated_at) VALUES (1, 'contacts_enabled', "
        "%s, 'false', 'Tjs=', 'Tjs=', 'scalar', '2026-01-15 09:30:00', '2026-01-15 09:30:00') "
        "RETURNING id", (SECTION,))[0][0]
    snapshot = pg_store.load()
    assert "contacts_enabled" not in snapshot.system
    [damaged] = snapshot.damaged
    assert (damaged.row_id, damaged.organization_id, damaged.text_value) == (
        row_id, None, "false")
    assert "Oro up to 5.0 reads it as true, Oro 5.1+ as false" in damaged.reason
    assert pg_server.execute(oro_db, "SELECT text_value FROM oro_config_value WHERE id = %s",
                             (row_id,)) == [("false",)]
