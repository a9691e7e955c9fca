"""MySQL's change token: count and checksum of the section's value rows, then of the
organizations' rows (:meth:`.dialect.MySQLDialect.change_token`).

MySQL has no ``xmin``: the checksum is the sum of CRC32 over every column of each row, so a
DBA's UPDATE that leaves ``updated_at`` alone is noticed, and so is a row deleted and another
inserted with the same count. Its cost per check at 100k organizations is in
benchmarks/results.md: the app's watch pays it; a save does not (it sums only the scopes it
saved, :meth:`ChecksumToken.after_save`).
"""

from __future__ import annotations

from outlook_tui.store.oro.sql import QueriedToken, SavedRows, Session


class ChecksumToken(QueriedToken):

    def after_save(self, session: Session, base: tuple[int, ...] | None, save: SavedRows,
                   ) -> tuple[int, ...] | None:
        """The base's token with the saved scopes' rows as read under the lock swapped for
        those scopes' rows now (the lock kept everyone else out of them)."""
        if base is None:
            return None
        count, checksum, org_count, org_checksum = base
        now_count, now_checksum = session.rows(self.sql.scopes_token(save.scopes))[0]
        return (count - len(save.locked) + int(now_count),
                checksum - sum(save.locked.values()) + int(now_checksum),
                org_count, org_checksum)
