"""After a save to Oro's database, outlook-tui says how to clear Oro's configuration cache for
the Oro at hand: the family its ``oro_migrations`` rows mark, else ``[database] oro_version``,
else all three commands, saying why."""

from __future__ import annotations

import pytest

from outlook_tui.oro_version import (
    OroFamily,
    OroVersion,
    cache_advice,
    family_of,
    from_migrations,
    resolve,
)


@pytest.mark.parametrize(("version", "family"), [
    ("1", OroFamily.SYMFONY_2), ("1.10", OroFamily.SYMFONY_2), ("2.6.39", OroFamily.SYMFONY_2),
    ("3.0", OroFamily.BIN_CONSOLE), ("3.1.2", OroFamily.BIN_CONSOLE),
    ("4.0", OroFamily.BIN_CONSOLE),
    ("5.0.12", OroFamily.BIN_CONSOLE), ("5.1", OroFamily.CACHE_POOL), ("6.0", OroFamily.CACHE_POOL),
    ("4.x", OroFamily.BIN_CONSOLE)])
def test_a_version_written_by_an_admin_falls_in_its_family(version: str,
                                                           family: OroFamily) -> None:
    assert family_of(version) is family


@pytest.mark.parametrize("version", ["", "four", "4.0-rc", "9.0", "0.9", "v4"])
def test_what_is_no_oro_version_is_refused(version: str) -> None:
    with pytest.raises(ValueError, match="Oro version"):
        family_of(version)


@pytest.mark.parametrize(("rows", "family"), [
    # An install of 2.6 records its installers' versions; an upgraded 1.x every migration.
    ([("OroOrganizationBundle", "v1_6"), ("OroPlatformBundle", "v1_1")], OroFamily.SYMFONY_2),
    ([("OroOrganizationBundle", "v1_0"), ("OroOrganizationBundle", "v1_5")],
     OroFamily.SYMFONY_2),
    ([("OroOrganizationBundle", "v1_7"), ("OroPlatformBundle", "v1_1")], OroFamily.BIN_CONSOLE),
    # v1_10 is newer than v1_7 (numbers, not text)
    ([("OroOrganizationBundle", "v1_10")], OroFamily.BIN_CONSOLE),
    ([("OroOrganizationBundle", "v1_7"), ("OroPlatformBundle", "v1_2")], OroFamily.CACHE_POOL),
])
def test_the_migrations_oro_ran_mark_the_family(rows: list[tuple[str, str]],
                                                family: OroFamily) -> None:
    found = from_migrations(rows)
    assert found is not None and found.family is family
    assert found.source.startswith("oro_migrations: ")


def test_rows_that_mark_nothing_tell_nothing() -> None:
    assert from_migrations([]) is None
    assert from_migrations([("OroPlatformBundle", "v1_1"), ("OroUserBundle", "v1_30")]) is None
    assert from_migrations([("OroOrganizationBundle", "garbage")]) is None


def test_the_database_wins_over_the_configuration_which_wins_over_nothing() -> None:
    detected = OroVersion(OroFamily.CACHE_POOL, "oro_migrations: OroPlatformBundle v1_2")
    assert resolve(detected, "4.0") == detected
    configured = resolve(None, "4.0")
    assert configured == OroVersion(OroFamily.BIN_CONSOLE,
                                    "config.toml [database] oro_version = '4.0'")
    assert resolve(None, None) is None


def test_the_advice_names_one_command_when_known_and_all_three_when_not() -> None:
    known = cache_advice(OroVersion(OroFamily.SYMFONY_2, "oro_migrations: "
                                    "OroOrganizationBundle v1_6"))
    assert "`php app/console cache:clear --env=prod`" in known
    assert "Oro 1.x-2.x, from oro_migrations: OroOrganizationBundle v1_6" in known
    unknown = cache_advice(None)
    assert "not recorded in its database" in unknown and "oro_version" in unknown
    for family in OroFamily:
        assert f"`{family.clear_cache}`" in unknown
