"""Opening a connection to MySQL costs the interpreter no TLS set-up of its own: PyMySQL built
a context for each, loading every CA certificate of the system (~40 ms holding the interpreter,
while the app's keys waited) to verify nothing. The app opens three: they share one, without
a CA store, and still work."""

from __future__ import annotations

import ssl

from outlook_tui.store.mysql import MySQLStore
from outlook_tui.store.mysql.driver import PyMySQLSession


def tls_context(session: object) -> ssl.SSLContext:
    assert isinstance(session, PyMySQLSession)
    context = session.connection.ctx
    assert isinstance(context, ssl.SSLContext)
    return context


def test_the_apps_connections_share_one_tls_context_that_loads_no_certificates(
        mysql_uri: str) -> None:
    store = MySQLStore(mysql_uri)
    other = MySQLStore(mysql_uri)
    try:
        store.load()  # the whole read's own connection
        contexts = {id(tls_context(s)) for s in (store.connection.session,
                                                 store.loading.session, other.connection.session)}
        assert len(contexts) == 1
        context = tls_context(store.connection.session)
        assert context.cert_store_stats()["x509_ca"] == 0
        assert context.verify_mode == ssl.CERT_NONE  # what PyMySQL's own verified: nothing
        assert len(list(other.load().organizations())) >= 1
    finally:
        store.close()
        other.close()
