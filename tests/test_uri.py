"""Database URIs: checked before a driver sees them, shown without their secrets, still valid."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from outlook_tui.store.uri import MalformedURI, family, parse, redact, scrub


@pytest.mark.parametrize(("uri", "shown"), [
    ("postgresql://oro:s3cret@db.example:5432/oro", "postgresql://oro@db.example:5432/oro"),
    ("postgresql://oro@db.example/oro?password=s3cret&sslmode=require",
     "postgresql://oro@db.example/oro?sslmode=require"),
    ("postgresql://oro@db.example/oro?sslpassword=k3y&sslkey=/etc/k.pem",
     "postgresql://oro@db.example/oro?sslkey=/etc/k.pem"),
    # an empty authority stays: `postgresql:/oro?...` would be another URI
    ("postgresql:///oro?host=%2Frun&password=x", "postgresql:///oro?host=%2Frun"),
    ("postgresql://:s3cret@/oro", "postgresql:///oro"),
    ("postgres://u@[::1]:5433,db2:5432/oro?target_session_attrs=read-write",
     "postgres://u@[::1]:5433,db2:5432/oro?target_session_attrs=read-write"),
    ("mysql://oro:s3cret@localhost/oro?unix_socket=/run/mysqld/mysqld.sock",
     "mysql://oro@localhost/oro?unix_socket=/run/mysqld/mysqld.sock"),
])
def test_the_shown_uri_has_no_secret_and_is_still_a_valid_uri(uri: str, shown: str) -> None:
    assert redact(uri) == shown
    assert "s3cret" not in redact(uri) and "k3y" not in redact(uri)
    assert urlsplit(redact(uri)).path == urlsplit(uri).path  # urlsplit reads the same database
    assert parse(redact(uri)).redacted == shown


@pytest.mark.parametrize(("uri", "problem"), [
    ("postgresql://u:Pa55%zzword@localhost/oro", "the password holds a '%' that is not followed"),
    ("postgresql://u:pa ss@localhost/oro", "the password holds a space"),
    ("postgresql://u@localhost/oro?password=a%zz", "the query (after ?) holds a '%'"),
    ("postgresql://u@[::1/oro", "the host's '[' (an IPv6 address) has no matching ']'"),
    ("postgresql://u@db:99999/oro", "the port must be a number from 1 to 65535"),
    ("postgresql://u@db:54x2/oro", "the port must be a number"),
    ("postgresql://u:p\x1b[2J@db/oro", "an invisible character"),
])
def test_a_malformed_uri_is_refused_naming_what_without_quoting_it(uri: str,
                                                                   problem: str) -> None:
    with pytest.raises(MalformedURI) as caught:
        parse(uri)
    message = str(caught.value)
    assert problem in message
    assert uri not in message
    for secret in ("Pa55", "pa ss", "a%zz", "\x1b"):
        assert secret not in message


def test_a_drivers_message_is_scrubbed_of_every_form_of_the_password() -> None:
    uri = "postgresql://u:p%40ss%20word@db/oro?sslpassword=k3y%21"
    message = 'failed for "p%40ss%20word" (p@ss word), key "k3y%21" / k3y!'
    assert scrub(message, uri) == 'failed for "***" (***), key "***" / ***'


def test_only_database_schemes_are_uris() -> None:
    assert [family(x) for x in ("postgresql://h/d", "POSTGRES://h/d", "mysql://h/d",
                                "mariadb://h/d", "/srv/store.json", "http://h/d", None)] == [
        "postgresql", "postgresql", "mysql", "mysql", None, None, None]
