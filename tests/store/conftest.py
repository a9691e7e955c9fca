"""Store test fixtures and helpers.

Two kinds of store tests live here:

- the **contract** (``test_contract*.py``): what every backend must do, run once per backend
  through the ``store_factory`` fixture and only the :class:`StoreBackend` interface;
- the **JSON store's own** tests (file faults, crashes, backups, the lock, line numbers): they
  use ``store`` / ``new_store``, a :class:`JsonStore` on ``tmp_path/shared/store.json``.

Helpers shared by several test modules are here, not imported from one test module by another.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import orjson
import pytest

from outlook_tui.store import (
    Capability,
    Change,
    JsonStore,
    NewOrganization,
    SettingChange,
    Snapshot,
    StoreBackend,
)
from outlook_tui.store.factory import open_store
from outlook_tui.store.json.document import serialize

CRM_INTERVAL = "contacts_sync_interval_orocrm"
OUTLOOK_INTERVAL = "contacts_sync_interval_outlook"
DIRECTION = "contacts_sync_direction"

#: An organization to seed: its name, or a partial record (name, description, enabled,
#: overrides).
OrganizationSeed = str | Mapping[str, Any]


# -- the contract: one fixture, one parameter per backend ----------------------------------------


class StoreFactory(Protocol):
    """What a backend gives the contract tests."""

    #: The backend's name in test ids: "json", "postgres", "mysql".
    name: str

    def __call__(self, organizations: Sequence[OrganizationSeed] = (),
                 system: Mapping[str, Any] | None = None) -> StoreBackend:
        """A fresh, writable store holding the backend's first organization (Oro's install:
        "Default Organization") plus ``organizations``, and ``system`` values."""

    def again(self, store: StoreBackend, *, read_only: bool = False) -> StoreBackend:
        """The same store opened anew, as another admin's process opens it."""

    def picture(self, store: StoreBackend) -> object:
        """Everything the store holds, to compare before and after a refused save: every byte
        of its files, every row of its tables."""


def seed_settings(store: StoreBackend, organizations: Sequence[OrganizationSeed] = (),
                  system: Mapping[str, Any] | None = None) -> Snapshot:
    """Seed through the interface: create ``organizations`` (a backend with organization
    editing) with their columns and overrides, and store ``system`` values, in one commit.

    A backend without organization editing creates its organizations its own way first and
    passes only ``system`` (and overrides, as SettingChange) here."""
    snapshot = store.load()
    changes: list[Change] = []
    for seed in organizations:
        given = {"name": seed} if isinstance(seed, str) else dict(seed)
        changes.append(NewOrganization(
            given["name"], given.get("description", ""), given.get("enabled", True),
            tuple(dict(given.get("overrides", {})).items())))
    changes.extend(SettingChange(None, name, None, value)
                   for name, value in dict(system or {}).items())
    if not changes:
        return snapshot
    return store.commit(snapshot, changes).snapshot


@dataclass
class JsonStoreFactory:
    """Each store a file of its own in ``directory``."""

    directory: Path
    name: str = "json"

    def __post_init__(self) -> None:
        self._numbers = itertools.count(1)

    def __call__(self, organizations: Sequence[OrganizationSeed] = (),
                 system: Mapping[str, Any] | None = None) -> StoreBackend:
        folder = self.directory / f"store-{next(self._numbers)}"
        folder.mkdir()
        store = JsonStore(folder / "store.json", lock_timeout=60)
        seed_settings(store, organizations, system)
        return store

    def again(self, store: StoreBackend, *, read_only: bool = False) -> StoreBackend:
        return open_store(store.location, read_only=read_only)

    def picture(self, store: StoreBackend) -> object:
        assert isinstance(store, JsonStore)
        return files_of(store)


#: Backends the contract runs against. A backend adds its name here and a branch below.
BACKENDS = ["json", "postgres", "mysql"]


@pytest.fixture(params=BACKENDS)
def store_factory(request: pytest.FixtureRequest, tmp_path: Path) -> StoreFactory:
    """A :class:`StoreFactory` per backend. Another backend returns its own here, e.g.
    ``request.getfixturevalue("postgres_store_factory")`` (a fixture defined where this folder
    sees it: ``tests/conftest.py``), seeding organizations its own way when it has no
    organization editing and the rest through :func:`seed_settings`."""
    if request.param == "json":
        return JsonStoreFactory(tmp_path)
    if request.param in ("postgres", "mysql"):
        factory: StoreFactory = request.getfixturevalue(f"{request.param}_store_factory")
        return factory
    raise AssertionError(f"no factory for the {request.param} backend")


def require(store: StoreBackend, capability: Capability) -> None:
    """Skip a contract test about an optional part the backend does not have, saying why."""
    if not store.supports(capability):
        pytest.skip(store.unsupported_reason(capability))


