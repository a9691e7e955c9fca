"""One setting's value as Oro stores it in ``oro_config_value``, and back (pure, no I/O).

Written exactly as Oro's ConfigManager writes a scalar through Doctrine (shared/oro-reference.md,
"Oro's own storage"):

==================  ============  ========  ==============================
value               text_value    type      object_value, array_value
==================  ============  ========  ==============================
choice ``Both``     ``'Both'``    scalar    ``'Tjs='`` each
integer 120         ``'120'``     scalar    ``'Tjs='``
boolean true        ``'1'``       scalar    ``'Tjs='``
boolean false       ``''``        scalar    ``'Tjs='``
==================  ============  ========  ==============================

``'Tjs='`` is base64 of PHP's ``serialize(null)`` (``N;``). Read back as Oro reads it: ``(int)``
and ``(bool)`` casts, plus Oro 6's ``'false'``, ``'no'``, ``'off'``. A stored value this tool
cannot accept (out of range, an unknown choice, text that is no whole number, a type other than
``scalar``) is :class:`Damaged`: reported with its row, never silently replaced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from outlook_tui.catalog import Setting, SettingType, Value

#: base64 of PHP's serialize(null): what Oro writes into the unused columns of a scalar.
SERIALIZED_NULL = "Tjs="
SCALAR = "scalar"

_FALSE_TEXTS = frozenset({"", "0", "false", "no", "off"})
# PHP's (int) cast accepts leading whitespace and a sign; anything else after the digits is
# dropped silently by PHP, which is exactly what we refuse to guess about.
_INTEGER = re.compile(r"[ \t\n\r\v\f]*[+-]?[0-9]+")


@dataclass(frozen=True, slots=True)
class Encoded:
    """The columns of one ``oro_config_value`` row that carry the value."""

    text_value: str | None
    type: str
    object_value: str | None = SERIALIZED_NULL
    array_value: str | None = SERIALIZED_NULL


class Damaged(ValueError):
    """A stored value outlook-tui cannot accept; ``str()`` says why, in the catalog's words."""


def encode(setting: Setting, value: Value) -> Encoded:
    """The row Oro's own settings page writes for ``value`` (checked against the catalog)."""
    checked = setting.check(value)
    if setting.type is SettingType.BOOLEAN:
        text = "1" if checked else ""
    elif setting.type is SettingType.INTEGER:
        text = str(int(checked))
    else:
        text = str(checked)
    return Encoded(text, SCALAR)


def decode(setting: Setting, text_value: str | None, type_: str) -> Value:
    """The value Oro reads from a row, or :class:`Damaged` when outlook-tui cannot accept it."""
    if type_ != SCALAR:
        raise Damaged(f"stored as type {type_!r}, not 'scalar'")
    if setting.type is SettingType.BOOLEAN:
        # (bool) of PHP: '' and '0' are false; Oro 6 also reads 'false', 'no', 'off' as false.
        return (text_value or "").strip().casefold() not in _FALSE_TEXTS
    if text_value is None:
        raise Damaged(f"no value (NULL); must be {setting.allowed}")
    if setting.type is SettingType.INTEGER:
        if _INTEGER.fullmatch(text_value) is None:
            raise Damaged(f"{text_value!r} is not a whole number; must be {setting.allowed}")
        number = int(text_value)
        assert setting.minimum is not None and setting.maximum is not None
        if not setting.minimum <= number <= setting.maximum:
            raise Damaged(f"{number} is out of range; must be {setting.allowed}")
        return number
    if not any(choice.value == text_value for choice in setting.choices):
        raise Damaged(f"{text_value!r} is not a known choice; must be {setting.allowed}")
    return text_value
