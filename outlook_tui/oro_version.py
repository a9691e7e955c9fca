"""Which Oro an installation runs, as far as its database or ``config.toml`` tells, and the
advice that depends on it: how to clear Oro's configuration cache after a save.

Oro serves cached configuration until its cache is cleared, and the command differs
(shared/oro-reference.md): 1.x-2.x ``php app/console cache:clear --env=prod``; 3.0-5.0
``php bin/console cache:clear --env=prod`` (their console defaults to the dev environment);
5.1+ ``php bin/console cache:pool:clear oro_config.cache``.

Where the database records it: Oro's ``oro_migrations`` table holds, per bundle, every schema
migration version it ran (``bundle``, ``version``; a fresh install records its installer's
version). Read from oroinc/platform's tags, two migrations mark the families:

- ``OroOrganizationBundle`` ``v1_7`` first ships in 3.0.0 (2.6.39, the last 2.x, stops at
  ``v1_6``): below it, 1.x-2.x; from it, 3.0 or later.
- ``OroPlatformBundle`` ``v1_2`` first ships in 5.1.0 (5.0.x stops at ``v1_1``): 5.1+.

Product versions themselves are in no table (Oro reads them from Composer's files), so a
database without these rows (no ``oro_migrations``, or a copy of the configuration tables
alone) tells nothing: then ``[database] oro_version`` decides, and when neither tells, the
advice says so and gives every family's command. Pure: no I/O.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass

#: The bundles whose migration versions mark a family, as ``oro_migrations.bundle`` names them.
ORGANIZATION_BUNDLE = "OroOrganizationBundle"
PLATFORM_BUNDLE = "OroPlatformBundle"
MARKER_BUNDLES = (ORGANIZATION_BUNDLE, PLATFORM_BUNDLE)
_FROM_3_0 = (1, 7)  # OroOrganizationBundle
_FROM_5_1 = (1, 2)  # OroPlatformBundle

_VERSION = re.compile(r"^\s*(\d{1,2})(?:\.(\d{1,2}|x))?(?:\.\d{1,3})*\s*$")
_MIGRATION = re.compile(r"^v(\d+)(?:_(\d+))*$")


class OroFamily(enum.Enum):
    """Oro versions that clear their configuration cache the same way."""

    SYMFONY_2 = "1.x-2.x"
    BIN_CONSOLE = "3.0-5.0"
    CACHE_POOL = "5.1+"

    @property
    def clear_cache(self) -> str:
        return {
            OroFamily.SYMFONY_2: "php app/console cache:clear --env=prod",
            OroFamily.BIN_CONSOLE: "php bin/console cache:clear --env=prod",
            OroFamily.CACHE_POOL: "php bin/console cache:pool:clear oro_config.cache",
        }[self]


@dataclass(frozen=True)
class OroVersion:
    family: OroFamily
    #: How it is known, in words: the rows read, or the configuration key.
    source: str


def family_of(version: str) -> OroFamily:
    """The family of a version written by a person (``"4.0"``, ``"2.6.39"``, ``"5.1"``, ``"1"``);
    ValueError with what is accepted."""
    match = _VERSION.match(version)
    if match is None:
        raise ValueError(f"{version!r} is not an Oro version; write one such as \"4.0\"")
    major = int(match.group(1))
    minor_text = match.group(2)
    minor = 0 if minor_text in (None, "x") else int(minor_text)
    if not 1 <= major <= 7:
        raise ValueError(f"{version!r}: Oro versions run from 1.x to 7.x")
    if major <= 2:
        return OroFamily.SYMFONY_2
    if (major, minor) < (5, 1):
        return OroFamily.BIN_CONSOLE
    return OroFamily.CACHE_POOL


def _migration(version: str) -> tuple[int, ...] | None:
    if _MIGRATION.match(version.strip()) is None:
        return None
    return tuple(int(part) for part in version.strip()[1:].split("_"))


def from_migrations(rows: Iterable[tuple[str, str]]) -> OroVersion | None:
    """The family the ``(bundle, version)`` rows of ``oro_migrations`` mark, or None when they
    do not tell (no row of OroOrganizationBundle, or versions this tool cannot read)."""
    newest: dict[str, tuple[tuple[int, ...], str]] = {}
    for bundle, version in rows:
        parsed = _migration(str(version))
        if bundle in MARKER_BUNDLES and parsed is not None and (
                bundle not in newest or parsed > newest[bundle][0]):
            newest[bundle] = (parsed, str(version))
    platform = newest.get(PLATFORM_BUNDLE)
    if platform is not None and platform[0] >= _FROM_5_1:
        return OroVersion(OroFamily.CACHE_POOL,
                          f"oro_migrations: {PLATFORM_BUNDLE} {platform[1]}")
    organization = newest.get(ORGANIZATION_BUNDLE)
    if organization is None:
        return None
    family = OroFamily.BIN_CONSOLE if organization[0] >= _FROM_3_0 else OroFamily.SYMFONY_2
    return OroVersion(family, f"oro_migrations: {ORGANIZATION_BUNDLE} {organization[1]}")


def resolve(detected: OroVersion | None, configured: str | None) -> OroVersion | None:
    """What the database records wins (it follows upgrades); else ``[database] oro_version``."""
    if detected is not None:
        return detected
    if configured is not None:
        return OroVersion(family_of(configured),
                          f"config.toml [database] oro_version = {configured!r}")
    return None


def cache_advice(version: OroVersion | None) -> str:
    """Said after every save to Oro's database."""
    if version is not None:
        return (f"Oro caches its configuration: run `{version.family.clear_cache}` in Oro's "
                f"directory for Oro to use the new values (Oro {version.family.value}, "
                f"from {version.source})")
    commands = "; ".join(f"Oro {f.value}: `{f.clear_cache}`" for f in OroFamily)
    return ("Oro caches its configuration: clear it for Oro to use the new values. Which Oro "
            "this is is not recorded in its database (no oro_migrations rows) and config.toml "
            f"sets no [database] oro_version, so here are all three: {commands}")
