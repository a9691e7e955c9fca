"""Deterministic benchmark stores: 0, 1k, 10k and 100k organizations (seed 42).

Each store is written exactly as the app writes one (``store.json.document.serialize``, canonical
key order, organizations in name order, every column present), so the app reads it the way it
reads a real store, including the fast first-screen ``peek``. About 10% of the organizations
carry 1-3 valid overrides drawn from the catalog, about 3% are inactive, and the system scope
overrides a few settings.


    .venv/bin/python benchmarks/generate.py            # all sizes, skip stores already there
    .venv/bin/python benchmarks/generate.py --force 50 # one size, rewritten
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from outlook_tui.catalog import CATALOG, Setting, SettingType, Value  # noqa: E402
from outlook_tui.store.factory import open_store  # noqa: E402
from outlook_tui.store.json.document import SCHEMA_VERSION, serialize  # noqa: E402
from outlook_tui.store.snapshot import sort_key  # noqa: E402

SEED = 42
SIZES = (0, 1_000, 10_000, 100_000)
STORES = Path(__file__).resolve().parent / "stores"
OVERRIDE_SHARE = 0.10
INACTIVE_SHARE = 0.03

_FIRST = (
    "Acme", "Apex", "Blue", "Bright", "Cedar", "Coastal", "Crown", "Delta", "Eagle", "Evergreen",
    "Falcon", "First", "Frontier", "Global", "Golden", "Granite", "Harbor", "Horizon", "Iron",
    "Keystone", "Lakeside", "Liberty", "Maple", "Meridian", "Metro", "Nordic", "North", "Oak",
    "Orion", "Pacific", "Pinnacle", "Pioneer", "Prime", "Quantum", "Redwood", "River", "Silver",
    "Summit", "Sun", "Titan", "Union", "United", "Valley", "Vertex", "West", "Zenith",
)
_SECOND = (
    "Analytics", "Bakery", "Capital", "Clinic", "Consulting", "Dental", "Design", "Energy",
    "Engineering", "Foods", "Freight", "Health", "Holdings", "Insurance", "Labs", "Legal",
    "Logistics", "Media", "Motors", "Networks", "Partners", "Pharma", "Realty", "Retail",
    "Robotics", "Software", "Solutions", "Studios", "Systems", "Textiles", "Trading", "Travel",
)
_SUFFIX = ("Inc", "LLC", "Ltd", "GmbH", "Group", "Org", "SA", "Co")
_DESCRIPTIONS = ("", "", "", "Key account", "Reseller", "Pilot customer", "EMEA region",
                 "APAC region", "Migrated from Outlook 2016")

# Timestamps: a fixed window, so the same seed gives the same bytes on any day.
_EPOCH = 1_704_067_200  # 2024-01-01T00:00:00Z
_SPAN = 2 * 365 * 86_400


def _stamp(seconds: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def random_value(setting: Setting, rng: random.Random) -> Value:
    """A valid stored value for ``setting``, different from its default where possible."""
    if setting.type is SettingType.CHOICE:
        others = [c.value for c in setting.choices if c.value != setting.default]
        return rng.choice(others or [c.value for c in setting.choices])
    if setting.type is SettingType.INTEGER:
        assert setting.minimum is not None and setting.maximum is not None
        value = rng.choice((rng.randint(setting.minimum, 3600),
                            rng.randint(setting.minimum, setting.maximum)))
        return setting.check(value)
    return not setting.default


def random_overrides(rng: random.Random, count: int) -> dict[str, Value]:
    chosen = set(rng.sample(range(len(CATALOG)), count))
    # Catalog order: the order the store writes overrides in.
    return {s.name: random_value(s, rng) for i, s in enumerate(CATALOG) if i in chosen}


def make_document(count: int, seed: int = SEED) -> dict[str, Any]:
    """The store document for ``count`` organizations, in canonical form."""
    rng = random.Random(f"{seed}-{count}")
    names: set[str] = set()
    records: list[dict[str, Any]] = []
    while len(records) < count:
        name = (f"{rng.choice(_FIRST)} {rng.choice(_SECOND)} {rng.choice(_SUFFIX)} "
                f"{rng.randint(1, max(10 * count, 1000))}")
        if name in names:
            continue
        names.add(name)
        created = _EPOCH + rng.randrange(_SPAN)
        updated = created + rng.randrange(_EPOCH + _SPAN - created + 1)
        overrides = (random_overrides(rng, rng.randint(1, 3))
                     if rng.random() < OVERRIDE_SHARE else {})
        records.append({
            "name": name,
            "description": rng.choice(_DESCRIPTIONS),
            "enabled": rng.random() >= INACTIVE_SHARE,
            "created_at": _stamp(created),
            "updated_at": _stamp(updated),
            "overrides": overrides,
        })
    records.sort(key=lambda r: sort_key(r["name"]))
    organizations = [
        {"id": i, **record} for i, record in enumerate(records, start=1)
    ]
    system = {
        "contacts_sync_interval_orocrm": 300,
        "tasks_enabled": False,
    }
    return {
        "schema_version": SCHEMA_VERSION,
        "store_id": uuid.UUID(int=rng.getrandbits(128), version=4).hex,
        "revision": 0,
        "system": {s.name: system[s.name] for s in CATALOG if s.name in system},
        "organizations": organizations,
    }


def store_path(count: int, directory: Path = STORES) -> Path:
    return directory / f"orgs-{count}.json"


def write_store(count: int, directory: Path = STORES, *, force: bool = False) -> Path:
    """Write the store of ``count`` organizations unless it is already there."""
    path = store_path(count, directory)
    if path.exists() and not force:
        return path
    directory.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(serialize(make_document(count)))
    tmp.replace(path)
    return path


def first_name(path: Path) -> str | None:
    """The first organization's name in a store: the first row of the organizations table."""
    snapshot = open_store(str(path), read_only=True).peek(1)
    if snapshot is None or not snapshot.document["organizations"]:
        return None
    return str(snapshot.document["organizations"][0]["name"])


def self_check(path: Path) -> int:
    """Load the store through the app's own validation; return its organization count."""
    snapshot = open_store(str(path), read_only=True).load()
    records = snapshot.document["organizations"]
    keys = [sort_key(r["name"]) for r in records]
    if keys != sorted(keys):
        raise AssertionError(f"{path}: organizations are not in name order")
    if [r["id"] for r in records] != sorted(r["id"] for r in records):
        raise AssertionError(f"{path}: ids do not follow name order")
    if path.read_bytes() != serialize(snapshot.document):
        raise AssertionError(f"{path}: not in the store's canonical written form")
    return len(records)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=list(SIZES))
    parser.add_argument("--force", action="store_true", help="rewrite stores already there")
    parser.add_argument("--dir", type=Path, default=STORES)
    args = parser.parse_args(argv)
    for count in args.sizes:
        started = time.perf_counter()
        path = write_store(count, args.dir, force=args.force)
        print(f"{path} ({path.stat().st_size / 1e6:.1f} MB, "
              f"{time.perf_counter() - started:.2f} s)")
    checked = min(args.sizes, key=lambda n: abs(n - 1000)) if args.sizes else None
    if checked is not None:
        n = self_check(store_path(checked, args.dir))
        print(f"self-check: {store_path(checked, args.dir).name} validates ({n} organizations)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
