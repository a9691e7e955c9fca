"""A keymap remaps keys by binding id: the footer and Help show the keys in force, the new key
works and the old one no longer does. One binding per action, every id in the README."""

from __future__ import annotations

from pathlib import Path

from textual.dom import DOMNode

from outlook_tui.app.app import OutlookApp, keyed_classes
from outlook_tui.app.keymap import all_bindings, own_bindings
from outlook_tui.app.screens.configuration import ConfigurationScreen
from outlook_tui.app.screens.help import HelpScreen
from outlook_tui.app.screens.organizations import OrganizationsScreen
from outlook_tui.app.widgets.footer import KeysFooter
from outlook_tui.config import load_config
from tests.conftest import StoreFactory

README = Path(__file__).parents[2] / "README.md"


def footer_keys(app: OutlookApp) -> dict[str, str]:
    """What the footer shows: description -> key as displayed."""
    footer = app.screen.query_one(KeysFooter)
    return {key.description: key.key_display for key in footer.listed_keys()}


async def test_a_keymap_file_remaps_configuration_and_the_footer_and_help_show_it(
        make_store: StoreFactory, tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[keymap]\n"organizations.configuration" = "f4"\n')
    app = OutlookApp(make_store(["Acme", "Globex"]), watch_seconds=0,
                     config=load_config(path))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, OrganizationsScreen)
        assert footer_keys(app)["Configuration"] == "f4"

        await pilot.press("c")  # the old key does nothing now
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is screen

        await pilot.press("f4")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ConfigurationScreen)
        assert app.screen.organization_id == 1  # Acme, the highlighted row


async def test_help_lists_the_remapped_key_in_place_of_the_default(
        make_store: StoreFactory, tmp_path: Path) -> None:
    from outlook_tui.app.screens.help import key_groups

    path = tmp_path / "config.toml"
    path.write_text('[keymap]\n"organizations.configuration" = "f4"\n"app.help" = "f2"\n')
    app = OutlookApp(make_store(["Acme"]), watch_seconds=0, config=load_config(path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        groups = dict(key_groups(keyed_classes(), app.config.keymap, app))
        assert ("f4", "Configuration: MS Outlook Settings of the highlighted organization "
                "(also Enter)") in groups["Organizations"]
        assert ("f2", "Help: Every key, on one screen") in groups["Everywhere"]
        await pilot.press("f1")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


def test_one_binding_per_action_on_every_screen() -> None:
    for cls in keyed_classes():
        actions = [b.action for b in own_bindings(cls)]
        assert len(actions) == len(set(actions)), cls.__name__


def test_every_binding_has_an_id_and_the_registry_knows_every_class_with_bindings() -> None:
    registered = set(keyed_classes())
    for keyed in all_bindings(keyed_classes()):
        assert keyed.binding.id, keyed

    def subclasses(cls: type) -> set[type]:
        found = set(cls.__subclasses__())
        for sub in list(found):
            found |= subclasses(sub)
        return found

    ours = {cls for cls in subclasses(DOMNode) | {OutlookApp}
            if cls.__module__.startswith("outlook_tui.") and own_bindings(cls)}
    assert ours <= registered, ours - registered


def test_the_readme_lists_every_binding_id_with_its_default_key() -> None:
    readme = README.read_text(encoding="utf-8")
    for keyed in all_bindings(keyed_classes()):
        binding = keyed.binding
        row = next((line for line in readme.splitlines()
                    if line.startswith(f"| `{binding.id}` ")), None)
        assert row is not None, f"{binding.id} is not in the README's binding table"
        assert f"`{binding.key}`" in row, (binding.id, binding.key, row)


async def test_the_theme_from_the_config_file_is_the_apps(make_store: StoreFactory,
                                                          tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('theme = "nord"\n')
    app = OutlookApp(make_store(["Acme"]), watch_seconds=0, config=load_config(path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "nord"
        assert app.current_theme.name == "nord"


def help_groups(app: OutlookApp) -> list[str]:
    from textual.widgets import Static

    assert isinstance(app.screen, HelpScreen)
    return [str(group.render()) for group in app.screen.query(".help-group").results(Static)]


async def test_help_starts_with_the_keys_of_where_it_was_opened(
        make_store: StoreFactory) -> None:
    from tests.app.conftest import loaded, open_configuration
    from tests.conftest import settle, showing

    app = OutlookApp(make_store(["Acme"]), watch_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("f1")
        await showing(pilot, HelpScreen)
        # The organizations grid, then its table (where the focus was), then the rest.
        assert help_groups(app)[:3] == ["Organizations", "Tables (organizations, matrix, "
                                        "history)", "Everywhere"]
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, OrganizationsScreen))
        await open_configuration(pilot, 1)
        await pilot.press("f1")
        await showing(pilot, HelpScreen)
        assert help_groups(app)[0] == "Configuration (MS Outlook Settings)"
        assert "Organizations" in help_groups(app)  # every key is still listed
