"""Counts in plain English: "1 setting", "2 settings", "100,000 organizations"."""

from __future__ import annotations


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """``count`` with the noun agreeing: ``counted(1, "change")`` -> ``"1 change"``."""
    noun = singular if count == 1 else (plural or singular + "s")
    return f"{count:,} {noun}"
