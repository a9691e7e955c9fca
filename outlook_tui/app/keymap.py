"""Key bindings read from the classes that declare them, in the order a person meets them:
what Help lists, what the README documents, and what a ``[keymap]`` may remap.

Read from the classes' own ``BINDINGS`` at run time (no source files needed); the keys shown are
the ones in force, after the user's keymap. Which classes those are is the app's to say
(:func:`outlook_tui.app.app.keyed_classes`): this module imports none of them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from textual.binding import Binding, BindingType
from textual.dom import DOMNode

from outlook_tui.config import Config


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


#: The classes whose bindings count, in the order Help lists them.
Classes = Sequence[type[DOMNode]]


def all_bindings(classes: Classes) -> list[KeyedBinding]:
    return [KeyedBinding(title(cls), binding)
            for cls in classes for binding in own_bindings(cls)]


def binding_ids(classes: Classes) -> set[str]:
    return {kb.binding.id for kb in all_bindings(classes) if kb.binding.id}


def check_config(config: Config, classes: Classes) -> None:
    """Refuse (ConfigError) a keymap naming a binding none of ``classes`` has, or a theme
    Textual does not have."""
    if config.keymap:
        config.check(binding_ids=binding_ids(classes))
        _refuse_clashes(config, classes)
    if config.theme is not None:
        from textual.theme import BUILTIN_THEMES

        config.check(themes=BUILTIN_THEMES)


def _refuse_clashes(config: Config, classes: Classes) -> None:
    """A remapped key must not already do something else on the same screen, nor shadow a key
    of the whole app (ctrl+q, f1): Textual would keep one of the two silently. Overlaps the
    defaults have on purpose (f1 closes Help) are left alone."""
    from textual.app import App

    from outlook_tui.config import ConfigError

    def keys_of(cls: type) -> list[tuple[str, str, bool]]:
        """(key, binding id, whether the keymap gave it) for each key in force."""
        found = []
        for binding in own_bindings(cls):
            if not binding.id:
                continue
            defaults = {key_name(key.strip()) for key in binding.key.split(",")}
            for key in KeyedBinding(title(cls), binding).keys(config.keymap):
                found.append((key_name(key), binding.id, key_name(key) not in defaults))
        return found

    everywhere = [k for cls in classes if issubclass(cls, App) for k in keys_of(cls)]
    for cls in classes:
        owner: dict[str, tuple[str, bool]] = {}
        for key, binding_id, given in ([] if issubclass(cls, App) else everywhere) + keys_of(cls):
            other, other_given = owner.setdefault(key, (binding_id, given))
            if other == binding_id or not (given or other_given):
                continue
            remapped, taken = (binding_id, other) if given else (other, binding_id)
            raise ConfigError(f"{config.where('keymap.' + remapped)}: {key!r} already does "
                              f"{taken} on the same screen ({title(cls)})")


def key_name(key: str) -> str:
    """A key as bindings name it: ``?`` is ``question_mark``, ``/`` is ``slash`` (Unicode's
    name, with Textual's friendlier replacements)."""
    from textual.keys import KEY_NAME_REPLACEMENTS

    if len(key) != 1 or key.isalnum():
        return key
    try:
        name = unicodedata.name(key).lower().replace("-", "_").replace(" ", "_")
    except ValueError:
        return key  # a control character: no binding is named by one
    return KEY_NAME_REPLACEMENTS.get(name, name)


__all__ = ["Classes", "KeyedBinding", "all_bindings", "binding_ids", "check_config", "key_name",
           "own_bindings", "title"]
