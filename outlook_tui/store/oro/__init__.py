"""What Oro's SQL databases share (PostgreSQL, MySQL): Oro's value encoding, reading, the save
and its steps, the history table's rows, connection handling and the error mapping, the
command run after a save. A database is one more folder beside this one (``store/postgres/``):
its :mod:`~outlook_tui.store.oro.sql` dialect, driver and change token, and a thin store class
on :class:`~outlook_tui.store.oro.store.OroStore`.
"""
