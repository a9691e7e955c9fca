"""Whether a file may give a command to run, as OpenSSH's ``StrictModes`` decides for
``authorized_keys``: nobody but you (or root) can have written it.

The file must be owned by the user running outlook-tui or by root, and not writable by its
group or others; so must every directory from the file's up to your home directory (when the
file is inside it) or up to ``/``. A directory others may write is accepted when it is sticky
(``/tmp``) and the entry below it on the path is yours or root's: the sticky bit keeps others
from renaming or removing that entry. Symbolic links are followed first: the real file and its
real directories are what is checked.
"""

from __future__ import annotations

import os
import pwd
import stat
from pathlib import Path

_OTHERS_WRITE = stat.S_IWGRP | stat.S_IWOTH


def _name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def _home(uid: int) -> Path | None:
    try:
        return Path(os.path.realpath(pwd.getpwuid(uid).pw_dir))
    except KeyError:
        return None


def why_untrusted(path: Path, opened: os.stat_result, *, what: str,
                  uid: int | None = None) -> str | None:
    """Why ``path`` (read as ``opened``, the ``fstat`` of the file read) cannot be trusted to
    give a command, naming the file or directory, its owner and mode, and the fix; ``None``
    when it can. ``what`` names what the file gives ("after_save_command")."""
    uid = os.geteuid() if uid is None else uid
    trusted = {uid, 0}
    real = Path(os.path.realpath(path))
    refused = f"{what} is not run:"
    you = f"you ({_name(uid)})" if uid else "root"
    owners = f"{you} or root" if uid else "root"
    try:
        now = os.lstat(real)
    except OSError as error:
        return f"{refused} {real}: cannot be checked: {error.strerror}"
    if (now.st_dev, now.st_ino) != (opened.st_dev, opened.st_ino):
        return f"{refused} {path} was replaced while it was read"
    if opened.st_uid not in trusted:
        return (f"{refused} {real} is owned by {_name(opened.st_uid)}, not by {owners}; "
                f"a file someone else can write must not choose what runs as {you}")
    if opened.st_mode & _OTHERS_WRITE:
        return (f"{refused} {real} is writable by others (mode {stat.filemode(opened.st_mode)}"
                f"); fix with: chmod go-w {real}")
    home = _home(uid)
    top = home if home is not None and real.is_relative_to(home) else Path("/")
    below = opened
    for directory in real.parents:
        try:
            st = os.stat(directory)
        except OSError as error:
            return f"{refused} {directory}: cannot be checked: {error.strerror}"
        if st.st_uid not in trusted:
            return (f"{refused} the directory {directory} is owned by {_name(st.st_uid)}, not "
                    f"by {owners}: its owner can replace {real}")
        sticky = bool(st.st_mode & stat.S_ISVTX) and below.st_uid in trusted
        if st.st_mode & _OTHERS_WRITE and not sticky:
            return (f"{refused} the directory {directory} is writable by others (mode "
                    f"{stat.filemode(st.st_mode)}): anyone can replace {real} there; fix with: "
                    f"chmod go-w {directory}")
        if directory == top:
            break
        below = st
    return None


__all__ = ["why_untrusted"]
