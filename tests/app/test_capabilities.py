"""A store without organization editing or backups (as Oro's own database is): the keys are not
offered, pressing them anyway says why, and the command line refuses with the store's reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from outlook_tui import cli
from outlook_tui.app.app import OutlookApp
from outlook_tui.app.screens.organization_form import OrganizationFormModal
from outlook_tui.app.screens.recovery import RecoveryScreen
from outlook_tui.app.widgets.footer import KeysFooter
from outlook_tui.store import Capability, JsonStore, StoreBackend, factory
from tests.app.conftest import loaded
from tests.conftest import said, settle, showing, write_store

REASON = "organizations are managed in Oro itself"


class BareStore(JsonStore):
    """A real store that declares none of the optional parts."""

    def supports(self, capability: Capability) -> bool:
        return False

    def unsupported_reason(self, capability: Capability) -> str:
        return REASON if capability is Capability.ORGANIZATION_EDITING else "no backups kept"


def footer_keys(app: OutlookApp) -> set[str]:
    return {key.key for key in app.screen.query_one(KeysFooter).listed_keys()}


def test_the_json_store_offers_both_parts(store_path: Path) -> None:
    store: StoreBackend = JsonStore(write_store(store_path))
    assert isinstance(store, StoreBackend)
    assert store.supports(Capability.ORGANIZATION_EDITING)
    assert store.supports(Capability.BACKUPS)


async def test_new_and_edit_are_hidden_and_explained(store_path: Path) -> None:
    write_store(store_path, ["Acme", "Globex"])
    before = store_path.read_bytes()
    app = OutlookApp(BareStore(store_path), watch_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        keys = footer_keys(app)
        assert "n" not in keys and "e" not in keys
        assert "c" in keys  # Configuration stays: settings are not an optional part
        await pilot.press("n")
        await settle(pilot)
        assert not isinstance(app.screen, OrganizationFormModal)
        assert REASON in said(app)
        await pilot.press("e")
        await settle(pilot)
        assert not isinstance(app.screen, OrganizationFormModal)
    assert store_path.read_bytes() == before


async def test_the_recovery_screen_says_why_there_are_no_backups(store_path: Path) -> None:
    write_store(store_path)
    store_path.write_text("{ damaged")
    app = OutlookApp(BareStore(store_path), watch_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await showing(pilot, RecoveryScreen)
        await settle(pilot)
        keys = footer_keys(app)
        assert "o" not in keys and "r" not in keys
        assert "no backups kept" in str(app.screen.query_one("#recovery-backups").render_line(0))


@pytest.mark.parametrize("args", [
    ("orgs", "add", "Wayne"), ("orgs", "rename", "Acme", "Acme Corp"),
    ("orgs", "disable", "Acme"), ("backups",), ("restore", "1"),
])
def test_the_command_line_refuses_with_the_stores_reason(
        args: tuple[str, ...], store_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    write_store(store_path, ["Acme"])
    before = store_path.read_bytes()
    monkeypatch.setattr(factory, "open_store", lambda location, *, read_only, **_:
                        BareStore(location, read_only=read_only))
    assert cli.main(["--store", str(store_path), *args]) == 1
    error = capsys.readouterr().err
    assert (REASON if args[0] == "orgs" else "no backups kept") in error
    assert store_path.read_bytes() == before
