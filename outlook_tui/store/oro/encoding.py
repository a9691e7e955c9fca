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
casts for integers. A boolean is read only from the texts every Oro version reads alike (``''``,
``'0'``, ``'1'``, NULL): Oro up to 5.0 reads any other non-empty text as true, 5.1+ reads
``'false'``, ``'no'``, ``'off'``, ``'2'``, ``'abc'`` as false, so what such a row means depends on
the Oro at hand. A stored value this tool cannot accept (out of range, an unknown choice, text
that is no whole number, a boolean text other than those four, a type other than ``scalar``) is
:class:`Damaged`: reported with its row, never silently replaced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from outlook_tui.catalog import Setting, SettingType, Value
from outlook_tui.text import quoted

#: base64 of PHP's serialize(null): what Oro writes into the unused columns of a scalar.
SERIALIZED_NULL = "Tjs="
SCALAR = "scalar"

#: The boolean texts every Oro version reads alike (NULL too, as false).
_BOOLEAN_TEXTS = {"": False, "0": False, "1": True}
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
        if text_value is None:
            return False
        known = _BOOLEAN_TEXTS.get(text_value)
        if known is None:
            raise Damaged(_boolean_reason(text_value))
        return known
    if text_value is None:
        raise Damaged(f"no value (NULL); must be {setting.allowed}")
    if setting.type is SettingType.INTEGER:
        if _INTEGER.fullmatch(text_value) is None:
            raise Damaged(f"{quoted(text_value)} is not a whole number; must be "
                          f"{setting.allowed}")
        # Measured before int(): Python reads at most 4,300 digits. Leading zeros are read as
        # PHP's (int) reads them (no digit more).
        sign = "-" if text_value.strip().startswith("-") else ""
        digits = text_value.strip().lstrip("+-").lstrip("0") or "0"
        if len(digits) > 20:
            raise Damaged(f"a number of {len(digits):,} digits is out of range; must be "
                          f"{setting.allowed}")
        number = int(sign + digits)
        assert setting.minimum is not None and setting.maximum is not None
        if not setting.minimum <= number <= setting.maximum:
            raise Damaged(f"{number} is out of range; must be {setting.allowed}")
        return number
    if not any(choice.value == text_value for choice in setting.choices):
        raise Damaged(f"{quoted(text_value)} is not a known choice; must be {setting.allowed}")
    return text_value


def _boolean_reason(text: str) -> str:
    """Why a boolean text is refused: what each Oro version would make of it."""
    before = "false" if text == "" else "true"  # PHP's (bool) of a non-empty string
    after = "true" if text.strip().casefold() in {"1", "true", "on", "yes"} else "false"
    if before == after:
        meaning = f"every Oro reads it as {before}, but not as written by Oro's settings page"
    else:
        meaning = f"Oro up to 5.0 reads it as {before}, Oro 5.1+ as {after}"
    return (f"{quoted(text)} is no boolean Oro versions agree on ({meaning}); must be '1' (true) "
            "or '' (false)")
