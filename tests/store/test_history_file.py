"""The history file read newest first from its end: the same entries a reading from the start
would give, whatever the block size, with torn and damaged lines handled as promised."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outlook_tui.history_text import describe
from outlook_tui.store import JsonStore, SettingChange
from outlook_tui.store.history import HistoryEntry, encode, last_revision, read_newest


def entry(revision: int, organization_id: int | None = 1, *, detail: str = "",
          event: str | None = None) -> HistoryEntry:
    scope = "system" if organization_id is None else "organization"
    return HistoryEntry("2026-01-15T09:30:00Z", "alice", None, revision, scope, organization_id,
                        None if organization_id is None else f"Org {organization_id}",
                        "oro_crm_pro_outlook.tasks_enabled", detail or None, True,
                        event=event, detail=detail or None)


def forward(data: bytes, path: Path) -> list[HistoryEntry]:
    """What reading the file from the start gives, newest first: the model the reverse reader
    must agree with. A complete line that is no entry is reported with its line number; the
    part after the last newline counts only if it is a whole entry."""
    *complete, tail = data.split(b"\n")
    found: list[HistoryEntry] = []
    for number, line in enumerate(complete, start=1):
        if not line.strip():
            continue
        try:
            parsed = orjson.loads(line)
            assert isinstance(parsed, dict) and type(parsed.get("revision")) is int
            found.append(HistoryEntry.from_json(parsed))
        except (orjson.JSONDecodeError, AssertionError):
            found.append(HistoryEntry("", "", None, 0, None, None, None, None, None, None,
                                      event="unreadable", detail=f"line {number} of {path.name}"))
    try:
        parsed = orjson.loads(tail)
        if isinstance(parsed, dict) and type(parsed.get("revision")) is int:
            found.append(HistoryEntry.from_json(parsed))
    except orjson.JSONDecodeError:
        pass
    return found[::-1]


def same(got: list[HistoryEntry], expected: list[HistoryEntry]) -> None:
    """Equal, except that an unreadable line's detail goes on to say why."""
    assert len(got) == len(expected)
    for g, e in zip(got, expected, strict=True):
        if e.event == "unreadable":
            assert g.event == "unreadable" and (g.detail or "").startswith(e.detail + ": ")
        else:
            assert g == e


line_kinds = st.one_of(
    st.builds(lambda r, o, d: encode([entry(r, o, detail=d)]).rstrip(b"\n"),
              st.integers(0, 50), st.sampled_from([None, 1, 2, 17]),
              st.text(max_size=300)),
    st.builds(lambda r, d: encode([HistoryEntry("2026-01-15T09:30:00Z", "bob", None, r, None,
                                                None, None, None, None, None,
                                                event="history_gap", detail=d)]).rstrip(b"\n"),
              st.integers(0, 50), st.text(max_size=50)),  # the store's own notes
    st.binary(max_size=40).map(lambda b: b.replace(b"\n", b"")),  # garbage, or empty
    st.just(b'{"revision": "7"}'), st.just(b"[1, 2]"), st.just(b'{"time": "2026'),
)


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(line_kinds, max_size=40), tail=st.one_of(st.just(b""), line_kinds),
       block=st.integers(1, 96), limit=st.integers(1, 50),
       after=st.one_of(st.none(), st.integers(-1, 50)))
def test_reading_from_the_end_agrees_with_reading_from_the_start(
        tmp_path: Path, lines: list[bytes], tail: bytes, block: int, limit: int,
        after: int | None) -> None:
    path = tmp_path / "store.history.jsonl"
    data = b"".join(line + b"\n" for line in lines) + tail
    path.write_bytes(data)
    expected = forward(data, path)

    same(read_newest(path, block_size=block), expected)
    same(read_newest(path, limit=limit, block_size=block), expected[:limit])
    for organization_id in (1, 17):
        assert read_newest(path, organization_id=organization_id, limit=limit,
                           block_size=block) == [
            e for e in expected if e.organization_id == organization_id][:limit]
    assert read_newest(path, system=True, limit=limit, block_size=block) == [
        e for e in expected
        if e.event != "unreadable" and (e.scope == "system" or e.event is not None)][:limit]
    if after is not None:
        newer = []
        for e in expected:
            if e.event == "unreadable":
                continue
            if e.revision <= after:
                break
            newer.append(e)
        assert read_newest(path, after_revision=after, block_size=block) == newer
    readable = [e for e in expected if e.event != "unreadable"]
    assert last_revision(path) == (readable[0].revision if readable else 0)


