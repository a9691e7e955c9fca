"""What stores are seeded with: the organizations most stories are told with (:data:`ACME`);
on Oro's database, whatever the database, the rows every test database starts with
(:data:`ORO_SEED`), and a store for the contract suite: the organizations are inserted as Oro
would (the store cannot create them), then their overrides and the system values are saved
through the store."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from outlook_tui.store import SettingChange, StoreBackend

#: Ids the seeded organizations get: Oro's Default Organization is 1.
FIRST_ID = 2

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
