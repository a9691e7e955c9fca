"""Write the damaged-file corpus (``python tests/corpus/make_corpus.py``): each file breaks one
thing, ``manifest.toml`` says what and the fragment the message must hold. Kept as files (not
generated at test time) so that each can be opened, diffed and tried by hand."""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).parent
STAMP = "2026-01-15T09:30:00Z"


def record(id_: object = 1, name: object = "Acme", **extra: object) -> dict[str, object]:
    base: dict[str, object] = {"id": id_, "name": name, "description": "", "enabled": True,
                               "created_at": STAMP, "updated_at": STAMP, "overrides": {}}
    base.update(extra)
    return base


def document(organizations: object = None, **header: object) -> dict[str, object]:
    doc: dict[str, object] = {"schema_version": 1, "store_id": "0123456789abcdef",
                              "revision": 3, "system": {}}
    doc.update(header)
    doc["organizations"] = [record()] if organizations is None else organizations
    return doc


def text(doc: object) -> bytes:
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode()


VALID = text(document([record(1, "Acme"), record(2, "Globex")]))


def without(key: str) -> bytes:
    rec = record()
    del rec[key]
    return text(document([rec]))


CASES: dict[str, tuple[bytes, str, str]] = {
    # name: (bytes, what it breaks, expected message fragment)
    "empty": (b"", "an empty file", "the file is empty"),
    "blank": (b" \n\t\n", "only white space", "the file is empty"),
    "bom": (b"\xef\xbb\xbf" + VALID, "a UTF-8 byte order mark before the JSON", "byte order mark"),
    "top-array": (b"[]\n", "a JSON array, not an object", "must be a JSON object"),
    "top-string": (b'"store"\n', "a JSON string at top level", "must be a JSON object"),
    "top-null": (b"null\n", "null at top level", "must be a JSON object"),
    "truncated": (VALID[: len(VALID) // 2], "cut in the middle (a crash while copying)",
                  "invalid JSON"),
    "not-utf8": (VALID.replace(b'"Globex"', b'"Glob\xffx"'), "a byte that is not UTF-8",
                 "line 18, column 20: not UTF-8"),
    "latin1": (VALID.replace(b'"Globex"', b'"Glob\xe9x"'), "a name saved as Latin-1",
               "not UTF-8"),
    "nul-bytes": (b"\x00" * 64, "NUL bytes", "invalid JSON"),
    "binary": (bytes(range(256)), "every byte value", "not UTF-8"),
    "nan": (VALID.replace(b'"revision": 3', b'"revision": NaN'), "NaN as the revision",
            "NaN and Infinity are not JSON numbers"),
    "infinity": (text(document([record(overrides={"contacts_sync_interval_orocrm": 1})]))
                 .replace(b'_orocrm": 1', b'_orocrm": Infinity'),
                 "Infinity as an interval", "NaN and Infinity are not JSON numbers"),
    "minus-infinity": (VALID.replace(b'"id": 2', b'"id": -Infinity'), "-Infinity as an id",
                       "NaN and Infinity are not JSON numbers"),
    "huge-float": (VALID.replace(b'"revision": 3', b'"revision": 1e400'),
                   "1e400 (beyond a double)", "too large for JSON"),
    "lone-surrogate": (VALID.replace(b'"Globex"', b'"Glob\\ud800x"'),
                       "a lone high surrogate escape in a name", "lone UTF-16 surrogate"),
    "lone-low-surrogate": (VALID.replace(b'"Acme"', b'"\\udc00"'),
                           "a lone low surrogate escape", "lone UTF-16 surrogate"),
    "deep-arrays": (b'{"organizations": ' + b"[" * 5000 + b"]" * 5000 + b"}",
                    "5,000 nested arrays (RecursionError in Python's parser)",
                    "nested too deeply"),
    "deep-objects": (b'{"a": ' * 5000 + b"1" + b"}" * 5000,
                     "5,000 nested objects", "nested too deeply"),
    "duplicate-header-key": (VALID.replace(b'"revision": 3,', b'"revision": 3,\n  "revision": 9,'),
                             "revision given twice (the last would silently win)",
                             "line 5, column 3: the key 'revision' appears twice"),
    "duplicate-organization-key": (
        VALID.replace(b'"name": "Globex",', b'"name": "Globex",\n      "name": "Initech",'),
        "an organization's name given twice", "line 19, column 7: the key 'name' appears twice"),
    "duplicate-override-key": (
        text(document([record(overrides={"tasks_enabled": False})])).replace(
            b'"tasks_enabled": false', b'"tasks_enabled": false,\n        "tasks_enabled": true'),
        "an override given twice", "the key 'tasks_enabled' appears twice"),
    "record-not-object": (text(document([1, "Acme", None, []])),
                          "organizations that are not objects",
                          "organizations[0]: input should be a valid dictionary"),
    "organizations-not-list": (text(document({"1": record()})), "organizations as an object",
                               "organizations"),
    "system-not-object": (text(document(system=[])), "system as a list", "system"),
    "name-not-string": (text(document([record(name=5)])), "a number as a name",
                        "organizations[0].name: input should be a valid string"),
    "name-null": (text(document([record(name=None)])), "null as a name",
                  "organizations[0].name"),
    "name-spaces": (text(document([record(name=" Acme")])), "a name with a leading space",
                    "must not start or end with spaces"),
    "missing-name": (without("name"), "a record without a name",
                     "organizations[0].name: required, but missing"),
    "missing-id": (without("id"), "a record without an id",
                   "organizations[0].id: required, but missing"),
    "missing-created-at": (without("created_at"), "a record without created_at",
                           "organizations[0].created_at: required, but missing"),
    "missing-revision": (text({k: v for k, v in document().items() if k != "revision"}),
                         "no revision", "revision: required, but missing"),
    "impossible-date": (text(document([record(created_at="2026-02-30T10:00:00Z")])),
                        "February 30th", "must be a real UTC time"),
    "not-a-leap-year": (text(document([record(updated_at="2025-02-29T10:00:00Z")])),
                        "February 29th of 2025", "must be a real UTC time"),
    "hour-24": (text(document([record(updated_at="2026-01-01T24:00:00Z")])), "hour 24",
                "must be a real UTC time"),
    "revision-beyond-64-bits": (VALID.replace(b'"revision": 3',
                                              b'"revision": 123456789012345678901234567890'),
                                "a revision beyond 64 bits",
                                "revision: must be <= 9223372036854775807"),
    "revision-2-63": (VALID.replace(b'"revision": 3', b'"revision": 9223372036854775808'),
                      "a revision of 2**63 (fits 64 bits unsigned, not signed)",
                      "revision: must be <= 9223372036854775807"),
    "id-beyond-64-bits": (VALID.replace(b'"id": 2', b'"id": 99999999999999999999999'),
                          "an id beyond 64 bits",
                          "organizations[1].id: must be <= 9223372036854775807"),
    "revision-negative": (VALID.replace(b'"revision": 3', b'"revision": -1'), "revision -1",
                          "revision: must be >= 0"),
    "revision-float": (VALID.replace(b'"revision": 3', b'"revision": 3.0'), "revision 3.0",
                       "revision: must be a whole number"),
    "revision-string": (VALID.replace(b'"revision": 3', b'"revision": "3"'), "revision as text",
                        "revision: must be a whole number"),
    "id-true": (VALID.replace(b'"id": 2', b'"id": true'), "true as an id",
                "organizations[1].id: must be a whole number"),
    "id-zero": (VALID.replace(b'"id": 2', b'"id": 0'), "id 0", "organizations[1].id: must be >= 1"),
    "same-id-many": (text(document([record(1, f"Org {n:03d}") for n in range(300)])),
                     "300 organizations with the same id",
                     "organizations[1].id: 1 is already used by organizations[0]"),
    "same-name": (text(document([record(1, "Acme"), record(2, "Acme")])), "one name twice",
                  "'Acme' is already used by organizations[0]"),
    "unknown-key": (text(document(comment="hello")), "a key outlook-tui does not know",
                    "comment: unknown key"),
    "override-out-of-range": (
        text(document([record(overrides={"contacts_sync_interval_orocrm": 90000})])),
        "an interval beyond 86399", "must be <= 86399, got 90000"),
    "override-wrong-type": (text(document([record(overrides={"tasks_enabled": "yes"})])),
                            "text for a boolean", "must be true or false, got 'yes'"),
    "store-id-empty": (text(document(store_id="")), "an empty store_id",
                       "store_id: must not be empty"),
    "trailing-garbage": (VALID + b"x\n", "text after the document", "invalid JSON"),
    "two-documents": (VALID + VALID, "two documents in one file", "invalid JSON"),
    "comment": (b"// my store\n" + VALID, "a JavaScript comment", "line 1, column 1: invalid JSON"),
    "trailing-comma": (VALID.replace(b'"system": {}', b'"system": {},,'), "two commas",
                       "line 5, column"),
    "single-quotes": (VALID.replace(b'"Acme"', b"'Acme'"), "single-quoted text", "invalid JSON"),
}


def main() -> None:
    manifest = ["# The damaged-file corpus: one file per way to break a store, an import or a",
                "# backup. `expect`: a fragment of the message (written by make_corpus.py).", ""]
    for name, (data, breaks, expect) in CASES.items():
        (HERE / f"{name}.json").write_bytes(data)
        manifest += ["[[file]]", f"name = {json.dumps(name + '.json')}",
                     f"breaks = {json.dumps(breaks)}", f"expect = {json.dumps(expect)}", ""]
    (HERE / "manifest.toml").write_text("\n".join(manifest))


if __name__ == "__main__":
    main()
