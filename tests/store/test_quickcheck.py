"""The first paint's quick check never lets through a record the schema refuses (it may refuse
more: then the app waits for the full validation)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from outlook_tui.catalog import CATALOG
from outlook_tui.store import jsontext, models, quickcheck

CORPUS = Path(__file__).parent.parent / "corpus"

timestamps = st.one_of(
    st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ")),
    st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z\Z"),
    st.text(max_size=25),
)
values = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20),
                   st.sampled_from([c.value for s in CATALOG for c in s.choices] or ["Both"]))
overrides = st.dictionaries(st.one_of(st.sampled_from([s.name for s in CATALOG]), st.text()),
                            values, max_size=4)
records = st.fixed_dictionaries(
    {"id": st.one_of(st.integers(), st.booleans(), st.floats(), st.text(max_size=3)),
     "name": st.one_of(st.text(max_size=300), st.integers(), st.none()),
     "created_at": timestamps, "updated_at": timestamps},
    optional={"description": st.one_of(st.text(max_size=10), st.integers()),
              "enabled": st.one_of(st.booleans(), st.integers(0, 1)),
              "overrides": st.one_of(overrides, st.lists(st.integers(), max_size=2)),
              "colour": st.text(max_size=3)},
)


def schema_accepts(record: Any) -> bool:
    return not models.check_organization(record)


@settings(max_examples=600, deadline=None)
@given(records)
def test_a_record_the_quick_check_passes_is_one_the_schema_accepts(record: dict[str, Any]
                                                                    ) -> None:
    if quickcheck.organization_ok(record):
        assert schema_accepts(record), record


def test_every_valid_record_of_a_written_store_passes_both(tmp_path: Path) -> None:
    from tests.conftest import write_store

    path = write_store(tmp_path / "store.json", [
        "Acme", {"name": "Globex", "enabled": False, "description": "d",
                 "overrides": {s.name: s.default for s in CATALOG}}])
    document = json.loads(path.read_text())
    assert quickcheck.header_ok({k: v for k, v in document.items() if k != "organizations"})
    for record in document["organizations"]:
        assert quickcheck.organization_ok(record) and schema_accepts(record)


def test_no_record_of_the_damaged_corpus_passes_the_quick_check_but_not_the_schema() -> None:
    tried = 0
    for entry in tomllib.loads((CORPUS / "manifest.toml").read_text())["file"]:
        try:
            document = jsontext.loads((CORPUS / entry["name"]).read_bytes())
        except jsontext.JsonTextError:
            continue
        organizations = document.get("organizations") if isinstance(document, dict) else None
        for record in organizations if isinstance(organizations, list) else []:
            tried += 1
            if quickcheck.organization_ok(record):
                assert schema_accepts(record), (entry["name"], record)
    assert tried > 50
