"""PostgreSQL's change token: the section's and the organizations' row counts and the sums of
their rows' xmin (see :meth:`.dialect.PostgresDialect.change_token`)."""

from __future__ import annotations

from outlook_tui.store.oro.sql import QueriedToken, SavedRows, Session


class XminToken(QueriedToken):
    def after_save(self, session: Session, base: tuple[int, ...] | None, save: SavedRows,
                   ) -> tuple[int, ...] | None:
        """The base's token with our rows' count and xmin (our transaction id) swapped in."""
        if base is None:
            return None
        xid = int(session.rows(self.sql.transaction_id())[0][0])
        count, xmin_sum, org_count, org_sum = base
        return (count + save.inserted - save.deleted,
                xmin_sum - sum(save.replaced.values()) + xid * (save.updated + save.inserted),
                org_count, org_sum)
