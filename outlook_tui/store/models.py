"""The store document's schema, generated from the settings catalog.

The schema is expressed as TypedDicts validated by pydantic's ``TypeAdapter``: the store keeps the
document as plain JSON-ready dicts, because validating 100k organizations into model instances
takes ~1.5 s here against ~0.25 s for TypedDicts, and a 100k store must be saved within 150 ms.
Every mapping forbids unknown keys (``extra="forbid"``).

Written form: settings are written only where a scope overrides them (defaults are never stored);
organization records are written whole, every column, in name order (Oro's grid order), so a diff
of the file reads one organization per block and the first screen of the organizations table is
the first records of the file.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, Literal, NotRequired

from pydantic import ConfigDict, Field, StrictBool, StrictInt, TypeAdapter, ValidationError
from typing_extensions import TypedDict

from outlook_tui.catalog import CATALOG, Setting, SettingType
from outlook_tui.store.quickcheck import (  # the rules the first paint checks too
    HEADER_FIELDS,
    MAX_INTEGER,
    NAME_MAX_LENGTH,
    NAME_PATTERN,
    ORGANIZATION_FIELDS,
    SCHEMA_VERSION,
    TIMESTAMP_PATTERN,
)

Timestamp = Annotated[str, Field(pattern=TIMESTAMP_PATTERN, examples=["2026-11-26T07:31:32Z"])]
OrganizationName = Annotated[str, Field(min_length=1, max_length=NAME_MAX_LENGTH,
                                        pattern=NAME_PATTERN)]


def _value_type(setting: Setting) -> Any:
    """The pydantic type of one setting's stored value, from the catalog."""
    described = f"{setting.label}: {setting.description}"
    if setting.type is SettingType.CHOICE:
        values = tuple(c.value for c in setting.choices)
        return Annotated[Literal[values], Field(description=described)]
    if setting.type is SettingType.INTEGER:
        return Annotated[
            StrictInt, Field(ge=setting.minimum, le=setting.maximum, description=described)]
    return Annotated[StrictBool, Field(description=described)]


# A missing key means "Use System" (or "Use default" at system level). null is refused, so that
# every stored key really is an override.
Overrides = TypedDict(  # type: ignore[misc]
    "Overrides",
    {s.name: NotRequired[_value_type(s)] for s in CATALOG},
)
Overrides.__pydantic_config__ = ConfigDict(extra="forbid")  # type: ignore[attr-defined]


class Organization(TypedDict):
    __pydantic_config__ = ConfigDict(extra="forbid")  # type: ignore[misc]

    id: Annotated[StrictInt, Field(ge=1, le=MAX_INTEGER)]
    name: OrganizationName
    description: NotRequired[str]
    enabled: NotRequired[StrictBool]
    created_at: Timestamp
    updated_at: Timestamp
    overrides: NotRequired[Overrides]


class StoreHeader(TypedDict):
    """Everything but the organizations: what the app reads before the rest has parsed."""

    __pydantic_config__ = ConfigDict(  # type: ignore[misc]
        extra="forbid", title="outlook-tui store"
    )

    schema_version: Annotated[StrictInt, Field(ge=1, le=MAX_INTEGER)]
    store_id: Annotated[str, Field(min_length=1)]
    revision: Annotated[StrictInt, Field(ge=0, le=MAX_INTEGER)]
    system: NotRequired[Overrides]


class StoreDocument(StoreHeader):
    organizations: NotRequired[list[Organization]]


__all__ = ["HEADER_FIELDS", "ORGANIZATION_FIELDS", "SCHEMA_VERSION"]


@cache
def _adapter(kind: type) -> TypeAdapter[Any]:
    return TypeAdapter(kind)


def _loc(loc: tuple[str | int, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text or "(document)"


def _describe(error: Any) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    got = error.get("input")
    if kind == "less_than_equal":
        return f"must be <= {ctx.get('le')}, got {got!r}"
    if kind == "greater_than_equal":
        return f"must be >= {ctx.get('ge')}, got {got!r}"
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "missing":
        return "required, but missing"
    if kind == "literal_error":
        return f"must be {ctx.get('expected')}, got {got!r}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"must be a whole number, got {got!r}"
    if kind == "bool_type":
        return f"must be true or false, got {got!r}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_pattern_mismatch" and isinstance(got, str) and got.strip() != got:
        return f"must not start or end with spaces, got {got!r}"
    if kind == "string_pattern_mismatch":
        return f"must be a real UTC time like 2026-11-26T07:31:32Z, got {got!r}"
    return f"{str(error['msg']).lower()}, got {got!r}"


def describe(error: ValidationError, prefix: tuple[str | int, ...] = ()) -> list[str]:
    """pydantic's errors as lines like
    ``organizations[2].overrides.contacts_sync_interval_orocrm: must be <= 86399, got 90000``."""
    return [f"{_loc(prefix + tuple(item['loc']))}: {_describe(item)}" for item in error.errors()]


def check_document(document: Any, chunk: int = 2000, pause: Any = None) -> list[str]:
    """Validate a whole parsed document; return the problems (empty when valid).

    Organizations are validated ``chunk`` at a time with ``pause()`` between chunks, so that a
    background thread validating 100k records leaves the UI thread room to paint.
    """
    if not isinstance(document, dict):
        return [f"(document): must be a JSON object, got {type(document).__name__}"]
    problems: list[str] = []
    header = {k: v for k, v in document.items() if k != "organizations"}
    try:
        _adapter(StoreHeader).validate_python(header)
    except ValidationError as error:
        problems.extend(describe(error))
    organizations = document.get("organizations", [])
    if not isinstance(organizations, list):
        return [*problems, "organizations: must be a list"]
    adapter = _adapter(list[Organization])
    for start in range(0, len(organizations), chunk):
        try:
            adapter.validate_python(organizations[start : start + chunk])
        except ValidationError as error:
            for item in error.errors():
                index, *rest = item["loc"]
                loc = ("organizations", int(index) + start, *rest)
                problems.append(f"{_loc(loc)}: {_describe(item)}")
        if pause is not None:
            pause()
    if not problems:
        problems.extend(_uniqueness(organizations))
    return problems


def _uniqueness(organizations: list[dict[str, Any]]) -> list[str]:
    seen_ids: dict[int, int] = {}
    seen_names: dict[str, int] = {}
    problems = []
    for index, org in enumerate(organizations):
        first = seen_ids.setdefault(org["id"], index)
        if first != index:
            problems.append(
                f"organizations[{index}].id: {org['id']} is already used by organizations[{first}]"
            )
        first = seen_names.setdefault(org["name"], index)
        if first != index:
            problems.append(
                f"organizations[{index}].name: {org['name']!r} is already used by "
                f"organizations[{first}]"
            )
    return problems


def check_organization(record: dict[str, Any], index: int | None = None) -> list[str]:
    try:
        _adapter(Organization).validate_python(record)
    except ValidationError as error:
        prefix: tuple[str | int, ...] = ("organizations", index) if index is not None else ()
        return describe(error, prefix)
    return []


def check_overrides(values: dict[str, Any], where: tuple[str | int, ...]) -> list[str]:
    try:
        _adapter(Overrides).validate_python(values)
    except ValidationError as error:
        return describe(error, where)
    return []


def json_schema() -> dict[str, Any]:
    schema = _adapter(StoreDocument).json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["description"] = "outlook-tui store: OroCRM MS Outlook settings per organization"
    return schema
