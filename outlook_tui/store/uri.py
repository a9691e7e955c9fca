"""Database URIs (``--store`` or ``$OUTLOOK_TUI_STORE``): which locations are one, how one splits,
and how it is shown without its secrets. Shared by every database store (PostgreSQL's libpq
URIs, MySQL's ``mysql://``); no driver, no Textual.

``SCHEME://[USER[:PASSWORD]@][HOST[:PORT][,HOST[:PORT]...]][/DBNAME][?NAME=VALUE&...]``

A URI is checked here before any driver sees it, with the rules libpq applies (percent-encoding
``%`` followed by two hex digits, no raw spaces, ``[`` closed by ``]`` around an IPv6 address, a
port of digits), so that the message names what is wrong without quoting the URI: libpq's own
messages quote the part at fault, which may be the password. The shown form (:func:`redact`)
leaves out the password of the user part and the values of ``password`` and ``sslpassword``,
keeps everything else as written and stays a valid URI (``postgresql:///oro?host=/run`` keeps
its empty authority).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

from outlook_tui.store.errors import StoreError

#: The URI schemes of Oro's databases, and the database family each names.
SCHEMES = {"postgresql": "postgresql", "postgres": "postgresql", "mysql": "mysql",
           "mariadb": "mysql"}
#: Query parameters whose value is a secret (libpq's ``password`` and ``sslpassword``).
SECRET_PARAMETERS = frozenset({"password", "sslpassword"})
SHAPE = "SCHEME://USER@HOST[:PORT]/DBNAME, e.g. postgresql://oro@db.example/oro"

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_PORT = re.compile(r"[0-9]{1,5}")


class MalformedURI(StoreError):
    """A database URI that cannot be read; the message names what is wrong, never quoting a
    secret."""


def family(location: str | None) -> str | None:
    """``"postgresql"`` or ``"mysql"`` when ``location`` is a database URI, else None (a path)."""
    if not location:
        return None
    match = _SCHEME.match(location)
    return SCHEMES.get(match.group(1).lower()) if match else None


def is_database_uri(location: str | None) -> bool:
    return family(location) is not None


@dataclass(frozen=True, slots=True)
class DatabaseURI:
    """A database URI split into its parts, each as written (still percent-encoded)."""

    scheme: str
    userinfo: str | None  # USER[:PASSWORD], None without an ``@``
    hosts: str  # HOST[:PORT][,HOST[:PORT]...], possibly empty (a Unix socket)
    path: str | None  # /DBNAME, None without a slash
    query: str | None  # NAME=VALUE&..., None without a ``?``

    @property
    def user(self) -> str | None:
        if self.userinfo is None:
            return None
        return unquote(self.userinfo.partition(":")[0])

    @property
    def password(self) -> str | None:
        """The user part's password, decoded (None when the URI has none there)."""
        if self.userinfo is None or ":" not in self.userinfo:
            return None
        return unquote(self.userinfo.partition(":")[2])

    @property
    def parameters(self) -> list[tuple[str, str]]:
        """The query's parameters, decoded, in order."""
        return [(unquote(name.replace("+", " ")), unquote(value.replace("+", " ")))
                for name, _, value in _pairs(self.query)]

    def secrets(self) -> list[str]:
        """Every secret the URI holds, as written and decoded: for scrubbing messages."""
        found: list[str] = []
        if self.userinfo is not None and ":" in self.userinfo:
            found.append(self.userinfo.partition(":")[2])
        for name, _, value in _pairs(self.query):
            if unquote(name) in SECRET_PARAMETERS:
                found.append(value)
        found += [unquote(s) for s in found]
        return sorted({s for s in found if s}, key=len, reverse=True)

    @property
    def redacted(self) -> str:
        """The URI as shown: without its secrets, everything else as written."""
        who = ""
        if self.userinfo is not None:
            user = self.userinfo.partition(":")[0]
            who = f"{user}@" if user else ""
        text = f"{self.scheme}://{who}{self.hosts}{self.path or ''}"
        if self.query is not None:
            kept = [pair for pair in self.query.split("&")
                    if unquote(pair.partition("=")[0]) not in SECRET_PARAMETERS]
            if kept:
                text += "?" + "&".join(kept)
        return text


def _pairs(query: str | None) -> list[tuple[str, str, str]]:
    return [pair.partition("=") for pair in (query or "").split("&") if pair]


def parse(uri: str) -> DatabaseURI:
    """``uri`` split and checked; :class:`MalformedURI` says what is wrong, and where, without
    quoting the URI (its password may be the part at fault)."""
    match = _SCHEME.match(uri)
    if match is None or match.group(1).lower() not in SCHEMES:
        raise MalformedURI(f"not a database URI: give {SHAPE}")
    scheme = match.group(1)
    rest = uri[match.end():]
    rest, hash_, _ = rest.partition("#")
    if hash_:
        raise MalformedURI(f"a database URI has no #fragment: give {SHAPE}")
    rest, question, query = rest.partition("?")
    authority, slash, database = rest.partition("/")
    userinfo, at, hosts = authority.rpartition("@")
    parts = DatabaseURI(scheme, userinfo if at else None, hosts,
                        slash + database if slash else None, query if question else None)
    for what, text in (("user name", parts.userinfo and parts.userinfo.partition(":")[0]),
                       ("password", parts.userinfo and parts.userinfo.partition(":")[2]),
                       ("host", hosts), ("database name", database),
                       ("query (after ?)", query)):
        if not text:
            continue
        if _BAD_PERCENT.search(text):
            raise MalformedURI(f"the {what} holds a '%' that is not followed by two hex digits "
                               "(write a literal % as %25)")
        if any(c.isspace() or not c.isprintable() for c in text):
            raise MalformedURI(f"the {what} holds a space or an invisible character "
                               "(write a space as %20)")
    for host in hosts.split(",") if hosts else []:
        _check_host(host)
    return parts


def _check_host(host: str) -> None:
    if host.startswith("["):
        address, closed, after = host[1:].partition("]")
        if not closed:
            raise MalformedURI("the host's '[' (an IPv6 address) has no matching ']': give "
                               "postgresql://USER@[::1]:5432/DBNAME")
        if not address:
            raise MalformedURI("the host's '[]' holds no IPv6 address")
        port_text = after[1:] if after.startswith(":") else None
        if after and port_text is None:
            raise MalformedURI("after an IPv6 host's ']' only :PORT may follow")
    else:
        if "[" in host or "]" in host:
            raise MalformedURI("a '[' or ']' in the host is only for an IPv6 address: "
                               "[::1]:5432")
        _, colon, port_text = host.partition(":")
        port_text = port_text if colon else None
    if port_text and not (_PORT.fullmatch(port_text) and 0 < int(port_text) < 65536):
        raise MalformedURI("the port must be a number from 1 to 65535")


def redact(uri: str) -> str:
    """``uri`` without its secrets, still a valid URI; :class:`MalformedURI` when it is none."""
    return parse(uri).redacted


def scrub(text: str, uri: str) -> str:
    """``text`` (a driver's message) with every secret of ``uri`` replaced by ``***``."""
    try:
        found = parse(uri).secrets()
    except MalformedURI:
        return text
    for secret in found:
        text = text.replace(secret, "***")
    return text


__all__ = ["SCHEMES", "SECRET_PARAMETERS", "DatabaseURI", "MalformedURI", "family",
           "is_database_uri", "parse", "redact", "scrub"]
