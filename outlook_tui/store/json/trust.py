"""Whether to trust a store file at all, and whether we may write it."""

from __future__ import annotations

import os
import pwd
import stat
from pathlib import Path

from outlook_tui.store.errors import UnsafeStoreError


def check_safe(path: Path) -> None:
    """Refuse a store we should not trust (git's "dubious ownership", adapted to shared stores):
    a symbolic link, a file anyone may write, or one owned by a user who is neither us, root,
    nor sharing a group with us."""
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
        raise UnsafeStoreError(f"{path} is not a regular file")
    if st.st_mode & stat.S_IWOTH:
        raise UnsafeStoreError(
            f"{path} is writable by every user (mode {stat.filemode(st.st_mode)}); refusing to "
            f"trust it. Fix with: chmod o-w {path}"
        )
    me = os.getuid()
    if st.st_uid not in (me, 0) and st.st_gid not in os.getgroups() and st.st_gid != os.getgid():
        try:
            owner = pwd.getpwuid(st.st_uid).pw_name
        except KeyError:
            owner = f"uid {st.st_uid}"
        raise UnsafeStoreError(
            f"{path} is owned by {owner}, who shares no group with you; refusing to trust it "
            "(dubious ownership). To share a store, give it a group you both belong to "
            "(see README: Sharing one store)."
        )


def why_not_writable(path: Path) -> str | None:
    directory = path.parent
    if path.exists() and not os.access(path, os.W_OK):
        return f"you cannot write {path} (permissions)"
    if directory.exists() and not os.access(directory, os.W_OK | os.X_OK):
        return f"you cannot write in {directory} (permissions)"
    return None
