"""Who made a change: over SSH, the history names the client's address and port (one
connection, as sshd logs it)."""

import pytest

from outlook_tui.store.identity import ssh_client


@pytest.mark.parametrize(("variable", "value", "expected"), [
    ("SSH_CLIENT", "203.0.113.7 52144 22", "203.0.113.7:52144"),
    ("SSH_CONNECTION", "203.0.113.7 52144 198.51.100.1 22", "203.0.113.7:52144"),
    ("SSH_CLIENT", "2001:db8::7 52144 22", "[2001:db8::7]:52144"),
])
def test_the_ssh_client_is_its_address_and_port(monkeypatch: pytest.MonkeyPatch, variable: str,
                                                value: str, expected: str) -> None:
    monkeypatch.delenv("SSH_CLIENT", raising=False)
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    monkeypatch.setenv(variable, value)
    assert ssh_client() == expected


def test_outside_ssh_there_is_no_client(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SSH_CLIENT", raising=False)
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    assert ssh_client() is None