def ids(store: StoreBackend) -> dict[str, int]:
    return {o.name: o.id for o in store.load().organizations()}


# -- the JSON store's own tests ------------------------------------------------------------------

NewStore = Callable[..., JsonStore]


@pytest.fixture
def store_at(tmp_path: Path) -> Path:
    directory = tmp_path / "shared"
    directory.mkdir()
    return directory / "store.json"


@pytest.fixture
def new_store(store_at: Path) -> NewStore:
    """``new_store(read_only=..., fileops=..., create=False)``: a JsonStore on ``store_at``,
    created (revision 0, the Default Organization) unless ``create=False``."""

    def make(*, create: bool = True, **options: object) -> JsonStore:
        options.setdefault("lock_timeout", 2.0)
        store = JsonStore(store_at, **options)  # type: ignore[arg-type]
        if create and not store.exists():
            store.load()
        return store

    return make


@pytest.fixture
def store(new_store: NewStore) -> JsonStore:
    return new_store()


@dataclass(frozen=True)
class Files:
    """Every byte the store owns on disk, to compare before and after."""

    store: bytes | None
    history: bytes | None
    lock_exists: bool
    backups: dict[str, bytes]
    others: frozenset[str]  # every other name in the directory (temp files, corrupt-*)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def files_of(store: JsonStore) -> Files:
    backups = {}
    if store.backups_path.is_dir():
        backups = {p.name: p.read_bytes() for p in store.backups_path.iterdir()}
    known = {store.path.name, store.history_path.name, store.lock_path.name,
             store.backups_path.name}
    others = frozenset(p.name for p in store.path.parent.iterdir() if p.name not in known)
    return Files(_read(store.path), _read(store.history_path), store.lock_path.exists(),
                 backups, others)


def temp_files(store: JsonStore) -> list[str]:
    return sorted(p.name for p in store.path.parent.glob(f".{store.path.name}.tmp-*"))


def history_lines(store: JsonStore, *, writers_killed: bool = False) -> list[dict[str, Any]]:
    """Every line, parsed (a line that does not parse fails the test). With ``writers_killed``,
    lines that do not parse are left out: a writer killed in the middle of its append leaves a
    line cut short, which stays in the file (shown as an unreadable line), and the next save
    records the revision it missed as a history gap."""
    data = _read(store.history_path) or b""
    lines = []
    for line in data.splitlines():
        try:
            lines.append(orjson.loads(line))
        except orjson.JSONDecodeError:
            if not writers_killed:
                raise
    return lines


def set_system(snapshot: Snapshot, name: str, value: Any) -> SettingChange:
    """A change to the system scope, made against what ``snapshot`` shows."""
    return SettingChange(None, name, snapshot.system.get(name), value)


def set_org(snapshot: Snapshot, organization_id: int, name: str, value: Any) -> SettingChange:
    org = snapshot.get(organization_id)
    assert org is not None
    return SettingChange(organization_id, name, org.overrides.get(name), value)


def add_organizations(store: StoreBackend, *names: str) -> Snapshot:
    snapshot = store.load()
    return store.commit(snapshot, [NewOrganization(n) for n in names]).snapshot


def write_document(store: JsonStore, document: dict[str, Any]) -> bytes:
    """Write a document as a person would, without the store (no lock, no history)."""
    data = serialize(document)
    store.path.write_bytes(data)
    return data


# -- writers in other processes -------------------------------------------------------------------

#: Forked processes: a writer in a child is another admin's process, with its own locks.
fork = multiprocessing.get_context("fork")


def writers_at_once(target: Callable[..., None], args: Sequence[tuple[Any, ...]], *,
                    timeout: float) -> list[Any]:
    """One forked writer per item of ``args``, each running ``target(*item, start, results)``:
    ``start.wait()`` returns once every writer has called it (a barrier, bounded by
    ``timeout``), so they go together, from whatever each did before it (a load: all start
    from the same revision); what each put in ``results``, once every one has exited cleanly."""
    start, results = fork.Barrier(len(args), timeout=timeout), fork.Queue()
    processes = [fork.Process(target=target, args=(*item, start, results)) for item in args]
    for process in processes:
        process.start()
    collected = [results.get(timeout=timeout) for _ in processes]
    for process in processes:
        process.join(timeout)
        assert process.exitcode == 0
    return collected


def opened_here(path: Path) -> int:
    """How many file descriptors of this process are open on the file now at ``path``: a
    thread of this test waiting for the lock has opened it (Linux's /proc)."""
    try:
        target = os.stat(path)
    except FileNotFoundError:
        return 0
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            held = os.stat(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        count += (held.st_dev, held.st_ino) == (target.st_dev, target.st_ino)
    return count
