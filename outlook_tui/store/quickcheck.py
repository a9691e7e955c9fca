"""The schema's rules that a first paint needs, without pydantic (which costs ~0.3 s to import).

The organizations table paints the head of a big store before the whole file is validated;
what it shows must be checked all the same (no screen ever gets a record nobody checked). This
checks the header and each organization record by the same rules as
:mod:`outlook_tui.store.models`, built from the same constants; it may refuse more than the
schema (then the caller waits for the full load), never less (``tests/store/test_quickcheck.py``
holds it to that over random and damaged records).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from outlook_tui.catalog import CATALOG, InvalidValue, Setting

#: Bumped when the document's shape changes incompatibly. A newer store opens read-only.
SCHEMA_VERSION = 1

#: UTC timestamps to the second, as Oro's grid shows them: ``2026-11-26T07:31:32Z``. Only real
#: dates (no 2026-02-30, no February 29 outside leap years, no hour 24): checked by the regex, in
#: pydantic's Rust core, because a Python check per timestamp would cost ~40 ms at 100k.
_LEAP_YEAR = r"(?:[0-9][0-9](?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)"
_MONTH_DAY = (r"(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)"
              r"|(?:0[13578]|1[02])-31)")
TIMESTAMP_PATTERN = (rf"^(?:[0-9]{{4}}-{_MONTH_DAY}|{_LEAP_YEAR}-02-29)"
                     r"T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]Z$")
#: Ids and revisions are 64-bit integers (Oro's database columns; orjson's limit).
MAX_INTEGER = 2**63 - 1
# (?s): a name with a line break, edited into the file by hand, still loads (shown escaped);
# new names with one are refused where they are made (outlook_tui.text.name_problem).
NAME_PATTERN = r"^\S(?s:.*\S)?$"
NAME_MAX_LENGTH = 255

ORGANIZATION_FIELDS: tuple[str, ...] = (
    "id", "name", "description", "enabled", "created_at", "updated_at", "overrides",
)
REQUIRED_ORGANIZATION_FIELDS = frozenset({"id", "name", "created_at", "updated_at"})
HEADER_FIELDS: tuple[str, ...] = ("schema_version", "store_id", "revision", "system")

_TIMESTAMP = re.compile(TIMESTAMP_PATTERN.removeprefix("^").removesuffix("$"))
_NAME = re.compile(NAME_PATTERN.removeprefix("^").removesuffix("$"))
_SETTINGS: dict[str, Setting] = {s.name: s for s in CATALOG}


def _integer(value: object, minimum: int) -> bool:
    return type(value) is int and minimum <= value <= MAX_INTEGER


def _text(value: object) -> bool:
    """A str that is really text: a lone surrogate (which Python's parser lets through) is not."""
    if type(value) is not str:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def overrides_ok(values: object) -> bool:
    if type(values) is not dict:
        return False
    for key, value in values.items():
        setting = _SETTINGS.get(key)
        if setting is None:
            return False
        try:
            setting.check(value)
        except InvalidValue:
            return False
    return True


def organization_ok(record: object) -> bool:
    """True only if the record is one the schema accepts (uniqueness aside)."""
    if type(record) is not dict:
        return False
    keys = record.keys()
    if not keys >= REQUIRED_ORGANIZATION_FIELDS or not keys <= set(ORGANIZATION_FIELDS):
        return False
    name = record["name"]
    return (
        _integer(record["id"], 1)
        and _text(name) and 1 <= len(name) <= NAME_MAX_LENGTH and _NAME.fullmatch(name) is not None
        and all(_text(record[k]) and _TIMESTAMP.fullmatch(record[k]) is not None
                for k in ("created_at", "updated_at"))
        and ("description" not in record or _text(record["description"]))
        and ("enabled" not in record or type(record["enabled"]) is bool)
        and ("overrides" not in record or overrides_ok(record["overrides"]))
    )


def header_ok(header: Mapping[str, Any]) -> bool:
    """The document's header (everything but the organizations), as this build writes it."""
    if not set(HEADER_FIELDS) - {"system"} <= header.keys() <= set(HEADER_FIELDS):
        return False
    return (
        header["schema_version"] == SCHEMA_VERSION and type(header["schema_version"]) is int
        and _text(header["store_id"]) and len(header["store_id"]) >= 1
        and _integer(header["revision"], 0)
        and overrides_ok(header.get("system", {}))
    )
