"""The files beside a store (lock, history, backups, corrupt copies): opened so that nothing is
followed, written through or hung on, and created with the mode and group of the store's
directory (not the umask of whoever happens to save first).

A symbolic link could point a write anywhere; a hard link would make a write change another
file too; a FIFO would hang a reader; a directory or a device is not a file to write. Each is
refused with :class:`RefusedFile`, an ``OSError`` so that a save's undo path handles it like any
other failed write, with a message naming the file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from outlook_tui.store.errors import StoreError


class RefusedFile(OSError, StoreError):
    """A file beside the store that is not what it must be; ``strerror`` names it and why. An
    OSError for a save's undo path, a StoreError for whoever reports it (exit 1, a message)."""

    def __str__(self) -> str:
        return str(self.strerror)


def kind_of(mode: int) -> str:
    """What a file is, in words, for a message."""
    for test, words in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                        (stat.S_ISLNK, "a symbolic link"), (stat.S_ISSOCK, "a socket"),
                        (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                        (stat.S_ISREG, "a regular file")):
        if test(mode):
            return words
    return "not a regular file"


@dataclass(frozen=True, slots=True)
class Sharing:
    """Modes and group for what is created in one directory, derived from that directory."""

    file_mode: int
    directory_mode: int
    group: int  # -1: leave the group the system gives

    @classmethod
    def of(cls, directory: Path) -> Sharing:
        """Group-writable when the directory is (the README's shared set-up), readable by
        others when the directory is, never writable by others; the directory's group when it
        is setgid."""
        try:
            st = os.stat(directory)
        except OSError:
            return cls(0o600, 0o700, -1)
        bits = st.st_mode
        mode = 0o600
        if bits & stat.S_IWGRP:
            mode |= 0o060
        elif bits & stat.S_IRGRP:
            mode |= 0o040
        if bits & stat.S_IROTH:
            mode |= 0o004
        directory_mode = mode | (mode & 0o444) >> 2  # x wherever r: a folder one may list
        if bits & stat.S_ISGID:
            return cls(mode, directory_mode | stat.S_ISGID, st.st_gid)
        return cls(mode, directory_mode, -1)

    def apply(self, fd: int, *, is_directory: bool = False, group: int = -1) -> None:
        """Give a file (or directory) we created its shared mode and group. ``group``: a group
        to keep (the replaced file's) when the directory does not impose one."""
        wanted = self.group if self.group != -1 else group
        if wanted != -1 and wanted != os.fstat(fd).st_gid:
            with contextlib.suppress(OSError):  # only a group we belong to: fine to fail
                os.fchown(fd, -1, wanted)
        os.fchmod(fd, self.directory_mode if is_directory else self.file_mode)


def open_file(path: Path, flags: int, *, sharing: Sharing | None = None,
              links_allowed: bool = False) -> int:
    """Open a regular file beside the store; with ``os.O_CREAT`` in ``flags``, create it with
    ``sharing``'s mode and group if it is missing. Never follows a symbolic link, never blocks
    on a FIFO; refuses anything but a regular file, and one with other hard links unless
    ``links_allowed``. The caller closes the descriptor."""
    flags |= os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    created = False
    try:
        if flags & os.O_CREAT:
            try:
                fd = os.open(path, flags | os.O_EXCL, 0o600)
                created = True
            except FileExistsError:
                fd = os.open(path, flags & ~os.O_CREAT)
        else:
            fd = os.open(path, flags)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise RefusedFile(errno.ELOOP, f"{path} is a symbolic link; refusing to follow "
                                           "it (a link can point a write anywhere)") from None
        if error.errno in (errno.EISDIR, errno.ENXIO, errno.ENODEV):
            kind = "a directory" if error.errno == errno.EISDIR else "not a regular file"
            with contextlib.suppress(OSError):
                kind = kind_of(os.lstat(path).st_mode)
            raise RefusedFile(error.errno, f"{path} is {kind}, not a regular file; refusing "
                                           "to use it") from None
        raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise RefusedFile(errno.EINVAL, f"{path} is {kind_of(st.st_mode)}, not a regular "
                                            "file; refusing to use it")
        if st.st_nlink > 1 and not links_allowed:
            raise RefusedFile(errno.EMLINK, f"{path} has {st.st_nlink} hard links (writing it "
                                            "would change another file too); refusing to use "
                                            "it: remove the extra links")
        if created and sharing is not None:
            sharing.apply(fd)
    except BaseException:
        os.close(fd)
        raise
    return fd


def real_directory(path: Path, *, create: Sharing | None = None) -> int:
    """Open a directory beside the store (the backups folder) without following a link, making
    it with ``create``'s mode and group when missing. Returns a descriptor for ``dir_fd``
    operations, so that nothing inside is reached through a path someone could swap."""
    if create is not None:
        try:
            os.mkdir(path, 0o700)
        except FileExistsError:
            pass
        else:
            fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
            create.apply(fd, is_directory=True)
            os.close(fd)
    try:
        return os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError as error:
        if error.errno in (errno.ELOOP, errno.ENOTDIR):
            kind = "not a directory"
            with contextlib.suppress(OSError):
                kind = kind_of(os.lstat(path).st_mode)
            raise RefusedFile(error.errno, f"{path} is {kind}, not a real directory; refusing "
                                           "to use it") from None
        raise
