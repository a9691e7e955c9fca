"""The files beside the store (lock, history, backups folder, corrupt copies) when something
else stands in their place: a symbolic link, a hard link, a directory, a FIFO or a device is
refused with a message naming it; nothing is followed, written through, hung on, or deleted
outside the store's own folder. And the lock is the file at the lock path, not one someone
deleted or replaced during a save."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from outlook_tui.store import JsonStore, StoreError, StoreWriteError
from outlook_tui.store.fileops import FileOps
from outlook_tui.store.lock import locked
from tests.conftest import wait_until
from tests.store.conftest import (
    CRM_INTERVAL,
    files_of,
    history_lines,
    opened_here,
    set_system,
)

Plant = Callable[[Path, Path], None]


def symlink(path: Path, outside: Path) -> None:
    path.symlink_to(outside)


def hard_link(path: Path, outside: Path) -> None:
    os.link(outside, path)


def directory(path: Path, outside: Path) -> None:
    path.mkdir()


def fifo(path: Path, outside: Path) -> None:
    os.mkfifo(path)


def device(path: Path, outside: Path) -> None:
    os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 3))  # /dev/null's numbers


PLANTS: dict[str, tuple[Plant, str]] = {
    "symlink": (symlink, "is a symbolic link"),
    "hard link": (hard_link, "has 2 hard links"),
    "directory": (directory, "is a directory"),
    "fifo": (fifo, "is a FIFO"),
    "device": (device, "is a character device"),
}


def planted(kind: str) -> Plant:
    plant = PLANTS[kind][0]
    if kind == "device" and os.geteuid() != 0:
        pytest.skip("making a device node needs root (the tests run as root in CI)")
    return plant


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A file elsewhere that a link would make us write: it must never change."""
    victim = tmp_path / "elsewhere" / "victim.txt"
    victim.parent.mkdir()
    victim.write_bytes(b"not yours\n")
    return victim


def save(store: JsonStore, value: int = 600) -> None:
    snapshot = store.load()
    store.commit(snapshot, [set_system(snapshot, CRM_INTERVAL, value)])


@pytest.mark.parametrize("kind", PLANTS)
def test_the_lock_file(kind: str, store: JsonStore, outside: Path) -> None:
    store.lock_path.unlink(missing_ok=True)
    planted(kind)(store.lock_path, outside)
    before = files_of(store)
    with pytest.raises(StoreWriteError) as refused:
        save(store)
    assert str(store.lock_path) in str(refused.value) and PLANTS[kind][1] in str(refused.value)
    assert "nothing was saved" in str(refused.value)
    assert files_of(store) == before
    assert outside.read_bytes() == b"not yours\n"


@pytest.mark.parametrize("kind", PLANTS)
def test_the_history_file(kind: str, store: JsonStore, outside: Path) -> None:
    save(store, 300)
    store.history_path.unlink()
    planted(kind)(store.history_path, outside)
    data = store.path.read_bytes()
    with pytest.raises(StoreError) as refused:
        save(store, 600)
    assert str(store.history_path) in str(refused.value)
    assert PLANTS[kind][1] in str(refused.value)
    assert store.path.read_bytes() == data, "the save was undone"
    if kind != "hard link":  # reading through a hard link harms nothing
        with pytest.raises(StoreError, match=PLANTS[kind][1]):
            store.history()
    assert outside.read_bytes() == b"not yours\n"


@pytest.mark.parametrize("kind", ["symlink", "fifo", "device"])
def test_the_backups_folder(kind: str, store: JsonStore, outside: Path) -> None:
    target = outside.parent if kind == "symlink" else outside
    planted(kind)(store.backups_path, target)
    before = files_of(store), sorted(outside.parent.iterdir())
    with pytest.raises(StoreError) as refused:
        save(store)
    assert str(store.backups_path) in str(refused.value)
    assert "not a real directory" in str(refused.value)
    with pytest.raises(StoreError, match="not a real directory"):
        store.backups()
    assert (files_of(store), sorted(outside.parent.iterdir())) == before
    assert outside.read_bytes() == b"not yours\n"


