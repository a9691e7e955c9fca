"""Every file of the damaged-file corpus (``tests/corpus/``), as the store, as an import file and
as a backup, through every reading command and the app: a clear message naming the place, exit
status 1 or the recovery screen, never a traceback, and not one byte changed on disk."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outlook_tui import cli
from outlook_tui.store import InputError, JsonStore, StoreError, jsontext, quickcheck
from outlook_tui.transfer import read_import
from tests.conftest import CORPUS, EXPECT, NAMES, every_byte, write_store

#: Every command that only reads the store.
READING = [
    ["orgs", "list"], ["orgs", "list", "--json"], ["show", "1"], ["show", "--system", "--json"],
    ["history", "1"], ["export"], ["diff"], ["diff", "--json"],
]


def run(argv: list[str], capfd: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """The CLI in this process: any exception other than what main() reports fails the test."""
    status = cli.main(argv)
    out, err = capfd.readouterr()
    return status, out, err


def json_level_message(data: bytes) -> str | None:
    """The text-level message for a file that is not even acceptable JSON, else None."""
    try:
        jsontext.loads(data)
    except jsontext.JsonTextError as error:
        return error.message
    return None


def test_the_manifest_lists_every_file_of_the_corpus() -> None:
    on_disk = sorted(p.name for p in CORPUS.glob("*.json"))
    assert sorted(NAMES) == on_disk
    assert len(NAMES) >= 50


@pytest.mark.parametrize("name", NAMES)
def test_as_the_store_every_reading_command_names_the_problem(
        name: str, tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "store.json"
    shutil.copyfile(CORPUS / name, store)
    before = every_byte(tmp_path)
    for argv in READING:
        status, out, err = run(["--store", str(store), *argv], capfd)
        assert status == 1, (argv, out, err)
        assert str(store) in err and EXPECT[name] in err, (argv, err)
        assert out == ""
    # History reads only its own file (there is none yet): it works on a damaged store.
    status, out, err = run(["--store", str(store), "history"], capfd)
    assert (status, err) == (0, "")
    # Writing commands refuse too, before touching anything.
    status, _, err = run(["--store", str(store), "set", "--system", "tasks_enabled", "false"],
                         capfd)
    assert status == 1 and EXPECT[name] in err
    assert every_byte(tmp_path) == before


@pytest.mark.parametrize("name", NAMES)
def test_as_an_import_file_nothing_is_imported(
        name: str, tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    store = write_store(tmp_path / "store.json", ["Acme"])
    imported = tmp_path / "import.json"
    shutil.copyfile(CORPUS / name, imported)
    before = every_byte(tmp_path)
    status, out, err = run(["--store", str(store), "import", str(imported)], capfd)
    assert status == 1, (out, err)
    assert str(imported) in err and "nothing was imported" in err
    text_problem = json_level_message((CORPUS / name).read_bytes())
    if text_problem is not None:
        assert text_problem in err
    assert every_byte(tmp_path) == before


@pytest.mark.parametrize("name", NAMES)
def test_as_a_backup_it_is_listed_damaged_and_never_restored(
        name: str, tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    store = write_store(tmp_path / "store.json", ["Acme"], revision=7)
    backups = tmp_path / "store.json.backups"
    backups.mkdir()
    backup = backups / "r000000006-20260115T093000000000000Z.json"
    shutil.copyfile(CORPUS / name, backup)
    before = every_byte(tmp_path)
    status, out, err = run(["--store", str(store), "backups"], capfd)
    assert status == 0 and "damaged" in out, (out, err)
    status, out, err = run(["--store", str(store), "restore", "1"], capfd)
    assert status == 1 and str(backup) in err and EXPECT[name] in err, (out, err)
    assert every_byte(tmp_path) == before
    assert JsonStore(store).newest_valid_backup() is None


def test_a_hundred_thousand_organizations_with_one_id(
        tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    records = ",".join(
        f'{{"id": 7, "name": "Org {n:06d}", "created_at": "2026-01-15T09:30:00Z", '
        f'"updated_at": "2026-01-15T09:30:00Z"}}' for n in range(100_000))
    store = tmp_path / "store.json"
    store.write_text('{"schema_version": 1, "store_id": "x", "revision": 1, "system": {}, '
                     f'"organizations": [{records}]}}')
    before = every_byte(tmp_path)
    status, _, err = run(["--store", str(store), "orgs", "list"], capfd)
    assert status == 1
    assert "organizations[1].id: 7 is already used by organizations[0]" in err
    assert "... and 99989 more" in err  # the message stays readable
    assert every_byte(tmp_path) == before


@pytest.mark.parametrize("name", ["deep-arrays.json", "duplicate-header-key.json",
                                  "not-utf8.json"])
def test_a_real_process_exits_1_without_a_traceback(name: str, tmp_path: Path) -> None:
    store = tmp_path / "store.json"
    shutil.copyfile(CORPUS / name, store)
    done = subprocess.run([sys.executable, "-m", "outlook_tui", "--store", str(store), "orgs",
                           "list"], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and EXPECT[name] in done.stderr


# -- any bytes at all --------------------------------------------------------------------------

_VALID = (CORPUS / "same-name.json").read_bytes().replace(b'"Acme"\n', b'"Globex"\n', 1)
_TOKENS = [b"{", b"}", b"[", b"]", b",", b":", b'"', b"\\", b"\\u", b"\\ud800", b"NaN", b"1e999",
           b"-", b"0", b"99999999999999999999999", b"\xff", b"\xc3", b"\x00", b"\n", b"null",
           b"true", b'"id"', b'"name"', b'"revision"', b'"organizations"']


@st.composite
def damaged_bytes(draw: st.DrawFn) -> bytes:
    """A valid store with a few edits (cut, insert, overwrite), or plain random bytes."""
    if draw(st.booleans()):
        return draw(st.binary(max_size=600))
    data = bytearray(_VALID)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["cut", "insert", "overwrite", "truncate"]))
        piece = draw(st.one_of(st.sampled_from(_TOKENS), st.binary(min_size=1, max_size=4)))
        if action == "cut":
            del data[at:at + draw(st.integers(1, 20))]
        elif action == "insert":
            data[at:at] = piece
        elif action == "overwrite":
            data[at:at + len(piece)] = piece
        else:
            del data[at:]
    return bytes(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged_bytes())
def test_any_bytes_as_the_store_or_an_import_give_a_message_never_a_traceback(data: bytes
                                                                              ) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "store.json"
        path.write_bytes(data)
        store = JsonStore(path, read_only=True)
        preview = store.peek(40)  # the first paint: never raises, shows only checked records
        if preview is not None:
            assert all(quickcheck.organization_ok(r) for r in preview.records)
        try:
            loaded = store.load()
        except StoreError as error:
            assert str(path) in str(error)
        else:
            assert preview is None or preview.revision == loaded.revision
        try:
            read_import(path)
        except InputError as error:
            assert str(path) in str(error)
        assert path.read_bytes() == data
