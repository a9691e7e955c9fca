"""The optional command run after each save to Oro's database (``after_save_command`` in the
config file), typically clearing Oro's configuration cache on the Oro host, e.g.
``ssh oro@app1 'cd /var/www/oro && bin/console cache:pool:clear oro_config.cache'``.

The save is committed before it runs: its failure, its timeout or a stop is reported, never
undoes the save. The caller runs it after the save (the command line waits for it, ctrl+c
stops it; the app runs it in a worker and keeps taking keys). Textual-free.

It runs in a session of its own so that a timeout or a stop ends every process it started
(``sh -c 'sleep 25'`` leaves ``sleep`` holding the output pipe when only ``sh`` is killed), with
the environment of outlook-tui minus its secrets (:func:`command_environment`).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlsplit

#: Default bound (``[database] after_save_timeout`` in config.toml changes it).
DEFAULT_TIMEOUT = 300.0
#: The largest timeout config.toml may give (a day).
MAX_TIMEOUT = 86400.0
#: Lines of the command's output shown (the rest is counted, not printed).
SHOWN_LINES = 20
#: Bytes of output kept: a command printing without end must not fill the memory.
KEPT_BYTES = 64 * 1024
#: After SIGTERM, how long the command's processes get before SIGKILL.
TERM_GRACE = 2.0

#: Variables that hold a password for the database clients (libpq, MySQL's).
SECRET_VARIABLES = frozenset({"PGPASSWORD", "MYSQL_PWD"})
#: Any other variable named like a secret is left out too.
_SECRET_NAME = re.compile(r"PASSWORD|PASSWD|PASSPHRASE|SECRET", re.IGNORECASE)
#: URI parameters that hold a password (libpq's).
_PASSWORD_PARAMETERS = ("password", "sslpassword")


def uri_passwords(uri: str | None) -> set[str]:
    """The passwords a store URI holds (its user part, ``password=``, ``sslpassword=``), as
    written and percent-decoded; none for a path or a malformed URI."""
    if not uri or "://" not in uri:
        return set()
    try:
        parts = urlsplit(uri)
        found = {parts.password or ""}
        found.update(value for key, value in parse_qsl(parts.query, keep_blank_values=True)
                     if key in _PASSWORD_PARAMETERS)
    except ValueError:
        return set()
    found |= {unquote(p) for p in found}
    return {p for p in found if p}


def command_environment(environ: Mapping[str, str], *, revision: int, store_location: str,
                        store_uri: str | None = None) -> dict[str, str]:
    """outlook-tui's environment for the command, without secrets: ``PGPASSWORD``,
    ``MYSQL_PWD``, any variable named like a password or secret, and any variable holding
    the store URI's password (``$OUTLOOK_TUI_STORE`` among them). ``PGPASSFILE`` and
    ``SSH_AUTH_SOCK`` stay: they name where secrets are, the command runs as you anyway, and
    ``ssh``/``psql`` in the command need them. Added: ``$OUTLOOK_TUI_REVISION`` (the revision
    saved) and ``$OUTLOOK_TUI_STORE`` (the store saved to, without its password)."""
    passwords = uri_passwords(store_uri) | uri_passwords(environ.get("OUTLOOK_TUI_STORE"))
    environment = {
        name: value for name, value in environ.items()
        if name not in SECRET_VARIABLES and not _SECRET_NAME.search(name)
        and not any(password in value for password in passwords)
    }
    environment["OUTLOOK_TUI_REVISION"] = str(revision)
    environment["OUTLOOK_TUI_STORE"] = store_location
    return environment


@dataclass
class AfterSave:
    """What the command did, in lines for the person: notices when it succeeded, warnings
    when it failed, timed out or was stopped (its output with them)."""

    notices: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: Stopped by the person (ctrl+c, the app's stop key) or by the app ending.
    stopped: bool = False


class AfterSaveRun:
    """One run of the command: :meth:`run` waits for it (bounded by ``timeout``), from any
    thread; :meth:`stop` ends it from another one."""

    def __init__(self, command: str, *, revision: int, environment: Mapping[str, str],
                 timeout: float = DEFAULT_TIMEOUT) -> None:
        self.command = command
        self.revision = revision
        self.timeout = timeout
        self._environment = dict(environment)
        self._wake = threading.Event()
        self._ended = threading.Event()
        self._stop_reason: str | None = None
        self._output = bytearray()
        self._more = 0  # bytes read beyond KEPT_BYTES
        self._process: subprocess.Popen[bytes] | None = None
        #: Held while the process starts: a stop then waits for it to exist, or the command
        #: could run before Popen returned and outlive a stop (the app ending on a hang-up).
        self._starting = threading.Lock()

    @property
    def running_text(self) -> str:
        return f"after_save_command running (revision {self.revision}): {self.command}"

    def stop(self, reason: str) -> None:
        """End the command (``reason`` is said in the result: "stopped with ctrl+c")."""
        if self._stop_reason is None and not self._ended.is_set():
            self._stop_reason = reason
        self._wake.set()
        # Signalled here too, not only by the waiting thread: a process about to end (the
        # terminal gone) may not live to let that thread run.
        with self._starting:
            process = self._process
        if process is not None and not self._ended.is_set():
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGTERM)

    def run(self, started: Callable[[], None] | None = None) -> AfterSave:
        """Run the command through ``/bin/sh -c`` and wait for it and every process holding its
        output; ``started`` is called once it runs; ctrl+c from then on stops it."""
        result = AfterSave()
        try:
            with self._starting:
                if self._stop_reason is not None:  # stopped before it started
                    result.stopped = True
                    result.warnings.append(f"after_save_command {self._stop_reason} before "
                                           f"it ran: {self.command}; the save itself is "
                                           "committed")
                    return result
                self._process = subprocess.Popen(
                    ["/bin/sh", "-c", self.command], stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=self._environment,
                    start_new_session=True)
        except OSError as error:
            result.warnings.append(f"after_save_command could not run: {error.strerror}; the "
                                   "save itself is committed")
            return result
        threading.Thread(target=self._collect, name="after_save_command output",
                         daemon=True).start()
        try:
            if started is not None:
                started()
            timed_out = not self._wake.wait(self.timeout)
        except KeyboardInterrupt:
            self.stop("stopped with ctrl+c")
            timed_out = False
        if not self._ended.is_set():
            self._end_group()
        return self._report(result, timed_out=timed_out and self._stop_reason is None)

    def _collect(self) -> None:
        process = self._process
        assert process is not None and process.stdout is not None
        with process.stdout:
            # Whatever has arrived, without waiting for a full buffer.
            while chunk := os.read(process.stdout.fileno(), 65536):
                room = KEPT_BYTES - len(self._output)
                self._output += chunk[:max(room, 0)]
                self._more += max(len(chunk) - max(room, 0), 0)
        process.wait()
        self._ended.set()
        self._wake.set()

    def _end_group(self) -> None:
        assert self._process is not None
        for sig, grace in ((signal.SIGTERM, TERM_GRACE), (signal.SIGKILL, TERM_GRACE)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._process.pid, sig)
            if self._ended.wait(grace):
                return

    def _report(self, result: AfterSave, *, timed_out: bool) -> AfterSave:
        assert self._process is not None
        lines = self._output.decode("utf-8", errors="replace").splitlines()
        shown = [f"after_save_command: {line}" for line in lines[:SHOWN_LINES]]
        if len(lines) > SHOWN_LINES or self._more:
            more = f"{len(lines) - SHOWN_LINES} more lines" if len(lines) > SHOWN_LINES \
                else "more"
            cut = f", {self._more} bytes not kept" if self._more else ""
            shown.append(f"after_save_command: ... {more}{cut}")
        code = self._process.returncode
        committed = "; the save itself is committed"
        if self._stop_reason is not None:
            result.stopped = True
            result.warnings.append(f"after_save_command {self._stop_reason}: {self.command}"
                                   f"{committed}")
        elif timed_out:
            result.warnings.append(
                f"after_save_command did not finish within {self.timeout:g} s and was stopped "
                f"(after_save_timeout in config.toml): {self.command}{committed}")
        elif code == 0:
            result.notices.append(f"after_save_command ran: {self.command}")
            result.notices.extend(shown)
            return result
        else:
            status = f"exit status {code}" if code > 0 else f"signal {-code}"
            result.warnings.append(f"after_save_command failed ({status}): {self.command}"
                                   f"{committed}")
        result.warnings.extend(shown)
        return result


__all__ = ["DEFAULT_TIMEOUT", "MAX_TIMEOUT", "AfterSave", "AfterSaveRun", "command_environment",
           "uri_passwords"]
