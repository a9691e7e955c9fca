"""The written form of the document: what a new store holds, and how a document is written."""

from __future__ import annotations

import itertools
import os
import time
from typing import Any

import orjson

from outlook_tui.store.snapshot import ORGANIZATION_DEFAULTS, organization_record, sort_key

SCHEMA_VERSION = 1  # kept equal to models.SCHEMA_VERSION; models is imported lazily (start-up)
DEFAULT_ORGANIZATION = "Default Organization"


def utc_now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def serialize(document: dict[str, Any]) -> bytes:
    """The written form: two-space indent, the document's own (canonical) key order."""
    return orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)


def initial_document() -> dict[str, Any]:
    """What Oro has after install: system defaults (nothing stored) and one organization."""
    return {
        "schema_version": SCHEMA_VERSION,
        "store_id": os.urandom(16).hex(),
        "revision": 0,
        "system": {},
        "organizations": [organization_record(1, DEFAULT_ORGANIZATION, utc_now())],
    }


def normalize(document: dict[str, Any]) -> dict[str, Any]:
    """A validated (perhaps hand-edited) document in the written form: header keys in order,
    every organization column present, overrides in catalog order, organizations in name order.

    Returns a new document and never changes the one given: the app may be showing that one
    (parsed, not yet validated) while this runs in a worker thread. Records are copied only
    where they change.
    """
    from outlook_tui.store.models import HEADER_FIELDS, ORGANIZATION_FIELDS

    normal = {key: document.get(key, {}) for key in HEADER_FIELDS}
    normal["system"] = _in_catalog_order(normal["system"])
    records = list(document.get("organizations", []))
    for index, record in enumerate(records):
        if len(record) != len(ORGANIZATION_FIELDS) or tuple(record) != ORGANIZATION_FIELDS:
            record = records[index] = {
                k: record.get(k, ORGANIZATION_DEFAULTS.get(k)) for k in ORGANIZATION_FIELDS}
        if len(record["overrides"]) > 1:
            overrides = _in_catalog_order(record["overrides"])
            if overrides is not record["overrides"]:
                records[index] = {**record, "overrides": overrides}
    if any(sort_key(a["name"]) > sort_key(b["name"]) for a, b in itertools.pairwise(records)):
        records.sort(key=lambda r: sort_key(r["name"]))
    normal["organizations"] = records
    return normal


def _in_catalog_order(values: dict[str, Any]) -> dict[str, Any]:
    """Overrides in the catalog's order (a hand edit may list them in any order)."""
    from outlook_tui.catalog import CATALOG

    order = [s.name for s in CATALOG if s.name in values]
    return values if list(values) == order else {name: values[name] for name in order}
