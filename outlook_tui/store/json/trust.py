"""Whether to trust a store file at all, and whether we may write it."""

from __future__ import annotations

import os
import pwd
import stat
from pathlib import Path

from outlook_tui.store.beside import kind_of
from outlook_tui.store.errors import UnsafeStoreError


def check_safe(path: Path) -> None:
    """Refuse a store we should not trust (git's "dubious ownership", adapted to shared stores):
    a symbolic link, a file anyone may write, or one nobody we trust can have written.

    Trusted: a file owned by us or root, or whose group is one of ours (a fellow admin's), or
    one in a shared directory: owned by us or root, writable by nobody but its owner and its
    group, and the file in that group. The last is how support staff outside the admins' group
    read the README's shared store, whoever of the admins saved last (saving replaces the file,
    so its owner changes): only that group can have put a file there.
    """
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(st.st_mode):
        raise UnsafeStoreError(
            f"{path} is a symbolic link; refusing to open it (a link can point a write anywhere). "
            f"Use the real path: --store {os.path.realpath(path)}"
        )
    if not stat.S_ISREG(st.st_mode):
        raise UnsafeStoreError(f"{path} is {kind_of(st.st_mode)}, not a regular file; refusing "
                               "to open it")
    if st.st_mode & stat.S_IWOTH:
        raise UnsafeStoreError(
            f"{path} is writable by every user (mode {stat.filemode(st.st_mode)}); refusing to "
            f"trust it. Fix with: chmod o-w {path}"
        )
    me = os.getuid()
    mine = st.st_uid in (me, 0) or st.st_gid in os.getgroups() or st.st_gid == os.getgid()
    if mine or _in_shared_directory(path.parent, st):
        return
    try:
        owner = pwd.getpwuid(st.st_uid).pw_name
    except KeyError:
        owner = f"uid {st.st_uid}"
    raise UnsafeStoreError(
        f"{path} is owned by {owner}, who shares no group with you, in a directory not kept by "
        "you or root; refusing to trust it (dubious ownership). To share a store, give it a "
        "group you both belong to (see README: Sharing one store)."
    )


def _in_shared_directory(directory: Path, file: os.stat_result) -> bool:
    try:
        st = os.stat(directory)
    except OSError:
        return False
    return (st.st_uid in (os.getuid(), 0) and not st.st_mode & stat.S_IWOTH
            and st.st_gid == file.st_gid)


def why_not_writable(path: Path) -> str | None:
    directory = path.parent
    if path.exists() and not os.access(path, os.W_OK):
        return f"you cannot write {path} (permissions)"
    if directory.exists() and not os.access(directory, os.W_OK | os.X_OK):
        return f"you cannot write in {directory} (permissions)"
    return None
