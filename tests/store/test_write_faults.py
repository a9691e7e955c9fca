"""When the system refuses a write at any step of a save, the previous store and history stay
byte for byte, no temp file is left, the message names the step, and the app can save again."""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path

import pytest

from outlook_tui.store import JsonStore, StoreWriteError
from outlook_tui.store.fileops import FileOps
from tests.store.conftest import (
    CRM_INTERVAL,
    add_organizations,
    files_of,
    set_org,
    set_system,
    temp_files,
)


class FailingOps(FileOps):
    """Fails one step, once, with one errno; every other step is the real one."""

    def __init__(self) -> None:
        self.step: str | None = None
        self.code = errno.ENOSPC
        self.partial = False

    def arm(self, step: str, code: int, partial: bool = False) -> None:
        self.step, self.code, self.partial = step, code, partial

    def _maybe_fail(self, step: str) -> None:
        if self.step == step:
            self.step = None
            raise OSError(self.code, os.strerror(self.code))

    def write(self, fd: int, data: bytes) -> None:
        if self.step == "write" and self.partial:
            super().write(fd, data[: len(data) // 2])  # the disk filled up half-way
        self._maybe_fail("write")
        super().write(fd, data)

    def fsync(self, fd: int) -> None:
        self._maybe_fail("fsync")
        super().fsync(fd)

    def replace(self, source: Path, target: Path) -> None:
        self._maybe_fail("replace")
        super().replace(source, target)

    def fsync_directory(self, directory: Path) -> None:
        self._maybe_fail("fsync_directory")
        super().fsync_directory(directory)

    def append(self, path: Path, data: bytes, mode: int = 0o660) -> None:
        if self.step == "append" and self.partial:
            with open(path, "ab") as file:  # a torn line: half of it reached the disk
                file.write(data[: len(data) // 2])
        self._maybe_fail("append")
        super().append(path, data, mode)


STEPS = {
    "write": "while writing",
    "fsync": "while flushing to disk (fsync)",
    "replace": "while replacing the store",
    "fsync_directory": "while flushing the directory (fsync)",
    "append": "while appending to the history",
}
ERRNOS = [errno.ENOSPC, errno.EIO, errno.EROFS, errno.EACCES]


@pytest.mark.parametrize("code", ERRNOS, ids=[errno.errorcode[c] for c in ERRNOS])
@pytest.mark.parametrize("step", list(STEPS))
def test_a_failed_step_leaves_the_previous_store_and_history(new_store, step: str,
                                                             code: int) -> None:
    ops = FailingOps()
    store: JsonStore = new_store(fileops=ops)
    snapshot = add_organizations(store, "Acme", "Globex")
    for value in (200, 300, 400):  # some history and backups to protect
        snapshot = store.commit(snapshot, [set_system(snapshot, CRM_INTERVAL, value)]).snapshot
    before = files_of(store)

    ops.arm(step, code, partial=step in ("write", "append"))
    with pytest.raises(StoreWriteError) as raised:
        store.commit(snapshot, [set_org(snapshot, 2, CRM_INTERVAL, 900)])

    message = str(raised.value)
    assert STEPS[step] in message
    assert f"({errno.errorcode[code]})" in message
    assert os.strerror(code) in message
    assert "nothing was saved" in message
    assert files_of(store) == before
    assert temp_files(store) == []
    assert store.load().revision == snapshot.revision

    # The app goes on: the same store object, the same snapshot, saves fine now.
    result = store.commit(snapshot, [set_org(snapshot, 2, CRM_INTERVAL, 900)])
    assert result.snapshot.revision == snapshot.revision + 1
    assert store.load().get(2).overrides == {CRM_INTERVAL: 900}  # type: ignore[union-attr]
    assert [e.revision for e in store.history()][:1] == [snapshot.revision + 1]
    assert temp_files(store) == []


def test_a_failed_first_write_creates_no_store(new_store) -> None:
    ops = FailingOps()
    store: JsonStore = new_store(fileops=ops, create=False)
    ops.arm("fsync", errno.EIO)
    with pytest.raises(StoreWriteError, match="flushing to disk"):
        store.load()
    assert not store.path.exists()
    assert temp_files(store) == []
    assert store.load().revision == 0


def test_a_failed_restore_leaves_everything(new_store) -> None:
    ops = FailingOps()
    store: JsonStore = new_store(fileops=ops)
    snapshot = store.load()
    for value in (200, 300):
        snapshot = store.commit(snapshot, [set_system(snapshot, CRM_INTERVAL, value)]).snapshot
    before = files_of(store)
    for step in STEPS:
        if step == "write":
            continue
        ops.arm(step, errno.ENOSPC)
        with pytest.raises(StoreWriteError, match=re.escape(STEPS[step])):
            store.restore(1)
        assert files_of(store) == before, step
    assert store.restore(1).system == {CRM_INTERVAL: 200}


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through chmod 555; the fault "
                    "injection tests above cover EACCES and EROFS at every step")
def test_a_directory_made_read_only_after_opening(store: JsonStore) -> None:
    snapshot = store.load()
    before = files_of(store)
    os.chmod(store.path.parent, 0o555)
    try:
        with pytest.raises(StoreWriteError, match="nothing was saved"):
            store.commit(snapshot, [set_system(snapshot, CRM_INTERVAL, 300)])
        assert files_of(store) == before
    finally:
        os.chmod(store.path.parent, 0o755)
    store.commit(snapshot, [set_system(snapshot, CRM_INTERVAL, 300)])
