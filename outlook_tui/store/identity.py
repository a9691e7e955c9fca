"""Who is making a change: the OS account (from the uid, which a user cannot fake by setting an
environment variable) and, over SSH, the client's address."""

from __future__ import annotations

import os
import pwd


def current_user() -> str:
    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except KeyError:
        return f"uid {os.getuid()}"


def ssh_client() -> str | None:
    for variable in ("SSH_CLIENT", "SSH_CONNECTION"):
        value = os.environ.get(variable, "").split()
        if value:
            return value[0]
    return None
