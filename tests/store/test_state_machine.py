"""Admins edit, save on stale screens, edit the file by hand, damage it, restore and reload, in
any order: the store never writes on a file it cannot validate, its revision only grows, no
committed or hand-made value is lost, and the history matches the commits."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from outlook_tui.store import ConflictError, JsonStore, SettingChange, Snapshot, StoreError
from outlook_tui.store.json.document import serialize
from tests.store.conftest import history_lines

KEYS = {  # a few settings and values to play with
    "contacts_sync_interval_orocrm": st.integers(100, 999),
    "contacts_sync_interval_outlook": st.integers(10, 99),
    "tasks_enabled": st.booleans(),
}
SCOPES = st.sampled_from([None, 1])  # the system, or the Default Organization


class StoreStory(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.directory = Path(tempfile.mkdtemp(prefix="store-story-"))
        self.path = self.directory / "store.json"
        self.store = JsonStore(self.path, lock_timeout=2)
        first = self.store.load()
        self.seen: list[Snapshot] = [first]  # what admins have on their screens
        self.expected: dict[int | None, dict[str, Any]] = {None: {}, 1: {}}
        self.revision = 0
        self.committed: list[int] = []  # revisions written by commit or restore, in order
        self.damaged = False

    def teardown(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)

    def _values(self, document: dict[str, Any]) -> dict[int | None, dict[str, Any]]:
        return {None: document.get("system", {}),
                1: next(r for r in document["organizations"] if r["id"] == 1)["overrides"]}

    def _refused(self, attempt) -> None:  # type: ignore[no-untyped-def]
        """A damaged store: the attempt raises and no byte changes."""
        before = (self.path.read_bytes(), self.store.history_path.read_bytes()
                  if self.store.history_path.exists() else b"")
        try:
            attempt()
        except StoreError:
            pass
        else:
            raise AssertionError("the store wrote on a file it cannot validate")
        after = (self.path.read_bytes(), self.store.history_path.read_bytes()
                 if self.store.history_path.exists() else b"")
        assert after == before

    def _commit(self, base: Snapshot, scope: int | None, name: str, value: Any) -> None:
        change = SettingChange(scope, name, self._values(base.document)[scope].get(name), value)
        if self.damaged:
            self._refused(lambda: self.store.commit(base, [change]))
            return
        try:
            result = self.store.commit(base, [change])
        except ConflictError as error:
            [conflict] = error.conflicts
            assert conflict.theirs == self.expected[scope].get(name)
            assert conflict.theirs != value
            return
        if result.applied:
            self.revision += 1
            self.committed.append(self.revision)
            assert result.snapshot.revision == self.revision
        self.expected[scope][name] = value
        self.seen.append(result.snapshot)

    @rule(scope=SCOPES, data=st.data())
    def edit(self, scope: int | None, data: st.DataObject) -> None:
        name = data.draw(st.sampled_from(sorted(KEYS)))
        value = data.draw(KEYS[name])
        if self.damaged:
            self._refused(self.store.load)
            base = self.seen[-1]
        else:
            base = self.store.load()
        self._commit(base, scope, name, value)

    @rule(scope=SCOPES, data=st.data())
    def stale_save(self, scope: int | None, data: st.DataObject) -> None:
        base = data.draw(st.sampled_from(self.seen))
        name = data.draw(st.sampled_from(sorted(KEYS)))
        self._commit(base, scope, name, data.draw(KEYS[name]))

    @rule(value=st.integers(10, 99))
    def hand_edit(self, value: int) -> None:
        """An admin changes a value in an editor: same revision, same length, same file."""
        if self.damaged:
            return
        document = orjson.loads(self.path.read_bytes())
        document["system"]["contacts_sync_interval_outlook"] = value
        self.path.write_bytes(serialize(document))
        self.expected[None]["contacts_sync_interval_outlook"] = value

    @rule(garbage=st.binary(min_size=0, max_size=40))
    def corrupt(self, garbage: bytes) -> None:
        self.path.write_bytes(b'{"revision": ' + garbage)
        self.damaged = True

    @rule()
    def restore(self) -> None:
        found = self.store.newest_valid_backup()
        if found is None:
            return
        backup, snapshot = found
        restored = self.store.restore(backup.number)
        assert restored.revision > self.revision
        self.revision = restored.revision
        self.committed.append(self.revision)
        self.expected = {k: dict(v) for k, v in self._values(snapshot.document).items()}
        self.damaged = False
        self.seen.append(restored)

    @rule()
    def reload(self) -> None:
        self.store = JsonStore(self.path, lock_timeout=2)
        if self.damaged:
            self._refused(self.store.load)
        else:
            self.seen.append(self.store.load())

    @invariant()
    def file_validates_or_is_refused(self) -> None:
        if self.damaged:
            return
        snapshot = JsonStore(self.path).load()
        assert snapshot.revision == self.revision  # only ever grows: checked at each commit
        assert self._values(snapshot.document) == self.expected  # nothing lost

    @invariant()
    def history_matches_the_commits(self) -> None:
        lines = history_lines(self.store)
        revisions = sorted({line["revision"] for line in lines
                            if "event" not in line or line["event"] == "restore"})
        assert revisions == self.committed
        assert all(line.get("event") in (None, "restore") for line in lines)


TestStoreStory = pytest.mark.slow(StoreStory.TestCase)
TestStoreStory.settings = settings(
    max_examples=40, stateful_step_count=25, deadline=None,
    suppress_health_check=[HealthCheck.too_slow])