def test_a_line_longer_than_the_block_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "store.history.jsonl"
    long = "x" * 200_000
    path.write_bytes(encode([entry(1), entry(2, detail=long), entry(3)]))
    got = read_newest(path, block_size=4096)
    assert [e.revision for e in got] == [3, 2, 1]
    assert got[1].old == long


def test_a_missing_or_empty_history_has_no_entries(tmp_path: Path) -> None:
    path = tmp_path / "store.history.jsonl"
    assert read_newest(path) == [] and last_revision(path) == 0
    path.write_bytes(b"")
    assert read_newest(path, limit=5) == [] and last_revision(path) == 0


def test_a_damaged_line_is_reported_with_its_line_number_and_the_rest_still_reads(
        tmp_path: Path) -> None:
    path = tmp_path / "store.history.jsonl"
    path.write_bytes(encode([entry(1), entry(2)]) + b"{not json\n" + encode([entry(3)]))
    got = read_newest(path)
    assert [e.revision for e in got if e.event is None] == [3, 2, 1]
    unreadable = got[1]
    assert unreadable.event == "unreadable"
    assert (unreadable.detail or "").startswith("line 3 of store.history.jsonl: invalid JSON")
    described = describe(unreadable)
    assert described.what == "Unreadable line" and "line 3" in described.change
    assert path.read_bytes().count(b"{not json\n") == 1, "the line is left as it is"


def test_a_save_after_a_crash_mid_append_keeps_every_entry(store: JsonStore) -> None:
    """A writer killed while appending leaves a torn last line: it is not shown; the next save
    starts a new line, and the torn one is then reported where it is, by its line number."""
    base = store.load()
    store.commit(base, [SettingChange(None, "tasks_enabled", None, False)])
    with open(store.history_path, "ab") as history:
        history.write(b'{"time": "2026-01-15T09:3')
    assert [e.revision for e in store.history()] == [1]
    assert last_revision(store.history_path) == 1
    store.commit(store.load(), [SettingChange(None, "contacts_enabled", None, False)])
    entries = store.history()
    assert [e.revision for e in entries if e.event is None] == [2, 1]
    assert [e.event for e in entries][1] == "unreadable"
    assert "line 2 of " in (entries[1].detail or "")
    assert [e.revision for e in store.history(limit=1)] == [2]
    assert [e.revision for e in store.history(after_revision=1)] == [2]


@pytest.mark.parametrize("limit", [1, 3, 1000])
def test_filters_and_limits_on_a_store_history(store: JsonStore, limit: int) -> None:
    for value in (False, True, False):
        store.commit(store.load(), [SettingChange(1, "tasks_enabled",
                                                  store.load().get(1).overrides.get(  # type: ignore[union-attr]
                                                      "tasks_enabled"), value)])
        store.commit(store.load(), [SettingChange(None, "contacts_enabled",
                                                  store.load().system.get("contacts_enabled"),
                                                  value)])
    everything = store.history()
    assert [e.revision for e in everything] == [6, 5, 4, 3, 2, 1]
    assert store.history(limit=limit) == everything[:limit]
    assert [e.revision for e in store.history(1, limit=limit)] == [5, 3, 1][:limit]
    assert [e.revision for e in store.history(system=True, limit=limit)] == [6, 4, 2][:limit]
    assert [e.revision for e in store.history(after_revision=4)] == [6, 5]
    assert [e.revision for e in store.history(1, after_revision=2)] == [5, 3]
