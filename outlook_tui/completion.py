"""Shell completion (argcomplete): setting keys, each key's values, organization names.

argcomplete runs the command line itself with the words typed so far and calls these completers;
subcommands and options it completes from the parser. A completer must be quick and must never
change anything: organization names are read from the store file as it is, and a path that
holds no store gives no names (it is not created).
"""

from __future__ import annotations

import argparse
import os
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

from outlook_tui.catalog import CATALOG, SettingType, lookup

Completer = Callable[..., list[str]]


def _matching(prefix: str, candidates: Iterable[str]) -> list[str]:
    return [c for c in candidates if c.startswith(prefix)]


def keys(prefix: str = "") -> list[str]:
    """The short keys (``tasks_enabled``), or the full ones once the prefix starts like one."""
    full = [s.key for s in CATALOG]
    if any(k.startswith(prefix) for k in full) and "." in prefix:
        return _matching(prefix, full)
    return _matching(prefix, [s.name for s in CATALOG])


def values(key: str, prefix: str = "") -> list[str]:
    """The values a key takes, as stored (``Both``, ``true``); none for a range of numbers."""
    try:
        setting = lookup(key)
    except KeyError:
        return []
    if setting.type is SettingType.BOOLEAN:
        return _matching(prefix, ["true", "false"])
    if setting.type is SettingType.CHOICE:
        return _matching(prefix, [c.value for c in setting.choices])
    return []


def _is_key(word: str) -> bool:
    try:
        lookup(word)
    except KeyError:
        return False
    return True


def _typeable(name: str) -> bool:
    """A name a person could type at a prompt: no control or format characters."""
    return not any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in name)


def organization_names(parsed_args: argparse.Namespace, prefix: str = "") -> list[str]:
    """Names in the store the command would open, read without locking, validating or creating
    anything (a missing file, a database URI or an unreadable file: no names)."""
    import orjson

    from outlook_tui.paths import resolve_store_path
    from outlook_tui.store.factory import store_location

    location = store_location(getattr(parsed_args, "store", None))
    if location is not None and "://" in location:
        return []  # no database connection for a key press
    path = resolve_store_path(location)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK)
    except OSError:
        return []
    try:
        with os.fdopen(fd, "rb") as file:
            document = orjson.loads(file.read())
    except (OSError, orjson.JSONDecodeError):
        return []
    records = document.get("organizations") if isinstance(document, dict) else None
    if not isinstance(records, list):
        return []
    folded = prefix.casefold()
    names = [r["name"] for r in records
             if isinstance(r, dict) and isinstance(r.get("name"), str)]
    # Case-insensitive: `acm<Tab>` finds "Acme", as names are unique ignoring case.
    return [n for n in names if n.casefold().startswith(folded) and _typeable(n)]


def complete_organization(prefix: str, parsed_args: argparse.Namespace,
                          **_: Any) -> list[str]:
    return organization_names(parsed_args, prefix)


def complete_where(prefix: str, **_: Any) -> list[str]:
    """``--where KEY=VALUE``: the key, then its values."""
    key, sep, typed = prefix.partition("=")
    if not sep:
        return [f"{k}=" for k in keys(key)]
    return [f"{key}={v}" for v in values(key, typed)]


def complete_targets(prefix: str, parsed_args: argparse.Namespace, action: argparse.Action,
                     **_: Any) -> list[str]:
    """The words of ``set [ORG ...] KEY VALUE`` and ``reset [ORG ...] KEY``: organizations,
    then a key, then (for set) the key's values."""
    words: list[str] = list(getattr(parsed_args, "words", None) or [])
    takes_value = action.dest == "words" and parsed_args.func.__name__ == "cmd_set"
    if words and _is_key(words[-1]):
        if takes_value:
            return values(words[-1], prefix)
        return []
    scoped = bool(getattr(parsed_args, "system", False) or getattr(parsed_args, "all_orgs", False)
                  or getattr(parsed_args, "where", None))
    if scoped:
        return keys(prefix) if not words else []
    found = organization_names(parsed_args, prefix)
    if words:
        found += keys(prefix)
    return found


def never_shorter(prefix: str, candidates: list[str]) -> list[str]:
    """The candidates to offer for ``prefix`` without the shell shortening what was typed.

    Names match ignoring case (``acm`` finds "Acme"), but bash replaces the word with the
    candidates' common beginning: "Acme" and "ACME Research" for ``Acme`` would leave ``A``.
    So the candidates spelled as typed win; failing those, candidates that ignore case are
    offered only when they all spell the typed part alike (the word then changes case, never
    length); otherwise none: type the case to tell them apart."""
    exact = [c for c in candidates if c.startswith(prefix)]
    if exact or not prefix:
        return exact
    spellings = {c[:len(prefix)] for c in candidates}
    return candidates if len(spellings) == 1 else []


def attach(action: argparse.Action, completer: Completer) -> None:
    """Give an argument its completer (argcomplete reads the ``completer`` attribute)."""
    action.completer = completer  # type: ignore[attr-defined]


__all__ = ["attach", "complete_organization", "complete_targets", "complete_where",
           "keys", "never_shorter", "organization_names", "values"]
