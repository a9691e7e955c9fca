"""Export and import of settings in Oro's key names, for scripts and bulk changes.

The export file::

    {
      "format": "outlook-tui-export", "version": 1, "revision": 12,
      "system": {"oro_crm_pro_outlook.contacts_sync_direction": "OroCRMToOutlook"},
      "organizations": [
        {"name": "Acme", "enabled": true, "description": "",
         "settings": {"oro_crm_pro_outlook.contacts_sync_interval_orocrm": 300}}
      ]
    }

Import is all or nothing: the whole file is checked first (every problem listed with its place),
then applied as one revision. Decisions, as the README states them:

- organizations are matched by exact name (ids differ between stores); a name not in the store
  creates the organization;
- a listed organization's overrides become exactly its ``settings`` (a key left out goes back to
  Use System); ``enabled`` and ``description`` are applied when present;
- organizations not listed are left alone; ``system`` replaces the system scope when present.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from outlook_tui.catalog import CATALOG, InvalidValue, Value, lookup
from outlook_tui.store import (
    Change,
    InputError,
    NewOrganization,
    OrganizationChange,
    SettingChange,
    Snapshot,
    jsontext,
)
from outlook_tui.store.changes import description_problem
from outlook_tui.text import name_problem

FORMAT = "outlook-tui-export"
VERSION = 1


def export_document(snapshot: Snapshot) -> dict[str, Any]:
    def keyed(values: Mapping[str, Value]) -> dict[str, Value]:
        return {s.key: values[s.name] for s in CATALOG if s.name in values}

    return {
        "format": FORMAT,
        "version": VERSION,
        "revision": snapshot.revision,
        "system": keyed(snapshot.system),
        "organizations": [
            {"name": org.name, "enabled": org.enabled, "description": org.description,
             "settings": keyed(org.overrides)}
            for org in snapshot.organizations()
        ],
    }


@dataclass(frozen=True)
class ImportPlan:
    changes: list[Change]
    created: list[str]
    updated: list[str]


class ImportProblems(InputError):
    def __init__(self, path: Path, problems: list[str]) -> None:
        self.problems = problems
        shown = "\n  ".join(problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"{path}: nothing was imported:\n  {shown}{more}")


def _settings(values: object, where: str, problems: list[str]) -> dict[str, Value]:
    if not isinstance(values, dict):
        problems.append(f"{where}: must be an object of Oro keys to values")
        return {}
    result: dict[str, Value] = {}
    for key, value in values.items():
        try:
            setting = lookup(str(key))
        except KeyError as error:
            problems.append(f"{where}.{key}: {error.args[0]}")
            continue
        try:
            # Text may be a label ("Bidirectional") or a number typed as text; JSON values
            # (numbers, booleans) must be valid as they are.
            result[setting.name] = (
                setting.parse(value) if isinstance(value, str) else setting.check(value)
            )
        except InvalidValue as error:
            problems.append(f"{where}.{key}: {error}")
    return result


def read_import(path: Path, data: bytes | None = None) -> Any:
    """The import file's JSON, read as strictly as the store (:mod:`outlook_tui.store.jsontext`):
    duplicate keys, NaN, lone surrogates, deep nesting are refused with the line and column.
    ``data``, when given, is the file's bytes (standard input for ``import -``) and ``path``
    only names it in messages."""
    try:
        if data is None:
            data = path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror}") from None
    try:
        return jsontext.loads(data)
    except jsontext.JsonTextError as error:
        where = f"{path}:{error.line}:{error.column}" if error.line is not None else str(path)
        raise InputError(f"{where}: {error.message}; nothing was imported") from None


def plan_import(snapshot: Snapshot, data: Any, path: Path, *,
                manage_organizations: bool = True,
                managed_elsewhere: str = "") -> ImportPlan:
    """Check the whole file and return the changes; ImportProblems lists every problem.

    On a store whose organizations are managed elsewhere (Oro's database), the file's
    organizations must all exist there already, and only their settings are imported: their
    status and description stay as Oro has them."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise ImportProblems(path, ["(file): must be a JSON object"])
    if data.get("format", FORMAT) != FORMAT:
        problems.append(f"format: must be {FORMAT!r}, got {data.get('format')!r}")
    unknown = set(data) - {"format", "version", "revision", "exported_at", "system",
                           "organizations"}
    problems.extend(f"{key}: unknown key" for key in sorted(unknown))
    changes: list[Change] = []
    created: list[str] = []
    updated: list[str] = []

    if "system" in data:
        wanted = _settings(data["system"], "system", problems)
        for setting in CATALOG:
            old = snapshot.system.get(setting.name)
            new = wanted.get(setting.name)
            if old != new:
                changes.append(SettingChange(None, setting.name, old, new))

    organizations = data.get("organizations", [])
    if not isinstance(organizations, list):
        problems.append("organizations: must be a list")
        organizations = []
    seen: set[str] = set()
    for index, entry in enumerate(organizations):
        where = f"organizations[{index}]"
        if not isinstance(entry, dict):
            problems.append(f"{where}: must be an object")
            continue
        extra = set(entry) - {"id", "name", "enabled", "description", "settings"}
        problems.extend(f"{where}.{key}: unknown key" for key in sorted(extra))
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip() or name != name.strip():
            problems.append(f"{where}.name: required, a name without leading or trailing spaces")
            continue
        if (problem := name_problem(name)) is not None and snapshot.by_name(name) is None:
            problems.append(f"{where}.name: {problem}")
            continue
        if name in seen:
            problems.append(f"{where}.name: {name!r} appears twice in the file")
            continue
        seen.add(name)
        enabled = entry.get("enabled")
        if enabled is not None and not isinstance(enabled, bool):
            problems.append(f"{where}.enabled: must be true or false, got {enabled!r}")
        description = entry.get("description")
        if description is not None and not isinstance(description, str):
            problems.append(f"{where}.description: must be text, got {description!r}")
        elif manage_organizations and description is not None and \
                (problem := description_problem(description)):
            problems.append(f"{where}.description: {problem} (organization {name!r})")
            description = None
        wanted = _settings(entry.get("settings", {}), f"{where}.settings", problems)
        org = snapshot.by_name(name)
        if org is None and not manage_organizations:
            problems.append(f"{where}.name: no organization named {name!r} here "
                            f"({managed_elsewhere or 'organizations are managed elsewhere'})")
            continue
        if org is None:
            created.append(name)
            changes.append(NewOrganization(
                name, description or "", True if enabled is None else bool(enabled),
                overrides=tuple(wanted.items())))
            continue
        before = len(changes)
        if not manage_organizations:
            enabled = description = None
        if isinstance(enabled, bool) and enabled != org.enabled:
            changes.append(OrganizationChange(org.id, "enabled", org.enabled, enabled))
        if isinstance(description, str) and description != org.description:
            changes.append(OrganizationChange(org.id, "description", org.description,
                                              description))
        for setting in CATALOG:
            old = org.overrides.get(setting.name)
            new = wanted.get(setting.name)
            if old != new:
                changes.append(SettingChange(org.id, setting.name, old, new))
        if len(changes) > before:
            updated.append(name)
    if problems:
        raise ImportProblems(path, problems)
    return ImportPlan(changes, created, updated)
