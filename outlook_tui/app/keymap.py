"""Every key binding of the app, by the screen (or widget) that owns it, in the order a person
meets them: what Help lists, what the README documents, and what a ``[keymap]`` may remap.

Read from the classes' own ``BINDINGS`` at run time (no source files needed); the keys shown are
the ones in force, after the user's keymap.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from textual.binding import Binding, BindingType
from textual.dom import DOMNode

from outlook_tui.config import Config


def keyed_classes() -> tuple[type[DOMNode], ...]:
    """The app, its screens, dialogs and widgets that declare bindings (imported on demand:
    Help and a keymap need them, the first paint does not)."""
    from outlook_tui.app.app import OutlookApp
    from outlook_tui.app.screens.bulk import ApplySettingModal, _BulkModal
    from outlook_tui.app.screens.configuration import ConfigurationScreen
    from outlook_tui.app.screens.confirm import ConfirmModal, UnsavedChangesModal
    from outlook_tui.app.screens.conflict import ConflictModal
    from outlook_tui.app.screens.effective import EffectiveSettingsScreen
    from outlook_tui.app.screens.help import HelpScreen
    from outlook_tui.app.screens.history import HistoryScreen
    from outlook_tui.app.screens.matrix import MatrixScreen
    from outlook_tui.app.screens.organization_form import OrganizationFormModal
    from outlook_tui.app.screens.organizations import OrganizationsScreen
    from outlook_tui.app.screens.recovery import RecoveryScreen
    from outlook_tui.app.widgets.toggles import ArrowChoice
    from outlook_tui.app.widgets.virtual_table import VirtualTable

    return (OutlookApp, OrganizationsScreen, OrganizationFormModal, _BulkModal,
            ApplySettingModal, ConfigurationScreen, EffectiveSettingsScreen, MatrixScreen,
            HistoryScreen, VirtualTable, ArrowChoice, ConfirmModal, UnsavedChangesModal,
            ConflictModal, RecoveryScreen, HelpScreen)


def title(cls: type) -> str:
    """How Help names the group: ``HELP_TITLE``, else the class name in words."""
    from textual.app import App

    given = getattr(cls, "HELP_TITLE", None)
    if isinstance(given, str):
        return given
    if issubclass(cls, App):
        return "Everywhere"
    name = re.sub(r"(Screen|Modal)$", "", cls.__name__) or cls.__name__
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)


def own_bindings(cls: type) -> list[Binding]:
    """The bindings ``cls`` itself declares (not inherited ones)."""
    declared: list[BindingType] = list(cls.__dict__.get("BINDINGS", []))
    return [item if isinstance(item, Binding) else Binding(*item) for item in declared]


@dataclass(frozen=True)
class KeyedBinding:
    group: str
    binding: Binding

    def keys(self, keymap: Mapping[str, str]) -> list[str]:
        """The keys in force: the keymap's when it remaps this binding, else the default."""
        given = keymap.get(self.binding.id) if self.binding.id else None
        return [key.strip() for key in (given or self.binding.key).split(",")]


def all_bindings() -> list[KeyedBinding]:
    return [KeyedBinding(title(cls), binding)
            for cls in keyed_classes() for binding in own_bindings(cls)]


def binding_ids() -> set[str]:
    return {kb.binding.id for kb in all_bindings() if kb.binding.id}


def check_config(config: Config) -> None:
    """Refuse (ConfigError) a keymap naming a binding that does not exist, or a theme Textual
    does not have; the imports happen only when the file asks for either."""
    if config.keymap:
        config.check(binding_ids=binding_ids())
        _refuse_clashes(config)
    if config.theme is not None:
        from textual.theme import BUILTIN_THEMES

        config.check(themes=BUILTIN_THEMES)


def _refuse_clashes(config: Config) -> None:
    """A remapped key must not already do something else on the same screen: Textual would
    keep one of the two silently."""
    from outlook_tui.config import ConfigError

    for cls in keyed_classes():
        owner: dict[str, str] = {}
        for binding in own_bindings(cls):
            if not binding.id:
                continue
            keyed = KeyedBinding(title(cls), binding)
            for key in keyed.keys(config.keymap):
                other = owner.setdefault(_normal(key), binding.id)
                if other != binding.id:
                    remapped = binding.id if binding.id in config.keymap else other
                    taken = other if remapped == binding.id else binding.id
                    raise ConfigError(f"{config.where('keymap.' + remapped)}: {key!r} already "
                                      f"does {taken} on the same screen ({title(cls)})")


def _normal(key: str) -> str:
    from textual.keys import _character_to_key

    return _character_to_key(key) if len(key) == 1 else key


__all__ = ["KeyedBinding", "all_bindings", "binding_ids", "check_config", "keyed_classes",
           "own_bindings", "title"]