def test_links_inside_the_backups_folder_are_never_listed_opened_or_deleted(
        new_store: Callable[..., JsonStore], outside: Path) -> None:
    store = new_store(backups_kept=2)
    save(store, 100)
    planted = store.backups_path / "r000000000-20000101T000000000000000Z.json"
    planted.symlink_to(outside)
    for value in (200, 300, 400):
        save(store, value)
    names = [b.path.name for b in store.backups()]
    assert len(names) == 2 and planted.name not in names
    assert planted.is_symlink() and outside.read_bytes() == b"not yours\n"


def test_backups_are_ordered_by_revision_as_a_number(store: JsonStore) -> None:
    save(store)
    [kept] = store.backups_path.iterdir()
    for revision in (9, 10, 999_999_999, 1_000_000_000):
        os.link(kept, store.backups_path / f"r{revision}-20260115T093000000000000Z.json")
    assert [b.revision for b in store.backups()] == [1_000_000_000, 999_999_999, 10, 9, 0]


class StoppedClock:
    """The ``time`` module as the backups module sees it, with ``gmtime()`` stopped at one
    second: the name a restore gives the damaged file is known beforehand."""

    SECOND = 1_768_469_400  # 2026-01-15T09:30:00Z

    def __getattr__(self, name: str) -> object:
        return getattr(time, name)

    def gmtime(self, seconds: float | None = None) -> time.struct_time:
        return time.gmtime(self.SECOND if seconds is None else seconds)


