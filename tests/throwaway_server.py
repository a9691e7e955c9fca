"""What every throwaway database server of the tests shares (tests/postgres/server.py,
tests/mysql/server.py): its own temp dir that only the tests' user (and the server's) reaches,
written down as a claim the moment it exists, so that a killed run's server is swept at the next
start (tests/sweep.py); its programs found on PATH or where Debian puts them; set-up commands run
with a bound and their output (and the server's log) in the error; stopped and removed at the
end, as a context.
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import shutil
import subprocess
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar, TypeVar
from urllib.parse import quote

from tests.sweep import claim, release

#: How long a set-up command, a start or a stop may take before the test session fails.
#: A bound, not an expectation: a loaded machine may start a server slowly.
WAIT_SECONDS = 180.0

Server = TypeVar("Server", bound="ThrowawayServer")


def find_bin(name: str, *folders: str) -> str | None:
    """``name`` on PATH, else in the first of ``folders`` (glob patterns) that has it, the
    highest version first where a pattern matches several (``/usr/lib/postgresql/*/bin``)."""
    def version(path: str) -> list[int]:
        return [int(number) for number in re.findall(r"\d+", path)]

    found = shutil.which(name)
    if found:
        return found
    for folder in folders:
        candidates = sorted(glob.glob(os.path.join(folder, name)), key=version, reverse=True)
        if candidates:
            return candidates[0]
    return None


def find_bins(*names: str, folders: tuple[str, ...], package: str) -> list[str]:
    """Each of ``names`` (see :func:`find_bin`); none missing, or an error naming the package
    that brings them."""
    found = [find_bin(name, *folders) for name in names]
    if None in found:
        raise RuntimeError(f"{'/'.join(names)} not found (PATH, {', '.join(folders)}): "
                           f"`make test` installs Debian's {package} package")
    return [path for path in found if path is not None]


def credentials(user: str, password: str | None) -> str:
    """The ``user[:password]`` part of a URI, quoted."""
    who = quote(user, safe="")
    return who if password is None else f"{who}:{quote(password, safe='')}"


class ThrowawayServer(ABC):
    """One server of the tests in a temp dir of its own (``data/`` and ``server.log`` there)."""

    #: The start of its temp dir's name.
    PREFIX: ClassVar[str]

    def __init__(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix=self.PREFIX))
        # The server trusts every local connection: only its user and root may reach it.
        os.chmod(self.directory, 0o700)
        self._claim = claim(directory=self.directory)
        self.data = self.directory / "data"
        self.log = self.directory / "server.log"
        #: The OS user the server's commands run as (None: the tests' own).
        self.run_as: str | None = None

    @abstractmethod
    def start(self) -> None:
        """Make the data dir and start the server; ready for connections on return."""

    @abstractmethod
    def halt(self) -> None:
        """End the server's processes."""

    def stop(self) -> None:
        """End the server, remove its dir and its claim."""
        self.halt()
        shutil.rmtree(self.directory, ignore_errors=True)
        release(self._claim)

    def tail(self) -> str:
        """The end of the server's log, for an error message."""
        return self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""

    def run(self, command: list[str]) -> None:
        """Run a set-up command (as :attr:`run_as`); an error with its output if it fails."""
        if self.run_as is not None:
            command = ["runuser", "-u", self.run_as, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, cwd="/", check=False,
                                timeout=WAIT_SECONDS)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}):\n"
                               f"{result.stdout}{result.stderr}{self.tail()}")

    @classmethod
    @contextlib.contextmanager
    def running(cls: type[Server]) -> Iterator[Server]:
        """A started server, stopped and removed when the block ends."""
        server = cls()
        try:
            server.start()
            yield server
        finally:
            server.stop()
