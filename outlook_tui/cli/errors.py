"""How a command says no: the entry point turns these into a message and an exit status."""

from __future__ import annotations


class Rejected(Exception):
    """Input the command rejects (exit status 1)."""


class Usage(Exception):
    """The command line itself is wrong (exit status 2, with the command's usage)."""
