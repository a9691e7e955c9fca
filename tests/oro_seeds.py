"""What stores are seeded with: the organizations most stories are told with (:data:`ACME`);
on Oro's database, whatever the database, the rows every test database starts with
(:data:`ORO_SEED`), and a store for the contract suite: the organizations are inserted as Oro
would (the store cannot create them), then their overrides and the system values are saved
through the store."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, ClassVar, TypeVar

from outlook_tui.store import SettingChange, StoreBackend
from outlook_tui.store.oro.store import OroStore

OpenedStore = TypeVar("OpenedStore", bound=OroStore)

#: Ids the seeded organizations get: Oro's Default Organization is 1.
FIRST_ID = 2
#: Oro's tables and outlook-tui's: what a picture of the store holds.
ORO_TABLES = ("oro_organization", "oro_config", "oro_config_value", "outlook_tui_history")

#: The organizations most stories are told with, in any store (the ``acme`` fixtures): after
#: Oro's Default Organization, Acme (id 2), active, with its own CRM Sync Interval of 300, and
#: Globex (id 3), inactive. The system level stores Tasks No.
ACME: tuple[dict[str, Any], ...] = (
    {"name": "Acme", "description": "Anvils",
     "overrides": {"contacts_sync_interval_orocrm": 300}},
    {"name": "Globex", "enabled": False})
ACME_SYSTEM: dict[str, Any] = {"tasks_enabled": False}

#: What a real installation has besides our section, on either database: the Default
#: Organization, the system scope, other bundles' settings there and at organization and user
#: level. Never to be touched. (PostgreSQL's sequences are set after it: tests/postgres/server.py.)
ORO_SEED = """
INSERT INTO oro_organization (id, name, description, created_at, updated_at, enabled, is_global)
  VALUES (1, 'Default Organization', NULL, '2026-01-15 09:30:00', '2026-01-15 09:30:00', TRUE,
          TRUE);
INSERT INTO oro_config (id, entity, record_id) VALUES (1, 'app', 0), (2, 'organization', 1),
  (3, 'user', 1);
INSERT INTO oro_config_value (config_id, name, section, text_value, object_value, array_value,
  type, created_at, updated_at) VALUES
  (1, 'language', 'oro_locale', 'en', 'Tjs=', 'Tjs=', 'scalar', '2026-01-15 09:30:00',
   '2026-01-15 09:30:00'),
  (1, 'timezone', 'oro_locale', 'Europe/Berlin', 'Tjs=', 'Tjs=', 'scalar',
   '2026-01-15 09:30:00', '2026-01-15 09:30:00'),
  (2, 'navbar_position', 'oro_ui', 'left', 'Tjs=', 'Tjs=', 'scalar', '2026-01-15 09:30:00',
   '2026-01-15 09:30:00'),
  (2, 'contacts_sync_interval_orocrm', 'oro_crm_pro_outlook_other', '5', 'Tjs=', 'Tjs=',
   'scalar', '2026-01-15 09:30:00', '2026-01-15 09:30:00'),
  (3, 'contacts_sync_interval_orocrm', 'oro_crm_pro_outlook', '7', 'Tjs=', 'Tjs=', 'scalar',
   '2026-01-15 09:30:00', '2026-01-15 09:30:00'),
  (1, 'layouts', 'oro_crm_pro_outlook', NULL, NULL, 'YToxOntzOjM6InhtbCI7fQ==', 'array',
   '2026-01-15 09:30:00', '2026-01-15 09:30:00');
"""


def seeds_of(organizations: Sequence[str | Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each organization as a partial record (name, description, enabled, overrides)."""
    return [{"name": s} if isinstance(s, str) else dict(s) for s in organizations]


def save_settings(store: StoreBackend, seeds: Sequence[Mapping[str, Any]],
                  system: Mapping[str, Any] | None) -> None:
    """The seeds' overrides and the system values, saved as one revision."""
    changes = [SettingChange(None, n, None, v) for n, v in dict(system or {}).items()]
    changes += [SettingChange(number, n, None, v)
                for number, seed in enumerate(seeds, start=FIRST_ID)
                for n, v in dict(seed.get("overrides", {})).items()]
    if changes:
        store.commit(store.load(), changes)


def insert_organizations(server: Any, database: str,
                         organizations: Sequence[str | Mapping[str, Any]], *,
                         table: str = "oro_organization", first_id: int = FIRST_ID) -> None:
    """Organizations (names or partial records) inserted as Oro's own screens insert them, ids
    from ``first_id``: organizations are Oro's to make, the store cannot create them."""
    for number, seed in enumerate(seeds_of(organizations), start=first_id):
        server.execute(database, f"INSERT INTO {table} (id, name, description, enabled, "
                       "created_at, updated_at) VALUES (%s, %s, %s, %s, '2026-01-15 09:30:00', "
                       "'2026-01-15 09:30:00')",
                       (number, seed["name"], seed.get("description") or None,
                        bool(seed.get("enabled", True))))


def initialized(opening: Callable[[str], OroStore], uri: str) -> str:
    """``uri``, once ``outlook-tui db init`` has run there."""
    store = opening(uri)
    try:
        store.init_history()
    finally:
        store.close()
    return uri


def opened(opening: Callable[[str], OpenedStore], uri: str) -> Iterator[OpenedStore]:
    """A fixture's store on ``uri``, closed after the test."""
    store = opening(uri)
    yield store
    store.close()


class OroStoreFactory:
    """The contract suite's stores on Oro's database (see tests/store/conftest.py,
    ``StoreFactory``): each a fresh copy of Oro's tables and the seed rows where ``db init`` has
    run; the organizations inserted as Oro would, their overrides and the system values saved
    through the store. A database says how a copy is made (:meth:`_fresh`), how a table of it
    is named (:meth:`_table`) and how the copies are given back (:meth:`_give_back`)."""

    name: ClassVar[str]
    #: The store class: MySQLStore, PostgresStore.
    opening: ClassVar[Callable[..., OroStore]]

    def __init__(self, server: Any) -> None:
        self.server = server
        self.stores: list[OroStore] = []

    def _fresh(self, seeds: Sequence[Mapping[str, Any]]) -> str:
        """A new copy of Oro's tables holding the organizations ``seeds``: the store's URI."""
        raise NotImplementedError

    def _table(self, uri: str, table: str) -> str:
        """``table`` of the copy at ``uri``, as SQL names it."""
        return table

    def _give_back(self) -> None:
        raise NotImplementedError

    def __call__(self, organizations: Sequence[str | Mapping[str, Any]] = (),
                 system: Mapping[str, Any] | None = None) -> StoreBackend:
        seeds = seeds_of(organizations)
        store = type(self).opening(self._fresh(seeds))
        store.init_history()
        self.stores.append(store)
        save_settings(store, seeds, system)
        return store

    def again(self, store: StoreBackend, *, read_only: bool = False) -> StoreBackend:
        assert isinstance(store, OroStore)
        other = type(self).opening(store.uri, read_only=read_only)
        self.stores.append(other)
        return other

    def picture(self, store: StoreBackend) -> object:
        """Every row of every table of the store's copy."""
        assert isinstance(store, OroStore)
        return {table: self.server.execute(store.database,
                                           f"SELECT * FROM {self._table(store.uri, table)} "
                                           "ORDER BY id")
                for table in ORO_TABLES}

    def close(self) -> None:
        for store in self.stores:
            store.close()
        self._give_back()
