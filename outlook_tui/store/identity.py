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
    """The SSH client's address and port (``203.0.113.7:52144``, ``[2001:db8::7]:52144``): with
    the port, the entry names one connection, the one sshd logs as "from ADDRESS port PORT"."""
    for variable in ("SSH_CLIENT", "SSH_CONNECTION"):
        fields = os.environ.get(variable, "").split()
        if not fields:
            continue
        address = f"[{fields[0]}]" if ":" in fields[0] else fields[0]
        return f"{address}:{fields[1]}" if len(fields) > 1 else address
    return None