def test_a_corrupt_copy_never_goes_through_a_planted_link(
        store: JsonStore, outside: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from outlook_tui.store.json import backups

    save(store, 300)
    store.path.write_bytes(b"{ damaged")
    # The name the restore takes, planted as a link beforehand. Planting the names of the
    # next two seconds instead bet on the restore starting within them: on a busy machine it
    # may not, and the test then passes without ever meeting a link.
    monkeypatch.setattr(backups, "time", StoppedClock())
    (store.path.parent / "store.json.corrupt-20260115T093000Z").symlink_to(outside)
    store.restore(1)
    copies = [p for p in store.path.parent.glob("store.json.corrupt-*") if not p.is_symlink()]
    assert [p.read_bytes() for p in copies] == [b"{ damaged"]
    assert outside.read_bytes() == b"not yours\n"


# -- the lock's identity ---------------------------------------------------------------------

class AtFsync(FileOps):
    """Runs ``then`` once, while this writer holds the lock and has written its temp file."""

    def __init__(self, then: Callable[[], None]) -> None:
        self.then: Callable[[], None] | None = then

    def fsync(self, fd: int) -> None:
        super().fsync(fd)
        if self.then is not None:
            then, self.then = self.then, None
            then()


def delete(path: Path) -> None:
    path.unlink()


def replace(path: Path) -> None:
    fresh = path.with_name(path.name + ".new")
    fresh.write_bytes(b"")
    os.replace(fresh, path)


@pytest.mark.parametrize("what", [delete, replace], ids=["deleted", "replaced"])
def test_a_lock_file_taken_away_during_a_save_never_lets_two_writers_in(
        what: Callable[[Path], None], store_at: Path, new_store: Callable[..., JsonStore]
) -> None:
    """Writer A holds the lock; its lock file is deleted (or replaced); writer B, another
    process arriving then, locks the new file and saves. Before, A then saved over B: B's save,
    reported as done, was lost. Now A finds its lock gone and saves nothing."""
    new_store()
    b_done: list[subprocess.CompletedProcess[str]] = []

    def meanwhile() -> None:
        what(store_at.with_name(store_at.name + ".lock"))
        b_done.append(subprocess.run(
            [sys.executable, "-m", "outlook_tui", "--store", str(store_at), "set", "--system",
             CRM_INTERVAL, "222"], capture_output=True, text=True, timeout=60, check=False,
            env={**os.environ, "OUTLOOK_TUI_LOCK_TIMEOUT": "5"}))

    a = JsonStore(store_at, fileops=AtFsync(meanwhile), lock_timeout=5)
    snapshot = a.load()
    with pytest.raises(StoreWriteError) as a_refused:
        a.commit(snapshot, [set_system(snapshot, CRM_INTERVAL, 111)])
    assert b_done[0].returncode == 0, b_done[0].stderr  # B saved, and said so
    document = JsonStore(store_at).load()
    assert document.system.get(CRM_INTERVAL) == 222 and document.revision == 1
    assert "lock file" in str(a_refused.value) and "nothing was saved" in str(a_refused.value)
    assert [line["new"] for line in history_lines(JsonStore(store_at))] == [222]


def test_a_writer_that_waited_on_a_deleted_lock_file_waits_again(tmp_path: Path) -> None:
    """T1 holds the lock, T2 waits on the same file. The file is deleted and T3 locks a new
    one. When T1 lets go, T2's lock is on a file no longer at the path: it must wait for T3."""
    path = tmp_path / "store.json.lock"
    inside = []
    overlap = []
    t1_holds, t1_release, t3_holds = threading.Event(), threading.Event(), threading.Event()

    def critical(name: str, hold: Callable[[], None]) -> None:
        with locked(path, 10):
            inside.append(name)
            if len(inside) > 1 and "T2" in inside:  # T1 and T3 do overlap: see the test above
                overlap.append(tuple(inside))
            hold()
            inside.remove(name)

    def t3_hold() -> None:
        # Until T1 has let go and T2 either waits on T3's file (right) or got in (wrong).
        t3_holds.set()
        t1.join()
        wait_until(lambda: opened_here(path) == 2 or not t2.is_alive(),
                   "T2 to wait on the new lock file, or to get in")

    t1 = threading.Thread(target=critical, args=("T1", lambda: (t1_holds.set(),
                                                                t1_release.wait(60))))
    t1.start()
    t1_holds.wait(60)
    t2 = threading.Thread(target=critical, args=("T2", lambda: None))
    t2.start()
    wait_until(lambda: opened_here(path) == 2, "T2 to wait on the first lock file")
    path.unlink()
    t3 = threading.Thread(target=critical, args=("T3", t3_hold))
    t3.start()
    t3_holds.wait(60)
    t1_release.set()
    for thread in (t1, t2, t3):
        thread.join(60)
    assert overlap == []


# -- export FILE -------------------------------------------------------------------------------

def _export(store: JsonStore, target: Path, capfd: pytest.CaptureFixture[str]) -> tuple[int, str]:
    from outlook_tui import cli

    status = cli.main(["--store", str(store.path), "export", str(target)])
    return status, capfd.readouterr().err


@pytest.mark.parametrize("which", ["store", "history", "lock", "backups folder", "a backup",
                                   "new file in backups", "corrupt copy", "link to store",
                                   "hard link to history"])
def test_export_never_writes_onto_the_stores_own_files(
        which: str, store: JsonStore, tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    save(store, 300)
    save(store, 600)
    (store.path.parent / "store.json.corrupt-20260101T000000Z").write_bytes(b"{ damaged")
    targets = {
        "store": store.path, "history": store.history_path, "lock": store.lock_path,
        "backups folder": store.backups_path, "a backup": store.backups()[0].path,
        "new file in backups": store.backups_path / "mine.json",
        "corrupt copy": store.path.parent / "store.json.corrupt-20260101T000000Z",
        "link to store": tmp_path / "link.json", "hard link to history": tmp_path / "hard.jsonl",
    }
    (tmp_path / "link.json").symlink_to(store.path)
    os.link(store.history_path, tmp_path / "hard.jsonl")
    target = targets[which]
    before = files_of(store)
    status, err = _export(store, target, capfd)
    assert status == 1
    assert str(target) in err and "nothing was written" in err
    assert files_of(store) == before


def test_export_writes_an_ordinary_file(store: JsonStore, tmp_path: Path,
                                        capfd: pytest.CaptureFixture[str]) -> None:
    status, _ = _export(store, tmp_path / "export.json", capfd)
    assert status == 0 and b'"format": "outlook-tui-export"' in (tmp_path / "export.json"
                                                                 ).read_bytes()


@pytest.mark.parametrize("kind", ["directory", "fifo", "device"])
def test_the_store_itself(kind: str, store_at: Path, outside: Path) -> None:
    from outlook_tui.store import UnsafeStoreError

    planted(kind)(store_at, outside)
    with pytest.raises(UnsafeStoreError) as refused:
        JsonStore(store_at)
    assert str(store_at) in str(refused.value) and PLANTS[kind][1] in str(refused.value)
    assert sorted(p.name for p in store_at.parent.iterdir()) == ["store.json"]
