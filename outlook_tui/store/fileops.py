"""The file-system steps of a save, one method each, so tests can fail any of them.

Fault tests replace an instance's method with one raising ``OSError(ENOSPC, ...)`` and check that
the previous store survives byte for byte.
"""

from __future__ import annotations

import os
from pathlib import Path

from outlook_tui.store.beside import Sharing, open_file


class FileOps:
    def write(self, fd: int, data: bytes) -> None:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]

    def fsync(self, fd: int) -> None:
        os.fsync(fd)

    def replace(self, source: Path, target: Path) -> None:
        os.replace(source, target)

    def fsync_directory(self, directory: Path) -> None:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def append(self, path: Path, data: bytes, sharing: Sharing | None = None) -> None:
        """Append to the history: one write of whole lines, then fsync. The history is never
        a link, a FIFO or a file with other hard links (:func:`~.beside.open_file`)."""
        fd = open_file(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, sharing=sharing)
        try:
            self.write(fd, data)
            self.fsync(fd)
        finally:
            os.close(fd)
