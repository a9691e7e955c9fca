"""A value stored in Oro's database that outlook-tui cannot accept (out of range, an unknown
choice, text that is no whole number, a type other than ``scalar``): shown with its row, never
silently replaced (see :mod:`outlook_tui.store.oro.encoding`)."""

from __future__ import annotations

from dataclasses import dataclass

from outlook_tui.text import quoted


@dataclass(frozen=True, slots=True)
class DamagedValue:
    #: The ``oro_config_value`` row holding it.
    row_id: int
    #: None: the system scope.
    organization_id: int | None
    organization_name: str | None
    #: The setting's name in the catalog, and its key as Oro names it.
    name: str
    key: str
    text_value: str | None
    type: str
    #: Why it is not accepted, in the catalog's words.
    reason: str

    @property
    def scope(self) -> tuple[int | None, str]:
        """(organization id or None, setting name): where it is stored."""
        return (self.organization_id, self.name)

    @property
    def stored(self) -> str:
        """What is stored and where: ``'90000' (oro_config_value row 17): <reason>``."""
        text = "NULL" if self.text_value is None else quoted(self.text_value)
        return f"{text} (oro_config_value row {self.row_id}): {self.reason}"

    def same_row(self, other: DamagedValue) -> bool:
        """Still the row as it was shown (not rewritten meanwhile)."""
        return (self.row_id, self.text_value, self.type) == (other.row_id, other.text_value,
                                                             other.type)
